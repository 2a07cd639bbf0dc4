"""What every app's services share: the issues a write reports, the refusal of a write as a
whole, and the audit entry of a change with the object before and after (STYLE §6-§8)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db.models import Model

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
    """A problem with ``field`` of a ``target`` ("item", "answer", …), naming the value."""
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
