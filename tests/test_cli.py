"""The egov command end to end, as a user runs it: a new process on a new database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from egov.config import data_dir

EGOV = [sys.executable, "-m", "egov.cli"]
PUBLISHED = sorted((data_dir() / "egdi").glob("EGOV_DATA_*.csv"))


def egov(*args: str | Path, database: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EGOV_DATABASE_URL": f"sqlite:///{database}", "COLUMNS": "200"}
    return subprocess.run(
        [*EGOV, *map(str, args)], capture_output=True, text=True, env=env, check=False
    )


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new SQLite database holding every published edition, imported by `egov import`."""
    path = tmp_path_factory.mktemp("cli") / "egov.sqlite3"
    result = egov("import", *PUBLISHED, database=path)
    assert result.returncode == 0, result.stderr
    return path


def test_import_creates_the_schema_of_a_new_database_and_reports_each_edition(
    database: Path,
) -> None:
    result = egov("import", *PUBLISHED, "--json", database=database)

    assert result.returncode == 0, result.stderr
    editions = json.loads(result.stdout)["editions"]
    assert [(e["year"], e["status"], e["unchanged"]) for e in editions] == [
        (year, "unchanged", 193 * 5)
        for year in (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)
    ]


def test_verify_json_covers_every_edition_and_country_with_the_world_averages(
    database: Path,
) -> None:
    result = egov("verify", "--json", database=database)

    assert result.returncode == 0, result.stdout + result.stderr
    editions = {e["year"]: e for e in json.loads(result.stdout)["editions"]}
    assert len(editions) == 12
    assert {e["countries"] for e in editions.values()} == {193}
    keys = {
        "year",
        "countries",
        "max_abs_egdi_delta",
        "over_tolerance",
        "rank_mismatches",
        "world_average_egdi",
    }
    assert all(keys <= e.keys() for e in editions.values())
    assert round(editions[2010]["world_average_egdi"], 4) == 0.4406
    assert round(editions[2012]["world_average_egdi"], 4) == 0.4959


def test_a_bad_file_exits_1_names_file_row_and_field_and_imports_nothing(
    database: Path, tmp_path: Path
) -> None:
    lines = (data_dir() / "egdi" / "EGOV_DATA_2024.csv").read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(lines[5].split(",")[3], "0.5a", 1)
    lines[9] = '2024,"Atlantis ",' + lines[9].split(",", 2)[2]
    bad = tmp_path / "EGOV_DATA_2024.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = database.read_bytes()

    result = egov("import", bad, database=database)

    assert result.returncode == 1
    assert "EGOV_DATA_2024.csv:10: Country Name:" in result.stderr
    assert "EGOV_DATA_2024.csv:6: E-Government Index:" in result.stderr
    assert "Nothing was imported" in result.stderr
    assert database.read_bytes() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_imports_back_to_the_same_values(
    database: Path, tmp_path: Path, fmt: str
) -> None:
    exported = tmp_path / f"export.{fmt}"
    result = egov("export", "--format", fmt, "-o", exported, database=database)
    assert result.returncode == 0, result.stderr

    again = egov("import", exported, "--json", database=database)

    assert again.returncode == 0, again.stderr
    editions = json.loads(again.stdout)["editions"]
    assert len(editions) == 12
    assert {e["status"] for e in editions} == {"unchanged"}


def test_every_command_has_help() -> None:
    for command in ("setup", "import", "verify", "export", "compute", "serve"):
        result = subprocess.run([*EGOV, command, "--help"], capture_output=True, text=True)
        assert result.returncode == 0, command
        assert "Usage" in result.stdout
