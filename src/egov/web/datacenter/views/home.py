"""``/``: the latest edition at a glance: its top ten, the world and regional averages, the
number of countries in each EGDI group, the biggest movers since the previous edition, and
a link to every edition's ranking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from egov.methodology import WORLD

from .. import labels, selectors
from ..models import Edition
from ..selectors import EditionRanking, RankingRow
from .ranking import Line, line_of

TOP: Final = 10
MOVERS: Final = 5


@dataclass(frozen=True, slots=True)
class Average:
    """A region (or the world): its label, mean of each index (None where not published)
    and how many assessed countries the means are over."""

    label: str
    means: tuple[float | None, ...]
    count: int
    world: bool


@dataclass(frozen=True, slots=True)
class Mover:
    line: Line
    previous_rank: int


def averages(*, edition: Edition) -> tuple[tuple[str, ...], list[Average]]:
    """The indices the edition publishes, and their world and regional means."""
    frame = selectors.edition_aggregates(edition=edition)
    frame = frame[frame["grouping"].isin(["world", "region"])]
    indices = tuple(code for code in labels.INDEX_ABBREVIATIONS if code in set(frame["index"]))
    found = []
    for (grouping, group), part in frame.groupby(["grouping", "group"], sort=False):
        name = str(group)
        means = part.set_index("index")["mean"]
        counts = part.set_index("index")["count"]
        found.append(
            Average(
                label=gettext("World") if name == WORLD else labels.label(labels.REGIONS, name),
                means=tuple(float(means[code]) if code in means else None for code in indices),
                count=int(counts.get("egdi", counts.max())),
                world=grouping == "world",
            )
        )
    return indices, found


def movers(ranking: EditionRanking) -> tuple[list[Mover], list[Mover]]:
    """The ``MOVERS`` countries that climbed most and those that fell most, ties by rank."""
    compared = [row for row in ranking.rows if row.rank is not None and row.rank_change]
    up = sorted(
        (row for row in compared if (row.rank_change or 0) > 0),
        key=lambda row: (-(row.rank_change or 0), row.rank),
    )
    down = sorted(
        (row for row in compared if (row.rank_change or 0) < 0),
        key=lambda row: (row.rank_change or 0, row.rank),
    )

    def mover(row: RankingRow) -> Mover:
        return Mover(line_of(row, ranking.previous_year), (row.rank or 0) + (row.rank_change or 0))

    return [mover(row) for row in up[:MOVERS]], [mover(row) for row in down[:MOVERS]]


def home(request: HttpRequest) -> HttpResponse:
    editions = selectors.editions()
    if not editions:
        return render(request, "datacenter/home.html", {"editions": []})
    latest = editions[-1]
    ranking = selectors.edition_ranking(edition=latest)
    assessed = [row for row in ranking.rows if row.assessed]
    indices, regional = averages(edition=latest)
    climbers, fallers = movers(ranking)
    context = {
        "editions": editions,
        "ranking": ranking,
        "assessed": len(assessed),
        "top": [
            line_of(row, ranking.previous_year)
            for row in ranking.rows
            if row.rank is not None and row.rank <= TOP
        ],
        "indices": indices,
        "averages": regional,
        "groups": [
            (code, str(label), sum(row.group == code for row in assessed))
            for code, label in labels.GROUPS.items()
        ],
        "climbers": climbers,
        "fallers": fallers,
    }
    return render(request, "datacenter/home.html", context)
