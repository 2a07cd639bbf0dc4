"""Roles: who may do what, as data. A role is a Django group holding model permissions;
object-level rules (a contributor edits only their own drafts) live in each app's ``policy.py``.

=============  ===============================================================================
role           may
=============  ===============================================================================
reader         anyone, signed in or not: read what is published
contributor    write knowledge items as drafts, edit their own drafts, send them for review;
               open METER assessments as their national focal point
editor         review, edit, publish and withdraw any item; run workshops, projects and
               programmes; manage any METER assessment; read the audit trail
administrator  everything an editor may, and manage accounts and roles
=============  ===============================================================================

Roles are ordered: each holds every permission of the roles before it. The groups are kept
equal to :data:`PERMISSIONS` after every ``migrate`` (:func:`roles_sync`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Final

from django.apps import apps as django_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _


class Role(enum.IntEnum):
    READER = 0
    CONTRIBUTOR = 1
    EDITOR = 2
    ADMINISTRATOR = 3

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def group_name(self) -> str:
        return self.name.lower()


ROLE_LABELS: Final[Mapping[Role, object]] = {
    Role.READER: _("Reader"),
    Role.CONTRIBUTOR: _("Contributor"),
    Role.EDITOR: _("Editor"),
    Role.ADMINISTRATOR: _("Administrator"),
}

#: The permissions each role adds to the role before it ("app_label.codename").
PERMISSIONS: Final[Mapping[Role, tuple[str, ...]]] = {
    Role.READER: (),
    Role.CONTRIBUTOR: ("knowledge.add_item", "knowledge.change_item", "meter.add_assessment"),
    Role.EDITOR: (
        "knowledge.review_item",
        "knowledge.publish_item",
        "knowledge.add_workshop",
        "knowledge.change_workshop",
        "knowledge.add_project",
        "knowledge.change_project",
        "knowledge.add_programme",
        "knowledge.change_programme",
        "meter.manage_assessment",
        "accounts.view_auditentry",
    ),
    Role.ADMINISTRATOR: ("auth.add_user", "auth.change_user", "auth.view_user"),
}

GROUP_ROLES: Final = {role.group_name: role for role in Role if role is not Role.READER}


def role_permissions(role: Role) -> tuple[str, ...]:
    """Every permission ``role`` holds, its own and those of the roles before it."""
    return tuple(perm for r in Role if r <= role for perm in PERMISSIONS[r])


def role_of(user: AbstractBaseUser | AnonymousUser) -> Role:
    """The highest role of ``user``: a superuser is an administrator, anyone else a reader
    unless one of their groups names a role. An inactive account is a reader."""
    if not user.is_authenticated or not user.is_active:
        return Role.READER
    if getattr(user, "is_superuser", False):
        return Role.ADMINISTRATOR
    names = user.groups.values_list("name", flat=True)  # type: ignore[attr-defined]
    return max((GROUP_ROLES[name] for name in names if name in GROUP_ROLES), default=Role.READER)


def role_held(user: AbstractBaseUser) -> Role:
    """The role ``user``'s groups give, whether or not the account is active: what the users
    page and ``egov user list`` show (:func:`role_of` says what an account may do now, nothing
    when it is disabled). Reads the groups prefetched when they are."""
    if getattr(user, "is_superuser", False):
        return Role.ADMINISTRATOR
    groups = user.groups.all()  # type: ignore[attr-defined]
    held = (GROUP_ROLES[group.name] for group in groups if group.name in GROUP_ROLES)
    return max(held, default=Role.READER)


def has_role(user: AbstractBaseUser | AnonymousUser, role: Role) -> bool:
    """Whether ``user`` holds ``role`` or a higher one."""
    return role_of(user) >= role


@transaction.atomic
def roles_sync(*, using: str = "default") -> None:
    """Create the role groups and give each exactly the permissions of :data:`PERMISSIONS`."""
    for app_config in django_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for role in Role:
        if role is Role.READER:
            continue
        group, _created = Group.objects.using(using).get_or_create(name=role.group_name)
        wanted = []
        for dotted in role_permissions(role):
            app_label, codename = dotted.split(".")
            wanted.append(
                Permission.objects.using(using).get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(wanted)
