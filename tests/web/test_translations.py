"""The interface catalogues: French and Spanish complete, every catalogue compiled from its
.po, and the .po files in step with the strings the sources mark (``bin/translations``).

Uses gettext's own tools (Debian ``gettext``, installed by ``bin/system-packages``)."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from egov.config import PROJECT_ROOT

WEB = PROJECT_ROOT / "src" / "egov" / "web"
LOCALE = WEB / "locale"
LANGUAGES = ("ar", "zh_Hans", "fr", "ru", "es")
COMPLETE = ("fr", "es")


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} not found: bin/system-packages installs Debian's gettext"
    return path


def _po(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_valid_and_compiled(language: str, tmp_path: Path) -> None:
    """msgfmt accepts the .po (placeholders kept in every translation), and the committed .mo
    holds exactly what the .po compiles to."""
    compiled = tmp_path / "django.mo"
    subprocess.run(
        [_tool("msgfmt"), "--check", "-o", compiled, _po(language)],
        check=True,
        capture_output=True,
    )
    with compiled.open("rb") as fresh, _po(language).with_suffix(".mo").open("rb") as committed:
        expected = gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
        actual = gettext.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
    expected.pop("", None)
    actual.pop("", None)
    assert actual == expected, f"{language}: django.mo is stale; run bin/translations --compile"


@pytest.mark.parametrize("language", COMPLETE)
def test_catalogue_is_complete(language: str) -> None:
    for flag in ("--untranslated", "--only-fuzzy"):
        left = subprocess.run(
            [_tool("msgattrib"), flag, "--no-obsolete", "--no-wrap", _po(language)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        entries = [line for line in left.splitlines() if line.startswith("msgid ")]
        assert entries in ([], ['msgid ""']), f"{language}: {flag[2:]} entries:\n{left}"


def test_catalogues_follow_the_sources(tmp_path: Path) -> None:
    """makemessages over a copy of the sources finds no string the catalogues lack, and the
    catalogues carry none the sources dropped."""
    copy = tmp_path / "src" / "egov"
    shutil.copytree(PROJECT_ROOT / "src" / "egov", copy, ignore=shutil.ignore_patterns("static"))
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path / "src"),
        "DJANGO_SETTINGS_MODULE": "egov.web.settings",
    }
    _tool("xgettext")
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "--no-obsolete", "-l", "fr"],
        cwd=copy / "web",
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = copy / "web" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    for reference, checked, what in (
        (fresh, _po("fr"), "strings the catalogues lack"),
        (_po("fr"), fresh, "strings the sources no longer mark"),
    ):
        # msgcmp DEF REF: every msgid of REF must be in DEF.
        result = subprocess.run(
            [_tool("msgcmp"), "--use-untranslated", checked, reference],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"{what}; run bin/translations:\n{result.stderr}"
