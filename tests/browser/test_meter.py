"""METER in Chromium: the acceptance of issue 7. A focal point opens an assessment, invites
three respondents from different stakeholder groups and opens it; each respondent answers
through their personal link (a statement saved by htmx as it changes, each pillar by its Save
button); the focal point follows the progress, closes and publishes; the results show the
readiness radar, the divergent sub-theme, the way forward with a knowledge item for the top
gap and the corroboration with the published Survey, and the PDF report is produced."""

from __future__ import annotations

import io
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import pytest
from tests.browser.conftest import Guard, sign_in, sign_out, site_account

from egov.frameworks import load_meter

REPO: Final = Path(__file__).resolve().parents[2]
#: The good practice the way forward must suggest for the top gap, Security and privacy.
ITEM_TITLE: Final = "Estonia's independent data protection inspectorate"
#: A respondent of each group; who answers what is in :func:`_value`.
RESPONDENTS: Final = (
    ("Aigerim Sadykova", "government", "ministries_agencies", "Ministry of Digital Development"),
    ("Daniyar Omarov", "business", "smes", "Chamber of SMEs"),
    ("Saule Nurlanova", "civil_society", "ngos", "Open Data Association"),
)


def _value(statement: str, group: str) -> str:
    """Largely in place (75 points) everywhere but Security and privacy, in place nowhere for
    anyone (the top gap), and the online services of C2, fully in place for government and not
    at all for business (a divergence of 100 points)."""
    if statement.startswith("L2."):
        return "0"
    if statement.startswith("C2."):
        return {"government": "4", "business": "0"}.get(group, "3")
    return "3"


def _chosen(group: str) -> dict[str, list[str]]:
    """``pillar → statements`` a respondent of ``group`` answers: over half of each sub-theme
    they are asked (every statement for government, the observable ones for the others), so
    every score has enough coverage; Marketing (experimental) is left out."""
    framework = load_meter()
    chosen: dict[str, list[str]] = {}
    for pillar in framework.pillars:
        if pillar.experimental:
            continue
        for subtheme in pillar.subthemes:
            asked = [
                s.id
                for s in subtheme.statements
                if group == "government" or s.perspective == "observable"
            ]
            chosen.setdefault(pillar.id, []).extend(asked[: math.ceil(len(asked) * 0.6)])
    return {pillar: ids for pillar, ids in chosen.items() if ids}


@pytest.fixture(scope="session")
def focal_account(site_url: str, site_env: dict[str, str]) -> tuple[str, str]:
    """A contributor of the served site, who becomes the focal point."""
    return site_account(site_env, "focal", "contributor")


@pytest.fixture(scope="session")
def knowledge_item(
    site_env: dict[str, str],
    editor_account: tuple[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    """A published good practice of Estonia tagged with sub-theme L2, written by the site's
    editor through the services (``tests.browser.site_content``); its address name."""
    item = {
        "key": "L2",
        "title": ITEM_TITLE,
        "summary": "An independent authority supervises data protection and cybersecurity rules.",
        "countries": ["EST"],
        "meter_tags": ["L2"],
        "year": 2021,
    }
    folder = tmp_path_factory.mktemp("meter-item")
    source, target = folder / "in.json", folder / "out.json"
    source.write_text(json.dumps({"author": editor_account[0], "items": [item]}), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tests.browser.site_content", str(source), str(target)],
        env=site_env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return str(json.loads(target.read_text(encoding="utf-8"))["L2"]["slug"])


def _answer(page: Any, link: str, group: str) -> None:
    """Answer as a respondent of ``group`` through their link: in each pillar, the first
    statement is clicked and saved by htmx on its own; the others are clicked, then the
    pillar's Save button posts them all."""
    from playwright.sync_api import expect

    for pillar, statements in _chosen(group).items():
        page.goto(f"{link}?pillar={pillar}")
        first, *rest = statements
        anchor = first.replace(".", "-")
        page.check(f'input[name="value-{first}"][value="{_value(first, group)}"]')
        expect(page.locator(f"#status-{anchor} .saved")).to_contain_text("Saved")
        for statement in rest:
            page.check(f'input[name="value-{statement}"][value="{_value(statement, group)}"]')
        page.wait_for_load_state("networkidle")  # the saves htmx sent as they were clicked
        page.click("#pillar-save")
        page.wait_for_url(f"**?pillar={pillar}")
        expect(page.locator("ul.messages")).to_contain_text("are saved")
        expect(page.locator(f"#count-{pillar}")).to_have_text(
            re.compile(rf"^{len(statements)}/\d+$")
        )
    page.click("#finished")
    expect(page.locator("#finished-at")).to_be_visible()


def _non_blank(png: bytes) -> tuple[float, int]:
    """The share of pixels that are not near-white, and the number of distinct colours."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    coloured = int(np.count_nonzero(pixels.min(axis=1) < 235))
    return coloured / len(pixels), len(np.unique(pixels, axis=0))


def test_a_focal_point_and_three_respondents_complete_an_assessment(
    page: Any,
    guard: Guard,
    focal_account: tuple[str, str],
    knowledge_item: str,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    username, password = focal_account

    # The focal point opens an assessment.
    sign_in(page, username, password, "/meter/")
    page.click("#meter-start")
    page.wait_for_url("**/meter/new/")
    page.select_option("#id_country", "KAZ")
    page.fill("#id_title", "Kazakhstan readiness 2026")
    page.check("#id_listed")
    page.click("#assessment-save")
    page.wait_for_url(re.compile(r".*/meter/\d+/$"))
    detail_url = page.url
    expect(page.locator("#assessment-state")).to_have_text("Draft")

    # … invites three respondents; each link is shown once.
    links = {}
    for name, group, sub_group, organisation in RESPONDENTS:
        page.fill("#id_name", name)
        page.select_option("#id_group", group)
        page.select_option("#id_sub_group", sub_group)
        page.fill("#id_organisation", organisation)
        page.click("#invite-submit")
        link = page.locator("#new-link-url").input_value()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/meter/respond/[\w-]{20,}/", link), link
        links[group] = link
    expect(page.locator("#respondent-table tbody tr")).to_have_count(3)

    # … and opens it.
    page.goto(detail_url)
    page.click("#move-open")
    expect(page.locator("#assessment-state")).to_have_text("Open for answers")
    sign_out(page)

    # Each respondent answers through their link, with no account.
    for _name, group, _sub, _org in RESPONDENTS:
        _answer(page, links[group], group)

    # The focal point sees the progress, closes and publishes.
    sign_in(page, username, password, urlsplit(detail_url).path)
    for _name, group, _sub, _org in RESPONDENTS:
        row = page.locator(f'#progress-matrix tr[data-group="{group}"]')
        for pillar in _chosen(group):
            cell = row.locator(f'td[data-pillar="{pillar}"]')
            assert int(cell.inner_text().split("%", 1)[0]) >= 50, (group, pillar)
    finished = page.locator("#respondent-table td.finished")
    assert all(finished.nth(i).inner_text().strip() != "no" for i in range(3))
    page.click("#move-closed")
    expect(page.locator("#assessment-state")).to_have_text("Closed")
    page.click("#move-published")
    expect(page.locator("#assessment-state")).to_have_text("Published")

    # The results: the radar drawn, …
    page.click("#results-link")
    page.wait_for_url("**/results/")
    radar = page.locator("#meter-radar")
    expect(radar).to_have_attribute("data-rendered", "true")
    chart = page.evaluate(
        """() => {
            const option = echarts.getInstanceByDom(document.getElementById("meter-radar"))
                .getOption();
            return {
                indicators: option.radar[0].indicator.map((i) => i.name),
                series: option.series[0].data.map((d) => d.name),
            };
        }"""
    )
    assert [name.split(" ", 1)[0] for name in chart["indicators"]] == list("CLPOT")
    assert chart["series"] == ["Government", "Business", "Civil society", "All groups"]
    assert radar.locator("svg path").count() > 20  # the web, the four polygons, the symbols
    government = page.locator('#profile-table tr[data-pillar="L"] td[data-scope="government"]')
    expect(government).to_contain_text("37.5")  # L1 75, L2 0

    # … the divergent sub-theme, with business lowest, …
    divergent = page.locator('#divergence-table tr[data-subtheme="C2"]')
    expect(divergent).to_have_attribute("data-lowest", "business")
    expect(divergent.locator("th")).to_contain_text("Commitment to high quality, on-line service")

    # … the way forward, first the top gap with the knowledge item tagged with it, …
    first = page.locator("#way-forward > li").first
    expect(first).to_have_attribute("data-subtheme", "L2")
    item = first.locator(f'.gap-items li[data-slug="{knowledge_item}"] a')
    expect(item).to_have_text(ITEM_TITLE)
    expect(item).to_have_attribute("href", f"/knowledge/items/{knowledge_item}/")

    # … and the corroboration: each core pillar beside its published indicators.
    rows = page.locator("#corroboration-table tbody tr")
    expect(rows).to_have_count(6)
    technology = page.locator('#corroboration-table tr[data-pillar="T"]')
    expect(technology.locator('li[data-indicator="tii"]')).to_contain_text("percentile")
    expect(technology.locator('li[data-indicator="tii"]')).to_contain_text("in Asia")

    # A screenshot of the page, and of the chart: drawn, in colour.
    page.wait_for_load_state("networkidle")
    shot = tmp_path / "meter-results.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    share, colours = _non_blank(radar.screenshot(path=str(tmp_path / "meter-radar.png")))
    assert share > 0.03, share  # lines and filled areas, not an empty box
    assert colours > 20, colours  # the palette's series colours, anti-aliased

    # The PDF report.
    report = page.locator("#report-pdf")
    expect(report).to_have_count(1)
    response = page.request.get(report.get_attribute("href"))
    assert response.ok, response.status
    assert response.headers["content-type"].startswith("application/pdf")
    assert response.body().startswith(b"%PDF-")

    # The country's profile lists the published assessment.
    page.goto("/countries/KAZ/")
    expect(page.locator("#country-meter-assessments")).to_contain_text("Kazakhstan readiness 2026")
    assert not guard.external
