"""``/map/``: a choropleth of one index in one edition, and the same values as a ranked table.

The GET parameters hold the state: ``edition`` (a stored year; the latest by default) and
``index`` (one the edition carries; EGDI by default); an unknown value falls back to the
default. Without JavaScript the page is the table; ``static/egov/map.js`` draws the map from
the page's ``map-data`` (values keyed by ISO3, localised names, translated strings).
"""

from __future__ import annotations

from typing import Any, Final

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext

from egov.data.tables import INDICES
from egov.methodology import GROUP_LOWER_BOUNDS

from .. import labels, selectors
from ..localize import country_name
from .groups import chosen_edition

DEFAULT_INDEX: Final = "egdi"
#: What map.js replaces by a country's ISO3 in the profile URL Django reversed.
ISO3_PLACEHOLDER: Final = "ISO3"
#: The colours of the EGDI groups, lowest first (UN blue for Very high).
GROUP_COLOURS: Final = {"L": "#c6e3f2", "M": "#7cc4e8", "H": "#2b9fd8", "V": "#0b5e91"}


def _pieces() -> list[dict[str, Any]]:
    """The visualMap pieces of the EGDI groups: lower bounds closed, the top one includes 1."""
    bounds = sorted(GROUP_LOWER_BOUNDS.items(), key=lambda item: item[1])
    pieces = []
    for position, (code, lower) in enumerate(bounds):
        upper = bounds[position + 1][1] if position + 1 < len(bounds) else 1.0
        closing = "]" if position + 1 == len(bounds) else ")"
        piece: dict[str, Any] = {
            "gte": lower,
            "label": f"{labels.label(labels.GROUPS, code)} [{lower:.2f}, {upper:.2f}{closing}",
            "color": GROUP_COLOURS[code],
        }
        piece["lte" if closing == "]" else "lt"] = upper
        pieces.append(piece)
    return pieces


def page(request: HttpRequest) -> HttpResponse:
    stored = selectors.editions()
    edition = chosen_edition(request, stored)
    if edition is None:
        return render(request, "datacenter/map.html", {"edition": None})
    carried = selectors.edition_summaries(year=edition.year)[0].indices
    index = request.GET.get("index", "")
    index = index if index in carried else DEFAULT_INDEX
    rows = [
        (row, country_name(row.iso3, row.name))
        for row in selectors.edition_index_ranking(edition=edition, index=index)
    ]
    values = [row.value for row, _name in rows if row.value is not None]
    highest = max([1.0, *values])  # HCI of 2003-2005 was published above 1
    abbreviation = labels.label(labels.INDEX_ABBREVIATIONS, index)
    chart: dict[str, Any] = {
        "geometry": static("vendor/world/countries-110m.geo.json"),
        "profile": reverse("datacenter:country", kwargs={"iso3": ISO3_PLACEHOLDER}),
        "placeholder": ISO3_PLACEHOLDER,
        "values": [
            {"name": row.iso3, "value": row.value, "rank": row.rank, "label": name}
            for row, name in rows
        ],
        "pieces": _pieces() if index == "egdi" else None,
        "max": highest,
        "strings": {
            "index": abbreviation,
            "rank": gettext("Rank"),
            "noValue": gettext("No value"),
            "high": gettext("High"),
            "low": gettext("Low"),
        },
    }
    context = {
        "edition": edition,
        "years": [stored_edition.year for stored_edition in reversed(stored)],
        "index": index,
        "indices": [
            (code, labels.label(labels.INDEX_NAMES, code)) for code in INDICES if code in carried
        ],
        "rows": rows,
        "chart": chart,
    }
    return render(request, "datacenter/map.html", context)
