"""The docs keep up with the code: every command and every EGOV_* variable is documented."""

from __future__ import annotations

import typer.main

from egov.cli import app
from egov.config import ENVIRONMENT, PROJECT_ROOT


def _docs() -> str:
    pages = sorted((PROJECT_ROOT / "docs").glob("*.md"))
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def test_every_egov_command_is_in_the_docs() -> None:
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    docs = _docs()
    missing = [name for name in commands if f"egov {name}" not in docs]
    assert not missing, f"commands missing from docs/: {missing}"


def test_every_environment_variable_is_in_the_docs() -> None:
    docs = _docs()
    missing = [name for name in ENVIRONMENT if name not in docs]
    assert not missing, f"EGOV_* variables missing from docs/: {missing}"
