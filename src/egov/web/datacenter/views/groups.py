"""``/regions/``: averages and spread of an index by region, sub-region, income group or
special group (LDC, LLDC, SIDS) in one edition, and each group's average across editions.

The GET parameters hold the state: ``edition`` (a stored year; the latest by default),
``index`` (one the edition carries; EGDI by default) and ``by`` (a grouping; regions by
default). An unknown value falls back to the default, never an error. The figures come from
:func:`selectors.edition_aggregates` and :func:`selectors.group_averages_history`, which call
the core (:func:`egov.methodology.group_aggregates`, :func:`egov.methodology.group_spread`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from egov.data.tables import INDICES
from egov.methodology import WORLD

from .. import labels, selectors
from ..models import Edition

#: The groupings a reader can choose: ``by`` → its label.
GROUPINGS: Final[Mapping[str, Promise]] = {
    "region": _("Regions"),
    "sub_region": _("Sub-regions"),
    "income_group": _("Income groups"),
    "special_group": _("LDC, LLDC and SIDS"),
}
#: The label table of each grouping's groups, in the order the page lists them.
_LABELS: Final[Mapping[str, Mapping[str, Promise]]] = {
    "region": labels.REGIONS,
    "sub_region": labels.SUB_REGIONS,
    "income_group": labels.INCOME_GROUPS,
    "special_group": labels.SPECIAL_GROUPS,
}
_SHORT_LABELS: Final[Mapping[str, Mapping[str, Promise]]] = {
    **_LABELS,
    "special_group": labels.SPECIAL_GROUP_ABBREVIATIONS,
}
DEFAULT_INDEX: Final = "egdi"
DEFAULT_GROUPING: Final = "region"


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One group's figures in the chosen edition and index."""

    code: str
    label: str
    short: str  # the chart's axis label (LDC rather than the full name)
    count: int
    mean: float
    median: float
    minimum: float
    lower_quartile: float
    upper_quartile: float
    maximum: float
    std: float


@dataclass(frozen=True, slots=True)
class TrendRow:
    """One edition of the trend table: the world's and each group's average (None if absent)."""

    year: int
    world: float | None
    means: tuple[float | None, ...]


def chosen_edition(request: HttpRequest, stored: list[Edition]) -> Edition | None:
    """The edition of the ``edition`` parameter, or the latest one if it names no stored year."""
    years = {str(edition.year): edition for edition in stored}
    return years.get(request.GET.get("edition", ""), stored[-1] if stored else None)


def _group_rows(frame: pd.DataFrame, grouping: str) -> list[GroupRow]:
    names, shorts = _LABELS[grouping], _SHORT_LABELS[grouping]
    order = {code: position for position, code in enumerate(names)}
    records = sorted(
        frame.to_dict("records"), key=lambda r: (order.get(r["group"], 99), r["group"])
    )
    return [
        GroupRow(
            code=str(record["group"]),
            label=labels.label(dict(names), str(record["group"])),
            short=labels.label(dict(shorts), str(record["group"])),
            count=int(record["count"]),
            mean=float(record["mean"]),
            median=float(record["median"]),
            minimum=float(record["minimum"]),
            lower_quartile=float(record["lower_quartile"]),
            upper_quartile=float(record["upper_quartile"]),
            maximum=float(record["maximum"]),
            std=float(record["std"]),
        )
        for record in records
    ]


def _trend(history: pd.DataFrame, groups: list[GroupRow]) -> list[TrendRow]:
    means = {
        (int(year), str(group)): float(mean)
        for year, group, mean in history[["year", "group", "mean"]].itertuples(index=False)
    }
    return [
        TrendRow(
            year=year,
            world=means.get((year, WORLD)),
            means=tuple(means.get((year, group.code)) for group in groups),
        )
        for year in sorted({int(year) for year in history["year"]})
    ]


def page(request: HttpRequest) -> HttpResponse:
    stored = selectors.editions()
    edition = chosen_edition(request, stored)
    if edition is None:
        return render(request, "datacenter/groups.html", {"edition": None})
    aggregates = selectors.edition_aggregates(edition=edition, spread=True)
    carried = [code for code in INDICES if code in set(aggregates["index"])]
    index = request.GET.get("index", "")
    index = index if index in carried else DEFAULT_INDEX
    grouping = request.GET.get("by", "")
    grouping = grouping if grouping in GROUPINGS else DEFAULT_GROUPING

    chosen = aggregates[aggregates["index"] == index]
    world = chosen[chosen["grouping"] == "world"].iloc[0]
    groups = _group_rows(chosen[chosen["grouping"] == grouping], grouping)
    trend = _trend(selectors.group_averages_history(index=index, grouping=grouping), groups)

    abbreviation = labels.label(labels.INDEX_ABBREVIATIONS, index)
    chart: dict[str, Any] = {
        "groups": [group.short for group in groups],
        "mean": [group.mean for group in groups],
        "minimum": [group.minimum for group in groups],
        "maximum": [group.maximum for group in groups],
        "world": float(world["mean"]),
        "trend": {
            "years": [str(row.year) for row in trend],
            "world": [row.world for row in trend],
            "series": [
                {"name": group.short, "values": [row.means[position] for row in trend]}
                for position, group in enumerate(groups)
            ],
        },
        "strings": {
            "index": abbreviation,
            "mean": gettext("Mean"),
            "minimum": gettext("Minimum"),
            "maximum": gettext("Maximum"),
            "world": gettext("World average"),
            "count": gettext("Countries"),
        },
    }
    context = {
        "edition": edition,
        "years": [stored_edition.year for stored_edition in reversed(stored)],
        "index": index,
        "indices": [(code, labels.label(labels.INDEX_NAMES, code)) for code in carried],
        "grouping": grouping,
        "groupings": GROUPINGS.items(),
        "grouping_label": GROUPINGS[grouping],
        "world": {
            "count": int(world["count"]),
            "mean": float(world["mean"]),
            "median": float(world["median"]),
            "minimum": float(world["minimum"]),
            "lower_quartile": float(world["lower_quartile"]),
            "upper_quartile": float(world["upper_quartile"]),
            "maximum": float(world["maximum"]),
            "std": float(world["std"]),
        },
        "groups": groups,
        "trend": trend,
        "chart": chart,
    }
    return render(request, "datacenter/groups.html", context)
