"""Country names in the six UN official languages, from the ISO 3166 translations that
``pycountry`` packages (the Debian ``iso-codes`` catalogues). English stays the registry's own
spelling (the Survey's); the other languages take the ISO short name in that language, and a
country ISO does not translate keeps the registry's English name.

>>> names = localized_names("fr")
>>> names["DEU"], names["CIV"]
('Allemagne', "Côte d'Ivoire")
>>> localized_names("es")["CIV"]
"Côte d'Ivoire"
>>> localized_names("en")
{}
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

# Django language code → the iso-codes catalogue that carries it.
CATALOGUES = {"ar": "ar", "zh-hans": "zh_CN", "fr": "fr", "ru": "ru", "es": "es"}

# Where the ISO catalogue is wrong for a UN reader: pycountry 26.2's Spanish has "Costa de
# Marfíl" (misspelt); the UN's Spanish short name is the French one.
CORRECTIONS: dict[str, dict[str, str]] = {"es": {"CIV": "Côte d'Ivoire"}}


@cache
def localized_names(language: str) -> dict[str, str]:
    """ISO3 → name in ``language`` (a Django language code); empty for English or a language
    without a catalogue, so callers fall back to the registry's name."""
    catalogue = CATALOGUES.get(language)
    if catalogue is None:
        return {}
    translation = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[catalogue], fallback=True
    )
    names: dict[str, str] = {}
    for country in pycountry.countries:
        # The common name ("Bolivia") reads better than the official one where ISO has both.
        source = getattr(country, "common_name", None) or country.name
        translated = translation.gettext(source)
        if translated == source and source != country.name:
            translated = translation.gettext(country.name)
        names[country.alpha_3] = translated
    names.update(CORRECTIONS.get(language, {}))
    return names
