"""METER readiness scoring: known answers for each rule, invariants, errors (spec meter.md §3)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.errors import MethodologyError
from egov.frameworks import MeterFramework, load_meter, parse_meter
from egov.frameworks.yamldoc import packaged
from egov.methodology.readiness import (
    DIVERGENCE_COLUMNS,
    GAP_COLUMNS,
    OBJECTIVE_COLUMNS,
    PILLAR_COLUMNS,
    STAKEHOLDER_GROUPS,
    STATEMENT_COLUMNS,
    SUBTHEME_COLUMNS,
    Readiness,
    ReadinessOptions,
    compare,
    corroboration,
    distribution_position,
    objective_scores,
    readiness,
    readiness_level,
)

FRAMEWORK = load_meter("meter-eo-1.0")
CORE = [pillar for pillar in FRAMEWORK.pillars if not pillar.experimental]

Row = tuple[str, str, str, str]


def frame_of(rows: Iterable[Row]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["respondent", "group", "statement", "answer"])


def answered(respondent: str, group: str, statement_ids: Sequence[str], *codes: str) -> list[Row]:
    """One respondent's answers; a single code is repeated for every statement."""
    chosen = codes * len(statement_ids) if len(codes) == 1 else codes
    return [(respondent, group, s, c) for s, c in zip(statement_ids, chosen, strict=True)]


def ids(subtheme: str) -> list[str]:
    return [statement.id for statement in FRAMEWORK.subtheme(subtheme).statements]


def profile_of(
    rows: Iterable[Row],
    options: ReadinessOptions = ReadinessOptions(),  # noqa: B008
    *,
    invited: Sequence[tuple[str, str]] = (),
    framework: MeterFramework = FRAMEWORK,
) -> Readiness:
    answers = frame_of(rows)
    respondents = pd.concat(
        [answers[["respondent", "group"]], pd.DataFrame(invited, columns=["respondent", "group"])]
    )
    return readiness(framework, answers, respondents, options)


def row(frame: pd.DataFrame, **keys: str) -> pd.Series:
    chosen = frame
    for column, value in keys.items():
        chosen = chosen[chosen[column] == value]
    assert len(chosen) == 1, keys
    return chosen.iloc[0]


WORKED_EXAMPLE = [
    *answered("G1", "government", ["C3.1", "C3.2"], "3", "2"),
    *answered("G2", "government", ["C3.1", "C3.2"], "4", "2"),
    *answered("B1", "business", ["C3.1", "C3.2"], "1", "DK"),
    *answered("S1", "civil_society", ["C3.1", "C3.2"], "2", "1"),
]


def variant(*replacements: tuple[str, str], version: str = "meter-eo-1.0") -> MeterFramework:
    """The real framework file with some text replaced."""
    text = packaged("meter/meter-eo-1.0.yaml")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return parse_meter(text.replace("id: meter-eo-1.0", f"id: {version}"), file="variant.yaml")


# --- the worked example of spec §3.3 -------------------------------------------------------


def test_worked_example_of_the_spec() -> None:
    profile = profile_of(WORKED_EXAMPLE)
    c3 = profile.subthemes[profile.subthemes["subtheme"] == "C3"].set_index("scope")
    assert profile.scopes == ("government", "business", "civil_society", "combined")
    assert c3["score"].to_dict() == {
        "government": 68.75,
        "business": 25.0,
        "civil_society": 37.5,
        "combined": 43.75,
    }
    assert c3.loc["business", "coverage"] == 0.5
    assert c3["sufficient"].all()
    assert c3["level"].to_dict() == {
        "government": "Established",
        "business": "Developing",
        "civil_society": "Developing",
        "combined": "Developing",
    }
    statements = profile.statements.set_index(["scope", "statement"])
    assert statements.loc[("government", "C3.1"), "score"] == 87.5
    assert statements.loc[("government", "C3.2"), "score"] == 50.0
    assert pd.isna(statements.loc[("business", "C3.2"), "score"])
    assert statements.loc[("business", "C3.2"), "n_DK"] == 1
    divergence = row(profile.divergence, subtheme="C3")
    assert divergence["divergence"] == 43.75
    assert (divergence["highest_group"], divergence["lowest_group"]) == ("government", "business")
    assert divergence["divergent"]
    # within-group spread: G1 62.5 and G2 75 → SD (ddof=1) = 6.25·√2
    assert divergence["sd_government"] == pytest.approx(6.25 * math.sqrt(2))
    assert math.isnan(divergence["sd_business"])
    assert row(profile.pillars, scope="combined", pillar="C")["score"] == 43.75


def test_frames_have_their_documented_columns() -> None:
    profile = profile_of(WORKED_EXAMPLE)
    codes = [f"n_{code}" for code in ("0", "1", "2", "3", "4", "DK", "NA")]
    assert list(profile.statements.columns) == [*STATEMENT_COLUMNS, *codes]
    assert list(profile.subthemes.columns) == list(SUBTHEME_COLUMNS)
    assert list(profile.pillars.columns) == list(PILLAR_COLUMNS)
    assert list(profile.divergence.columns) == list(DIVERGENCE_COLUMNS)
    assert list(profile.gaps.columns) == list(GAP_COLUMNS)
    assert len(profile.statements) == 4 * 109
    assert len(profile.subthemes) == 4 * 23
    assert profile.framework_id == "meter-eo-1.0"
    assert profile.options == ReadinessOptions(False, 75.0, "by_group", "equal")


def test_levels_are_the_last_minimum_reached() -> None:
    scores = [0.0, 24.99, 25.0, 49.9, 50.0, 74.9, 75.0, 100.0, math.nan]
    assert [readiness_level(FRAMEWORK, score) for score in scores] == [
        "Initial",
        "Initial",
        "Developing",
        "Developing",
        "Established",
        "Established",
        "Advanced",
        "Advanced",
        None,
    ]


# --- coverage: NA, DK, statements not asked ------------------------------------------------


def test_na_leaves_the_denominator_and_dk_stays() -> None:
    profile = profile_of(answered("G1", "government", ids("C4"), "4", "NA", "DK"))
    c4 = row(profile.subthemes, scope="government", subtheme="C4")
    assert (c4["score"], c4["scored"], c4["denominator"], c4["coverage"]) == (100.0, 1, 2, 0.5)
    assert c4["sufficient"]
    flags = profile.statements[profile.statements["scope"] == "government"].set_index("statement")
    assert flags.loc["C4.2", "na"]
    assert not flags.loc["C4.3", "na"]


def test_a_statement_is_na_for_a_group_only_when_every_answer_is_na() -> None:
    rows = [
        *answered("G1", "government", ids("C4"), "NA", "NA", "2"),
        *answered("G2", "government", ids("C4"), "NA", "4", "2"),
    ]
    c4 = row(profile_of(rows).subthemes, scope="government", subtheme="C4")
    assert (c4["denominator"], c4["scored"], c4["score"]) == (2, 2, 75.0)


def test_respondent_coverage_leaves_out_only_their_own_na() -> None:
    profile = profile_of(answered("G1", "government", ids("C4"), "4", "NA", "DK"))
    own = row(profile.respondent_subthemes, respondent="G1", subtheme="C4")
    assert (own["score"], own["denominator"], own["coverage"]) == (100.0, 2, 0.5)


def test_internal_statements_not_asked_of_business_leave_its_denominator() -> None:
    rows = [("B1", "business", "C4.1", "2"), ("G1", "government", "C4.1", "2")]
    profile = profile_of(rows)
    business = row(profile.subthemes, scope="business", subtheme="C4")
    government = row(profile.subthemes, scope="government", subtheme="C4")
    assert (business["denominator"], business["coverage"], business["sufficient"]) == (1, 1.0, True)
    assert (government["denominator"], government["sufficient"]) == (3, False)
    asked = profile.statements.set_index(["scope", "statement"])["asked"]
    assert not asked[("business", "C4.2")]
    assert asked[("government", "C4.2")]


def test_dk_and_unanswered_observable_statements_stay_in_a_business_denominator() -> None:
    rows = [("B1", "business", "C4.1", "2"), ("B1", "business", "C4.2", "DK")]
    rows += answered("B1", "business", ids("C2")[:8], "3")  # C2 is observable: 8 of 17
    profile = profile_of(rows)
    c4 = row(profile.subthemes, scope="business", subtheme="C4")
    c2 = row(profile.subthemes, scope="business", subtheme="C2")
    assert (c4["denominator"], c4["coverage"]) == (2, 0.5)
    assert (c2["denominator"], c2["scored"], c2["sufficient"]) == (17, 8, False)


def test_an_invited_group_that_answered_nothing_has_coverage_zero() -> None:
    profile = profile_of(WORKED_EXAMPLE, invited=[("A1", "academia")])
    assert profile.scopes[-2:] == ("academia", "combined")
    academia = profile.subthemes[profile.subthemes["scope"] == "academia"]
    assert (academia["coverage"] == 0).all()
    assert academia["score"].isna().all()
    assert row(profile.respondent_subthemes, respondent="A1", subtheme="C3")["coverage"] == 0


# --- sub-theme, pillar and overall aggregation ---------------------------------------------


def test_an_insufficient_sub_theme_keeps_its_score_but_leaves_the_pillar() -> None:
    rows = [*answered("G1", "government", ids("C3"), "4"), ("G1", "government", "C4.1", "0")]
    profile = profile_of(rows)
    c4 = row(profile.subthemes, scope="government", subtheme="C4")
    assert (c4["score"], c4["coverage"], c4["sufficient"]) == (0.0, 1 / 3, False)
    assert row(profile.pillars, scope="government", pillar="C")["score"] == 100.0
    assert "C4" in profile.insufficient["subtheme"].tolist()
    assert "C4" not in profile.gaps["subtheme"].tolist()


def test_statement_weights_come_from_the_framework() -> None:
    # C3.1 weighs 3, C3.2 weighs 1: (3 · 100 + 1 · 0) / 4
    line = "perspective: internal, weight: 1}\n          - {id: C3.2"
    heavy = variant((line, line.replace("weight: 1", "weight: 3")))
    rows = answered("G1", "government", ids("C3"), "4", "0")
    c3 = row(profile_of(rows, framework=heavy).subthemes, scope="government", subtheme="C3")
    assert c3["score"] == 75.0


def test_by_statements_weights_sub_themes_by_their_number_of_statements() -> None:
    rows = [
        *answered("G1", "government", ids("C3"), "4"),
        *answered("G1", "government", ids("C4"), "0"),
    ]
    equal = profile_of(rows)
    by_size = profile_of(rows, ReadinessOptions(subtheme_weighting="by_statements"))
    assert row(equal.pillars, scope="government", pillar="C")["score"] == 50.0
    assert row(by_size.pillars, scope="government", pillar="C")["score"] == 40.0  # (2·100 + 3·0)/5
    assert row(by_size.subthemes, scope="government", subtheme="C4")["weight"] == 3


def test_pooled_weighs_respondents_and_by_group_weighs_groups() -> None:
    rows = [answered(f"G{i}", "government", ids("C3"), "4") for i in (1, 2, 3)]
    rows.append(answered("B1", "business", ids("C3"), "0"))
    flat = [answer for answers in rows for answer in answers]
    by_group = profile_of(flat)
    pooled = profile_of(flat, ReadinessOptions(combined="pooled"))
    assert row(by_group.subthemes, scope="combined", subtheme="C3")["score"] == 50.0
    assert row(pooled.subthemes, scope="combined", subtheme="C3")["score"] == 75.0
    assert row(pooled.statements, scope="combined", statement="C3.1")["score"] == 75.0
    assert row(pooled.statements, scope="combined", statement="C3.1")["n_4"] == 3
    # the group scopes do not change with the combined mode
    pd.testing.assert_frame_equal(
        by_group.subthemes[by_group.subthemes["scope"] != "combined"],
        pooled.subthemes[pooled.subthemes["scope"] != "combined"],
    )


def test_pooled_drops_internal_statements_only_without_government() -> None:
    options = ReadinessOptions(combined="pooled")
    business = profile_of([("B1", "business", "C4.1", "2")], options)
    both = profile_of([("B1", "business", "C4.1", "2"), ("G1", "government", "C3.1", "2")], options)
    assert row(business.subthemes, scope="combined", subtheme="C4")["denominator"] == 1
    assert row(both.subthemes, scope="combined", subtheme="C4")["denominator"] == 3


def test_by_group_combined_takes_sufficient_groups_and_the_largest_coverage() -> None:
    rows = [
        *answered("G1", "government", ids("C4"), "4", "4", "DK"),  # 100, coverage 2/3
        ("B1", "business", "C4.1", "0"),  # 0, coverage 1 (C4.2-3 not asked)
        *answered("S1", "civil_society", ids("C4"), "0", "DK", "DK"),  # coverage 1/3
    ]
    combined = row(profile_of(rows).subthemes, scope="combined", subtheme="C4")
    assert (combined["score"], combined["coverage"], combined["sufficient"]) == (50.0, 1.0, True)


def every_statement(code_of: dict[str, str]) -> list[Row]:
    """G1 answers every statement, with the code of its pillar."""
    return [
        ("G1", "government", statement.id, code_of[pillar.id])
        for pillar in FRAMEWORK.pillars
        for subtheme in pillar.subthemes
        for statement in subtheme.statements
        if pillar.id in code_of
    ]


def test_marketing_stays_outside_the_overall_unless_opted_in() -> None:
    rows = every_statement({"C": "4", "L": "4", "P": "4", "O": "4", "T": "4", "M": "0"})
    default = profile_of(rows)
    opted_in = profile_of(rows, ReadinessOptions(include_experimental=True))
    assert row(default.overall, scope="combined")["score"] == 100.0
    assert row(opted_in.overall, scope="combined")["score"] == pytest.approx(500 / 6)
    assert not row(default.pillars, scope="combined", pillar="M")["counted"]
    assert row(default.pillars, scope="combined", pillar="M")["score"] == 0.0
    assert "M1" not in default.gaps["subtheme"].tolist()
    assert "M1" in opted_in.gaps["subtheme"].tolist()


def test_the_overall_is_nan_when_a_counted_pillar_has_no_score() -> None:
    profile = profile_of(every_statement({"C": "4", "L": "4", "P": "4", "O": "4", "M": "4"}))
    overall = row(profile.overall, scope="combined")
    assert math.isnan(overall["score"])
    assert overall["level"] is None
    assert (overall["pillars"], overall["pillars_scored"]) == (5, 4)
    assert math.isnan(row(profile.pillars, scope="combined", pillar="T")["score"])


# --- gaps and the way forward --------------------------------------------------------------

GAP_ROWS = [
    *answered("G1", "government", ids("C3"), "3"),  # C3: government 75,
    *answered("B1", "business", ids("C3"), "1"),  # business 25: combined 50, divergent
    *answered("G1", "government", ids("C4"), "2", "1", "DK"),  # C4: 37.5, coverage 2/3
    *answered("G1", "government", ids("L1"), "2"),  # L1 and L2: 50, coverage 1
    *answered("G1", "government", ids("L2"), "2"),
]


def test_gap_priority_carries_the_divergence_boost_and_ties_go_to_lower_coverage() -> None:
    gaps = profile_of(GAP_ROWS).gaps.set_index("subtheme")
    # C3: 1/5 · 1/4 · (75 − 50) · (1 + 0.5) = 1.875; C4: 1/5 · 1/4 · 37.5 = 1.875 (a tie);
    # L1, L2: 1/5 · 1/2 · 25 = 2.5 (a tie at equal coverage: framework order)
    assert gaps["priority"].to_dict() == {"L1": 2.5, "L2": 2.5, "C4": 1.875, "C3": 1.875}
    assert gaps["rank"].tolist() == [1, 2, 3, 4]
    assert gaps.loc["C3", "divergent"]
    assert not gaps.loc["C4", "divergent"]
    assert gaps.loc["C4", "coverage"] == pytest.approx(2 / 3)
    assert gaps.loc["C3", "action"] == FRAMEWORK.subtheme("C3").action
    assert gaps.loc["C4", "lowest_statements"] == ("C4.2", "C4.1")  # C4.3 has no score
    assert gaps.loc["C3", "lowest_statements"] == ("C3.1", "C3.2")  # a tie: framework order


def test_the_target_option_moves_the_gaps() -> None:
    gaps = profile_of(GAP_ROWS, ReadinessOptions(target=40)).gaps
    assert gaps["subtheme"].tolist() == ["C4"]
    assert gaps["shortfall"].tolist() == [2.5]


def test_the_way_forward_is_the_first_gaps() -> None:
    core = {pillar.id: "2" for pillar in CORE}
    profile = profile_of(every_statement(core))
    assert len(profile.gaps) == sum(len(pillar.subthemes) for pillar in CORE)
    assert FRAMEWORK.scoring.way_forward_size == 5
    pd.testing.assert_frame_equal(profile.way_forward, profile.gaps.head(5))
    # L (two sub-themes) weighs each sub-theme most: its gaps come first
    assert profile.way_forward["subtheme"].tolist()[:2] == ["L1", "L2"]


def test_a_lowest_statement_list_holds_at_most_three() -> None:
    profile = profile_of(answered("G1", "government", ids("C1"), *"012340123401"))
    assert row(profile.gaps, subtheme="C1")["lowest_statements"] == ("C1.1", "C1.6", "C1.11")


# --- invariants ----------------------------------------------------------------------------

POOL = [*ids("C3"), *ids("C4"), *ids("L1"), *ids("M1"), *ids("P1")]
CODES = ["0", "1", "2", "3", "4", "DK", "NA"]


@st.composite
def assessments(draw: st.DrawFn) -> list[Row]:
    respondents = draw(st.integers(1, 6))
    rows: list[Row] = []
    for r in range(respondents):
        group = draw(st.sampled_from(STAKEHOLDER_GROUPS))
        chosen = draw(st.lists(st.sampled_from(POOL), unique=True, max_size=len(POOL)))
        rows += [(f"R{r}", group, s, draw(st.sampled_from(CODES))) for s in chosen]
    return rows


SCORE_FRAMES = ("statements", "subthemes", "pillars", "overall", "respondent_subthemes")


@settings(max_examples=40, deadline=None)
@given(assessments())
def test_scores_stay_within_0_and_100(rows: list[Row]) -> None:
    profile = profile_of(rows, invited=[("X", "academia")])
    for name in SCORE_FRAMES:
        scores = getattr(profile, name)["score"].dropna()
        assert ((scores >= 0) & (scores <= 100)).all(), name
    coverage = profile.subthemes["coverage"]
    assert ((coverage >= 0) & (coverage <= 1)).all()
    assert (profile.gaps["priority"] > 0).all()


@settings(max_examples=40, deadline=None)
@given(assessments(), st.data())
def test_raising_an_answer_never_lowers_the_group_sub_theme_score(
    rows: list[Row], data: st.DataObject
) -> None:
    raisable = [i for i, (_, _, _, code) in enumerate(rows) if code in ("0", "1", "2", "3")]
    if not raisable:
        return
    i = data.draw(st.sampled_from(raisable))
    respondent, group, statement, code = rows[i]
    raised = [*rows[:i], (respondent, group, statement, str(int(code) + 1)), *rows[i + 1 :]]
    subtheme = FRAMEWORK.statement(statement).id.split(".")[0]
    before = row(profile_of(rows).subthemes, scope=group, subtheme=subtheme)["score"]
    after = row(profile_of(raised).subthemes, scope=group, subtheme=subtheme)["score"]
    assert after >= before


@settings(max_examples=40, deadline=None)
@given(assessments(), st.randoms(use_true_random=False))
def test_the_order_of_the_answer_rows_does_not_matter(rows: list[Row], random: object) -> None:
    shuffled = list(rows)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    first, second = profile_of(rows), profile_of(shuffled)
    for name in (*SCORE_FRAMES, "divergence", "gaps", "insufficient"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name), obj=name)


# --- errors --------------------------------------------------------------------------------


def test_unknown_statements_and_answer_codes_are_named_together() -> None:
    rows = [("G1", "government", "C9.9", "2"), ("G1", "government", "C3.1", "5")]
    with pytest.raises(MethodologyError) as caught:
        profile_of(rows)
    message = str(caught.value)
    assert "'C9.9'" in message
    assert "'5'" in message


@pytest.mark.parametrize(
    ("rows", "named"),
    [
        ([("G1", "ministry", "C3.1", "2")], "'ministry'"),
        ([("G1", "government", "C3.1", "2"), ("G1", "business", "C3.2", "2")], "two groups"),
        ([("G1", "government", "C3.1", "2"), ("G1", "government", "C3.1", "3")], "G1 C3.1"),
    ],
)
def test_bad_groups_and_repeated_answers_are_refused(rows: list[Row], named: str) -> None:
    with pytest.raises(MethodologyError, match=named):
        profile_of(rows)


def test_options_refuse_values_outside_their_range() -> None:
    with pytest.raises(MethodologyError, match="target"):
        ReadinessOptions(target=120)
    with pytest.raises(MethodologyError, match="combined"):
        ReadinessOptions(combined="weighted")  # type: ignore[arg-type]


# --- corroboration with published indicators, other assessments, comparison ----------------

COUNTRIES = ["AAA", "BBB", "CCC", "DDD", "EEE"]
INDICATORS = pd.DataFrame(
    {
        "osi": [0.1, 0.2, 0.3, 0.4, 0.5],
        "hci": [0.5, 0.4, 0.3, 0.2, 0.1],
        "osi.IF": [0.9, np.nan, 0.7, 0.6, 0.5],
        "epi": [np.nan] * 5,
        "tii": [0.3, 0.3, 0.2, 0.1, 0.0],
    },
    index=pd.Index(COUNTRIES, name="iso3"),
)


def test_objective_scores_follow_the_chain_when_the_first_indicator_is_missing() -> None:
    regions = pd.Series(["North", "North", "South", "North", "South"], index=COUNTRIES)
    objective = objective_scores(FRAMEWORK, INDICATORS, "BBB", regions)
    assert list(objective.columns) == list(OBJECTIVE_COLUMNS)
    by_slot = objective.set_index(["pillar", "slot"])
    # L: [osi.IF, osi]; BBB has no osi.IF, so osi (0.2: 2nd of 5 → percentile 0.4)
    assert by_slot.loc[("L", 0), "indicator"] == "osi"
    assert by_slot.loc[("L", 0), "percentile"] == pytest.approx(0.4)
    assert by_slot.loc[("L", 0), "score"] == pytest.approx(40.0)
    # C: osi 0.4 and hci 0.8 → 60; in North (AAA, BBB, DDD) BBB's osi ranks 2nd of 3
    assert by_slot.loc[("C", 0), "score"] == pytest.approx(60.0)
    assert (by_slot.loc[("C", 0), "region_rank"], by_slot.loc[("C", 0), "region_count"]) == (2, 3)
    # P: [osi.IF, epi]: BBB has neither → NaN; T: tii ties (0.3, 0.3) share 0.9, osi.TEC absent
    assert pd.isna(by_slot.loc[("P", 0), "score"])
    assert by_slot.loc[("P", 0), "indicator"] is None
    assert by_slot.loc[("T", 0), "percentile"] == pytest.approx(0.9)
    assert by_slot.loc[("T", 1), "indicator"] is None
    assert by_slot.loc[("T", 0), "score"] == pytest.approx(90.0)


def test_objective_scores_use_the_first_indicator_when_present() -> None:
    objective = objective_scores(FRAMEWORK, INDICATORS, "AAA")
    legal = row(objective, pillar="L")
    assert (legal["indicator"], legal["percentile"]) == ("osi.IF", 1.0)
    assert legal["region_rank"] is pd.NA


def test_a_country_without_published_data_has_no_objective_score() -> None:
    objective = objective_scores(FRAMEWORK, INDICATORS, "ZZZ")
    assert objective["score"].isna().all()
    assert objective["indicator"].isna().all()
    assert objective_scores(FRAMEWORK, pd.DataFrame(), "AAA")["score"].isna().all()
    with pytest.raises(MethodologyError, match="twice"):
        objective_scores(FRAMEWORK, pd.concat([INDICATORS, INDICATORS]), "AAA")


def test_corroboration_flags_a_difference_of_exactly_30_points() -> None:
    rows = [
        *answered("G1", "government", ids("C3"), "4"),  # C: 100
        *answered("G1", "government", ids("L1"), "1"),  # L: 25
        *answered("G1", "government", ids("P1"), "2"),  # P: 50
    ]
    objective = pd.DataFrame({"pillar": ["C", "L", "P", "O"], "score": [70.0, 55.0, 79.5, 40.0]})
    flags = corroboration(profile_of(rows), objective).set_index("pillar")
    assert flags["difference"].to_dict()["C"] == 30.0
    assert flags["flag"].to_dict() == {
        "C": "higher",
        "L": "lower",
        "P": None,
        "O": None,  # no self score
        "T": None,
        "M": None,
    }
    with pytest.raises(MethodologyError, match="academia"):
        corroboration(profile_of(rows), objective, scope="academia")


def test_distribution_position_hides_statistics_below_three_others() -> None:
    others = pd.DataFrame({"C": [10.0, 30.0, 50.0], "overall": [20.0, 40.0, np.nan]})
    position = distribution_position(others, pd.Series({"C": 30.0, "overall": 90.0}))
    c, overall = position.iloc[0], position.iloc[1]
    assert (c["count"], c["minimum"], c["median"], c["maximum"]) == (3, 10.0, 30.0, 50.0)
    assert c["percentile"] == 50.0  # one below, one equal: (1 + 0.5) / 3
    assert overall["count"] == 2
    assert overall["own"] == 90.0
    assert overall[["minimum", "median", "maximum", "percentile"]].isna().all()


def test_compare_shows_the_change_and_marks_changed_statement_sets() -> None:
    earlier = profile_of(answered("G1", "government", ids("L1"), "1"))
    later = profile_of(answered("G1", "government", ids("L1"), "3"))
    same = compare(earlier, later).set_index(["level", "pillar", "subtheme"], drop=False)
    assert same.iloc[0]["level"] == "overall"
    l1 = row(same, level="subtheme", subtheme="L1")
    assert (l1["earlier"], l1["later"], l1["change"]) == (25.0, 75.0, 50.0)
    assert not same["statements_differ"].any()
    revised = variant(("{id: L1.5,", "{id: L1.6,"), version="meter-eo-1.1")
    rows = answered("G1", "government", [s.id for s in revised.subtheme("L1").statements], "3")
    newer = profile_of(rows, framework=revised)
    differ = compare(earlier, newer)
    marked = differ.loc[differ["statements_differ"], ["level", "pillar", "subtheme"]]
    assert marked.astype(str).values.tolist() == [
        ["overall", "None", "None"],
        ["pillar", "L", "None"],
        ["subtheme", "L", "L1"],
    ]
