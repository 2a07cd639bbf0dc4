"""Reads of knowledge items for the pages: one item with what its page shows, the review
queue, an author's items, and the choices of the item form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from egov.web.datacenter.localize import country_name
from egov.web.datacenter.models import Country

from .. import policy
from ..models import Item, ItemRevision, ItemStatus, ItemTag

Reader = User | AnonymousUser


def item_for_page(*, slug: str) -> Item | None:
    """The item named ``slug`` with its tags, files, workshop and project, or None."""
    return (
        Item.objects.select_related(
            "workshop", "session", "project", "project__country", "created_by", "updated_by"
        )
        .prefetch_related("tags", "attachments")
        .filter(slug=slug)
        .first()
    )


@dataclass(frozen=True, slots=True)
class ItemTags:
    """An item's facet values by kind, in code order; countries as Country rows."""

    countries: list[Country] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    sub_regions: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    meter: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)


def item_tags(*, item: Item) -> ItemTags:
    """The facet tags of ``item`` (prefetched ``tags`` are used when present)."""
    by_kind: dict[str, list[str]] = {}
    for tag in item.tags.all():
        by_kind.setdefault(tag.kind, []).append(tag.code)
    iso3 = by_kind.get(ItemTag.Kind.COUNTRY, [])
    countries = sorted(
        Country.objects.filter(iso3__in=iso3), key=lambda c: country_name(c.iso3, c.name)
    )
    return ItemTags(
        countries=countries,
        regions=sorted(by_kind.get(ItemTag.Kind.REGION, [])),
        sub_regions=sorted(by_kind.get(ItemTag.Kind.SUB_REGION, [])),
        themes=sorted(by_kind.get(ItemTag.Kind.THEME, [])),
        meter=sorted(by_kind.get(ItemTag.Kind.METER, [])),
        stages=sorted(by_kind.get(ItemTag.Kind.STAGE, [])),
    )


def visible_items(*, user: Reader) -> QuerySet[Item]:
    """The items ``user`` may open: published ones, their own, and every item for a
    reviewer (the same rule as :func:`..policy.can_view_item`, as a query)."""
    if policy.can_review(user):
        return Item.objects.all()
    if user.is_authenticated and user.is_active:
        return Item.objects.filter(Q(status=ItemStatus.PUBLISHED) | Q(created_by=user.pk))
    return Item.objects.filter(status=ItemStatus.PUBLISHED)


def related_items(*, item: Item, user: Reader) -> list[Item]:
    """The items related to ``item`` that ``user`` may open, by title."""
    return list(visible_items(user=user).filter(pk__in=item.related.values("pk")).order_by("title"))


def item_history(*, item: Item) -> QuerySet[ItemRevision]:
    """The editorial history of ``item``, oldest first."""
    return item.revisions.select_related("actor").order_by("number")


def review_queue() -> QuerySet[Item]:
    """Items waiting for an editor, the longest waiting first."""
    return (
        Item.objects.filter(status=ItemStatus.IN_REVIEW)
        .select_related("created_by", "updated_by")
        .order_by("updated_at", "pk")
    )


def items_of(*, user: User) -> Mapping[str, list[Item]]:
    """The items ``user`` created, by status (draft, in review, published), newest first."""
    grouped: dict[str, list[Item]] = {status: [] for status in ItemStatus.values}
    for item in Item.objects.filter(created_by=user).order_by("-updated_at", "-pk"):
        grouped[item.status].append(item)
    return grouped


def country_choices() -> list[tuple[str, str]]:
    """(ISO3, name in the reader's language) of every Member State, by name."""
    rows = [(c.iso3, country_name(c.iso3, c.name)) for c in Country.objects.all()]
    return sorted(rows, key=lambda row: row[1])


def region_choices() -> list[str]:
    """The regions of the Member States."""
    return sorted(set(Country.objects.values_list("region", flat=True)))
