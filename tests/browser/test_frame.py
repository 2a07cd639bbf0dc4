"""The frame every page shares: navigation, language switcher, no request off the server."""

from __future__ import annotations

from typing import Any


def test_home_serves_offline_and_switches_language(page: Any) -> None:
    page.goto("/")
    assert page.locator("h1").count() == 1
    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"
