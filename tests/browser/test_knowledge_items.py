"""Knowledge items in Chromium: the acceptance of issue 6 (an editor writes, files, reviews and
publishes an item; a reader finds it, opens it and downloads its file; the trail shows each
step), and the hostile corpus rendered with a trap for any script that runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

import pytest
from tests.browser.conftest import Guard
from tests.browser.site_content import content_for
from tests.fixtures.hostile_markdown import FILENAMES, MARKDOWN, SCRIPT_PROBE

from egov.web.knowledge.services.items import BODY_MAX, SUMMARY_MAX

PDF: Final = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
#: A word no other item of the site holds, to find the acceptance item by.
WORD: Final = "heliotropically"
#: Elements a sanitised body never holds (script, styles, anything that loads or submits).
FORBIDDEN: Final = (
    "script, style, iframe, frame, object, embed, img, svg, math, form, input, button, meta, "
    "base, link, video, audio, source"
)
REPO: Final = Path(__file__).resolve().parents[2]


def _sign_in(page: Any, username: str, password: str, next_url: str) -> None:
    page.goto(f"/accounts/login/?next={quote(next_url)}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def _sign_out(page: Any) -> None:
    page.click("nav.account form button[type=submit]")
    page.wait_for_load_state()


# --- the acceptance ---------------------------------------------------------------------------


def test_an_item_goes_from_draft_to_a_reader_and_its_trail_shows_each_step(
    page: Any, editor_account: tuple[str, str]
) -> None:
    from playwright.sync_api import expect

    username, password = editor_account
    _sign_in(page, username, password, "/knowledge/items/new/")

    # Write: the type first (its fields depend on it), then the item.
    page.select_option("#item-type-choice", "case_study")
    page.click("#item-type-form button[type=submit]")
    page.wait_for_url("**/knowledge/items/new/?type=case_study")
    page.fill("#id_title", "Colombia's centre for innovation in e-government")
    page.fill("#id_summary", "An observatory of e-government innovations, run with the UN.")
    page.fill(
        "#id_body_md",
        f"The centre studies **{WORD}** growing services.\n\n"
        "- a laboratory of services\n- a network of *innovators*\n",
    )
    page.select_option("#id_countries", ["COL"])
    page.check("input[name=themes][value=service_delivery]")
    page.check("input[name=meter_tags][value=C1]")
    page.check("input[name=stage_tags][value=transactional]")
    page.fill("#id_year", "2013")
    page.fill("#id_details_organisation", "Ministry of Information Technologies")
    page.click("#item-save")
    page.wait_for_url(re.compile(r".*/knowledge/items/[\w-]+/$"))
    item_url = page.url
    slug = item_url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.locator("#item-status")).to_have_text("Draft")
    expect(page.locator("#item-body strong")).to_have_text(WORD)

    # A file, from the edit page.
    page.click("#item-edit-link")
    page.set_input_files(
        "#attachment-form input[name=file]",
        files=[
            {"name": "Innovation centre 2013.pdf", "mimeType": "application/pdf", "buffer": PDF}
        ],
    )
    page.click("#attachment-form button[type=submit]")
    page.wait_for_url("**/edit/#attachments")
    expect(page.locator("#item-attachments")).to_contain_text("Innovation centre 2013.pdf")

    # Review, then publish.
    page.goto(item_url)
    page.click("#step-submit button")
    expect(page.locator("#item-status")).to_have_text("In review")
    page.goto("/knowledge/review/")
    expect(page.locator(f'#review-queue tr[data-slug="{slug}"]')).to_have_count(1)
    page.click(f'#review-queue tr[data-slug="{slug}"] a')
    page.click("#step-publish button")
    expect(page.locator("#item-status")).to_have_text("Published")
    _sign_out(page)

    # A reader finds it by a word of its text, and by a facet.
    page.goto(f"/knowledge/?q={WORD}")
    found = page.locator(f'a[href$="/knowledge/items/{slug}/"]')
    expect(found.first).to_be_visible()
    page.goto("/knowledge/?type=case_study&country=COL")
    expect(page.locator(f'a[href$="/knowledge/items/{slug}/"]').first).to_be_visible()
    page.goto(f"/knowledge/?q={WORD}&type=good_practice")
    expect(page.locator(f'a[href$="/knowledge/items/{slug}/"]')).to_have_count(0)

    # … opens it and downloads its file.
    page.goto(f"/knowledge/?q={WORD}")
    page.locator(f'a[href$="/knowledge/items/{slug}/"]').first.click()
    page.wait_for_url(f"**/knowledge/items/{slug}/")
    expect(page.locator("#item-attachments")).to_contain_text("Innovation centre 2013.pdf")
    with page.expect_download() as caught:
        page.click("#item-attachments a")
    download = caught.value
    assert download.suggested_filename == "Innovation centre 2013.pdf"
    assert Path(download.path()).read_bytes() == PDF
    expect(page.locator("#item-audit-link")).to_have_count(0)

    # The editor sees each step in the item's audit trail, in order.
    _sign_in(page, username, password, f"/knowledge/items/{slug}/")
    page.click("#item-audit-link")
    page.wait_for_url("**/accounts/audit/?*")
    actions = page.locator("#audit-entries > li").evaluate_all(
        "(entries) => entries.map((e) => e.dataset.action)"
    )
    assert list(reversed(actions)) == [
        "item.created",
        "item.attached",
        "item.submitted",
        "item.published",
    ]
    published = page.locator('#audit-entries > li[data-action="item.published"]')
    expect(published.locator('tr[data-field="status"] td.before')).to_have_text("in_review")
    expect(published.locator('tr[data-field="status"] td.after')).to_have_text("published")
    expect(page.locator("#audit-entries a.target").first).to_have_attribute(
        "href", f"/knowledge/items/{slug}/"
    )


# --- the hostile corpus -----------------------------------------------------------------------


def _as_a_browser_sends(text: str) -> str:
    """``text`` as a form in a browser would submit it: a lone surrogate cannot be encoded
    (it becomes U+FFFD) and NUL is refused by the form, so it is dropped."""
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text.replace("\x00", ""))


@pytest.fixture(scope="session")
def hostile_items(
    site_env: dict[str, str],
    editor_account: tuple[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    """Every hostile Markdown text as the body of a published item (its first characters as
    the summary), and every hostile file name attached to an item of its own."""
    items = [
        {
            "key": f"md:{case}",
            "title": f"Hostile Markdown {case}",
            # Bodies past the service's limit are refused (tested in the services); the
            # first BODY_MAX characters still carry the whole pattern.
            "summary": _as_a_browser_sends(text)[:SUMMARY_MAX],
            "body_md": _as_a_browser_sends(text)[:BODY_MAX],
        }
        for case, text in MARKDOWN
    ] + [
        {
            "key": f"file:{case}",
            "title": f"Hostile file name {case}",
            "summary": "A file with a hostile name.",
            "body_md": "",
            "files": [_as_a_browser_sends(name)],
        }
        for case, name in FILENAMES
    ]
    folder = tmp_path_factory.mktemp("hostile")
    source, target = folder / "in.json", folder / "out.json"
    source.write_text(json.dumps({"author": editor_account[0], "items": items}), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tests.browser.site_content", str(source), str(target)],
        env=site_env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(target.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _open_trapped(page: Any, url: str) -> list[str]:
    """Open ``url`` with the script probe installed; the messages of any dialog shown."""
    dialogs: list[str] = []
    page.add_init_script(SCRIPT_PROBE)

    def dismissed(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismissed)
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, url
    page.wait_for_load_state("load")
    return dialogs


def _assert_nothing_ran(page: Any, dialogs: list[str], guard: Guard) -> None:
    assert page.evaluate("window.__egovScriptRuns") == []
    assert dialogs == []
    assert not guard.external
    assert not guard.errors


@pytest.mark.parametrize(("case", "text"), MARKDOWN, ids=[case for case, _ in MARKDOWN])
def test_hostile_markdown_runs_no_script_on_the_item_page(
    page: Any, guard: Guard, hostile_items: dict[str, Any], case: str, text: str
) -> None:
    slug = hostile_items[f"md:{case}"]["slug"]

    dialogs = _open_trapped(page, f"/knowledge/items/{slug}/")

    _assert_nothing_ran(page, dialogs, guard)
    assert page.locator("#item-body").locator(FORBIDDEN).count() == 0
    assert page.locator("#item-summary").locator(FORBIDDEN).count() == 0
    hrefs = page.locator("#item-body a").evaluate_all("(links) => links.map((a) => a.href)")
    assert all(href.startswith(("http:", "https:", "mailto:")) for href in hrefs), hrefs


@pytest.mark.parametrize(("case", "name"), FILENAMES, ids=[case for case, _ in FILENAMES])
def test_hostile_file_names_run_no_script_and_download_safely(
    page: Any, guard: Guard, hostile_items: dict[str, Any], case: str, name: str
) -> None:
    written = hostile_items[f"file:{case}"]
    (attached,) = written["files"]

    dialogs = _open_trapped(page, f"/knowledge/items/{written['slug']}/")

    _assert_nothing_ran(page, dialogs, guard)
    if "refused" in attached:
        assert attached["refused"], case
        assert page.locator("#item-attachments").count() == 0
        return
    shown = attached["shown"]
    link = page.locator("#item-attachments a")
    assert link.text_content() == shown
    assert page.locator("#item-attachments").locator(FORBIDDEN).count() == 0
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    headers = response.headers
    assert headers["content-disposition"].endswith(f"filename*=UTF-8''{quote(shown, safe='')}")
    assert "\n" not in headers["content-disposition"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == "sandbox"


@pytest.fixture(scope="session")
def editor_cookies(browser: Any, site_url: str, editor_account: tuple[str, str]) -> Any:
    """The cookies of a session signed in as the editor (signed in once, through the page)."""
    context = browser.new_context(base_url=site_url)
    page = context.new_page()
    _sign_in(page, *editor_account, "/knowledge/mine/")
    cookies = context.cookies()
    context.close()
    return cookies


@pytest.mark.parametrize(("case", "name"), FILENAMES, ids=[case for case, _ in FILENAMES])
def test_a_hostile_file_name_uploaded_through_the_page_runs_no_script(
    page: Any,
    guard: Guard,
    hostile_items: dict[str, Any],
    editor_cookies: Any,
    case: str,
    name: str,
) -> None:
    """The upload form in Chromium, with the name as the browser sends it: the page that
    answers (the refusal beside the file field, or the edit page listing the file) runs
    nothing."""
    from playwright.sync_api import expect

    slug = hostile_items[f"file:{case}"]["slug"]
    page.context.add_cookies(editor_cookies)
    dialogs = _open_trapped(page, f"/knowledge/items/{slug}/edit/")
    refused = any("refused" in f for f in hostile_items[f"file:{case}"]["files"])
    content = b"<html><script>alert(1)</script></html>" if refused else content_for(name)

    page.set_input_files(
        "#attachment-form input[name=file]",
        files=[{"name": name or "file", "mimeType": "application/pdf", "buffer": content}],
    )
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#attachment-form button[type=submit]")
    page.wait_for_load_state("load")

    # Django refuses a part whose headers pass 1 KiB (MultiPartParser's limit) with a bare
    # 400 before any code of ours runs; the longest names are such parts.
    too_long = len(name.encode("utf-8", "replace")) > 900
    if refused or too_long:
        # A refusal answers 400, which Chromium logs on the console: that line, and no other.
        assert answer.value.status == 400
        for _wait in range(40):  # the console line comes after the page has loaded
            if guard.errors:
                break
            page.wait_for_timeout(50)
        assert guard.errors == [
            "Failed to load resource: the server responded with a status of 400 (Bad Request)"
        ]
        guard.errors.clear()
        if too_long:
            assert page.title() == "Bad Request (400)"
        else:
            expect(page.locator("#id_file_error")).to_be_visible()
    else:
        assert answer.value.status == 302
    _assert_nothing_ran(page, dialogs, guard)
    assert page.locator("#attachment-form").locator("script, img, svg, iframe").count() == 0
