"""The item pages: writing an item through its forms, the editorial steps as buttons, what
each reader may see (a draft of someone else is a 404), files up and down."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django import Settings

from egov.web.accounts.roles import Role
from egov.web.knowledge.models import Attachment, Item, ItemStatus
from egov.web.knowledge.services.items import (
    ItemInput,
    attachment_add,
    item_create,
    item_transition,
)

pytestmark = pytest.mark.django_db

ClientAs = Callable[[Role], Client]
PDF: Final = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
FAKE_PDF: Final = b"<html><body><script>alert(1)</script></body></html>"

CASE: Final = {
    "type": "case_study",
    "title": "Korea's path to smart government",
    "summary": "How Korea moved from e-government to smart government.",
    "body_md": "Korea built a **smart government**.\n\n<script>alert(1)</script>",
    "countries": ["KOR"],
    "themes": ["smart_government"],
    "meter_tags": ["C1"],
    "stage_tags": ["connected"],
    "year": "2012",
    "language": "en",
    "source_organisation": "Ministry of the Interior and Safety",
    "source_url": "https://www.mois.go.kr/",
    "details_organisation": "Ministry of Public Administration and Security",
    "details_award": "UN Public Service Awards | 2012 | Advancing e-government",
}


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def fast_passwords(settings: Settings) -> None:
    """The accounts of every test hash their password quickly; signing in is not tested here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def draft(countries: None, accounts: dict[Role, User]) -> Item:
    """A draft case study by ``contributor``."""
    return item_create(
        data=ItemInput(
            type="case_study",
            title="Korea's path to smart government",
            summary="How Korea moved from e-government to smart government.",
            body_md="Korea built a **smart government**.",
            countries=["KOR"],
            themes=["smart_government"],
            year=2012,
        ),
        actor=accounts[Role.CONTRIBUTOR],
    )


def _published(item: Item, accounts: dict[Role, User]) -> Item:
    item_transition(item=item, action="submit", actor=accounts[Role.CONTRIBUTOR])
    return item_transition(item=item, action="publish", actor=accounts[Role.EDITOR])


def _field_errors(page: str, field: str) -> str:
    """The error list beside the form field ``field`` ("" when it has none)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


# --- writing through the forms ----------------------------------------------------------------


def test_the_new_item_page_asks_for_the_type_first(client_as: ClientAs, countries: None) -> None:
    client = client_as(Role.CONTRIBUTOR)

    first = client.get("/knowledge/items/new/").content.decode()
    chosen = client.get("/knowledge/items/new/?type=presentation").content.decode()

    assert 'id="item-type-form"' in first
    assert 'id="item-form"' not in first
    assert 'id="item-form"' in chosen
    for name in ("speaker", "event", "date"):
        assert f'name="details_{name}"' in chosen
    assert 'name="details_organisation"' not in chosen
    assert 'name="csrfmiddlewaretoken"' in chosen


def test_htmx_swaps_the_details_of_the_chosen_type(client_as: ClientAs) -> None:
    response = client_as(Role.CONTRIBUTOR).get(
        "/knowledge/items/new/details/?type=training_material", HTTP_HX_REQUEST="true"
    )

    page = response.content.decode()
    assert page.startswith('<fieldset id="item-details-fields">')
    assert 'name="details_audience"' in page
    assert 'value="senior_official"' in page
    assert 'name="details_duration_hours"' in page


@pytest.mark.parametrize("role", [Role.READER, Role.CONTRIBUTOR])
def test_writing_needs_a_contributor(client_as: ClientAs, role: Role, countries: None) -> None:
    response = client_as(role).get("/knowledge/items/new/?type=case_study")

    if role is Role.READER:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 200


def test_a_contributor_creates_a_draft_and_lands_on_it(
    client_as: ClientAs, countries: None, accounts: dict[Role, User]
) -> None:
    client = client_as(Role.CONTRIBUTOR)

    response = client.post("/knowledge/items/new/?type=case_study", CASE)

    assert response.status_code == 302
    item = Item.objects.get()
    assert response["Location"] == f"/knowledge/items/{item.slug}/"
    assert (item.status, item.created_by, item.year) == ("draft", accounts[Role.CONTRIBUTOR], 2012)
    assert item.details == {
        "organisation": "Ministry of Public Administration and Security",
        "award": [
            {
                "programme": "UN Public Service Awards",
                "year": 2012,
                "category": "Advancing e-government",
            }
        ],
    }
    tags = set(item.tags.values_list("kind", "code"))
    assert {("country", "KOR"), ("theme", "smart_government"), ("meter", "C1")} <= tags
    assert ("stage", "connected") in tags
    page = client.get(response["Location"]).content.decode()
    assert "The draft is saved." in page


def test_every_refusal_is_shown_beside_its_field_at_once(
    client_as: ClientAs, countries: None
) -> None:
    bad = {
        **CASE,
        "title": "",
        "summary": "x" * 601,
        "countries": ["KOR", "ATL"],
        "themes": ["no_such_theme"],
        "meter_tags": ["Z9"],
        "year": "1800",
        "language": "xx",
        "source_url": "javascript:alert(1)",
        "related": "no-such-item",
        "details_award": "UN Public Service Awards",
    }

    response = client_as(Role.CONTRIBUTOR).post("/knowledge/items/new/?type=case_study", bad)

    assert response.status_code == 400
    page = response.content.decode()
    expected = {
        "title": "an item needs a title",
        "summary": "at most 600",
        "countries": "no Member State ATL",
        "themes": "no_such_theme",
        "meter_tags": "Z9",
        "year": "not a plausible year",
        "language": "one of ar, zh, en",
        "source_url": "an http or https address",
        "related": "no such item",
        "details_award": "",
    }
    for field, message in expected.items():
        errors = _field_errors(page, field)
        assert errors, f"no error shown beside {field}"
        assert message in errors, (field, errors)
    assert 'id="form-errors"' in page
    assert not Item.objects.exists()
    # What the author typed is kept.
    assert "Ministry of the Interior and Safety" in page


def test_an_edit_is_saved_with_its_note_in_the_history(client_as: ClientAs, draft: Item) -> None:
    client = client_as(Role.CONTRIBUTOR)
    form = client.get(f"/knowledge/items/{draft.slug}/edit/").content.decode()
    assert f'value="{draft.title}"' in form.replace("&#x27;", "'")
    assert '<option value="KOR" selected>' in form

    response = client.post(
        f"/knowledge/items/{draft.slug}/edit/",
        {**CASE, "title": "Korea's smart government", "note": "Shorter title"},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Korea's smart government"
    revision = draft.revisions.order_by("-number").first()
    assert revision is not None
    assert (revision.action, revision.note) == ("edited", "Shorter title")


def test_a_contributor_cannot_edit_once_the_item_is_in_review(
    client_as: ClientAs, draft: Item, accounts: dict[Role, User]
) -> None:
    item_transition(item=draft, action="submit", actor=accounts[Role.CONTRIBUTOR])

    assert (
        client_as(Role.CONTRIBUTOR).get(f"/knowledge/items/{draft.slug}/edit/").status_code == 403
    )
    assert client_as(Role.EDITOR).get(f"/knowledge/items/{draft.slug}/edit/").status_code == 200


# --- who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.READER, 404),
        (Role.CONTRIBUTOR, 200),  # its author
        (Role.EDITOR, 200),
        (Role.ADMINISTRATOR, 200),
    ],
)
def test_a_draft_is_a_404_for_those_who_may_not_see_it(
    client_as: ClientAs, draft: Item, role: Role, status: int
) -> None:
    assert client_as(role).get(f"/knowledge/items/{draft.slug}/").status_code == status


def test_a_draft_of_another_contributor_is_a_404_everywhere(
    draft: Item, accounts: dict[Role, User]
) -> None:
    attachment = attachment_add(
        item=draft, name="slides.pdf", content=PDF, actor=accounts[Role.CONTRIBUTOR]
    )
    other = Client()
    other.force_login(User.objects.get(username="contributor2"))

    for url in (
        f"/knowledge/items/{draft.slug}/",
        f"/knowledge/items/{draft.slug}/edit/",
        f"/knowledge/items/{draft.slug}/attachments/{attachment.pk}/",
    ):
        assert other.get(url).status_code == 404, url
    assert (
        other.post(f"/knowledge/items/{draft.slug}/step/", {"action": "submit"}).status_code == 404
    )
    assert Client().get("/knowledge/items/no-such-item/").status_code == 404


def test_the_item_page_shows_the_item(
    client_as: ClientAs, countries: None, accounts: dict[Role, User]
) -> None:
    item = item_create(
        data=ItemInput(
            type="case_study",
            title="Korea's path to smart government",
            summary="How Korea moved to smart government.",
            body_md="Korea built a **smart government**.\n\n<script>alert(1)</script>",
            countries=["KOR"],
            themes=["smart_government"],
            meter_tags=["C1"],
            stage_tags=["connected"],
            year=2012,
            source_organisation="MOIS",
            source_url="https://www.mois.go.kr/",
            licence="CC BY 4.0",
            details={"organisation": "MOPAS", "award": [{"programme": "UNPSA", "year": 2012}]},
        ),
        actor=accounts[Role.CONTRIBUTOR],
    )
    attachment_add(item=item, name="Résumé 2012.pdf", content=PDF, actor=accounts[Role.CONTRIBUTOR])
    _published(item, accounts)

    page = Client().get(f"/knowledge/items/{item.slug}/").content.decode()

    assert '<span class="badge status status-published" id="item-status">Published</span>' in page
    assert "<strong>smart government</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert '<a href="/countries/KOR/" data-iso3="KOR">Republic of Korea</a>' in page
    assert 'data-code="smart_government">Smart government<' in page
    assert 'data-code="C1">C1 ' in page
    assert 'data-code="connected">Connected<' in page
    assert 'href="https://www.mois.go.kr/" rel="nofollow noopener noreferrer"' in page
    details = page.split('id="item-details"')[1].split("</dl>")[0]
    assert "<dt>Organisation</dt><dd>MOPAS</dd>" in details
    assert "<dt>Awards</dt><dd>UNPSA · 2012</dd>" in details
    files = page.split('id="item-attachments"')[1].split("</table>")[0]
    assert "Résumé 2012.pdf" in files
    assert "<td>PDF</td>" in files
    # A reader sees neither the history, nor the buttons, nor the audit link.
    assert 'id="item-history"' not in page
    assert 'id="item-steps"' not in page
    assert 'id="item-audit-link"' not in page


def test_history_and_audit_link_are_for_the_author_and_editors(
    client_as: ClientAs, draft: Item, accounts: dict[Role, User]
) -> None:
    _published(draft, accounts)
    url = f"/knowledge/items/{draft.slug}/"

    author = client_as(Role.CONTRIBUTOR).get(url).content.decode()
    editor = client_as(Role.EDITOR).get(url).content.decode()
    other = Client()
    other.force_login(User.objects.get(username="contributor2"))
    stranger = other.get(url).content.decode()

    assert 'id="item-history"' in author
    assert 'id="item-audit-link"' not in author
    history = editor.split('id="item-history"')[1].split("</table>")[0]
    assert re.findall(r'<tr data-action="(\w+)">', history) == ["created", "submitted", "published"]
    assert f'href="/accounts/audit/?target_type=knowledge.item&amp;target_id={draft.pk}"' in editor
    assert 'id="item-history"' not in stranger


# --- editorial steps ------------------------------------------------------------------------


def _steps(page: str) -> list[str]:
    return re.findall(r'<form method="post" action="[^"]+/step/" id="step-(\w+)">', page)


def test_each_reader_sees_only_the_steps_they_may_take(
    client_as: ClientAs, draft: Item, accounts: dict[Role, User]
) -> None:
    url = f"/knowledge/items/{draft.slug}/"
    assert _steps(client_as(Role.CONTRIBUTOR).get(url).content.decode()) == ["submit"]
    assert _steps(client_as(Role.EDITOR).get(url).content.decode()) == ["submit"]

    item_transition(item=draft, action="submit", actor=accounts[Role.CONTRIBUTOR])
    assert _steps(client_as(Role.CONTRIBUTOR).get(url).content.decode()) == []
    assert _steps(client_as(Role.EDITOR).get(url).content.decode()) == ["return", "publish"]

    item_transition(item=draft, action="publish", actor=accounts[Role.EDITOR])
    assert _steps(client_as(Role.READER).get(url).content.decode()) == []
    assert _steps(client_as(Role.CONTRIBUTOR).get(url).content.decode()) == []
    assert _steps(client_as(Role.ADMINISTRATOR).get(url).content.decode()) == ["withdraw"]


def test_submit_return_publish_withdraw_through_the_buttons(
    client_as: ClientAs, draft: Item
) -> None:
    author, editor = client_as(Role.CONTRIBUTOR), client_as(Role.EDITOR)
    step = f"/knowledge/items/{draft.slug}/step/"

    assert author.post(step, {"action": "submit"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ItemStatus.IN_REVIEW
    assert author.post(step, {"action": "publish"}).status_code == 403

    no_note = editor.post(step, {"action": "return", "note": ""})
    assert no_note.status_code == 400
    form = no_note.content.decode().split('id="step-return"')[1].split("</form>")[0]
    assert "say why you return the item" in form
    assert editor.post(step, {"action": "return", "note": "Add the results."}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ItemStatus.DRAFT

    author.post(step, {"action": "submit"})
    published = editor.post(step, {"action": "publish"}, follow=True)
    assert "Published." in published.content.decode()
    draft.refresh_from_db()
    assert draft.status == ItemStatus.PUBLISHED
    assert editor.post(step, {"action": "withdraw", "note": "Outdated."}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ItemStatus.DRAFT
    assert [r.action for r in draft.revisions.order_by("number")] == [
        "created",
        "submitted",
        "returned",
        "submitted",
        "published",
        "withdrawn",
    ]


def test_publishing_without_a_summary_is_refused_on_the_page(
    client_as: ClientAs, countries: None, accounts: dict[Role, User]
) -> None:
    item = item_create(
        data=ItemInput(type="case_study", title="No summary yet"),
        actor=accounts[Role.CONTRIBUTOR],
    )
    item_transition(item=item, action="submit", actor=accounts[Role.CONTRIBUTOR])

    response = client_as(Role.EDITOR).post(
        f"/knowledge/items/{item.slug}/step/", {"action": "publish"}
    )

    assert response.status_code == 400
    form = response.content.decode().split('id="step-publish"')[1].split("</form>")[0]
    assert "summary: a published item needs a summary" in form
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_REVIEW


def test_the_steps_need_the_csrf_token(draft: Item, accounts: dict[Role, User]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(accounts[Role.CONTRIBUTOR])

    assert (
        client.post(f"/knowledge/items/{draft.slug}/step/", {"action": "submit"}).status_code == 403
    )
    draft.refresh_from_db()
    assert draft.status == ItemStatus.DRAFT


# --- files ------------------------------------------------------------------------------------


def test_a_real_pdf_is_attached_from_the_edit_page(client_as: ClientAs, draft: Item) -> None:
    client = client_as(Role.CONTRIBUTOR)

    response = client.post(
        f"/knowledge/items/{draft.slug}/attachments/",
        {"file": SimpleUploadedFile("Country report 2013.pdf", PDF, "application/pdf")},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/knowledge/items/{draft.slug}/edit/#attachments"
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.kind, attachment.size) == (
        "Country report 2013.pdf",
        "pdf",
        len(PDF),
    )
    edit = client.get(response["Location"]).content.decode()
    assert "Country report 2013.pdf" in edit.split('id="item-attachments"')[1]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("report.pdf", FAKE_PDF, "its content is not a PDF"),
        ("report.docx", PDF, "its content is not a Word"),
        ("setup.exe", b"MZ\x90\x00", ".exe files are not accepted"),
        ("empty.pdf", b"", "the file is empty"),
    ],
)
def test_a_refused_upload_says_why_beside_the_file_field(
    client_as: ClientAs, draft: Item, media: Path, name: str, content: bytes, reason: str
) -> None:
    response = client_as(Role.CONTRIBUTOR).post(
        f"/knowledge/items/{draft.slug}/attachments/",
        {"file": SimpleUploadedFile(name, content, "application/pdf")},
    )

    assert response.status_code == 400
    errors = _field_errors(response.content.decode(), "file")
    if content:
        assert reason in errors, errors
    else:  # Django refuses an empty upload before the service sees it
        assert "empty" in errors, errors
    assert not Attachment.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_an_attachment_is_removed_by_a_post(
    client_as: ClientAs,
    draft: Item,
    accounts: dict[Role, User],
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    attachment = attachment_add(
        item=draft, name="slides.pdf", content=PDF, actor=accounts[Role.CONTRIBUTOR]
    )
    url = f"/knowledge/items/{draft.slug}/attachments/{attachment.pk}/remove/"
    client = client_as(Role.CONTRIBUTOR)

    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once committed
        assert client.post(url).status_code == 302

    assert not Attachment.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_a_download_is_a_sandboxed_attachment_with_its_safe_name(
    client_as: ClientAs, draft: Item, accounts: dict[Role, User]
) -> None:
    attachment = attachment_add(
        item=draft, name='Résumé "2013".pdf', content=PDF, actor=accounts[Role.CONTRIBUTOR]
    )
    url = f"/knowledge/items/{draft.slug}/attachments/{attachment.pk}/"
    assert Client().get(url).status_code == 404  # a draft's file is not public
    _published(draft, accounts)

    response = Client().get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert disposition.endswith(f"filename*=UTF-8''{quote(attachment.name, safe='')}")
    assert '\\"' not in disposition
    assert "\n" not in disposition
    assert Client().get(f"/knowledge/items/{draft.slug}/attachments/999999/").status_code == 404


# --- lists ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.READER, 302), (Role.CONTRIBUTOR, 403), (Role.EDITOR, 200), (Role.ADMINISTRATOR, 200)],
)
def test_the_review_queue_is_for_editors(
    client_as: ClientAs, draft: Item, accounts: dict[Role, User], role: Role, status: int
) -> None:
    item_transition(item=draft, action="submit", actor=accounts[Role.CONTRIBUTOR])

    response = client_as(role).get("/knowledge/review/")

    assert response.status_code == status
    if status == 200:
        queue = response.content.decode().split('id="review-queue"')[1]
        assert f'data-slug="{draft.slug}"' in queue
        assert "contributor" in queue


def test_my_items_are_listed_by_status(
    client_as: ClientAs, draft: Item, countries: None, accounts: dict[Role, User]
) -> None:
    other = item_create(
        data=ItemInput(type="good_practice", title="Another", summary="S"),
        actor=accounts[Role.CONTRIBUTOR],
    )
    _published(other, accounts)

    page = client_as(Role.CONTRIBUTOR).get("/knowledge/mine/").content.decode()

    drafts = page.split('id="mine-draft"')[1].split("</section>")[0]
    published = page.split('id="mine-published"')[1].split("</section>")[0]
    assert f'data-slug="{draft.slug}"' in drafts
    assert f'data-slug="{other.slug}"' in published
    assert client_as(Role.READER).get("/knowledge/mine/").status_code == 302


def test_the_audit_trail_links_an_entry_to_its_item(client_as: ClientAs, draft: Item) -> None:
    page = (
        client_as(Role.EDITOR)
        .get(f"/accounts/audit/?target_type=knowledge.item&target_id={draft.pk}")
        .content.decode()
    )

    assert f'<a href="/knowledge/items/{draft.slug}/" class="target">' in page
    assert re.findall(r'data-action="([^"]+)"', page) == ["item.created"]
