"""Country names in the active language: the registry's English name (the Survey's spelling)
in English, the ISO 3166 name in the other UN languages (:mod:`egov.data.names`)."""

from __future__ import annotations

from django.utils.translation import get_language

from egov.data.names import localized_names


def country_name(iso3: str, english: str, language: str | None = None) -> str:
    names = localized_names(language or get_language() or "en")
    return names.get(iso3, english)
