"""The Compare page in Chromium: countries added and removed in place, the URL following."""

from __future__ import annotations

import re
from typing import Any


def _legend(page: Any) -> list[str]:
    names: list[str] = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('compare-chart'))"
        ".getOption().series.map((s) => s.name)"
    )
    return names


def test_add_and_remove_a_country_without_reloading(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/compare/?country=DNK&country=KOR&index=egdi")
    chart = page.locator("#compare-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    assert _legend(page) == ["Denmark", "Republic of Korea"]
    page.evaluate("window.sameDocument = true")

    page.select_option("#compare-add-country", "JPN")
    page.locator("#compare-add button[type=submit]").click()

    page.wait_for_url(re.compile(r"/compare/\?country=DNK&country=KOR&country=JPN&index=egdi$"))
    expect(page.locator('#compare-table tr[data-iso3="JPN"]')).to_have_count(1)
    expect(page.locator("#compare-chart")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#compare-chart svg text", has_text="Japan").first).to_be_visible()
    assert _legend(page) == ["Denmark", "Republic of Korea", "Japan"]

    page.locator('#compare-table tr[data-iso3="KOR"] a.remove').click()

    page.wait_for_url(re.compile(r"/compare/\?country=DNK&country=JPN&index=egdi$"))
    expect(page.locator('#compare-table tr[data-iso3="KOR"]')).to_have_count(0)
    # The swapped-in chart is drawn after the settle; until then it has no instance.
    expect(page.locator("#compare-chart")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#compare-chart svg text", has_text="Japan").first).to_be_visible()
    expect(page.locator("#compare-chart svg text", has_text="Republic of Korea")).to_have_count(0)
    assert _legend(page) == ["Denmark", "Japan"]
    assert page.evaluate("window.sameDocument") is True  # htmx swapped; no full load

    page.select_option("#compare-index", "hci")

    page.wait_for_url(re.compile(r"index=hci$"))
    expect(page.locator("#compare-table caption")).to_contain_text("HCI")
    assert page.evaluate("window.sameDocument") is True


def test_empty_page_suggestion_fills_the_comparison(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/compare/")
    page.locator("#compare-suggestion").click()

    page.wait_for_url(re.compile(r"country=DNK&country=EST&country=SGP&country=KOR&country=ISL"))
    expect(page.locator("#compare-table tbody tr")).to_have_count(5)
    expect(page.locator("#compare-chart")).to_have_attribute("data-rendered", "true")
