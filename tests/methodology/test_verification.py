from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping

import pandas as pd
import pytest
from tests.methodology.conftest import EDITION_YEARS

from egov.errors import MethodologyError
from egov.methodology.editions import (
    ComponentMethod,
    ComponentWeights,
    EditionMethod,
)
from egov.methodology.verification import (
    TOLERANCE,
    DocumentedAnomaly,
    verify_edition,
)

PART = ComponentMethod(indicators=("x",), weights=(1.0,), published_only=True)
E2 = EditionMethod(
    2010, "t", "EGDI", ComponentWeights(0.34, 0.33, 0.33), PART, PART, not_assessed_component="hci"
)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Republic of Korea ", "United States ", "Somalia ", "South Sudan"],
            "row": [2, 3, 4, 5],
            "rank": pd.array([1, 2, 3, None], dtype="Int64"),
            "egdi": [0.87854, 0.8505, 0.0, 0.0],
            "epi": [1.0, 0.9, 0.0, 0.0],
            "osi": [1.0, 0.9, 0.1, 0.0],
            "hci": [0.99293, 0.95, 0.0, 0.0],
            "tii": [0.63902, 0.70, 0.0122, 0.0],
        },
        index=pd.Index(["KOR", "USA", "SOM", "SSD"], name="iso3"),
    )


def test_a_consistent_edition_is_ok() -> None:
    report = verify_edition(_frame(), E2)
    assert report.ok
    assert (report.countries, report.assessed, report.not_assessed, report.not_members) == (
        4,
        2,
        1,
        1,
    )
    assert report.max_abs_egdi_delta < TOLERANCE
    assert report.world_average_egdi == pytest.approx((0.87854 + 0.8505) / 2)
    assert report.over_tolerance == ()
    assert report.rank_mismatches == ()


def test_a_formula_deviation_is_reported_with_both_values() -> None:
    frame = _frame()
    frame.loc["USA", "egdi"] = 0.8600
    report = verify_edition(frame, E2)
    assert not report.ok
    assert report.over_tolerance == ("USA",)
    (deviation,) = report.undocumented
    assert (deviation.iso3, deviation.country, deviation.kind) == (
        "USA",
        "United States",
        "egdi-formula",
    )
    assert deviation.published == 0.86
    assert deviation.recomputed == pytest.approx(0.8505, abs=1e-6)


def test_a_documented_deviation_is_not_a_failure() -> None:
    frame = _frame()
    frame.loc["USA", "egdi"] = 0.8600
    anomaly = DocumentedAnomaly(
        2010, "USA", "United States", "egdi-formula", 0.86, 0.8505, "a known quirk"
    )
    report = verify_edition(frame, E2, [anomaly])
    assert report.ok
    assert [d.evidence for d in report.documented] == ["a known quirk"]


def test_an_anomaly_of_another_edition_is_ignored_and_one_that_matches_nothing_is_stale() -> None:
    other = DocumentedAnomaly(2008, "USA", "United States", "rank", 3, 2, "elsewhere")
    stale = DocumentedAnomaly(2010, "KOR", "Republic of Korea", "rank", 2, 1, "fixed since")
    report = verify_edition(_frame(), E2, [other, stale])
    assert report.stale_anomalies == (stale,)
    assert not report.ok


def test_an_anomaly_with_other_values_does_not_document_a_deviation() -> None:
    frame = _frame()
    frame.loc["USA", "egdi"] = 0.8600
    anomaly = DocumentedAnomaly(2010, "USA", "United States", "egdi-formula", 0.87, 0.8505, "x")
    report = verify_edition(frame, E2, [anomaly])
    assert [d.iso3 for d in report.undocumented] == ["USA"]
    assert report.stale_anomalies == (anomaly,)


def test_rank_mismatches_name_published_and_computed_ranks() -> None:
    frame = _frame()
    frame["rank"] = pd.array([2, 1, 3, None], dtype="Int64")
    report = verify_edition(frame, E2)
    assert report.rank_mismatches == (("KOR", 2, 1), ("USA", 1, 2))
    assert {d.kind for d in report.undocumented} == {"rank"}


def test_not_assessed_and_non_members_are_never_formula_or_rank_deviations() -> None:
    report = verify_edition(_frame(), E2)
    # Somalia: EGDI 0 though 0.34·0.1 + 0.33·0.0122 > 0; South Sudan: no rank, all zeros.
    assert report.ok
    assert "SOM" not in report.over_tolerance


def test_a_not_assessed_country_needs_its_zero_component() -> None:
    frame = _frame()
    frame.loc["SOM", "hci"] = 0.3
    report = verify_edition(frame, E2)
    assert [(d.iso3, d.kind) for d in report.undocumented] == [("SOM", "not-assessed")]


def test_an_unranked_country_with_values_is_a_status_deviation() -> None:
    frame = _frame()
    frame.loc["SSD", ["tii", "hci"]] = [0.1, 0.2]
    report = verify_edition(frame, E2)
    assert report.inconsistent == 1
    assert [(d.iso3, d.kind) for d in report.undocumented] == [("SSD", "status")]


def test_components_above_one_only_where_the_edition_allows_it() -> None:
    frame = _frame()
    frame.loc["USA", ["hci", "egdi"]] = [1.02, 0.34 * 0.9 + 0.33 * 0.7 + 0.33 * 1.02]
    report = verify_edition(frame, E2)
    assert [(d.iso3, d.kind) for d in report.undocumented] == [("USA", "component-range")]
    allowed = dataclasses.replace(E2, hci=dataclasses.replace(PART, may_exceed_one=True))
    assert verify_edition(frame, allowed).ok


def test_missing_columns_fail() -> None:
    with pytest.raises(MethodologyError, match="hci"):
        verify_edition(_frame().drop(columns="hci"), E2)


# --- the real published editions ---------------------------------------------------------

EXPECTED = {  # year: (assessed, not assessed, non-members, over tolerance, rank mismatches)
    2003: (173, 18, 2, (), ()),
    2004: (178, 13, 2, (), ()),
    2005: (179, 12, 2, (), ()),
    2008: (182, 10, 1, ("CMR", "KHM"), ()),
    2010: (183, 9, 1, (), ()),
    2012: (190, 3, 0, (), ()),
    2014: (193, 0, 0, (), ()),
    2016: (193, 0, 0, (), ()),
    2018: (193, 0, 0, (), ()),
    2020: (193, 0, 0, (), (("AND", 80, 79), ("HUN", 52, 51), ("MKD", 72, 71), ("TLS", 134, 133))),
    2022: (193, 0, 0, (), ()),
    2024: (193, 0, 0, (), ()),
}


@pytest.mark.parametrize("year", EDITION_YEARS)
def test_every_edition_recomputes_except_documented_anomalies(
    published: Mapping[int, pd.DataFrame],
    methods: Mapping[int, EditionMethod],
    anomalies: tuple[DocumentedAnomaly, ...],
    year: int,
) -> None:
    report = verify_edition(published[year], methods[year], anomalies)
    assert report.undocumented == ()
    assert report.stale_anomalies == ()
    assert report.ok
    assessed, not_assessed, not_members, over, mismatches = EXPECTED[year]
    assert report.countries == 193
    assert report.assessed + report.not_assessed + report.not_members == 193
    assert (report.assessed, report.not_assessed, report.not_members) == (
        assessed,
        not_assessed,
        not_members,
    )
    assert report.over_tolerance == over
    assert report.rank_mismatches == mismatches
    assert len(report.documented) == len(over) + len(mismatches)


@pytest.mark.parametrize("year", [y for y in EDITION_YEARS if y != 2008])
def test_every_assessed_country_fits_its_rule_within_tolerance(
    published: Mapping[int, pd.DataFrame], methods: Mapping[int, EditionMethod], year: int
) -> None:
    assert verify_edition(published[year], methods[year]).max_abs_egdi_delta <= TOLERANCE


def test_2008_fits_rule_e2_except_cambodia_and_cameroon(
    published: Mapping[int, pd.DataFrame], methods: Mapping[int, EditionMethod]
) -> None:
    frame = published[2008].drop(index=["KHM", "CMR"])
    assert verify_edition(frame, methods[2008]).max_abs_egdi_delta <= 5.5e-5


def test_equal_thirds_misfit_2010(
    published: Mapping[int, pd.DataFrame], methods: Mapping[int, EditionMethod]
) -> None:
    thirds = dataclasses.replace(methods[2010], egdi_weights=ComponentWeights(1 / 3, 1 / 3, 1 / 3))
    report = verify_edition(published[2010], thirds)
    assert report.max_abs_egdi_delta > 0.0039
    assert verify_edition(published[2010], methods[2010]).max_abs_egdi_delta < 1e-5


def test_ranking_2020_at_four_decimals_gives_the_same_ties(
    published: Mapping[int, pd.DataFrame], methods: Mapping[int, EditionMethod]
) -> None:
    rounded = dataclasses.replace(methods[2020], rank_decimals=4)
    report = verify_edition(published[2020], rounded)
    assert [mismatch[0] for mismatch in report.rank_mismatches] == ["AND", "HUN", "MKD", "TLS"]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2010, 0.4406),
        (2012, 0.4959),
        (2014, 0.4712),
        (2016, 0.4922),
        (2018, 0.5491),
        (2020, 0.5988),
    ],
)
def test_world_average_of_the_report(
    published: Mapping[int, pd.DataFrame],
    methods: Mapping[int, EditionMethod],
    year: int,
    expected: float,
) -> None:
    report = verify_edition(published[year], methods[year])
    assert round(report.world_average_egdi, 4) == expected


def test_documented_anomalies_name_the_published_country(
    published: Mapping[int, pd.DataFrame], anomalies: tuple[DocumentedAnomaly, ...]
) -> None:
    assert anomalies
    for anomaly in anomalies:
        assert published[anomaly.year].loc[anomaly.iso3, "name"].strip() == anomaly.country


def test_a_report_becomes_json() -> None:
    frame = _frame()
    frame.loc["USA", "egdi"] = 0.8600
    report = verify_edition(frame, E2)
    as_json = json.loads(json.dumps(report.as_dict()))
    assert as_json["ok"] is False
    assert as_json["over_tolerance"] == ["USA"]
    assert as_json["undocumented"][0]["kind"] == "egdi-formula"
    assert str(report.undocumented[0]).startswith("USA (United States) egdi-formula: EGDI 0.86000")


def test_a_layout_without_ranks_skips_the_rank_check() -> None:
    frame = _frame()
    frame["rank"] = pd.array([None] * 4, dtype="Int64")
    rank_anomaly = DocumentedAnomaly(2010, "KOR", "Republic of Korea", "rank", 2, 1, "x")
    report = verify_edition(frame, E2, [rank_anomaly])
    assert not report.ranks_checked
    assert report.ok
    assert (report.assessed, report.not_assessed, report.not_members) == (2, 1, 1)


def test_quoted_world_averages_are_reported_beside_the_published_rows(
    published: Mapping[int, pd.DataFrame],
    methods: Mapping[int, EditionMethod],
    anomalies: tuple[DocumentedAnomaly, ...],
) -> None:
    quoted = {
        year: verify_edition(published[year], methods[year], anomalies).as_dict()["quoted"]
        for year in (2010, 2012, 2020)
    }

    # 2010 and 2020: the quoted figure is what the published rows give, to 4 decimals.
    assert [round(q["computed"], 4) for q in quoted[2010]] == [0.4406]
    assert [round(q["computed"], 4) for q in quoted[2020]] == [0.5988]
    # 2012: seed 004 quotes 0.4877; the rows give 0.4959 and the difference is reported.
    (seed,) = quoted[2012]
    assert (seed["value"], round(seed["computed"], 4)) == (0.4877, 0.4959)
    assert round(seed["difference"], 4) == 0.0082
