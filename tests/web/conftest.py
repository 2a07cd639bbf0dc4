"""Fixtures of the web layer: the real published files, imported once per test that asks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from egov.config import data_dir
from egov.web.accounts.roles import Role


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


#: The password of every test account (passes the validators).
PASSWORD = "a-Long-pass-phrase-42"


@pytest.fixture
def countries(db: None) -> None:
    """The Country table from the country registry (no editions: fast)."""
    from egov.web.datacenter import services

    services.countries_sync(registry=services.default_registry())


@pytest.fixture
def accounts(db: None) -> dict[Role, User]:
    """One active account per signed-in role, named after it (``contributor``, ``editor``, …),
    plus a second contributor ``contributor2``."""
    from egov.web.accounts.services import user_create

    made = {
        role: user_create(username=role.group_name, password=PASSWORD, role=role)
        for role in (Role.CONTRIBUTOR, Role.EDITOR, Role.ADMINISTRATOR)
    }
    user_create(username="contributor2", password=PASSWORD, role=Role.CONTRIBUTOR)
    return made


@pytest.fixture
def client_as(accounts: dict[Role, User]) -> Callable[[Role], Client]:
    """A test client signed in with the given role (READER: anonymous)."""

    def make(role: Role) -> Client:
        client = Client()
        if role is not Role.READER:
            client.force_login(accounts[role])
        return client

    return make
