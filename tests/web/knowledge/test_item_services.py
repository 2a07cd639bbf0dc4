"""The item services themselves: who may take which editorial step in which state, the
history and the audit trail each write leaves, every problem of an input at once, and that a
refused or failed write leaves nothing behind (tables and files)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import DatabaseError, connection
from pytest_django import Settings

from egov.errors import ServiceError
from egov.web.accounts.models import AuditEntry
from egov.web.accounts.roles import Role
from egov.web.knowledge.models import Attachment, Item, ItemRevision, ItemStatus, ItemTag
from egov.web.knowledge.services.items import (
    ItemInput,
    attachment_add,
    attachment_remove,
    item_create,
    item_transition,
    item_update,
)

PDF: Final = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"

KOREA: Final = ItemInput(
    type="case_study",
    title="Korea's path to smart government",
    summary="How Korea moved from e-government to smart government.",
    body_md="Korea built a **smart government** on its e-government backbone.",
    countries=["KOR"],
    themes=["smart_government"],
    meter_tags=["C", "C1"],
    stage_tags=["connected"],
    year=2012,
    details={"organisation": "Ministry of Public Administration and Security"},
)


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def fast_passwords(settings: Settings) -> None:
    """The accounts of every test hash their password quickly; signing in is not tested here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _actor(name: str, accounts: dict[Role, User]) -> User | AnonymousUser:
    if name == "reader":
        return AnonymousUser()
    return User.objects.get(username=name)


def _in_state(status: str, accounts: dict[Role, User]) -> Item:
    """An item by ``contributor`` brought to ``status`` through the services."""
    author, editor = accounts[Role.CONTRIBUTOR], accounts[Role.EDITOR]
    item = item_create(data=KOREA, actor=author)
    if status in (ItemStatus.IN_REVIEW, ItemStatus.PUBLISHED):
        item = item_transition(item=item, action="submit", actor=author)
    if status == ItemStatus.PUBLISHED:
        item = item_transition(item=item, action="publish", actor=editor)
    return item


#: Who may take each step from each state (the others are refused): spec §2 and policy.py.
ALLOWED: Final = {
    ("submit", "draft"): {"contributor", "editor", "administrator"},
    ("return", "in_review"): {"editor", "administrator"},
    ("publish", "in_review"): {"editor", "administrator"},
    ("withdraw", "published"): {"editor", "administrator"},
}
ACTORS: Final = ("reader", "contributor", "contributor2", "editor", "administrator")
MOVES_TO: Final = {
    "submit": "in_review",
    "return": "draft",
    "publish": "published",
    "withdraw": "draft",
}


@pytest.mark.django_db
@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize("status", ["draft", "in_review", "published"])
@pytest.mark.parametrize("action", ["submit", "return", "publish", "withdraw"])
def test_each_step_is_allowed_or_refused_by_role_and_state(
    countries: None, accounts: dict[Role, User], action: str, status: str, actor_name: str
) -> None:
    item = _in_state(status, accounts)
    revisions = item.revisions.count()
    entries = AuditEntry.objects.count()
    allowed = actor_name in ALLOWED.get((action, status), set())

    if allowed:
        done = item_transition(
            item=item, action=action, actor=_actor(actor_name, accounts), note="checked"
        )
        assert done.status == MOVES_TO[action]
        assert item.revisions.count() == revisions + 1
        assert AuditEntry.objects.count() == entries + 1
    else:
        with pytest.raises(ServiceError) as refused:
            item_transition(
                item=item, action=action, actor=_actor(actor_name, accounts), note="checked"
            )
        assert refused.value.code == "forbidden"
        item.refresh_from_db()
        assert item.status == status
        assert item.revisions.count() == revisions
        assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_readers_cannot_create_and_others_cannot_edit_a_draft(
    countries: None, accounts: dict[Role, User]
) -> None:
    with pytest.raises(ServiceError) as anonymous:
        item_create(data=KOREA, actor=AnonymousUser())
    item = item_create(data=KOREA, actor=accounts[Role.CONTRIBUTOR])
    with pytest.raises(ServiceError) as other:
        item_update(
            item=item,
            data=ItemInput(type="case_study", title="Taken over"),
            actor=User.objects.get(username="contributor2"),
        )

    assert anonymous.value.code == other.value.code == "forbidden"
    item.refresh_from_db()
    assert item.title == KOREA.title
    edited = item_update(
        item=item,
        data=ItemInput(type="case_study", title="Edited by an editor"),
        actor=accounts[Role.EDITOR],
    )
    assert edited.title == "Edited by an editor"


@pytest.mark.django_db
def test_history_numbers_every_write_in_order(countries: None, accounts: dict[Role, User]) -> None:
    author, editor = accounts[Role.CONTRIBUTOR], accounts[Role.EDITOR]
    item = item_create(data=KOREA, actor=author)
    item = item_update(item=item, data=KOREA, actor=author)  # nothing changed: no revision
    item = item_update(
        item=item, data=ItemInput(**{**KOREA.__dict__, "year": 2013}), actor=author, note="year"
    )
    attachment = attachment_add(item=item, name="slides.pdf", content=PDF, actor=author)
    attachment_remove(attachment=attachment, actor=author)
    item = item_transition(item=item, action="submit", actor=author)
    item = item_transition(item=item, action="return", actor=editor, note="Add the results.")
    item = item_transition(item=item, action="submit", actor=author)
    item = item_transition(item=item, action="publish", actor=editor)
    item = item_transition(item=item, action="withdraw", actor=editor, note="Outdated.")

    history = list(item.revisions.order_by("number"))
    assert [(r.number, r.action, r.status) for r in history] == [
        (1, "created", "draft"),
        (2, "edited", "draft"),
        (3, "attached", "draft"),
        (4, "detached", "draft"),
        (5, "submitted", "in_review"),
        (6, "returned", "draft"),
        (7, "submitted", "in_review"),
        (8, "published", "published"),
        (9, "withdrawn", "draft"),
    ]
    assert [r.actor.username for r in history if r.actor] == [
        "contributor",
        "contributor",
        "contributor",
        "contributor",
        "contributor",
        "editor",
        "contributor",
        "editor",
        "editor",
    ]
    assert (history[1].note, history[5].note, history[8].note) == (
        "year",
        "Add the results.",
        "Outdated.",
    )
    assert history[2].snapshot["attachments"][0]["name"] == "slides.pdf"
    assert history[3].snapshot["attachments"] == []


@pytest.mark.django_db
def test_audit_entries_hold_the_item_before_and_after(
    countries: None, accounts: dict[Role, User]
) -> None:
    author, editor = accounts[Role.CONTRIBUTOR], accounts[Role.EDITOR]
    item = item_create(data=KOREA, actor=author)
    item_update(
        item=item,
        data=ItemInput(**{**KOREA.__dict__, "title": "Korea's smart government"}),
        actor=author,
    )
    item_transition(item=item, action="submit", actor=author)
    item_transition(item=item, action="publish", actor=editor)

    entries = list(
        AuditEntry.objects.filter(target_type="knowledge.item", target_id=str(item.pk)).order_by(
            "at", "id"
        )
    )
    assert [(e.action, e.actor_name) for e in entries] == [
        ("item.created", "contributor"),
        ("item.edited", "contributor"),
        ("item.submitted", "contributor"),
        ("item.published", "editor"),
    ]
    created, edited, submitted, published = entries
    assert created.before is None
    assert created.after is not None
    assert created.after["countries"] == ["KOR"]
    assert created.after["themes"] == ["smart_government"]
    assert created.target_type == "knowledge.item"
    assert edited.changes == [("title", KOREA.title, "Korea's smart government")]
    assert submitted.changes == [("status", "draft", "in_review")]
    assert published.changes == [("status", "in_review", "published")]


@pytest.mark.django_db
def test_every_problem_of_an_input_is_reported_at_once(
    countries: None, accounts: dict[Role, User]
) -> None:
    bad = ItemInput(
        type="case_study",
        title="",
        summary="x" * 601,
        year=1800,
        language="xx",
        source_url="javascript:alert(1)",
        countries=["KOR", "ATL"],
        regions=["Atlantis"],
        themes=["smart_government", "no_such_theme"],
        meter_tags=["C1", "Z9"],
        stage_tags=["advanced"],
        details={"organisation": "", "award": [{"programme": "UNPSA"}]},
        workshop="no-such-workshop",
        project="no-such-project",
        related=["no-such-item"],
    )

    with pytest.raises(ServiceError) as refused:
        item_create(data=bad, actor=accounts[Role.CONTRIBUTOR])

    found = {(issue.field, issue.code) for issue in refused.value.issues}
    assert {
        ("title", "required"),
        ("summary", "too-long"),
        ("year", "out-of-range"),
        ("language", "unknown-language"),
        ("source_url", "invalid-url"),
        ("countries", "unknown-country"),
        ("regions", "unknown-region"),
        ("themes", "unknown-theme"),
        ("meter_tags", "unknown-meter-tag"),
        ("stage_tags", "unknown-stage"),
        ("workshop", "unknown-workshop"),
        ("project", "unknown-project"),
        ("related", "unknown-item"),
    } <= found
    fields = {issue.field for issue in refused.value.issues}
    assert "details.organisation" in fields
    assert "details.award[0].year" in fields
    values = {issue.value for issue in refused.value.issues if issue.field == "countries"}
    assert values == {"ATL"}
    assert not Item.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="item.").exists()


@pytest.mark.django_db
def test_publishing_needs_a_summary_and_a_presentation_its_file_or_text(
    countries: None, accounts: dict[Role, User]
) -> None:
    author, editor = accounts[Role.CONTRIBUTOR], accounts[Role.EDITOR]
    item = item_create(
        data=ItemInput(type="presentation", title="Slides without anything"), actor=author
    )
    item_transition(item=item, action="submit", actor=author)

    with pytest.raises(ServiceError) as refused:
        item_transition(item=item, action="publish", actor=editor)

    assert {(i.field, i.code) for i in refused.value.issues} == {
        ("summary", "required"),
        ("attachments", "required"),
    }
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_REVIEW


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "status"), [("return", "in_review"), ("withdraw", "published")])
def test_returning_and_withdrawing_need_a_note(
    countries: None, accounts: dict[Role, User], action: str, status: str
) -> None:
    item = _in_state(status, accounts)

    with pytest.raises(ServiceError) as refused:
        item_transition(item=item, action=action, actor=accounts[Role.EDITOR], note="  ")

    assert [(i.field, i.code) for i in refused.value.issues] == [("note", "required")]


@pytest.mark.django_db
def test_an_attachment_is_refused_for_each_reason(
    countries: None, accounts: dict[Role, User], media: Path
) -> None:
    item = item_create(data=KOREA, actor=accounts[Role.CONTRIBUTOR])

    refusals = {}
    for name, content in (
        ("report.pdf", b"<html><script>alert(1)</script></html>"),
        ("run.exe", b"MZ\x90\x00"),
        ("empty.pdf", b""),
    ):
        with pytest.raises(ServiceError) as refused:
            attachment_add(item=item, name=name, content=content, actor=accounts[Role.CONTRIBUTOR])
        refusals[name] = [(i.field, i.value) for i in refused.value.issues]

    assert refusals == {
        "report.pdf": [("attachment", "report.pdf")],
        "run.exe": [("attachment", "run.exe")],
        "empty.pdf": [("attachment", "empty.pdf")],
    }
    assert not Attachment.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


# --- nothing left behind -----------------------------------------------------------------------


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Item, ItemTag, ItemRevision, Attachment, AuditEntry)
    }


@contextmanager
def audit_refused() -> Iterator[None]:
    """The database refuses every new audit entry (a trigger), as a full disk or a lost
    connection would refuse the write that comes after the others."""
    if connection.vendor == "postgresql":
        create = [
            "CREATE FUNCTION egov_test_refuse() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit refused'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER egov_test_refuse BEFORE INSERT ON accounts_auditentry "
            "FOR EACH ROW EXECUTE FUNCTION egov_test_refuse()",
        ]
        drop = [
            "DROP TRIGGER egov_test_refuse ON accounts_auditentry",
            "DROP FUNCTION egov_test_refuse()",
        ]
    else:
        create = [
            "CREATE TRIGGER egov_test_refuse BEFORE INSERT ON accounts_auditentry "
            "BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
        ]
        drop = ["DROP TRIGGER egov_test_refuse"]
    with connection.cursor() as cursor:
        for statement in create:
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for statement in drop:
                cursor.execute(statement)


@pytest.mark.django_db(transaction=True)
def test_a_refused_input_leaves_the_tables_unchanged(
    countries: None, accounts: dict[Role, User]
) -> None:
    item = item_create(data=KOREA, actor=accounts[Role.CONTRIBUTOR])
    before = _counts()

    with pytest.raises(ServiceError):
        item_update(
            item=item,
            data=ItemInput(**{**KOREA.__dict__, "countries": ["FRA", "ATL"]}),
            actor=accounts[Role.CONTRIBUTOR],
        )

    assert _counts() == before
    assert sorted(item.tags.filter(kind="country").values_list("code", flat=True)) == ["KOR"]


@pytest.mark.django_db(transaction=True)
def test_a_write_whose_audit_entry_fails_is_rolled_back_whole(
    countries: None, accounts: dict[Role, User]
) -> None:
    item = item_create(data=KOREA, actor=accounts[Role.CONTRIBUTOR])
    before = _counts()
    changed = ItemInput(**{**KOREA.__dict__, "title": "Changed", "countries": ["FRA"]})

    with audit_refused(), pytest.raises(DatabaseError):
        item_update(item=item, data=changed, actor=accounts[Role.CONTRIBUTOR])

    assert _counts() == before
    item.refresh_from_db()
    assert item.title == KOREA.title
    assert list(item.tags.filter(kind="country").values_list("code", flat=True)) == ["KOR"]
    assert item.revisions.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_attachment_whose_audit_entry_fails_leaves_no_file(
    countries: None, accounts: dict[Role, User], media: Path
) -> None:
    item = item_create(data=KOREA, actor=accounts[Role.CONTRIBUTOR])
    before = _counts()

    with audit_refused(), pytest.raises(DatabaseError):
        attachment_add(item=item, name="slides.pdf", content=PDF, actor=accounts[Role.CONTRIBUTOR])

    assert _counts() == before
    assert not any(path.is_file() for path in media.rglob("*"))
    # And once the database accepts it again, the same upload is kept, file and row.
    attachment = attachment_add(
        item=item, name="slides.pdf", content=PDF, actor=accounts[Role.CONTRIBUTOR]
    )
    assert Path(attachment.file.path).read_bytes() == PDF
