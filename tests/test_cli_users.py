"""``egov user`` and ``egov token`` end to end: a new process on a new SQLite database."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

EGOV = [sys.executable, "-m", "egov.cli"]
PASSWORD = "a-Long-pass-phrase-42"


def egov(*args: str, database: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EGOV_DATABASE_URL": f"sqlite:///{database}", "COLUMNS": "200"}
    return subprocess.run(
        [*EGOV, *args], capture_output=True, text=True, env=env, input=stdin, check=False
    )


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database holding the editor ``amina`` (made by the command under test)."""
    path = tmp_path_factory.mktemp("cli-users") / "egov.sqlite3"
    result = egov(
        "user",
        "create",
        "amina",
        "--role",
        "editor",
        "--email",
        "amina@example.org",
        "--password-stdin",
        database=path,
        stdin=PASSWORD + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Created amina (editor)." in result.stdout
    return path


def _rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def test_a_created_account_signs_in_with_its_password_and_holds_its_role(
    database: Path,
) -> None:
    listed = egov("user", "list", "--json", database=database)

    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [
        {"username": "amina", "email": "amina@example.org", "role": "editor", "active": True}
    ]
    ((hashed,),) = _rows(database, "SELECT password FROM auth_user WHERE username = 'amina'")
    assert str(hashed).startswith("pbkdf2_sha256$")
    # Recorded in the trail, by no account (the system).
    assert _rows(
        database, "SELECT action, actor_name FROM accounts_auditentry WHERE action = 'user.create'"
    ) == [("user.create", "")]


def test_a_weak_password_or_a_taken_name_is_refused_with_every_reason(database: Path) -> None:
    result = egov("user", "create", "AMINA", "--password-stdin", database=database, stdin="amina\n")

    assert result.returncode == 1
    assert 'the username "AMINA" is taken' in result.stderr
    assert "too short" in result.stderr
    assert len(_rows(database, "SELECT id FROM auth_user")) == 1


def test_the_role_of_an_account_is_changed(database: Path) -> None:
    egov("user", "create", "li", "--password-stdin", database=database, stdin=PASSWORD + "\n")

    result = egov("user", "role", "li", "administrator", database=database)

    assert result.returncode == 0, result.stderr
    assert "li is now administrator." in result.stdout
    roles = {
        r["username"]: r["role"]
        for r in json.loads(egov("user", "list", "--json", database=database).stdout)
    }
    assert roles == {"amina": "editor", "li": "administrator"}
    unknown = egov("user", "role", "nobody", "editor", database=database)
    assert unknown.returncode == 1
    assert "no account named 'nobody'" in unknown.stderr


def test_a_token_key_is_printed_alone_and_only_its_digest_is_kept(database: Path) -> None:
    result = egov("token", "create", "amina", "nightly import", database=database)

    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert key.startswith("egov_")
    assert "\n" not in key
    assert "not shown again" in result.stderr
    stored = _rows(database, "SELECT name, digest, prefix FROM accounts_apitoken")
    assert stored == [("nightly import", hashlib.sha256(key.encode()).hexdigest(), key[5:13])]


def test_the_user_and_token_commands_have_help() -> None:
    for command in (["user", "create"], ["user", "role"], ["user", "list"], ["token", "create"]):
        result = subprocess.run([*EGOV, *command, "--help"], capture_output=True, text=True)
        assert result.returncode == 0, command
        assert "Usage" in result.stdout
