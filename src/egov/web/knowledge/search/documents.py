"""The text of an item as the index holds it: four fields of decreasing weight.

- ``title``;
- ``summary``;
- ``body``: the Markdown as a reader sees it (:func:`egov.web.markdown.plain_text`);
- ``context``: the names of what the item is tagged with (countries, regions, themes, stages),
  its type and its source organisation, so ``Korea case study`` finds a case study tagged KOR
  whose text never says "case study".

The two characters that mark matches in snippets (:data:`MARK_START`, :data:`MARK_END`) never
occur in indexed text: :func:`plain_text` drops control characters, and :func:`_clean` drops
them from the other fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from egov.web.datacenter.models import Country
from egov.web.markdown import plain_text

from .. import taxonomy
from ..models import Item, ItemStatus, ItemTag, ItemType

#: Around a match in snippets, before the text is escaped (see :func:`..search.marked`).
MARK_START: Final = "\x02"
MARK_END: Final = "\x03"
_CONTROLS: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: The text search configuration of each item language (PostgreSQL): a stemmer for the
#: languages PostgreSQL has one for, ``simple`` (lower-casing only) for Arabic, Chinese and
#: the rest.
CONFIGS: Final[Mapping[str, str]] = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "ru": "russian",
}
DEFAULT_CONFIG: Final = "simple"


@dataclass(frozen=True, slots=True)
class Document:
    item_id: int
    language: str
    title: str
    summary: str
    body: str
    context: str

    @property
    def config(self) -> str:
        return CONFIGS.get(self.language, DEFAULT_CONFIG)


def _clean(text: str) -> str:
    return _CONTROLS.sub(" ", text)


def _theme_label(code: str) -> str:
    label = getattr(taxonomy, "theme_label", None)
    if label is not None:
        try:
            return str(label(code))
        except (KeyError, LookupError, NotImplementedError):
            pass
    return code.replace("_", " ")


def document(
    item: Item, tags: Iterable[tuple[str, str]], country_names: Mapping[str, str]
) -> Document:
    """The index text of ``item`` with its ``(kind, code)`` tags; ``country_names`` maps ISO3
    to the registry's (English) name."""
    context: list[str] = [str(ItemType(item.type).label) if item.type in ItemType.values else ""]
    for kind, code in tags:
        if kind == ItemTag.Kind.COUNTRY:
            context.append(country_names.get(code, code))
        elif kind in (ItemTag.Kind.REGION, ItemTag.Kind.SUB_REGION, ItemTag.Kind.STAGE):
            context.append(code)
        elif kind == ItemTag.Kind.THEME:
            context.append(_theme_label(code))
    context.append(item.source_organisation)
    return Document(
        item_id=item.pk,
        language=item.language,
        title=_clean(item.title),
        summary=_clean(item.summary),
        body=plain_text(item.body_md) if item.body_md else "",
        context=_clean(". ".join(part for part in context if part)),
    )


def documents(items: Iterable[Item]) -> list[Document]:
    """The documents of the published ``items`` (two queries for their tags and countries)."""
    chosen = [item for item in items if item.status == ItemStatus.PUBLISHED]
    tags: dict[int, list[tuple[str, str]]] = {item.pk: [] for item in chosen}
    for item_id, kind, code in ItemTag.objects.filter(item__in=[i.pk for i in chosen]).values_list(
        "item_id", "kind", "code"
    ):
        tags[item_id].append((kind, code))
    iso3 = {code for found in tags.values() for kind, code in found if kind == "country"}
    names = dict(Country.objects.filter(iso3__in=iso3).values_list("iso3", "name"))
    return [document(item, tags[item.pk], names) for item in chosen]
