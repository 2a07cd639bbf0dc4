"""The item form, the upload and the editorial step, and how a service's refusal is shown:
every issue beside the field it names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Final

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from egov.errors import Issue, ServiceError
from egov.frameworks.knowledge_schema import load_themes

from .. import taxonomy
from ..models import ItemType, Project, Workshop
from ..selectors import items as selectors
from ..services.items import LANGUAGES, ItemInput
from .details import detail_form_fields, details_from_form, details_initial
from .fields import CodeField, CodesField

LANGUAGE_LABELS: Final[Mapping[str, object]] = {
    "ar": _("Arabic"),
    "zh": _("Chinese"),
    "en": _("English"),
    "fr": _("French"),
    "ru": _("Russian"),
    "es": _("Spanish"),
    "other": pgettext_lazy("language", "Other"),
}
STAGE_LABELS: Final[Mapping[str, object]] = {
    "emerging": _("Emerging"),
    "enhanced": _("Enhanced"),
    "transactional": _("Transactional"),
    "connected": _("Connected"),
}
#: The prefix of the form fields that hold the type's details (``details_organisation``).
DETAIL_PREFIX: Final = "details_"


def language_choices() -> list[tuple[str, str]]:
    return [(code, str(LANGUAGE_LABELS[code])) for code in LANGUAGES]


def stage_choices() -> list[tuple[str, str]]:
    return [(code, str(STAGE_LABELS.get(code, code))) for code in taxonomy.STAGES]


def region_choices() -> list[tuple[str, str]]:
    from egov.web.datacenter.labels import REGIONS, label

    return [(region, label(REGIONS, region)) for region in selectors.region_choices()]


def theme_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The taxonomy's themes, grouped under their top-level theme (which comes first)."""
    return [
        (
            f"{top.numeral}. {top.name}" if top.numeral else top.name,
            [(top.code, top.name), *((child.code, child.name) for child in top.children)],
        )
        for top in load_themes().themes
    ]


@cache
def _meter_groups() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    from egov.frameworks import load_meter

    framework = load_meter()
    return tuple(
        (
            f"{pillar.id} — {pillar.name}",
            (
                (pillar.id, f"{pillar.id} {pillar.name}"),
                *tuple((sub.id, f"{sub.id} {sub.name}") for sub in pillar.subthemes),
            ),
        )
        for pillar in framework.pillars
    )


def meter_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The METER pillars and sub-themes, grouped by pillar (the pillar first)."""
    return [(group, list(options)) for group, options in _meter_groups()]


def language_label(code: str) -> str:
    return str(LANGUAGE_LABELS.get(code, code))


def workshop_choices() -> list[tuple[str, str]]:
    rows = Workshop.objects.order_by("-year", "title").values_list("slug", "title", "year")
    return [("", "—")] + [(slug, f"{title} ({year})") for slug, title, year in rows]


def project_choices() -> list[tuple[str, str]]:
    rows = Project.objects.order_by("start_year", "title").values_list("slug", "title")
    return [("", "—")] + [(slug, title) for slug, title in rows]


def _commas(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


class ItemForm(forms.Form):
    """An item as its author writes it. ``item_type`` chooses the details fields: the
    submitted type, else the ``?type=`` of the page, else the item's own."""

    type = forms.ChoiceField(label=_("Type"), choices=ItemType.choices)
    title = forms.CharField(label=_("Title"), required=False, max_length=1000)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most 600 characters; needed to publish."),
    )
    body_md = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Markdown: **bold**, *italic*, lists, links, tables. HTML is shown as text; an "
            "image becomes a link to it."
        ),
    )
    countries = CodesField(
        label=_("Countries"),
        required=False,
        choices=selectors.country_choices,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Member States the item is about; their regions follow."),
    )
    regions = CodesField(
        label=_("Regions"),
        required=False,
        choices=region_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for an item about a region as a whole."),
    )
    themes = CodesField(
        label=_("Themes"),
        required=False,
        choices=theme_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    meter_tags = CodesField(
        label=_("METER pillars and sub-themes"),
        required=False,
        choices=meter_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    stage_tags = CodesField(
        label=_("Online-service stages"),
        required=False,
        choices=stage_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    year = forms.IntegerField(label=_("Year"), required=False)
    language = CodeField(label=_("Language"), choices=language_choices, initial="en")
    source_organisation = forms.CharField(
        label=_("Source: organisation"), required=False, max_length=200
    )
    source_url = forms.CharField(
        label=_("Source: address"),
        required=False,
        max_length=500,
        help_text=_("An http or https address."),
    )
    source_citation = forms.CharField(
        label=_("Source: citation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    licence = forms.CharField(label=_("Licence"), required=False, max_length=100)
    workshop = CodeField(label=_("Workshop"), required=False, choices=workshop_choices)
    session = forms.IntegerField(
        label=_("Workshop session"),
        required=False,
        min_value=0,
        help_text=_("The session's number within the workshop."),
    )
    project = CodeField(label=_("Cooperation project"), required=False, choices=project_choices)
    related = forms.CharField(
        label=_("Related items"),
        required=False,
        help_text=_("Their short names (as in their address), separated by commas."),
    )

    def __init__(self, *args: Any, item_type: str = "", with_note: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        submitted = self.data.get("type") if self.is_bound else None
        chosen = submitted or item_type or self.initial.get("type") or ""
        self.item_type = chosen if chosen in ItemType.values else ""
        if self.item_type:
            self.fields["type"].initial = self.item_type
        for name, field in detail_form_fields(self.item_type).items():
            self.fields[DETAIL_PREFIX + name] = field
        if with_note:
            self.fields["note"] = forms.CharField(
                label=_("What changed (for the history)"), required=False, max_length=500
            )

    @classmethod
    def initial_of(cls, data: ItemInput) -> dict[str, Any]:
        """The form's initial values for an item as it stands."""
        initial: dict[str, Any] = {
            name: getattr(data, name)
            for name in (
                "type",
                "title",
                "summary",
                "body_md",
                "year",
                "language",
                "source_organisation",
                "source_url",
                "source_citation",
                "licence",
                "workshop",
                "session",
                "project",
            )
        }
        for name in ("countries", "regions", "themes", "meter_tags", "stage_tags"):
            initial[name] = list(getattr(data, name))
        initial["related"] = ", ".join(data.related)
        for name, value in details_initial(data.type, data.details).items():
            initial[DETAIL_PREFIX + name] = value
        return initial

    @property
    def item_type_label(self) -> str:
        return str(ItemType(self.item_type).label) if self.item_type else ""

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(DETAIL_PREFIX)]

    def common_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in self.fields
            if not name.startswith(DETAIL_PREFIX) and name not in {"type", "note"}
        ]

    def to_input(self) -> ItemInput:
        data = self.cleaned_data
        details = {
            name.removeprefix(DETAIL_PREFIX): value
            for name, value in data.items()
            if name.startswith(DETAIL_PREFIX)
        }
        return ItemInput(
            type=data["type"],
            title=data["title"],
            summary=data["summary"],
            body_md=data["body_md"],
            countries=list(data["countries"]),
            regions=list(data["regions"]),
            themes=list(data["themes"]),
            meter_tags=list(data["meter_tags"]),
            stage_tags=list(data["stage_tags"]),
            year=data["year"],
            language=data["language"] or "en",
            source_organisation=data["source_organisation"],
            source_url=data["source_url"].strip(),
            source_citation=data["source_citation"],
            licence=data["licence"],
            details=details_from_form(data["type"], details),
            workshop=data["workshop"] or None,
            session=data["session"],
            project=data["project"] or None,
            related=_commas(data["related"]),
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, Word, Excel, PowerPoint or OpenDocument, at most 20 MB; checked by its "
            "content, not only its name."
        ),
    )


class StepForm(forms.Form):
    """One editorial step; ``return`` and ``withdraw`` need a note saying why."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in ("submit", "return", "publish", "withdraw")],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def issue_message(issue: Issue) -> str:
    """An issue as shown beside its field: the sentence, and the value it is about."""
    if issue.value and issue.value not in issue.message:
        return gettext("%(message)s (“%(value)s”)") % {
            "message": issue.message,
            "value": issue.value,
        }
    return issue.message


def form_field_of(issue: Issue, form: forms.Form, aliases: Mapping[str, str] = {}) -> str | None:
    """The form field an issue names, or None for the form as a whole."""
    name = issue.field or ""
    name = aliases.get(name, name)
    if name.startswith("details."):
        # details.award[0].year → the details field award; details.applies_to[1] → applies_to
        inner = name.removeprefix("details.").split("[", 1)[0].split(".", 1)[0]
        name = DETAIL_PREFIX + inner
    else:
        name = name.split("[", 1)[0]
    return name if name in form.fields else None


def add_issues(form: forms.Form, error: ServiceError, *, aliases: Mapping[str, str] = {}) -> None:
    """Every issue of ``error`` beside the field it names; the others above the form."""
    issues: Iterable[Issue] = error.issues or (Issue(error.code, str(error), "item"),)
    for issue in issues:
        field = form_field_of(issue, form, aliases)
        message = issue_message(issue)
        if field is None and issue.field:
            message = f"{issue.field}: {message}"
        form.add_error(field, message)
