"""``{% load datacenter %}``: labels and country names in the reader's language, and number
formats the tables share."""

from __future__ import annotations

from typing import Any

from django import template

from .. import labels
from ..localize import country_name as _country_name

register = template.Library()


@register.filter
def country_name(row: Any) -> str:
    """``{{ row|country_name }}`` for anything with ``iso3`` and ``name``."""
    return _country_name(row.iso3, row.name)


@register.filter
def index_abbr(code: str) -> str:
    return labels.label(labels.INDEX_ABBREVIATIONS, code)


@register.filter
def index_name(code: str) -> str:
    return labels.label(labels.INDEX_NAMES, code)


@register.filter
def group_label(code: str | None) -> str:
    return labels.label(labels.GROUPS, code)


@register.filter
def region_label(name: str | None) -> str:
    return labels.label(labels.REGIONS, name)


@register.filter
def sub_region_label(name: str | None) -> str:
    return labels.label(labels.SUB_REGIONS, name)


@register.filter
def income_label(name: str | None) -> str:
    return labels.label(labels.INCOME_GROUPS, name)


@register.filter
def status_label(code: str | None) -> str:
    return labels.label(labels.STATUSES, code)


@register.filter
def score(value: float | None) -> str:
    """Four decimals, as the Survey publishes; an en dash for a missing value."""
    return "–" if value is None else f"{value:.4f}"


@register.filter
def signed(value: int | None) -> str:
    """A rank change: ``+3``, ``−2`` (minus sign), ``0``; an en dash when not comparable."""
    if value is None:
        return "–"
    if value > 0:
        return f"+{value}"
    return f"−{-value}" if value < 0 else "0"
