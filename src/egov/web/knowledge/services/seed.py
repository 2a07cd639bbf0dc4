"""Load the seed content (``frameworks/knowledge/seed.yaml``) so a new installation is not empty.

What is loaded (spec ``knowledge-and-capacity.md`` §3, §4; the file's own comments say where
each value comes from):

- the four seed documents as published items, their body the text of their file in the seeds
  folder (``EGOV_SEEDS_DIR``), read at run time and never copied into the repository;
- the items written from them (cases, lessons, findings), published;
- the reference workshop with its sessions, objectives and expected outputs, and the items
  that deliver them;
- the technical cooperation projects with their milestones, workshops and items.

The file names no METER assessment (a 2013 METER workshop is not an assessment record of this
platform): an editor links a project to its country's assessments, and a load keeps those
links.

Each record keeps its ``seed_key``; the workshops and projects take it as their address name
(``slug``). Loading is idempotent: a record equal to the file is left alone (no revision, no
audit entry), one that differs is updated to the file, a missing one is created. The file is
the authority for what it holds: an editor's change to a seeded field is undone by the next
load, while a seeded item an editor withdrew stays withdrawn (only a new item is published).

The text of a seed document is kept as extracted, which is already Markdown (headings, lists,
emphasis): line ends are made plain, trailing blanks dropped, runs of blank lines made one,
and each run of tab-aligned lines (the slide tables) becomes a fenced ``text`` block with the
tabs expanded and inline tags removed, so the table stays readable as it was laid out.

A document, its derived items and the items it names as related are linked both ways
(``related``); ``derived_from`` is such a link. The writes carry no user: the trail shows the
system (no actor) with the note "seed content <version>". One transaction for the whole load.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.errors import Issue, ServiceError
from egov.frameworks.knowledge_schema import Project as SeedProject
from egov.frameworks.knowledge_schema import SeedContent, load_seed_content
from egov.frameworks.knowledge_schema import Workshop as SeedWorkshop
from egov.frameworks.knowledge_schema.seed import SeedDocument, SeedItem
from egov.web.datacenter.models import Country

from .. import taxonomy
from ..models import Item, ItemRevision, ItemStatus, Project, Workshop
from . import items as item_services
from . import projects as project_services
from . import workshops as workshop_services


@dataclass
class Counts:
    """What one kind of record went through in a load."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def text(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class SeedSummary:
    """The counts of a seed load, by kind of record."""

    version: str
    items: Counts = field(default_factory=Counts)
    workshops: Counts = field(default_factory=Counts)
    projects: Counts = field(default_factory=Counts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "items": self.items.as_dict(),
            "workshops": self.workshops.as_dict(),
            "projects": self.projects.as_dict(),
        }

    def line(self) -> str:
        """One line for the console."""
        return (
            f"Seed content {self.version}: items {self.items.text()}; "
            f"workshops {self.workshops.text()}; projects {self.projects.text()}"
        )


# The text of a seed document --------------------------------------------------------------------

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_BLANKS = re.compile(r"\n{3,}")


def document_body(text: str) -> str:
    """The Markdown body of a seed document from its extracted text (module docstring).

    >>> document_body("# Title\\r\\n\\r\\n\\r\\n\\r\\nText  \\nA\\t<b>B</b>\\nC\\tD\\n\\n")
    '# Title\\n\\nText\\n\\n```text\\nA       B\\nC       D\\n```'
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    table: list[str] = []

    def flush() -> None:
        if table:
            rows = [_TAG.sub("", row).expandtabs(8).rstrip() for row in table]
            out.extend(["", "```text", *rows, "```", ""])
            table.clear()

    for line in lines:
        if "\t" in line:
            table.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return _BLANKS.sub("\n\n", "\n".join(out)).strip()


def _bodies(content: SeedContent, seeds_dir: Path) -> dict[str, str]:
    """The body of every seed document; every missing or unreadable file is one issue."""
    issues: list[Issue] = []
    bodies: dict[str, str] = {}
    if not seeds_dir.is_dir():
        message = f"the seeds folder {seeds_dir} does not exist (set EGOV_SEEDS_DIR)"
        raise ServiceError(
            "seed-missing-file", message, [Issue("missing-folder", message, str(seeds_dir))]
        )
    for document in content.documents:
        path = seeds_dir / document.file
        try:
            bodies[document.key] = document_body(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            issues.append(
                Issue(
                    "missing-file",
                    f"seed document {document.file} not found in {seeds_dir} (EGOV_SEEDS_DIR)",
                    str(path),
                    None,
                    "file",
                    document.file,
                )
            )
        except (OSError, UnicodeDecodeError) as error:
            issues.append(
                Issue("unreadable-file", f"{document.file}: {error}", str(path), None, "file")
            )
    if issues:
        raise ServiceError("seed-missing-file", "; ".join(i.message for i in issues), issues)
    return bodies


# Inputs from the seed ---------------------------------------------------------------------------


def _workshop_input(entry: SeedWorkshop) -> workshop_services.WorkshopInput:
    return workshop_services.WorkshopInput(
        title=entry.title,
        year=entry.year,
        organisers=entry.organisers,
        partners=entry.partners,
        forum=entry.forum or "",
        start=entry.start,
        end=entry.end,
        place=entry.place or "",
        purpose=entry.purpose,
        elements=[f"{element.name}: {element.text}" for element in entry.elements],
        objectives=entry.objectives,
        format_kind=entry.format.kind if entry.format else "",
        chair=(entry.format.chair or "") if entry.format else "",
        facilitator=(entry.format.facilitator or "") if entry.format else "",
        participant_categories=entry.participant_categories,
        follow_up=entry.follow_up or "",
        status=entry.status,
        sessions=[
            workshop_services.SessionInput(s.order, s.title, s.emphasis, s.speakers)
            for s in entry.sessions
        ],
        expected_outputs=[
            # An output the seed names items for is delivered (as delivering makes it).
            workshop_services.OutputInput(
                o.order, o.text, o.target_types, "delivered" if o.delivered_items else o.status
            )
            for o in entry.expected_outputs
        ],
    )


def _project_input(
    entry: SeedProject, workshops: Mapping[str, Workshop], found: Project | None
) -> project_services.ProjectInput:
    """The project as the file has it. The file names no METER assessment: those an editor
    linked ``found`` to stay (the ones of the file's country)."""
    budget = entry.budget
    assessments = (
        ()
        if found is None
        else tuple(
            found.meter_assessments.filter(country__iso3=entry.country).values_list("pk", flat=True)
        )
    )
    return project_services.ProjectInput(
        country=entry.country,
        title=entry.title,
        purpose=entry.purpose,
        status=entry.status,
        start_year=entry.start_year,
        end_year=entry.end_year,
        accomplishments=entry.accomplishments or "",
        follow_up=entry.follow_up or "",
        partners=entry.partners,
        scope=entry.scope,
        outputs=entry.outputs,
        budget_amount=budget.amount if budget else None,
        budget_currency=budget.currency if budget else "",
        budget_per=budget.per if budget else "",
        budget_funded_by=(budget.funded_by or "") if budget else "",
        workshops=[workshops[key].slug for key in entry.workshops],
        meter_assessments=assessments,
        milestones=[
            project_services.MilestoneInput(m.date_or_period, m.label, m.status, m.starts_on)
            for m in entry.milestones
        ],
    )


def _links(content: SeedContent) -> dict[str, set[str]]:
    """Every item's related items, both ways: ``related`` and ``derived_from``."""
    links: dict[str, set[str]] = {entry.key: set() for entry in content.all_items()}
    for entry in content.all_items():
        named = set(entry.related)
        if isinstance(entry, SeedItem):
            named |= set(entry.derived_from)
        for other in named:
            links[entry.key].add(other)
            links[other].add(entry.key)
    return links


def _homes(content: SeedContent) -> tuple[dict[str, str], dict[str, str]]:
    """The workshop and the project of each item: its own, else the workshop of an output it
    delivers, the project that lists it."""
    workshops = {e.key: e.workshop for e in content.all_items() if e.workshop}
    projects = {e.key: e.project for e in content.all_items() if e.project}
    for workshop in content.workshops:
        for output in workshop.expected_outputs:
            for key in output.delivered_items:
                workshops.setdefault(key, workshop.key)
    for project in content.projects:
        for key in project.items:
            projects.setdefault(key, project.key)
    return workshops, projects


def _item_input(
    entry: SeedDocument | SeedItem,
    body: str,
    *,
    workshop: Workshop | None,
    project: Project | None,
    related: Iterable[str],
) -> item_services.ItemInput:
    return item_services.ItemInput(
        type=entry.type,
        title=entry.title,
        summary=entry.summary,
        body_md=body,
        countries=entry.countries,
        regions=entry.regions,
        themes=entry.themes,
        meter_tags=entry.meter_tags,
        stage_tags=entry.stage_tags,
        year=entry.year,
        language=entry.language,
        source_organisation=entry.source.organisation,
        source_url=entry.source.url or "",
        source_citation=entry.source.citation or "",
        licence=entry.licence or "",
        details=dict(entry.details),
        workshop=workshop.slug if workshop else None,
        session=entry.session,
        project=project.slug if project else None,
        related=sorted(related),
    )


def _comparable(data: item_services.ItemInput) -> dict[str, Any]:
    """An item input as a value that two equal items share (list order and blanks aside)."""
    values = {name: getattr(data, name) for name in item_services.ItemInput.__dataclass_fields__}
    for name in ("countries", "regions", "themes", "meter_tags", "stage_tags", "related"):
        values[name] = sorted(set(values[name]))
    values["countries"] = sorted({code.strip().upper() for code in values["countries"]})
    for name in (
        "title",
        "summary",
        "source_organisation",
        "source_url",
        "source_citation",
        "licence",
    ):
        values[name] = values[name].strip()
    return values


def _same_item(item: Item, data: item_services.ItemInput) -> bool:
    """Whether ``item`` already holds ``data`` (details as checked, and regions its countries
    bring left aside, as :func:`item_services.item_input` gives them)."""
    wanted = _comparable(data)
    details, problems = taxonomy.check_details(data.type, data.details)
    if not problems:
        wanted["details"] = details
    derived = set(
        Country.objects.filter(iso3__in=wanted["countries"]).values_list("region", flat=True)
    )
    wanted["regions"] = [region for region in wanted["regions"] if region not in derived]
    return _comparable(item_services.item_input(item)) == wanted


def _publish(item: Item, note: str) -> None:
    """Publish a new seed item without a user: the steps of ``item_transition`` as the system."""
    issues = item_services._publishable(item)
    if issues:
        raise ServiceError(
            "invalid-seed", f"{item.seed_key}: " + "; ".join(i.message for i in issues), issues
        )
    before = item_services.snapshot(item)
    item.status = ItemStatus.PUBLISHED
    item.updated_by = None
    item.updated_at = item.published_at = timezone.now()
    item.save(update_fields=["status", "updated_by", "updated_at", "published_at"])
    item_services._history(item, ItemRevision.Action.PUBLISHED, None, before, note)


# The load -------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def seed_load(*, seeds_dir: Path) -> SeedSummary:
    """Create or update the seed content; nothing is written when it is already loaded.

    The seed files are read first: a missing one stops the load before any write, with a
    :class:`ServiceError` naming every missing file.
    """
    content = load_seed_content()
    bodies = _bodies(content, seeds_dir)
    summary = SeedSummary(version=content.version)
    note = f"seed content {content.version}"
    created_workshops: set[str] = set()
    changed_workshops: set[str] = set()

    workshops: dict[str, Workshop] = {}
    for seed_workshop in content.workshops:
        data = _workshop_input(seed_workshop)
        found = Workshop.objects.filter(seed_key=seed_workshop.key).first()
        if found is None:
            workshops[seed_workshop.key] = workshop_services._workshop_create(
                data=data, actor=None, seed_key=seed_workshop.key, slug=seed_workshop.key
            )
            created_workshops.add(seed_workshop.key)
            continue
        workshops[seed_workshop.key], changed = workshop_services._workshop_update(
            workshop=found, data=data, actor=None, note=note
        )
        if changed:
            changed_workshops.add(seed_workshop.key)

    projects: dict[str, Project] = {}
    for seed_project in content.projects:
        found_project = Project.objects.filter(seed_key=seed_project.key).first()
        project_data = _project_input(seed_project, workshops, found_project)
        if found_project is None:
            projects[seed_project.key] = project_services._project_create(
                data=project_data, actor=None, seed_key=seed_project.key, slug=seed_project.key
            )
            summary.projects.created += 1
            continue
        projects[seed_project.key], changed = project_services._project_update(
            project=found_project, data=project_data, actor=None, note=note
        )
        summary.projects.updated += changed
        summary.projects.unchanged += not changed

    links = _links(content)
    homes, owners = _homes(content)
    items: dict[str, Item] = {
        i.seed_key: i for i in Item.objects.filter(seed_key__isnull=False) if i.seed_key
    }
    for entry in content.all_items():
        body = bodies[entry.key] if isinstance(entry, SeedDocument) else entry.body_md
        item_data = _item_input(
            entry,
            body,
            workshop=workshops.get(homes.get(entry.key, "")),
            project=projects.get(owners.get(entry.key, "")),
            related=[items[key].slug for key in links[entry.key] if key in items],
        )
        item = items.get(entry.key)
        if item is None:
            item = item_services._item_create(data=item_data, actor=None, seed_key=entry.key)
            _publish(item, note)
            items[entry.key] = item
            summary.items.created += 1
        elif _same_item(item, item_data):
            summary.items.unchanged += 1
        else:
            item_services._item_update(item=item, data=item_data, actor=None, note=note)
            summary.items.updated += 1

    for seed_workshop in content.workshops:
        workshop = workshops[seed_workshop.key]
        outputs = {output.order: output for output in workshop.expected_outputs.all()}
        for seed_output in seed_workshop.expected_outputs:
            for key in seed_output.delivered_items:
                if workshop_services._deliver(
                    output=outputs[seed_output.order], item=items[key], actor=None, note=note
                ):
                    changed_workshops.add(seed_workshop.key)
    summary.workshops.created = len(created_workshops)
    summary.workshops.updated = len(changed_workshops - created_workshops)
    summary.workshops.unchanged = len(content.workshops) - len(
        created_workshops | changed_workshops
    )
    return summary


__all__ = ["Counts", "SeedSummary", "document_body", "seed_load"]
