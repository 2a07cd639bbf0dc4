"""The robustness lab: ``/editions/<year>/robustness/`` (how sure each rank is) and
``/editions/<year>/what-if/`` (the edition re-ranked with the reader's weights).

Both keep their whole state in GET parameters. Robustness: ``sort`` (``rank country median
interval top10 shift``, ``-`` for descending), ``region``, ``boundary=1`` (only countries whose
group is uncertain). What-if: ``osi tii hci`` (non-negative weights, renormalised) and
``aggregation`` (``arithmetic`` or ``geometric``). An unknown value is ignored. An htmx request
of the what-if form gets only the table (:file:`_robustness_whatif.html`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from egov.api.caching import published_etag
from egov.config import PROJECT_ROOT
from egov.errors import MethodologyError

from .. import labels, robustness, selectors
from ..docs import rendered_doc
from ..localize import country_name
from ..models import Country, Edition

DOCUMENT: Final = PROJECT_ROOT / "docs" / "robustness.md"
#: The robustness table's sortable columns: code → header label.
COLUMNS: Final[Mapping[str, Promise]] = {
    "rank": _("Published rank"),
    "country": _("Country"),
    "median": _("Median rank"),
    "interval": _("5th–95th percentile"),
    "top10": _("P(top 10)"),
    "shift": _("Mean rank shift"),
}
#: Columns whose first click sorts from the largest.
DESCENDING_FIRST: Final = frozenset({"interval", "top10", "shift"})
#: Weight sliders: 0 to 1 in steps of 0.01 (renormalised, so only proportions matter).
WEIGHT_STEP: Final = 0.01


def _edition(year: int) -> Edition:
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        raise Http404(f"no edition {year}")
    return edition


@dataclass(frozen=True, slots=True)
class Query:
    sort: str = "rank"
    descending: bool = False
    region: str = ""
    boundary: bool = False

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> Query:
        column = params.get("sort", "")
        descending = column.startswith("-")
        column = column.removeprefix("-")
        if column not in COLUMNS:
            column, descending = "rank", False
        region = params.get("region", "")
        return cls(
            sort=column,
            descending=descending,
            region=region if region in labels.REGIONS else "",
            boundary=params.get("boundary") == "1",
        )

    def params(self, **changes: Any) -> dict[str, str]:
        sort = changes.get("sort", self.sort)
        descending = changes.get("descending", self.descending)
        found = {
            "region": self.region,
            "boundary": "1" if self.boundary else "",
            "sort": (
                "" if sort == "rank" and not descending else f"{'-' if descending else ''}{sort}"
            ),
        }
        return {name: value for name, value in found.items() if value}

    def url(self, path: str, **changes: Any) -> str:
        params = self.params(**changes)
        return f"{path}?{urlencode(params)}" if params else path


@dataclass(frozen=True, slots=True)
class Line:
    row: robustness.RankInterval
    name: str
    region: str
    bar: Mapping[str, float]  # SVG coordinates of the interval, 0 to 100


def _bar(row: robustness.RankInterval, count: int) -> dict[str, float]:
    def x(rank: float) -> float:
        return round(100 * (rank - 1) / max(count - 1, 1), 2)

    return {
        "low": x(row.rank_p5),
        "width": max(x(row.rank_p95) - x(row.rank_p5), 0.6),
        "median": x(row.median_rank),
        "published": x(row.published_rank),
    }


def _sort_key(column: str) -> Any:
    keys = {
        "rank": lambda line: line.row.published_rank,
        "country": lambda line: line.name.casefold(),
        "median": lambda line: line.row.median_rank,
        "interval": lambda line: line.row.width,
        "top10": lambda line: line.row.top10_probability,
        "shift": lambda line: line.row.mean_abs_rank_shift,
    }
    return keys[column]


def page(request: HttpRequest, year: int) -> HttpResponse:
    edition = _edition(year)
    query = Query.parse({name: request.GET.get(name, "") for name in request.GET})
    figures = robustness.edition_robustness(edition=edition)
    registry = dict(
        Country.objects.filter(iso3__in=[row.iso3 for row in figures.rows]).values_list(
            "iso3", "region"
        )
    )
    every = [
        Line(
            row=row,
            name=country_name(row.iso3, row.name),
            region=registry.get(row.iso3, ""),
            bar=_bar(row, figures.countries),
        )
        for row in figures.rows
    ]
    shown = [
        line
        for line in every
        if (not query.region or line.region == query.region)
        and (not query.boundary or line.row.crosses_boundary)
    ]
    shown.sort(key=lambda line: line.row.published_rank)
    shown.sort(key=_sort_key(query.sort), reverse=query.descending)
    headers = []
    for code, label in COLUMNS.items():
        current = code == query.sort
        descending = (not query.descending) if current else code in DESCENDING_FIRST
        headers.append(
            {
                "code": code,
                "label": str(label),
                "url": query.url(request.path, sort=code, descending=descending),
                "aria_sort": ("descending" if query.descending else "ascending") if current else "",
            }
        )
    mean, low, high = figures.mean_shift
    context = {
        "edition": edition,
        "figures": figures,
        "query": query,
        "lines": shown,
        "shown": len(shown),
        "total": len(every),
        "uncertain": sum(line.row.crosses_boundary for line in every),
        "headers": headers,
        "groups": [(code, labels.label(labels.GROUPS, code)) for code in robustness.GROUPS],
        "regions": [(code, str(label)) for code, label in labels.REGIONS.items()],
        "shift": {"mean": f"{mean:.2f}", "low": f"{low:.2f}", "high": f"{high:.2f}"},
        "published_share": f"{figures.published_scale_runs / figures.samples:.0%}",
        "boundary_share": f"{robustness.BOUNDARY_SHARE:.0%}",
        "doc": rendered_doc(DOCUMENT),
        "editions": selectors.editions(),
    }
    return render(request, "datacenter/robustness.html", context)


def _weight(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def what_if(request: HttpRequest, year: int) -> HttpResponse:
    edition = _edition(year)
    etag = published_etag()
    model = robustness.edition_model(edition=edition, etag=etag)
    nominal = robustness.nominal_weights(model)
    asked = {code: _weight(request.GET.get(code, "")) for code in ("osi", "tii", "hci")}
    aggregation = request.GET.get("aggregation", "")
    if aggregation not in robustness.AGGREGATIONS:
        aggregation = "arithmetic"
    try:
        weights = robustness.parse_weights(asked, nominal)
        refused = False
    except MethodologyError:
        weights, refused = nominal, True
    frame = robustness.what_if(edition=edition, weights=weights, aggregation=aggregation, etag=etag)
    sliders = [
        {
            "code": code,
            "label": labels.label(labels.INDEX_ABBREVIATIONS, code),
            "title": labels.label(labels.INDEX_NAMES, code),
            # The raw value the reader set (or the edition's weight), and its share.
            "value": asked[code]
            if asked[code] is not None and not refused
            else getattr(nominal, code),
            "share": getattr(weights, code),
        }
        for code in ("osi", "tii", "hci")
    ]
    rows = [
        {
            "iso3": iso3,
            "name": country_name(iso3, name),
            "rank": rank,
            "published_rank": published,
            "change": change,
            "egdi": egdi,
            "group": group,
        }
        for iso3, name, rank, published, change, egdi, group in zip(
            frame.index.tolist(),
            frame["name"].tolist(),
            frame["rank"].tolist(),
            frame["published_rank"].tolist(),
            frame["rank_change"].tolist(),
            frame["egdi"].tolist(),
            frame["group"].tolist(),
            strict=True,
        )
    ]
    context = {
        "edition": edition,
        "sliders": sliders,
        "aggregation": aggregation,
        "aggregations": [
            ("arithmetic", _("Arithmetic mean (as published)")),
            ("geometric", _("Geometric mean (less compensation)")),
        ],
        "rows": rows,
        "moved": int(frame["rank_change"].ne(0).sum()),
        "largest": int(frame["rank_change"].abs().max()),
        "refused": refused,
        "step": WEIGHT_STEP,
        "weights_key": f"{weights.osi:.6f}-{weights.tii:.6f}-{weights.hci:.6f}-{aggregation}",
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = render(request, "datacenter/_robustness_whatif.html", context)
    else:
        context["editions"] = selectors.editions()
        response = render(request, "datacenter/robustness_whatif.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response
