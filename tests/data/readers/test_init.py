"""The entry points on the real published files: each reads, each copy equals the original."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
from tests.data.compare import assert_same_values

from egov.data.countries import CountryRegistry
from egov.data.readers import read_bytes, read_file, read_paths
from egov.data.tables import FRAME_COLUMNS, INDICES, EditionTable
from egov.data.validation import ISSUE_CAP
from egov.errors import DataFileError

EDITIONS = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)
OTHER_LAYOUT_FILES = (
    "sevenChrisK-text-mining-week1/EGOV_WITH_REGIONS_DATA_2022.csv",
    "MaryliaCruzS-Estadistica1CienciaPolitica/EGOV_DATA_2024.csv",
    "egovspace-un-egov-ranking/EGOV_DATA_2018.csv",
    "UNU-EGOV-datasets/egdi-2010.csv",
    "UNU-EGOV-datasets/egdi-2012.csv",
    "UNU-EGOV-datasets/egdi-2014.csv",
    "UNU-EGOV-datasets/egdi-2016.csv",
    "UNU-EGOV-datasets/egdi-2018.csv",
    "KoheiTakata-E-government/EGOV_DATA.csv",
    "LazaroDamasceno-Dissertacao-Mestrado-data360/UN_EGDI_EGDI_WIDEF.csv",
    "LazaroDamasceno-Dissertacao-Mestrado-data360/UN_EGDI_OSI_WIDEF.csv",
    "LazaroDamasceno-Dissertacao-Mestrado-data360/UN_EGDI_HCI_WIDEF.csv",
    "LazaroDamasceno-Dissertacao-Mestrado-data360/UN_EGDI_TII_WIDEF.csv",
)


def test_every_other_layout_file_is_listed(other_layouts_dir: Path) -> None:
    found = {
        path.relative_to(other_layouts_dir).as_posix() for path in other_layouts_dir.rglob("*.csv")
    }
    assert found == set(OTHER_LAYOUT_FILES)


def test_the_12_official_editions_read_with_193_members_each(
    official_tables: dict[int, EditionTable], country_registry: CountryRegistry
) -> None:
    assert sorted(official_tables) == list(EDITIONS)
    for year, table in official_tables.items():
        assert table.year == year
        assert table.layout == "undesa-csv"
        assert table.source == f"EGOV_DATA_{year}.csv"
        assert set(table.frame.index) == country_registry.member_codes
        assert list(table.frame.columns) == list(FRAME_COLUMNS)
        assert table.frame.index.name == "iso3"
        assert table.indices == INDICES
        assert table.notes == ()


def test_official_frames_hold_the_published_text_exactly(
    official_files: dict[int, Path], official_tables: dict[int, EditionTable]
) -> None:
    """Checked against pandas' own reading of the files: names, rows, ranks, values."""
    for year, path in official_files.items():
        published = pd.read_csv(path, dtype={"Country Name": str})
        frame = official_tables[year].frame
        assert list(frame["name"]) == list(published["Country Name"])  # trailing spaces kept
        assert list(frame["row"]) == list(range(2, 195))
        assert frame["rank"].dtype == "Int64"
        assert (
            frame["rank"].astype("Float64").tolist()
            == published["E-Government Rank"].astype("Float64").tolist()
        )
        for key, column in zip(INDICES, published.columns[3:], strict=True):
            assert (frame[key].to_numpy() == published[column].round(5).to_numpy()).all()


def test_reading_all_12_editions_is_fast(
    official_files: dict[int, Path], country_registry: CountryRegistry
) -> None:
    started = time.perf_counter()
    for path in official_files.values():
        read_file(path, registry=country_registry)
    assert time.perf_counter() - started < 1.0


def test_empty_ranks_and_scores_above_one_are_read_as_published(
    official_tables: dict[int, EditionTable],
) -> None:
    frame_2003 = official_tables[2003].frame
    assert frame_2003["rank"].isna().sum() == 2  # Montenegro, South Sudan
    assert pd.isna(frame_2003.at["MNE", "rank"])
    assert frame_2003.at["FSM", "hci"] == 1.422  # not rescaled in 2003
    assert (frame_2003["rank"] == 174).sum() == 18  # not assessed share the last rank


@pytest.mark.parametrize("relative", OTHER_LAYOUT_FILES)
def test_every_re_published_file_equals_the_official_file_of_its_edition(
    relative: str,
    other_layouts_dir: Path,
    official_tables: dict[int, EditionTable],
    country_registry: CountryRegistry,
) -> None:
    path = other_layouts_dir / relative
    tables = read_file(path, registry=country_registry)
    assert tables
    for table in tables:
        assert_same_values(table, official_tables[table.year])


def test_each_layout_is_told_by_its_header(
    other_layouts_dir: Path, country_registry: CountryRegistry
) -> None:
    layouts = {
        relative: {
            table.layout
            for table in read_file(other_layouts_dir / relative, registry=country_registry)
        }
        for relative in OTHER_LAYOUT_FILES
    }
    assert layouts["UNU-EGOV-datasets/egdi-2018.csv"] == {"unu-egov"}
    assert layouts["MaryliaCruzS-Estadistica1CienciaPolitica/EGOV_DATA_2024.csv"] == {"undesa-csv"}
    assert layouts["LazaroDamasceno-Dissertacao-Mestrado-data360/UN_EGDI_HCI_WIDEF.csv"] == {
        "data360-wide"
    }


def test_concatenated_editions_with_every_row_twice_read_once_with_a_note(
    other_layouts_dir: Path, country_registry: CountryRegistry
) -> None:
    tables = read_file(
        other_layouts_dir / "KoheiTakata-E-government/EGOV_DATA.csv", registry=country_registry
    )
    assert [table.year for table in tables] == [y for y in EDITIONS if y not in (2012, 2022, 2024)]
    for table in tables:
        assert [note.code for note in table.notes] == ["duplicate-rows"]
        assert "every row appears twice" in table.notes[0].message


def test_an_extra_code_column_that_disagrees_is_a_note_not_an_error(
    other_layouts_dir: Path, country_registry: CountryRegistry
) -> None:
    (table,) = read_file(
        other_layouts_dir / "egovspace-un-egov-ranking/EGOV_DATA_2018.csv",
        registry=country_registry,
    )
    (note,) = table.notes
    assert note.code == "code-mismatch"
    assert "BHM (ISO3 BHS)" in note.message


def test_a_data360_file_gives_12_editions_of_its_one_index(
    other_layouts_dir: Path, country_registry: CountryRegistry
) -> None:
    tables = read_file(
        other_layouts_dir / "LazaroDamasceno-Dissertacao-Mestrado-data360/UN_EGDI_OSI_WIDEF.csv",
        registry=country_registry,
    )
    assert [table.year for table in tables] == list(EDITIONS)
    for table in tables:
        assert table.indices == ("osi",)
        assert table.frame["rank"].isna().all()
        assert table.frame["epi"].isna().all()
    assert tables[0].frame.at["SSD", "osi"] == 0.0  # zeros kept as published
    assert tables[0].frame.at["KOR", "name"] == "Korea, Rep."


def test_read_paths_merges_the_four_data360_files_into_one_table_per_edition(
    other_layouts_dir: Path,
    official_tables: dict[int, EditionTable],
    country_registry: CountryRegistry,
) -> None:
    tables = read_paths(
        [other_layouts_dir / "LazaroDamasceno-Dissertacao-Mestrado-data360"],
        registry=country_registry,
    )
    assert [table.year for table in tables] == list(EDITIONS)
    for table in tables:
        assert table.indices == ("egdi", "osi", "hci", "tii")
        assert table.layout == "data360-wide"
        assert table.source.count("+") == 3
        assert [note.code for note in table.notes] == ["merged"]
        assert_same_values(table, official_tables[table.year])


def test_read_paths_reads_every_published_country_file_as_one_table_per_edition(
    shared_data_dir: Path,
    official_files: dict[int, Path],
    official_tables: dict[int, EditionTable],
    country_registry: CountryRegistry,
) -> None:
    paths = [*official_files.values(), shared_data_dir / "egdi" / "other-layouts"]
    tables = read_paths(paths, registry=country_registry)
    assert [table.year for table in tables] == list(EDITIONS)
    for table in tables:
        assert_same_values(table, official_tables[table.year])
        assert table.indices == INDICES
        assert table.source.startswith(f"EGOV_DATA_{table.year}.csv + ")
        # name and row come from the first file listing the country: the official one
        pd.testing.assert_series_equal(
            table.frame["name"], official_tables[table.year].frame["name"], check_names=False
        )


def test_the_regional_averages_file_is_refused_as_not_country_data(
    shared_data_dir: Path, country_registry: CountryRegistry
) -> None:
    with pytest.raises(DataFileError) as caught:
        read_file(
            shared_data_dir / "egdi" / "regional" / "EGOV_REGION_DATA_2020_EGDI.csv",
            registry=country_registry,
        )
    (issue,) = caught.value.issues
    assert issue.code == "unknown-layout"
    assert "regional averages" in issue.message


def test_read_bytes_equals_read_file_and_names_the_upload(
    official_files: dict[int, Path], country_registry: CountryRegistry
) -> None:
    content = official_files[2014].read_bytes()
    (table,) = read_bytes(content, display_name="upload.csv", registry=country_registry)
    (same,) = read_file(official_files[2014], registry=country_registry)
    assert table.source == "upload.csv"
    pd.testing.assert_frame_equal(table.frame, same.frame)


def test_a_partial_edition_is_accepted_with_a_note_naming_the_missing_members(
    official_files: dict[int, Path], tmp_path: Path, country_registry: CountryRegistry
) -> None:
    lines = official_files[2016].read_text(encoding="utf-8").splitlines()
    path = tmp_path / "EGOV_DATA_2016.csv"
    path.write_text("\n".join(lines[:11]) + "\n", encoding="utf-8")
    (table,) = read_file(path, registry=country_registry)
    assert len(table.frame) == 10
    (note,) = table.notes
    assert note.code == "missing-members"
    assert note.value is not None
    assert len(note.value.split()) == 183
    assert note.message.startswith("183 of the 193 Member States are not in the 2016 edition")


def test_issues_are_capped_per_file_and_the_rest_counted(
    official_files: dict[int, Path], tmp_path: Path, country_registry: CountryRegistry
) -> None:
    lines = official_files[2020].read_text(encoding="utf-8").splitlines()
    bad = [lines[0]] + [line.replace("2020,", "2021,", 1) for line in lines[1:]] * 2
    path = tmp_path / "EGOV_DATA_2020.csv"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_paths([path], registry=country_registry)
    assert len(caught.value.issues) == ISSUE_CAP
    assert caught.value.truncated == 386 - ISSUE_CAP
    assert "and 186 more problems" in str(caught.value)


def test_a_folder_gives_its_csv_and_xlsx_files_in_order_named_relative_to_it(
    official_files: dict[int, Path], tmp_path: Path, country_registry: CountryRegistry
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "EGOV_DATA_2012.csv").write_bytes(official_files[2012].read_bytes())
    (tmp_path / "EGOV_DATA_2008.csv").write_bytes(official_files[2008].read_bytes())
    (tmp_path / "README.md").write_text("not data", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".~lock.EGOV_DATA_2008.csv#").write_text("lock", encoding="utf-8")
    (tmp_path / "~$EGOV_DATA.xlsx").write_bytes(b"lock")
    tables = read_paths([tmp_path], registry=country_registry)
    assert [(table.year, table.source) for table in tables] == [
        (2008, "EGOV_DATA_2008.csv"),
        (2012, "b/EGOV_DATA_2012.csv"),
    ]


def test_nothing_to_read_is_an_issue(tmp_path: Path, country_registry: CountryRegistry) -> None:
    with pytest.raises(DataFileError) as caught:
        read_paths([tmp_path], registry=country_registry)
    assert [issue.code for issue in caught.value.issues] == ["no-files"]
    with pytest.raises(DataFileError) as caught:
        read_paths([tmp_path / "absent.csv"], registry=country_registry)
    assert [(issue.file, issue.code) for issue in caught.value.issues] == [
        ("absent.csv", "missing-file")
    ]


def test_two_copies_of_one_edition_that_agree_merge_silently(
    official_files: dict[int, Path], tmp_path: Path, country_registry: CountryRegistry
) -> None:
    copy = tmp_path / "copy" / "EGOV_DATA_2022.csv"
    copy.parent.mkdir()
    copy.write_bytes(official_files[2022].read_bytes())
    (table,) = read_paths([official_files[2022], copy], registry=country_registry)
    assert table.source == f"{official_files[2022]} + {copy}"  # same names: full paths
    assert [note.code for note in table.notes] == ["merged"]


def test_rows_of_one_other_edition_decide_over_the_file_name(
    official_files: dict[int, Path], tmp_path: Path, country_registry: CountryRegistry
) -> None:
    path = tmp_path / "EGOV_DATA_2022.csv"
    path.write_bytes(official_files[2020].read_bytes())
    (table,) = read_file(path, registry=country_registry)
    assert table.year == 2020
    assert [(note.code, note.value) for note in table.notes] == [("year-differs-from-name", "2022")]
