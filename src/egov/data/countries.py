"""The countries of the Survey: ISO3 codes, UN M49 regions, income and special groups, names.

A :class:`CountryRegistry` is built from the published country metadata in the data folder
(``countries/iso3166-m49-all.csv`` for M49 regions and codes of every ISO 3166 entry,
``countries/unu-egov-countries-data.csv`` for World Bank income groups and developed status of
the 193 Member States, joined by ISO3, never by name) and from data kept in this package:

``members.csv``
    the 193 UN Member States with the name the Survey uses today;
``aliases.csv``
    every name variant seen in published and re-published files (``alias,iso3,note``);
``special_groups.csv``
    LDC, LLDC and SIDS lists with the date each country joined or left (``since``/``until``).

Names resolve by folding (case, accents, curly apostrophes, runs of spaces) and looking the
result up among the Survey, M49, UNU and alias names; only a name none of those know is passed
to ``country_converter``, and its answer is kept only when it is one of the 193.

>>> from egov.config import data_dir
>>> registry = CountryRegistry.load(data_dir())
>>> registry.resolve("Korea, South "), registry.resolve("Cote d'Ivoire")
('KOR', 'CIV')
>>> registry.resolve("Atlantis"), registry.identify("Taiwan")
(None, 'TWN')
>>> len(registry.members), len(registry.in_group("ldc", 2024))
(193, 45)
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Final, Literal, NoReturn, get_args

from egov.errors import DataFileError, Issue

Group = Literal["ldc", "lldc", "sids"]
GROUPS: Final[tuple[Group, ...]] = get_args(Group)

#: The date the package's special-group lists are current to (``special_groups.csv`` header).
GROUPS_AS_OF: Final = date(2024, 12, 31)

#: World Bank income labels of the UNU file, in the words we use.
INCOME_GROUPS: Final[Mapping[str, str]] = {
    "High income": "High",
    "Upper middle income": "Upper middle",
    "Lower middle income": "Lower middle",
    "Low income": "Low",
}

M49_FILE: Final = Path("countries") / "iso3166-m49-all.csv"
UNU_FILE: Final = Path("countries") / "unu-egov-countries-data.csv"

_APOSTROPHES: Final = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_ISO3: Final = re.compile(r"[A-Z]{3}")


def fold(name: str) -> str:
    """The key a name is looked up by: no accents, case or doubled spaces.

    >>> fold("  Côte  d’Ivoire ")
    "cote d'ivoire"
    """
    decomposed = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True, slots=True)
class Country:
    """One country or territory; Member States carry income, development status and groups."""

    iso3: str
    m49: str  # three digits, zero-padded: "004"
    name: str  # the Survey's current name for a Member State, else the M49 name; stripped
    region: str  # UN M49 region; "" where M49 gives none (Taiwan, Antarctica)
    sub_region: str  # UN M49 sub-region ("Sub-Saharan Africa")
    intermediate_region: str  # UN M49 intermediate region ("Middle Africa") or ""
    #: World Bank group as of the UNU file (2018): High, Upper middle, Lower middle, Low; None
    #: for a non-member.
    income_group: str | None
    developed: bool
    un_member: bool
    ldc: bool  # on the list as of GROUPS_AS_OF
    lldc: bool
    sids: bool


@dataclass(frozen=True, slots=True)
class GroupMembership:
    """One row of ``special_groups.csv``: a country on a list from ``since`` until ``until``."""

    group: Group
    iso3: str
    since: date | None
    until: date | None
    note: str = ""

    def on(self, day: date) -> bool:
        """Whether the country was on the list on ``day`` (``since <= day < until``)."""
        started = self.since is None or self.since <= day
        return started and (self.until is None or day < self.until)


@dataclass(frozen=True)
class CountryRegistry:
    """Every ISO 3166 country and territory, the 193 Member States, their names and groups."""

    countries: Mapping[str, Country]
    member_codes: frozenset[str]
    memberships: tuple[GroupMembership, ...]
    _member_names: Mapping[str, str] = field(repr=False)  # folded name -> iso3, members only
    _other_names: Mapping[str, str] = field(repr=False)  # folded name -> iso3 of a non-member
    _cache: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, data_dir: Path) -> CountryRegistry:
        """Build the registry from ``data_dir/countries/`` and the package data.

        A missing or inconsistent source raises :class:`DataFileError` naming the file.
        """
        m49_rows = _read_csv(data_dir / M49_FILE)
        unu_rows = {row["country-code"]: row for row in _read_csv(data_dir / UNU_FILE)}
        members = {row["iso3"]: row["name"] for row in _package_csv("members.csv")}
        memberships = tuple(_memberships(_package_csv("special_groups.csv")))
        _require(
            set(members) == set(unu_rows),
            "members.csv",
            "the 193 Member States differ from countries/unu-egov-countries-data.csv: "
            + ", ".join(sorted(set(members) ^ set(unu_rows))),
        )
        current = {(m.group, m.iso3) for m in memberships if m.on(GROUPS_AS_OF)}
        countries: dict[str, Country] = {}
        for row in m49_rows:
            iso3 = row["alpha-3"]
            unu = unu_rows.get(iso3)
            countries[iso3] = Country(
                iso3=iso3,
                m49=row["country-code"].zfill(3),
                name=members.get(iso3, row["name"]).strip(),
                region=row["region"],
                sub_region=row["sub-region"],
                intermediate_region=row["intermediate-region"],
                income_group=INCOME_GROUPS[unu["income"]] if unu else None,
                developed=unu is not None and unu["developed"] == "Developed",
                un_member=iso3 in members,
                ldc=("ldc", iso3) in current,
                lldc=("lldc", iso3) in current,
                sids=("sids", iso3) in current,
            )
        _require(
            set(members) <= set(countries),
            str(M49_FILE),
            "Member States missing from the M49 table: "
            + ", ".join(sorted(set(members) - set(countries))),
        )
        strange = sorted({m.iso3 for m in memberships} - set(members))
        _require(not strange, "special_groups.csv", "not Member States: " + ", ".join(strange))

        member_names: dict[str, str] = {}
        other_names: dict[str, str] = {}
        named: list[tuple[str, str, str]] = [("members.csv", n, c) for c, n in members.items()]
        named += [(str(M49_FILE), row["name"], row["alpha-3"]) for row in m49_rows]
        named += [(str(UNU_FILE), row["country-name"], c) for c, row in unu_rows.items()]
        named += [("aliases.csv", row["alias"], row["iso3"]) for row in _package_csv("aliases.csv")]
        clashes = []
        for source, name, iso3 in named:
            table = member_names if iso3 in members else other_names
            key = fold(name)
            if member_names.get(key, iso3) != iso3 or other_names.get(key, iso3) != iso3:
                clashes.append(f"{name!r} ({source}) is {iso3} and {table.get(key)}")
            table[key] = iso3
        _require(not clashes, "aliases.csv", "a name means two countries: " + "; ".join(clashes))
        return cls(
            countries=countries,
            member_codes=frozenset(members),
            memberships=memberships,
            _member_names=member_names,
            _other_names=other_names,
        )

    @property
    def members(self) -> tuple[Country, ...]:
        """The 193 UN Member States, by ISO3."""
        return tuple(self.countries[iso3] for iso3 in sorted(self.member_codes))

    def get(self, iso3: str) -> Country:
        """The country with this ISO3 code; KeyError if there is none."""
        return self.countries[iso3]

    def is_member(self, iso3: str) -> bool:
        return iso3 in self.member_codes

    def resolve(self, name: str) -> str | None:
        """The ISO3 code of the Member State ``name`` stands for, or None.

        Exact names and aliases first (folded), then ``country_converter``, whose answer is kept
        only when it is one of the 193. A non-member ("Taiwan", "Kosovo") resolves to None; see
        :meth:`identify`.
        """
        key = fold(name)
        if key in self._member_names:
            return self._member_names[key]
        if key not in self._cache:
            guess = _country_converter_iso3(name) if key else None
            self._cache[key] = guess if guess in self.member_codes else None
        return self._cache[key]

    def identify(self, name: str) -> str | None:
        """Like :meth:`resolve`, but also names a territory or non-member State (for messages)."""
        return self.resolve(name) or self._other_names.get(fold(name))

    def knows_code(self, code: str) -> bool:
        """Whether ``code`` is an ISO3 code of the M49 table or of an alias (XKX, Kosovo)."""
        return code in self.countries or code in self._other_names.values()

    def in_group(self, group: Group, year: int) -> frozenset[str]:
        """ISO3 codes on the ``group`` list for the edition of ``year`` (as of 1 July that year).

        The 1 July reference sits before every Survey launch the year's graduations could
        change: Vanuatu (graduated 4 December 2020) counts for 2020, Samoa (1 January 2014) not
        for 2014. This reference date is our choice; the Survey does not state one.
        """
        return self.group_on(group, date(year, 7, 1))

    def group_on(self, group: Group, day: date) -> frozenset[str]:
        """ISO3 codes on the ``group`` list on ``day``."""
        if group not in GROUPS:
            raise KeyError(f"unknown group {group!r}; known: {', '.join(GROUPS)}")
        return frozenset(m.iso3 for m in self.memberships if m.group == group and m.on(day))


def _require(condition: bool, file: str, message: str) -> None:
    if not condition:
        _refuse(file, message)


def _refuse(file: str, message: str) -> NoReturn:
    raise DataFileError([Issue(code="country-metadata", message=message, file=file)])


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise DataFileError(
            [
                Issue(
                    code="missing-file",
                    message=f"country metadata not found at {path}",
                    file=str(path),
                )
            ]
        )
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def _package_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("egov.data").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def _partial_date(text: str) -> date | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a partial date counts as its first day."""
    if not text:
        return None
    parts = [int(part) for part in text.split("-")]
    return date(parts[0], *[*parts[1:], 1, 1][:2])


def _memberships(rows: Iterable[dict[str, str]]) -> Iterator[GroupMembership]:
    for row in rows:
        group = next((known for known in GROUPS if known == row["group"]), None)
        if group is None:
            _refuse("special_groups.csv", f"unknown group {row['group']!r}")
        yield GroupMembership(
            group=group,
            iso3=row["iso3"],
            since=_partial_date(row["since"]),
            until=_partial_date(row["until"]),
            note=row["note"],
        )


def _country_converter_iso3(name: str) -> str | None:
    """country_converter's ISO3 for ``name``, or None; imported only when needed (slow)."""
    import logging

    import country_converter

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    answer = country_converter.convert(names=name, to="ISO3", not_found=None)
    return answer if isinstance(answer, str) and _ISO3.fullmatch(answer) else None
