"""``/editions/<year>/``: every country of an edition in one table.

The GET parameters hold the whole state, so a URL is shareable: ``sort`` (a column, ``-`` for
descending), ``region``, ``sub_region``, ``group`` (V H M L), ``special`` (ldc lldc sids),
``income`` and ``q`` (a country's name in the page's language, its English name or its ISO3).
An unknown value is ignored, never an error. An htmx request (the form as the reader types,
a column header) gets only the table, with the count and the form's sort field out of band;
``edition`` (the form that switches edition without JavaScript) redirects to that year.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from egov.methodology import GROUP_LOWER_BOUNDS, RATING_CLASSES

from .. import labels, selectors
from ..localize import country_name
from ..models import Edition
from ..selectors import RankingRow

#: The table's columns in order: code → header label.
COLUMNS: Final[Mapping[str, Promise]] = {
    "rank": _("Rank"),
    "country": _("Country"),
    **labels.INDEX_ABBREVIATIONS,
    "group": _("Group"),
    "rating_class": _("Rating class"),
    "change": _("Change"),
}
#: Columns whose first click sorts from the smallest; the others (scores, classes, rank
#: changes: higher is better) sort from the largest first.
ASCENDING_FIRST: Final = frozenset({"rank", "country"})
NUMERIC: Final = frozenset({"rank", *labels.INDEX_ABBREVIATIONS, "change"})
DEFAULT_SORT: Final = "rank"

#: Groups and rating classes from the lowest to the highest, for sorting.
_GROUPS_UPWARDS: Final = tuple(reversed(list(GROUP_LOWER_BOUNDS)))
_GROUP_ORDER: Final = {code: position for position, code in enumerate(_GROUPS_UPWARDS)}
_CLASS_ORDER: Final = {
    code: position
    for position, code in enumerate(
        code for group in _GROUPS_UPWARDS for code in RATING_CLASSES[group]
    )
}
#: Filters other than the search: parameter → the codes it accepts.
_CHOICES: Final[Mapping[str, Mapping[str, Promise]]] = {
    "region": labels.REGIONS,
    "sub_region": labels.SUB_REGIONS,
    "group": labels.GROUPS,
    "special": labels.SPECIAL_GROUPS,
    "income": labels.INCOME_GROUPS,
}
_SEARCH_LENGTH: Final = 100


def folded(text: str) -> str:
    """``text`` for matching: accents dropped, case folded, runs of non-word characters one
    space (``"Côte d'Ivoire"`` → ``"cote d ivoire"``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.split(r"\W+", plain.casefold())).strip()


def name_matches(query: str, names: Iterable[str]) -> bool:
    """Whether the folded ``query`` starts a word of one of ``names`` (``"den"`` finds
    Denmark, not Sweden; ``"new gu"`` finds Papua New Guinea). A query in a script written
    without spaces (Chinese) or with attached articles (Arabic) matches anywhere."""
    anywhere = not query.isascii()
    for name in names:
        words = folded(name)
        if (anywhere and query in words) or f" {words}".find(f" {query}") >= 0:
            return True
    return False


@dataclass(frozen=True, slots=True)
class RankingQuery:
    """What the reader asked for: sort and filters, each valid or left out."""

    sort: str = DEFAULT_SORT
    descending: bool = False
    filters: Mapping[str, str] = field(default_factory=dict)  # parameter → accepted code
    q: str = ""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> RankingQuery:
        column = params.get("sort", "")
        descending = column.startswith("-")
        column = column.removeprefix("-")
        if column not in COLUMNS:
            column, descending = DEFAULT_SORT, False
        filters = {
            name: params[name] for name, choices in _CHOICES.items() if params.get(name) in choices
        }
        return cls(
            sort=column,
            descending=descending,
            filters=filters,
            q=params.get("q", "").strip()[:_SEARCH_LENGTH],
        )

    @property
    def sort_param(self) -> str:
        """``-osi``, ``country``; empty for the default order."""
        if self.sort == DEFAULT_SORT and not self.descending:
            return ""
        return f"-{self.sort}" if self.descending else self.sort

    def params(self) -> dict[str, str]:
        """The parameters that differ from the defaults, in a stable order."""
        found = {"q": self.q, **self.filters, "sort": self.sort_param}
        return {name: value for name, value in found.items() if value}

    def url(self, path: str) -> str:
        params = self.params()
        return f"{path}?{urlencode(params)}" if params else path

    def sorted_by(self, column: str) -> RankingQuery:
        """The query a click on ``column``'s header asks for: its first direction, or the
        reverse when the table is already sorted by it."""
        if column == self.sort:
            return replace(self, descending=not self.descending)
        return replace(self, sort=column, descending=column not in ASCENDING_FIRST)

    def keeps(self, row: RankingRow, name: str) -> bool:
        region = self.filters.get("region")
        sub_region = self.filters.get("sub_region")
        group = self.filters.get("group")
        special = self.filters.get("special")
        income = self.filters.get("income")
        return (
            (region is None or row.region == region)
            and (sub_region is None or row.sub_region == sub_region)
            and (group is None or row.group == group)
            and (special is None or bool(getattr(row, special)))
            and (income is None or row.income_group == income)
            and (not self.q or self._found(row, name))
        )

    def _found(self, row: RankingRow, name: str) -> bool:
        query = folded(self.q)
        return row.iso3 == query.upper() or name_matches(query, (name, row.name))


@dataclass(frozen=True, slots=True)
class Line:
    """A row of the table: the country as the selector gives it, its name in the page's
    language and its rank change in words (the arrow and the colour only repeat them)."""

    row: RankingRow
    name: str
    moved: str  # up, down, same, or "" when not comparable
    change_text: str


def line_of(row: RankingRow, previous_year: int | None) -> Line:
    change = row.rank_change
    if change is None:
        if previous_year is None:
            text = gettext("no earlier edition")
        else:
            text = gettext("not ranked in %(year)s") % {"year": previous_year}
        return Line(row, country_name(row.iso3, row.name), "", text)
    if change > 0:
        moved, text = "up", ngettext("up %(places)d place", "up %(places)d places", change)
    elif change < 0:
        moved, text = "down", ngettext("down %(places)d place", "down %(places)d places", -change)
    else:
        moved, text = "same", gettext("no change")
    return Line(row, country_name(row.iso3, row.name), moved, text % {"places": abs(change)})


def _sort_key(column: str) -> Callable[[Line], Any]:
    if column == "country":
        return lambda line: folded(line.name)
    if column == "rank":
        return lambda line: line.row.rank
    if column == "change":
        return lambda line: line.row.rank_change
    if column == "group":
        return lambda line: _GROUP_ORDER.get(line.row.group or "")
    if column == "rating_class":
        return lambda line: _CLASS_ORDER.get(line.row.rating_class or "")
    return lambda line: getattr(line.row, column)


def sorted_lines(lines: Iterable[Line], query: RankingQuery) -> list[Line]:
    """By the query's column and direction, missing values last either way; ties keep the
    published order (rank, then name)."""
    key = _sort_key(query.sort)
    ordered = sorted(lines, key=lambda line: (line.row.rank is None, line.row.rank or 0))
    present = [line for line in ordered if key(line) is not None]
    missing = [line for line in ordered if key(line) is None]
    return sorted(present, key=key, reverse=query.descending) + missing


@dataclass(frozen=True, slots=True)
class Header:
    code: str
    label: str
    title: str  # the index's full name, empty for the other columns
    url: str
    numeric: bool
    aria_sort: str  # ascending, descending, or "" when not sorted by it


def headers(query: RankingQuery, path: str) -> list[Header]:
    found = []
    for code, label in COLUMNS.items():
        aria_sort = ""
        if code == query.sort:
            aria_sort = "descending" if query.descending else "ascending"
        found.append(
            Header(
                code=code,
                label=str(label),
                title=labels.label(labels.INDEX_NAMES, code) if code in labels.INDEX_NAMES else "",
                url=query.sorted_by(code).url(path),
                numeric=code in NUMERIC,
                aria_sort=aria_sort,
            )
        )
    return found


def _options(
    choices: Mapping[str, Promise], present: Iterable[str | None]
) -> list[tuple[str, str]]:
    """``(code, label)`` of the codes this edition has, in the label table's order."""
    have = set(present)
    return [(code, str(label)) for code, label in choices.items() if code in have]


def _sub_regions(rows: Iterable[RankingRow]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The sub-regions of the edition under their region's label, for ``<optgroup>``."""
    pairs = {(row.region, row.sub_region) for row in rows}
    return [
        (str(label), _options(labels.SUB_REGIONS, (sub for r, sub in pairs if r == region)))
        for region, label in labels.REGIONS.items()
        if any(r == region for r, _sub in pairs)
    ]


def latest(request: HttpRequest) -> HttpResponse:
    """``/ranking/``: the latest edition's ranking (a redirect, so the URL names the year)."""
    editions = selectors.editions()
    if not editions:
        return redirect("datacenter:home")
    return redirect("datacenter:ranking", year=editions[-1].year)


def page(request: HttpRequest, year: int) -> HttpResponse:
    editions = selectors.editions()
    edition = next((stored for stored in editions if stored.year == year), None)
    if edition is None:
        raise Http404(f"no edition {year}")
    params = {name: request.GET.get(name, "") for name in request.GET}
    query = RankingQuery.parse(params)
    switch = _switch(params.get("edition", ""), editions, edition)
    if switch is not None:
        return redirect(query.url(reverse("datacenter:ranking", args=[switch.year])))

    ranking = selectors.edition_ranking(edition=edition)
    every = [line_of(row, ranking.previous_year) for row in ranking.rows]
    shown = sorted_lines((line for line in every if query.keeps(line.row, line.name)), query)
    context = {
        "ranking": ranking,
        "query": query,
        "lines": shown,
        "shown": len(shown),
        "total": len(every),
        "headers": headers(query, request.path),
        "columns": len(COLUMNS),
        "statuses": sorted({line.row.status for line in every} - {"assessed"}),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = render(request, "datacenter/_ranking_partial.html", context)
    else:
        rows = ranking.rows
        summary = selectors.edition_summaries(year=year)
        context |= {
            "edition": edition,
            "title": summary[0].title if summary else "",
            "editions": editions,
            "regions": _options(labels.REGIONS, (row.region for row in rows)),
            "sub_regions": _sub_regions(rows),
            "groups": _options(labels.GROUPS, (row.group for row in rows)),
            "specials": [
                (code, str(label))
                for code, label in labels.SPECIAL_GROUPS.items()
                if any(getattr(row, code) for row in rows)
            ],
            "incomes": _options(labels.INCOME_GROUPS, (row.income_group for row in rows)),
            "downloads": [
                (extension.upper(), reverse("downloads:edition", args=[year, extension]))
                for extension in ("csv", "xlsx", "json")
            ],
        }
        response = render(request, "datacenter/ranking.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _switch(asked: str, editions: list[Edition], current: Edition) -> Edition | None:
    """The edition the switch form asks for, when it is another stored one."""
    return next(
        (stored for stored in editions if str(stored.year) == asked and stored != current), None
    )
