"""Fixtures of the data layer: the official editions as read by egov.data, once per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from egov.data.countries import CountryRegistry
from egov.data.readers import read_file
from egov.data.tables import EditionTable

EDITIONS = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)


@pytest.fixture(scope="session")
def official_files(shared_data_dir: Path) -> dict[int, Path]:
    """``EGOV_DATA_<year>.csv`` of every edition, by year."""
    files = {year: shared_data_dir / "egdi" / f"EGOV_DATA_{year}.csv" for year in EDITIONS}
    missing = [str(path) for path in files.values() if not path.is_file()]
    assert not missing, f"published editions missing: {missing}"
    return files


@pytest.fixture(scope="session")
def official_tables(
    official_files: dict[int, Path], country_registry: CountryRegistry
) -> dict[int, EditionTable]:
    """The 12 official editions as read by :func:`egov.data.readers.read_file`, by year."""
    tables = {}
    for year, path in official_files.items():
        (table,) = read_file(path, registry=country_registry)
        tables[year] = table
    return tables


@pytest.fixture(scope="session")
def other_layouts_dir(shared_data_dir: Path) -> Path:
    return shared_data_dir / "egdi" / "other-layouts"
