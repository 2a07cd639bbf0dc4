"""METER assessments: a country's self-assessment, its respondents and their answers.

An :class:`Assessment` is opened by a national focal point for one country under one version of
the framework (``frameworks/meter/<id>.yaml``), whose id and SHA-256 it keeps, so a later version
never rescores it (spec §3.3 rule 8). It moves draft → open → closed → published: respondents
answer while it is open; a published assessment's results are public and its combined scores are
kept (:attr:`Assessment.published_scores`) for the anonymised distribution of other countries.

A :class:`Respondent` is someone the focal point invited, in one stakeholder group (government,
business, civil society, academia) and, optionally, a sub-group (spec §4). Respondents need no
account: each has a personal link whose key is shown once, when it is made; only its SHA-256 is
stored (as with API tokens). An :class:`Answer` is one respondent's answer to one statement, kept
up to date as they change it; every change is also in the audit trail, with before and after.
"""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.web.datacenter.models import Country


class StakeholderGroup(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    BUSINESS = "business", _("Business")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIA = "academia", _("Academia")


#: The sub-groups a respondent may choose within their group (spec §4, after seed 004's actors).
SUB_GROUPS: Final = {
    StakeholderGroup.GOVERNMENT: (
        ("higher_bodies", _("Higher governing bodies (presidency, parliament)")),
        ("ministries_agencies", _("Ministries and agencies")),
        ("local_bodies", _("Local (provincial) governing bodies")),
    ),
    StakeholderGroup.BUSINESS: (
        ("large_enterprises", _("Large enterprises")),
        ("smes", _("Small and medium enterprises")),
    ),
    StakeholderGroup.CIVIL_SOCIETY: (
        ("ngos", _("Non-governmental organisations")),
        ("unions", _("Unions")),
        ("public_chambers", _("Public chambers")),
        ("other_csos", _("Other civil society organisations")),
    ),
    StakeholderGroup.ACADEMIA: (
        ("universities", _("Universities")),
        ("research_institutes", _("Research institutes")),
    ),
}


class Assessment(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Published")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    framework_id = models.CharField(
        max_length=40, help_text="The framework version, e.g. meter-eo-1.0."
    )
    framework_sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    focal_point = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meter_assessments"
    )
    include_experimental = models.BooleanField(
        default=False, help_text="Experimental pillars (Marketing) count in the overall score."
    )
    target = models.FloatField(
        null=True, blank=True, help_text="Target score of the gaps; empty: the framework's."
    )
    listed = models.BooleanField(
        default=False, help_text="Once published, listed among countries with recent assessments."
    )
    notes = models.TextField(blank=True)
    published_scores = models.JSONField(
        null=True,
        blank=True,
        help_text="Combined pillar and overall scores when published (for the distribution).",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("manage_assessment", "Manage any METER assessment"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=True) | (Q(target__gte=0) & Q(target__lte=100)),
                name="meter_assessment_target_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class Respondent(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="respondents")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    organisation = models.CharField(max_length=300, blank=True)
    group = models.CharField(max_length=20, choices=StakeholderGroup.choices)
    sub_group = models.CharField(max_length=40, blank=True)
    key_prefix = models.CharField(max_length=8, help_text="The link key's first characters.")
    key_digest = models.CharField(max_length=64, unique=True)
    invited_at = models.DateTimeField()
    last_answer_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text="When the respondent said they had finished."
    )

    class Meta:
        ordering = ["assessment", "group", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_group_display()})"


class Answer(models.Model):
    """One respondent's answer to one statement: a value of the scale ("0" … "4") or an extra
    answer ("DK", "NA"), with an optional comment and evidence link."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    statement = models.CharField(max_length=16)
    value = models.CharField(max_length=4)
    comment = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    lesson = models.BooleanField(
        default=False, help_text="The comment is offered as a lesson for the knowledge base."
    )
    revision = models.PositiveIntegerField(default=1, help_text="1, then +1 at each change.")
    promoted_item = models.ForeignKey(
        "knowledge.Item",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The draft lesson an editor made of this answer's comment.",
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["respondent", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "statement"], name="meter_answer_one_per_statement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent_id}:{self.statement}={self.value}"
