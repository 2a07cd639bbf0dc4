"""Pages of knowledge items: one item, the forms that write it, its editorial steps and files,
the review queue and an author's own items.

An item a reader may not see answers 404, never 403, so a draft's existence does not leak.
Every button shown is a write the policy allows (:mod:`..policy`); the services check again.
The forms are plain HTML posts; htmx only swaps the fieldset of the type's details when the
type changes (without JavaScript the type is chosen first, with ``?type=``).
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egov.errors import ServiceError
from egov.web.markdown import render_user_markdown

from .. import policy
from ..attachments import KINDS
from ..forms import (
    STAGE_LABELS,
    AttachmentForm,
    ItemForm,
    StepForm,
    add_issues,
    detail_rows,
    issue_message,
    language_label,
    meter_label,
    theme_label,
)
from ..models import Attachment, Item, ItemStatus, ItemType
from ..selectors import items as selectors
from ..services import items as services
from .capacity_forms import forbidden_or_login

#: The editorial steps in the order their buttons appear, each with the policy that allows it.
STEPS: Final = {
    "submit": policy.can_submit_item,
    "return": policy.can_return_item,
    "publish": policy.can_publish_item,
    "withdraw": policy.can_withdraw_item,
}
#: Steps whose form asks for a note (the service requires one).
NOTE_STEPS: Final = frozenset({"return", "withdraw"})


def _visible(request: HttpRequest, slug: str) -> Item:
    """The item named ``slug`` if the reader may see it; 404 otherwise (never 403)."""
    item = selectors.item_for_page(slug=slug)
    if item is None or not policy.can_view_item(request.user, item):
        raise Http404(_("No such item."))
    return item


def _url_or_none(name: str, *args: object) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _attachment_rows(item: Item) -> list[dict[str, Any]]:
    return [
        {
            "attachment": attachment,
            "kind": KINDS[attachment.kind].label if attachment.kind in KINDS else attachment.kind,
            "size": filesizeformat(attachment.size),
            "url": reverse("knowledge:attachment", args=[item.slug, attachment.pk]),
        }
        for attachment in item.attachments.all()
    ]


# --- one item -------------------------------------------------------------------------------


def item_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _detail(request, _visible(request, slug))


def _detail(
    request: HttpRequest,
    item: Item,
    *,
    step_forms: dict[str, StepForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    tags = selectors.item_tags(item=item)
    step_forms = step_forms or {}
    steps = [
        {
            "action": action,
            "form": step_forms.get(action) or StepForm(initial={"action": action}),
            "needs_note": action in NOTE_STEPS,
        }
        for action, allowed in STEPS.items()
        if allowed(user, item)
    ]
    is_author = user.is_authenticated and item.created_by_id == user.pk
    sees_history = is_author or policy.can_review(user)
    context = {
        "item": item,
        # Sanitised by nh3 against an allowlist (egov.web.markdown): safe to insert.
        "body_html": mark_safe(render_user_markdown(item.body_md)),
        "details": detail_rows(item.type, item.details),
        "tags": tags,
        "themes": [(code, theme_label(code)) for code in tags.themes],
        "meter": [(code, meter_label(code)) for code in tags.meter],
        "stages": [(code, STAGE_LABELS.get(code, code)) for code in tags.stages],
        "language": language_label(item.language),
        "attachments": _attachment_rows(item),
        "related": selectors.related_items(item=item, user=user),
        "workshop_url": item.workshop and _url_or_none("knowledge:workshop", item.workshop.slug),
        "project_url": item.project and _url_or_none("knowledge:project", item.project.slug),
        "can_edit": policy.can_edit_item(user, item),
        "steps": steps,
        "history": list(selectors.item_history(item=item)) if sees_history else None,
        "audit_url": (
            reverse("accounts:audit")
            + "?"
            + urlencode({"target_type": "knowledge.item", "target_id": str(item.pk)})
            if policy.can_read_audit(user)
            else None
        ),
    }
    return render(request, "knowledge/item_detail.html", context, status=status)


@require_POST
def item_step(request: HttpRequest, slug: str) -> HttpResponse:
    """One editorial step from the item's page; a refusal is shown on that page."""
    item = _visible(request, slug)
    form = StepForm(request.POST)
    if not form.is_valid():
        raise Http404
    action = form.cleaned_data["action"]
    try:
        services.item_transition(
            item=item, action=action, actor=request.user, note=form.cleaned_data["note"]
        )
    except ServiceError as error:
        if error.code == "forbidden":
            raise PermissionDenied(str(error)) from None
        add_issues(form, error)
        return _detail(request, item, step_forms={action: form}, status=400)
    item.refresh_from_db()
    done = {
        "submit": _("Sent for review."),
        "return": _("Returned to its author as a draft."),
        "publish": _("Published."),
        "withdraw": _("Withdrawn: the item is a draft again."),
    }
    messages.success(request, done[action])
    if not policy.can_view_item(request.user, item):
        return redirect("knowledge:mine")
    return redirect("knowledge:item", item.slug)


# --- writing --------------------------------------------------------------------------------


def _type_from(request: HttpRequest) -> str:
    chosen = request.GET.get("type", "")
    return chosen if chosen in ItemType.values else ""


def item_create(request: HttpRequest) -> HttpResponse:
    """A new item; contributors and above. Without ``?type=`` the page asks for the type
    first (its fields depend on it)."""
    if not policy.can_create_item(request.user):
        return forbidden_or_login(request)
    item_type = _type_from(request)
    form = ItemForm(request.POST or None, item_type=item_type)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(data=form.to_input(), actor=request.user)
        except ServiceError as error:
            add_issues(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("knowledge:item", item.slug)
    context = {"form": form, "item": None, "types": ItemType.choices, "chosen": form.item_type}
    return render(request, "knowledge/item_form.html", context, status=400 if form.errors else 200)


def _editable(request: HttpRequest, slug: str) -> Item:
    item = _visible(request, slug)
    if not policy.can_edit_item(request.user, item):
        raise PermissionDenied(_("You may not edit this item in its present state."))
    return item


def _edit_page(
    request: HttpRequest,
    item: Item,
    form: ItemForm,
    upload: AttachmentForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "item": item,
        "types": ItemType.choices,
        "chosen": form.item_type,
        "upload": upload or AttachmentForm(),
        "attachments": _attachment_rows(item),
    }
    return render(request, "knowledge/item_form.html", context, status=status)


@login_required
def item_edit(request: HttpRequest, slug: str) -> HttpResponse:
    item = _editable(request, slug)
    initial = ItemForm.initial_of(services.item_input(item))
    form = ItemForm(
        request.POST or None, initial=initial, item_type=_type_from(request), with_note=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                item=item,
                data=form.to_input(),
                actor=request.user,
                note=form.cleaned_data.get("note", ""),
            )
        except ServiceError as error:
            if error.code == "forbidden":
                raise PermissionDenied(str(error)) from None
            add_issues(form, error)
        else:
            messages.success(request, _("The item is saved."))
            return redirect("knowledge:item", item.slug)
    return _edit_page(request, item, form, status=400 if form.errors else 200)


@require_GET
def item_details_fields(request: HttpRequest) -> HttpResponse:
    """The details fieldset of a type: what htmx swaps in when the type select changes."""
    if not policy.can_create_item(request.user):
        return forbidden_or_login(request)
    form = ItemForm(item_type=_type_from(request))
    return render(request, "knowledge/item_details_fields.html", {"form": form})


# --- attachments ----------------------------------------------------------------------------


@require_POST
@login_required
def attachment_add(request: HttpRequest, slug: str) -> HttpResponse:
    item = _editable(request, slug)
    upload = AttachmentForm(request.POST, request.FILES)
    if upload.is_valid():
        sent = upload.cleaned_data["file"]
        try:
            attachment = services.attachment_add(
                item=item, name=sent.name or "", content=sent.read(), actor=request.user
            )
        except ServiceError as error:
            if error.code == "forbidden":
                raise PermissionDenied(str(error)) from None
            add_issues(upload, error, aliases={"attachment": "file"})
        else:
            messages.success(request, _("“%(name)s” is attached.") % {"name": attachment.name})
            return redirect(reverse("knowledge:item-edit", args=[item.slug]) + "#attachments")
    initial = ItemForm.initial_of(services.item_input(item))
    form = ItemForm(initial=initial, with_note=True)
    return _edit_page(request, item, form, upload, status=400)


def _attachment_of(item: Item, pk: int) -> Attachment:
    attachment = next((a for a in item.attachments.all() if a.pk == pk), None)
    if attachment is None:
        raise Http404(_("No such file."))
    return attachment


@require_POST
@login_required
def attachment_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    item = _editable(request, slug)
    attachment = _attachment_of(item, pk)
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except ServiceError as error:
        if error.code == "forbidden":
            raise PermissionDenied(str(error)) from None
        messages.error(request, "; ".join(issue_message(i) for i in error.issues) or str(error))
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.name})
    return redirect(reverse("knowledge:item-edit", args=[item.slug]) + "#attachments")


def content_disposition(name: str) -> str:
    """``attachment`` with the name twice (RFC 6266): an ASCII fallback, and the exact name
    in UTF-8 (``filename*``).

    >>> content_disposition("Résumé 2013.pdf")
    'attachment; filename="Resume 2013.pdf"; filename*=UTF-8\\'\\'R%C3%A9sum%C3%A9%202013.pdf'
    """
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(c for c in ascii_name if c.isprintable() and c not in '"\\') or "file"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


@require_GET
def attachment_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """The file as uploaded, only for an item the reader may see; always a download, never
    rendered by the browser (``sandbox``, ``nosniff``)."""
    item = _visible(request, slug)
    attachment = _attachment_of(item, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing.")) from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    if item.status != ItemStatus.PUBLISHED:
        response["Cache-Control"] = "private, no-store"
    return response


# --- lists ------------------------------------------------------------------------------------


def review_queue(request: HttpRequest) -> HttpResponse:
    """Items waiting for review: for editors and administrators."""
    if not policy.can_review(request.user):
        return forbidden_or_login(request)
    return render(request, "knowledge/review.html", {"items": selectors.review_queue()})


@login_required
def my_items(request: HttpRequest) -> HttpResponse:
    """The signed-in account's items, by status."""
    assert isinstance(request.user, User)
    grouped = selectors.items_of(user=request.user)
    sections = [(status, label, grouped[status]) for status, label in ItemStatus.choices]
    context = {"sections": sections, "can_create": policy.can_create_item(request.user)}
    return render(request, "knowledge/mine.html", context)


urls: list[URLPattern] = [
    path("knowledge/review/", review_queue, name="review"),
    path("knowledge/mine/", my_items, name="mine"),
    path("knowledge/items/new/", item_create, name="item-create"),
    path("knowledge/items/new/details/", item_details_fields, name="item-details"),
    path("knowledge/items/<slug:slug>/", item_detail, name="item"),
    path("knowledge/items/<slug:slug>/edit/", item_edit, name="item-edit"),
    path("knowledge/items/<slug:slug>/step/", item_step, name="item-step"),
    path("knowledge/items/<slug:slug>/attachments/", attachment_add, name="attachment-add"),
    path(
        "knowledge/items/<slug:slug>/attachments/<int:pk>/",
        attachment_download,
        name="attachment",
    ),
    path(
        "knowledge/items/<slug:slug>/attachments/<int:pk>/remove/",
        attachment_remove,
        name="attachment-remove",
    ),
]
