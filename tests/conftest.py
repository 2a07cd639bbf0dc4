"""Fixtures shared by every test folder. Import-light: no Django at module level."""

from __future__ import annotations

from pathlib import Path

import pytest

from egov.config import data_dir
from egov.data.countries import CountryRegistry


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """The published data folder (``EGOV_DATA_DIR``); missing, the run fails loudly."""
    folder = data_dir()
    for part in ("egdi", "countries"):
        assert (folder / part).is_dir(), (
            f"published data not found in {folder}: set EGOV_DATA_DIR to the shared data folder"
        )
    return folder


@pytest.fixture(scope="session")
def country_registry(shared_data_dir: Path) -> CountryRegistry:
    """The country registry built from the shared data and the package's name tables."""
    return CountryRegistry.load(shared_data_dir)
