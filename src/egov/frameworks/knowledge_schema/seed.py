"""The seed content, ``knowledge/seed.yaml`` → :class:`SeedContent`: what ``egov setup`` loads.

The four seed documents as items (each names its file in the seeds folder, read by the platform
at run time), the items written from them, the reference workshop (spec §3) and the technical
cooperation projects (§4). Checks across entries: keys unique; theme codes in the taxonomy;
details fit the item's type; every key named (workshop, session, project, related items,
delivered items, ``derived_from`` documents) exists; a delivered item is of a type its output
targets; a workshop output names its workshop; only a seed document, which has a file, can be
a presentation. Whether a named seed file exists is not checked here (no I/O on the seeds).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import Field, StrictInt

from egov.frameworks.knowledge_schema.details import details_errors
from egov.frameworks.knowledge_schema.fields import (
    Code,
    FileName,
    Iso3,
    ItemType,
    Key,
    Language,
    Line,
    MeterTag,
    Model,
    NonEmpty,
    Problem,
    Region,
    Stage,
    Text,
    Year,
    checked,
    pattern_check,
    unique,
)
from egov.frameworks.knowledge_schema.themes import Taxonomy, load_themes
from egov.frameworks.yamldoc import packaged

#: Where the seed content lives, relative to ``egov.frameworks``.
SEED_FILE: Final = "knowledge/seed.yaml"


class Source(Model):
    organisation: Line
    citation: Text | None = None
    url: (
        Annotated[
            str,
            pattern_check("bad-url", "'{value}' is not an http or https address", r"https?://\S+"),
        ]
        | None
    ) = None


class _ItemFields(Model):
    """The common fields of every item (spec §2); ``details`` are checked against the type."""

    key: Key
    type: ItemType
    title: Line
    summary: Annotated[str, Field(min_length=1, max_length=600)]
    body_md: str = ""
    year: Year | None = None
    language: Language = "en"
    countries: tuple[Iso3, ...] = ()
    regions: tuple[Region, ...] = ()
    themes: Annotated[tuple[Code, ...], NonEmpty]
    meter_tags: tuple[MeterTag, ...] = ()
    stage_tags: tuple[Stage, ...] = ()
    source: Source
    licence: Line | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    workshop: Key | None = None
    session: Annotated[StrictInt, Field(ge=0)] | None = None
    project: Key | None = None
    related: tuple[Key, ...] = ()


class SeedDocument(_ItemFields):
    """A seed document as an item: ``file`` is its name in the seeds folder, read at run time."""

    file: FileName


class SeedItem(_ItemFields):
    """An item written from the seed documents named in ``derived_from``."""

    body_md: Text
    derived_from: Annotated[tuple[Key, ...], NonEmpty]


class Element(Model):
    theme: Code
    name: Line
    text: Text


class WorkshopFormat(Model):
    """How the workshop is run: its kind ("roundtable") and the roles that run it."""

    kind: Annotated[str, Field(min_length=1, max_length=100)]
    chair: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    facilitator: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class Session(Model):
    order: Annotated[StrictInt, Field(ge=0)]
    title: Line
    emphasis: str = ""
    speakers: tuple[Line, ...] = ()


class ExpectedOutput(Model):
    order: Annotated[StrictInt, Field(ge=1)]
    text: Text
    target_types: tuple[ItemType, ...]
    status: Literal["planned", "delivered", "dropped"] = "planned"
    delivered_items: tuple[Key, ...] = ()


class Workshop(Model):
    """A workshop (spec §3). ``start`` and ``end`` stay empty when the source gives no date,
    and ``date_note`` says how a date was read; sessions are numbered by ``order`` (0 for an
    opening session); each expected output names the item types meant to deliver it and the
    items that do."""

    key: Key
    title: Line
    organisers: Annotated[tuple[Line, ...], NonEmpty]
    partners: tuple[Line, ...] = ()
    forum: Line | None = None
    year: Year
    start: date | None = None
    end: date | None = None
    date_note: Text | None = None
    place: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    status: Literal["planned", "held", "reported", "cancelled"] = "planned"
    purpose: Text
    elements: tuple[Element, ...] = ()
    objectives: tuple[Text, ...] = ()
    format: WorkshopFormat | None = None
    sessions: tuple[Session, ...] = ()
    participant_categories: tuple[Line, ...] = ()
    expected_outputs: tuple[ExpectedOutput, ...] = ()
    follow_up: Text | None = None
    derived_from: tuple[Key, ...] = ()


class Budget(Model):
    amount: Annotated[Decimal, Field(gt=0)]
    currency: Annotated[
        str, pattern_check("bad-currency", "'{value}' is not an ISO 4217 code", r"[A-Z]{3}")
    ]
    per: Literal["year", "total"]
    funded_by: Line | None = None


class Milestone(Model):
    date_or_period: Annotated[str, Field(min_length=1, max_length=60)]
    starts_on: date | None = None
    label: Line
    status: Literal["planned", "done", "dropped"] = "planned"


class Project(Model):
    """A technical cooperation project (spec §4). ``country_name`` is the country as the
    source writes it; ``items`` are the knowledge items of the project (an item that names a
    project must name this one); a milestone keeps the source's ``date_or_period`` and, for a
    timeline, the first day it covers (``starts_on``)."""

    key: Key
    country: Iso3
    country_name: Line | None = None
    title: Line
    purpose: Text
    accomplishments: Text | None = None
    follow_up: Text | None = None
    status: Literal[
        "formulation",
        "document_drafted",
        "document_approved",
        "signed",
        "implementing",
        "completed",
    ]
    start_year: Year
    end_year: Year | None = None
    partners: tuple[Line, ...] = ()
    scope: tuple[Line, ...] = ()
    budget: Budget | None = None
    outputs: tuple[Text, ...] = ()
    workshops: tuple[Key, ...] = ()
    items: tuple[Key, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    derived_from: tuple[Key, ...] = ()


class SeedContent(Model):
    """What ``egov setup`` loads into the knowledge base.

    >>> seed = load_seed_content()
    >>> seed.version, len(seed.documents), seed.item("korea-unpsa-2012").type
    ('seed-1', 4, 'case_study')
    >>> [project.status for project in seed.projects if project.country == "QAT"]
    ['signed']
    """

    version: Annotated[
        str,
        pattern_check(
            "bad-version", "'{value}' is not a seed version (seed-1, ...)", r"seed-[0-9]+"
        ),
    ]
    documents: Annotated[tuple[SeedDocument, ...], NonEmpty]
    items: tuple[SeedItem, ...] = ()
    workshops: tuple[Workshop, ...] = ()
    projects: tuple[Project, ...] = ()

    def all_items(self) -> tuple[SeedDocument | SeedItem, ...]:
        """Documents, then items: everything that becomes a knowledge item."""
        return (*self.documents, *self.items)

    def item(self, key: str) -> SeedDocument | SeedItem:
        return _by_key(self.all_items(), key, "item")

    def workshop(self, key: str) -> Workshop:
        return _by_key(self.workshops, key, "workshop")

    def project(self, key: str) -> Project:
        return _by_key(self.projects, key, "project")


KeyedT = TypeVar("KeyedT", SeedDocument | SeedItem, Workshop, Project)


def _by_key(entries: Iterable[KeyedT], key: str, kind: str) -> KeyedT:
    for entry in entries:
        if entry.key == key:
            return entry
    raise KeyError(f"no {kind} {key!r} in the seed content")


#: The lists of an item in which a value appears once, and what one value is called.
_LISTS: Final = {
    "themes": "theme",
    "countries": "country",
    "regions": "region",
    "meter_tags": "METER tag",
    "stage_tags": "stage",
    "related": "related item",
}


def _item_problems(
    entry: SeedDocument | SeedItem,
    at: tuple[object, ...],
    seed: SeedContent,
    taxonomy: Taxonomy,
) -> Iterator[Problem]:
    items = {item.key: item for item in seed.all_items()}
    documents = {document.key for document in seed.documents}
    workshops = {workshop.key: workshop for workshop in seed.workshops}
    for name, kind in _LISTS.items():
        values: tuple[str, ...] = getattr(entry, name)
        listed = ((value, (*at, name, j)) for j, value in enumerate(values))
        yield from unique(listed, "duplicate-value", kind)
    for j, code in enumerate(entry.themes):
        if not taxonomy.is_theme(code):
            message = f"no theme {code!r} in the taxonomy"
            yield Problem("unknown-theme", message, (*at, "themes", j), code)
    for loc, code, message, value in details_errors(entry.type, entry.details)[1]:
        yield Problem(code, message, (*at, "details", *loc), value)
    if entry.type == "presentation" and not isinstance(entry, SeedDocument):
        message = "a presentation needs its file: only a seed document can be one"
        yield Problem("attachment-required", message, (*at, "type"), entry.type)
    workshop = None if entry.workshop is None else workshops.get(entry.workshop)
    if entry.workshop is not None and workshop is None:
        yield Problem("unknown-workshop", "no such workshop", (*at, "workshop"), entry.workshop)
    if entry.workshop is None and (entry.type == "workshop_output" or entry.session is not None):
        message = "a workshop output, or an item of a session, names its workshop"
        yield Problem("missing-workshop", message, (*at, "workshop"))
    sessions = set() if workshop is None else {session.order for session in workshop.sessions}
    if workshop is not None and entry.session is not None and entry.session not in sessions:
        message = f"workshop {workshop.key!r} has no session {entry.session}"
        yield Problem("unknown-session", message, (*at, "session"), str(entry.session))
    if entry.project is not None and entry.project not in {p.key for p in seed.projects}:
        yield Problem("unknown-project", "no such project", (*at, "project"), entry.project)
    for j, key in enumerate(entry.related):
        if key == entry.key:
            yield Problem(
                "self-reference", "an item is not related to itself", (*at, "related", j), key
            )
        elif key not in items:
            yield Problem("unknown-item", "no such item", (*at, "related", j), key)
    if isinstance(entry, SeedItem):
        for j, key in enumerate(entry.derived_from):
            if key not in documents:
                yield Problem(
                    "unknown-document", "no such seed document", (*at, "derived_from", j), key
                )


def _workshop_problems(
    workshop: Workshop, at: tuple[object, ...], seed: SeedContent, taxonomy: Taxonomy
) -> Iterator[Problem]:
    items = {item.key: item for item in seed.all_items()}
    documents = {document.key for document in seed.documents}
    if workshop.start is not None and workshop.start.year != workshop.year:
        message = f"starts in {workshop.start.year}, not in its year {workshop.year}"
        yield Problem("date-mismatch", message, (*at, "start"), workshop.start.isoformat())
    if workshop.start is not None and workshop.end is not None and workshop.end < workshop.start:
        yield Problem("date-order", "ends before it starts", (*at, "end"), workshop.end.isoformat())
    for j, element in enumerate(workshop.elements):
        if not taxonomy.is_theme(element.theme):
            message = f"no theme {element.theme!r} in the taxonomy"
            yield Problem("unknown-theme", message, (*at, "elements", j, "theme"), element.theme)
    for name in ("sessions", "expected_outputs"):
        entries: tuple[Session | ExpectedOutput, ...] = getattr(workshop, name)
        orders = ((str(entry.order), (*at, name, j, "order")) for j, entry in enumerate(entries))
        yield from unique(orders, "duplicate-order", "order")
    for j, output in enumerate(workshop.expected_outputs):
        for k, key in enumerate(output.delivered_items):
            where = (*at, "expected_outputs", j, "delivered_items", k)
            item = items.get(key)
            if item is None:
                yield Problem("unknown-item", "no such item", where, key)
            elif item.type not in output.target_types:
                meant = ", ".join(output.target_types) or "no item"
                message = f"a {item.type} does not deliver an output meant as {meant}"
                yield Problem("type-mismatch", message, where, key)
    for j, key in enumerate(workshop.derived_from):
        if key not in documents:
            yield Problem(
                "unknown-document", "no such seed document", (*at, "derived_from", j), key
            )


def _project_problems(
    project: Project, at: tuple[object, ...], seed: SeedContent
) -> Iterator[Problem]:
    items = {item.key: item for item in seed.all_items()}
    documents = {document.key for document in seed.documents}
    workshops = {workshop.key for workshop in seed.workshops}
    if project.end_year is not None and project.end_year < project.start_year:
        yield Problem(
            "date-order", "ends before it starts", (*at, "end_year"), str(project.end_year)
        )
    for j, key in enumerate(project.workshops):
        if key not in workshops:
            yield Problem("unknown-workshop", "no such workshop", (*at, "workshops", j), key)
    for j, key in enumerate(project.items):
        item = items.get(key)
        if item is None:
            yield Problem("unknown-item", "no such item", (*at, "items", j), key)
        elif item.project not in (None, project.key):
            message = f"the item names project {item.project!r}"
            yield Problem("conflicting-project", message, (*at, "items", j), key)
    for j, key in enumerate(project.derived_from):
        if key not in documents:
            yield Problem(
                "unknown-document", "no such seed document", (*at, "derived_from", j), key
            )


def _problems(seed: SeedContent, taxonomy: Taxonomy) -> Iterator[Problem]:
    entries: list[tuple[tuple[object, ...], SeedDocument | SeedItem]] = [
        *((("documents", i), entry) for i, entry in enumerate(seed.documents)),
        *((("items", i), entry) for i, entry in enumerate(seed.items)),
    ]
    yield from unique(((entry.key, (*at, "key")) for at, entry in entries), "duplicate-key", "key")
    for at, entry in entries:
        yield from _item_problems(entry, at, seed, taxonomy)
    workshops = ((w.key, ("workshops", i, "key")) for i, w in enumerate(seed.workshops))
    yield from unique(workshops, "duplicate-key", "key")
    for i, workshop in enumerate(seed.workshops):
        yield from _workshop_problems(workshop, ("workshops", i), seed, taxonomy)
    projects = ((p.key, ("projects", i, "key")) for i, p in enumerate(seed.projects))
    yield from unique(projects, "duplicate-key", "key")
    for i, project in enumerate(seed.projects):
        yield from _project_problems(project, ("projects", i), seed)


def parse_seed_content(
    text: str, *, file: str = SEED_FILE, themes: Taxonomy | None = None
) -> SeedContent:
    """The seed content in the text of a ``seed.yaml``, its theme codes checked against
    ``themes`` (the packaged taxonomy by default); :class:`FrameworkError` lists every problem.

    >>> from egov.errors import FrameworkError
    >>> text = packaged(SEED_FILE)
    >>> broken = text.replace("[seed-001-egb-2014]", "[seed-001]")
    >>> try:
    ...     parse_seed_content(broken, file="seed.yaml")
    ... except FrameworkError as error:
    ...     print(sorted({(issue.code, issue.value) for issue in error.issues}))
    [('unknown-document', 'seed-001')]
    """
    taxonomy = load_themes() if themes is None else themes
    return checked(SeedContent, text, file, lambda seed: _problems(seed, taxonomy))


@cache
def load_seed_content() -> SeedContent:
    """The packaged seed content, ``knowledge/seed.yaml``, checked against the packaged
    taxonomy; loaded once. The seed files it names are read by the platform, not here."""
    return parse_seed_content(packaged(SEED_FILE), file=SEED_FILE, themes=load_themes())
