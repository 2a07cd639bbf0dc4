"""Regions and groups in Chromium: both charts drawn, with the world average line."""

from __future__ import annotations

from typing import Any


def _option(page: Any, selector: str) -> Any:
    return page.evaluate(
        """(selector) => {
            const option = echarts.getInstanceByDom(document.querySelector(selector)).getOption();
            return {series: option.series.map((s) => ({
                name: s.name, type: s.type, data: s.data, markLine: s.markLine || null}))};
        }""",
        selector,
    )


def test_the_charts_draw_with_the_world_average(page: Any) -> None:
    page.goto("/regions/?edition=2024&index=egdi&by=region")
    page.wait_for_selector('#groups-chart .canvas[data-rendered="true"]')
    page.wait_for_selector('#trend-chart .canvas[data-rendered="true"]')

    bars = _option(page, "#groups-chart .canvas")["series"]
    assert [series["type"] for series in bars] == ["bar", "scatter", "scatter"]
    world = bars[0]["markLine"]["data"][0]["yAxis"]
    assert round(world, 4) == 0.6382
    assert round(bars[0]["data"][3], 4) == 0.8493  # Europe
    page.locator("#groups-chart svg text", has_text="0.6382").first.wait_for()

    trend = _option(page, "#trend-chart .canvas")["series"]
    assert [series["name"] for series in trend][-1] == "World average"
    assert len(trend[-1]["data"]) == 12
    assert round(trend[-1]["data"][-1], 4) == 0.6382
    assert page.locator("#trend-chart svg path").count() > 5


def test_changing_the_grouping_reloads_the_page(page: Any) -> None:
    page.goto("/regions/?edition=2024&index=egdi&by=region")
    page.wait_for_selector('#groups-chart .canvas[data-rendered="true"]')

    page.select_option("#groups-form select[name=by]", "special_group")

    page.wait_for_url("**/regions/?edition=2024&index=egdi&by=special_group")
    page.wait_for_selector('#groups-chart .canvas[data-rendered="true"]')
    assert _option(page, "#groups-chart .canvas")["series"][0]["data"][0] > 0
