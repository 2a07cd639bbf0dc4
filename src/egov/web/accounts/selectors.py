"""Reads of the accounts app: the audit trail, accounts and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.utils import timezone

from .models import ApiToken, AuditEntry
from .services import token_digest


def audit_entries(
    *,
    target: Model | None = None,
    target_type: str = "",
    target_id: str = "",
    actor: str = "",
    action: str = "",
) -> QuerySet[AuditEntry]:
    """The trail, newest first, narrowed to one target, actor (username) or action prefix."""
    entries = AuditEntry.objects.select_related("actor")
    if target is not None:
        target_type, target_id = target._meta.label_lower, str(target.pk)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    if actor:
        entries = entries.filter(actor_name=actor)
    if action:
        entries = entries.filter(action__startswith=action)
    return entries


def token_user(key: str) -> User | None:
    """The active account a live API key belongs to (and the key's last use is noted)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def users() -> QuerySet[User]:
    return User.objects.prefetch_related("groups").order_by("username")
