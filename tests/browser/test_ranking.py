"""The edition ranking in Chromium: sorting, filtering and finding a country swap only the
table (htmx), and the URL always says what is shown."""

from __future__ import annotations

from typing import Any

ROWS = "#ranking-results tbody tr[data-iso3]"


def codes(page: Any) -> list[str]:
    return [
        str(code)
        for code in page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.iso3)")
    ]


def mark_document(page: Any) -> None:
    """Set a flag that a page load would wipe out."""
    page.evaluate("window.stillTheSameDocument = true")


def same_document(page: Any) -> bool:
    return bool(page.evaluate("window.stillTheSameDocument === true"))


def test_sorting_by_a_column_reorders_the_rows(page: Any) -> None:
    page.goto("/editions/2024/")
    assert codes(page)[:3] == ["DNK", "EST", "SGP"]
    mark_document(page)

    page.locator('th[data-column="osi"] a').click()
    page.wait_for_url("**/editions/2024/?sort=-osi")
    page.wait_for_function(
        "document.querySelector('th[data-column=osi]').ariaSort === 'descending'"
    )

    # 2024 OSI: Republic of Korea 1.0, Denmark 0.99924, Estonia 0.99535.
    assert codes(page)[:3] == ["KOR", "DNK", "EST"]
    assert same_document(page)
    # The form's sort follows, so a search now keeps the order.
    assert page.locator("#ranking-sort").input_value() == "-osi"

    page.locator('th[data-column="osi"] a').click()  # again: reversed
    page.wait_for_url("**/editions/2024/?sort=osi")
    assert page.locator('th[data-column="osi"]').get_attribute("aria-sort") == "ascending"
    assert codes(page)[:2] == ["ERI", "COM"]


def test_filtering_by_region_leaves_that_region(page: Any) -> None:
    page.goto("/editions/2024/")
    mark_document(page)

    page.locator("#ranking-region").select_option("Oceania")
    page.wait_for_url("**/editions/2024/?region=Oceania")
    page.wait_for_function("document.querySelectorAll('#ranking-results tbody tr').length === 14")

    assert codes(page)[:2] == ["AUS", "NZL"]
    assert "DNK" not in codes(page)
    assert page.locator("#ranking-count").inner_text().strip() == "14 of 193 countries shown"
    assert same_document(page)


def test_typing_finds_a_country_without_a_page_load(page: Any) -> None:
    page.goto("/editions/2024/?sort=-osi")
    mark_document(page)

    page.locator("#ranking-q").press_sequentially("den", delay=50)
    page.wait_for_url("**/editions/2024/?q=den&sort=-osi")
    page.wait_for_function("document.querySelectorAll('#ranking-results tbody tr').length === 1")

    assert codes(page) == ["DNK"]
    assert same_document(page)
    assert page.locator("#ranking-count").inner_text().strip() == "1 of 193 countries shown"

    shared = page.url
    page.goto(shared)  # the URL, loaded afresh, shows the same table
    assert not same_document(page)
    assert codes(page) == ["DNK"]
    assert page.locator("#ranking-q").input_value() == "den"


def test_switching_edition_keeps_the_filters(page: Any) -> None:
    page.goto("/editions/2024/")
    page.locator("#ranking-region").select_option("Europe")
    page.wait_for_url("**/editions/2024/?region=Europe")

    page.locator("#ranking-edition").select_option("2022")
    page.wait_for_url("**/editions/2022/?region=Europe")

    assert page.locator("h1").inner_text().endswith("2022")
    shown = len(codes(page))
    assert page.locator("#ranking-count").inner_text().strip() == f"{shown} of 193 countries shown"
    assert "DNK" in codes(page)
    assert "KOR" not in codes(page)
    assert page.locator("#ranking-region").input_value() == "Europe"


def test_without_javascript_the_form_submits(browser: Any, site_url: str) -> None:
    context = browser.new_context(base_url=site_url, java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto("/editions/2024/")
        tab.locator("#ranking-q").fill("den")
        tab.locator("#ranking-filters button[type=submit]").click()
        tab.wait_for_url("**/editions/2024/?q=den*")
        assert codes(tab) == ["DNK"]
    finally:
        context.close()


def test_back_button_shows_the_previous_table(page: Any) -> None:
    page.goto("/editions/2024/")
    page.locator("#ranking-region").select_option("Oceania")
    page.wait_for_url("**/editions/2024/?region=Oceania")
    page.wait_for_function("document.querySelectorAll('#ranking-results tbody tr').length === 14")

    page.go_back()
    page.wait_for_url("**/editions/2024/")
    page.wait_for_function("document.querySelectorAll('#ranking-results tbody tr').length === 193")
    assert page.locator("#ranking-region").input_value() == ""
