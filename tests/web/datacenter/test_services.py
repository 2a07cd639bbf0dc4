from __future__ import annotations

import math
from pathlib import Path

import pytest
from django.db import connection
from tests.fixtures.malformed import CASES, MalformedCase

from egov.data.readers import read_paths
from egov.errors import DataFileError
from egov.web.datacenter import selectors, services
from egov.web.datacenter.models import Country, Edition, EditionCountry, IndexValue


def _snapshot() -> dict[str, list[tuple[object, ...]]]:
    return {
        "countries": list(Country.objects.order_by("iso3").values_list()),
        "editions": list(Edition.objects.order_by("year").values_list()),
        "rows": list(EditionCountry.objects.order_by("id").values_list()),
        "values": list(IndexValue.objects.order_by("id").values_list()),
    }


@pytest.mark.django_db
def test_every_published_edition_imports_with_all_its_countries(
    published_files: list[Path],
) -> None:
    summary = services.editions_import(paths=published_files)

    assert [change.year for change in summary.editions] == [
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
    assert {change.status for change in summary.editions} == {"new"}
    assert Country.objects.count() == 193
    for edition in Edition.objects.all():
        assert edition.rows.count() == 193
        assert IndexValue.objects.filter(edition=edition).count() == 193 * 5


@pytest.mark.django_db
def test_stored_edition_equals_the_file_it_came_from(published_files: list[Path]) -> None:
    services.editions_import(paths=published_files)
    for table in read_paths(published_files, registry=services.default_registry()):
        stored = selectors.edition_table(edition=Edition.objects.get(year=table.year)).frame
        expected = table.frame.sort_index()
        stored = stored.sort_index()
        assert list(stored.index) == list(expected.index)
        assert list(stored["name"]) == list(expected["name"])
        assert list(stored["row"]) == list(expected["row"])
        assert stored["rank"].equals(expected["rank"]), table.year
        for index in ("egdi", "epi", "osi", "hci", "tii"):
            assert (stored[index] - expected[index]).abs().max() == 0, (table.year, index)


@pytest.mark.django_db
def test_importing_the_same_files_again_changes_nothing(published_files: list[Path]) -> None:
    services.editions_import(paths=published_files)
    before = _snapshot()

    summary = services.editions_import(paths=published_files)

    assert {change.status for change in summary.editions} == {"unchanged"}
    assert sum(change.unchanged for change in summary.editions) == 12 * 193 * 5
    assert _snapshot() == before


@pytest.mark.django_db
def test_reimporting_an_edition_replaces_that_edition_only(
    published_files: list[Path], tmp_path: Path
) -> None:
    services.editions_import(paths=published_files)
    others = list(IndexValue.objects.exclude(edition__year=2022).order_by("id").values_list())
    source = next(path for path in published_files if path.name == "EGOV_DATA_2022.csv")
    text = source.read_text(encoding="utf-8")
    # Denmark's 2022 EPI 0.8864 revised to 0.9000 in a corrected download.
    revised = tmp_path / "EGOV_DATA_2022.csv"
    line = next(row for row in text.splitlines() if row.startswith('2022,"Denmark'))
    fields = line.split(",")
    assert fields[4] == "0.88640", line
    fields[4] = "0.90000"
    revised.write_text(text.replace(line, ",".join(fields)), encoding="utf-8")

    summary = services.editions_import(paths=[revised])

    (change,) = summary.editions
    assert (change.year, change.status, change.changed, change.added) == (2022, "changed", 1, 0)
    value = IndexValue.objects.get(edition__year=2022, country__iso3="DNK", index="epi")
    assert math.isclose(value.value, 0.9)
    assert (
        list(IndexValue.objects.exclude(edition__year=2022).order_by("id").values_list()) == others
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_malformed_file_leaves_the_database_as_it_was(
    case: MalformedCase, published_files: list[Path], tmp_path: Path
) -> None:
    services.editions_import(paths=published_files[-2:])
    before = _snapshot()
    paths = case.write(tmp_path)

    with pytest.raises(DataFileError) as caught:
        services.editions_import(paths=paths)

    found = [(issue.file, issue.row, issue.field, issue.code) for issue in caught.value.issues]
    assert found == list(case.expected)
    assert _snapshot() == before
    assert not connection.in_atomic_block


def _data360_files() -> list[Path]:
    from egov.config import data_dir

    folder = data_dir() / "egdi" / "other-layouts" / "LazaroDamasceno-Dissertacao-Mestrado-data360"
    files = sorted(folder.glob("UN_EGDI_*_WIDEF.csv"))
    assert len(files) == 4, folder
    return files


@pytest.mark.django_db
def test_a_republished_layout_imported_over_the_official_files_changes_no_value(
    published_files: list[Path],
) -> None:
    services.editions_import(paths=published_files)
    before = _snapshot()

    summary = services.editions_import(paths=_data360_files())

    assert len(summary.editions) == 12
    for change in summary.editions:
        assert change.indices == ("egdi", "osi", "hci", "tii")
        assert (change.status, change.unchanged) == ("unchanged", 193 * 4)
    assert _snapshot() == before  # ranks and the Survey's spelling of names survive


@pytest.mark.django_db
def test_official_files_complete_an_edition_first_imported_from_another_layout(
    published_files: list[Path],
) -> None:
    services.editions_import(paths=_data360_files())
    korea = EditionCountry.objects.get(edition__year=2024, country__iso3="KOR")
    assert korea.published_name == "Korea, Rep."
    assert not IndexValue.objects.filter(index="epi").exists()

    summary = services.editions_import(paths=published_files)

    for change in summary.editions:
        # the EPI values and the EGDI ranks are what the official files add
        assert change.added == 193, change
        ranked = IndexValue.objects.filter(
            edition__year=change.year, index="egdi", rank__isnull=False
        ).count()
        assert ranked >= 190
        assert change.changed == ranked, change  # EGDI rows gain their published rank
    korea = EditionCountry.objects.get(edition__year=2024, country__iso3="KOR")
    assert korea.published_name == "Republic of Korea "
    verified = selectors.editions_verification()
    assert all(report.ok for report in verified)


@pytest.mark.django_db
def test_a_partial_file_replaces_only_the_countries_it_lists(
    published_files: list[Path], tmp_path: Path
) -> None:
    services.editions_import(paths=published_files)
    before = _snapshot()
    source = next(path for path in published_files if path.name == "EGOV_DATA_2024.csv")
    extract = tmp_path / "EGOV_DATA_2024.csv"
    extract.write_text(
        "\n".join(source.read_text(encoding="utf-8").splitlines()[:11]) + "\n", encoding="utf-8"
    )

    summary = services.editions_import(paths=[extract])

    (change,) = summary.editions
    assert (change.status, change.unchanged, change.added, change.changed) == (
        "unchanged",
        10 * 5,
        0,
        0,
    )
    assert [note.code for note in change.notes] == ["missing-members"]
    assert _snapshot() == before


@pytest.mark.django_db
def test_an_edition_merged_from_many_files_and_layouts_keeps_its_whole_provenance(
    published_files: list[Path], tmp_path: Path
) -> None:
    from egov.config import data_dir
    from egov.data.writers import write_json

    unu = data_dir() / "egdi" / "other-layouts" / "UNU-EGOV-datasets" / "egdi-2018.csv"
    official_2018 = next(path for path in published_files if path.name.endswith("2018.csv"))
    (table,) = read_paths([official_2018], registry=services.default_registry())
    exported = tmp_path / "egov-export-2018.json"
    write_json([table], exported)

    services.editions_import(paths=[*_data360_files(), official_2018, unu, exported])

    edition = Edition.objects.get(year=2018)
    assert edition.layout == "data360-wide + undesa-csv + unu-egov + egov-json"
    assert len(edition.layout) > 40  # the limit the field had; PostgreSQL enforced it
    assert edition.source.count(" + ") == 6
    assert all(report.ok for report in selectors.editions_verification())
