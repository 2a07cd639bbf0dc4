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


def _official(year: int) -> Path:
    return data_dir() / "egdi" / f"EGOV_DATA_{year}.csv"


def _published_2022() -> dict[str, tuple[str, float, float]]:
    """ISO3 → (published name, TII, EGDI) of 2022, read with the csv module."""
    import csv

    from egov.data.countries import CountryRegistry

    registry = CountryRegistry.load(data_dir())
    with _official(2022).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        str(registry.resolve(row["Country Name"])): (
            row["Country Name"],
            float(row["Telecommunication Infrastructure Index"]),
            float(row["E-Government Index"]),
        )
        for row in rows
    }


def test_setup_creates_a_database_with_every_edition_and_prints_the_verification(
    tmp_path: Path,
) -> None:
    result = egov("setup", database=tmp_path / "new.sqlite3")

    assert result.returncode == 0, result.stderr
    assert "Verification" in result.stdout
    assert "0.4406" in result.stdout
    assert "quotes 0.4877" in result.stdout


def test_export_of_an_edition_is_the_published_file_byte_for_byte(
    database: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "EGOV_DATA_2022.csv"

    result = egov("export", "--edition", "2022", "-o", exported, database=database)

    assert result.returncode == 0, result.stderr
    assert exported.read_bytes() == _official(2022).read_bytes()


def test_verify_exits_1_and_names_an_undocumented_deviation(tmp_path: Path) -> None:
    text = _official(2016).read_text(encoding="utf-8")
    line = next(row for row in text.splitlines() if row.startswith('2016,"Denmark'))
    fields = line.split(",")
    fields[3] = f"{float(fields[3]) - 0.01:.5f}"  # EGDI no longer the mean of its components
    altered = tmp_path / "EGOV_DATA_2016.csv"
    altered.write_text(text.replace(line, ",".join(fields)), encoding="utf-8")
    database = tmp_path / "altered.sqlite3"
    assert egov("import", altered, database=database).returncode == 0

    result = egov("verify", "--json", database=database)

    assert result.returncode == 1
    (report,) = json.loads(result.stdout)["editions"]
    assert report["over_tolerance"] == ["DNK"]
    kinds = {(d["iso3"], d["kind"]) for d in report["undocumented"]}
    assert ("DNK", "egdi-formula") in kinds
    # Denmark, published first, now ranks lower: the ranks around it no longer follow either.
    assert ("DNK", "rank") in kinds
    assert {kind for _iso3, kind in kinds} == {"egdi-formula", "rank"}


def test_compute_with_all_weight_on_osi_ranks_by_osi(database: Path) -> None:
    result = egov(
        "compute",
        "--edition",
        "2024",
        "--weights",
        "1,0,0",
        "--top",
        "0",
        "--json",
        database=database,
    )

    assert result.returncode == 0, result.stderr
    countries = json.loads(result.stdout)["countries"]
    assert len(countries) == 193
    assert all(c["egdi"] == pytest.approx(c["osi"]) for c in countries)
    assert countries[0]["osi"] == max(c["osi"] for c in countries)


def test_compute_rejects_weights_that_do_not_sum_to_one(database: Path) -> None:
    result = egov("compute", "--edition", "2024", "--weights", "0.5,0.5,0.5", database=database)

    assert result.returncode == 2
    assert "sum to 1" in result.stderr


def test_compute_recomputes_tii_from_an_indicator_file(database: Path, tmp_path: Path) -> None:
    # Indicators that are linear in the published TII: z-scores, their mean and the min-max
    # rescale give back the published TII, so EGDI and ranks come out as published.
    published = _published_2022()
    indicators = tmp_path / "tii-2022.csv"
    lines = ["ISO3,Internet users,Fixed broadband,Active mobile broadband,Mobile cellular"]
    for iso3, (_name, tii, _egdi) in published.items():
        lines.append(
            f"{iso3},{90 * tii + 5:.6f},{40 * tii:.6f},{100 * tii:.6f},{60 * tii + 50:.6f}"
        )
    indicators.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = egov(
        "compute",
        "--edition",
        "2022",
        "--tii",
        indicators,
        "--top",
        "0",
        "--json",
        database=database,
    )

    assert result.returncode == 0, result.stderr
    countries = {c["iso3"]: c for c in json.loads(result.stdout)["countries"]}
    for iso3, (_name, tii, egdi_published) in published.items():
        assert countries[iso3]["tii"] == pytest.approx(tii, abs=1e-4)
        assert countries[iso3]["egdi"] == pytest.approx(egdi_published, abs=1e-4)
    assert all(c["rank_change"] == 0 for c in countries.values())


def test_compute_refuses_an_indicator_file_with_an_unknown_country(
    database: Path, tmp_path: Path
) -> None:
    indicators = tmp_path / "tii-bad.csv"
    indicators.write_text(
        "Country Name,internet_users,fixed_broadband,active_mobile_broadband,mobile_cellular\n"
        "Denmark,98,44,130,125\nAtlantis,50,x,20,80\n",
        encoding="utf-8",
    )

    result = egov("compute", "--edition", "2022", "--tii", indicators, database=database)

    assert result.returncode == 1
    assert 'tii-bad.csv:3: Country Name: unknown country "Atlantis"' in result.stderr
    assert "tii-bad.csv:3: fixed_broadband:" in result.stderr


def test_uncertainty_and_sensitivity_have_help() -> None:
    for command in ("uncertainty", "sensitivity"):
        result = subprocess.run([*EGOV, command, "--help"], capture_output=True, text=True)
        assert result.returncode == 0, command
        assert "--edition" in result.stdout


def test_uncertainty_json_is_the_documented_shape_and_stdout_holds_only_json(
    database: Path,
) -> None:
    args = ("uncertainty", "--edition", "2024", "--samples", "2000", "--seed", "3", "--json")
    result = egov(*args, database=database)

    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["edition", "samples", "seed", "assumptions", "countries"]
    assert (document["edition"], document["samples"], document["seed"]) == (2024, 2000, 3)
    countries = document["countries"]
    assert len(countries) == 193
    assert set(countries[0]) == {
        "iso3",
        "name",
        "published_rank",
        "median_rank",
        "rank_p5",
        "rank_p95",
        "group_probabilities",
        "top10_probability",
        "mean_abs_rank_shift",
    }
    assert [c["published_rank"] for c in countries] == sorted(
        c["published_rank"] for c in countries
    )
    denmark = countries[0]
    assert (denmark["iso3"], denmark["published_rank"]) == ("DNK", 1)
    assert set(denmark["group_probabilities"]) == {"V", "H", "M", "L"}
    assert all(c["rank_p5"] <= c["median_rank"] <= c["rank_p95"] for c in countries)
    # The same seed prints the same document.
    assert egov(*args, database=database).stdout == result.stdout


def test_uncertainty_csv_has_one_row_per_assessed_country(database: Path) -> None:
    result = egov(
        "uncertainty", "--edition", "2012", "--samples", "500", "--csv", database=database
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("iso3,name,published_rank,median_rank,rank_p5,rank_p95")
    assert len(lines) == 1 + 190  # three countries not assessed in 2012 have no rank to vary


def test_sensitivity_json_gives_indices_on_the_shift_and_per_country(database: Path) -> None:
    result = egov(
        "sensitivity", "--edition", "2022", "--base-samples", "64", "--json", database=database
    )

    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    factors = ["w_osi", "w_tii", "w_hci", "normalisation", "aggregation", "noise"]
    assert document["factors"] == factors
    assert document["runs"] == 64 * 8
    assert list(document["mean_abs_rank_shift"]) == factors
    assert set(document["mean_abs_rank_shift"]["aggregation"]) == {"S1", "S1_conf", "ST", "ST_conf"}
    assert len(document["countries"]) + len(document["rank_invariant"]) == 193


def test_sensitivity_refuses_base_samples_that_are_not_a_power_of_two(database: Path) -> None:
    result = egov("sensitivity", "--edition", "2024", "--base-samples", "1000", database=database)

    assert result.returncode == 1
    assert "power of two" in result.stderr
