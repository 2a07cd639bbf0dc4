"""The country profile in Chromium: its charts draw, with their tables beside them."""

from __future__ import annotations

from typing import Any


def test_country_charts_render_with_their_tables(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/countries/KOR/")

    for chart in ("#country-indices-chart", "#country-rank-chart", "#country-peers-chart"):
        expect(page.locator(chart)).to_have_attribute("data-rendered", "true")
        assert page.locator(f"{chart} svg path").count() > 0
    indices = page.locator("#country-indices-chart svg")
    for label in ("EGDI", "OSI", "TII", "HCI", "EPI"):  # the legend names each series
        expect(indices.locator("text", has_text=label).first).to_be_visible()
    series = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('country-indices-chart'))"
        ".getOption().series.map((s) => s.data.length)"
    )
    assert series == [12] * 5
    rank_axis = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('country-rank-chart'))"
        ".getOption().yAxis[0]"
    )
    assert rank_axis["inverse"] is True
    assert rank_axis["min"] == 1
    expect(page.locator("#country-history tbody tr")).to_have_count(12)
    expect(page.locator('#country-peers tr[aria-current="true"]')).to_have_attribute(
        "data-iso3", "KOR"
    )


def test_french_country_page_renders(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/fr/countries/kor/")

    page.wait_for_url("**/fr/countries/KOR/")
    expect(page.locator("h1")).to_contain_text("Corée du Sud")
    expect(page.locator("#country-indices-chart")).to_have_attribute("data-rendered", "true")
