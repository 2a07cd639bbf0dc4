"""The theme taxonomy, ``knowledge/themes.yaml`` → :class:`Taxonomy` (spec §2.2).

Two levels: the UNPACS themes I–IV with e-government's sub-themes, and a group of tags for
intersectoral governance (§6.4). Codes are unique across both levels.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Annotated, Final, Literal

from egov.frameworks.knowledge_schema.fields import (
    Code,
    Model,
    NonEmpty,
    Problem,
    Text,
    checked,
    unique,
)
from egov.frameworks.yamldoc import packaged

#: Where the taxonomy lives, relative to ``egov.frameworks``.
THEMES_FILE: Final = "knowledge/themes.yaml"


class Theme(Model):
    code: Code
    name: Text
    description: Text
    origin: Text | None = None


class TopTheme(Theme):
    """A top-level theme: a UNPACS theme (``numeral`` I–IV) or a group of tags."""

    numeral: Literal["I", "II", "III", "IV"] | None = None
    children: tuple[Theme, ...] = ()


class Taxonomy(Model):
    """The themes an item is tagged with, two levels deep; codes unique across both.

    >>> themes = load_themes()
    >>> [theme.numeral for theme in themes.themes]
    ['I', 'II', 'III', 'IV', None]
    >>> themes.parent_of("smart_government"), themes.parent_of("e_government")
    ('e_government', None)
    >>> themes.is_theme("open_data"), themes.is_theme("smart_city")
    (True, False)
    """

    taxonomy: Text
    version: Text
    themes: Annotated[tuple[TopTheme, ...], NonEmpty]

    def codes(self) -> tuple[str, ...]:
        """Every code, in file order: each top-level theme, then its children."""
        return tuple(
            code
            for top in self.themes
            for code in (top.code, *(child.code for child in top.children))
        )

    def is_theme(self, code: str) -> bool:
        return code in self.codes()

    def theme(self, code: str) -> Theme:
        for top in self.themes:
            for theme in (top, *top.children):
                if theme.code == code:
                    return theme
        raise KeyError(f"no theme {code!r} in the taxonomy")

    def parent_of(self, code: str) -> str | None:
        """The top-level code above ``code``; None for a top-level one."""
        for top in self.themes:
            if top.code == code:
                return None
            if any(child.code == code for child in top.children):
                return top.code
        raise KeyError(f"no theme {code!r} in the taxonomy")


def _problems(taxonomy: Taxonomy) -> Iterator[Problem]:
    codes: list[tuple[str, tuple[object, ...]]] = []
    for i, top in enumerate(taxonomy.themes):
        codes.append((top.code, ("themes", i, "code")))
        codes += [
            (child.code, ("themes", i, "children", j, "code"))
            for j, child in enumerate(top.children)
        ]
    yield from unique(codes, "duplicate-code", "code")
    numerals = [
        (top.numeral, ("themes", i, "numeral"))
        for i, top in enumerate(taxonomy.themes)
        if top.numeral is not None
    ]
    yield from unique(numerals, "duplicate-numeral", "numeral")


def parse_themes(text: str, *, file: str = THEMES_FILE) -> Taxonomy:
    """The taxonomy in the text of a ``themes.yaml``; :class:`FrameworkError` lists every
    problem.

    >>> from egov.errors import FrameworkError
    >>> broken = packaged(THEMES_FILE).replace("code: m_government", "code: e_participation")
    >>> try:
    ...     parse_themes(broken, file="themes.yaml")
    ... except FrameworkError as error:
    ...     print(error.issues[0].row, error.issues[0].field, error.issues[0].code)
    70 themes[1].children[6].code duplicate-code
    """
    return checked(Taxonomy, text, file, _problems)


@cache
def load_themes() -> Taxonomy:
    """The packaged taxonomy, ``knowledge/themes.yaml``; loaded once."""
    return parse_themes(packaged(THEMES_FILE), file=THEMES_FILE)
