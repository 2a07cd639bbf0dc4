"""What the main pages cost a first-time visitor: bytes over the wire, requests, load time and
time until the charts are drawn, in headless Chromium.

Run from the repository root::

    .venv/bin/python bench/page_weight.py [--runs 5] [--page /countries/KOR/ ...]

As the browser tests do (``tests/browser/conftest.py``): ``egov setup`` on a throwaway SQLite
database, ``egov serve`` (gunicorn; ``collectstatic`` writes whitenoise's compressed copies),
then Debian's Chromium (``/usr/bin/chromium``, the same launch flags; Playwright never
downloads a browser). Each page is loaded ``--runs`` times, each time in a fresh browser
context (cold cache, no cookies), with Chromium's own ``Accept-Encoding``. Measured per load:

- bytes transferred: the sum over every response of Chromium's ``encodedDataLength``
  (DevTools ``Network.loadingFinished``: the response headers and the body as received,
  compressed if it was sent compressed), counted once the network has been idle for 500 ms;
- requests: how many responses that sum covers;
- load: the navigation's ``loadEventEnd`` (ms from the start of navigation);
- charts: ms until every ``figure.chart .canvas`` carries ``data-rendered="true"`` (set by
  ``egov.chart``), for pages with charts;
- external: requests to any other host; they are aborted and must be zero.

It prints the median of each over the runs. Goal of issue 4: the country profile at most
1 MB (1,000,000 B) transferred.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The browser of the browser tests.
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

from harness import EGOV, free_port, served

PAGES = ("/", "/ranking/", "/countries/KOR/", "/map/")
GOAL = {"/countries/KOR/": 1_000_000}
CHARTS = "figure.chart .canvas"


@dataclass
class Visit:
    """One cold load of one page."""

    bytes: int = 0
    requests: int = 0
    load_ms: float = 0.0
    charts_ms: float | None = None
    charts: int = 0
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    accept_encoding: str = ""
    status: int = 0
    resources: list[tuple[str, int]] = field(default_factory=list)


def _visit(browser: Any, base: str, path: str, timeout_ms: float) -> Visit:
    visit = Visit()
    host = urlsplit(base).netloc
    context = browser.new_context(base_url=base, locale="en-GB")

    def route(route: Any) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob") or parts.netloc == host:
            route.continue_()
        else:
            visit.external.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    urls: dict[str, str] = {}

    def sent(event: dict[str, Any]) -> None:
        urls[event["requestId"]] = event["request"]["url"]

    def finished(event: dict[str, Any]) -> None:
        url = urls.get(event["requestId"], "")
        if urlsplit(url).scheme in ("http", "https"):
            visit.bytes += int(event["encodedDataLength"])
            visit.requests += 1
            visit.resources.append((urlsplit(url).path, int(event["encodedDataLength"])))

    def failed(event: dict[str, Any]) -> None:
        url = urls.get(event["requestId"], "")
        # Headless Chromium drops its own /favicon.ico request once the page is done.
        if urlsplit(url).netloc == host and not url.endswith("/favicon.ico"):
            visit.failed.append(f"{url}: {event.get('errorText')}")

    def headers(event: dict[str, Any]) -> None:
        sent_headers = {key.lower(): value for key, value in event["headers"].items()}
        if not visit.accept_encoding and "accept-encoding" in sent_headers:
            visit.accept_encoding = sent_headers["accept-encoding"]

    session.on("Network.requestWillBeSent", sent)
    session.on("Network.loadingFinished", finished)
    session.on("Network.loadingFailed", failed)
    session.on("Network.requestWillBeSentExtraInfo", headers)
    try:
        response = page.goto(path, wait_until="load", timeout=timeout_ms)
        visit.status = response.status if response else 0
        visit.charts = page.locator(CHARTS).count()
        if visit.charts:
            page.wait_for_function(
                f"""() => [...document.querySelectorAll({CHARTS!r})]
                          .every(element => element.dataset.rendered === "true")""",
                polling="raf",
                timeout=timeout_ms,
            )
            visit.charts_ms = float(page.evaluate("performance.now()"))
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
        visit.load_ms = float(
            page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        )
    finally:
        context.close()
    return visit


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="cold loads of each page")
    parser.add_argument(
        "--page", action="append", dest="pages", help=f"a path to load (default: {PAGES})"
    )
    parser.add_argument("--timeout", type=float, default=30, help="seconds allowed per page")
    parser.add_argument(
        "--detail", action="store_true", help="list each page's responses (last run)"
    )
    args = parser.parse_args()
    pages = args.pages or list(PAGES)
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} not found: apt-get install chromium (Debian's package)")
    import subprocess

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="egov-page-weight-"))
    results: dict[str, list[Visit]] = {}
    try:
        env = {**os.environ, "EGOV_DATABASE_URL": f"sqlite:///{folder / 'egov.sqlite3'}"}
        subprocess.run([EGOV, "setup"], env=env, check=True, capture_output=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve = [EGOV, "serve", "--port", port, "--workers", 2]
        with (
            served(serve, env, f"{base}/api/v1/editions", folder / "egov.log"),
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                for path in pages:  # one unmeasured load each: the server's own warm-up
                    _visit(browser, base, path, args.timeout * 1000)
                for _ in range(args.runs):
                    for path in pages:
                        visit = _visit(browser, base, path, args.timeout * 1000)
                        results.setdefault(path, []).append(visit)
            finally:
                browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    first = next(iter(results.values()))[0]
    print(
        f"{time.strftime('%Y-%m-%d')}: median of {args.runs} cold loads per page, Chromium "
        f"(Accept-Encoding: {first.accept_encoding or 'not seen'})"
    )
    print()
    header = f"{'page':<18} {'status':>6} {'bytes':>11} {'requests':>8} {'load ms':>8} "
    print(header + f"{'charts ms':>10} {'charts':>6} {'external':>8}")
    short = []
    for path, visits in results.items():
        size = _median([v.bytes for v in visits])
        charts = [v.charts_ms for v in visits if v.charts_ms is not None]
        external = max(len(v.external) for v in visits)
        print(
            f"{path:<18} {visits[0].status:>6} {size:>11,.0f} "
            f"{_median([v.requests for v in visits]):>8.0f} "
            f"{_median([v.load_ms for v in visits]):>8.0f} "
            f"{(f'{_median(charts):.0f}' if charts else '–'):>10} {visits[0].charts:>6} "
            f"{external:>8}"
        )
        if path in GOAL and size > GOAL[path]:
            short.append(f"{path}: {size:,.0f} B > goal {GOAL[path]:,} B")
        for visit in visits:
            for url in visit.external:
                short.append(f"{path}: external request {url}")
            for problem in visit.failed:
                short.append(f"{path}: failed {problem}")
    if args.detail:
        for path, visits in results.items():
            print(f"\n{path}")
            for url, size in visits[-1].resources:
                print(f"  {size:>9,} B  {url}")
    print()
    for path, goal in GOAL.items():
        if path in results:
            size = _median([v.bytes for v in results[path]])
            print(f"goal {path} ≤ {goal:,} B: {'met' if size <= goal else 'NOT met'}")
    for line in dict.fromkeys(short):
        print(line)


if __name__ == "__main__":
    main()
