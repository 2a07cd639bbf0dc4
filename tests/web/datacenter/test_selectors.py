from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django import DjangoAssertNumQueries

from egov.web.datacenter import selectors, services
from egov.web.datacenter.models import Country, Edition, IndexValue

#: The official 2020 regional averages of EGDI (EGOV_REGION_DATA_2020_EGDI.csv, spec §10).
OFFICIAL_2020 = {
    "Europe": 0.8170,
    "Asia": 0.6373,
    "Americas": 0.6341,
    "Oceania": 0.5106,
    "Africa": 0.3914,
}


def _edition(year: int) -> Edition:
    return Edition.objects.get(year=year)


@pytest.mark.django_db
def test_ranking_lists_every_country_by_rank_with_registry_names(imported: list[Path]) -> None:
    ranking = selectors.edition_ranking(edition=_edition(2024))

    assert len(ranking.rows) == 193
    assert [row.rank for row in ranking.rows] == sorted(row.rank or 0 for row in ranking.rows)
    first = ranking.rows[0]
    assert (first.rank, first.iso3, first.name, first.egdi) == (1, "DNK", "Denmark", 0.98474)
    assert (first.region, first.sub_region, first.group, first.rating_class) == (
        "Europe",
        "Northern Europe",
        "V",
        "VH",
    )
    assert all(row.name == row.name.strip() for row in ranking.rows)
    assert ranking.previous_year == 2022
    assert ranking.rating_classes_published


@pytest.mark.django_db
def test_ranking_classes_reproduce_the_published_top_class_counts(imported: list[Path]) -> None:
    for year, very_high in ((2020, 14), (2022, 15), (2024, 19)):  # 2024: 18 named, spec §8
        rows = selectors.edition_ranking(edition=_edition(year)).rows
        assert sum(row.rating_class == "VH" for row in rows) == very_high, year


@pytest.mark.django_db
def test_ranking_before_2020_computes_classes_but_marks_them_unpublished(
    imported: list[Path],
) -> None:
    ranking = selectors.edition_ranking(edition=_edition(2018))

    assert not ranking.rating_classes_published
    assert all(row.rating_class for row in ranking.rows)


@pytest.mark.django_db
def test_rank_change_compares_with_the_previous_edition(imported: list[Path]) -> None:
    rows = {row.iso3: row for row in selectors.edition_ranking(edition=_edition(2020)).rows}
    first = selectors.edition_ranking(edition=_edition(2003))

    assert rows["EST"].rank_change == 16 - 3  # 16th in 2018, 3rd in 2020
    assert rows["DNK"].rank_change == 0
    assert first.previous_year is None
    assert {row.rank_change for row in first.rows} == {None}


@pytest.mark.django_db
def test_special_groups_follow_the_edition_year(imported: list[Path]) -> None:
    registry = services.default_registry()
    for year in (2014, 2020, 2024):
        rows = selectors.edition_ranking(edition=_edition(year)).rows
        for group in ("ldc", "lldc", "sids"):
            listed = {row.iso3 for row in rows if getattr(row, group)}
            assert listed == registry.in_group(group, year), (year, group)
    vanuatu = {r.iso3: r for r in selectors.edition_ranking(edition=_edition(2020)).rows}["VUT"]
    assert vanuatu.ldc  # graduated 4 December 2020, after the 1 July reference


@pytest.mark.django_db
def test_a_country_not_yet_a_member_has_no_rank_group_or_class(imported: list[Path]) -> None:
    rows = {row.iso3: row for row in selectors.edition_ranking(edition=_edition(2010)).rows}

    south_sudan = rows["SSD"]
    assert (south_sudan.status, south_sudan.rank, south_sudan.group) == ("not-member", None, None)
    assert south_sudan.rating_class is None
    assert not south_sudan.assessed
    assert list(rows)[-1] == "SSD"  # unranked rows come last


@pytest.mark.django_db
def test_not_assessed_countries_share_the_last_rank_without_a_class(
    imported: list[Path],
) -> None:
    rows = selectors.edition_ranking(edition=_edition(2003)).rows
    not_assessed = [row for row in rows if row.status == "not-assessed"]

    assert len(not_assessed) == 18
    assert {row.rank for row in not_assessed} == {174}
    assert {row.rating_class for row in not_assessed} == {None}
    assert {row.group for row in not_assessed} == {"L"}


@pytest.mark.django_db
def test_ranking_costs_at_most_three_queries_whatever_the_edition(
    imported: list[Path], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for year in (2003, 2024):  # 2003 has no previous edition to read: two
        edition = _edition(year)
        with django_assert_max_num_queries(3):
            selectors.edition_ranking(edition=edition)


@pytest.mark.django_db
def test_history_lists_the_country_in_every_edition(
    imported: list[Path], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    denmark = Country.objects.get(iso3="DNK")
    with django_assert_num_queries(1):
        history = selectors.country_history(country=denmark)

    assert [row.year for row in history] == [
        2003,
        2004,
        2005,
        2008,
        2010,
        2012,
        2014,
        2016,
        2018,
        2020,
        2022,
        2024,
    ]
    latest = history[-1]
    assert (latest.rank, latest.egdi, latest.group, latest.rating_class) == (1, 0.98474, "V", "VH")
    assert latest.rating_classes_published
    assert not history[0].rating_classes_published
    ranking = {r.iso3: r for r in selectors.edition_ranking(edition=_edition(2016)).rows}
    in_2016 = next(row for row in history if row.year == 2016)
    assert (in_2016.rank, in_2016.rating_class) == (
        ranking["DNK"].rank,
        ranking["DNK"].rating_class,
    )


@pytest.mark.django_db
def test_history_of_south_sudan_shows_it_before_it_was_a_member(imported: list[Path]) -> None:
    history = selectors.country_history(country=Country.objects.get(iso3="SSD"))

    statuses = {row.year: row.status for row in history}
    assert statuses[2010] == "not-member"
    assert statuses[2012] == "assessed"


@pytest.mark.django_db
def test_index_values_filter_by_edition_country_index_region_and_group(
    imported: list[Path],
) -> None:
    edition = _edition(2024)
    registry = services.default_registry()

    assert selectors.index_values(edition=edition).count() == 193 * 5
    assert selectors.index_values(edition=edition, index="egdi").count() == 193
    kenya = Country.objects.get(iso3="KEN")
    assert selectors.index_values(country=kenya).count() == 12 * 5
    europe = selectors.index_values(edition=edition, index="egdi", region="Europe")
    assert europe.count() == 43
    ldc = selectors.index_values(edition=edition, index="egdi", group="ldc")
    assert {row["iso3"] for row in ldc} == registry.in_group("ldc", 2024)
    every_ldc = selectors.index_values(index="egdi", group="ldc")
    assert every_ldc.count() == sum(
        len(registry.in_group("ldc", year))
        for year in Edition.objects.values_list("year", flat=True)
    )
    first = selectors.index_values(edition=edition, index="egdi").first()
    assert first == {"year": 2024, "iso3": "DNK", "index": "egdi", "value": 0.98474, "rank": 1}


@pytest.mark.django_db
def test_aggregates_reproduce_the_official_2020_regional_averages(imported: list[Path]) -> None:
    frame = selectors.edition_aggregates(edition=_edition(2020))
    egdi = frame[frame["index"] == "egdi"].set_index(["grouping", "group"])

    for region, mean in OFFICIAL_2020.items():
        assert round(egdi.loc[("region", region), "mean"], 4) == mean, region
    assert round(egdi.loc[("world", "World"), "mean"], 4) == 0.5988
    assert egdi.loc[("world", "World"), "count"] == 193
    regions = egdi.loc["region"]
    assert regions["count"].sum() == 193
    assert regions["share"].sum() == pytest.approx(1.0)
    assert set(egdi.loc["special_group"].index) == {"ldc", "lldc", "sids"}
    assert set(egdi.loc["income_group"].index) == {"High", "Upper middle", "Lower middle", "Low"}
    assert list(frame.columns) == ["grouping", "group", "index", "mean", "median", "count", "share"]


@pytest.mark.django_db
def test_aggregates_leave_not_assessed_countries_out(imported: list[Path]) -> None:
    frame = selectors.edition_aggregates(edition=_edition(2010))
    world = frame[(frame["grouping"] == "world") & (frame["index"] == "egdi")].iloc[0]

    assert (round(world["mean"], 4), world["count"]) == (0.4406, 183)  # spec §10


@pytest.mark.django_db
def test_edition_summaries_carry_the_method_and_the_counts(imported: list[Path]) -> None:
    summaries = selectors.edition_summaries()

    assert [s.year for s in summaries][:2] == [2003, 2004]
    latest = selectors.edition_summaries(year=2024)[0]
    assert (latest.countries, latest.indices) == (193, ("egdi", "epi", "osi", "hci", "tii"))
    assert latest.rating_classes_published
    assert latest.title.startswith("UN E-Government Survey")


@pytest.mark.django_db
def test_published_version_changes_when_an_edition_is_imported_again(
    imported: list[Path], tmp_path: Path
) -> None:
    before = selectors.published_version()
    assert selectors.published_version() == before
    original = next(path for path in imported if path.name == "EGOV_DATA_2024.csv")
    changed = tmp_path / original.name
    changed.write_text(
        original.read_text(encoding="utf-8").replace("0.98474", "0.98470"), encoding="utf-8"
    )

    services.editions_import(paths=[changed])

    assert IndexValue.objects.get(edition__year=2024, country__iso3="DNK", index="egdi").value == (
        0.9847
    )
    assert selectors.published_version() != before
