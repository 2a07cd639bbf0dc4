"""``/compare/``: up to eight countries side by side over the editions, for one index.

The URL holds the state, so every view of it can be shared and works without JavaScript::

    /compare/?country=DNK&country=KOR&index=egdi&from=2003&to=2024
    /compare/?country=DNK&country=KOR&index=osi&edition=2003&edition=2014&edition=2024

``country`` repeats (ISO3, any case; unknown codes are ignored and said so; past eight the
rest is left out and said so); ``index`` is one of ``egdi osi tii hci epi`` (default EGDI);
the editions are a set (``edition``, repeated) or a range (``from``, ``to``), by default all.
With htmx the forms and links swap ``#compare-content`` and push the URL (the canonical one,
through ``HX-Push-Url``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import push_url

from .. import labels, selectors
from ..localize import country_name
from ..models import Country

#: How many countries the empty page suggests, from the top of the latest edition.
SUGGESTED = 5
#: The indices one can compare, in the Survey's order.
INDICES = ("egdi", "osi", "tii", "hci", "epi")


@dataclass
class CompareQuery:
    """The page's state as parsed from the URL, with what was refused and why."""

    countries: list[Country]
    index: str
    years: list[int]
    stored_years: list[int]
    messages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CompareRow:
    """A country of the table, its name localised, with the URL that removes it."""

    iso3: str
    name: str
    values: tuple[selectors.ComparedValue, ...]
    remove_url: str


def page(request: HttpRequest) -> HttpResponse:
    query = parse_query(request.GET)
    comparison = selectors.index_comparison(
        countries=query.countries, index=query.index, years=query.years
    )
    context = _context(query, comparison)
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not getattr(htmx, "history_restore_request", False)
    template = "datacenter/_compare_content.html" if partial else "datacenter/compare.html"
    response = render(request, template, context)
    if partial:
        push_url(response, context["url"])
    patch_vary_headers(response, ("HX-Request",))
    return response


def parse_query(params: QueryDict) -> CompareQuery:
    """Countries, index and editions from the URL, in order, without duplicates: two queries."""
    codes: list[str] = []
    for value in params.getlist("country"):
        for code in value.split(","):
            code = code.strip().upper()
            if code and code not in codes:
                codes.append(code)
    known = {country.iso3: country for country in Country.objects.filter(iso3__in=codes)}
    messages = []
    unknown = [code for code in codes if code not in known]
    if unknown:
        messages.append(
            ngettext(
                "Unknown country code ignored: %(codes)s.",
                "Unknown country codes ignored: %(codes)s.",
                len(unknown),
            )
            % {"codes": ", ".join(unknown)}
        )
    chosen = [known[code] for code in codes if code in known]
    if len(chosen) > selectors.COMPARE_LIMIT:
        left_out = chosen[selectors.COMPARE_LIMIT :]
        messages.append(
            _(
                "At most %(limit)s countries can be compared: the first %(limit)s are shown, "
                "%(left_out)s left out."
            )
            % {
                "limit": selectors.COMPARE_LIMIT,
                "left_out": ", ".join(country_name(c.iso3, c.name) for c in left_out),
            }
        )
        chosen = chosen[: selectors.COMPARE_LIMIT]
    index = (params.get("index") or "egdi").strip().lower()
    if index not in INDICES:
        messages.append(_("Unknown index %(index)s: showing EGDI.") % {"index": params["index"]})
        index = "egdi"
    stored = [edition.year for edition in selectors.editions()]
    years = _years(params, stored, messages)
    return CompareQuery(chosen, index, years, stored, messages)


def _number(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _years(params: QueryDict, stored: list[int], messages: list[str]) -> list[int]:
    """A set (``edition``) or a range (``from``, ``to``) of stored editions; all by default."""
    asked = [_number(value) for value in params.getlist("edition")]
    if asked:
        chosen = sorted({year for year in asked if year in stored})
        if len(chosen) < len(asked):
            messages.append(_("Editions that are not stored were ignored."))
        return chosen or stored
    start = _number(params.get("from")) or (stored[0] if stored else 0)
    end = _number(params.get("to")) or (stored[-1] if stored else 0)
    if start > end:
        start, end = end, start
    return [year for year in stored if start <= year <= end] or stored


def edition_params(years: list[int], stored: list[int]) -> list[tuple[str, int]]:
    """The editions in a URL: none for all, a range when they follow each other, else a set."""
    if not years or years == stored:
        return []
    first, last = stored.index(years[0]), stored.index(years[-1])
    if stored[first : last + 1] == years:
        return [("from", years[0]), ("to", years[-1])]
    return [("edition", year) for year in years]


def compare_url(countries: list[str], index: str, years: list[int], stored: list[int]) -> str:
    """The canonical URL of a comparison."""
    pairs: list[tuple[str, str | int]] = [("country", code) for code in countries]
    pairs.append(("index", index))
    pairs += edition_params(years, stored)
    return f"{reverse('datacenter:compare')}?{urlencode(pairs)}"


def _sort_key(name: str) -> str:
    """Names in alphabetical order whatever their accents (É with E)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _context(query: CompareQuery, comparison: selectors.IndexComparison) -> dict[str, Any]:
    codes = [country.iso3 for country in query.countries]
    stored = query.stored_years

    def url(countries: list[str], index: str = query.index) -> str:
        return compare_url(countries, index, query.years, stored)

    rows = [
        CompareRow(
            iso3=compared.iso3,
            name=country_name(compared.iso3, compared.name),
            values=compared.values,
            remove_url=url([code for code in codes if code != compared.iso3]),
        )
        for compared in comparison.countries
    ]
    choices = sorted(
        (
            (country_name(country.iso3, country.name), country.iso3)
            for country in selectors.countries()
            if country.iso3 not in codes
        ),
        key=lambda choice: _sort_key(choice[0]),
    )
    suggestion: list[dict[str, str]] = []
    if not codes and stored:
        latest = selectors.editions()[-1]
        top = selectors.edition_top(edition=latest, limit=SUGGESTED)[:SUGGESTED]
        suggestion = [{"iso3": row.iso3, "name": country_name(row.iso3, row.name)} for row in top]
    index_label = labels.label(labels.INDEX_ABBREVIATIONS, query.index)
    return {
        "query": query,
        "comparison": comparison,
        "rows": rows,
        "codes": codes,
        "url": url(codes),
        "full": len(codes) >= selectors.COMPARE_LIMIT,
        "limit": selectors.COMPARE_LIMIT,
        "choices": choices,
        "index_choices": [
            (code, labels.label(labels.INDEX_NAMES, code), code == query.index) for code in INDICES
        ],
        "year_choices": [(year, year in query.years) for year in stored],
        "year_params": edition_params(query.years, stored),
        "index_label": index_label,
        "index_name": labels.label(labels.INDEX_NAMES, query.index),
        "suggestion": suggestion,
        "suggestion_url": (
            compare_url([row["iso3"] for row in suggestion], query.index, query.years, stored)
            if suggestion
            else ""
        ),
        "suggestion_year": stored[-1] if stored else None,
        "chart_data": {
            "years": list(comparison.years),
            "series": [
                {"name": row.name, "values": [cell.value for cell in row.values]} for row in rows
            ],
            "labels": {
                "index": index_label,
                "description": _("%(index)s of %(countries)s over the editions")
                % {"index": index_label, "countries": ", ".join(row.name for row in rows)},
            },
        },
    }
