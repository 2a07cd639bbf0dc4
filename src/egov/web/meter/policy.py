"""Who may do what to which assessment: the role's permission, then the assessment itself.

- A contributor (or any higher role) opens assessments and is their focal point: they set them
  up, invite respondents, open, close and publish them, and read their answers.
- An editor or administrator manages any assessment as its focal point may.
- Anyone reads the results of a published assessment; only its managers read them before.
- Respondents act through their personal link, not through a role: :func:`can_answer` asks only
  that the assessment is open.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account

from .models import Assessment, Respondent

User = Account | AnonymousUser


def _perm(user: User, name: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(name))


def can_create_assessment(user: User) -> bool:
    return _perm(user, "meter.add_assessment")


def can_manage_any(user: User) -> bool:
    return _perm(user, "meter.manage_assessment")


def can_manage(user: User, assessment: Assessment) -> bool:
    """Set up, invite, change state, read answers and unpublished results."""
    if can_manage_any(user):
        return True
    return _perm(user, "meter.add_assessment") and assessment.focal_point_id == user.pk


def can_view_results(user: User, assessment: Assessment) -> bool:
    return assessment.state == Assessment.State.PUBLISHED or can_manage(user, assessment)


def can_answer(respondent: Respondent) -> bool:
    return respondent.assessment.state == Assessment.State.OPEN
