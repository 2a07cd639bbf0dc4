"""The knowledge base and the capacity-building work that feeds it
(``../shared/spec/knowledge-and-capacity.md``).

- :class:`Item`: a country study, case study, good practice, lesson, policy, workshop output,
  presentation, analytical paper or training material, with its facets as :class:`ItemTag`
  rows, its files as :class:`Attachment` and its editorial history as :class:`ItemRevision`.
- :class:`Workshop` with its sessions, participants (organisations, never people) and expected
  outputs, each output delivered as items.
- :class:`Project`: technical cooperation with a country, with its milestones and the METER
  self-assessments of that country it is linked to.
- :class:`Programme`: an intersectoral programme following the ten-step cycle
  (``frameworks/isg/cycle.yaml``), one :class:`StepRecord` per step and cycle.

Lists of plain values (organisers, objectives, partners) are JSON lists: they are shown, not
queried. What is queried (countries, themes, METER tags, stages) is a row of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.web.datacenter.models import Country

if TYPE_CHECKING:
    from egov.web.meter.models import Assessment

_USER = settings.AUTH_USER_MODEL


class Workshop(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        REPORTED = "reported", _("Reported")
        CANCELLED = "cancelled", _("Cancelled")

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    organisers = models.JSONField(default=list, blank=True)
    partners = models.JSONField(default=list, blank=True)
    forum = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField()
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    purpose = models.TextField(blank=True)
    elements = models.JSONField(default=list, blank=True)
    objectives = models.JSONField(default=list, blank=True)
    format_kind = models.CharField(
        max_length=100, blank=True, help_text='The kind of event: "roundtable", "course", …'
    )
    chair = models.CharField(max_length=200, blank=True)
    facilitator = models.CharField(max_length=200, blank=True)
    participant_categories = models.JSONField(default=list, blank=True)
    follow_up = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    seed_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="workshop_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class WorkshopSession(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="sessions")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    emphasis = models.TextField(blank=True)
    speakers = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["workshop", "order"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "order"], name="workshop_session_order")
        ]

    def __str__(self) -> str:
        return self.title


class WorkshopParticipant(models.Model):
    """An organisation that took part: no personal data (spec §3)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    organisation = models.CharField(max_length=300)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["workshop", "organisation"]

    def __str__(self) -> str:
        return self.organisation


class ExpectedOutput(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DELIVERED = "delivered", _("Delivered")
        DROPPED = "dropped", _("Dropped")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="expected_outputs"
    )
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    target_types = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    delivered_items: models.ManyToManyField[Item, Any] = models.ManyToManyField(
        "Item", blank=True, related_name="delivers"
    )

    class Meta:
        ordering = ["workshop", "order"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "order"], name="expected_output_order")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Project(models.Model):
    class Status(models.TextChoices):
        FORMULATION = "formulation", _("Formulation")
        DOCUMENT_DRAFTED = "document_drafted", _("Project document drafted")
        DOCUMENT_APPROVED = "document_approved", _("Project document approved")
        SIGNED = "signed", _("Signed")
        IMPLEMENTING = "implementing", _("Implementing")
        COMPLETED = "completed", _("Completed")

    slug = models.SlugField(max_length=120, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    purpose = models.TextField()
    accomplishments = models.TextField(blank=True)
    follow_up = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    partners = models.JSONField(default=list, blank=True)
    scope = models.JSONField(
        default=list, blank=True, help_text='Where it reaches: "local", "national", …'
    )
    outputs = models.JSONField(default=list, blank=True)
    budget_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField(max_length=3, blank=True)
    budget_per = models.CharField(max_length=20, blank=True, help_text='"year" or "total".')
    budget_funded_by = models.CharField(max_length=300, blank=True)
    workshops = models.ManyToManyField(Workshop, blank=True, related_name="projects")
    meter_assessments: models.ManyToManyField[Assessment, Any] = models.ManyToManyField(
        "meter.Assessment",
        blank=True,
        related_name="cooperation_projects",
        help_text="The METER self-assessments of the project's country it is linked to.",
    )
    seed_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["start_year", "country__name", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="project_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField()
    when = models.CharField(max_length=60, help_text='As the source says it: "Dec 2012".')
    starts_on = models.DateField(null=True, blank=True, help_text="For the timeline.")
    label = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="milestone_order")]

    def __str__(self) -> str:
        return f"{self.when}: {self.label}"


class ItemType(models.TextChoices):
    COUNTRY_STUDY = "country_study", _("Country study")
    CASE_STUDY = "case_study", _("Case study")
    GOOD_PRACTICE = "good_practice", _("Good practice")
    LESSON_LEARNED = "lesson_learned", _("Lesson learned")
    POLICY_OR_STRATEGY = "policy_or_strategy", _("Policy or strategy")
    WORKSHOP_OUTPUT = "workshop_output", _("Workshop output")
    PRESENTATION = "presentation", _("Presentation")
    ANALYTICAL_PAPER = "analytical_paper", _("Analytical paper")
    TRAINING_MATERIAL = "training_material", _("Training material")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class Item(models.Model):
    Type = ItemType
    Status = ItemStatus

    slug = models.SlugField(max_length=120, unique=True)
    type = models.CharField(max_length=20, choices=Type.choices)
    title = models.CharField(max_length=300)
    summary = models.CharField(max_length=600, blank=True)
    body_md = models.TextField(blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    language = models.CharField(max_length=8, default="en")
    source_organisation = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    source_citation = models.TextField(blank=True)
    licence = models.CharField(max_length=100, blank=True)
    details = models.JSONField(default=dict, blank=True, help_text="The fields of the type.")
    workshop = models.ForeignKey(
        Workshop, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    session = models.ForeignKey(
        WorkshopSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    related = models.ManyToManyField("self", blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    seed_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "title"]
        permissions = [
            ("review_item", "Can review knowledge items"),
            ("publish_item", "Can publish and withdraw knowledge items"),
        ]
        indexes = [
            models.Index(fields=["status", "type"]),
            models.Index(fields=["status", "year"]),
            models.Index(fields=["status", "language"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=ItemType.values), name="item_known_type"),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="item_known_status"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ItemTag(models.Model):
    """One facet value of an item. Country, region and sub-region tags follow the item's
    countries (kept by the services); themes, METER tags and stages are chosen by authors."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Region")
        SUB_REGION = "sub_region", _("Sub-region")
        THEME = "theme", _("Theme")
        METER = "meter", _("METER pillar or sub-theme")
        STAGE = "stage", _("Online-service stage")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    code = models.CharField(max_length=64)

    class Meta:
        ordering = ["item", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["item", "kind", "code"], name="item_tag_unique")
        ]
        indexes = [models.Index(fields=["kind", "code", "item"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"


class Attachment(models.Model):
    """A PDF or office file of an item; type checked by its content, not only its name."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/", max_length=300)
    name = models.CharField(max_length=200, help_text="The file name shown, made safe.")
    kind = models.CharField(max_length=8, help_text="pdf, docx, xlsx, pptx, odt, …")
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["item", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class ItemRevision(models.Model):
    """The item as it stood after one editorial step: the history an editor reviews."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Sent for review")
        RETURNED = "returned", _("Returned to draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ATTACHED = "attached", _("File attached")
        DETACHED = "detached", _("File removed")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=12, choices=Action.choices)
    status = models.CharField(max_length=12, choices=ItemStatus.choices)
    snapshot = models.JSONField()
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} #{self.number} {self.action}"


class Programme(models.Model):
    """An intersectoral programme following the ten-step cycle; ``cycle`` counts its rounds
    (step 10 may lead back to step 1)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        SUSPENDED = "suspended", _("Suspended")

    slug = models.SlugField(max_length=120, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    problem = models.TextField(blank=True)
    sector_tags = models.JSONField(default=list, blank=True)
    cycle = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["country__name", "title"]

    def __str__(self) -> str:
        return self.title


class StepRecord(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="steps")
    cycle = models.PositiveSmallIntegerField(default=1)
    step = models.PositiveSmallIntegerField()
    started = models.DateField()
    completed = models.DateField(null=True, blank=True)
    lead_actor = models.CharField(max_length=40)
    participating_actors = models.JSONField(default=list, blank=True)
    documents = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["programme", "cycle", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "cycle", "step"], name="step_record_unique"
            ),
            models.CheckConstraint(
                condition=Q(step__gte=1) & Q(step__lte=10), name="step_in_cycle"
            ),
            models.CheckConstraint(
                condition=Q(completed__isnull=True) | Q(completed__gte=models.F("started")),
                name="step_completed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} cycle {self.cycle} step {self.step}"
