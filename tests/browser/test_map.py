"""The world map in Chromium: drawn, a tooltip on hover, a country's profile on click."""

from __future__ import annotations

from typing import Any

CANVAS = "#map-chart .canvas"


def _open_map(page: Any) -> None:
    page.goto("/map/?edition=2024&index=egdi")
    page.wait_for_selector(f'{CANVAS}[data-rendered="true"]')
    page.wait_for_function(
        f"document.querySelectorAll('{CANVAS} svg path').length > 190", timeout=10_000
    )


def _pixel(page: Any, longitude: float, latitude: float) -> tuple[float, float]:
    """Where a point of the globe is drawn on the page."""
    x, y = page.evaluate(
        """([selector, point]) => {
            const element = document.querySelector(selector);
            const box = element.getBoundingClientRect();
            const chart = echarts.getInstanceByDom(element);
            const [x, y] = chart.convertToPixel({seriesIndex: 0}, point);
            return [box.left + x, box.top + y];
        }""",
        [CANVAS, [longitude, latitude]],
    )
    return float(x), float(y)


def test_the_map_draws_every_country_and_folds_the_table(page: Any) -> None:
    _open_map(page)

    assert page.locator("#map-chart").is_visible()
    assert page.locator("#map-table").get_attribute("open") is None
    assert page.locator(f"{CANVAS} svg path").count() > 190


def test_hovering_a_country_shows_its_name_value_and_rank(page: Any) -> None:
    _open_map(page)

    page.mouse.move(*_pixel(page, -51.0, -10.0))  # the middle of Brazil

    tooltip = page.locator("#map-chart div", has_text="Brazil").last
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert "0.8403" in text  # Brazil's 2024 EGDI, 0.84026
    assert "50" in text  # its published rank


def test_clicking_a_country_opens_its_profile(page: Any) -> None:
    _open_map(page)
    # Aim only once the tooltip names Brazil: on a busy machine the page can still move
    # under a click aimed as soon as the map is drawn (seen once in a full run).
    page.mouse.move(*_pixel(page, -51.0, -10.0))
    page.locator("#map-chart div", has_text="Brazil").last.wait_for(state="visible")

    page.mouse.click(*_pixel(page, -51.0, -10.0))

    page.wait_for_url("**/countries/BRA/")


def test_changing_the_index_reloads_the_map(page: Any) -> None:
    _open_map(page)

    page.select_option("#map-form select[name=index]", "osi")

    page.wait_for_url("**/map/?edition=2024&index=osi")
    page.wait_for_selector(f'{CANVAS}[data-rendered="true"]')
    assert page.locator("#map-chart figcaption").inner_text().startswith("Online Service Index")
