"""The seed content ``egov setup`` loads: the spec's cooperation projects with their statuses and
text verbatim, Colombia's centre with its scope and funder, the aide-memoire's workshop with its
format, the four seed documents and the cases as published items; a second load changes
nothing and keeps the METER assessments an editor linked, a changed file updates only what
changed, and a missing seed document stops the load before any write."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from tests.fixtures.meter_assessments import meter_assessment
from tests.fixtures.spec_projects import STATUSES, TABLE

from egov.config import seeds_dir
from egov.errors import ServiceError
from egov.frameworks.knowledge_schema import load_seed_content
from egov.web.accounts.models import AuditEntry
from egov.web.accounts.roles import Role
from egov.web.knowledge.models import (
    ExpectedOutput,
    Item,
    ItemRevision,
    ItemStatus,
    ItemTag,
    Milestone,
    Project,
    Workshop,
    WorkshopParticipant,
    WorkshopSession,
)
from egov.web.knowledge.services import projects as project_services
from egov.web.knowledge.services import seed
from egov.web.knowledge.services.seed import SeedSummary, document_body, seed_load

pytestmark = pytest.mark.django_db


SEED_DOCUMENTS = {
    # seed key: (file, type, year, countries, themes)
    "seed-001-egb-2014": (
        "001_c974363c16fdea95.txt",
        "presentation",
        2014,
        ["ARE", "BHR", "BHS", "BRN", "COL", "CRI", "PAN", "QAT", "SAU"],
        ["assessment", "capacity_building", "e_government", "planning_and_design"],
    ),
    "seed-002-policy-to-practice-aide-memoire": (
        "002_8bc36c505de317d2.txt",
        "workshop_output",
        2012,
        [],
        [
            "assessment",
            "capacity_building",
            "implementation",
            "planning_and_design",
            "service_delivery",
        ],
    ),
    "seed-003-cepa-working-group": (
        "003_8d0d75d1b86222fb.txt",
        "presentation",
        None,
        [],
        ["assessment", "capacity_building"],
    ),
    "seed-004-unpog-e-governance-2012": (
        "004_bf968d67cddcb9ff.txt",
        "presentation",
        2012,
        ["AFG", "KAZ", "KOR"],
        [
            "assessment",
            "capacity_building",
            "intersectoral_governance",
            "oss_and_open_standards",
            "open_data",
            "smart_government",
        ],
    ),
}

CASES = [
    "korea-path-to-smart-government",
    "korea-unpsa-2012",
    "kazakhstan-egov-roadmap",
    "colombia-egov-innovation-centre",
    "afghanistan-cio-training",
]


@pytest.fixture
def seeded(countries: None) -> SeedSummary:
    return seed_load(seeds_dir=seeds_dir())


def _tags(item: Item, kind: str) -> list[str]:
    return sorted(item.tags.filter(kind=kind).values_list("code", flat=True))


def _state() -> dict[str, list[tuple[object, ...]]]:
    """Every row the load writes, to compare a database before and after."""
    models = (
        Item,
        ItemTag,
        ItemRevision,
        AuditEntry,
        Workshop,
        WorkshopSession,
        WorkshopParticipant,
        ExpectedOutput,
        Project,
        Milestone,
    )
    state = {model.__name__: list(model.objects.order_by("pk").values_list()) for model in models}
    for through in (
        Item.related.through,
        ExpectedOutput.delivered_items.through,
        Project.workshops.through,
        Project.meter_assessments.through,
    ):
        state[through.__name__] = list(through.objects.order_by("pk").values_list())
    return state


def test_the_seed_loads_every_record_once(seeded: SeedSummary) -> None:
    content = load_seed_content()

    assert seeded.as_dict() == {
        "version": content.version,
        "items": {"created": len(content.all_items()), "updated": 0, "unchanged": 0},
        "workshops": {"created": 1, "updated": 0, "unchanged": 0},
        "projects": {"created": 11, "updated": 0, "unchanged": 0},
    }
    assert Item.objects.count() == len(content.all_items())
    assert not Item.objects.exclude(status=ItemStatus.PUBLISHED).exists()
    assert not Item.objects.filter(seed_key__isnull=True).exists()
    assert seeded.line().startswith(f"Seed content {content.version}: items ")


def test_the_cooperation_table_is_loaded_with_its_statuses_and_text_verbatim(
    seeded: SeedSummary,
) -> None:
    rows = list(csv.DictReader(io.StringIO(TABLE)))
    table = Project.objects.filter(seed_key__endswith="-2013-2014").select_related("country")

    loaded = {
        p.country.iso3: (
            p.purpose,
            p.accomplishments,
            p.follow_up,
            p.status,
            p.start_year,
            p.end_year,
        )
        for p in table
    }
    assert loaded == {
        row["iso3"]: (
            row["purpose"],
            row["accomplishments"],
            row["follow_up"],
            STATUSES[row["iso3"]],
            2013,
            2014,
        )
        for row in rows
    }


def test_colombias_centre_and_the_afghan_training_are_loaded(seeded: SeedSummary) -> None:
    centre = Project.objects.get(seed_key="col-egov-innovation-centre")
    training = Project.objects.get(seed_key="afg-cio-training")

    assert (centre.country.iso3, centre.status, centre.start_year) == ("COL", "implementing", 2014)
    assert centre.partners == ["UN DESA", "MINTIC Colombia", "UNDP"]
    assert (str(centre.budget_amount), centre.budget_currency, centre.budget_per) == (
        "800000.00",
        "USD",
        "year",
    )
    assert centre.budget_funded_by == "MINTIC"
    assert centre.scope == ["local", "national", "regional", "international"]
    assert not centre.meter_assessments.exists()
    assert len(centre.outputs) == 3
    assert list(centre.items.values_list("seed_key", flat=True)) == [
        "colombia-egov-innovation-centre"
    ]

    assert (training.country.iso3, training.status, training.start_year, training.end_year) == (
        "AFG",
        "formulation",
        2012,
        2013,
    )
    assert list(training.milestones.values_list("when", "status")) == [
        ("Nov–Dec 2012", "planned"),
        ("Dec 2012", "planned"),
        ("First half of 2013", "planned"),
        ("Dec 2013", "planned"),
    ]
    assert list(training.items.values_list("seed_key", flat=True)) == ["afghanistan-cio-training"]


def test_the_workshop_has_its_sessions_and_expected_outputs(seeded: SeedSummary) -> None:
    workshop = Workshop.objects.get(seed_key="egov-policy-to-practice-2012")

    assert workshop.slug == "egov-policy-to-practice-2012"
    assert (workshop.title, workshop.year, str(workshop.start)) == (
        "E-Government: From Policy to Practice",
        2012,
        "2012-06-27",
    )
    assert list(workshop.sessions.values_list("order", flat=True)) == [0, 1, 2, 3]
    assert workshop.sessions.get(order=0).title.startswith("Opening Session")
    assert len(workshop.objectives) == 6
    assert workshop.format_kind == "roundtable"
    assert workshop.chair.startswith("A Chairperson keeps the overall flow")
    assert len(workshop.participant_categories) == 5
    outputs = list(workshop.expected_outputs.all())
    assert [o.order for o in outputs] == [1, 2, 3, 4, 5]
    assert [o.status for o in outputs] == ["planned", "delivered", "planned", "planned", "planned"]
    delivered = sorted(outputs[1].delivered_items.values_list("seed_key", flat=True))
    assert delivered == ["korea-unpsa-2012", "survey-2012-findings"]
    # Each delivering item is linked back to the workshop.
    assert set(
        Item.objects.filter(delivers__workshop=workshop).values_list("workshop", flat=True)
    ) == {workshop.pk}
    aide_memoire = Item.objects.get(seed_key="seed-002-policy-to-practice-aide-memoire")
    assert aide_memoire.workshop == workshop


def test_the_four_seed_documents_are_items_with_their_text(seeded: SeedSummary) -> None:
    for key, (file, kind, year, countries, themes) in SEED_DOCUMENTS.items():
        item = Item.objects.get(seed_key=key)
        assert (item.type, item.year, item.status) == (kind, year, ItemStatus.PUBLISHED)
        assert _tags(item, "country") == countries
        assert _tags(item, "theme") == sorted(themes)
        assert item.body_md == document_body((seeds_dir() / file).read_text(encoding="utf-8"))
        assert item.revisions.filter(action="published", actor=None).count() == 1

    aide_memoire = Item.objects.get(seed_key="seed-002-policy-to-practice-aide-memoire")
    assert "The purpose of the workshop is to improve the capacity of governments" in (
        aide_memoire.body_md
    )
    unpog = Item.objects.get(seed_key="seed-004-unpog-e-governance-2012").body_md
    # The actor matrix of the slide, tab-aligned in the file, is a preformatted block.
    block = unpog.split("```text\n", 1)[1].split("\n```", 1)[0]
    assert "Decision-Making Stages at the national level" in block
    assert "\t" not in unpog


def test_the_cases_are_published_items_of_their_own(seeded: SeedSummary) -> None:
    for key in CASES:
        item = Item.objects.get(seed_key=key)
        assert item.status == ItemStatus.PUBLISHED
        assert item.summary
        assert item.published_at is not None
    korea = Item.objects.get(seed_key="korea-path-to-smart-government")
    assert korea.type == "case_study"
    assert _tags(korea, "country") == ["KOR"]
    related = set(korea.related.values_list("seed_key", flat=True))
    # Its own related items, and the seed document it is derived from (both ways).
    assert {
        "korea-unpsa-2012",
        "four-stages-of-online-service",
        "seed-004-unpog-e-governance-2012",
    } <= related
    document = Item.objects.get(seed_key="seed-004-unpog-e-governance-2012")
    assert korea in document.related.all()
    colombia = Item.objects.get(seed_key="colombia-egov-innovation-centre")
    assert colombia.project is not None
    assert colombia.project.seed_key == "col-egov-innovation-centre"


def test_a_second_load_changes_nothing(seeded: SeedSummary) -> None:
    before = _state()

    again = seed_load(seeds_dir=seeds_dir())

    content = load_seed_content()
    assert again.as_dict() == {
        "version": content.version,
        "items": {"created": 0, "updated": 0, "unchanged": len(content.all_items())},
        "workshops": {"created": 0, "updated": 0, "unchanged": 1},
        "projects": {"created": 0, "updated": 0, "unchanged": 11},
    }
    assert _state() == before


def test_a_load_keeps_the_meter_assessments_an_editor_linked(
    seeded: SeedSummary, accounts: dict[Role, User]
) -> None:
    costa_rica = Project.objects.get(seed_key="tc-cri-2013-2014")
    assessment = meter_assessment(accounts[Role.CONTRIBUTOR], "CRI", "Costa Rica 2026")
    data = project_services.project_input(costa_rica)
    project_services.project_update(
        project=costa_rica,
        data=replace(data, meter_assessments=[assessment.pk]),
        actor=accounts[Role.EDITOR],
    )
    before = _state()

    again = seed_load(seeds_dir=seeds_dir())

    assert again.projects.as_dict() == {"created": 0, "updated": 0, "unchanged": 11}
    assert list(costa_rica.meter_assessments.all()) == [assessment]
    assert _state() == before


def test_a_project_loaded_before_its_scope_and_funder_had_fields_gets_them_once(
    seeded: SeedSummary,
) -> None:
    # As an installation seeded before migration 0004 stands: the fields empty.
    Project.objects.filter(seed_key="col-egov-innovation-centre").update(
        scope=[], budget_funded_by=""
    )
    Workshop.objects.filter(seed_key="egov-policy-to-practice-2012").update(format_kind="")

    first = seed_load(seeds_dir=seeds_dir())
    second = seed_load(seeds_dir=seeds_dir())

    assert (first.projects.updated, first.workshops.updated) == (1, 1)
    centre = Project.objects.get(seed_key="col-egov-innovation-centre")
    assert (centre.scope, centre.budget_funded_by) == (
        ["local", "national", "regional", "international"],
        "MINTIC",
    )
    entry = AuditEntry.objects.filter(action="project.update").get()
    assert sorted(name for name, _before, _after in entry.changes) == [
        "budget_funded_by",
        "scope",
    ]
    assert entry.note == f"seed content {load_seed_content().version}"
    assert (second.projects.updated, second.workshops.updated) == (0, 0)


def test_a_changed_seed_file_updates_only_what_changed(
    seeded: SeedSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = load_seed_content()
    qatar = next(p for p in content.projects if p.key == "tc-qat-2013-2014")
    korea = content.item("korea-unpsa-2012")
    changed = content.model_copy(
        update={
            "projects": tuple(
                p.model_copy(update={"status": "completed"}) if p is qatar else p
                for p in content.projects
            ),
            "items": tuple(
                i.model_copy(update={"title": "Korea: three UN Public Service Awards in 2012"})
                if i is korea
                else i
                for i in content.items
            ),
        }
    )
    monkeypatch.setattr(seed, "load_seed_content", lambda: changed)
    audit = AuditEntry.objects.count()

    summary = seed_load(seeds_dir=seeds_dir())

    assert summary.projects.as_dict() == {"created": 0, "updated": 1, "unchanged": 10}
    assert summary.items.as_dict() == {
        "created": 0,
        "updated": 1,
        "unchanged": len(content.all_items()) - 1,
    }
    assert Project.objects.get(seed_key="tc-qat-2013-2014").status == "completed"
    item = Item.objects.get(seed_key="korea-unpsa-2012")
    assert item.title == "Korea: three UN Public Service Awards in 2012"
    assert item.status == ItemStatus.PUBLISHED
    assert item.revisions.order_by("-number").first().action == "edited"  # type: ignore[union-attr]
    assert AuditEntry.objects.count() == audit + 2


@pytest.fixture
def three_of_four(tmp_path: Path) -> Path:
    for document in load_seed_content().documents[1:]:
        shutil.copy(seeds_dir() / document.file, tmp_path / document.file)
    return tmp_path


def test_a_missing_seed_document_stops_the_load_and_names_the_file(
    countries: None, three_of_four: Path
) -> None:
    with pytest.raises(ServiceError) as caught:
        seed_load(seeds_dir=three_of_four)

    [issue] = caught.value.issues
    assert (issue.code, issue.field, issue.value) == (
        "missing-file",
        "file",
        "001_c974363c16fdea95.txt",
    )
    assert "001_c974363c16fdea95.txt" in str(caught.value)
    assert not Item.objects.exists()
    assert not Workshop.objects.exists()
    assert not Project.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_load_failing_midway_writes_nothing(
    countries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = load_seed_content()
    broken = content.model_copy(
        update={
            "projects": (
                *content.projects,
                content.projects[0].model_copy(update={"key": "tc-atl", "country": "ATL"}),
            )
        }
    )
    monkeypatch.setattr(seed, "load_seed_content", lambda: broken)
    before = _state()

    # The workshop and the first projects are written before the unknown country is met.
    with pytest.raises(ServiceError) as caught:
        seed_load(seeds_dir=seeds_dir())

    assert caught.value.code == "invalid-project"
    assert _state() == before
    assert connection.in_atomic_block is False


def test_egov_setup_loads_the_seed_and_says_so_in_one_line(tmp_path: Path) -> None:
    from tests.test_cli import egov

    database = tmp_path / "seeded.sqlite3"
    content = load_seed_content()
    items = len(content.all_items())

    first = egov("setup", database=database)
    second = egov("setup", database=database)

    assert first.returncode == 0, first.stderr
    assert (
        f"Seed content {content.version}: items {items} created, 0 updated, 0 unchanged; "
        "workshops 1 created, 0 updated, 0 unchanged; projects 11 created, 0 updated, "
        "0 unchanged"
    ) in first.stdout
    assert second.returncode == 0, second.stderr
    assert f"items 0 created, 0 updated, {items} unchanged" in second.stdout


def test_egov_setup_without_the_seeds_folder_exits_1_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_cli import egov

    missing = tmp_path / "no-seeds"
    monkeypatch.setenv("EGOV_SEEDS_DIR", str(missing))

    result = egov("setup", database=tmp_path / "unseeded.sqlite3")

    assert result.returncode == 1
    assert str(missing) in result.stderr
