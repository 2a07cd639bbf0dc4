"""The vocabularies an item is tagged with, read from the framework files: the theme taxonomy
(``frameworks/knowledge/themes.yaml``), the active METER framework's pillars and sub-themes,
the four stages of online service, and the fields of each item type
(:mod:`egov.frameworks.knowledge_schema`). Services validate against these; pages label with
them."""

from __future__ import annotations

from typing import Any, Final

from egov.frameworks import load_meter
from egov.frameworks.knowledge_schema import load_themes, validate_details

STAGES: Final = ("emerging", "enhanced", "transactional", "connected")


def is_theme(code: str) -> bool:
    return load_themes().is_theme(code)


def theme_label(code: str) -> str:
    """A theme's name; its code when the taxonomy no longer has it."""
    try:
        return load_themes().theme(code).name
    except KeyError:
        return code


def meter_version() -> str:
    """The id of the METER framework tags are checked against (the latest)."""
    return load_meter().id


def is_meter_tag(code: str) -> bool:
    """A pillar (``C``) or sub-theme (``C1``) id of the active METER framework."""
    return load_meter().is_known_tag(code)


def meter_label(code: str) -> str:
    """``C1 Access to training resources``; the code alone when unknown."""
    framework = load_meter()
    for pillar in framework.pillars:
        if pillar.id == code:
            return f"{pillar.id} {pillar.name}"
        for sub in pillar.subthemes:
            if sub.id == code:
                return f"{sub.id} {sub.name}"
    return code


def check_details(
    type: str, data: dict[str, Any]
) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """The type-specific fields cleaned, and every problem as (field, code, message)."""
    cleaned, problems = validate_details(type, data)
    return cleaned, [(p.field, p.code, p.message) for p in problems]
