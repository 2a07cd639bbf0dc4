"""The robustness lab in Chromium: the what-if table re-ranks as a weight slider moves, and
the country profile shows how robust its rank is."""

from __future__ import annotations

from typing import Any


def test_what_if_reranks_when_a_slider_moves(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/editions/2024/what-if/")
    results = page.locator("#whatif-results")
    before = results.get_attribute("data-weights")
    expect(page.locator("#whatif-table tbody tr")).to_have_count(193)
    assert page.locator("#whatif-table td.up, #whatif-table td.down").count() == 0

    page.eval_on_selector(
        "#whatif-osi",
        "(el) => { el.value = '1'; el.dispatchEvent(new Event('input', {bubbles: true})); }",
    )

    expect(page.locator("#whatif-osi-value")).to_have_text("1.00")
    expect(results).not_to_have_attribute("data-weights", before or "")
    # OSI 1 against TII and HCI at 0.33: shares 1/1.66 and 0.33/1.66.
    expect(page.locator("#whatif-results")).to_have_attribute(
        "data-weights", "0.602410-0.198795-0.198795-arithmetic"
    )
    assert page.locator("#whatif-table td.up, #whatif-table td.down").count() > 0
    assert "osi=1" in page.url


def test_country_profile_shows_the_panel(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/countries/DNK/")
    panel = page.locator("#country-robustness")
    expect(panel).to_be_visible()
    expect(panel.locator("#robustness-figures dd").nth(2)).to_have_text("1–3")


def test_robustness_page_filters(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/editions/2024/robustness/")
    expect(page.locator("#robustness-table tbody tr")).to_have_count(193)
    page.check("#robustness-boundary")
    page.wait_for_url("**boundary=1**")
    expect(page.locator('#robustness-table tr[data-iso3="DNK"]')).to_have_count(0)
    expect(page.locator('#robustness-table tr[data-iso3="LBY"]')).to_have_count(1)
