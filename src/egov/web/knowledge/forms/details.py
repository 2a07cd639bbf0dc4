"""The fields of each item type in the item form, and on the item's page.

Read from the type's model in :mod:`egov.frameworks.knowledge_schema` (``DETAILS_MODELS``): a
field added there appears in the form and on the page. The form only collects text; the
service validates it with the model, so every problem comes back at once, named
``details.<field>``.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Annotated, Any, Final, Literal, Union, get_args, get_origin

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from egov.frameworks.knowledge_schema import DETAILS_MODELS

from .fields import CodeField, CodesField

#: The label of every details field of every type (the models are in
#: :mod:`egov.frameworks.knowledge_schema`); a field not listed shows its name.
DETAIL_LABELS: Final[Mapping[str, object]] = {
    "as_of": _("As of"),
    "institutions": _("Institutions"),
    "strategy": _("Strategy"),
    "cio": _("Chief Information Officer"),
    "legal_framework": _("Legal framework"),
    "organisation": _("Organisation"),
    "period": _("Period"),
    "problem": _("Problem"),
    "intervention": _("Intervention"),
    "results": _("Results"),
    "transferability": _("Transferability"),
    "award": _("Awards"),
    "practice": _("Practice"),
    "conditions_for_success": _("Conditions for success"),
    "evidence_level": _("Evidence"),
    "context": _("Context"),
    "what_happened": _("What happened"),
    "lesson": _("Lesson"),
    "applies_to": _("Applies to (METER pillars and sub-themes)"),
    "document_kind": _("Kind of document"),
    "adopted_on": _("Adopted on"),
    "in_force": _("In force"),
    "output_kind": _("Kind of output"),
    "speaker": _("Speaker"),
    "event": _("Event"),
    "date": _("Date"),
    "authors": _("Authors"),
    "abstract": _("Abstract"),
    "method": _("Method"),
    "audience": _("Audience"),
    "format": _("Format"),
    "duration_hours": _("Duration (hours)"),
}
#: The labels of the values a details field chooses from.
DETAIL_VALUE_LABELS: Final[Mapping[str, object]] = {
    "claimed": _("Claimed"),
    "evaluated": _("Evaluated"),
    "strategy": _("Strategy"),
    "law": _("Law"),
    "policy": _("Policy"),
    "regulation": _("Regulation"),
    "guideline": _("Guideline"),
    "conclusions": _("Conclusions"),
    "recommendations": _("Recommendations"),
    "report": _("Report"),
    "aide_memoire": _("Aide-memoire"),
    "cio": _("Chief Information Officers"),
    "senior_official": _("Senior officials"),
    "staff": _("Staff"),
    "course": _("Course"),
    "module": _("Module"),
    "toolkit": _("Toolkit"),
}
_YES, _NO = "yes", "no"
_LINE_MAX: Final = 300


@dataclass(frozen=True, slots=True)
class DetailField:
    """How one details field is written in the form.

    ``kind``: ``line`` (one line of text), ``text`` (paragraphs), ``date``, ``number``,
    ``bool``, ``choice`` (one of ``options``), ``choices`` (some of ``options``), ``lines``
    (a list, one a line) or ``records`` (a list of ``parts``, one a line, parts split by
    ``|``)."""

    name: str
    kind: str
    options: tuple[str, ...] = ()
    parts: tuple[tuple[str, bool], ...] = ()  # (name, is an integer) of a record's parts
    required: bool = False


def _max_length(metadata: Iterable[Any]) -> int | None:
    for entry in metadata:
        found = getattr(entry, "max_length", None)
        if found is not None:
            return int(found)
        nested = _max_length(getattr(entry, "metadata", ()))
        if nested is not None:
            return nested
    return None


def _unwrapped(annotation: Any) -> tuple[Any, list[Any]]:
    """The type under ``Annotated`` and ``X | None``, with the Annotated metadata."""
    metadata: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            metadata.extend(extra)
        elif origin in (Union, types.UnionType):
            rest = [arg for arg in get_args(annotation) if arg is not type(None)]
            annotation = rest[0]
        else:
            return annotation, metadata


def _field_of(name: str, info: Any) -> DetailField:
    annotation, metadata = _unwrapped(info.annotation)
    metadata += list(getattr(info, "metadata", ()))
    required = bool(info.is_required())
    if get_origin(annotation) is Literal:
        return DetailField(name, "choice", tuple(map(str, get_args(annotation))), required=required)
    if get_origin(annotation) in (tuple, list):
        inner, _inner_meta = _unwrapped(get_args(annotation)[0])
        if get_origin(inner) is Literal:
            return DetailField(name, "choices", tuple(map(str, get_args(inner))))
        fields = getattr(inner, "model_fields", None)
        if fields is not None:
            parts = tuple(
                (part, _unwrapped(field.annotation)[0] is int) for part, field in fields.items()
            )
            return DetailField(name, "records", parts=parts)
        return DetailField(name, "lines")
    if annotation is date:
        return DetailField(name, "date", required=required)
    if annotation is bool:
        return DetailField(name, "bool", required=required)
    if annotation in (int, float):
        return DetailField(name, "number", required=required)
    length = _max_length(metadata)
    kind = "line" if length is not None and length <= _LINE_MAX else "text"
    return DetailField(name, kind, required=required)


@cache
def detail_fields(item_type: str) -> tuple[DetailField, ...]:
    """The details fields of ``item_type``, in the order of its model."""
    model = DETAILS_MODELS.get(item_type)
    if model is None:
        return ()
    return tuple(_field_of(name, info) for name, info in model.model_fields.items())


def _label(name: str) -> str:
    return str(DETAIL_LABELS.get(name, name.replace("_", " ").capitalize()))


def _value_label(value: str) -> str:
    return str(DETAIL_VALUE_LABELS.get(value, value))


def _form_field(spec: DetailField) -> forms.Field:
    """The Django field of a details field. Values are checked by the service (the types'
    models), so every problem is reported with the others; the form only collects."""
    label = _label(spec.name)
    blank = [("", "—")]
    if spec.kind == "choice":
        options = [(value, _value_label(value)) for value in spec.options]
        return CodeField(label=label, required=False, choices=blank + options)
    if spec.kind == "choices":
        options = [(value, _value_label(value)) for value in spec.options]
        return CodesField(
            label=label, required=False, choices=options, widget=forms.CheckboxSelectMultiple
        )
    if spec.kind == "bool":
        choices = [*blank, (_YES, gettext("yes")), (_NO, gettext("no"))]
        return CodeField(label=label, required=False, choices=choices)
    if spec.kind == "text":
        return forms.CharField(
            label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
        )
    if spec.kind == "lines":
        return forms.CharField(
            label=label,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("One a line."),
        )
    if spec.kind == "records":
        parts = " | ".join(
            _label(part) if part != "year" else gettext("year") for part, _i in spec.parts
        )
        return forms.CharField(
            label=label,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=gettext("One a line: %(parts)s.") % {"parts": parts},
        )
    attrs = {"date": {"type": "date"}, "number": {"inputmode": "decimal"}}.get(spec.kind, {})
    return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs=attrs))


def detail_form_fields(item_type: str) -> dict[str, forms.Field]:
    return {spec.name: _form_field(spec) for spec in detail_fields(item_type)}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def details_from_form(item_type: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The details as the service takes them, from the form's values (empty ones left out)."""
    details: dict[str, Any] = {}
    for spec in detail_fields(item_type):
        value = values.get(spec.name)
        if value in (None, "", []):
            continue
        if spec.kind == "bool":
            details[spec.name] = {_YES: True, _NO: False}.get(value, value)
        elif spec.kind == "choices":
            details[spec.name] = list(value)
        elif spec.kind == "lines":
            details[spec.name] = _lines(value)
        elif spec.kind == "records":
            records = []
            for line in _lines(value):
                cells = [cell.strip() for cell in line.split("|")]
                record: dict[str, Any] = {}
                for (part, integer), cell in zip(spec.parts, cells, strict=False):
                    if cell:
                        record[part] = int(cell) if integer and cell.isdigit() else cell
                records.append(record)
            details[spec.name] = records
        else:
            details[spec.name] = value.strip() if isinstance(value, str) else value
    return details


def details_initial(item_type: str, details: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values for stored details."""
    initial: dict[str, Any] = {}
    for spec in detail_fields(item_type):
        value = details.get(spec.name)
        if value is None:
            continue
        if spec.kind == "bool":
            initial[spec.name] = _YES if value else _NO
        elif spec.kind == "lines":
            initial[spec.name] = "\n".join(map(str, value))
        elif spec.kind == "records":
            initial[spec.name] = "\n".join(
                " | ".join(str(record.get(part, "")) for part, _i in spec.parts).rstrip(" |")
                for record in value
            )
        else:
            initial[spec.name] = value
    return initial


def _shown(spec: DetailField, value: Any) -> list[str]:
    if spec.kind == "bool":
        return [gettext("yes") if value else gettext("no")]
    if spec.kind in ("choice", "choices"):
        values = value if isinstance(value, list) else [value]
        return [_value_label(str(v)) for v in values]
    if spec.kind == "records":
        return [
            " · ".join(str(record[part]) for part, _i in spec.parts if record.get(part))
            for record in value
            if isinstance(record, dict)
        ]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def detail_rows(item_type: str, details: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """(label, values) of each details field the item has, in the order of its type."""
    rows = []
    specs = {spec.name: spec for spec in detail_fields(item_type)}
    for name, spec in specs.items():
        if details.get(name) not in (None, "", []):
            rows.append((_label(name), _shown(spec, details[name])))
    for name, value in details.items():  # fields a former version of the type had
        if name not in specs and value not in (None, "", []):
            rows.append((_label(name), _shown(DetailField(name, "line"), value)))
    return rows
