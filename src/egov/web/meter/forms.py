"""Forms of the METER pages: an assessment's settings, an invitation, and a pillar of answers.

The forms only read what was posted; the services decide what is valid (every problem at
once, each naming its field) and :func:`egov.web.pages.show_issues` puts each problem beside
its field. A pillar of answers is not a Django form (a hundred statements × four fields):
:func:`posted_answers` reads the fields named ``<field>-<statement id>`` that the respond page
writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.errors import Issue, ServiceError
from egov.web.datacenter.localize import country_name
from egov.web.datacenter.models import Country

from .models import SUB_GROUPS, Assessment, StakeholderGroup
from .services import NAME_MAX, ORGANISATION_MAX, TITLE_MAX, AnswerInput

#: The fields of one statement on the respond page, as the service names them.
ANSWER_FIELDS: Final = ("value", "comment", "evidence_url", "lesson")
#: An assessment's settings: the fields of its form and the arguments of the services that
#: write them.
SETTINGS: Final = ("title", "include_experimental", "target", "listed", "notes")


def country_choices() -> list[tuple[str, str]]:
    """Every country of the registry by its name in the reader's language."""
    stored = Country.objects.values_list("iso3", "name")
    named = [(iso3, country_name(iso3, name)) for iso3, name in stored]
    return [("", "—"), *sorted(named, key=lambda pair: pair[1].casefold())]


def sub_group_choices() -> list[tuple[str, Any]]:
    """The sub-groups under their group's name (``<optgroup>``), and "none"."""
    grouped: list[tuple[str, Any]] = [
        (str(StakeholderGroup(group).label), list(choices)) for group, choices in SUB_GROUPS.items()
    ]
    return [("", _("None or not said")), *grouped]


def checked_text(limit: int, *, required: bool = False) -> forms.TextInput:
    """The input of a text the services check (required, at most ``limit`` characters): the
    browser is told, the form field is not (``required=False``, no ``max_length``), so that a
    problem with the text is shown with the others the service finds, not before them."""
    return forms.TextInput(attrs={"maxlength": limit, "required": required})


class AssessmentForm(forms.Form):
    """A new assessment (with ``country``) or the settings of one (without)."""

    country = forms.ChoiceField(label=_("Country"))
    title = forms.CharField(
        label=_("Title"), required=False, widget=checked_text(TITLE_MAX, required=True)
    )
    include_experimental = forms.BooleanField(
        label=_("Include Marketing (experimental) in the overall score"), required=False
    )
    target = forms.FloatField(
        label=_("Target score"),
        required=False,
        help_text=_("0 to 100; gaps are measured to it. Empty: the framework's (75)."),
    )
    listed = forms.BooleanField(
        label=_("List it among the countries with recent assessments once published"),
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, with_country: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_country:
            self.fields["country"].choices = country_choices()  # type: ignore[attr-defined]
        else:
            del self.fields["country"]

    @staticmethod
    def initial_of(assessment: Assessment) -> dict[str, Any]:
        return {name: getattr(assessment, name) for name in SETTINGS}

    def settings(self) -> dict[str, Any]:
        """The settings posted, as keyword arguments of ``assessment_create`` and
        ``assessment_update``."""
        return {name: self.cleaned_data[name] for name in SETTINGS}


class RespondentForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), required=False, widget=checked_text(NAME_MAX, required=True)
    )
    group = forms.ChoiceField(label=_("Stakeholder group"), choices=StakeholderGroup.choices)
    sub_group = forms.ChoiceField(label=_("Sub-group"), required=False)
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    organisation = forms.CharField(
        label=_("Organisation"), required=False, widget=checked_text(ORGANISATION_MAX)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_group"].choices = sub_group_choices()  # type: ignore[attr-defined]


# --- a pillar of answers ----------------------------------------------------------------------


def field_name(field_: str, statement: str) -> str:
    """The name of a statement's field on the respond page: ``value-C1.1``."""
    return f"{field_}-{statement}"


def posted_answer(data: Mapping[str, Any], statement: str) -> AnswerInput:
    """One statement's fields as posted (missing ones empty)."""

    def text(name: str) -> str:
        return str(data.get(field_name(name, statement), ""))

    return AnswerInput(
        statement=statement,
        value=text("value").strip(),
        comment=text("comment"),
        evidence_url=text("evidence_url"),
        lesson=bool(data.get(field_name("lesson", statement))),
    )


def posted_answers(data: Mapping[str, Any], statements: Sequence[str]) -> tuple[AnswerInput, ...]:
    """The answers of ``statements`` as posted."""
    return tuple(posted_answer(data, statement) for statement in statements)


def answer_errors(
    error: ServiceError, answers: Sequence[AnswerInput]
) -> dict[str, dict[str, list[str]]]:
    """The issues of a refused :func:`~.services.answers_save` by statement and field: an
    issue's ``row`` is the answer's place in ``answers`` (from 1)."""
    found: dict[str, dict[str, list[str]]] = {}
    for issue in error.issues or (Issue(error.code, str(error), "answer"),):
        at = issue.row - 1 if issue.row is not None else -1
        statement = answers[at].statement if 0 <= at < len(answers) else ""
        name = issue.field if issue.field in ANSWER_FIELDS else ""
        found.setdefault(statement, {}).setdefault(name, []).append(issue.message)
    return found
