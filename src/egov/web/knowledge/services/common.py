"""What the writes of items, workshops, projects and programmes share: the issues they report,
the refusals they raise, the slugs they give, and the audit entry of a change (the entity
before and after)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db.models import Model
from django.utils.text import slugify

from egov.errors import Issue, ServiceError
from egov.web.accounts.services import Actor, audit_record

M = TypeVar("M", bound=Model)


def issue(
    target: str,
    code: str,
    message: str,
    field: str,
    value: object = None,
    row: int | None = None,
) -> Issue:
    """A problem with ``field`` of a ``target`` ("item", "workshop", …), naming the value."""
    return Issue(code, message, target, row, field, None if value is None else str(value))


def unknown_choice(
    target: str, field: str, value: str, choices: Sequence[str], row: int | None = None
) -> Issue:
    """``value`` is not one of ``choices`` (a status, say)."""
    return issue(target, "unknown-status", f"one of {', '.join(choices)}", field, value, row)


def refusal(target: str, code: str, message: str) -> ServiceError:
    """The error of a write refused as a whole (no right, no such step)."""
    return ServiceError(code, message, [Issue(code, message, target)])


def raise_issues(code: str, issues: Sequence[Issue]) -> None:
    """Raise every problem found at once, unless there is none."""
    if issues:
        raise ServiceError(code, "; ".join(i.message for i in issues), list(issues))


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


@contextmanager
def audited(
    *,
    actor: Actor,
    action: str,
    target: M,
    snapshot: Callable[[M], Mapping[str, Any]],
    note: str = "",
) -> Iterator[None]:
    """One audit entry with ``target`` as ``snapshot`` gives it before and after the writes in
    the block (none when the block raises)."""
    before = snapshot(target)
    yield
    audit_record(
        actor=actor, action=action, target=target, before=before, after=snapshot(target), note=note
    )
