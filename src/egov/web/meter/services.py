"""Writes of METER: assessments, their respondents, and the respondents' answers.

Every entry point is one durable transaction: the actor's right first (:mod:`.policy`), then
every field (all problems at once, each naming its field and, for a list of answers, its line),
then the writes and their audit entries, with the object before and after.

Answers arrive from many respondents at once (spec: "many respondents answering at once lose
nothing"). Each write locks its respondent's row (PostgreSQL; SQLite takes the database's write
lock at ``BEGIN IMMEDIATE``), so two saves of the same respondent queue rather than race, and
each answer keeps a ``revision`` that grows by one at each change. On SQLite, a write that still
finds the database locked after the busy timeout is tried again (:func:`_retrying`).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, Final, ParamSpec, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from egov.errors import EgovError, Issue, ServiceError
from egov.frameworks import load_meter
from egov.frameworks.meter_schema import MeterFramework
from egov.web.accounts.services import audit_record
from egov.web.datacenter.models import Country
from egov.web.knowledge import policy as knowledge_policy
from egov.web.knowledge.models import Item
from egov.web.knowledge.services import items as item_services
from egov.web.writes import audited, issue, raise_issues, refusal

from . import policy
from .models import SUB_GROUPS, Answer, Assessment, Respondent, StakeholderGroup

User = Account | AnonymousUser
P = ParamSpec("P")
R = TypeVar("R")

TITLE_MAX: Final = 300
NAME_MAX: Final = 200
ORGANISATION_MAX: Final = 300
COMMENT_MAX: Final = 4000
EVIDENCE_MAX: Final = 500
#: Bytes of randomness in a respondent's link key (32 URL-safe characters).
KEY_BYTES: Final = 24

State = Assessment.State
#: The states an assessment may move to from each state.
TRANSITIONS: Final = {
    State.DRAFT: (State.OPEN,),
    State.OPEN: (State.CLOSED,),
    State.CLOSED: (State.OPEN, State.PUBLISHED),
    State.PUBLISHED: (State.CLOSED,),
}
_RETRIES: Final = 3
_SCORING_FIELDS: Final = ("include_experimental", "target")


def _retrying(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` (a durable transaction) again when SQLite reports the database locked
    after its busy timeout, up to :data:`_RETRIES` times; any other error passes through."""

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(_RETRIES):
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                locked = connection.vendor == "sqlite" and "locked" in str(error)
                if not locked or attempt == _RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    return run


def _snapshot(assessment: Assessment) -> dict[str, Any]:
    return {
        "country": assessment.country.iso3,
        "title": assessment.title,
        "framework": assessment.framework_id,
        "state": assessment.state,
        "include_experimental": assessment.include_experimental,
        "target": assessment.target,
        "listed": assessment.listed,
        "notes": assessment.notes,
    }


def _respondent_snapshot(respondent: Respondent) -> dict[str, Any]:
    return {
        "assessment": respondent.assessment_id,
        "name": respondent.name,
        "email": respondent.email,
        "organisation": respondent.organisation,
        "group": respondent.group,
        "sub_group": respondent.sub_group,
        "key_prefix": respondent.key_prefix,
    }


def _answer_snapshot(answer: Answer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {
        "statement": answer.statement,
        "value": answer.value,
        "comment": answer.comment,
        "evidence_url": answer.evidence_url,
        "lesson": answer.lesson,
        "revision": answer.revision,
    }


def _text_issues(target: str, values: dict[str, tuple[str, int, bool]]) -> list[Issue]:
    """``field → (value, max length, required)``: too long, empty when required, NUL."""
    found = []
    for field, (value, limit, required) in values.items():
        if required and not value.strip():
            found.append(issue(target, "required", "is required", field))
        elif len(value) > limit:
            found.append(
                issue(target, "too-long", f"at most {limit} characters", field, len(value))
            )
        if "\x00" in value:
            found.append(issue(target, "bad-character", "contains a NUL character", field))
    return found


def _target_issues(target: float | None) -> list[Issue]:
    if target is not None and not 0 <= target <= 100:
        return [issue("assessment", "out-of-range", "between 0 and 100", "target", target)]
    return []


# --- assessments ----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def assessment_create(
    *,
    actor: User,
    iso3: str,
    title: str,
    include_experimental: bool = False,
    target: float | None = None,
    listed: bool = False,
    notes: str = "",
    framework_id: str | None = None,
) -> Assessment:
    """Open a draft assessment of the country ``iso3`` with ``actor`` as its focal point, under
    the framework version ``framework_id`` (the latest when None)."""
    if not policy.can_create_assessment(actor):
        raise refusal("assessment", "forbidden", "only contributors and above open assessments")
    assert isinstance(actor, Account)
    issues = _text_issues(
        "assessment", {"title": (title, TITLE_MAX, True), "notes": (notes, 20_000, False)}
    )
    issues += _target_issues(target)
    country = Country.objects.filter(iso3=iso3.strip().upper()).first()
    if country is None:
        issues.append(issue("assessment", "unknown-country", "no such country", "country", iso3))
    framework: MeterFramework | None = None
    try:
        framework = load_meter(framework_id)
    except (EgovError, KeyError) as error:
        issues.append(
            issue("assessment", "unknown-framework", str(error), "framework", framework_id)
        )
    raise_issues("invalid-assessment", issues)
    assert country is not None
    assert framework is not None
    now = timezone.now()
    assessment = Assessment.objects.create(
        country=country,
        title=title.strip(),
        framework_id=framework.id,
        framework_sha256=framework.sha256,
        focal_point=actor,
        include_experimental=include_experimental,
        target=target,
        listed=listed,
        notes=notes,
        created_at=now,
        updated_at=now,
    )
    audit_record(
        actor=actor,
        action="meter.assessment.create",
        target=assessment,
        after=_snapshot(assessment),
    )
    return assessment


_UNSET: Final = object()


@transaction.atomic(durable=True)
def assessment_update(
    *,
    actor: User,
    assessment: Assessment,
    title: str | None = None,
    include_experimental: bool | None = None,
    target: float | object | None = _UNSET,
    listed: bool | None = None,
    notes: str | None = None,
) -> Assessment:
    """Change the settings of an assessment; ``None`` (``target``: leave it out) keeps a value.
    The scoring settings of a published assessment are fixed (its scores are public)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not policy.can_manage(actor, assessment):
        raise refusal("assessment", "forbidden", "only its focal point or an editor may")
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = title.strip()
    if include_experimental is not None:
        changes["include_experimental"] = include_experimental
    if target is not _UNSET:
        changes["target"] = target
    if listed is not None:
        changes["listed"] = listed
    if notes is not None:
        changes["notes"] = notes
    issues = _text_issues(
        "assessment",
        {
            key: (value, TITLE_MAX if key == "title" else 20_000, key == "title")
            for key, value in changes.items()
            if key in ("title", "notes")
        },
    )
    if "target" in changes:
        value = changes["target"]
        if value is not None and not isinstance(value, int | float):
            issues.append(issue("assessment", "not-a-number", "a number", "target", value))
        else:
            issues += _target_issues(value)
    if assessment.is_published:
        for field in _SCORING_FIELDS:
            if field in changes and changes[field] != getattr(assessment, field):
                issues.append(
                    issue(
                        "assessment",
                        "published",
                        "fixed once published: unpublish the assessment to change it",
                        field,
                        changes[field],
                    )
                )
    raise_issues("invalid-assessment", issues)
    with audited(
        actor=actor, action="meter.assessment.update", target=assessment, snapshot=_snapshot
    ):
        for field, value in changes.items():
            setattr(assessment, field, value)
        assessment.updated_at = timezone.now()
        assessment.save()
    return assessment


@transaction.atomic(durable=True)
def assessment_transition(*, actor: User, assessment: Assessment, to: str) -> Assessment:
    """Move an assessment to the state ``to`` (:data:`TRANSITIONS`). Opening needs a
    respondent; publishing needs an answer, and keeps the combined scores for the
    distribution of published assessments."""
    assessment = (
        Assessment.objects.select_for_update().select_related("country").get(pk=assessment.pk)
    )
    if not policy.can_manage(actor, assessment):
        raise refusal("assessment", "forbidden", "only its focal point or an editor may")
    allowed = TRANSITIONS[State(assessment.state)]
    if to not in State.values or to not in allowed:
        names = ", ".join(allowed)
        raise ServiceError(
            "bad-transition",
            f"a {assessment.state} assessment moves only to {names}",
            [issue("assessment", "bad-transition", f"one of {names}", "state", to)],
        )
    if to == State.OPEN and not assessment.respondents.exists():
        raise refusal("assessment", "no-respondents", "invite at least one respondent first")
    now = timezone.now()
    if (
        to == State.PUBLISHED
        and not Answer.objects.filter(respondent__assessment=assessment).exists()
    ):
        raise refusal("assessment", "no-answers", "nothing to publish: no answer yet")
    with audited(
        actor=actor, action=f"meter.assessment.{to}", target=assessment, snapshot=_snapshot
    ):
        if to == State.PUBLISHED:
            # The selectors read the framework through this module: imported here, not above.
            from .selectors import assessment_readiness, published_summary

            assessment.published_scores = published_summary(assessment_readiness(assessment))
            assessment.published_at = now
        elif assessment.state == State.PUBLISHED:
            assessment.published_scores = None
            assessment.published_at = None
        if to == State.OPEN:
            assessment.opened_at = assessment.opened_at or now
        if to == State.CLOSED and assessment.state == State.OPEN:
            assessment.closed_at = now
        assessment.state = to
        assessment.updated_at = now
        assessment.save()
    return assessment


# --- respondents ----------------------------------------------------------------------------


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> tuple[str, str, str]:
    """``(key, prefix, digest)`` of a new respondent link key."""
    key = secrets.token_urlsafe(KEY_BYTES)
    return key, key[:8], key_digest(key)


@dataclass(frozen=True, slots=True)
class Invitation:
    """A respondent and the key of their link, shown once: only its hash is stored."""

    respondent: Respondent
    key: str


@transaction.atomic(durable=True)
def respondent_invite(
    *,
    actor: User,
    assessment: Assessment,
    name: str,
    group: str,
    sub_group: str = "",
    email: str = "",
    organisation: str = "",
) -> Invitation:
    """Invite a respondent of a stakeholder ``group`` (and ``sub_group``, spec §4) to a draft or
    open assessment."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not policy.can_manage(actor, assessment):
        raise refusal("respondent", "forbidden", "only its focal point or an editor may")
    if assessment.state not in (State.DRAFT, State.OPEN):
        raise refusal("respondent", "closed", f"a {assessment.state} assessment takes no one new")
    issues = _text_issues(
        "respondent",
        {
            "name": (name, NAME_MAX, True),
            "organisation": (organisation, ORGANISATION_MAX, False),
        },
    )
    if group not in StakeholderGroup.values:
        issues.append(
            issue(
                "respondent",
                "unknown-group",
                f"one of {', '.join(StakeholderGroup.values)}",
                "group",
                group,
            )
        )
    elif sub_group and sub_group not in dict(SUB_GROUPS[StakeholderGroup(group)]):
        known = ", ".join(code for code, _label in SUB_GROUPS[StakeholderGroup(group)])
        issues.append(
            issue("respondent", "unknown-sub-group", f"one of {known}", "sub_group", sub_group)
        )
    if email.strip():
        try:
            validate_email(email.strip())
        except ValidationError:
            issues.append(issue("respondent", "bad-email", "not an e-mail address", "email", email))
    raise_issues("invalid-respondent", issues)
    key, prefix, digest = _new_key()
    respondent = Respondent.objects.create(
        assessment=assessment,
        name=name.strip(),
        email=email.strip(),
        organisation=organisation.strip(),
        group=group,
        sub_group=sub_group,
        key_prefix=prefix,
        key_digest=digest,
        invited_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="meter.respondent.invite",
        target=respondent,
        after=_respondent_snapshot(respondent),
    )
    return Invitation(respondent, key)


@transaction.atomic(durable=True)
def respondent_rekey(*, actor: User, respondent: Respondent) -> Invitation:
    """A new link for a respondent; the old one stops working."""
    respondent = Respondent.objects.select_for_update().get(pk=respondent.pk)
    if not policy.can_manage(actor, respondent.assessment):
        raise refusal("respondent", "forbidden", "only its focal point or an editor may")
    with audited(
        actor=actor,
        action="meter.respondent.rekey",
        target=respondent,
        snapshot=_respondent_snapshot,
    ):
        key, respondent.key_prefix, respondent.key_digest = _new_key()
        respondent.save(update_fields=["key_prefix", "key_digest"])
    return Invitation(respondent, key)


@transaction.atomic(durable=True)
def respondent_remove(*, actor: User, respondent: Respondent) -> None:
    """Remove a respondent who has not answered yet (answers are never thrown away)."""
    respondent = Respondent.objects.select_for_update().get(pk=respondent.pk)
    if not policy.can_manage(actor, respondent.assessment):
        raise refusal("respondent", "forbidden", "only its focal point or an editor may")
    if respondent.answers.exists():
        raise refusal("respondent", "has-answers", "has answered: their answers are kept")
    before = _respondent_snapshot(respondent)
    audit_record(actor=actor, action="meter.respondent.remove", target=respondent, before=before)
    respondent.delete()


# --- answers --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnswerInput:
    """One answer as a respondent gives it: ``value`` is "0" … "4", an extra answer of the
    scale ("DK", "NA"), or "" to take an answer back."""

    statement: str
    value: str
    comment: str = ""
    evidence_url: str = ""
    lesson: bool = False


def framework_of(assessment: Assessment) -> MeterFramework:
    """The framework version the assessment was opened under, checked against its SHA-256."""
    framework = load_meter(assessment.framework_id)
    if framework.sha256 != assessment.framework_sha256:
        raise ServiceError(
            "framework-changed",
            f"the packaged {assessment.framework_id} is not the file this assessment was opened"
            " under (its SHA-256 differs); a published framework version must never be edited",
        )
    return framework


def _answer_issues(framework: MeterFramework, answers: Sequence[AnswerInput]) -> list[Issue]:
    values = {str(v) for v in framework.scale.values} | set(framework.scale.extra)
    needs_comment = set(framework.scoring.comment_required)
    url = URLValidator(schemes=["http", "https"])
    found: list[Issue] = []
    seen: set[str] = set()
    for row, answer in enumerate(answers, start=1):

        def bad(code: str, message: str, field: str, value: object = None) -> None:
            found.append(issue("answer", code, message, field, value, row))  # noqa: B023

        try:
            framework.statement(answer.statement)
        except KeyError:
            bad(
                "unknown-statement",
                f"no such statement in {framework.id}",
                "statement",
                answer.statement,
            )
        if answer.statement in seen:
            bad("duplicate-statement", "answered twice in one save", "statement", answer.statement)
        seen.add(answer.statement)
        if answer.value and answer.value not in values:
            bad("unknown-answer", f"one of {', '.join(sorted(values))}", "value", answer.value)
        if answer.value in needs_comment and not answer.comment.strip():
            bad("comment-required", f"a comment is needed with {answer.value}", "comment")
        if len(answer.comment) > COMMENT_MAX:
            bad("too-long", f"at most {COMMENT_MAX} characters", "comment", len(answer.comment))
        if "\x00" in answer.comment:
            bad("bad-character", "contains a NUL character", "comment")
        if answer.evidence_url.strip():
            link = answer.evidence_url.strip()
            try:
                if len(link) > EVIDENCE_MAX:
                    raise ValidationError("too long")
                url(link)
            except ValidationError:
                bad("bad-url", "an http or https address", "evidence_url", link[:100])
        if answer.lesson and not answer.comment.strip():
            bad("comment-required", "a lesson needs a comment", "comment")
        if not answer.value and (answer.comment.strip() or answer.evidence_url.strip()):
            bad(
                "answer-required",
                "an answer is needed to keep a comment or link: choose one (Don't know will do)"
                " or empty them",
                "value",
            )
    return found


@_retrying
@transaction.atomic(durable=True)
def answers_save(
    *, respondent: Respondent, answers: Sequence[AnswerInput], actor: User | None = None
) -> list[Answer]:
    """Save a respondent's answers (one or a page of them) while the assessment is open. An
    answer equal to the stored one changes nothing, not even the respondent's time of last
    answer; a changed one gets the next revision; an empty value takes the answer back. Every
    change is one audit entry with before and after. Returns the answers as stored (those taken
    back left out)."""
    respondent = (
        Respondent.objects.select_for_update().select_related("assessment").get(pk=respondent.pk)
    )
    if not policy.can_answer(respondent):
        raise refusal(
            "answer", "not-open", f"the assessment is {respondent.assessment.state}: not open"
        )
    framework = framework_of(respondent.assessment)
    raise_issues("invalid-answer", _answer_issues(framework, answers))
    stored = {
        answer.statement: answer
        for answer in respondent.answers.filter(statement__in=[a.statement for a in answers])
    }
    now = timezone.now()
    note = f"respondent #{respondent.pk} {respondent.name} ({respondent.group})"
    saved: list[Answer] = []
    changed = False
    for given in answers:
        current = stored.get(given.statement)
        before = _answer_snapshot(current)
        if not given.value:
            if current is not None:
                audit_record(
                    actor=actor,
                    action="meter.answer.clear",
                    target=current,
                    before=before,
                    note=note,
                )
                current.delete()
                changed = True
            continue
        fields = {
            "value": given.value,
            "comment": given.comment.strip(),
            "evidence_url": given.evidence_url.strip(),
            "lesson": given.lesson,
        }
        if current is not None:
            if all(getattr(current, key) == value for key, value in fields.items()):
                saved.append(current)
                continue
            for key, value in fields.items():
                setattr(current, key, value)
            current.revision += 1
            current.updated_at = now
            current.save()
        else:
            current = Answer.objects.create(
                respondent=respondent, statement=given.statement, updated_at=now, **fields
            )
        audit_record(
            actor=actor,
            action="meter.answer.save",
            target=current,
            target_label=f"{respondent.assessment.title}: {given.statement}",
            before=before,
            after=_answer_snapshot(current),
            note=note,
        )
        saved.append(current)
        changed = True
    if changed:
        respondent.last_answer_at = now
        respondent.save(update_fields=["last_answer_at"])
    return saved


@transaction.atomic(durable=True)
def respondent_finish(*, respondent: Respondent, finished: bool = True) -> Respondent:
    """The respondent says they have finished (or takes it back) while the assessment is
    open."""
    respondent = Respondent.objects.select_for_update().get(pk=respondent.pk)
    if not policy.can_answer(respondent):
        raise refusal("respondent", "not-open", "the assessment is not open")
    before = {"finished_at": respondent.finished_at}
    respondent.finished_at = timezone.now() if finished else None
    respondent.save(update_fields=["finished_at"])
    audit_record(
        actor=None,
        action="meter.respondent.finish" if finished else "meter.respondent.resume",
        target=respondent,
        before=before,
        after={"finished_at": respondent.finished_at},
    )
    return respondent


# --- lessons for the knowledge base ---------------------------------------------------------


@transaction.atomic(durable=True)
def lesson_promote(*, actor: User, answer: Answer) -> Item:
    """Make a respondent's comment marked "lesson" a draft lesson-learned item of the knowledge
    base, tagged with the statement's sub-theme and the assessment's country (spec
    knowledge-and-capacity §5 rule 4). Editors only; once per answer. The item names the
    stakeholder group, never the respondent."""
    answer = (
        Answer.objects.select_for_update()
        .select_related("respondent__assessment__country")
        .get(pk=answer.pk)
    )
    if not knowledge_policy.can_review(actor):
        raise refusal("answer", "forbidden", "only editors promote lessons")
    if not answer.lesson or not answer.comment.strip():
        raise refusal("answer", "not-a-lesson", "the respondent did not offer this as a lesson")
    if answer.promoted_item_id is not None:
        raise refusal("answer", "already-promoted", "this lesson is already a knowledge item")
    respondent = answer.respondent
    assessment = respondent.assessment
    framework = framework_of(assessment)
    statement = framework.statement(answer.statement)
    subtheme = next(
        sub
        for pillar in framework.pillars
        for sub in pillar.subthemes
        if any(s.id == statement.id for s in sub.statements)
    )
    country = assessment.country
    group = StakeholderGroup(respondent.group).label
    item = item_services.item_draft_within(
        data=item_services.ItemInput(
            type="lesson_learned",
            title=f"{country.name}: {subtheme.name} — a lesson from a METER self-assessment"[
                :TITLE_MAX
            ],
            summary=answer.comment.strip()[:600],
            body_md=(
                f"{answer.comment.strip()}\n\n"
                f"*A {str(group).lower()} respondent's comment on statement {statement.id} "
                f"(\u201c{statement.text}\u201d) in the METER self-assessment "
                f"\u201c{assessment.title}\u201d, {framework.id}.*"
            ),
            countries=[country.iso3],
            meter_tags=[subtheme.id],
            year=(assessment.opened_at or assessment.created_at).year,
            details={"lesson": answer.comment.strip()[:2000], "applies_to": [subtheme.id]},
        ),
        actor=actor,
    )
    before = _answer_snapshot(answer)
    answer.promoted_item = item
    answer.save(update_fields=["promoted_item"])
    audit_record(
        actor=actor,
        action="meter.lesson.promote",
        target=answer,
        target_label=f"{assessment.title}: {answer.statement}",
        before=before,
        after={**(_answer_snapshot(answer) or {}), "promoted_item": item.slug},
    )
    return item
