"""The accounts pages: signing in and the lockout, your account and its API tokens, the audit
trail (who may read it, its filters and how a change is shown), accounts and roles."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from tests.web.conftest import PASSWORD

from egov.web.accounts.models import ApiToken, AuditEntry
from egov.web.accounts.roles import Role, role_of
from egov.web.accounts.services import audit_record, token_create, user_role_set

pytestmark = pytest.mark.django_db

ClientAs = Callable[[Role], Client]


def _sign_in(client: Client, username: str, password: str, next_url: str = "") -> object:
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


# --- signing in ---------------------------------------------------------------------------


def test_signing_in_with_the_right_password_goes_to_next(accounts: dict[Role, User]) -> None:
    client = Client()

    response = _sign_in(client, "editor", PASSWORD, next_url="/accounts/")

    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == "/accounts/"  # type: ignore[index]
    page = client.get("/accounts/").content.decode()
    assert 'id="account-role">Editor<' in page


def test_a_wrong_password_is_refused_with_a_clear_message(accounts: dict[Role, User]) -> None:
    client = Client()

    response = _sign_in(client, "editor", "not-the-password")

    assert response.status_code == 200  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert 'id="login-error"' in page
    assert "Please enter a correct username and password" in page
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_even_for_the_right_password(
    accounts: dict[Role, User],
) -> None:
    client = Client()
    for _attempt in range(4):
        assert _sign_in(client, "editor", "wrong").status_code == 200  # type: ignore[attr-defined]

    fifth = _sign_in(client, "editor", "wrong")
    right = _sign_in(client, "editor", PASSWORD)

    assert fifth.status_code == 429  # type: ignore[attr-defined]
    assert right.status_code == 429  # type: ignore[attr-defined]
    assert "Sign-in locked" in right.content.decode()  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked (username and address together).
    assert _sign_in(client, "contributor", PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_signing_out_takes_a_post(client_as: ClientAs) -> None:
    client = client_as(Role.EDITOR)

    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_form_post_without_the_csrf_token_is_refused(accounts: dict[Role, User]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(accounts[Role.EDITOR])

    response = client.post("/accounts/", {"name": "script"})

    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_the_password_change_is_recorded_without_the_password(
    client_as: ClientAs, accounts: dict[Role, User]
) -> None:
    client = client_as(Role.CONTRIBUTOR)
    new = "another-Long-pass-phrase-43"

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    user = User.objects.get(username="contributor")
    assert user.check_password(new)
    entry = AuditEntry.objects.get(action="user.password")
    assert (entry.actor_name, entry.target_id) == ("contributor", str(user.pk))
    assert entry.before is None
    assert entry.after is None


# --- your account and its tokens ------------------------------------------------------------


def test_the_account_page_needs_a_signed_in_user(client: Client) -> None:
    response = client.get("/accounts/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/")


def test_a_new_token_shows_its_key_once(client_as: ClientAs, accounts: dict[Role, User]) -> None:
    client = client_as(Role.CONTRIBUTOR)

    response = client.post("/accounts/", {"name": "nightly import"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    found = re.search(r'id="new-token-key">(egov_[^<]+)<', page)
    assert found
    key = found.group(1)
    token = ApiToken.objects.get(user=accounts[Role.CONTRIBUTOR])
    assert token.name == "nightly import"
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    again = client.get("/accounts/").content.decode()
    assert key not in again
    assert "nightly import" in again
    assert f"egov_{token.prefix}…" in again


def test_a_token_without_a_name_is_refused_on_its_field(client_as: ClientAs) -> None:
    response = client_as(Role.CONTRIBUTOR).post("/accounts/", {"name": "  "})

    page = response.content.decode()
    assert 'id="new-token"' not in page
    assert 'class="errorlist' in page.split('id="token-form"')[1]
    assert not ApiToken.objects.exists()


def test_revoking_a_token_is_for_its_owner_only(
    client_as: ClientAs, accounts: dict[Role, User]
) -> None:
    mine, _key = token_create(user=accounts[Role.CONTRIBUTOR], name="mine")
    theirs, _other = token_create(user=accounts[Role.EDITOR], name="theirs")
    client = client_as(Role.CONTRIBUTOR)

    assert client.get(f"/accounts/tokens/{mine.pk}/revoke/").status_code == 405
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    response = client.post(f"/accounts/tokens/{mine.pk}/revoke/", follow=True)

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None
    assert "is revoked" in response.content.decode()
    assert AuditEntry.objects.filter(action="token.revoke", target_id=str(mine.pk)).count() == 1


# --- the audit trail ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.READER, 302),
        (Role.CONTRIBUTOR, 403),
        (Role.EDITOR, 200),
        (Role.ADMINISTRATOR, 200),
    ],
)
def test_the_audit_trail_is_for_editors_and_administrators(
    client_as: ClientAs, role: Role, status: int
) -> None:
    response = client_as(role).get("/accounts/audit/")

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/?next=/accounts/audit/")


def _actions(page: str) -> list[str]:
    return re.findall(r'<li class="audit-entry" data-action="([^"]+)"', page)


def test_the_trail_is_newest_first_and_filters_by_actor_action_and_target(
    client_as: ClientAs, accounts: dict[Role, User]
) -> None:
    admin = accounts[Role.ADMINISTRATOR]
    target = accounts[Role.CONTRIBUTOR]
    user_role_set(user=target, role=Role.EDITOR, actor=admin)
    token_create(user=target, name="script", actor=target)
    client = client_as(Role.EDITOR)

    everything = _actions(client.get("/accounts/audit/").content.decode())
    by_admin = _actions(client.get("/accounts/audit/?actor=administrator").content.decode())
    roles = _actions(client.get("/accounts/audit/?action=user.").content.decode())
    of_target = client.get(
        f"/accounts/audit/?target_type=auth.user&target_id={target.pk}"
    ).content.decode()

    # The fixture made four accounts (user.create, no actor), then the two writes above.
    assert everything == ["token.create", "user.role"] + ["user.create"] * 4
    assert by_admin == ["user.role"]
    assert roles == ["user.role"] + ["user.create"] * 4
    assert _actions(of_target) == ["user.role", "user.create"]
    assert 'value="auth.user"' in of_target  # the filters stay in the form


def test_a_role_change_shows_each_field_before_and_after(
    client_as: ClientAs, accounts: dict[Role, User]
) -> None:
    user_role_set(
        user=accounts[Role.CONTRIBUTOR], role=Role.EDITOR, actor=accounts[Role.ADMINISTRATOR]
    )

    page = client_as(Role.EDITOR).get("/accounts/audit/?action=user.role").content.decode()

    entry = page.split('data-action="user.role"')[1].split("</li>")[0]
    assert ">administrator</a>" in entry
    row = entry.split('<tr data-field="role">')[1].split("</tr>")[0]
    assert '<td class="before">contributor</td>' in row
    assert '<td class="after">editor</td>' in row
    assert 'data-field="username"' not in entry  # unchanged fields are not listed


def test_a_long_text_change_is_a_compact_diff_in_a_disclosure(
    client_as: ClientAs, accounts: dict[Role, User]
) -> None:
    before = "\n".join(f"Paragraph {n} of the study." for n in range(40))
    after = before.replace("Paragraph 20 of", "Paragraph twenty of")
    audit_record(
        actor=accounts[Role.EDITOR],
        action="item.edited",
        target_type="knowledge.item",
        target_id="999",
        target_label="A long study",
        before={"body_md": before, "title": "A"},
        after={"body_md": after, "title": "B"},
    )

    page = client_as(Role.EDITOR).get("/accounts/audit/?action=item.").content.decode()

    body = page.split('<tr data-field="body_md">')[1].split("</tr>")[0]
    assert "<details>" in body
    assert "<summary>" in body
    assert '<span class="removed">-Paragraph 20 of the study.</span>' in body
    assert '<span class="added">+Paragraph twenty of the study.</span>' in body
    assert "Paragraph 5 of" not in body  # only the lines around the change
    title = page.split('<tr data-field="title">')[1].split("</tr>")[0]
    assert '<td class="before">A</td>' in title
    # The item no longer exists: its label is shown without a link.
    assert "A long study" in page


def test_the_trail_is_paginated_with_the_filters_kept(
    client_as: ClientAs, accounts: dict[Role, User]
) -> None:
    user = accounts[Role.CONTRIBUTOR]
    for n in range(30):
        token_create(user=user, name=f"token {n}", actor=user)
    client = client_as(Role.EDITOR)

    first = client.get("/accounts/audit/?action=token.").content.decode()
    second = client.get("/accounts/audit/?action=token.&page=2").content.decode()

    assert len(_actions(first)) == 25
    assert len(_actions(second)) == 5
    assert 'href="?action=token.&amp;page=2"' in first
    assert "30 entries" in first


def test_a_value_in_the_trail_is_escaped(client_as: ClientAs, accounts: dict[Role, User]) -> None:
    audit_record(
        actor=accounts[Role.EDITOR],
        action="item.edited",
        target_type="knowledge.item",
        target_id="1",
        target_label="<script>alert(1)</script>",
        before={"title": "<b>old</b>"},
        after={"title": "<img src=x onerror=alert(1)>"},
    )

    page = client_as(Role.EDITOR).get("/accounts/audit/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


# --- accounts and roles ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.READER, 302), (Role.CONTRIBUTOR, 403), (Role.EDITOR, 403), (Role.ADMINISTRATOR, 200)],
)
def test_the_users_page_is_for_administrators(client_as: ClientAs, role: Role, status: int) -> None:
    assert client_as(role).get("/accounts/users/").status_code == status


@pytest.mark.parametrize("role", [Role.READER, Role.CONTRIBUTOR, Role.EDITOR])
def test_only_administrators_change_roles_and_states(
    client_as: ClientAs, accounts: dict[Role, User], role: Role
) -> None:
    target = accounts[Role.CONTRIBUTOR]
    client = client_as(role)

    assert client.post(f"/accounts/users/{target.pk}/role/", {"role": "editor"}).status_code == 403
    assert client.post(f"/accounts/users/{target.pk}/active/", {"active": "0"}).status_code == 403
    assert client.post("/accounts/users/", {"username": "x"}).status_code in (302, 403)

    target.refresh_from_db()
    assert role_of(target) is Role.CONTRIBUTOR
    assert not User.objects.filter(username="x").exists()


def test_the_users_page_lists_every_account_with_its_role_and_state(
    client_as: ClientAs, accounts: dict[Role, User]
) -> None:
    client = client_as(Role.ADMINISTRATOR)
    client.post(f"/accounts/users/{accounts[Role.EDITOR].pk}/active/", {"active": "0"})

    page = client.get("/accounts/users/").content.decode()

    rows = dict(re.findall(r'<tr data-user="([^"]+)">(.*?)</tr>', page, flags=re.S))
    assert sorted(rows) == ["administrator", "contributor", "contributor2", "editor"]
    assert '<option value="contributor" selected>' in rows["contributor2"]
    # A disabled account keeps its role; it is shown disabled.
    assert '<option value="editor" selected>' in rows["editor"]
    assert "disabled" in rows["editor"]
    assert 'name="active" value="1"' in rows["editor"]


def test_an_account_created_on_the_page_holds_its_role(client_as: ClientAs) -> None:
    response = client_as(Role.ADMINISTRATOR).post(
        "/accounts/users/",
        {
            "username": "amina",
            "email": "amina@example.org",
            "password": "a-Long-pass-phrase-44",
            "role": "editor",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="amina")
    assert role_of(user) is Role.EDITOR
    entry = AuditEntry.objects.get(action="user.create", target_id=str(user.pk))
    assert entry.actor_name == "administrator"
    assert entry.after == {
        "username": "amina",
        "email": "amina@example.org",
        "is_active": True,
        "role": "editor",
    }


def _field_errors(page: str, field: str) -> str:
    """The error list of the form field ``field`` (empty when it has none)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


def test_every_problem_of_a_new_account_is_shown_on_its_field(client_as: ClientAs) -> None:
    response = client_as(Role.ADMINISTRATOR).post(
        "/accounts/users/",
        {"username": "Editor", "email": "not-an-address", "password": "short", "role": "chief"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "is taken" in _field_errors(page, "username")
    assert "valid email" in _field_errors(page, "email")
    assert "too short" in _field_errors(page, "password")
    assert "Select a valid choice" in _field_errors(page, "role")
    assert User.objects.count() == 4


def test_a_role_change_on_the_page_is_recorded_in_the_trail(
    client_as: ClientAs, accounts: dict[Role, User]
) -> None:
    target = accounts[Role.CONTRIBUTOR]
    client = client_as(Role.ADMINISTRATOR)

    response = client.post(f"/accounts/users/{target.pk}/role/", {"role": "editor"}, follow=True)

    assert "contributor is now editor." in response.content.decode()
    assert role_of(target) is Role.EDITOR
    entry = AuditEntry.objects.get(action="user.role")
    assert entry.actor_name == "administrator"
    assert entry.changes == [("role", "contributor", "editor")]
    trail = client.get("/accounts/audit/?action=user.role").content.decode()
    assert '<td class="after">editor</td>' in trail


def test_an_administrator_disables_and_enables_an_account_but_not_their_own(
    client_as: ClientAs, accounts: dict[Role, User]
) -> None:
    target = accounts[Role.EDITOR]
    admin = accounts[Role.ADMINISTRATOR]
    client = client_as(Role.ADMINISTRATOR)

    client.post(f"/accounts/users/{target.pk}/active/", {"active": "0"})
    target.refresh_from_db()
    assert not target.is_active
    client.post(f"/accounts/users/{target.pk}/active/", {"active": "1"})
    target.refresh_from_db()
    assert target.is_active
    refused = client.post(f"/accounts/users/{admin.pk}/active/", {"active": "0"}, follow=True)

    admin.refresh_from_db()
    assert admin.is_active
    assert "you cannot disable your own account" in refused.content.decode()
    assert [e.action for e in AuditEntry.objects.filter(action="user.active")] == [
        "user.active",
        "user.active",
    ]
