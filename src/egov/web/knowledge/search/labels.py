"""Labels of facet values in the reader's language, and the order each facet lists them in.

Country names come from the datacenter's localised names; themes and METER tags from
:mod:`..taxonomy` when it offers labels (``theme_label``, ``meter_label``), else the code;
types from :class:`..models.ItemType`.

The labels of the values a facet table holds are kept with it, per language (:func:`of`): a
search looks up a few hundred of them, and the table is read again when the index changes
(a country renamed in the registry shows its new name from then on).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from egov.web.datacenter import labels as datacenter_labels
from egov.web.datacenter.localize import country_name
from egov.web.datacenter.models import Country

from .. import taxonomy
from ..models import ItemType
from .facets import FacetTable

LANGUAGES: Final[Mapping[str, Promise]] = {
    "ar": _("Arabic"),
    "zh": _("Chinese"),
    "en": _("English"),
    "fr": _("French"),
    "ru": _("Russian"),
    "es": _("Spanish"),
    "other": _("Other languages"),
}
STAGES: Final[Mapping[str, Promise]] = {
    "emerging": _("Emerging"),
    "enhanced": _("Enhanced"),
    "transactional": _("Transactional"),
    "connected": _("Connected"),
}
FACET_NAMES: Final[Mapping[str, Promise]] = {
    "type": _("Type"),
    "country": _("Country"),
    "region": _("Region"),
    "theme": _("Theme"),
    "meter": _("METER pillar or sub-theme"),
    "stage": _("Online-service stage"),
    "year": _("Year"),
    "language": _("Language"),
}


def _from_taxonomy(name: str, code: str) -> str:
    label = getattr(taxonomy, name, None)
    if label is not None:
        try:
            return str(label(code))
        except (KeyError, LookupError, NotImplementedError, ValueError):
            pass
    return code.replace("_", " ")


def _meter_key(code: str) -> tuple[str, int]:
    pillar = code.rstrip("0123456789")
    return pillar, int(code[len(pillar) :] or -1)


def labeller(facet: str, codes: Iterable[str]) -> Callable[[str], str]:
    """A function giving the label of each of ``codes`` of ``facet`` (one query for
    countries)."""
    if facet == "country":
        names = dict(Country.objects.filter(iso3__in=list(codes)).values_list("iso3", "name"))
        return lambda code: country_name(code, names.get(code, code))
    if facet == "type":
        return lambda code: str(ItemType(code).label) if code in ItemType.values else code
    if facet == "region":
        return lambda code: datacenter_labels.label(datacenter_labels.REGIONS, code)
    if facet == "theme":
        return lambda code: _from_taxonomy("theme_label", code)
    if facet == "meter":
        return lambda code: _from_taxonomy("meter_label", code)
    if facet == "stage":
        return lambda code: str(STAGES.get(code, code))
    if facet == "language":
        return lambda code: str(LANGUAGES.get(code, code))
    return str


def of(table: FacetTable, facet: str, codes: Iterable[str]) -> Mapping[str, str]:
    """The labels of ``codes`` of ``facet`` in the active language: those of values of the
    ``table`` are kept with it, any other (a value selected that no item has) made anew."""
    kept = table.labels.setdefault((get_language() or "", facet), {})
    known = table.columns[facet].numbers
    missing = [code for code in codes if code not in kept]
    if not missing:
        return kept
    label = labeller(facet, missing)
    made = {code: label(code) for code in missing}
    kept.update({code: text for code, text in made.items() if code in known})
    return {**kept, **made}


def order_key(
    facet: str, counts: Mapping[str, int]
) -> Callable[[tuple[str, str]], tuple[Any, ...]]:
    """The order of ``(code, label)`` pairs in ``facet``: vocabularies in their own order,
    years newest first, METER tags pillar by pillar, the rest by count then label."""
    fixed: dict[str, list[str]] = {
        "type": list(ItemType.values),
        "language": list(LANGUAGES),
        "stage": list(taxonomy.STAGES),
    }
    if facet in fixed:
        position = {code: index for index, code in enumerate(fixed[facet])}
        return lambda pair: (position.get(pair[0], len(position)), pair[0])
    if facet == "year":
        return lambda pair: (-int(pair[0]) if pair[0].isdigit() else 0, pair[0])
    if facet == "meter":
        return lambda pair: _meter_key(pair[0])
    return lambda pair: (-counts.get(pair[0], 0), pair[1].casefold())
