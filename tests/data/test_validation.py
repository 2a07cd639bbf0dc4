"""Cell checks and the per-edition allowances, on their own."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egov.data.countries import CountryRegistry
from egov.data.validation import (
    EDITION_YEARS,
    UNBOUNDED_COMPONENTS,
    CellError,
    CountryRow,
    Editions,
    RowRules,
    SourceRow,
    country_row,
    edition_year,
    number,
    published,
    rank,
    row_issues,
    year_in_name,
)

LABELS = {
    "year": "Survey Year",
    "name": "Country Name",
    "rank": "Rank",
    "hci": "HCI",
    "egdi": "EGDI",
}


def _row(**cells: str) -> SourceRow:
    return SourceRow(row=7, cells=cells, labels=LABELS)


def test_the_twelve_editions_with_country_data() -> None:
    assert EDITION_YEARS == (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)
    assert set(UNBOUNDED_COMPONENTS) == {2003, 2004, 2005}


@pytest.mark.parametrize(
    "text", ["abc", "nan", "inf", "-inf", "1e400", "0.5.1", "1,5", "0.5_1", "0x10", "½"]
)
def test_text_and_non_finite_values_are_not_numbers(text: str) -> None:
    with pytest.raises(CellError):
        number(text)


def test_a_decimal_comma_is_read_only_when_the_separator_allows_it() -> None:
    assert number("0,69556", decimal_comma=True) == 0.69556
    assert number(",5", decimal_comma=True) == 0.5
    with pytest.raises(CellError):
        number("0,69556")


@pytest.mark.parametrize(
    ("text", "expected"), [("174", 174), ("174.0", 174), (" 1 ", 1), ("", None)]
)
def test_ranks_are_positive_integers_or_blank(text: str, expected: int | None) -> None:
    assert rank(text) == expected


@pytest.mark.parametrize("text", ["0", "-3", "1.5", "0.0"])
def test_other_ranks_are_refused(text: str) -> None:
    with pytest.raises(CellError):
        rank(text)


@pytest.mark.parametrize(("text", "year"), [("2022", 2022), ("2003.0", 2003), (" 2024 ", 2024)])
def test_edition_years(text: str, year: int) -> None:
    assert edition_year(text) == year


@pytest.mark.parametrize("text", ["2001", "2021", "2022.5", "twenty", ""])
def test_other_years_are_not_editions(text: str) -> None:
    with pytest.raises(CellError):
        edition_year(text)


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("egdi-2018.csv", "2018"),
        ("EGOV_DATA_2024 (1).csv", "2024"),
        ("data/EGOV_DATA_2022.csv", "2022"),
        ("EGOV_DATA.csv", None),
        ("export_20240917.csv", None),
        ("2020_vs_2022.csv", None),
    ],
)
def test_the_year_in_a_file_name_is_its_one_four_digit_group(name: str, year: str | None) -> None:
    assert year_in_name(name) == year


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_a_value_written_with_5_decimals_reads_back_as_published(value: float) -> None:
    once = published(value)
    assert number(f"{once:.5f}") is not None
    assert published(number(f"{once:.5f}") or 0.0) == once
    assert published(number(repr(once)) or 0.0) == once


@given(st.integers(min_value=0, max_value=100_000))
def test_float_noise_rounds_to_the_published_decimals(units: int) -> None:
    exact = units / 100_000
    noisy = exact + 1e-16
    assert published(noisy) == exact


def test_hci_above_one_is_allowed_only_where_the_edition_did_not_rescale(
    country_registry: CountryRegistry,
) -> None:
    rules = RowRules(file="f.csv", registry=country_registry)
    for year in (2003, 2004, 2005):
        assert list(row_issues(_row(year=str(year), name="Micronesia", hci="1.422"), rules)) == []
    (issue,) = row_issues(_row(year="2008", name="Micronesia", hci="1.422"), rules)
    assert (issue.code, issue.row, issue.field, issue.value) == ("out-of-range", 7, "HCI", "1.422")
    (issue,) = row_issues(_row(year="2003", name="Micronesia", egdi="1.1"), rules)
    assert issue.code == "out-of-range"
    (issue,) = row_issues(_row(year="2003", name="Micronesia", hci="-0.1"), rules)
    assert issue.code == "out-of-range"


def test_a_clean_row_becomes_a_typed_row(country_registry: CountryRegistry) -> None:
    rules = RowRules(file="f.csv", registry=country_registry)
    source = _row(year="2022", name="Korea, South", rank="3.0", egdi="0.9529000000000001", hci="")
    assert list(row_issues(source, rules)) == []
    row = country_row(source, rules)
    assert (row.year, row.iso3, row.name, row.rank) == (2022, "KOR", "Korea, South", 3)
    assert row.values["egdi"] == 0.9529
    assert math.isnan(row.values["hci"])


def test_each_issue_names_the_file_row_field_and_value(country_registry: CountryRegistry) -> None:
    rules = RowRules(file="f.csv", registry=country_registry)
    issues = list(row_issues(_row(year="2019", name="Atlantis ", rank="0", egdi="x"), rules))
    assert [(i.code, i.field, i.value) for i in issues] == [
        ("not-an-edition", "Survey Year", "2019"),
        ("unknown-country", "Country Name", "Atlantis "),
        ("invalid-rank", "Rank", "0"),
        ("not-a-number", "EGDI", "x"),
    ]
    assert str(issues[1]) == 'f.csv:7: Country Name: unknown country "Atlantis " (no ISO3 match)'


def _typed(source: SourceRow, registry: CountryRegistry) -> tuple[SourceRow, CountryRow]:
    rules = RowRules(file="f.csv", registry=registry)
    assert list(row_issues(source, rules)) == []
    return source, country_row(source, rules)


def test_a_repeat_is_a_note_when_identical_and_an_error_otherwise(
    country_registry: CountryRegistry,
) -> None:
    editions = Editions(RowRules(file="f.csv", registry=country_registry))
    first = _typed(_row(year="2022", name="Iraq ", rank="146", egdi="0.4383"), country_registry)
    same = _typed(
        SourceRow(8, {"year": "2022", "name": "Iraq", "rank": "146.0", "egdi": "0.43830"}, LABELS),
        country_registry,
    )
    blank = _typed(
        SourceRow(9, {"year": "2022", "name": "Iraq", "rank": "146", "egdi": ""}, LABELS),
        country_registry,
    )
    assert list(editions.add(*first)) == []
    assert list(editions.add(*same)) == []
    assert editions.repeats == {2022: 1}
    (issue,) = editions.add(*blank)
    assert (issue.code, issue.row, issue.field) == ("duplicate-country", 9, "Country Name")
    assert "row 7" in issue.message


def test_rows_carrying_other_indices_merge(country_registry: CountryRegistry) -> None:
    editions = Editions(RowRules(file="f.csv", registry=country_registry, keyed_by_code=True))
    labels = {"code": "REF_AREA", "year": "2022", "egdi": "2022", "hci": "2022"}
    for row, index in ((2, "egdi"), (200, "hci")):
        source = SourceRow(row, {"code": "IRQ", "year": "2022", index: "0.5"}, labels)
        rules = RowRules(file="f.csv", registry=country_registry, keyed_by_code=True)
        assert list(editions.add(source, country_row(source, rules))) == []
    assert editions.merged[(2022, "IRQ")].values == {"egdi": 0.5, "hci": 0.5}
    assert editions.repeats == {}
