"""Writes of knowledge items: create, edit, the editorial steps, attachments.

Every entry point is one durable transaction that checks the actor's right first
(:mod:`..policy`), then every field of the input (all problems reported at once, each naming
its field), then writes: the item, its facet tags, a revision for its history, an audit entry
and the search index, together or not at all.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from egov.errors import Issue, ServiceError
from egov.web.accounts.services import account, audit_record
from egov.web.datacenter.models import Country
from egov.web.markdown import safe_filename
from egov.web.writes import issue, raise_issues, refusal

from .. import policy, search, taxonomy
from ..attachments import check_content
from ..models import (
    Attachment,
    Item,
    ItemRevision,
    ItemStatus,
    ItemTag,
    ItemType,
    Project,
    Workshop,
    WorkshopSession,
)
from .common import unique_slug

User = Account | AnonymousUser

#: The languages an item may be written in: the six of the UN, and any other.
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es", "other")
TITLE_MAX = 300
SUMMARY_MAX = 600
BODY_MAX = 200_000


@dataclass(frozen=True)
class ItemInput:
    """Everything an author writes about an item. Lists name things by code: countries by
    ISO3, themes by taxonomy code, METER tags by pillar or sub-theme id, stages by name,
    the workshop, project and related items by slug."""

    type: str
    title: str
    summary: str = ""
    body_md: str = ""
    countries: Sequence[str] = ()
    regions: Sequence[str] = ()
    themes: Sequence[str] = ()
    meter_tags: Sequence[str] = ()
    stage_tags: Sequence[str] = ()
    year: int | None = None
    language: str = "en"
    source_organisation: str = ""
    source_url: str = ""
    source_citation: str = ""
    licence: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    workshop: str | None = None
    session: int | None = None  # the session's order within the workshop
    project: str | None = None
    related: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class _Resolved:
    countries: list[Country]
    regions: list[str]
    workshop: Workshop | None
    session: WorkshopSession | None
    project: Project | None
    related: list[Item]
    details: dict[str, Any]


_issue = partial(issue, "item")


def _unstorable(text: str) -> bool:
    """NUL and lone surrogates: no database stores them (PostgreSQL refuses NUL)."""
    return "\x00" in text or any("\ud800" <= char <= "\udfff" for char in text)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def _check(data: ItemInput, *, slug: str | None = None) -> tuple[_Resolved, list[Issue]]:
    issues: list[Issue] = [
        _issue("invalid-character", "contains a character that cannot be stored", name)
        for name in ItemInput.__dataclass_fields__
        if any(_unstorable(text) for text in _strings(getattr(data, name)))
    ]
    if issues:
        return _Resolved([], [], None, None, None, [], {}), issues
    if data.type not in ItemType.values:
        issues.append(_issue("unknown-type", f"no item type {data.type!r}", "type", data.type))
    title = data.title.strip()
    if not title:
        issues.append(_issue("required", "an item needs a title", "title"))
    elif len(title) > TITLE_MAX:
        issues.append(_issue("too-long", f"{len(title)} characters; at most {TITLE_MAX}", "title"))
    if len(data.summary.strip()) > SUMMARY_MAX:
        issues.append(
            _issue(
                "too-long",
                f"{len(data.summary.strip())} characters; at most {SUMMARY_MAX}",
                "summary",
            )
        )
    if len(data.body_md) > BODY_MAX:
        issues.append(_issue("too-long", f"longer than {BODY_MAX} characters", "body_md"))
    if data.year is not None and not 1945 <= data.year <= timezone.now().year + 1:
        issues.append(_issue("out-of-range", "not a plausible year", "year", data.year))
    if data.language not in LANGUAGES:
        issues.append(
            _issue(
                "unknown-language",
                f"one of {', '.join(LANGUAGES)}",
                "language",
                data.language,
            )
        )
    if data.source_url and urlsplit(data.source_url).scheme not in {"http", "https"}:
        issues.append(
            _issue("invalid-url", "an http or https address", "source_url", data.source_url)
        )

    iso3 = [code.strip().upper() for code in data.countries if code.strip()]
    countries = {c.iso3: c for c in Country.objects.filter(iso3__in=iso3)}
    issues += [
        _issue("unknown-country", f"no Member State {code}", "countries", code)
        for code in iso3
        if code not in countries
    ]
    known_regions = set(Country.objects.values_list("region", flat=True))
    issues += [
        _issue("unknown-region", f"no region {region!r}", "regions", region)
        for region in data.regions
        if region not in known_regions
    ]
    issues += [
        _issue("unknown-theme", f"no theme {code!r} in the taxonomy", "themes", code)
        for code in data.themes
        if not taxonomy.is_theme(code)
    ]
    version = taxonomy.meter_version()
    issues += [
        _issue(
            "unknown-meter-tag",
            f"no pillar or sub-theme {code!r} in METER framework {version}",
            "meter_tags",
            code,
        )
        for code in data.meter_tags
        if not taxonomy.is_meter_tag(code)
    ]
    issues += [
        _issue("unknown-stage", f"one of {', '.join(taxonomy.STAGES)}", "stage_tags", code)
        for code in data.stage_tags
        if code not in taxonomy.STAGES
    ]
    details: dict[str, Any] = {}
    if data.type in ItemType.values:
        details, detail_issues = taxonomy.check_details(data.type, data.details)
        issues += [
            _issue(code, message, f"details.{name}") for name, code, message in detail_issues
        ]

    workshop = session = project = None
    if data.workshop:
        workshop = Workshop.objects.filter(slug=data.workshop).first()
        if workshop is None:
            issues.append(_issue("unknown-workshop", "no such workshop", "workshop", data.workshop))
        elif data.session is not None:
            session = workshop.sessions.filter(order=data.session).first()
            if session is None:
                issues.append(_issue("unknown-session", "no such session", "session", data.session))
    elif data.type == ItemType.WORKSHOP_OUTPUT:
        issues.append(_issue("required", "a workshop output names its workshop", "workshop"))
    if data.project:
        project = Project.objects.filter(slug=data.project).first()
        if project is None:
            issues.append(_issue("unknown-project", "no such project", "project", data.project))
    related = list(Item.objects.filter(slug__in=data.related).exclude(slug=slug or ""))
    found = {item.slug for item in related}
    issues += [
        _issue("unknown-item", "no such item", "related", name)
        for name in data.related
        if name not in found and name != slug
    ]
    resolved = _Resolved(
        countries=[countries[c] for c in iso3 if c in countries],
        regions=list(dict.fromkeys(data.regions)),
        workshop=workshop,
        session=session,
        project=project,
        related=related,
        details=details,
    )
    return resolved, issues


def _tags_set(item: Item, data: ItemInput, resolved: _Resolved) -> None:
    rows: dict[tuple[str, str], None] = {}
    for country in resolved.countries:
        rows[(ItemTag.Kind.COUNTRY, country.iso3)] = None
        rows[(ItemTag.Kind.REGION, country.region)] = None
        rows[(ItemTag.Kind.SUB_REGION, country.sub_region)] = None
    for region in resolved.regions:
        rows[(ItemTag.Kind.REGION, region)] = None
    for kind, codes in (
        (ItemTag.Kind.THEME, data.themes),
        (ItemTag.Kind.METER, data.meter_tags),
        (ItemTag.Kind.STAGE, data.stage_tags),
    ):
        for code in codes:
            rows[(kind, code)] = None
    item.tags.all().delete()
    ItemTag.objects.bulk_create(ItemTag(item=item, kind=kind, code=code) for kind, code in rows)


def snapshot(item: Item) -> dict[str, Any]:
    """The item as its history and the audit trail keep it."""
    tags: dict[str, list[str]] = {}
    for tag in item.tags.all():
        tags.setdefault(tag.kind, []).append(tag.code)
    return {
        "slug": item.slug,
        "type": item.type,
        "status": item.status,
        "title": item.title,
        "summary": item.summary,
        "body_md": item.body_md,
        "countries": sorted(tags.get(ItemTag.Kind.COUNTRY, [])),
        "regions": sorted(tags.get(ItemTag.Kind.REGION, [])),
        "themes": sorted(tags.get(ItemTag.Kind.THEME, [])),
        "meter_tags": sorted(tags.get(ItemTag.Kind.METER, [])),
        "stage_tags": sorted(tags.get(ItemTag.Kind.STAGE, [])),
        "year": item.year,
        "language": item.language,
        "source_organisation": item.source_organisation,
        "source_url": item.source_url,
        "source_citation": item.source_citation,
        "licence": item.licence,
        "details": item.details,
        "workshop": item.workshop.slug if item.workshop else None,
        "session": item.session.order if item.session else None,
        "project": item.project.slug if item.project else None,
        "related": sorted(item.related.values_list("slug", flat=True)),
        "attachments": [
            {"name": a.name, "kind": a.kind, "size": a.size, "sha256": a.sha256}
            for a in item.attachments.all()
        ],
    }


def _history(
    item: Item, action: str, actor: User | None, before: dict[str, Any] | None, note: str = ""
) -> None:
    after = snapshot(item)
    number = (item.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    user = account(actor)
    ItemRevision.objects.create(
        item=item,
        number=number,
        action=action,
        status=item.status,
        snapshot=after,
        note=note,
        actor=user,
        at=timezone.now(),
    )
    audit_record(
        actor=actor, action=f"item.{action}", target=item, before=before, after=after, note=note
    )
    search.index_item(item)


_refuse = partial(refusal, "item")


def _apply(item: Item, data: ItemInput, resolved: _Resolved) -> None:
    item.type = data.type
    item.title = data.title.strip()
    item.summary = data.summary.strip()
    item.body_md = data.body_md
    item.year = data.year
    item.language = data.language
    item.source_organisation = data.source_organisation.strip()
    item.source_url = data.source_url.strip()
    item.source_citation = data.source_citation.strip()
    item.licence = data.licence.strip()
    item.details = resolved.details
    item.workshop = resolved.workshop
    item.session = resolved.session
    item.project = resolved.project


def _validated(data: ItemInput, slug: str | None = None) -> _Resolved:
    resolved, issues = _check(data, slug=slug)
    raise_issues("invalid-item", issues)
    return resolved


@transaction.atomic(durable=True)
def item_create(*, data: ItemInput, actor: User, seed_key: str | None = None) -> Item:
    """A new draft written by ``actor`` (a contributor or above)."""
    if not policy.can_create_item(actor):
        raise _refuse("forbidden", "only contributors, editors and administrators write items")
    return _item_create(data=data, actor=actor, seed_key=seed_key)


def item_draft_within(*, data: ItemInput, actor: User) -> Item:
    """A new draft, written inside the caller's transaction: for another service whose own
    write and the item must stand or fall together (METER's lesson promotion). The caller
    checks the actor's right to create items."""
    if not policy.can_create_item(actor):
        raise _refuse("forbidden", "only contributors, editors and administrators write items")
    return _item_create(data=data, actor=actor)


def _item_create(*, data: ItemInput, actor: User | None, seed_key: str | None = None) -> Item:
    resolved = _validated(data)
    now = timezone.now()
    user = account(actor)
    item = Item(
        # "new" would be taken by /knowledge/items/new/, the create page: it becomes new-item
        slug=unique_slug(Item, data.title, fallback="item", reserved=("new",)),
        status=ItemStatus.DRAFT,
        seed_key=seed_key,
        created_by=user,
        created_at=now,
        updated_by=user,
        updated_at=now,
    )
    _apply(item, data, resolved)
    item.save()
    _tags_set(item, data, resolved)
    item.related.set(resolved.related)
    _history(item, ItemRevision.Action.CREATED, actor, None)
    return item


@transaction.atomic(durable=True)
def item_update(*, item: Item, data: ItemInput, actor: User, note: str = "") -> Item:
    """Replace what an author writes about ``item``; its status does not change."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if not policy.can_edit_item(actor, item):
        raise _refuse("forbidden", "you may not edit this item in its present state")
    return _item_update(item=item, data=data, actor=actor, note=note)


def _item_update(*, item: Item, data: ItemInput, actor: User | None, note: str = "") -> Item:
    resolved = _validated(data, slug=item.slug)
    before = snapshot(item)
    _apply(item, data, resolved)
    item.updated_by = account(actor)
    item.updated_at = timezone.now()
    item.save()
    _tags_set(item, data, resolved)
    item.related.set(resolved.related)
    if snapshot(item) != before:
        _history(item, ItemRevision.Action.EDITED, actor, before, note)
    return item


def _publishable(item: Item) -> list[Issue]:
    issues = []
    if not item.summary:
        issues.append(_issue("required", "a published item needs a summary", "summary"))
    if item.type == ItemType.PRESENTATION and not (item.body_md or item.attachments.exists()):
        issues.append(
            _issue(
                "required",
                "a presentation is published with its file or its text",
                "attachments",
            )
        )
    return issues


#: action → (policy check, status it moves to, revision action, whether a note is required)
_STEPS = {
    "submit": (policy.can_submit_item, ItemStatus.IN_REVIEW, ItemRevision.Action.SUBMITTED, False),
    "return": (policy.can_return_item, ItemStatus.DRAFT, ItemRevision.Action.RETURNED, True),
    "publish": (
        policy.can_publish_item,
        ItemStatus.PUBLISHED,
        ItemRevision.Action.PUBLISHED,
        False,
    ),
    "withdraw": (policy.can_withdraw_item, ItemStatus.DRAFT, ItemRevision.Action.WITHDRAWN, True),
}
TRANSITIONS = tuple(_STEPS)


@transaction.atomic(durable=True)
def item_transition(*, item: Item, action: str, actor: User, note: str = "") -> Item:
    """One editorial step: ``submit`` (draft → in review), ``return`` (in review → draft,
    with a note), ``publish`` (in review → published), ``withdraw`` (published → draft, with
    a note)."""
    if action not in _STEPS:
        raise _refuse("unknown-action", f"no editorial step {action!r}: {', '.join(_STEPS)}")
    item = Item.objects.select_for_update().get(pk=item.pk)
    allowed, status, revision, needs_note = _STEPS[action]
    if not allowed(actor, item):
        raise _refuse(
            "forbidden", f"you may not {action} this item while it is {item.get_status_display()}"
        )
    issues = []
    if needs_note and not note.strip():
        issues.append(_issue("required", f"say why you {action} the item", "note"))
    if action == "publish":
        issues += _publishable(item)
    if issues:
        raise ServiceError("invalid-step", "; ".join(i.message for i in issues), issues)
    before = snapshot(item)
    item.status = status
    item.updated_by = account(actor)
    item.updated_at = timezone.now()
    if status == ItemStatus.PUBLISHED:
        item.published_at = item.updated_at
    item.save()
    _history(item, revision, actor, before, note.strip())
    return item


@transaction.atomic(durable=True)
def attachment_add(*, item: Item, name: str, content: bytes, actor: User) -> Attachment:
    """Attach a PDF or office file; refused when its content is not what its name says."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if not policy.can_edit_item(actor, item):
        raise _refuse("forbidden", "you may not attach files to this item in its present state")
    shown = safe_filename(name)
    kind, problems = check_content(shown, content)
    if problems or kind is None:
        issues = [
            Issue("invalid-attachment", p, "item", None, "attachment", shown) for p in problems
        ]
        raise ServiceError("invalid-attachment", "; ".join(problems), issues)
    before = snapshot(item)
    attachment = Attachment(
        item=item,
        name=shown,
        kind=kind.extension,
        content_type=kind.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=account(actor),
        uploaded_at=timezone.now(),
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{kind.extension}", ContentFile(content), save=False)
    try:
        attachment.save()
        _history(item, ItemRevision.Action.ATTACHED, actor, before, shown)
    except BaseException:
        attachment.file.storage.delete(attachment.file.name or "")  # nothing written is kept
        raise
    return attachment


@transaction.atomic(durable=True)
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    item = Item.objects.select_for_update().get(pk=attachment.item_id)
    if not policy.can_edit_item(actor, item):
        raise _refuse("forbidden", "you may not remove files of this item in its present state")
    before = snapshot(item)
    stored, shown = attachment.file.name or "", attachment.name
    attachment.delete()
    # The file goes only once the removal is committed: a rollback keeps both.
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))
    _history(item, ItemRevision.Action.DETACHED, actor, before, shown)


def item_input(item: Item) -> ItemInput:
    """What an author would write to get ``item`` as it stands (to prefill a form)."""
    snap = snapshot(item)
    fields = set(ItemInput.__dataclass_fields__)
    values = {key: value for key, value in snap.items() if key in fields}
    # Regions the countries bring are derived again on save; keep only those chosen alone.
    derived = set(
        Country.objects.filter(iso3__in=snap["countries"]).values_list("region", flat=True)
    )
    values["regions"] = [region for region in snap["regions"] if region not in derived]
    return ItemInput(**values)


__all__ = [
    "LANGUAGES",
    "TRANSITIONS",
    "ItemInput",
    "attachment_add",
    "attachment_remove",
    "item_create",
    "item_input",
    "item_transition",
    "item_update",
    "snapshot",
]
