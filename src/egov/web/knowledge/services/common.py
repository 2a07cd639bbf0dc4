"""What the writes of items, workshops, projects and programmes share beyond
:mod:`egov.web.writes`: list lines cleaned, and the slugs they give."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from django.db.models import Model
from django.utils.text import slugify


def stripped(values: Sequence[str]) -> tuple[str, ...]:
    """The entries of a list, stripped, the empty ones dropped."""
    return tuple(value.strip() for value in values if value.strip())


def unique_slug(
    model: type[Model], text: str, *, fallback: str, reserved: Collection[str] = ()
) -> str:
    """A slug of ``text`` no ``model`` row has yet (``-2``, ``-3``, … appended); ``fallback``
    when ``text`` gives none, and after a ``reserved`` slug (a page's name)."""
    base = slugify(text)[:100].strip("-") or fallback
    if base in reserved:
        base = f"{base}-{fallback}"
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
