"""Charts drawn on the server as SVG: the readiness radar and small bar charts.

The PDF report needs them because WeasyPrint runs no JavaScript; a page may use them too. Each
chart is a function of labels and scores (0–100) and returns SVG markup with a ``<title>``,
a ``<desc>`` and ``role="img"``, every label escaped. A score that is missing (``None`` or NaN,
e.g. a pillar whose sub-themes are all "insufficient") is drawn as a gap: the radar's line
stops on either side of that axis instead of passing through zero, and the bar chart writes
``missing`` where the bar would be.

Geometry of the radar: axis ``i`` of ``n`` points at ``-90° + 360° · i / n`` (the first axis
straight up, then clockwise), and a score ``v`` sits at ``radius · v / 100`` from the centre::

    >>> radar_points([100.0, 50.0, None, 0.0], centre=(100.0, 100.0), radius=80.0)
    [(100.0, 20.0), (140.0, 100.0), None, (100.0, 100.0)]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

from django.utils.safestring import SafeString, mark_safe

Point = tuple[float, float]

#: Colours of the scopes, Okabe & Ito's palette (told apart with any colour vision); the
#: combined score is drawn in ink, thicker.
SCOPE_COLOURS: Final = {
    "government": "#0072B2",
    "business": "#E69F00",
    "civil_society": "#009E73",
    "academia": "#CC79A7",
    "combined": "#1b1f24",
}
#: The colour of the published (objective) scores beside the self-assessment.
OBJECTIVE_COLOUR: Final = "#56B4E9"
#: The rings of the radar and the grid lines of the bars: the levels' thresholds.
RINGS: Final = (25.0, 50.0, 75.0, 100.0)
MAXIMUM: Final = 100.0

_GRID: Final = "#c9ced4"
_MUTED: Final = "#57606a"
_FONT: Final = 11


@dataclass(frozen=True, slots=True)
class Series:
    """One line of a radar or one bar per category: a name for the legend, a score per axis
    (``None`` or NaN where there is none), a colour; ``emphasis`` draws it thicker."""

    name: str
    values: tuple[float | None, ...]
    colour: str
    emphasis: bool = False


def _present(value: float | None) -> bool:
    return value is not None and not math.isnan(value)


def _clamped(value: float) -> float:
    return min(max(value, 0.0), MAXIMUM)


def _number(value: float) -> str:
    """Coordinates with at most two decimals and no ``-0``."""
    text = f"{round(value, 2) + 0.0:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _angle(index: int, count: int) -> float:
    return -math.pi / 2 + 2 * math.pi * index / count


def radar_points(
    values: Sequence[float | None], *, centre: Point, radius: float
) -> list[Point | None]:
    """Where each score sits on its axis (``None`` where there is no score), rounded to two
    decimals; scores are clamped to 0–100."""
    count = len(values)
    points: list[Point | None] = []
    for index, value in enumerate(values):
        if value is None or not _present(value):
            points.append(None)
            continue
        distance = radius * _clamped(value) / MAXIMUM
        angle = _angle(index, count)
        x = centre[0] + distance * math.cos(angle)
        y = centre[1] + distance * math.sin(angle)
        points.append((round(x, 2) + 0.0, round(y, 2) + 0.0))
    return points


def radar_runs(points: Sequence[Point | None]) -> list[list[Point]]:
    """The stretches of consecutive present points, going round the radar: one closed run
    when every point is present (its first point not repeated), none when none is.

    >>> radar_runs([(0, 0), None, (2, 2), (3, 3)])
    [[(2, 2), (3, 3), (0, 0)]]
    >>> radar_runs([(0, 0), None, (2, 2), None])
    [[(2, 2)], [(0, 0)]]
    """
    if all(point is not None for point in points):
        return [[point for point in points if point is not None]] if points else []
    start = next(i for i, point in enumerate(points) if point is None)
    runs: list[list[Point]] = []
    current: list[Point] = []
    for offset in range(1, len(points) + 1):
        point = points[(start + offset) % len(points)]
        if point is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(point)
    return runs


def _points_text(points: Sequence[Point]) -> str:
    return " ".join(f"{_number(x)},{_number(y)}" for x, y in points)


def _anchor(cosine: float) -> str:
    if cosine > 0.3:
        return "start"
    if cosine < -0.3:
        return "end"
    return "middle"


def _legend(series: Sequence[Series], *, x: float, y: float) -> list[str]:
    parts = []
    for row, line in enumerate(series):
        top = y + row * 16
        width = 3 if line.emphasis else 2
        parts.append(
            f'<line x1="{_number(x)}" y1="{_number(top)}" x2="{_number(x + 18)}" '
            f'y2="{_number(top)}" stroke="{escape(line.colour)}" stroke-width="{width}"/>'
            f'<text x="{_number(x + 24)}" y="{_number(top + 4)}">{escape(line.name)}</text>'
        )
    return parts


def _svg(width: float, height: float, title: str, description: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_number(width)}" '
        f'height="{_number(height)}" viewBox="0 0 {_number(width)} {_number(height)}" '
        f'role="img" aria-label="{escape(title)}" font-family="sans-serif" '
        f'font-size="{_FONT}" fill="#1b1f24">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + "".join(body)
        + "</svg>"
    )


def radar_svg(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    radius: float = 120.0,
) -> SafeString:
    """A radar with one axis per label of ``axes`` (clockwise from the top), rings at the
    levels' thresholds, one line per series (a filled polygon when every score is present,
    open lines around the gaps otherwise, a dot on every score) and a legend below."""
    if len(axes) < 3:
        raise ValueError(f"a radar needs at least 3 axes, not {len(axes)}")
    for line in series:
        if len(line.values) != len(axes):
            raise ValueError(f"series {line.name!r} has {len(line.values)} values for {len(axes)}")
    side, top = 110.0, 30.0
    centre = (side + radius, top + radius)
    width = 2 * (side + radius)
    legend_top = top + 2 * radius + 36
    height = legend_top + 16 * len(series) + 4
    body = ['<g fill="none" stroke="' + _GRID + '" stroke-width="0.8">']
    for ring in RINGS:
        corners = [
            (
                centre[0] + radius * ring / MAXIMUM * math.cos(_angle(i, len(axes))),
                centre[1] + radius * ring / MAXIMUM * math.sin(_angle(i, len(axes))),
            )
            for i in range(len(axes))
        ]
        body.append(f'<polygon points="{_points_text(corners)}"/>')
    for index in range(len(axes)):
        angle = _angle(index, len(axes))
        end = (centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle))
        body.append(
            f'<line x1="{_number(centre[0])}" y1="{_number(centre[1])}" '
            f'x2="{_number(end[0])}" y2="{_number(end[1])}"/>'
        )
    body.append("</g>")
    body.append(f'<g fill="{_MUTED}" font-size="8" text-anchor="middle">')
    for ring in RINGS:
        y = centre[1] - radius * ring / MAXIMUM
        body.append(f'<text x="{_number(centre[0] + 10)}" y="{_number(y - 2)}">{ring:g}</text>')
    body.append("</g>")
    for index, label in enumerate(axes):
        angle = _angle(index, len(axes))
        x = centre[0] + (radius + 12) * math.cos(angle)
        y = centre[1] + (radius + 12) * math.sin(angle) + 4
        body.append(
            f'<text x="{_number(x)}" y="{_number(y)}" '
            f'text-anchor="{_anchor(math.cos(angle))}">{escape(label)}</text>'
        )
    for line in series:
        points = radar_points(line.values, centre=centre, radius=radius)
        runs = radar_runs(points)
        colour = escape(line.colour)
        stroke = 2.6 if line.emphasis else 1.6
        body.append(f'<g class="series" data-name="{escape(line.name)}">')
        if len(runs) == 1 and len(runs[0]) == len(axes):
            body.append(
                f'<polygon points="{_points_text(runs[0])}" fill="{colour}" '
                f'fill-opacity="0.12" stroke="{colour}" stroke-width="{stroke}"/>'
            )
        else:
            body.extend(
                f'<polyline points="{_points_text(run)}" fill="none" stroke="{colour}" '
                f'stroke-width="{stroke}"/>'
                for run in runs
                if len(run) > 1
            )
        body.extend(
            f'<circle cx="{_number(x)}" cy="{_number(y)}" r="2.6" fill="{colour}"/>'
            for point in points
            if point is not None
            for x, y in [point]
        )
        body.append("</g>")
    body.extend(_legend(series, x=side, y=legend_top))
    return mark_safe(_svg(width, height, title, description, body))  # every label escaped above


def bars_svg(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    missing: str = "–",
    width: float = 480.0,
) -> SafeString:
    """Horizontal bars on a 0–100 scale: per category, one bar per series with its value at
    the end, ``missing`` where a series has no value; grid lines at the levels' thresholds,
    a legend above when there is more than one series."""
    for line in series:
        if len(line.values) != len(categories):
            raise ValueError(
                f"series {line.name!r} has {len(line.values)} values for {len(categories)}"
            )
    label_width, right = 150.0, 40.0
    plot = width - label_width - right
    bar, gap = 10.0, 8.0
    top = 8.0 + (16.0 * len(series) if len(series) > 1 else 0.0)
    band = bar * max(len(series), 1) + gap
    height = top + band * len(categories) + 18
    body: list[str] = []
    if len(series) > 1:
        body.extend(_legend(series, x=label_width, y=10))
    body.append(f'<g stroke="{_GRID}" stroke-width="0.8">')
    for grid in (0.0, *RINGS):
        x = label_width + plot * grid / MAXIMUM
        body.append(
            f'<line x1="{_number(x)}" y1="{_number(top)}" x2="{_number(x)}" '
            f'y2="{_number(height - 16)}"/>'
        )
    body.append("</g>")
    body.append(f'<g fill="{_MUTED}" font-size="8" text-anchor="middle">')
    for grid in (0.0, *RINGS):
        x = label_width + plot * grid / MAXIMUM
        body.append(f'<text x="{_number(x)}" y="{_number(height - 6)}">{grid:g}</text>')
    body.append("</g>")
    for row, category in enumerate(categories):
        y = top + band * row
        middle = y + bar * len(series) / 2 + 4
        body.append(
            f'<text x="{_number(label_width - 6)}" y="{_number(middle)}" '
            f'text-anchor="end">{escape(category)}</text>'
        )
        for position, line in enumerate(series):
            value = line.values[row]
            bar_top = y + bar * position
            if value is None or not _present(value):
                body.append(
                    f'<text x="{_number(label_width + 4)}" y="{_number(bar_top + bar - 1.5)}" '
                    f'fill="{_MUTED}" font-size="8">{escape(missing)}</text>'
                )
                continue
            length = plot * _clamped(value) / MAXIMUM
            body.append(
                f'<rect x="{_number(label_width)}" y="{_number(bar_top)}" '
                f'width="{_number(length)}" height="{_number(bar - 1)}" '
                f'fill="{escape(line.colour)}"/>'
                f'<text x="{_number(label_width + length + 3)}" '
                f'y="{_number(bar_top + bar - 1.5)}" font-size="8">{value:.0f}</text>'
            )
    return mark_safe(_svg(width, height, title, description, body))  # every label escaped above
