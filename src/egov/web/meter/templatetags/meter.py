"""``{% load meter %}``: how METER pages write scores, shares and answers."""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@register.filter
def points(value: float | None) -> str:
    """A score of 0–100 rounded to one decimal, in the reader's number format; an en dash
    when there is none."""
    if value is None or _missing(value):
        return "–"
    return str(floatformat(float(value), 1))


@register.filter
def signed_points(value: float | None) -> str:
    """A difference of scores with its sign: ``+12.5``, ``−3.0`` (minus sign)."""
    if value is None or _missing(value):
        return "–"
    number = round(float(value), 1)
    text = str(floatformat(abs(number), 1))
    return f"+{text}" if number > 0 else (f"−{text}" if number < 0 else text)


@register.filter
def percent(share: float | None) -> str:
    """A share of 0–1 as a whole percentage: ``0.625`` → ``62%`` (half to even)."""
    if share is None or _missing(share):
        return "–"
    return f"{round(100 * float(share))}%"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``{{ mapping|get:key }}``: a dictionary's value, None when it has no such key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def scope_label(report: Any, scope: str | None) -> str:
    """``{{ report|scope_label:scope }}``: a stakeholder group's name, or "All groups"."""
    return "–" if scope is None else str(report.scope_label(scope))
