"""Layouts: header matching, detection, the declared scale."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from egov.data.countries import CountryRegistry
from egov.data.readers import LAYOUTS, undesa_csv
from egov.data.readers.layout import Context, header_key, sort_issues
from egov.data.readers.sheets import Sheet
from egov.errors import Issue


def test_headers_match_without_case_spaces_or_punctuation() -> None:
    assert (
        header_key(" E-Government  Rank ") == header_key("e_government_rank") == "egovernmentrank"
    )
    assert undesa_csv.LAYOUT.field_of("Tele_Infra") == "tii"
    assert undesa_csv.LAYOUT.field_of("Region") is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (list(undesa_csv.HEADER), "undesa-csv"),
        (
            [
                "Survey Year",
                "Country",
                "Rank",
                "E_Index",
                "E_Participation",
                "Online_Service",
                "Human_Capital",
                "Tele_Infra",
                "Region",
            ],
            "undesa-csv",
        ),
        (
            [
                "country-code",
                "country-name",
                "e-gov-rank",
                "e-gov-index",
                "e-pat-index",
                "osi",
                "hci",
                "tii",
            ],
            "unu-egov",
        ),
        (["FREQ", "REF_AREA", "REF_AREA_LABEL", "INDICATOR", "2003", "2024"], "data360-wide"),
        (["year", "iso3", "name", "rank", "egdi", "epi", "osi", "hci", "tii"], "egov-json"),
    ],
)
def test_each_header_is_recognised_best_by_its_own_layout(header: list[str], expected: str) -> None:
    scores = {layout.key: layout.recognise(header) for layout in LAYOUTS}
    assert max(scores, key=lambda key: scores[key]) == expected
    assert scores[expected][0] == 1.0


def test_file_wide_issues_come_first_then_rows_in_order() -> None:
    issues = [Issue("b", "m", "f", row=5), Issue("a", "m", "f"), Issue("c", "m", "f", row=2)]
    assert [issue.code for issue in sort_issues(issues)] == ["a", "c", "b"]


def test_a_layout_published_on_0_to_100_declares_its_scale(
    official_files: dict[int, Path], country_registry: CountryRegistry
) -> None:
    text = official_files[2022].read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    percent = [rows[0]] + [row[:3] + [f"{float(c) * 100:.3f}" for c in row[3:]] for row in rows[1:]]
    layout = replace(undesa_csv.LAYOUT, key="percent", scale=100.0)
    context = Context("EGOV_DATA_2022.csv", country_registry, Sheet(percent, "csv"), 0)
    outcome = layout.read(context)
    assert outcome.issues == ()
    (table,) = outcome.tables
    assert table.frame.at["IRQ", "egdi"] == 0.4383
    assert table.frame.at["LIE", "tii"] == 1.0
