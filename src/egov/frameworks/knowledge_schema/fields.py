"""What the three knowledge files share: the base model, the field types, the vocabularies,
and the way a check's problem becomes an :class:`egov.errors.Issue` with file, line and path.

Each string type fails with a stable ``code`` (``bad-iso3``, ``unknown-stage``, ...), the same
code the platform uses when a person writes the value in a form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Final, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt
from pydantic_core import PydanticCustomError

from egov.errors import FrameworkError, Issue
from egov.frameworks.yamldoc import Document, path_text, validate

#: The nine item types of spec §2, in the order of its table.
ITEM_TYPES: Final = (
    "country_study",
    "case_study",
    "good_practice",
    "lesson_learned",
    "policy_or_strategy",
    "workshop_output",
    "presentation",
    "analytical_paper",
    "training_material",
)
#: The four stages of online service development (§2, seed 004).
STAGES: Final = ("emerging", "enhanced", "transactional", "connected")
#: The UN M49 regions an item without countries may name.
REGIONS: Final = ("Africa", "Americas", "Asia", "Europe", "Oceania")
#: The six UN languages, and any other.
LANGUAGES: Final = ("ar", "zh", "en", "fr", "ru", "es", "other")

T = TypeVar("T")


def pattern_check(code: str, message: str, pattern: str) -> AfterValidator:
    """A string check with a stable error ``code``."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError(code, message, {"value": value})
        return value

    return AfterValidator(check)


def one_of(code: str, allowed: tuple[str, ...]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise PydanticCustomError(
                code,
                "'{value}' is not one of {allowed}",
                {"value": value, "allowed": ", ".join(allowed)},
            )
        return value

    return AfterValidator(check)


def _not_empty(items: tuple[T, ...]) -> tuple[T, ...]:
    if not items:
        raise PydanticCustomError("too-short", "at least one item is required", {})
    return items


Text = Annotated[str, Field(min_length=1)]
Line = Annotated[str, Field(min_length=1, max_length=300)]
NonEmpty = AfterValidator(_not_empty)
Year = Annotated[StrictInt, Field(ge=1945, le=2100)]
Key = Annotated[
    str,
    Field(max_length=64),
    pattern_check(
        "bad-key",
        "'{value}' is not a key: lowercase words joined by hyphens",
        r"[a-z0-9]+(-[a-z0-9]+)*",
    ),
]
Code = Annotated[
    str,
    pattern_check(
        "bad-code",
        "'{value}' is not a code: lowercase words joined by underscores",
        r"[a-z][a-z0-9]*(_[a-z0-9]+)*",
    ),
]
Iso3 = Annotated[
    str,
    pattern_check("bad-iso3", "'{value}' is not an ISO3 code (three capital letters)", r"[A-Z]{3}"),
]
MeterTag = Annotated[
    str,
    pattern_check(
        "bad-meter-tag",
        "'{value}' is not a METER pillar or sub-theme id (C, C1, ...)",
        r"[A-Z][0-9]{0,2}",
    ),
]
ItemType = Annotated[str, one_of("unknown-type", ITEM_TYPES)]
Stage = Annotated[str, one_of("unknown-stage", STAGES)]
Region = Annotated[str, one_of("unknown-region", REGIONS)]
Language = Annotated[str, one_of("unknown-language", LANGUAGES)]
FileName = Annotated[
    str,
    pattern_check(
        "bad-file-name", "'{value}' is not a plain file name", r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
    ),
]
StepNumber = Annotated[StrictInt, Field(ge=1)]


class Model(BaseModel):
    """Frozen, and no key the model does not name."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem a check found: ``path`` is where in the file, as YAML keys and indexes."""

    code: str
    message: str
    path: tuple[object, ...]
    value: str | None = None


def unique(
    values: Iterable[tuple[str, tuple[object, ...]]], code: str, kind: str
) -> Iterator[Problem]:
    """A problem for each ``(value, path)`` whose value came earlier."""
    first: dict[str, tuple[object, ...]] = {}
    for value, where in values:
        if value in first:
            message = f"duplicate {kind} {value!r}, first at {path_text(first[value])}"
            yield Problem(code, message, where, value)
        else:
            first[value] = where


ModelT = TypeVar("ModelT", bound=Model)


def checked(
    model: type[ModelT], text: str, file: str, problems: Callable[[ModelT], Iterator[Problem]]
) -> ModelT:
    """``text`` validated as ``model``, then checked by ``problems``; every issue at once."""
    parsed, document = validate(model, text, file)
    issues = [_issue(problem, file, document) for problem in problems(parsed)]
    if issues:
        raise FrameworkError(issues)
    return parsed


def _issue(problem: Problem, file: str, document: Document) -> Issue:
    line = document.line(tuple(str(part) for part in problem.path))
    field = path_text(problem.path) or None
    return Issue(problem.code, problem.message, file, line, field, problem.value)
