"""Who may do what to which knowledge object: the role's permission, then the object's state.

The role tables are in :mod:`egov.web.accounts.roles`; this module adds the object-level rules.
Pages, the API and the services ask the same functions, so a button shown is a write allowed.

- Anyone reads a published item; its author and editors also read it unpublished.
- A contributor edits, attaches to and sends for review only their own drafts.
- An editor edits any item, returns one in review to draft, publishes it, withdraws it.
- Workshops, projects and programmes are written by editors.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account

from .models import Item, ItemStatus

User = Account | AnonymousUser


def _perm(user: User, name: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(name))


def _owns(user: User, item: Item) -> bool:
    return bool(user.is_authenticated and item.created_by_id == user.pk)


def can_view_item(user: User, item: Item) -> bool:
    if item.status == ItemStatus.PUBLISHED:
        return True
    return _perm(user, "knowledge.review_item") or (_owns(user, item) and user.is_active)


def can_create_item(user: User) -> bool:
    return _perm(user, "knowledge.add_item")


def can_edit_item(user: User, item: Item) -> bool:
    if _perm(user, "knowledge.publish_item"):
        return True
    return (
        _perm(user, "knowledge.change_item")
        and _owns(user, item)
        and item.status == ItemStatus.DRAFT
    )


def can_submit_item(user: User, item: Item) -> bool:
    return item.status == ItemStatus.DRAFT and can_edit_item(user, item)


def can_return_item(user: User, item: Item) -> bool:
    return item.status == ItemStatus.IN_REVIEW and _perm(user, "knowledge.review_item")


def can_publish_item(user: User, item: Item) -> bool:
    return item.status == ItemStatus.IN_REVIEW and _perm(user, "knowledge.publish_item")


def can_withdraw_item(user: User, item: Item) -> bool:
    return item.status == ItemStatus.PUBLISHED and _perm(user, "knowledge.publish_item")


def can_review(user: User) -> bool:
    """Sees the review queue, drafts of others and the audit trail of items."""
    return _perm(user, "knowledge.review_item")


def can_write_workshops(user: User) -> bool:
    return _perm(user, "knowledge.change_workshop")


def can_write_projects(user: User) -> bool:
    return _perm(user, "knowledge.change_project")


def can_write_programmes(user: User) -> bool:
    return _perm(user, "knowledge.change_programme")


def can_read_audit(user: User) -> bool:
    return _perm(user, "accounts.view_auditentry")
