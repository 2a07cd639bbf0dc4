"""The fields of each item type (spec §2 table), as models: :data:`DETAILS_MODELS`.

The same rules check the seed content and the items people write through the platform
(:func:`validate_details`). Every field is optional but ``workshop_output``'s ``output_kind``;
an unknown field is refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal, NamedTuple

from pydantic import BeforeValidator, Field, ValidationError

from egov.frameworks.knowledge_schema.fields import Line, MeterTag, Model, Text, Year
from egov.frameworks.yamldoc import path_text


class CountryStudyDetails(Model):
    as_of: datetime.date | None = None
    institutions: Text | None = None
    strategy: Text | None = None
    cio: Text | None = None
    legal_framework: Text | None = None


class Award(Model):
    """A prize a case won, e.g. a UN Public Service Award category and year."""

    programme: Line
    year: Year
    category: Line | None = None
    placing: Line | None = None
    organisation: Line | None = None
    initiative: Line | None = None


def _as_list(value: object) -> object:
    """One award may be written as a mapping; several as a list."""
    return [value] if isinstance(value, dict) else value


class CaseStudyDetails(Model):
    organisation: Line | None = None
    period: Line | None = None
    problem: Text | None = None
    intervention: Text | None = None
    results: Text | None = None
    transferability: Text | None = None
    award: Annotated[tuple[Award, ...], BeforeValidator(_as_list)] = ()


class GoodPracticeDetails(Model):
    practice: Text | None = None
    conditions_for_success: tuple[Text, ...] = ()
    evidence_level: Literal["claimed", "evaluated"] | None = None


class LessonLearnedDetails(Model):
    context: Text | None = None
    what_happened: Text | None = None
    lesson: Text | None = None
    applies_to: tuple[MeterTag, ...] = ()


class PolicyOrStrategyDetails(Model):
    document_kind: Literal["strategy", "law", "policy", "regulation", "guideline"] | None = None
    adopted_on: datetime.date | None = None
    in_force: bool | None = None


class WorkshopOutputDetails(Model):
    """The workshop itself is the item's ``workshop`` link (required for this type).
    ``aide_memoire`` is added to spec §2's kinds: the concept note that precedes a workshop."""

    output_kind: Literal["conclusions", "recommendations", "report", "aide_memoire"]


class PresentationDetails(Model):
    speaker: Line | None = None
    event: Line | None = None
    date: datetime.date | None = None


class AnalyticalPaperDetails(Model):
    authors: tuple[Line, ...] = ()
    abstract: Text | None = None
    method: Text | None = None


class TrainingMaterialDetails(Model):
    audience: tuple[Literal["cio", "senior_official", "staff"], ...] = ()
    format: Literal["course", "module", "toolkit"] | None = None
    duration_hours: Annotated[float, Field(gt=0)] | None = None


#: The details model of each item type.
DETAILS_MODELS: Final[Mapping[str, type[Model]]] = {
    "country_study": CountryStudyDetails,
    "case_study": CaseStudyDetails,
    "good_practice": GoodPracticeDetails,
    "lesson_learned": LessonLearnedDetails,
    "policy_or_strategy": PolicyOrStrategyDetails,
    "workshop_output": WorkshopOutputDetails,
    "presentation": PresentationDetails,
    "analytical_paper": AnalyticalPaperDetails,
    "training_material": TrainingMaterialDetails,
}


class DetailProblem(NamedTuple):
    """One problem in an item's details: ``field`` is the path inside ``details``."""

    field: str
    code: str
    message: str


def details_errors(
    item_type: str, details: object
) -> tuple[dict[str, Any], list[tuple[tuple[object, ...], str, str, str | None]]]:
    """The cleaned details and each problem as (path inside the details, code, message,
    value): :func:`validate_details` for the platform; the seed loader places them in its file.
    """
    model = DETAILS_MODELS.get(item_type)
    if model is None:
        return {}, [((), "unknown-type", f"no item type {item_type!r}", item_type)]
    try:
        parsed = model.model_validate({} if details is None else details)
    except ValidationError as error:
        return {}, [
            (
                tuple(part for part in problem["loc"] if part != "[key]"),
                problem["type"].replace("_", "-"),
                problem["msg"],
                None
                if isinstance(problem.get("input"), dict | list)
                else str(problem.get("input")),
            )
            for problem in error.errors()
        ]
    return parsed.model_dump(mode="json", exclude_defaults=True), []


def validate_details(
    item_type: str, details: Mapping[str, object] | None
) -> tuple[dict[str, Any], tuple[DetailProblem, ...]]:
    """The details of an item of ``item_type``, cleaned (JSON values, unset fields left out),
    and every problem; the cleaned details are ``{}`` when there is a problem.

    >>> validate_details("presentation", {"speaker": "A. Tikhomirov", "date": "2012-06-27"})
    ({'speaker': 'A. Tikhomirov', 'date': '2012-06-27'}, ())
    >>> cleaned, problems = validate_details("lesson_learned", {"applies_to": ["C1.1"], "x": 1})
    >>> cleaned
    {}
    >>> for problem in problems:
    ...     print(problem.field, problem.code)
    applies_to[0] bad-meter-tag
    x extra-forbidden
    """
    cleaned, errors = details_errors(item_type, details)
    return cleaned, tuple(
        DetailProblem(path_text(loc), code, message) for loc, code, message, _ in errors
    )
