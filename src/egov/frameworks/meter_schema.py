"""The METER framework as data: ``meter/<id>.yaml`` → a frozen :class:`MeterFramework`.

A framework file holds everything a self-assessment needs (spec ``meter.md`` §3, §5-§7): the
answer scale, the score levels, the numbers of the scoring rules (coverage, divergence, target,
...), and the pillars with their sub-themes, suggested actions and statements. Scoring code
reads these values; it holds no threshold or weight of its own.

Versions: a published file is never edited. A change of content (a statement reworded, added
or removed, a weight or threshold changed) is a new file with a new id, ``meter-eo-1.1.yaml``
beside ``meter-eo-1.0.yaml``; the file name is the id. Assessments keep the id and
:attr:`MeterFramework.sha256` of the version they were opened under, so publishing a version
never rescores an old assessment. :func:`load_meter` reads the latest unless told otherwise.

Loading checks, beyond the models (frozen, ``extra="forbid"``): ids unique across the file;
a sub-theme id is its pillar's id and a number (``C1``), a statement id its sub-theme's id, a
dot and a number (``C1.1``); an ``origin.count`` written as a number equals the number of
statements; weights positive; one label and one meaning per scale value; the scale reaches
100 points; levels ascend from 0; every answer code and source tag used is defined. Every
problem becomes an :class:`egov.errors.Issue` with file, line and YAML path, all collected
into one :class:`egov.errors.FrameworkError`::

    meter/meter-eo-1.0.yaml:41: pillars[0].subthemes[1].statements: 16 items, origin.count says 17
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import pairwise
from typing import Annotated, Final, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictInt,
)
from pydantic_core import PydanticCustomError

from egov.data.tables import INDICES
from egov.errors import FrameworkError, Issue
from egov.frameworks.yamldoc import Document, packaged, path_text, validate

#: Where the framework versions live, relative to ``egov.frameworks``.
METER_DIR: Final = "meter"

#: The OSI subindices of the 2022+ questionnaire, as ``survey/editions.yaml`` names them.
OSI_SUBINDICES: Final = ("SP", "CP", "IF", "TEC", "EPI")

#: Indicator codes a pillar's ``objective`` may name (spec §3.6).
OBJECTIVE_INDICATORS: Final = frozenset(
    {*INDICES, *(f"osi.{subindex}" for subindex in OSI_SUBINDICES)}
)

T = TypeVar("T")
Text = Annotated[str, Field(min_length=1)]
Weight = Annotated[float, Field(gt=0)]
Score = Annotated[float, Field(ge=0, le=100)]


def _not_empty(items: tuple[T, ...]) -> tuple[T, ...]:
    """Checked after the items, so a bad item is not also reported as a missing one."""
    if not items:
        raise PydanticCustomError("too-short", "at least one item is required", {})
    return items


#: A tuple of at least one item.
NonEmpty = AfterValidator(_not_empty)


def _as_chain(value: object) -> object:
    """``osi`` is the chain ``[osi]``: one indicator with no fallback."""
    return [value] if isinstance(value, str) else value


def _known_indicators(chain: tuple[str, ...]) -> tuple[str, ...]:
    for indicator in chain:
        if indicator not in OBJECTIVE_INDICATORS:
            raise PydanticCustomError(
                "unknown-indicator",
                "unknown indicator '{indicator}'; known: {known}",
                {"indicator": indicator, "known": ", ".join(sorted(OBJECTIVE_INDICATORS))},
            )
    return chain


#: One slot of a pillar's ``objective``: indicators in order of preference.
IndicatorChain = Annotated[
    tuple[str, ...],
    BeforeValidator(_as_chain),
    NonEmpty,
    AfterValidator(_known_indicators),
]


class Model(BaseModel):
    """Frozen, and no key the model does not name."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Model):
    """Where a part of the framework comes from; ``origin`` fields name its ``id``."""

    id: Text
    title: Text
    url: str | None = None


class Scale(Model):
    """The answers (§3.2): ``values`` score ``points_per_step × value``; ``extra`` none."""

    values: Annotated[tuple[StrictInt, ...], NonEmpty]
    labels: tuple[Text, ...]
    meanings: tuple[Text, ...]
    extra: tuple[Text, ...]
    extra_labels: tuple[Text, ...]
    extra_meanings: tuple[Text, ...]
    points_per_step: Annotated[float, Field(gt=0)]

    def points(self, value: int) -> float:
        """The score of an answer.

        >>> load_meter().scale.points(3)
        75.0
        """
        if value not in self.values:
            raise ValueError(f"{value} is not on the scale {list(self.values)}")
        return float(self.points_per_step * value)


class Level(Model):
    min: Annotated[float, Field(ge=0, lt=100)]
    name: Text


class Scoring(Model):
    """The numbers of the scoring rules (§3.3-§3.6); scores run from 0 to 100."""

    minimum_coverage: Annotated[float, Field(gt=0, le=1)]
    excluded_from_coverage: tuple[str, ...]
    comment_required: tuple[str, ...]
    subtheme_weighting: Literal["equal", "by_statements"]
    combined: Literal["by_group", "pooled"]
    divergence_threshold: Annotated[float, Field(gt=0, le=100)]
    target: Score
    divergence_boost: Annotated[float, Field(ge=0)]
    way_forward_size: Annotated[int, Field(gt=0)]
    objective_difference: Annotated[float, Field(gt=0, le=100)]


class PillarOrigin(Model):
    id: Text
    name: Text


class SubthemeOrigin(Model):
    """Source tags of a sub-theme's parts; ``count`` may be the number a source publishes."""

    id: Text
    name: Text
    count: Annotated[StrictInt, Field(gt=0)] | Text
    text: Text


class Statement(Model):
    id: Text
    text: Text
    perspective: Literal["internal", "observable"]
    weight: Weight


class Subtheme(Model):
    id: Text
    name: Text
    weight: Weight
    origin: SubthemeOrigin
    action: Text
    statements: Annotated[tuple[Statement, ...], NonEmpty]


class Pillar(Model):
    id: Annotated[str, Field(pattern=r"^[A-Z]+$")]
    name: Text
    experimental: bool = False
    origin: PillarOrigin
    weight: Weight
    objective: Annotated[tuple[IndicatorChain, ...], NonEmpty]
    subthemes: Annotated[tuple[Subtheme, ...], NonEmpty]


class MeterFramework(Model):
    """One version of the METER framework: frozen, hashable, with lookups by id.

    >>> framework = load_meter("meter-eo-1.0")
    >>> framework.pillar("M").experimental, framework.subtheme("C3").name
    (True, 'Innovation capabilities')
    >>> framework.statement("C3.2").text
    'Successful pilots have a defined path to scale across government.'
    >>> framework.tag_ids()[:6]
    ('C', 'C1', 'C2', 'C3', 'C4', 'L')
    >>> framework.is_known_tag("P6"), framework.is_known_tag("C1.1")
    (True, False)
    """

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*-\d+(\.\d+)*$")]
    title: Text
    based_on: Text
    notice: Text
    sources: Annotated[tuple[Source, ...], NonEmpty]
    scale: Scale
    levels: Annotated[tuple[Level, ...], NonEmpty]
    scoring: Scoring
    pillars: Annotated[tuple[Pillar, ...], NonEmpty]

    _pillars: dict[str, Pillar] = PrivateAttr(default_factory=dict)
    _subthemes: dict[str, Subtheme] = PrivateAttr(default_factory=dict)
    _statements: dict[str, Statement] = PrivateAttr(default_factory=dict)
    _sha256: str = PrivateAttr(default="")

    def model_post_init(self, context: object, /) -> None:
        for pillar in self.pillars:
            self._pillars.setdefault(pillar.id, pillar)
            for subtheme in pillar.subthemes:
                self._subthemes.setdefault(subtheme.id, subtheme)
                for statement in subtheme.statements:
                    self._statements.setdefault(statement.id, statement)

    @property
    def sha256(self) -> str:
        """The SHA-256 of the file text this framework was parsed from ("" if built in code)."""
        return self._sha256

    def pillar(self, pillar_id: str) -> Pillar:
        return _lookup(self._pillars, pillar_id, "pillar", self.id)

    def subtheme(self, subtheme_id: str) -> Subtheme:
        return _lookup(self._subthemes, subtheme_id, "sub-theme", self.id)

    def statement(self, statement_id: str) -> Statement:
        return _lookup(self._statements, statement_id, "statement", self.id)

    def statements(self) -> tuple[Statement, ...]:
        """Every statement, in file order."""
        return tuple(self._statements.values())

    def tag_ids(self) -> tuple[str, ...]:
        """The ids a knowledge item may be tagged with: each pillar, then its sub-themes."""
        return tuple(
            tag
            for pillar in self.pillars
            for tag in (pillar.id, *(subtheme.id for subtheme in pillar.subthemes))
        )

    def is_known_tag(self, tag: str) -> bool:
        return tag in self._pillars or tag in self._subthemes


def _lookup(table: dict[str, T], key: str, kind: str, framework: str) -> T:
    try:
        return table[key]
    except KeyError:
        raise KeyError(f"no {kind} {key!r} in METER framework {framework}") from None


@dataclass(frozen=True, slots=True)
class _Problem:
    code: str
    message: str
    path: tuple[object, ...]
    value: str | None = None


def _scale_problems(scale: Scale) -> Iterator[_Problem]:
    if scale.values != tuple(range(len(scale.values))):
        yield _Problem(
            "scale-values",
            f"values must be 0, 1, 2, ... in order, not {list(scale.values)}",
            ("scale", "values"),
        )
    for key, codes in (("labels", scale.values), ("meanings", scale.values)):
        yield from _parallel(scale, key, len(codes), "values")
    for key in ("extra_labels", "extra_meanings"):
        yield from _parallel(scale, key, len(scale.extra), "extra codes")
    numbers = {str(value) for value in scale.values}
    for i, code in enumerate(scale.extra):
        if code in numbers or code in scale.extra[:i]:
            yield _Problem(
                "scale-extra", f"extra answer {code!r} is not distinct", ("scale", "extra", i), code
            )
    top = scale.points_per_step * max(scale.values)
    if top != 100:
        yield _Problem(
            "scale-points",
            f"the top value scores {top:g} points, not 100",
            ("scale", "points_per_step"),
            f"{scale.points_per_step:g}",
        )


def _parallel(scale: Scale, key: str, expected: int, of: str) -> Iterator[_Problem]:
    items: tuple[str, ...] = getattr(scale, key)
    if len(items) != expected:
        yield _Problem("scale-labels", f"{len(items)} {key} for {expected} {of}", ("scale", key))


def _level_problems(levels: Sequence[Level]) -> Iterator[_Problem]:
    if levels[0].min != 0:
        yield _Problem(
            "levels-order",
            f"the first level starts at {levels[0].min:g}, not 0",
            ("levels", 0, "min"),
        )
    for i, (below, level) in enumerate(pairwise(levels), start=1):
        if level.min <= below.min:
            yield _Problem(
                "levels-order",
                f"levels must ascend: {level.min:g} is not above {below.min:g}",
                ("levels", i, "min"),
                f"{level.min:g}",
            )


def _answer_problems(framework: MeterFramework) -> Iterator[_Problem]:
    for key in ("excluded_from_coverage", "comment_required"):
        codes: tuple[str, ...] = getattr(framework.scoring, key)
        for i, code in enumerate(codes):
            if code not in framework.scale.extra:
                known = ", ".join(framework.scale.extra)
                yield _Problem(
                    "unknown-answer",
                    f"{code!r} is not an extra answer of the scale; known: {known}",
                    ("scoring", key, i),
                    code,
                )


def _source_problems(framework: MeterFramework) -> Iterator[_Problem]:
    tags: set[str] = set()
    for i, source in enumerate(framework.sources):
        if source.id in tags:
            yield _Problem(
                "duplicate-id", f"duplicate source {source.id!r}", ("sources", i, "id"), source.id
            )
        tags.add(source.id)
    known = ", ".join(source.id for source in framework.sources)
    for p, pillar in enumerate(framework.pillars):
        origins: list[tuple[tuple[object, ...], BaseModel]] = [(("pillars", p), pillar.origin)]
        origins += [
            (("pillars", p, "subthemes", s), subtheme.origin)
            for s, subtheme in enumerate(pillar.subthemes)
        ]
        for where, origin in origins:
            for key, tag in origin:
                if isinstance(tag, str) and tag not in tags:
                    yield _Problem(
                        "unknown-source",
                        f"unknown source {tag!r}; known: {known}",
                        (*where, "origin", key),
                        tag,
                    )


def _id_problems(framework: MeterFramework) -> Iterator[_Problem]:
    first: dict[str, tuple[object, ...]] = {}

    def unique(item_id: str, where: tuple[object, ...]) -> Iterator[_Problem]:
        if item_id in first:
            yield _Problem(
                "duplicate-id",
                f"duplicate id {item_id!r}, first used at {path_text(first[item_id])}",
                where,
                item_id,
            )
        else:
            first[item_id] = where

    for p, pillar in enumerate(framework.pillars):
        yield from unique(pillar.id, ("pillars", p, "id"))
        for s, subtheme in enumerate(pillar.subthemes):
            at = ("pillars", p, "subthemes", s)
            yield from unique(subtheme.id, (*at, "id"))
            if not re.fullmatch(rf"{re.escape(pillar.id)}\d+", subtheme.id):
                yield _Problem(
                    "bad-prefix",
                    f"a sub-theme id is its pillar's id and a number ({pillar.id}1, ...)",
                    (*at, "id"),
                    subtheme.id,
                )
            count = subtheme.origin.count
            if isinstance(count, int) and count != len(subtheme.statements):
                yield _Problem(
                    "count-mismatch",
                    f"{len(subtheme.statements)} items, origin.count says {count}",
                    (*at, "statements"),
                )
            for t, statement in enumerate(subtheme.statements):
                where = (*at, "statements", t, "id")
                yield from unique(statement.id, where)
                if not re.fullmatch(rf"{re.escape(subtheme.id)}\.\d+", statement.id):
                    yield _Problem(
                        "bad-prefix",
                        f"a statement id is its sub-theme's id, a dot and a number"
                        f" ({subtheme.id}.1, ...)",
                        where,
                        statement.id,
                    )


def _problems(framework: MeterFramework) -> Iterator[_Problem]:
    yield from _scale_problems(framework.scale)
    yield from _level_problems(framework.levels)
    yield from _answer_problems(framework)
    yield from _source_problems(framework)
    yield from _id_problems(framework)


def _issue(problem: _Problem, file: str, document: Document) -> Issue:
    line = document.line(tuple(str(part) for part in problem.path))
    return Issue(problem.code, problem.message, file, line, path_text(problem.path), problem.value)


def parse_meter(text: str, *, file: str, expected_id: str | None = None) -> MeterFramework:
    """The framework in the text of a ``meter/<id>.yaml``.

    ``file`` names the source in issues; with ``expected_id``, the file's ``id`` must be it.
    Raises :class:`FrameworkError` listing every problem.

    >>> text = packaged("meter/meter-eo-1.0.yaml")
    >>> len(parse_meter(text, file="meter-eo-1.0.yaml").statements())
    109
    >>> broken = text.replace("{id: C1.12,", "{id: C1.11,").replace("count: 17", "count: 16")
    >>> try:
    ...     parse_meter(broken, file="broken.yaml")
    ... except FrameworkError as error:
    ...     for issue in error.issues:
    ...         print(issue.code, issue.field)
    duplicate-id pillars[0].subthemes[0].statements[11].id
    count-mismatch pillars[0].subthemes[1].statements
    """
    framework, document = validate(MeterFramework, text, file)
    issues = [_issue(problem, file, document) for problem in _problems(framework)]
    if expected_id is not None and framework.id != expected_id:
        message = f"the file of version {expected_id!r} says id {framework.id!r}"
        issues.append(Issue("id-mismatch", message, file, document.line(("id",)), "id"))
    if issues:
        raise FrameworkError(issues)
    framework._sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return framework


def _version_order(version: str) -> tuple[tuple[int, ...], str]:
    return tuple(int(number) for number in re.findall(r"\d+", version)), version


def meter_versions() -> tuple[str, ...]:
    """The ids of the packaged framework versions, oldest first.

    >>> meter_versions()[0]
    'meter-eo-1.0'
    """
    names = (entry.name for entry in files("egov.frameworks").joinpath(METER_DIR).iterdir())
    stems = (name.removesuffix(".yaml") for name in names if name.endswith(".yaml"))
    return tuple(sorted(stems, key=_version_order))


def load_meter(version: str | None = None) -> MeterFramework:
    """A packaged framework version, the latest by default; cached, so loaded once.

    >>> framework = load_meter()
    >>> framework.id == meter_versions()[-1], framework is load_meter(framework.id)
    (True, True)
    >>> [pillar.id for pillar in framework.pillars]
    ['C', 'L', 'P', 'O', 'T', 'M']
    """
    versions = meter_versions()
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        file = f"{METER_DIR}/{chosen}.yaml"
        message = f"no METER framework {chosen!r}; known: {', '.join(versions)}"
        raise FrameworkError([Issue("unknown-version", message, file)])
    return _load(chosen)


@cache
def _load(version: str) -> MeterFramework:
    file = f"{METER_DIR}/{version}.yaml"
    return parse_meter(packaged(file), file=file, expected_id=version)
