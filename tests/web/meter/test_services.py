"""The METER services: who may open, manage and answer an assessment in which state, every
problem of an input at once, the revisions and audit entries a write leaves, and that a refused
write leaves nothing behind."""

from __future__ import annotations

import pandas as pd
import pytest
from django.contrib.auth.models import AnonymousUser, User

from egov.errors import ServiceError
from egov.frameworks import load_meter
from egov.web.accounts.models import AuditEntry
from egov.web.accounts.roles import Role
from egov.web.meter import selectors, services
from egov.web.meter.models import Answer, Assessment, Respondent
from egov.web.meter.services import AnswerInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(countries: None, accounts: dict[Role, User]) -> Assessment:
    return services.assessment_create(
        actor=accounts[Role.CONTRIBUTOR], iso3="KAZ", title="Kazakhstan 2026"
    )


def _open(assessment: Assessment, actor: User) -> tuple[Respondent, str]:
    invitation = services.respondent_invite(
        actor=actor,
        assessment=assessment,
        name="Aigerim",
        group="government",
        sub_group="ministries_agencies",
    )
    services.assessment_transition(actor=actor, assessment=assessment, to="open")
    return invitation.respondent, invitation.key


def _codes(caught: pytest.ExceptionInfo[ServiceError]) -> list[tuple[int | None, str | None, str]]:
    return [(i.row, i.field, i.code) for i in caught.value.issues]


def test_a_contributor_opens_a_draft_under_the_latest_framework(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    framework = load_meter()
    assert assessment.state == Assessment.State.DRAFT
    assert assessment.focal_point == accounts[Role.CONTRIBUTOR]
    assert (assessment.framework_id, assessment.framework_sha256) == (
        framework.id,
        framework.sha256,
    )
    entry = AuditEntry.objects.get(action="meter.assessment.create")
    assert entry.after["country"] == "KAZ"
    assert entry.actor == accounts[Role.CONTRIBUTOR]


def test_a_reader_opens_no_assessment(countries: None) -> None:
    with pytest.raises(ServiceError) as caught:
        services.assessment_create(actor=AnonymousUser(), iso3="KAZ", title="x")
    assert caught.value.code == "forbidden"
    assert not Assessment.objects.exists()


def test_every_problem_of_a_new_assessment_is_reported_at_once(
    countries: None, accounts: dict[Role, User]
) -> None:
    with pytest.raises(ServiceError) as caught:
        services.assessment_create(
            actor=accounts[Role.CONTRIBUTOR],
            iso3="ATL",
            title=" ",
            target=120,
            framework_id="meter-eo-9.9",
        )
    assert sorted(field for _row, field, _code in _codes(caught)) == [
        "country",
        "framework",
        "target",
        "title",
    ]
    assert not Assessment.objects.exists()


def test_only_its_focal_point_or_an_editor_manages_an_assessment(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    other = User.objects.get(username="contributor2")
    with pytest.raises(ServiceError) as caught:
        services.respondent_invite(actor=other, assessment=assessment, name="X", group="business")
    assert caught.value.code == "forbidden"
    invitation = services.respondent_invite(
        actor=accounts[Role.EDITOR], assessment=assessment, name="Y", group="business"
    )
    assert invitation.respondent.assessment == assessment


def test_an_invitation_checks_group_and_sub_group(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    actor = accounts[Role.CONTRIBUTOR]
    with pytest.raises(ServiceError) as caught:
        services.respondent_invite(
            actor=actor, assessment=assessment, name="", group="press", email="not-mail"
        )
    assert sorted(field for _row, field, _code in _codes(caught)) == ["email", "group", "name"]
    with pytest.raises(ServiceError) as caught:
        services.respondent_invite(
            actor=actor, assessment=assessment, name="B", group="business", sub_group="ngos"
        )
    assert _codes(caught) == [(None, "sub_group", "unknown-sub-group")]
    assert not Respondent.objects.exists()


def test_a_link_key_finds_its_respondent_until_it_is_replaced(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    actor = accounts[Role.CONTRIBUTOR]
    invitation = services.respondent_invite(
        actor=actor, assessment=assessment, name="B", group="business", sub_group="smes"
    )
    assert selectors.respondent_by_key(invitation.key) == invitation.respondent
    assert (
        invitation.key not in str(Respondent.objects.values_list("key_digest", "key_prefix").get())
        or len(invitation.key) <= 8
    )
    renewed = services.respondent_rekey(actor=actor, respondent=invitation.respondent)
    assert selectors.respondent_by_key(invitation.key) is None
    assert selectors.respondent_by_key(renewed.key) == invitation.respondent
    assert selectors.respondent_by_key("") is None


def test_states_move_only_along_the_lifecycle(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    actor = accounts[Role.CONTRIBUTOR]
    with pytest.raises(ServiceError) as caught:
        services.assessment_transition(actor=actor, assessment=assessment, to="open")
    assert caught.value.code == "no-respondents"
    with pytest.raises(ServiceError) as caught:
        services.assessment_transition(actor=actor, assessment=assessment, to="published")
    assert caught.value.code == "bad-transition"
    respondent, _key = _open(assessment, actor)
    assessment.refresh_from_db()
    assert assessment.state == "open"
    assert assessment.opened_at is not None
    services.assessment_transition(actor=actor, assessment=assessment, to="closed")
    with pytest.raises(ServiceError) as caught:
        services.assessment_transition(actor=actor, assessment=assessment, to="published")
    assert caught.value.code == "no-answers"
    services.assessment_transition(actor=actor, assessment=assessment, to="open")
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "3")])
    services.assessment_transition(actor=actor, assessment=assessment, to="closed")
    services.assessment_transition(actor=actor, assessment=assessment, to="published")
    assessment.refresh_from_db()
    assert assessment.state == "published"
    assert assessment.published_scores is not None
    assert set(assessment.published_scores["pillars"]) == {"C", "L", "P", "O", "T", "M"}
    actions = list(
        AuditEntry.objects.filter(action__startswith="meter.assessment.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "meter.assessment.create",
        "meter.assessment.open",
        "meter.assessment.closed",
        "meter.assessment.open",
        "meter.assessment.closed",
        "meter.assessment.published",
    ]


def test_a_published_assessment_keeps_its_scoring_settings(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    actor = accounts[Role.CONTRIBUTOR]
    respondent, _key = _open(assessment, actor)
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "2")])
    services.assessment_transition(actor=actor, assessment=assessment, to="closed")
    services.assessment_transition(actor=actor, assessment=assessment, to="published")
    with pytest.raises(ServiceError) as caught:
        services.assessment_update(actor=actor, assessment=assessment, target=60.0)
    assert _codes(caught) == [(None, "target", "published")]
    services.assessment_update(actor=actor, assessment=assessment, title="Renamed", listed=True)
    assessment.refresh_from_db()
    assert (assessment.title, assessment.listed, assessment.target) == ("Renamed", True, None)


def test_answers_are_taken_only_while_the_assessment_is_open(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    respondent = services.respondent_invite(
        actor=accounts[Role.CONTRIBUTOR], assessment=assessment, name="A", group="government"
    ).respondent
    with pytest.raises(ServiceError) as caught:
        services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "3")])
    assert caught.value.code == "not-open"
    assert not Answer.objects.exists()


def test_every_problem_of_a_page_of_answers_is_reported_with_its_line(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    respondent, _key = _open(assessment, accounts[Role.CONTRIBUTOR])
    with pytest.raises(ServiceError) as caught:
        services.answers_save(
            respondent=respondent,
            answers=[
                AnswerInput("C1.1", "3"),
                AnswerInput("C9.9", "3"),
                AnswerInput("C1.2", "5"),
                AnswerInput("C1.3", "NA"),
                AnswerInput("C1.4", "2", evidence_url="javascript:alert(1)"),
                AnswerInput("C1.1", "1"),
            ],
        )
    assert _codes(caught) == [
        (2, "statement", "unknown-statement"),
        (3, "value", "unknown-answer"),
        (4, "comment", "comment-required"),
        (5, "evidence_url", "bad-url"),
        (6, "statement", "duplicate-statement"),
    ]
    assert not Answer.objects.exists()


def test_a_change_is_a_new_revision_with_before_and_after_in_the_trail(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    respondent, _key = _open(assessment, accounts[Role.CONTRIBUTOR])
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "1")])
    respondent.refresh_from_db()
    first = respondent.last_answer_at
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "1")])  # same
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.2", "")])  # none
    services.answers_save(respondent=respondent, answers=[])
    respondent.refresh_from_db()
    assert respondent.last_answer_at == first  # nothing changed, nothing moves
    services.answers_save(
        respondent=respondent,
        answers=[
            AnswerInput("C1.1", "3", comment="Plan adopted 2025", evidence_url="https://x.kz/")
        ],
    )
    answer = Answer.objects.get()
    assert (answer.value, answer.revision, answer.evidence_url) == ("3", 2, "https://x.kz/")
    entries = list(AuditEntry.objects.filter(action="meter.answer.save").order_by("id"))
    assert [(e.before and e.before["value"], e.after["value"]) for e in entries] == [
        (None, "1"),
        ("1", "3"),
    ]
    assert "Aigerim" in entries[0].note
    respondent.refresh_from_db()
    assert respondent.last_answer_at is not None


def test_an_empty_value_takes_an_answer_back(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    respondent, _key = _open(assessment, accounts[Role.CONTRIBUTOR])
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "NA", comment="n/a")])
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "")])
    assert not Answer.objects.exists()
    assert AuditEntry.objects.filter(action="meter.answer.clear").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_refused_page_of_answers_leaves_the_stored_ones_as_they_were(
    countries: None, accounts: dict[Role, User]
) -> None:
    actor = accounts[Role.CONTRIBUTOR]
    assessment = services.assessment_create(actor=actor, iso3="KOR", title="Korea")
    respondent, _key = _open(assessment, actor)
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "1")])
    trail = AuditEntry.objects.count()
    with pytest.raises(ServiceError):
        services.answers_save(
            respondent=respondent,
            answers=[AnswerInput("C1.1", "4"), AnswerInput("C1.2", "DK"), AnswerInput("X", "1")],
        )
    assert list(Answer.objects.values_list("statement", "value", "revision")) == [("C1.1", "1", 1)]
    assert AuditEntry.objects.count() == trail


def test_a_respondent_who_answered_cannot_be_removed(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    actor = accounts[Role.CONTRIBUTOR]
    respondent, _key = _open(assessment, actor)
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "1")])
    with pytest.raises(ServiceError) as caught:
        services.respondent_remove(actor=actor, respondent=respondent)
    assert caught.value.code == "has-answers"
    other = services.respondent_invite(
        actor=actor, assessment=assessment, name="B", group="academia"
    ).respondent
    services.respondent_remove(actor=actor, respondent=other)
    assert list(Respondent.objects.all()) == [respondent]


def test_progress_counts_what_each_group_is_asked(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    actor = accounts[Role.CONTRIBUTOR]
    government, _key = _open(assessment, actor)
    business = services.respondent_invite(
        actor=actor, assessment=assessment, name="B", group="business"
    ).respondent
    services.answers_save(
        respondent=government,
        answers=[AnswerInput("C1.1", "3"), AnswerInput("C1.2", "DK"), AnswerInput("C2.1", "2")],
    )
    services.answers_save(respondent=business, answers=[AnswerInput("C2.1", "1")])
    progress = selectors.assessment_progress(assessment=assessment)
    framework = load_meter()
    commitment = [s for t in framework.pillar("C").subthemes for s in t.statements]
    observable = [s for s in commitment if s.perspective == "observable"]
    assert progress.groups == ("government", "business")
    assert progress.cells[("government", "C")].answered == 3
    assert progress.cells[("government", "C")].expected == len(commitment)
    assert progress.cells[("business", "C")].expected == len(observable)
    assert progress.cells[("business", "C")].answered == 1
    assert progress.by_value == {"3": 1, "DK": 1, "2": 1, "1": 1}


def test_an_editor_promotes_a_lesson_to_a_draft_knowledge_item_once(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    from egov.web.knowledge.models import Item, ItemStatus, ItemTag

    respondent, _key = _open(assessment, accounts[Role.CONTRIBUTOR])
    services.answers_save(
        respondent=respondent,
        answers=[
            AnswerInput("C1.4", "2", comment="Train counter staff before launch.", lesson=True),
            AnswerInput("C1.5", "2", comment="Just a remark."),
        ],
    )
    lesson, remark = Answer.objects.order_by("statement")
    with pytest.raises(ServiceError) as caught:
        services.lesson_promote(actor=accounts[Role.CONTRIBUTOR], answer=lesson)
    assert caught.value.code == "forbidden"
    with pytest.raises(ServiceError) as caught:
        services.lesson_promote(actor=accounts[Role.EDITOR], answer=remark)
    assert caught.value.code == "not-a-lesson"
    item = services.lesson_promote(actor=accounts[Role.EDITOR], answer=lesson)
    assert (item.type, item.status) == ("lesson_learned", ItemStatus.DRAFT)
    assert "Aigerim" not in item.body_md  # the group, never the respondent
    assert "government respondent" in item.body_md
    tags = set(ItemTag.objects.filter(item=item).values_list("kind", "code"))
    assert {("country", "KAZ"), ("meter", "C1")} <= tags
    lesson.refresh_from_db()
    assert lesson.promoted_item == item
    with pytest.raises(ServiceError) as caught:
        services.lesson_promote(actor=accounts[Role.EDITOR], answer=lesson)
    assert caught.value.code == "already-promoted"
    assert Item.objects.count() == 1
    assert AuditEntry.objects.filter(action="meter.lesson.promote").count() == 1


def test_a_new_framework_version_never_rescores_an_older_assessment(
    assessment: Assessment, accounts: dict[Role, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    from egov.frameworks import meter_schema
    from egov.frameworks.yamldoc import packaged

    actor = accounts[Role.CONTRIBUTOR]
    respondent, _key = _open(assessment, actor)
    services.answers_save(
        respondent=respondent, answers=[AnswerInput("C3.1", "3"), AnswerInput("C3.2", "1")]
    )
    before = selectors.assessment_readiness(assessment)
    assert before.subthemes.set_index(["scope", "subtheme"]).at[("combined", "C3"), "score"] == 50
    # Version 1.1: the same statements, but Commitment's target and weights changed.
    text = packaged("meter/meter-eo-1.0.yaml").replace("id: meter-eo-1.0", "id: meter-eo-1.1", 1)
    text = text.replace("  target: 75 ", "  target: 60 ", 1).replace(
        "points_per_step: 25", "points_per_step: 25  # 1.1", 1
    )
    newer = meter_schema.parse_meter(
        text, file="meter/meter-eo-1.1.yaml", expected_id="meter-eo-1.1"
    )
    load = meter_schema._load
    monkeypatch.setattr(meter_schema, "meter_versions", lambda: ("meter-eo-1.0", "meter-eo-1.1"))
    monkeypatch.setattr(meter_schema, "_load", lambda v: newer if v == "meter-eo-1.1" else load(v))
    assert services.framework_of(assessment).id == "meter-eo-1.0"
    after = selectors.assessment_readiness(assessment)
    pd.testing.assert_frame_equal(after.subthemes, before.subthemes)
    pd.testing.assert_frame_equal(after.gaps, before.gaps)
    assert after.gaps["target"].unique().tolist() == [75.0]
    later = services.assessment_create(actor=actor, iso3="KAZ", title="Kazakhstan 2027")
    assert (later.framework_id, later.framework_sha256) == ("meter-eo-1.1", newer.sha256)
    assert newer.sha256 != assessment.framework_sha256
    assert newer.scoring.target == 60  # the change a rescoring would have shown
    # An edited published file is refused, never silently used to rescore.
    monkeypatch.setattr(meter_schema, "_load", lambda v: newer if v == "meter-eo-1.0" else load(v))
    with pytest.raises(ServiceError) as caught:
        services.framework_of(assessment)
    assert caught.value.code == "framework-changed"


def test_a_comment_or_link_without_an_answer_is_refused_not_dropped(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    respondent, _key = _open(assessment, accounts[Role.CONTRIBUTOR])
    with pytest.raises(ServiceError) as caught:
        services.answers_save(
            respondent=respondent,
            answers=[
                AnswerInput("C1.1", "", comment="Planned for 2027."),
                AnswerInput("C1.2", "", evidence_url="https://example.org/plan"),
            ],
        )
    assert _codes(caught) == [(1, "value", "answer-required"), (2, "value", "answer-required")]
    assert not Answer.objects.exists()


def test_what_a_user_may_see_is_what_the_policy_lets_them_read(
    assessment: Assessment, accounts: dict[Role, User]
) -> None:
    from egov.web.accounts.services import user_role_set
    from egov.web.meter import policy

    focal = accounts[Role.CONTRIBUTOR]
    assert list(selectors.assessments_visible(user=focal)) == [assessment]
    assert list(selectors.assessments_visible(user=AnonymousUser())) == []
    user_role_set(user=focal, role=Role.READER)  # no longer a focal point
    focal = User.objects.get(pk=focal.pk)  # permissions are cached per instance
    assert not policy.can_view_results(focal, assessment)
    assert list(selectors.assessments_visible(user=focal)) == []
    assert list(selectors.assessments_visible(user=accounts[Role.EDITOR])) == [assessment]
