from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pydantic import ValidationError

from egov.errors import FrameworkError
from egov.frameworks import (
    MeterFramework,
    load_edition_methods,
    load_meter,
    meter_versions,
    parse_meter,
)
from egov.frameworks.meter_schema import OSI_SUBINDICES
from egov.frameworks.yamldoc import packaged

MALFORMED = Path(__file__).parent / "malformed" / "meter"

#: The SHA-256 of every published version: a published file is never edited (a change of
#: content is a new file). Add a line when a version is published; never change one.
PUBLISHED = {
    "meter-eo-1.0": "5a9216459101d068fe0f1f0cb053d7f5ec7b419b69abb6a51e06bc789643ff77",
}

#: Spec meter.md §3.1: sub-theme → number of statements, in file order.
COUNTS = {
    "C1": 12, "C2": 17, "C3": 2, "C4": 3,
    "L1": 5, "L2": 5,
    "P1": 4, "P2": 4, "P3": 4, "P4": 3, "P5": 3, "P6": 3,
    "O1": 4, "O2": 4, "O3": 4,
    "T1": 4, "T2": 4, "T3": 4, "T4": 4,
    "M1": 4, "M2": 4, "M3": 4, "M4": 4,
}  # fmt: skip
PILLARS = {
    "C": ("Commitment", 34),
    "L": ("Legal", 10),
    "P": ("Vision and Policy", 21),
    "O": ("Organization", 12),
    "T": ("Technology", 16),
    "M": ("Marketing", 16),
}
#: Spec §3.1 (and §2, seed 003 and Kerby for the published ones): sub-theme names.
NAMES = {
    "C1": "Access to training resources",
    "C2": "Commitment to high quality, on-line service",
    "C3": "Innovation capabilities",
    "C4": "Partnership development",
    "L1": "Regulatory framework",
    "L2": "Security and privacy",
    "P1": "Citizen and business engagement",
    "P2": "Governance",
    "P3": "Information as an asset",
    "P4": "Standards development and review",
    "P5": "Alignment",
    "P6": "Leaders, champions, and leadership",
    "O1": "Procurement",
    "O2": "Public value",
    "O3": "Data capture, management and use",
    "T1": "Connectivity and infrastructure",
    "T2": "Interoperability and integration",
    "T3": "Digital identity and shared platforms",
    "T4": "Security operations and continuity",
    "M1": "Awareness and communication",
    "M2": "Channels and outreach",
    "M3": "User insight and feedback",
    "M4": "Uptake incentives and partnerships",
}
#: Spec §3.6: per pillar, the indicators (a tuple is a preference chain).
OBJECTIVE = {
    "C": (("osi",), ("hci",)),
    "L": (("osi.IF", "osi"),),
    "P": (("osi.IF",), ("epi",)),
    "O": (("osi.SP", "osi"),),
    "T": (("tii",), ("osi.TEC",)),
    "M": (("epi",), ("osi.CP",)),
}

Where = tuple[int | None, str | None, str]

#: file → [(line, path, code)] of the issues it must raise, in order.
MALFORMED_FILES: dict[str, list[Where]] = {
    "duplicate-id.yaml": [(46, "pillars[0].subthemes[0].statements[1].id", "duplicate-id")],
    "count-mismatch.yaml": [(44, "pillars[0].subthemes[0].statements", "count-mismatch")],
    "bad-prefix.yaml": [(46, "pillars[0].subthemes[0].statements[1].id", "bad-prefix")],
    "unknown-key.yaml": [(44, "pillars[0].subthemes[0].actions", "extra-forbidden")],
    "missing.yaml": [(45, "pillars[0].subthemes[0].statements[0].perspective", "missing")],
    "weight-not-positive.yaml": [
        (46, "pillars[0].subthemes[0].statements[1].weight", "greater-than")
    ],
    "scale-labels.yaml": [(10, "scale.labels", "scale-labels")],
    "scale-values.yaml": [(9, "scale.values", "scale-values")],
    "scale-points.yaml": [(15, "scale.points_per_step", "scale-points")],
    "levels-order.yaml": [(19, "levels[2].min", "levels-order")],
    "unknown-answer.yaml": [(24, "scoring.comment_required[0]", "unknown-answer")],
    "unknown-indicator.yaml": [(37, "pillars[0].objective[1]", "unknown-indicator")],
    "unknown-source.yaml": [(42, "pillars[0].subthemes[0].origin.text", "unknown-source")],
    "yaml-syntax.yaml": [(13, None, "yaml-syntax")],
}


@pytest.fixture(scope="module")
def framework() -> MeterFramework:
    return load_meter("meter-eo-1.0")


def _where(error: FrameworkError) -> list[Where]:
    return [(issue.row, issue.field, issue.code) for issue in error.issues]


def test_the_packaged_framework_loads_frozen_hashable_and_cached(
    framework: MeterFramework,
) -> None:
    assert framework.id == "meter-eo-1.0"
    assert load_meter("meter-eo-1.0") is framework
    assert hash(framework) == hash(parse_meter(packaged("meter/meter-eo-1.0.yaml"), file="x"))
    with pytest.raises(ValidationError):
        framework.id = "meter-eo-9.9"


def test_the_latest_version_is_the_default() -> None:
    versions = meter_versions()
    assert "meter-eo-1.0" in versions
    assert load_meter().id == versions[-1]


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(FrameworkError) as caught:
        load_meter("meter-eo-0.1")
    assert [(issue.file, issue.code) for issue in caught.value.issues] == [
        ("meter/meter-eo-0.1.yaml", "unknown-version")
    ]


@pytest.mark.parametrize(("version", "sha256"), PUBLISHED.items())
def test_a_published_version_is_never_edited(version: str, sha256: str) -> None:
    text = packaged(f"meter/{version}.yaml")
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == sha256
    assert load_meter(version).sha256 == sha256


def test_every_version_file_is_pinned_once_published() -> None:
    assert set(meter_versions()) <= set(PUBLISHED), "pin the SHA-256 of a new version"


def test_pillars_subthemes_and_counts_follow_spec_3_1(framework: MeterFramework) -> None:
    assert {
        p.id: (p.name, sum(len(s.statements) for s in p.subthemes)) for p in framework.pillars
    } == PILLARS
    counts = {s.id: len(s.statements) for p in framework.pillars for s in p.subthemes}
    assert counts == COUNTS
    assert list(counts) == list(COUNTS)
    assert len(framework.statements()) == sum(COUNTS.values()) == 109


def test_statements_are_numbered_from_one_in_each_subtheme(framework: MeterFramework) -> None:
    for subtheme_id, count in COUNTS.items():
        statements = framework.subtheme(subtheme_id).statements
        assert [s.id for s in statements] == [f"{subtheme_id}.{n}" for n in range(1, count + 1)]


def test_subtheme_names_follow_the_spec(framework: MeterFramework) -> None:
    assert {s.id: s.name for p in framework.pillars for s in p.subthemes} == NAMES


def test_the_seed_003_counts_are_recorded(framework: MeterFramework) -> None:
    published = {
        s.id: s.origin.count
        for p in framework.pillars
        for s in p.subthemes
        if isinstance(s.origin.count, int)
    }
    assert published == {"C1": 12, "C2": 17, "C3": 2, "C4": 3}
    assert all(s.origin.text == "proposed" for s in framework.pillar("C").subthemes)


def test_every_subtheme_has_an_action_and_texts_are_distinct(framework: MeterFramework) -> None:
    assert framework.subtheme("C1").action == (
        "Fund a government-wide digital skills plan with tracks for leaders, CIOs and"
        " front-line staff."
    )
    subthemes = [s for p in framework.pillars for s in p.subthemes]
    assert all(s.action.endswith(".") for s in subthemes)
    texts = [s.text for s in framework.statements()]
    assert len(set(texts)) == len(texts)
    assert all(text.endswith(".") for text in texts)
    assert framework.statement("T4.4").text == (
        "There are enough technical staff to run systems in service."
    )


def test_marketing_alone_is_experimental(framework: MeterFramework) -> None:
    assert [p.id for p in framework.pillars if p.experimental] == ["M"]
    assert all(p.weight == 1 for p in framework.pillars)


def test_perspective_follows_spec_4(framework: MeterFramework) -> None:
    observable = {s.id for s in framework.statements() if s.perspective == "observable"}
    expected = {
        s.id for subtheme_id in ("C2", "P1", "M1", "M2", "M3", "M4")
        for s in framework.subtheme(subtheme_id).statements
    } | {"P3.2", "P3.3", "L2.4", "T1.2", "T1.3"}  # fmt: skip
    assert observable == expected


def test_objective_indicators_follow_spec_3_6(framework: MeterFramework) -> None:
    assert {p.id: p.objective for p in framework.pillars} == OBJECTIVE


def test_the_osi_subindices_are_those_of_the_latest_edition() -> None:
    methods = load_edition_methods()
    latest = methods[max(methods)]
    assert {name for name, _weight in latest.osi.subindex_weights} == set(OSI_SUBINDICES)


def test_scale_levels_and_scoring_follow_spec_3_2_to_3_6(framework: MeterFramework) -> None:
    scale = framework.scale
    assert [scale.points(value) for value in scale.values] == [0, 25, 50, 75, 100]
    assert scale.labels == ("Not in place", "Initial", "Partial", "Largely", "Fully")
    assert scale.extra == ("DK", "NA")
    assert [(level.min, level.name) for level in framework.levels] == [
        (0, "Initial"), (25, "Developing"), (50, "Established"), (75, "Advanced")
    ]  # fmt: skip
    scoring = framework.scoring
    assert scoring.excluded_from_coverage == scoring.comment_required == ("NA",)
    assert (scoring.minimum_coverage, scoring.divergence_threshold, scoring.target) == (
        0.5, 25, 75
    )  # fmt: skip
    assert (scoring.divergence_boost, scoring.way_forward_size) == (0.5, 5)
    assert scoring.objective_difference == 30
    assert (scoring.subtheme_weighting, scoring.combined) == ("equal", "by_group")
    with pytest.raises(ValueError, match="not on the scale"):
        scale.points(5)


def test_lookups_by_id(framework: MeterFramework) -> None:
    assert framework.pillar("P").name == "Vision and Policy"
    assert framework.subtheme("O3").name == "Data capture, management and use"
    assert framework.statement("C2.17").perspective == "observable"
    assert framework.tag_ids() == tuple(
        tag for pillar in PILLARS for tag in (pillar, *(s for s in COUNTS if s[0] == pillar))
    )
    assert framework.is_known_tag("M4")
    assert framework.is_known_tag("L")
    assert not framework.is_known_tag("C1.1")
    assert not framework.is_known_tag("T5")
    for lookup, missing in (
        (framework.pillar, "X"),
        (framework.subtheme, "C5"),
        (framework.statement, "C1.13"),
    ):
        with pytest.raises(KeyError, match=r"meter-eo-1\.0"):
            lookup(missing)


@pytest.mark.parametrize(("name", "expected"), MALFORMED_FILES.items())
def test_malformed_framework_file_is_refused_precisely(name: str, expected: list[Where]) -> None:
    with pytest.raises(FrameworkError) as caught:
        parse_meter((MALFORMED / name).read_text(encoding="utf-8"), file=name)
    assert _where(caught.value) == expected
    assert all(issue.file == name for issue in caught.value.issues)


def test_every_malformed_file_is_listed() -> None:
    assert {path.name for path in MALFORMED.glob("*.yaml")} == set(MALFORMED_FILES)


def test_the_count_mismatch_names_both_numbers() -> None:
    text = (MALFORMED / "count-mismatch.yaml").read_text(encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        parse_meter(text, file="meter-eo-1.0.yaml")
    assert str(caught.value) == (
        "meter-eo-1.0.yaml:44: pillars[0].subthemes[0].statements: 2 items, origin.count says 3"
    )


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    text = (
        packaged("meter/meter-eo-1.0.yaml")
        .replace("count: 17,", "count: 16,")
        .replace("{id: L2.5,", "{id: L1.5,")
        .replace("  points_per_step: 25", "  points_per_step: 20")
    )
    with pytest.raises(FrameworkError) as caught:
        parse_meter(text, file="three.yaml")
    assert [(field, code) for _line, field, code in _where(caught.value)] == [
        ("scale.points_per_step", "scale-points"),
        ("pillars[0].subthemes[1].statements", "count-mismatch"),
        ("pillars[1].subthemes[1].statements[4].id", "duplicate-id"),
        ("pillars[1].subthemes[1].statements[4].id", "bad-prefix"),
    ]


def test_the_file_id_must_be_the_version_it_is_filed_as() -> None:
    text = packaged("meter/meter-eo-1.0.yaml")
    with pytest.raises(FrameworkError) as caught:
        parse_meter(text, file="meter/meter-eo-1.1.yaml", expected_id="meter-eo-1.1")
    line = text.splitlines().index("id: meter-eo-1.0") + 1
    assert _where(caught.value) == [(line, "id", "id-mismatch")]


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(FrameworkError):
        parse_meter("", file="empty.yaml")
