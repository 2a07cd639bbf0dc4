"""Real published editions, read straight from ``EGOV_DATA_DIR`` (never copied in).

The frames have the shape of :attr:`egov.data.tables.EditionTable.frame`: index ``iso3``,
columns ``name row rank egdi epi osi hci tii``. They are read here with pandas, not with
``egov.data``, so the core's tests do not depend on the readers. A missing folder fails the
run loudly; it never skips.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pytest

from egov.config import data_dir
from egov.frameworks import load_anomalies, load_edition_methods
from egov.methodology import DocumentedAnomaly, EditionMethod

#: The editions published in the shared data (one file each).
EDITION_YEARS = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)

HEADER = [
    "Survey Year",
    "Country Name",
    "E-Government Rank",
    "E-Government Index",
    "E-Participation Index",
    "Online Service Index",
    "Human Capital Index",
    "Telecommunication Infrastructure Index",
]
COLUMNS = {
    "Country Name": "name",
    "E-Government Rank": "rank",
    "E-Government Index": "egdi",
    "E-Participation Index": "epi",
    "Online Service Index": "osi",
    "Human Capital Index": "hci",
    "Telecommunication Infrastructure Index": "tii",
}
#: Survey names the UNU-EGOV countries file spells the 2018 way.
NAME_ALIASES = {"Türkiye": "TUR", "North Macedonia": "MKD"}


@pytest.fixture(scope="session")
def data_folder() -> Path:
    folder = data_dir()
    if not (folder / "egdi").is_dir() or not (folder / "countries").is_dir():
        pytest.fail(
            f"published data not found in {folder} (egdi/, countries/): set EGOV_DATA_DIR",
            pytrace=False,
        )
    return folder


@pytest.fixture(scope="session")
def countries(data_folder: Path) -> pd.DataFrame:
    """UNU-EGOV country metadata, indexed by ISO3 (region, sub-region, income)."""
    frame = pd.read_csv(data_folder / "countries" / "unu-egov-countries-data.csv")
    return frame.set_index("country-code")


@pytest.fixture(scope="session")
def iso3_of_name(countries: pd.DataFrame) -> Mapping[str, str]:
    names = dict(zip(countries["country-name"], countries.index, strict=True))
    return {**names, **NAME_ALIASES}


def read_edition(path: Path, iso3_of_name: Mapping[str, str]) -> pd.DataFrame:
    raw = pd.read_csv(path, encoding="utf-8", dtype={"Country Name": str})
    assert list(raw.columns) == HEADER, path
    frame = raw.rename(columns=COLUMNS).drop(columns="Survey Year")
    frame["rank"] = frame["rank"].astype("Int64")
    frame.insert(1, "row", range(2, len(frame) + 2))
    stripped = frame["name"].str.strip()
    unknown = sorted(set(stripped) - set(iso3_of_name))
    assert not unknown, f"{path.name}: no ISO3 for {unknown}"
    frame.index = pd.Index(stripped.map(iso3_of_name), name="iso3")
    assert frame.index.is_unique, path
    return frame[["name", "row", "rank", "egdi", "epi", "osi", "hci", "tii"]]


@pytest.fixture(scope="session")
def published(data_folder: Path, iso3_of_name: Mapping[str, str]) -> Mapping[int, pd.DataFrame]:
    """Every edition's published frame, by year."""
    return {
        year: read_edition(data_folder / "egdi" / f"EGOV_DATA_{year}.csv", iso3_of_name)
        for year in EDITION_YEARS
    }


@pytest.fixture(scope="session")
def methods() -> Mapping[int, EditionMethod]:
    return load_edition_methods()


@pytest.fixture(scope="session")
def anomalies() -> tuple[DocumentedAnomaly, ...]:
    return load_anomalies()
