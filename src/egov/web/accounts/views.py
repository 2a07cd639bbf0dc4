"""Pages of the accounts app: your account and API tokens, the password change, the audit trail
(editors and administrators), the accounts and roles (administrators).

Sign-in and sign-out are Django's views (``urls.py``); django-axes turns the sixth failure in
an hour into ``accounts/locked_out.html``.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.errors import ServiceError
from egov.web.knowledge import policy

from . import selectors, services
from .forms import AuditFilterForm, RoleForm, TokenCreateForm, UserCreateForm, role_named
from .models import ApiToken, AuditEntry
from .roles import Role, role_held, role_of

#: Entries per page of the audit trail.
AUDIT_PER_PAGE: Final = 25
#: A value longer than this (or on several lines) is shown shortened, its diff in a disclosure.
SHORT_VALUE: Final = 120

#: How an audit target links to its page: target type → (model label, field, URL name); the
#: URL takes the field's value as its only argument.
TARGET_PAGES: Final[Mapping[str, tuple[str, str, str]]] = {
    "knowledge.item": ("knowledge.Item", "slug", "knowledge:item"),
}


def _signed_in(request: HttpRequest) -> User:
    """The signed-in account (the view is behind ``login_required``)."""
    assert isinstance(request.user, User)
    return request.user


# --- your account ---------------------------------------------------------------------------


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Your role and your API tokens. Creating a token shows its key in this one response."""
    user = _signed_in(request)
    form = TokenCreateForm()
    created: tuple[ApiToken, str] | None = None
    if request.method == "POST":
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            try:
                created = services.token_create(
                    user=user, name=form.cleaned_data["name"], actor=user
                )
            except ServiceError as error:
                form.add_error("name", str(error))
            else:
                form = TokenCreateForm()
    role = role_of(user)
    context = {
        "role": role,
        "is_writer": role >= Role.CONTRIBUTOR,
        "is_administrator": role >= Role.ADMINISTRATOR,
        "tokens": user.api_tokens.all(),
        "form": form,
        "new_token": created[0] if created else None,
        "new_key": created[1] if created else None,
    }
    response = render(request, "accounts/account.html", context)
    if created:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _signed_in(request)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    services.token_revoke(token=token, actor=user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:account")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, recorded in the audit trail (never the password itself)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        user = self.request.user
        assert isinstance(user, User)
        with transaction.atomic():
            response = super().form_valid(form)
            services.audit_record(actor=user, action="user.password", target=user)
        return response


password_change = PasswordChangeView.as_view()
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)


# --- the audit trail ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One field of an audit entry as the page shows it."""

    field: str
    before: str | None
    after: str | None
    long: bool
    diff: list[tuple[str, str]]  # (css class, line) of a compact diff, for long values


@dataclass(frozen=True, slots=True)
class TrailRow:
    entry: AuditEntry
    link: str | None
    changes: list[Change]


def _shown(value: object) -> str | None:
    """A value of a snapshot as text: lists joined, mappings as indented JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    return str(value)


def _diff(before: str, after: str) -> list[tuple[str, str]]:
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), lineterm="", n=1, fromfile="", tofile=""
    )
    shown: list[tuple[str, str]] = []
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "added", "-": "removed", "@": "hunk"}.get(line[:1], "same")
        shown.append((kind, line))
    return shown


def changes_shown(entry: AuditEntry) -> list[Change]:
    """The fields ``entry`` changed, each before and after; long text with a compact diff."""
    rows = []
    for name, before, after in entry.changes:
        old, new = _shown(before), _shown(after)
        long = any(
            text is not None and (len(text) > SHORT_VALUE or "\n" in text) for text in (old, new)
        )
        rows.append(
            Change(
                field=name,
                before=old,
                after=new,
                long=long,
                diff=_diff(old or "", new or "") if long else [],
            )
        )
    return rows


def _target_links(entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """(target type, id) → the target's page, for the targets that have one and still exist."""
    links: dict[tuple[str, str], str] = {}
    for target_type, (label, field, url_name) in TARGET_PAGES.items():
        ids = {e.target_id for e in entries if e.target_type == target_type}
        if not ids:
            continue
        model = apps.get_model(label)
        rows = model.objects.filter(pk__in=[i for i in ids if i.isdigit()]).values_list("pk", field)
        for pk, value in rows:
            try:
                links[(target_type, str(pk))] = reverse(url_name, args=[value])
            except NoReverseMatch:
                continue
    return links


def _require(request: HttpRequest, allowed: Callable[[Any], bool]) -> HttpResponseRedirect | None:
    """A redirect to sign in for the anonymous; PermissionDenied for a signed-in account
    that ``allowed`` refuses; None when the page may be shown."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not allowed(request.user):
        raise PermissionDenied
    return None


def audit(request: HttpRequest) -> HttpResponse:
    """The audit trail, newest first, filtered by who, action prefix and target; the filters
    and the page number are in the URL."""
    if (refused := _require(request, policy.can_read_audit)) is not None:
        return refused
    form = AuditFilterForm(request.GET or None)
    filters = {"actor": "", "action": "", "target_type": "", "target_id": ""}
    if form.is_bound and form.is_valid():
        filters.update({k: str(v).strip() for k, v in form.cleaned_data.items() if v})
    entries = selectors.audit_entries(
        actor=filters["actor"],
        action=filters["action"],
        target_type=filters["target_type"],
        target_id=filters["target_id"],
    )
    page = Paginator(entries, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    links = _target_links(shown)
    rows = [
        TrailRow(
            entry=entry,
            link=links.get((entry.target_type, entry.target_id)),
            changes=changes_shown(entry),
        )
        for entry in shown
    ]
    query = urlencode({k: v for k, v in filters.items() if v})
    context = {
        "form": form if form.is_bound else AuditFilterForm(),
        "rows": rows,
        "page": page,
        "filters": filters,
        "query": query,
        "filtered": any(filters.values()),
    }
    return render(request, "accounts/audit.html", context)


# --- accounts and roles (administrators) -----------------------------------------------------


def _is_administrator(user: Any) -> bool:
    return bool(role_of(user) >= Role.ADMINISTRATOR)


def users(request: HttpRequest) -> HttpResponse:
    """Every account with its role and state; a form to create one."""
    if (refused := _require(request, _is_administrator)) is not None:
        return refused
    form = UserCreateForm()
    if request.method == "POST":
        form = UserCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = services.user_create(
                    username=data["username"],
                    password=data["password"],
                    role=role_named(data["role"]),
                    email=data["email"],
                    actor=request.user,
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("The account “%(name)s” is created.") % {"name": made.username}
                )
                return redirect("accounts:users")
    listed = [(user, role_held(user)) for user in selectors.users()]
    context = {
        "form": form,
        "listed": listed,
        "roles": [(role.name.lower(), role.label) for role in Role],
    }
    return render(request, "accounts/users.html", context, status=400 if form.errors else 200)


def _managed_user(request: HttpRequest, pk: int) -> User:
    """The account an administrator acts on; 403 for anyone else (a form post is not
    redirected to sign in)."""
    if not _is_administrator(request.user):
        raise PermissionDenied
    return get_object_or_404(User, pk=pk)


@require_POST
def user_role(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_user(request, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("accounts:users")
    try:
        services.user_role_set(
            user=user, role=role_named(form.cleaned_data["role"]), actor=request.user
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": user.username, "role": role_held(user).label.lower()},
        )
    return redirect("accounts:users")


@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_user(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_active_set(user=user, active=active, actor=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        message = _("%(name)s is enabled.") if active else _("%(name)s is disabled.")
        messages.success(request, message % {"name": user.username})
    return redirect("accounts:users")
