"""The home page in Chromium: the latest edition's top ten leads to the full ranking."""

from __future__ import annotations

from typing import Any


def test_home_shows_the_top_ten_and_leads_to_the_ranking(page: Any) -> None:
    page.goto("/")

    top = page.locator("#top-ten tbody tr")
    assert top.count() == 10
    assert top.first.locator("th").inner_text() == "Denmark"
    assert page.locator("#movers-up tbody tr").count() == 5

    page.get_by_role("link", name="Full 2024 ranking", exact=True).click()
    page.wait_for_url("**/editions/2024/")
    assert page.locator("#ranking-results tbody tr").count() == 193
