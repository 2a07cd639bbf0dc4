"""Fixtures of the web layer: the real published files, imported once per test that asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from egov.config import data_dir


@pytest.fixture(scope="session")
def published_files() -> list[Path]:
    folder = data_dir() / "egdi"
    files = sorted(folder.glob("EGOV_DATA_*.csv"))
    assert len(files) == 12, f"expected the 12 published editions in {folder} (EGOV_DATA_DIR)"
    return files


@pytest.fixture
def imported(published_files: list[Path], db: None) -> list[Path]:
    from egov.web.datacenter import services

    services.editions_import(paths=published_files)
    return published_files
