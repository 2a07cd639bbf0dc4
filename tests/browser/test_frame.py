"""The frame every page shares: navigation, language switcher, no request off the server."""

from __future__ import annotations

from typing import Any

import pytest


def test_home_serves_offline_and_switches_language(page: Any) -> None:
    page.goto("/")
    assert page.locator("h1").count() == 1
    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"


PAGES = [
    "/",
    "/ranking/",
    "/countries/KEN/",
    "/compare/?country=KEN&country=RWA",
    "/regions/",
    "/map/",
    "/methodology/",
    "/data/",
    "/editions/2024/robustness/",
    "/editions/2024/what-if/",
    "/ar/countries/EGY/",
    "/api/v1/docs",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_everything_from_the_server_alone(page: Any, path: str) -> None:
    """The ``page`` fixture's guard fails the test on any request to another host and on
    any JavaScript error; the page is left to go quiet so late requests count too."""
    response = page.goto(path)
    assert response is not None
    assert response.ok, f"{path}: {response.status}"
    page.wait_for_load_state("networkidle")


def test_the_guard_catches_a_request_to_another_host(page: Any, guard: Any) -> None:
    """What makes the test above mean something: a request off the server is recorded (and
    aborted), so the fixture would fail a page that made one."""
    page.goto("/")
    page.evaluate("fetch('http://cdn.example.org/lib.js').catch(() => null)")
    page.wait_for_load_state("networkidle")
    assert guard.external == ["http://cdn.example.org/lib.js"]
    assert guard.errors == ["Failed to load resource: net::ERR_FAILED"]  # the abort, logged
    guard.external.clear()  # the fixture's own checks would fail this test otherwise
    guard.errors.clear()
