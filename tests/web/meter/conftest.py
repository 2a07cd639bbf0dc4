"""What the METER web tests share: fast password hashing, a client signed in as one of the
accounts of ``accounts``, and the steps that build a published assessment (invite, answer
every statement a group is asked, close and publish) and the knowledge item its way forward
suggests."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import Settings

from egov.frameworks import load_meter
from egov.web.knowledge.models import Item
from egov.web.knowledge.services.items import ItemInput, item_create, item_transition
from egov.web.meter import services
from egov.web.meter.models import Assessment, Respondent
from egov.web.meter.services import AnswerInput


@pytest.fixture(autouse=True)
def fast_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(username: str) -> Client:
    """A test client signed in as the existing account ``username`` (``contributor2``)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def invite(
    assessment: Assessment, actor: User, name: str, group: str, **details: str
) -> tuple[Respondent, str]:
    """Invite a respondent of ``group`` (``details``: ``sub_group``, ``email``,
    ``organisation``): the respondent and the key of their personal link."""
    invitation = services.respondent_invite(
        actor=actor, assessment=assessment, name=name, group=group, **details
    )
    return invitation.respondent, invitation.key


def answers_to_all(
    group: str, value: str | Callable[[str], str | None], *, pillars: Sequence[str] | None = None
) -> list[AnswerInput]:
    """An answer to every statement asked of ``group`` (every one for government, the
    observable ones for the other groups) in ``pillars`` (ids; None: every pillar), in the
    latest framework's order: ``value``, or ``value(statement id)``, None leaving it out."""
    chosen = []
    for pillar in load_meter().pillars:
        if pillars is not None and pillar.id not in pillars:
            continue
        for subtheme in pillar.subthemes:
            for statement in subtheme.statements:
                if group != "government" and statement.perspective != "observable":
                    continue
                given = value if isinstance(value, str) else value(statement.id)
                if given is not None:
                    chosen.append(AnswerInput(statement.id, given))
    return chosen


def publish(assessment: Assessment, actor: User) -> Assessment:
    """Close ``assessment`` (open, with answers) and publish it."""
    services.assessment_transition(actor=actor, assessment=assessment, to="closed")
    return services.assessment_transition(actor=actor, assessment=assessment, to="published")


def published_item(
    editor: User,
    *,
    title: str,
    meter_tags: list[str],
    countries: list[str],
    year: int = 2021,
    summary: str = "An independent authority supervises data protection.",
) -> Item:
    """A good practice tagged with ``meter_tags``, written, submitted and published by
    ``editor``."""
    item = item_create(
        data=ItemInput(
            type=Item.Type.GOOD_PRACTICE,
            title=title,
            summary=summary,
            countries=countries,
            meter_tags=meter_tags,
            year=year,
        ),
        actor=editor,
    )
    item_transition(item=item, action="submit", actor=editor)
    return item_transition(item=item, action="publish", actor=editor)
