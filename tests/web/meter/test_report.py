"""The PDF report of an assessment: printed with nothing fetched from outside, its text
(pdftotext) holding every part of the results, its pages rendered (pdftoppm) with a radar
that is drawn, and served only to whoever may see the results."""

from __future__ import annotations

import logging
import re
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from PIL import Image
from tests.web.meter.conftest import answers_to_all, publish, published_item, signed_in

from egov.web.accounts.roles import Role
from egov.web.meter import services
from egov.web.meter.charts import SCOPE_COLOURS
from egov.web.meter.models import Assessment
from egov.web.meter.pdf import (
    BASE_URL,
    RefusedURL,
    StaticOnlyFetcher,
    html_to_pdf,
    report_html,
    report_pdf,
)
from egov.web.meter.report import Report, assessment_report
from egov.web.meter.services import AnswerInput

Accounts = dict[Role, User]


class _Counting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listening() -> Iterator[str]:
    """A local HTTP server that counts the requests it gets: its base URL."""
    _Counting.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_fetcher_serves_our_static_files() -> None:
    fetcher = StaticOnlyFetcher()
    response = fetcher(BASE_URL + "static/egov/site.css")
    found = finders.find("egov/site.css")
    assert isinstance(found, str)
    assert response.read() == Path(found).read_bytes()
    assert response.content_type == "text/css"
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/logo.png",
        "http://egov-observatory.invalid/static/egov/site.css",  # not our origin
        BASE_URL + "media/attachment.pdf",  # not a static file
        BASE_URL + "static/egov/no-such-file.css",
        BASE_URL + "static/../settings.py",
        BASE_URL + "static/egov/../../settings.py",
        BASE_URL + "static/egov/site.css?x=1",
        "file:///etc/passwd",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "ftp://example.org/x",
    ],
)
def test_the_fetcher_refuses_every_other_url(url: str) -> None:
    fetcher = StaticOnlyFetcher()
    with pytest.raises(RefusedURL):
        fetcher(url)
    assert fetcher.refused == [url]


def test_printing_fetches_nothing_from_outside(listening: str) -> None:
    page = f"""<!doctype html><html><head>
      <link rel="stylesheet" href="{listening}/style.css">
      <link rel="stylesheet" href="/static/egov/site.css">
      <style>@import url("{listening}/import.css");
        @font-face {{ font-family: X; src: url("{listening}/font.woff2"); }}
        body {{ background: url("{listening}/background.png"); font-family: X; }}</style>
      </head><body><p>Report</p><img src="{listening}/image.png">
      <img src="file:///etc/hostname"><object data="{listening}/object.svg"></object>
      <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
        <image xlink:href="{listening}/in-svg.png" width="10" height="10"/></svg>
      </body></html>"""
    fetcher = StaticOnlyFetcher()
    pdf = html_to_pdf(page, fetcher=fetcher)
    assert pdf.startswith(b"%PDF-")
    assert _Counting.hits == []
    # Every one was asked for (WeasyPrint's own fetcher requests them all) and refused; our
    # stylesheet was served.
    assert {url.removeprefix(listening) for url in fetcher.refused} == {
        "/style.css",
        "/import.css",
        "/font.woff2",
        "/background.png",
        "/image.png",
        "/object.svg",
        "/in-svg.png",
        "file:///etc/hostname",
    }


# --- the report of a real assessment ---------------------------------------------------------


def _value(statement: str, group: str) -> str:
    """The answers of the fixture: government sure of its commitment and weak on security and
    privacy; business and civil society doubting the online services (C2, divergent)."""
    subtheme = statement.split(".")[0]
    if group == "government":
        if subtheme == "L2":
            return "0"
        return {"C": "4", "L": "2", "P": "3", "O": "2", "T": "3", "M": "1"}[subtheme[0]]
    if subtheme == "C2":
        return "0" if group == "business" else "1"
    return "2" if group == "business" else "1"


def _answers(group: str, shift: int = 0) -> list[AnswerInput]:
    """Every statement asked of ``group``, ``shift`` lowering every value by that many steps
    (not below 0)."""
    return answers_to_all(
        group, lambda statement: str(max(int(_value(statement, group)) - shift, 0))
    )


def _assessment(focal: User, *, published: bool) -> Assessment:
    assessment = services.assessment_create(
        actor=focal, iso3="KAZ", title="Kazakhstan 2026 <readiness> & more"
    )
    people = [
        ("Aigerim", "government", 0),
        ("Timur", "government", 1),
        ("Bolat", "business", 0),
        ("Dana", "civil_society", 0),
        ("Erlan", "academia", None),  # invited, never answered
    ]
    invited = [
        (
            services.respondent_invite(
                actor=focal, assessment=assessment, name=name, group=group
            ).respondent,
            group,
            shift,
        )
        for name, group, shift in people
    ]
    services.assessment_transition(actor=focal, assessment=assessment, to="open")
    for respondent, group, shift in invited:
        if shift is not None:
            services.answers_save(respondent=respondent, answers=_answers(group, shift))
    if published:
        publish(assessment, focal)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def published(imported: list[Path], accounts: Accounts) -> Assessment:
    """Kazakhstan's published assessment, scored beside the 12 real editions, and a published
    good practice of Estonia tagged L2, its weakest sub-theme."""
    published_item(
        accounts[Role.EDITOR],
        title="Estonia's data protection inspectorate",
        meter_tags=["L2"],
        countries=["EST"],
    )
    return _assessment(accounts[Role.CONTRIBUTOR], published=True)


def _pdf_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def _flat(text: str) -> str:
    """Text with every run of white space one space, so that wrapped lines read on."""
    return re.sub(r"\s+", " ", text).strip()


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, flags=re.M)
    assert found is not None
    return int(found.group(1))


@pytest.fixture
def printed(published: Assessment, tmp_path: Path) -> tuple[Report, Path]:
    """The report and its PDF, written to the test's temporary folder."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report_pdf(published, language="en"))
    return assessment_report(published, language="en"), pdf


#: The headings of the report, in order.
HEADINGS = (
    "Overall readiness",
    "Readiness profile",
    "Sub-themes",
    "Where the groups disagree",
    "Gaps and the way forward",
    "Beside the published data",
    "Flags",
)


def test_the_report_holds_every_part_of_the_results(printed: tuple[Report, Path]) -> None:
    report, pdf = printed
    # The fixture gives the report something to show in every part.
    assert report.way_forward
    assert report.divergent
    assert report.flagged
    assert report.corroboration_year == 2024
    pages = _pages(pdf)
    assert pages > 1
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info.stdout, flags=re.M)
    header = f"{report.assessment.title} · Kazakhstan · METER readiness self-assessment"
    for page in range(1, pages + 1):
        on_page = _flat(_pdf_text(pdf, page))
        assert re.search(rf"\b{page} ?/ ?{pages}$", on_page)  # the page number, last
        assert (header in on_page) is (page > 1)  # the running header, after the title page
    text = _flat(_pdf_text(pdf))
    positions = [text.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    title = _flat(_pdf_text(pdf, 1))
    assert "Kazakhstan 2026 <readiness> & more" in title
    assert "Kazakhstan (KAZ)" in title
    assert (
        "METER — Measurement and Evaluation Tool for E-Government Readiness (meter-eo-1.0)" in title
    )
    notice = "derived from METER's published structure; not UN text."
    assert f"Framework content by egov-observatory, {notice}" in title
    assert "Published" in title
    assert "Government: 2; Business: 1; Civil society: 1; Academia: 1" in title
    assert f"Answers {report.answers} " in title
    for pillar in report.pillars:
        assert pillar.name in text
    for gap in report.way_forward:
        assert f"{gap.subtheme} {gap.subtheme_name}" in text
        assert f"Suggested action: {gap.action}" in text
        for statement in gap.lowest:
            assert f"{statement.id} {statement.text}" in text
    assert "Estonia's data protection inspectorate" in text
    divergence = text[text.index("Where the groups disagree") : text.index("Gaps and the way")]
    for row in report.divergent:
        assert f"{row.id} {row.name}" in divergence
    flags = text[text.index("Flags") :]
    for row in report.flagged:
        wording = {"higher": "higher", "lower": "lower"}[row.flag or ""]
        assert f"{row.pillar} {row.pillar_name}: Self-view {wording} than published data" in flags
    for row in report.corroboration:
        for indicator in row.indicators:
            assert indicator.label in text
    assert "of 47 in Asia" in text  # Kazakhstan's regional standing


def _near(pixels: np.ndarray, colour: str, tolerance: int = 20) -> np.ndarray:
    """A mask of the pixels within ``tolerance`` (per channel) of ``colour``."""
    target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return np.asarray(np.abs(pixels - target) <= tolerance).all(axis=2)


def _render(pdf: Path, page: int, folder: Path) -> np.ndarray:
    """Page ``page`` rendered to a PNG in ``folder`` (kept with the test's other files), as
    an array of RGB pixels."""
    stem = folder / f"page-{page}"
    subprocess.run(
        ["pdftoppm", "-r", "120", "-png", "-singlefile", "-f", str(page), "-l", str(page),
         str(pdf), str(stem)],
        check=True,
    )  # fmt: skip
    with Image.open(stem.with_suffix(".png")) as image:
        return np.asarray(image.convert("RGB")).astype(int)


def test_the_pages_render_with_a_radar_that_is_drawn(
    printed: tuple[Report, Path], tmp_path: Path
) -> None:
    report, pdf = printed
    first = _render(pdf, 1, tmp_path)
    ink = (first.mean(axis=2) < 128).mean()
    assert 0.005 < ink < 0.3  # text and a chart: neither blank nor black
    header = f"{report.assessment.title} · Kazakhstan · METER readiness self-assessment"
    radar_page = next(
        page
        for page in range(1, _pages(pdf) + 1)
        if _flat(_pdf_text(pdf, page)).startswith(f"{header} Readiness profile")
    )
    pixels = _render(pdf, radar_page, tmp_path)
    assert (tmp_path / f"page-{radar_page}.png").stat().st_size > 10_000
    height, width, _channels = pixels.shape
    drawn = {scope: _near(pixels, SCOPE_COLOURS[scope]) for scope in report.scopes}
    # Every group with a score draws its line; academia answered nothing: its legend swatch
    # is all it has.
    for scope in ("government", "business", "civil_society"):
        assert drawn[scope].sum() > 200, scope
    assert drawn["academia"].sum() < 0.25 * drawn["civil_society"].sum()
    lines = drawn["government"] | drawn["business"] | drawn["civil_society"]
    ys, xs = np.nonzero(lines)
    # The lines span a good part of the page, across the radar's width and height ...
    assert xs.max() - xs.min() > 0.2 * width
    assert ys.max() - ys.min() > 0.15 * height
    # ... and inside that frame, the lines, rings, labels and fills are not a blank area.
    frame = pixels[ys.min() : ys.max(), xs.min() : xs.max()]
    assert (frame.mean(axis=2) < 235).mean() > 0.1


def test_nothing_outside_is_fetched_while_printing_the_report(
    published: Assessment, caplog: pytest.LogCaptureFixture
) -> None:
    html = report_html(published, language="en", site="https://egov.example.org")
    fetcher = StaticOnlyFetcher()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        html_to_pdf(html, fetcher=fetcher)
    assert fetcher.refused == []
    # WeasyPrint understood all of the stylesheet and the charts.
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    # The only addresses are links to knowledge items (never fetched), absolute to the site.
    addresses = re.findall(r'(?:src|href|url)\s*[=(]\s*["\']?([^"\') >]+)', html)
    assert addresses
    assert all(a.startswith("https://egov.example.org/knowledge/items/") for a in addresses)
    assert "&lt;readiness&gt; &amp; more" in html


def test_the_report_speaks_the_readers_language_and_script(published: Assessment) -> None:
    assert 'dir="rtl"' in report_html(published, language="ar")
    pdf = report_pdf(published, language="zh-hans")
    fonts = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "WenQuanYi" in fonts  # the Chinese country name has glyphs, not boxes
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "哈萨克斯坦" in text


def test_the_report_goes_to_whoever_may_see_the_results(
    published: Assessment, accounts: Accounts, client_as: Callable[[Role], Client]
) -> None:
    url = reverse("meter:report_pdf", args=[published.pk])
    response = client_as(Role.READER).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="meter-KAZ-{published.pk}-report.pdf"'
    )
    assert "no-store" not in response.get("Cache-Control", "")
    assert response.content.startswith(b"%PDF-")

    draft = _assessment(accounts[Role.CONTRIBUTOR], published=False)
    url = reverse("meter:report_pdf", args=[draft.pk])
    for role in (Role.CONTRIBUTOR, Role.EDITOR):
        response = client_as(role).get(url)
        assert response.status_code == 200, role
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"] == (
            f'attachment; filename="meter-KAZ-{draft.pk}-report.pdf"'
        )
    other = signed_in("contributor2")
    assert other.get(url).status_code == 404
    anonymous = client_as(Role.READER).get(url)
    assert anonymous.status_code == 302
    assert "login" in anonymous["Location"]
    assert (
        client_as(Role.EDITOR).get(reverse("meter:report_pdf", args=[draft.pk + 99])).status_code
        == 404
    )
