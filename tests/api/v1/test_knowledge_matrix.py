"""Who may write what through the knowledge API: every write endpoint × every role × every
state of the item, each cell asserted.

Columns: ``anonymous``; ``owner``, the contributor who wrote the item; ``other``, another
contributor; ``editor``; ``admin``. A refused cell changes nothing (the item, its history, its
files and the audit trail are as before); an allowed cell writes, and the audit trail records
the write under the caller's name. A draft or an item in review is invisible to another
contributor: 404, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client
from pytest_django import Settings
from tests.api.v1.matrix import ClientFor, cells, row_cells, signed_in

from egov.web.accounts.models import AuditEntry
from egov.web.accounts.roles import Role
from egov.web.knowledge.models import (
    Attachment,
    Item,
    ItemRevision,
    Programme,
    Project,
    StepRecord,
    Workshop,
)
from egov.web.knowledge.services.items import (
    ItemInput,
    attachment_add,
    item_create,
    item_transition,
    snapshot,
)

PDF: Final = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
ACTORS: Final = ("anonymous", "owner", "other", "editor", "admin")
STATES: Final = ("draft", "in_review", "published")

#: endpoint → item state → status for (anonymous, owner, other, editor, admin).
ITEM_MATRIX: Final[dict[str, dict[str, tuple[int, int, int, int, int]]]] = {
    "update": {
        "draft": (401, 200, 404, 200, 200),
        "in_review": (401, 403, 404, 200, 200),
        "published": (401, 403, 403, 200, 200),
    },
    "submit": {
        "draft": (401, 200, 404, 200, 200),
        "in_review": (401, 403, 404, 403, 403),
        "published": (401, 403, 403, 403, 403),
    },
    "return": {
        "draft": (401, 403, 404, 403, 403),
        "in_review": (401, 403, 404, 200, 200),
        "published": (401, 403, 403, 403, 403),
    },
    "publish": {
        "draft": (401, 403, 404, 403, 403),
        "in_review": (401, 403, 404, 200, 200),
        "published": (401, 403, 403, 403, 403),
    },
    "withdraw": {
        "draft": (401, 403, 404, 403, 403),
        "in_review": (401, 403, 404, 403, 403),
        "published": (401, 403, 403, 200, 200),
    },
    "attach": {
        "draft": (401, 201, 404, 201, 201),
        "in_review": (401, 403, 404, 201, 201),
        "published": (401, 403, 403, 201, 201),
    },
    "detach": {
        "draft": (401, 204, 404, 204, 204),
        "in_review": (401, 403, 404, 204, 204),
        "published": (401, 403, 403, 204, 204),
    },
}

#: endpoint → status for (anonymous, owner, other, editor, admin); no item involved.
CREATE_MATRIX: Final[dict[str, tuple[int, int, int, int, int]]] = {
    "create": (401, 201, 201, 201, 201),
}

#: The capacity-building records: editors' work. Same columns (both contributors refused).
CAPACITY_MATRIX: Final[dict[str, tuple[int, int, int, int, int]]] = {
    "workshop": (401, 403, 403, 201, 201),
    "project": (401, 403, 403, 201, 201),
    "programme": (401, 403, 403, 201, 201),
    "programme-step": (401, 403, 403, 200, 200),
}

#: What an allowed write records: the audit action and the status the item then has.
AUDIT_ACTION: Final = {
    "update": "item.edited",
    "submit": "item.submitted",
    "return": "item.returned",
    "publish": "item.published",
    "withdraw": "item.withdrawn",
    "attach": "item.attached",
    "detach": "item.detached",
    "create": "item.created",
}
STATUS_AFTER: Final = {"submit": "in_review", "return": "draft", "publish": "published"}
STATUS_AFTER["withdraw"] = "draft"

ITEM_CELLS: Final = cells(ITEM_MATRIX, ACTORS)
CAPACITY_CELLS: Final = row_cells(CAPACITY_MATRIX, ACTORS)
CREATE_CELLS: Final = row_cells(CREATE_MATRIX, ACTORS)


def test_the_matrix_has_every_cell() -> None:
    assert len(ITEM_CELLS) == len(ITEM_MATRIX) * len(STATES) * len(ACTORS)
    assert all(set(states) == set(STATES) for states in ITEM_MATRIX.values())


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    """Attachments in a folder of the test; accounts with a fast hasher (many are made)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture
def clients(accounts: dict[Role, User]) -> ClientFor:
    """A client signed in (browser session) as one column of the matrix, and its account."""
    return signed_in(
        {
            "owner": accounts[Role.CONTRIBUTOR],
            "other": User.objects.get(username="contributor2"),
            "editor": accounts[Role.EDITOR],
            "admin": accounts[Role.ADMINISTRATOR],
        }
    )


def _item_in(state: str, accounts: dict[Role, User]) -> Item:
    """A case study of the owner, with one PDF, in ``state``."""
    owner, editor = accounts[Role.CONTRIBUTOR], accounts[Role.EDITOR]
    item = item_create(
        data=ItemInput(
            type="case_study",
            title="Korea's path to smart government",
            summary="How Korea moved from e-government to smart government.",
            countries=["KOR"],
            year=2012,
        ),
        actor=owner,
    )
    attachment_add(item=item, name="slides.pdf", content=PDF, actor=owner)
    if state in ("in_review", "published"):
        item_transition(item=item, action="submit", actor=owner)
    if state == "published":
        item_transition(item=item, action="publish", actor=editor)
    item.refresh_from_db()
    assert item.status == state
    return item


@dataclass(frozen=True)
class Stored:
    """Everything a refused write must leave as it was."""

    snapshot: dict[str, Any]
    revisions: int
    attachments: int
    audit: int

    @classmethod
    def of(cls, item: Item) -> Stored:
        item = Item.objects.get(pk=item.pk)
        return cls(
            snapshot=snapshot(item),
            revisions=ItemRevision.objects.filter(item=item).count(),
            attachments=Attachment.objects.filter(item=item).count(),
            audit=AuditEntry.objects.count(),
        )


def _send(client: Client, endpoint: str, item: Item) -> Any:
    base = f"/api/v1/knowledge/items/{item.slug}"
    if endpoint == "update":
        body = {
            "type": "case_study",
            "title": "Korea: from e-government to smart government",
            "summary": item.summary,
            "countries": ["KOR"],
            "year": 2012,
            "note": "a clearer title",
        }
        return client.put(base, body, content_type="application/json")
    if endpoint in ("submit", "return", "publish", "withdraw"):
        body = {"action": endpoint, "note": "checked against the source"}
        return client.post(f"{base}/transitions", body, content_type="application/json")
    if endpoint == "attach":
        upload = SimpleUploadedFile("annex.pdf", PDF, content_type="application/pdf")
        return client.post(f"{base}/attachments", {"file": upload})
    if endpoint == "detach":
        attachment = Attachment.objects.get(item=item)
        return client.delete(f"{base}/attachments/{attachment.pk}")
    raise AssertionError(endpoint)


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "state", "actor", "expected"), ITEM_CELLS)
def test_item_write(
    countries: None,
    accounts: dict[Role, User],
    clients: ClientFor,
    endpoint: str,
    state: str,
    actor: str,
    expected: int,
) -> None:
    item = _item_in(state, accounts)
    before = Stored.of(item)
    client, user = clients(actor)

    response = _send(client, endpoint, item)

    assert response.status_code == expected, response.content
    after = Stored.of(item)
    if expected >= 400:
        body = response.json()
        assert body["ok"] is False
        assert (
            body["code"] == {401: "unauthorised", 403: "forbidden", 404: "unknown-item"}[expected]
        )
        assert after == before
        return
    assert user is not None
    entry = AuditEntry.objects.first()
    assert entry is not None
    assert (entry.action, entry.actor_name, entry.target_id) == (
        AUDIT_ACTION[endpoint],
        user.username,
        str(item.pk),
    )
    assert after.audit == before.audit + 1
    assert after.revisions == before.revisions + 1
    stored = Item.objects.get(pk=item.pk)
    if endpoint == "update":
        assert stored.title == "Korea: from e-government to smart government"
        assert stored.status == state
        assert stored.updated_by == user
    elif endpoint == "attach":
        assert after.attachments == before.attachments + 1
        assert response.json()["name"] == "annex.pdf"
        assert stored.attachments.filter(name="annex.pdf").exists()
    elif endpoint == "detach":
        assert after.attachments == before.attachments - 1
    else:
        assert stored.status == STATUS_AFTER[endpoint]
        assert response.json()["status"] == STATUS_AFTER[endpoint]


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "actor", "expected"), CREATE_CELLS)
def test_item_create(
    countries: None,
    accounts: dict[Role, User],
    clients: ClientFor,
    endpoint: str,
    actor: str,
    expected: int,
) -> None:
    client, user = clients(actor)
    items, audit = Item.objects.count(), AuditEntry.objects.count()
    body = {"type": "good_practice", "title": "One-stop shop for business permits"}

    response = client.post("/api/v1/knowledge/items", body, content_type="application/json")

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["code"] == "unauthorised"
        assert (Item.objects.count(), AuditEntry.objects.count()) == (items, audit)
        return
    assert user is not None
    made = Item.objects.get(slug=response.json()["slug"])
    assert (made.status, made.created_by, made.title) == (
        "draft",
        user,
        "One-stop shop for business permits",
    )
    entry = AuditEntry.objects.first()
    assert entry is not None
    assert (entry.action, entry.actor_name, entry.target_id) == (
        AUDIT_ACTION[endpoint],
        user.username,
        str(made.pk),
    )
    assert AuditEntry.objects.count() == audit + 1


#: endpoint → (URL, body, model written, audit action).
CAPACITY_WRITES: Final[dict[str, tuple[str, dict[str, Any], type[Model], str]]] = {
    "workshop": (
        "/api/v1/knowledge/workshops",
        {
            "title": "E-Government: From Policy to Practice",
            "year": 2012,
            "sessions": [{"order": 1, "title": "Policies and strategies designed for results"}],
            "participants": [{"organisation": "Ministry of Interior", "country": "KOR"}],
            "expected_outputs": [{"order": 1, "text": "Presentations added to UNPACS"}],
        },
        Workshop,
        "workshop.create",
    ),
    "project": (
        "/api/v1/knowledge/projects",
        {
            "country": "COL",
            "title": "Centre for Innovation on E-Government Development",
            "purpose": "Support for the National Development Plan and the e-government strategy",
            "status": "implementing",
            "start_year": 2013,
            "budget_amount": "800000",
            "budget_currency": "USD",
            "budget_per": "year",
        },
        Project,
        "project.create",
    ),
    "programme": (
        "/api/v1/knowledge/programmes",
        {
            "country": "KAZ",
            "title": "Digital Kazakhstan",
            "problem": "Services scattered across agencies",
            "sector_tags": ["e-government"],
        },
        Programme,
        "programme.create",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "actor", "expected"),
    [cell for cell in CAPACITY_CELLS if cell[0] in CAPACITY_WRITES],
)
def test_capacity_write(
    countries: None,
    clients: ClientFor,
    endpoint: str,
    actor: str,
    expected: int,
) -> None:
    url, body, model, action = CAPACITY_WRITES[endpoint]
    client, user = clients(actor)
    rows, audit = model.objects.count(), AuditEntry.objects.count()  # type: ignore[attr-defined]

    response = client.post(url, body, content_type="application/json")

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["code"] == {401: "unauthorised", 403: "forbidden"}[expected]
        assert model.objects.count() == rows  # type: ignore[attr-defined]
        assert AuditEntry.objects.count() == audit
        return
    assert user is not None
    made = model.objects.get(slug=response.json()["slug"])  # type: ignore[attr-defined]
    assert made.title == body["title"]
    assert made.created_by == user
    entry = AuditEntry.objects.first()
    assert entry is not None
    assert (entry.action, entry.actor_name, entry.target_id) == (
        action,
        user.username,
        str(made.pk),
    )
    assert AuditEntry.objects.count() == audit + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "actor", "expected"),
    [cell for cell in CAPACITY_CELLS if cell[0] == "programme-step"],
)
def test_programme_step(
    countries: None,
    accounts: dict[Role, User],
    clients: ClientFor,
    endpoint: str,
    actor: str,
    expected: int,
) -> None:
    from egov.web.knowledge.services.programmes import ProgrammeInput, programme_create

    programme = programme_create(
        data=ProgrammeInput(country="KAZ", title="Digital Kazakhstan"),
        actor=accounts[Role.EDITOR],
    )
    audit = AuditEntry.objects.count()
    client, user = clients(actor)
    body = {
        "action": "start",
        "step": 1,
        "on": "2013-01-15",
        "lead_actor": "ministries_agencies",
        "participating_actors": ["business"],
    }

    response = client.post(
        f"/api/v1/knowledge/programmes/{programme.slug}/steps",
        body,
        content_type="application/json",
    )

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["code"] == {401: "unauthorised", 403: "forbidden"}[expected]
        assert not StepRecord.objects.exists()
        assert AuditEntry.objects.count() == audit
        return
    assert user is not None
    record = StepRecord.objects.get(programme=programme)
    assert (record.step, record.started.isoformat(), record.lead_actor) == (
        1,
        "2013-01-15",
        "ministries_agencies",
    )
    entry = AuditEntry.objects.first()
    assert entry is not None
    assert (entry.action, entry.actor_name, entry.target_id) == (
        "programme.step_start",
        user.username,
        str(programme.pk),
    )
    assert AuditEntry.objects.count() == audit + 1
    assert response.json()["open_step"] == 1
