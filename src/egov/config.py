"""The settings egov reads from the environment, each with its default and its help.

``docs/operations.md`` lists every one; ``tests/test_docs.py`` keeps that true.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

PROJECT_ROOT: Final = Path(__file__).resolve().parents[2]

ENVIRONMENT: Final[dict[str, tuple[str, str]]] = {
    "EGOV_DATABASE_URL": (
        "sqlite:///var/egov.sqlite3",
        "Database URL. A relative SQLite path is taken from the project root; "
        "postgres://user:password@host:port/name in production.",
    ),
    "EGOV_DATA_DIR": (
        "../shared/data",
        "Folder with the published Survey editions (egdi/EGOV_DATA_<year>.csv) and the country "
        "metadata (countries/); a relative path is taken from the project root.",
    ),
    "EGOV_SEEDS_DIR": (
        "../shared/seeds",
        "Folder with the four source documents the knowledge base's first items are read from; "
        "a relative path is taken from the project root.",
    ),
    "EGOV_MEDIA_DIR": (
        "var/media",
        "Where uploaded attachments are kept; a relative path is taken from the project root.",
    ),
    "EGOV_SECRET_KEY": (
        "",
        "Django secret key. Unset, a random key is made and kept in var/secret_key (development).",
    ),
    "EGOV_DEBUG": ("0", "1 to run Django in debug mode (development only)."),
    "EGOV_ALLOWED_HOSTS": ("127.0.0.1,localhost", "Comma-separated host names the site answers."),
}


def setting(name: str) -> str:
    """The value of an ``EGOV_*`` variable, or its documented default."""
    default, _help = ENVIRONMENT[name]
    return os.environ.get(name, default)


def _from_root(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (PROJECT_ROOT / path).resolve()


def data_dir() -> Path:
    """The folder of published data: ``EGOV_DATA_DIR`` or ``../shared/data`` beside the repo."""
    return _from_root(setting("EGOV_DATA_DIR"))


def seeds_dir() -> Path:
    """The source documents of the knowledge base: ``EGOV_SEEDS_DIR`` or ``../shared/seeds``."""
    return _from_root(setting("EGOV_SEEDS_DIR"))


def media_dir() -> Path:
    """Where uploaded attachments live: ``EGOV_MEDIA_DIR`` or ``var/media``."""
    path = _from_root(setting("EGOV_MEDIA_DIR"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def var_dir() -> Path:
    """Where the platform keeps its own state (the SQLite database, the secret key)."""
    path = PROJECT_ROOT / "var"
    path.mkdir(exist_ok=True)
    return path
