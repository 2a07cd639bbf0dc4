"""Interface labels of the data's codes and names, marked for translation: index names,
EGDI groups, M49 regions and sub-regions, income groups, special groups. The data keep their
English codes; pages show these labels in the reader's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.methodology.classes import GROUP_NAMES

INDEX_ABBREVIATIONS: dict[str, Promise] = {
    "egdi": pgettext_lazy("index abbreviation", "EGDI"),
    "osi": pgettext_lazy("index abbreviation", "OSI"),
    "tii": pgettext_lazy("index abbreviation", "TII"),
    "hci": pgettext_lazy("index abbreviation", "HCI"),
    "epi": pgettext_lazy("index abbreviation", "EPI"),
}
INDEX_NAMES: dict[str, Promise] = {
    "egdi": _("E-Government Development Index"),
    "osi": _("Online Service Index"),
    "tii": _("Telecommunications Infrastructure Index"),
    "hci": _("Human Capital Index"),
    "epi": _("E-Participation Index"),
}
GROUPS: dict[str, Promise] = {
    "V": _("Very high"),
    "H": _("High"),
    "M": _("Middle"),
    "L": _("Low"),
}
assert set(GROUPS) == set(GROUP_NAMES), "one label per EGDI group of the methodology"

REGIONS: dict[str, Promise] = {
    "Africa": _("Africa"),
    "Americas": _("Americas"),
    "Asia": _("Asia"),
    "Europe": _("Europe"),
    "Oceania": _("Oceania"),
}
SUB_REGIONS: dict[str, Promise] = {
    "Australia and New Zealand": _("Australia and New Zealand"),
    "Central Asia": _("Central Asia"),
    "Eastern Asia": _("Eastern Asia"),
    "Eastern Europe": _("Eastern Europe"),
    "Latin America and the Caribbean": _("Latin America and the Caribbean"),
    "Melanesia": _("Melanesia"),
    "Micronesia": _("Micronesia"),
    "Northern Africa": _("Northern Africa"),
    "Northern America": _("Northern America"),
    "Northern Europe": _("Northern Europe"),
    "Polynesia": _("Polynesia"),
    "South-eastern Asia": _("South-eastern Asia"),
    "Southern Asia": _("Southern Asia"),
    "Southern Europe": _("Southern Europe"),
    "Sub-Saharan Africa": _("Sub-Saharan Africa"),
    "Western Asia": _("Western Asia"),
    "Western Europe": _("Western Europe"),
}
INCOME_GROUPS: dict[str, Promise] = {
    "High": _("High income"),
    "Upper middle": _("Upper middle income"),
    "Lower middle": _("Lower middle income"),
    "Low": _("Low income"),
}
SPECIAL_GROUPS: dict[str, Promise] = {
    "ldc": _("Least developed countries (LDC)"),
    "lldc": _("Landlocked developing countries (LLDC)"),
    "sids": _("Small island developing States (SIDS)"),
}
SPECIAL_GROUP_ABBREVIATIONS: dict[str, Promise] = {
    "ldc": pgettext_lazy("group abbreviation", "LDC"),
    "lldc": pgettext_lazy("group abbreviation", "LLDC"),
    "sids": pgettext_lazy("group abbreviation", "SIDS"),
}
STATUSES: dict[str, Promise] = {
    "assessed": _("assessed"),
    "not-assessed": _("not assessed"),
    "not-member": _("not yet a Member State"),
}


def label(table: dict[str, Promise], key: str | None) -> str:
    """The translated label of ``key``, or the key itself when the table does not have it
    (a name the data carry that this version does not know yet)."""
    if key is None:
        return ""
    return str(table.get(key, key))
