"""Every export reads back to identical values; the CSV is the Data Center's, byte for byte."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.data.compare import frames_equal_except_rows

from egov.data.countries import CountryRegistry
from egov.data.readers import read_file, read_paths
from egov.data.tables import INDICES, EditionTable
from egov.data.writers import write_csv, write_json, write_xlsx
from egov.data.writers.csv import csv_text

Writer = Callable[[Sequence[EditionTable], Path], None]
WRITERS: dict[str, Writer] = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}


@pytest.mark.parametrize("suffix", WRITERS)
def test_each_edition_exported_alone_reads_back_identical(
    suffix: str,
    official_tables: dict[int, EditionTable],
    country_registry: CountryRegistry,
    tmp_path: Path,
) -> None:
    for year, table in official_tables.items():
        path = tmp_path / f"EGOV_DATA_{year}.{suffix}"
        WRITERS[suffix]([table], path)
        (back,) = read_file(path, registry=country_registry)
        assert back.year == year
        pd.testing.assert_frame_equal(back.frame, table.frame)  # rows too: same order, no gaps


@pytest.mark.parametrize("suffix", WRITERS)
def test_all_editions_in_one_file_read_back_as_12_tables(
    suffix: str,
    official_tables: dict[int, EditionTable],
    country_registry: CountryRegistry,
    tmp_path: Path,
) -> None:
    tables = list(official_tables.values())
    path = tmp_path / f"EGOV_DATA.{suffix}"
    WRITERS[suffix](tables, path)
    back = read_file(path, registry=country_registry)
    assert [table.year for table in back] == [table.year for table in tables]
    for original, copy in zip(tables, back, strict=True):
        assert frames_equal_except_rows(original.frame, copy.frame)


def test_the_csv_is_the_data_center_download_byte_for_byte(
    official_files: dict[int, Path], official_tables: dict[int, EditionTable]
) -> None:
    assert csv_text([official_tables[2022]]).encode() == official_files[2022].read_bytes()  # CRLF
    for year, path in official_files.items():
        published = path.read_bytes().replace(b"\r\n", b"\n")
        assert csv_text([official_tables[year]]).encode().replace(b"\r\n", b"\n") == published


def test_a_table_without_ranks_or_epi_round_trips_with_empty_cells(
    other_layouts_dir: Path, country_registry: CountryRegistry, tmp_path: Path
) -> None:
    tables = read_paths(
        [other_layouts_dir / "LazaroDamasceno-Dissertacao-Mestrado-data360"],
        registry=country_registry,
    )
    for suffix, writer in WRITERS.items():
        path = tmp_path / f"merged.{suffix}"
        writer(tables, path)
        back = read_file(path, registry=country_registry)
        for original, copy in zip(tables, back, strict=True):
            assert frames_equal_except_rows(original.frame, copy.frame)
            assert copy.indices == ("egdi", "osi", "hci", "tii")


def test_json_records_carry_iso3_and_null_for_missing_values(
    official_tables: dict[int, EditionTable],
    other_layouts_dir: Path,
    country_registry: CountryRegistry,
) -> None:
    stream = io.StringIO()
    write_json([official_tables[2003]], stream)
    records = json.loads(stream.getvalue())
    assert records[0] == {
        "year": 2003,
        "iso3": "IRQ",
        "name": "Iraq ",
        "rank": 174,
        "egdi": 0.0,
        "epi": 0.0,
        "osi": 0.0,
        "hci": 0.93,
        "tii": 0.01578,
    }
    montenegro = next(record for record in records if record["iso3"] == "MNE")
    assert montenegro["rank"] is None


def test_writers_accept_binary_streams(official_tables: dict[int, EditionTable]) -> None:
    for writer in (write_csv, write_xlsx):
        stream = io.BytesIO()
        writer([official_tables[2024]], stream)
        assert len(stream.getvalue()) > 1000


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_valid_table_survives_every_writer(
    data: st.DataObject, country_registry: CountryRegistry, tmp_path: Path
) -> None:
    members = list(country_registry.members)
    chosen = data.draw(st.lists(st.sampled_from(members), min_size=1, max_size=12, unique=True))
    value = st.one_of(st.none(), st.integers(0, 100_000).map(lambda units: units / 100_000))
    frame = pd.DataFrame(
        {
            "name": [f"{country.name} " for country in chosen],
            "row": list(range(2, len(chosen) + 2)),
            "rank": pd.array(
                [data.draw(st.one_of(st.none(), st.integers(1, 193))) for _ in chosen],
                dtype="Int64",
            ),
            **{
                key: [math.nan if (v := data.draw(value)) is None else v for _ in chosen]
                for key in INDICES
            },
        },
        index=pd.Index([country.iso3 for country in chosen], name="iso3"),
    )
    year = data.draw(st.sampled_from([2012, 2018, 2024]))
    table = EditionTable(year=year, source="drawn", layout="test", frame=frame)
    for suffix, writer in WRITERS.items():
        path = tmp_path / f"drawn_{year}.{suffix}"
        writer([table], path)
        (back,) = read_file(path, registry=country_registry)
        pd.testing.assert_frame_equal(back.frame, frame)


def test_the_same_tables_give_the_same_bytes(
    official_tables: dict[int, EditionTable], tmp_path: Path
) -> None:
    """No write time in any file (openpyxl stamps one into XLSX; the writer removes it), so a
    download keeps its bytes across server processes and exports compare by hash."""
    import time

    tables = [official_tables[2024]]
    for suffix, write in WRITERS.items():
        write(tables, tmp_path / f"first.{suffix}")
    time.sleep(2.1)  # zip time stamps have a resolution of two seconds
    for suffix, write in WRITERS.items():
        write(tables, tmp_path / f"second.{suffix}")
        first = (tmp_path / f"first.{suffix}").read_bytes()
        assert (tmp_path / f"second.{suffix}").read_bytes() == first, suffix
