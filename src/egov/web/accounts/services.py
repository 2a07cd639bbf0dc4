"""Writes of the accounts app: the audit trail, accounts and roles, API tokens.

:func:`audit_record` is called by every other service inside its own transaction; it is not an
entry point and is not durable. The others are entry points: one durable transaction each,
each recorded in the trail.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from egov.errors import Issue, ServiceError

from .models import ApiToken, AuditEntry
from .roles import GROUP_ROLES, Role

Actor = User | AnonymousUser | None


def account(actor: Actor) -> User | None:
    """The signed-in account behind ``actor``, or None for anonymous or system writes."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def _plain(value: object) -> object:
    """A JSON value for the trail: dates as ISO text, decimals and sets made plain."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


@transaction.atomic
def audit_record(
    *,
    actor: Actor,
    action: str,
    target: Model | None = None,
    target_type: str = "",
    target_id: str = "",
    target_label: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Record one write. ``target`` gives the type, id and label unless they are passed."""
    user = account(actor)
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        target_label = target_label or str(target)[:300]
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=user,
        actor_name=user.get_username() if user is not None else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:300],
        before=None if before is None else _plain(before),
        after=None if after is None else _plain(after),
        note=note,
    )


def _user_snapshot(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "email": user.email,
        "is_active": user.is_active,
        "role": _role_name(user),
    }


def _role_name(user: User) -> str:
    from .roles import role_of

    return role_of(user).name.lower()


@transaction.atomic(durable=True)
def user_create(
    *, username: str, password: str, role: Role, email: str = "", actor: Actor = None
) -> User:
    """A new account holding ``role``. The password must pass the configured validators;
    every reason it fails is reported at once."""
    username = username.strip()
    issues: list[Issue] = []
    if not username:
        issues.append(Issue("required", "the username is empty", "account", field="username"))
    elif User.objects.filter(username__iexact=username).exists():
        issues.append(
            Issue("taken", f'the username "{username}" is taken', "account", field="username")
        )
    try:
        validate_password(password, User(username=username, email=email))
    except ValidationError as error:
        issues.extend(
            Issue("weak-password", str(message), "account", field="password")
            for message in error.messages
        )
    if issues:
        raise ServiceError("invalid-account", "; ".join(i.message for i in issues), issues)
    user = User.objects.create_user(username=username, email=email, password=password)
    _groups_set(user, role)
    audit_record(actor=actor, action="user.create", target=user, after=_user_snapshot(user))
    return user


def _groups_set(user: User, role: Role) -> None:
    keep = user.groups.exclude(name__in=GROUP_ROLES)
    groups = list(keep)
    if role is not Role.READER:
        groups.append(Group.objects.get(name=role.group_name))
    user.groups.set(groups)


@transaction.atomic(durable=True)
def user_role_set(*, user: User, role: Role, actor: Actor = None) -> User:
    """Give ``user`` exactly ``role`` (the other role groups are removed)."""
    if user.is_superuser and role is not Role.ADMINISTRATOR:
        raise ServiceError(
            "superuser-role", f"{user.username} is a superuser: always administrator"
        )
    before = _user_snapshot(user)
    _groups_set(user, role)
    audit_record(
        actor=actor, action="user.role", target=user, before=before, after=_user_snapshot(user)
    )
    return user


@transaction.atomic(durable=True)
def user_active_set(*, user: User, active: bool, actor: Actor = None) -> User:
    """Enable or disable an account (a disabled account signs in nowhere; nothing is deleted)."""
    if actor is not None and actor.is_authenticated and actor.pk == user.pk and not active:
        raise ServiceError("self-disable", "you cannot disable your own account")
    before = _user_snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor, action="user.active", target=user, before=before, after=_user_snapshot(user)
    )
    return user


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic(durable=True)
def token_create(*, user: User, name: str, actor: Actor = None) -> tuple[ApiToken, str]:
    """A new API token for ``user``; returns it and the key, which is never shown again."""
    name = name.strip()
    if not name:
        raise ServiceError("invalid-token", "a token needs a name")
    key = "egov_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=key[5:13],
        digest=token_digest(key),
        created_at=timezone.now(),
    )
    audit_record(
        actor=actor or user,
        action="token.create",
        target=token,
        after={"user": user.username, "name": token.name, "prefix": token.prefix},
    )
    return token, key


@transaction.atomic(durable=True)
def token_revoke(*, token: ApiToken, actor: Actor = None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="token.revoke",
            target=token,
            after={"user": token.user.username, "name": token.name, "prefix": token.prefix},
        )
    return token
