"""Pages driven in Debian's headless Chromium (``/usr/bin/chromium``) with Playwright.

The site under test is the real thing: ``egov setup`` on a database of its own (a temporary
SQLite file, or a database beside the suite's on the PostgreSQL cluster ``bin/with-postgres``
starts), then ``egov serve`` (gunicorn, whitenoise) on a free port of 127.0.0.1. Every page
runs with a network guard: a request to any host but that server is aborted and fails the test,
and so does a JavaScript error. Playwright never downloads a browser here.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

CHROMIUM = Path(os.environ.get("EGOV_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium calls Google's hosts at start (docs/frontend.md).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EGOV = Path(sys.executable).with_name("egov")

# Playwright's sync API keeps an event loop in this thread; Django's ORM, used by the other
# tests of the same run, would otherwise refuse to run next to it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def site_database() -> Iterator[str]:
    """A database URL for the served site, apart from the suite's test database."""
    suite_url = os.environ.get("EGOV_DATABASE_URL", "")
    if suite_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"egov_browser_{os.getpid()}"
        with psycopg.connect(suite_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name}")
            connection.execute(f"CREATE DATABASE {name}")
        yield urlsplit(suite_url)._replace(path=f"/{name}").geturl()
        with psycopg.connect(suite_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        folder = Path(tempfile.mkdtemp(prefix="egov-browser-"))
        yield f"sqlite:///{folder / 'site.sqlite3'}"
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def site_env(site_database: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of the served site: its database, and a media folder of its own (the
    attachments the tests upload never land in the project's var/media)."""
    env = {
        **os.environ,
        "EGOV_DATABASE_URL": site_database,
        "EGOV_MEDIA_DIR": str(tmp_path_factory.mktemp("site-media")),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


@pytest.fixture(scope="session")
def site_url(site_env: dict[str, str]) -> Iterator[str]:
    """``egov setup`` then ``egov serve`` on a free port; the base URL, no trailing slash."""
    env = site_env
    subprocess.run([EGOV, "setup"], env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [EGOV, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v1/editions", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    log.seek(0)
                    output = log.read().decode(errors="replace")
                    pytest.fail(f"egov serve did not start:\n{output}")
                time.sleep(0.2)
        yield url
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: bin/test installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class Guard:
    """What a page did that it must not: requests off the server, JavaScript errors."""

    host: str
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def guard(site_url: str) -> Guard:
    return Guard(host=urlsplit(site_url).netloc)


@pytest.fixture
def page(browser: object, site_url: str, guard: Guard) -> Iterator[object]:
    """A fresh browser page whose requests may reach only the site under test."""
    from playwright.sync_api import Browser, Route

    assert isinstance(browser, Browser)
    context = browser.new_context(base_url=site_url, locale="en-GB")

    def route(route: Route) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob") or parts.netloc == guard.host:
            route.continue_()
        else:
            guard.external.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("pageerror", lambda error: guard.errors.append(str(error)))
    tab.on(
        "console",
        lambda message: guard.errors.append(message.text) if message.type == "error" else None,
    )
    yield tab
    context.close()
    assert not guard.external, f"requests left the server: {guard.external}"
    assert not guard.errors, f"JavaScript errors: {guard.errors}"


#: The password of the accounts the browser tests sign in with.
EDITOR_PASSWORD = "a-Long-pass-phrase-42"


def site_account(site_env: dict[str, str], username: str, role: str) -> tuple[str, str]:
    """An account of the served site with ``role``, made with ``egov user create`` on its
    database: (username, password)."""
    result = subprocess.run(
        [EGOV, "user", "create", username, "--role", role, "--password-stdin"],
        env=site_env,
        input=EDITOR_PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return username, EDITOR_PASSWORD


@pytest.fixture(scope="session")
def editor_account(site_url: str, site_env: dict[str, str]) -> tuple[str, str]:
    """An editor of the served site: (username, password)."""
    return site_account(site_env, "editor", "editor")


def sign_in(page: Any, username: str, password: str, next_url: str) -> None:
    """Sign in through the form of ``/accounts/login/`` and wait for ``next_url``."""
    page.goto(f"/accounts/login/?next={quote(next_url)}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def sign_out(page: Any) -> None:
    page.click("nav.account form button[type=submit]")
    page.wait_for_load_state()
