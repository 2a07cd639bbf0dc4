"""The server-side SVG charts of the PDF report: where the radar puts known scores, missing
scores drawn as gaps, and labels escaped so that no name can break or inject markup."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from egov.web.meter.charts import Series, bars_svg, radar_points, radar_runs, radar_svg

SVG = "{http://www.w3.org/2000/svg}"
AXES = ["Commitment", "Legal", "Vision and Policy", "Organization", "Technology"]


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _points(text: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in text.split())]


def _series(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "series"]


def test_a_score_sits_on_its_axis_at_its_share_of_the_radius() -> None:
    points = radar_points([100.0, 50.0, 25.0, 0.0], centre=(200.0, 150.0), radius=100.0)
    # Axes clockwise from the top: up, right, down, left.
    assert points == [(200.0, 50.0), (250.0, 150.0), (200.0, 175.0), (200.0, 150.0)]


def test_scores_outside_the_scale_are_clamped_to_it() -> None:
    points = radar_points([130.0, -5.0, 50.0], centre=(0.0, 0.0), radius=10.0)
    assert points[0] == (0.0, -10.0)
    assert points[1] == (0.0, 0.0)


def test_the_radar_draws_known_scores_as_one_closed_polygon() -> None:
    scores = (80.0, 60.0, 40.0, 20.0, 100.0)
    svg = radar_svg(AXES, [Series("Combined", scores, "#000")], title="Profile", radius=100.0)
    (series,) = _series(_tree(svg))
    (polygon,) = series.iter(f"{SVG}polygon")
    drawn = _points(polygon.get("points", ""))
    # The centre is (radius + 110, radius + 30); axis i points at -90° + 72°·i.
    centre = (210.0, 130.0)
    expected = [
        (
            centre[0] + score * math.cos(math.radians(-90 + 72 * i)),
            centre[1] + score * math.sin(math.radians(-90 + 72 * i)),
        )
        for i, score in enumerate(scores)
    ]
    assert [c for point in drawn for c in point] == pytest.approx(
        [c for point in expected for c in point], abs=0.01
    )
    assert drawn[:2] == [(210.0, 50.0), (267.06, 111.46)]
    assert len(list(series.iter(f"{SVG}circle"))) == 5
    assert not list(series.iter(f"{SVG}polyline"))


def test_a_missing_pillar_is_a_gap_not_a_zero() -> None:
    scores = (80.0, float("nan"), 40.0, None, 100.0)
    svg = radar_svg(AXES, [Series("Business", scores, "#E69F00")], title="Profile", radius=100.0)
    (series,) = _series(_tree(svg))
    assert not list(series.iter(f"{SVG}polygon"))
    lines = [_points(line.get("points", "")) for line in series.iter(f"{SVG}polyline")]
    placed = radar_points(scores, centre=(210.0, 130.0), radius=100.0)
    # Technology → Commitment go round the top; Vision and Policy stands alone (a dot only).
    assert lines == [[placed[4], placed[0]]]
    dots = [(float(c.get("cx", "")), float(c.get("cy", ""))) for c in series.iter(f"{SVG}circle")]
    assert dots == [placed[0], placed[2], placed[4]]
    centre = (210.0, 130.0)
    assert centre not in dots


def test_runs_wrap_around_and_split_at_every_gap() -> None:
    a, b, c, d, e = ((float(i), float(i)) for i in range(5))
    assert radar_runs([a, b, c, d, e]) == [[a, b, c, d, e]]
    assert radar_runs([a, b, None, d, e]) == [[d, e, a, b]]
    assert radar_runs([a, None, c, None, e]) == [[c], [e, a]]
    assert radar_runs([None, None, None]) == []


def test_a_series_with_no_score_draws_nothing_but_its_legend() -> None:
    svg = radar_svg(AXES, [Series("Academia", (None,) * 5, "#CC79A7")], title="Profile")
    root = _tree(svg)
    (series,) = _series(root)
    assert not list(series)
    assert "Academia" in [t.text for t in root.iter(f"{SVG}text")]


def test_labels_and_names_are_escaped() -> None:
    hostile = '<script>alert("x")</script> & Co'
    svg = radar_svg(
        [hostile, "B", "C"],
        [Series(hostile, (50.0, 50.0, 50.0), '"/><script>')],
        title=hostile,
        description=hostile,
    )
    assert "<script>" not in svg
    root = _tree(svg)  # still well-formed
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts.count(hostile) == 2  # the axis and the legend
    assert root.findtext(f"{SVG}title") == hostile
    assert root.get("aria-label") == hostile


def test_the_radar_refuses_mismatched_series() -> None:
    with pytest.raises(ValueError, match="3 values for 5"):
        radar_svg(AXES, [Series("x", (1.0, 2.0, 3.0), "#000")], title="t")
    with pytest.raises(ValueError, match="at least 3 axes"):
        radar_svg(["a", "b"], [], title="t")


def test_bars_are_proportional_and_a_missing_value_is_written_not_drawn() -> None:
    svg = bars_svg(
        ["Commitment", "Legal"],
        [
            Series("Self-assessment", (80.0, None), "#000"),
            Series("Published data", (40.0, 20.0), "#56B4E9"),
        ],
        title="Corroboration",
        missing="insufficient",
        width=490.0,
    )
    root = _tree(svg)
    widths = [float(rect.get("width", "")) for rect in root.iter(f"{SVG}rect")]
    plot = 490.0 - 150.0 - 40.0
    assert widths == pytest.approx([plot * 0.8, plot * 0.4, plot * 0.2], abs=0.01)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "insufficient" in texts
    assert {"Self-assessment", "Published data", "Commitment", "Legal"} <= set(texts)
    assert [t for t in texts if t in {"80", "40", "20"}] == ["80", "40", "20"]
