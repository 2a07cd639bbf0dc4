from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError
from tests.fixtures.spec_projects import STATUSES, TABLE

from egov.config import data_dir, seeds_dir
from egov.data.countries import CountryRegistry
from egov.errors import FrameworkError
from egov.frameworks.knowledge_schema import (
    DETAILS_MODELS,
    ITEM_TYPES,
    STAGES,
    IsgCycle,
    SeedContent,
    SeedItem,
    Taxonomy,
    actor_progress,
    can_start,
    load_cycle,
    load_seed_content,
    load_themes,
    parse_cycle,
    parse_seed_content,
    parse_themes,
    programme_progress,
    validate_details,
)
from egov.frameworks.meter_schema import load_meter
from egov.frameworks.yamldoc import packaged

MALFORMED = Path(__file__).parent / "malformed" / "knowledge"


#: Spec §6.1.
PHASES = {
    "I": ("Exposing a problem", (1, 2, 3, 4)),
    "II": ("Working out a program", (5, 6, 7, 8)),
    "III": ("Realizing a program", (9, 10)),
}
STEPS = {
    1: "Identification/exposure of a problem",
    2: "Formation of a special intersectoral commission",
    3: "Formulation of major objectives",
    4: "Designation of a responsible agency",
    5: "Working out a program",
    6: "Development of a program",
    7: "Assessment of a program",
    8: "Issuance of a document",
    9: "Implementation of a program",
    10: "Review of results",
}
#: Spec §6.2, the actor × step matrix as drawn (● = takes part).
MATRIX_6_2 = """\
government    | higher_governing_bodies | ● |   | ● | ● |   |   |   | ● |   | ●
government    | ministries_agencies     | ● | ● | ● |   | ● | ● | ● |   | ● | ●
government    | local_governing_bodies  | ● | ● | ● |   | ● | ● | ● |   | ● | ●
business      | business                | ● |   | ● |   | ● |   |   |   | ● |
civil_society | civil_society           | ● |   | ● |   | ● |   |   |   | ● |
"""

#: Spec §2.2: e-government's sub-themes; §6.4: the ISG tags.
E_GOVERNMENT = (
    "assessment",
    "planning_and_design",
    "implementation",
    "service_delivery",
    "open_data",
    "e_participation",
    "m_government",
    "smart_government",
    "oss_and_open_standards",
    "capacity_building",
)
ISG_TAGS = (
    "isg_concept",
    "legal_and_regulatory_review",
    "market_incentives",
    "public_private_partnerships",
    "social_service_provision",
    "ngo_capacity_building",
    "crisis_response",
    "e_governance_model",
)

#: The items the seed must hold (brief), with their types.
REQUIRED_ITEMS = {
    "korea-path-to-smart-government": "case_study",
    "korea-unpsa-2012": "case_study",
    "kazakhstan-egov-roadmap": "case_study",
    "colombia-egov-innovation-centre": "case_study",
    "afghanistan-cio-training": "training_material",
    "survey-2012-findings": "analytical_paper",
    "survey-2014-findings": "analytical_paper",
    "cepa-lessons-meter-unpacs": "lesson_learned",
    "oss-and-open-standards": "good_practice",
    "four-stages-of-online-service": "analytical_paper",
    "isg-concept": "analytical_paper",
}

Where = tuple[int | None, str | None, str]

#: file → [(line, path, code)] of the issues it must raise, in order. The prefix names the
#: kind of file: themes-, cycle- or seed-.
MALFORMED_FILES: dict[str, list[Where]] = {
    "themes-bad-code.yaml": [(8, "themes[1].code", "bad-code")],
    "themes-duplicate-code.yaml": [(14, "themes[1].children[1].code", "duplicate-code")],
    "themes-duplicate-numeral.yaml": [(9, "themes[1].numeral", "duplicate-numeral")],
    "cycle-steps-order.yaml": [(16, "actors.ministries_agencies.steps", "steps-order")],
    "cycle-unknown-sector.yaml": [(17, "actors.business.sector", "unknown-sector")],
    "cycle-unknown-step.yaml": [(17, "actors.business.steps[1]", "unknown-step")],
    "cycle-unphased-step.yaml": [(10, "steps.2", "unphased-step")],
    "seed-attachment-required.yaml": [(12, "items[0].type", "attachment-required")],
    "seed-bad-iso3.yaml": [(16, "items[0].countries[0]", "bad-iso3")],
    "seed-bad-meter-tag.yaml": [(18, "items[0].meter_tags[0]", "bad-meter-tag")],
    "seed-conflicting-project.yaml": [(41, "projects[0].items[0]", "conflicting-project")],
    "seed-details-forbidden.yaml": [(22, "items[0].details.award_year", "extra-forbidden")],
    "seed-duplicate-key.yaml": [(23, "items[1].key", "duplicate-key")],
    "seed-format-kind-too-long.yaml": [(17, "workshops[0].format.kind", "string-too-long")],
    "seed-missing-workshop.yaml": [(11, "items[0].workshop", "missing-workshop")],
    "seed-summary-too-long.yaml": [(14, "items[0].summary", "string-too-long")],
    "seed-type-mismatch.yaml": [
        (32, "workshops[0].expected_outputs[0].delivered_items[0]", "type-mismatch")
    ],
    "seed-unknown-document.yaml": [(21, "items[0].derived_from[0]", "unknown-document")],
    "seed-unknown-session.yaml": [(24, "items[0].session", "unknown-session")],
    "seed-unknown-stage.yaml": [(19, "items[0].stage_tags[0]", "unknown-stage")],
    "seed-unknown-theme.yaml": [(17, "items[0].themes[0]", "unknown-theme")],
    "seed-unknown-type.yaml": [(12, "items[0].type", "unknown-type")],
}
PARSERS = {"themes": parse_themes, "cycle": parse_cycle, "seed": parse_seed_content}


@pytest.fixture(scope="module")
def themes() -> Taxonomy:
    return load_themes()


@pytest.fixture(scope="module")
def cycle() -> IsgCycle:
    return load_cycle()


@pytest.fixture(scope="module")
def seed() -> SeedContent:
    return load_seed_content()


def _where(error: FrameworkError) -> list[Where]:
    return [(issue.row, issue.field, issue.code) for issue in error.issues]


def test_the_packaged_files_load_frozen_and_cached(
    themes: Taxonomy, cycle: IsgCycle, seed: SeedContent
) -> None:
    assert load_themes() is themes
    assert load_cycle() is cycle
    assert load_seed_content() is seed
    assert seed.version == "seed-1"
    with pytest.raises(ValidationError):
        seed.version = "seed-2"


def test_the_schema_imports_without_django() -> None:
    src = "import sys, egov.frameworks.knowledge_schema\nprint('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- themes ---------------------------------------------------------------------------------


def test_the_top_level_is_the_unpacs_themes_then_the_isg_group(themes: Taxonomy) -> None:
    assert [(theme.numeral, theme.code) for theme in themes.themes] == [
        ("I", "public_institutions"),
        ("II", "e_government"),
        ("III", "citizen_engagement"),
        ("IV", "open_government"),
        (None, "intersectoral_governance"),
    ]
    assert "e-parliament data" in themes.theme("public_institutions").description
    assert "information and privacy commissioners" in themes.theme("open_government").description


def test_the_second_level_follows_spec_2_2_and_6_4(themes: Taxonomy) -> None:
    children = {top.code: tuple(child.code for child in top.children) for top in themes.themes}
    assert children["e_government"] == E_GOVERNMENT
    assert children["intersectoral_governance"] == ISG_TAGS
    assert children["public_institutions"] == children["open_government"] == ()
    implementation = themes.theme("implementation").description
    for part in ("coordinating authority", "whole-of-government", "privacy and security"):
        assert part in implementation
    assert themes.parent_of("crisis_response") == "intersectoral_governance"
    with pytest.raises(KeyError, match="smart_city"):
        themes.parent_of("smart_city")


# --- the ISG cycle --------------------------------------------------------------------------


def test_phases_and_steps_follow_spec_6_1(cycle: IsgCycle) -> None:
    assert {phase.id: (phase.name, phase.steps) for phase in cycle.phases} == PHASES
    assert cycle.steps == STEPS
    assert [cycle.phase_of(step).id for step in STEPS] == ["I"] * 4 + ["II"] * 4 + ["III"] * 2


def test_the_actor_matrix_equals_spec_6_2_cell_by_cell(cycle: IsgCycle) -> None:
    rows = [line.split("|") for line in MATRIX_6_2.splitlines()]
    assert list(cycle.actors) == [row[1].strip() for row in rows]
    for sector, actor, *cells in rows:
        assert cycle.actors[actor.strip()].sector == sector.strip()
        assert len(cells) == 10
        for step, cell in enumerate(cells, start=1):
            takes_part = cell.strip() == "●"
            assert (actor.strip() in cycle.actors_for(step)) is takes_part, (actor, step)
            assert (step in cycle.steps_for(actor.strip())) is takes_part, (actor, step)


def test_actor_labels_keep_the_seed_wording(cycle: IsgCycle) -> None:
    assert {actor: spec.as_in_seed for actor, spec in cycle.actors.items()} == {
        "higher_governing_bodies": "Higher governing bodies (President Parliament etc.)",
        "ministries_agencies": "Ministries/ Agencies",
        "local_governing_bodies": "Local (provincial) governing bodies",
        "business": "Large, Small & Medium Business",
        "civil_society": "CSOs (NGOs, unions, public chambers etc.)",
    }
    assert set(cycle.sectors) == {"government", "business", "civil_society"}


def test_the_reading_of_the_matrix_in_spec_6_2_holds(cycle: IsgCycle) -> None:
    everyone = tuple(cycle.actors)
    assert cycle.actors_for(1) == cycle.actors_for(3) == everyone
    assert cycle.steps_for("business") == cycle.steps_for("civil_society") == (1, 3, 5, 9)
    assert cycle.actors_for(4) == cycle.actors_for(8) == ("higher_governing_bodies",)
    assert {cycle.actors[actor].sector for actor in cycle.actors_for(10)} == {"government"}


def test_programme_progress_is_completed_steps_over_ten(cycle: IsgCycle) -> None:
    assert [programme_progress(range(1, n + 1), cycle=cycle) for n in (0, 1, 5, 10)] == [
        0.0,
        0.1,
        0.5,
        1.0,
    ]
    assert programme_progress([1, 1, 2], cycle=cycle) == 0.2
    with pytest.raises(KeyError, match="no step 11"):
        programme_progress([1, 11], cycle=cycle)


def test_actor_progress_counts_the_steps_the_matrix_assigns(cycle: IsgCycle) -> None:
    first_phase = [1, 2, 3, 4]
    assert actor_progress("higher_governing_bodies", first_phase, cycle=cycle) == 3 / 5
    assert actor_progress("ministries_agencies", first_phase, cycle=cycle) == 3 / 8
    assert actor_progress("civil_society", first_phase, cycle=cycle) == 2 / 4
    for actor in cycle.actors:
        assert actor_progress(actor, [], cycle=cycle) == 0.0
        assert actor_progress(actor, range(1, 11), cycle=cycle) == 1.0
    with pytest.raises(KeyError, match="no actor 'press'"):
        actor_progress("press", first_phase, cycle=cycle)


def test_actor_progress_with_records_counts_only_recorded_matrix_steps(cycle: IsgCycle) -> None:
    # Business recorded in step 2 (outside its row: flagged, never counted) and step 3.
    records = {1: ["ministries_agencies"], 2: ["business"], 3: ["business", "civil_society"]}
    assert actor_progress("business", [1, 2, 3], cycle=cycle, participation=records) == 1 / 4
    assert cycle.outside_matrix(2, records[2]) == ("business",)
    assert cycle.outside_matrix(3, records[3]) == ()
    assert actor_progress("civil_society", [1, 2, 3], cycle=cycle, participation=records) == 1 / 4


def test_a_step_starts_only_after_the_previous_one_and_ten_loops_to_one(cycle: IsgCycle) -> None:
    done: list[int] = []
    for step in STEPS:
        assert [s for s in STEPS if can_start(s, done, cycle=cycle)] == [step]
        done.append(step)
    assert can_start(1, done, cycle=cycle)  # a new cycle
    assert not can_start(3, [1], cycle=cycle)
    with pytest.raises(KeyError):
        can_start(0, [], cycle=cycle)


# --- the seed content -----------------------------------------------------------------------


def test_the_four_seed_documents_are_items_of_the_right_type(seed: SeedContent) -> None:
    assert [(d.file, d.type, d.year) for d in seed.documents] == [
        ("001_c974363c16fdea95.txt", "presentation", 2014),
        ("002_8bc36c505de317d2.txt", "workshop_output", 2012),
        ("003_8d0d75d1b86222fb.txt", "presentation", None),
        ("004_bf968d67cddcb9ff.txt", "presentation", 2012),
    ]
    aide_memoire = seed.documents[1]
    assert aide_memoire.workshop == "egov-policy-to-practice-2012"
    assert aide_memoire.details == {"output_kind": "aide_memoire"}


def test_every_seed_file_named_is_in_the_seeds_folder(seed: SeedContent) -> None:
    folder = seeds_dir()
    assert folder.is_dir(), f"EGOV_SEEDS_DIR {folder} does not exist"
    assert [(folder / d.file).is_file() for d in seed.documents] == [True] * 4


def test_the_items_the_seeds_hold_are_there(seed: SeedContent) -> None:
    kinds = {item.key: item.type for item in seed.items}
    assert {key: kinds.get(key) for key in REQUIRED_ITEMS} == REQUIRED_ITEMS
    assert {item.type for item in seed.all_items()} <= set(ITEM_TYPES)
    assert all(isinstance(item, SeedItem) and item.derived_from for item in seed.items)
    cepa = seed.item("cepa-lessons-meter-unpacs")
    assert (cepa.source.organisation, cepa.meter_tags) == ("CEPA", ("C", "L", "P", "O", "T", "M"))
    unpsa = validate_details("case_study", seed.item("korea-unpsa-2012").details)[0]
    assert [(award["year"], award["placing"][:3]) for award in unpsa["award"]] == [
        (2012, "1st"),
        (2012, "2nd"),
        (2012, "2nd"),
    ]
    assert seed.item("four-stages-of-online-service").stage_tags == STAGES


def test_every_item_passes_the_platform_details_check(seed: SeedContent) -> None:
    for item in seed.all_items():
        cleaned, problems = validate_details(item.type, item.details)
        assert problems == (), item.key
        assert cleaned or item.type == "presentation", item.key


def test_summaries_fit_600_characters(seed: SeedContent) -> None:
    assert max(len(item.summary) for item in seed.all_items()) <= 600


def test_meter_tags_are_known_to_the_current_meter_framework(seed: SeedContent) -> None:
    framework = load_meter()
    tags = {tag for item in seed.all_items() for tag in item.meter_tags}
    tags |= {
        tag
        for item in seed.all_items()
        for tag in validate_details(item.type, item.details)[0].get("applies_to", ())
    }
    assert {tag for tag in tags if not framework.is_known_tag(tag)} == set()


def test_countries_are_member_states(seed: SeedContent) -> None:
    registry = CountryRegistry.load(data_dir())
    used = {c for item in seed.all_items() for c in item.countries}
    used |= {project.country for project in seed.projects}
    assert used <= registry.member_codes


def test_figures_in_items_come_from_their_seed_documents(seed: SeedContent) -> None:
    """Every number of three or more digits, or with a decimal point, that an item writes
    appears in one of the documents it is derived from."""
    folder = seeds_dir()
    files = {document.key: folder / document.file for document in seed.documents}
    for item in seed.items:
        sources = " ".join(files[key].read_text(encoding="utf-8") for key in item.derived_from)
        text = " ".join((item.title, item.summary, item.body_md, str(item.details)))
        figures = set(re.findall(r"\d+\.\d+|\d{3,}", text))
        assert {figure for figure in figures if figure not in sources} == set(), item.key


def test_the_2013_2014_table_is_there_verbatim_with_the_spec_statuses(seed: SeedContent) -> None:
    table = [project for project in seed.projects if project.key.startswith("tc-")]
    rows = list(csv.DictReader(io.StringIO(TABLE)))
    assert len(table) == len(rows) == 9
    assert [
        {
            "country": p.country_name,
            "iso3": p.country,
            "purpose": p.purpose,
            "accomplishments": p.accomplishments,
            "follow_up": p.follow_up,
        }
        for p in table
    ] == rows
    assert {p.country: p.status for p in table} == STATUSES
    assert {(p.start_year, p.end_year) for p in table} == {(2013, 2014)}


def test_colombia_centre_and_afghanistan_cooperation_follow_spec_4(seed: SeedContent) -> None:
    centre = seed.project("col-egov-innovation-centre")
    assert centre.partners == ("UN DESA", "MINTIC Colombia", "UNDP")
    assert centre.budget is not None
    assert (centre.budget.amount, centre.budget.currency, centre.budget.per) == (
        Decimal(800000),
        "USD",
        "year",
    )
    assert any("observatory" in output for output in centre.outputs)
    afghanistan = seed.project("afg-cio-training")
    assert [(m.date_or_period, m.starts_on, m.status) for m in afghanistan.milestones] == [
        ("Nov–Dec 2012", date(2012, 11, 1), "planned"),
        ("Dec 2012", date(2012, 12, 1), "planned"),
        ("First half of 2013", date(2013, 1, 1), "planned"),
        ("Dec 2013", date(2013, 12, 1), "planned"),
    ]
    assert afghanistan.items == ("afghanistan-cio-training",)
    assert seed.item("afghanistan-cio-training").project == "afg-cio-training"


def test_the_reference_workshop_is_complete(seed: SeedContent) -> None:
    workshop = seed.workshop("egov-policy-to-practice-2012")
    assert workshop.title == "E-Government: From Policy to Practice"
    assert (workshop.year, workshop.start, workshop.end) == (
        2012,
        date(2012, 6, 27),
        date(2012, 6, 27),
    )
    assert workshop.place is None
    assert [element.theme for element in workshop.elements] == list(E_GOVERNMENT[:4])
    assert len(workshop.objectives) == 6
    assert [session.order for session in workshop.sessions] == [0, 1, 2, 3]
    assert "Survey 2012" in workshop.sessions[0].title
    assert len(workshop.participant_categories) == 5
    assert workshop.format is not None
    assert workshop.format.kind == "roundtable"
    assert [output.order for output in workshop.expected_outputs] == [1, 2, 3, 4, 5]
    assert {output.status for output in workshop.expected_outputs} == {"planned"}
    assert workshop.expected_outputs[1].delivered_items == (
        "survey-2012-findings",
        "korea-unpsa-2012",
    )
    assert workshop.follow_up is not None
    assert "Ministerial Roundtable" in workshop.follow_up


# --- details, as the platform checks them ----------------------------------------------------


def test_every_type_has_a_details_model() -> None:
    assert tuple(DETAILS_MODELS) == ITEM_TYPES


def test_details_from_a_form_are_cleaned_to_json_values() -> None:
    assert validate_details(
        "training_material", {"audience": ["cio"], "format": "course", "duration_hours": "2.5"}
    ) == ({"audience": ["cio"], "format": "course", "duration_hours": 2.5}, ())
    assert validate_details(
        "policy_or_strategy",
        {"document_kind": "law", "adopted_on": "2013-05-01", "in_force": "yes"},
    ) == ({"document_kind": "law", "adopted_on": "2013-05-01", "in_force": True}, ())
    one_award = {"award": {"programme": "UN Public Service Awards", "year": 2012}}
    assert validate_details("case_study", one_award)[0]["award"] == [
        {"programme": "UN Public Service Awards", "year": 2012}
    ]
    assert validate_details("good_practice", None) == ({}, ())


def test_details_problems_name_their_field_and_code() -> None:
    def problems(item_type: str, details: dict[str, object]) -> list[tuple[str, str]]:
        return [(p.field, p.code) for p in validate_details(item_type, details)[1]]

    assert problems("workshop_output", {}) == [("output_kind", "missing")]
    assert problems("good_practice", {"evidence_level": "anecdotal"}) == [
        ("evidence_level", "literal-error")
    ]
    assert problems("case_study", {"award": [{"programme": "UNPSA", "year": 1900}]}) == [
        ("award[0].year", "greater-than-equal")
    ]
    assert problems("analytical_paper", {"doi": "10.1/x"}) == [("doi", "extra-forbidden")]
    assert problems("blog_post", {}) == [("", "unknown-type")]


# --- malformed files ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), MALFORMED_FILES.items())
def test_malformed_file_is_refused_precisely(name: str, expected: list[Where]) -> None:
    parse = PARSERS[name.split("-", 1)[0]]
    with pytest.raises(FrameworkError) as caught:
        parse((MALFORMED / name).read_text(encoding="utf-8"), file=name)
    assert _where(caught.value) == expected
    assert all(issue.file == name for issue in caught.value.issues)


def test_every_malformed_file_is_listed() -> None:
    assert {path.name for path in MALFORMED.glob("*.yaml")} == set(MALFORMED_FILES)


def test_every_problem_of_the_seed_is_reported_at_once() -> None:
    text = packaged("knowledge/seed.yaml")
    shapes = text.replace("country: QAT", "country: Qatar").replace(
        "stage_tags: [connected]", "stage_tags: [smart]"
    )
    with pytest.raises(FrameworkError) as caught:
        parse_seed_content(shapes, file="seed.yaml")
    assert [(field, code) for _line, field, code in _where(caught.value)] == [
        ("items[0].stage_tags[0]", "unknown-stage"),
        ("projects[5].country", "bad-iso3"),
    ]
    references = text.replace("themes: [capacity_building]\n", "themes: [training]\n", 1).replace(
        "delivered_items: [survey-2012-findings,", "delivered_items: [survey-2013-findings,"
    )
    with pytest.raises(FrameworkError) as caught:
        parse_seed_content(references, file="seed.yaml")
    assert [(field, code) for _line, field, code in _where(caught.value)] == [
        ("items[4].themes[0]", "unknown-theme"),
        ("workshops[0].expected_outputs[1].delivered_items[0]", "unknown-item"),
    ]
