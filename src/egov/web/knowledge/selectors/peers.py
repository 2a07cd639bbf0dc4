r"""A country's knowledge and what it may learn from its peers, for the Data Center's country
profile (spec §5, rule 5).

:func:`country_knowledge` gathers what the platform holds about one country: its published
items by type, its cooperation projects, the workshops that involved it and its intersectoral
programmes. :func:`peer_suggestions` ranks published items about *other* countries by rule 3 of
spec §5 without the METER gap:

.. math:: score = 2\,[\text{same region}] + 2\,[\text{higher EGDI group}]
                  + 1\,[\text{recent}] + 1\,[\text{language matches}]

An item is a peer's when one of its countries is in the country's region or in a higher EGDI
group in the latest edition; only peers' items are suggested (so every suggestion scores at
least 2), on the themes of the country's own items when it has themed items. The scoring is
the pure :func:`suggestion_reasons` and :func:`rank_suggestions`, tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.methodology.classes import GROUP_LOWER_BOUNDS
from egov.web.datacenter import selectors as datacenter
from egov.web.datacenter.models import Country, Edition

from ..models import (
    Item,
    ItemStatus,
    ItemTag,
    ItemType,
    Programme,
    Project,
    Workshop,
    WorkshopParticipant,
)

# A country's knowledge ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemGroup:
    """The country's published items of one type, newest first."""

    type: str
    label: str
    items: list[Item]


@dataclass(frozen=True, slots=True)
class CountryKnowledge:
    iso3: str
    item_groups: list[ItemGroup]  # in the order of the item types; empty types left out
    projects: list[Project]  # latest start first
    workshops: list[Workshop]  # latest first
    programmes: list[Programme]  # by title

    @property
    def item_count(self) -> int:
        return sum(len(group.items) for group in self.item_groups)

    @property
    def empty(self) -> bool:
        return not (self.item_groups or self.projects or self.workshops or self.programmes)


def _about(iso3: str) -> Exists:
    """The item (``OuterRef("pk")``) is tagged with the country ``iso3``."""
    return Exists(ItemTag.objects.filter(item=OuterRef("pk"), kind=ItemTag.Kind.COUNTRY, code=iso3))


def country_knowledge(*, iso3: str) -> CountryKnowledge:
    """What the platform holds about the country ``iso3``: four queries whatever the counts.

    - its published items, grouped by type (in the order of :class:`ItemType`), each group
      newest first (year, then publication), then by title;
    - its cooperation projects (:attr:`Project.country`), latest start first;
    - the workshops that involved it: an organisation of the country took part, a published
      item of the workshop is about the country, or one of its projects ran the workshop;
    - its intersectoral programmes (:attr:`Programme.country`).
    """
    items = (
        Item.objects.filter(_about(iso3), status=ItemStatus.PUBLISHED)
        .only("slug", "type", "title", "summary", "year", "language", "published_at")
        .order_by(F("year").desc(nulls_last=True), F("published_at").desc(nulls_last=True), "title")
    )
    by_type: dict[str, list[Item]] = {}
    for item in items:
        by_type.setdefault(item.type, []).append(item)
    groups = [
        ItemGroup(type=code, label=str(label), items=by_type[code])
        for code, label in ItemType.choices
        if code in by_type
    ]
    participated = WorkshopParticipant.objects.filter(country__iso3=iso3).values("workshop")
    mentioned = ItemTag.objects.filter(
        kind=ItemTag.Kind.COUNTRY,
        code=iso3,
        item__status=ItemStatus.PUBLISHED,
        item__workshop__isnull=False,
    ).values("item__workshop")
    ran = Project.workshops.through.objects.filter(project__country__iso3=iso3).values("workshop")
    workshops = Workshop.objects.filter(
        Q(pk__in=participated) | Q(pk__in=mentioned) | Q(pk__in=ran)
    ).order_by("-year", "title")
    return CountryKnowledge(
        iso3=iso3,
        item_groups=groups,
        projects=list(Project.objects.filter(country__iso3=iso3).order_by("-start_year", "title")),
        workshops=list(workshops),
        programmes=list(Programme.objects.filter(country__iso3=iso3).order_by("title")),
    )


# Learn from peers: the scoring (pure) ------------------------------------------------------------

#: The item types suggested to learn from (spec §5 rule 2).
PEER_TYPES: Final = (
    ItemType.CASE_STUDY,
    ItemType.GOOD_PRACTICE,
    ItemType.LESSON_LEARNED,
    ItemType.TRAINING_MATERIAL,
    ItemType.POLICY_OR_STRATEGY,
)
#: An item is recent when its year is within this many years up to the current one (the
#: current year and the four before).
RECENT_YEARS: Final = 5
DEFAULT_LIMIT: Final = 5


class Reason(StrEnum):
    """Why an item is suggested: one term of the score each."""

    SUBTHEME = "sub-theme"
    SAME_REGION = "same-region"
    HIGHER_GROUP = "higher-group"
    RECENT = "recent"
    LANGUAGE = "language"


#: The weight of each term (spec §5 rule 3); the first holds only for a METER gap's suggestions
#: (:func:`gap_suggestions`): the item is tagged with the gap's sub-theme, not only its pillar.
WEIGHTS: Final[Mapping[Reason, int]] = {
    Reason.SUBTHEME: 3,
    Reason.SAME_REGION: 2,
    Reason.HIGHER_GROUP: 2,
    Reason.RECENT: 1,
    Reason.LANGUAGE: 1,
}
#: The terms that make an item a peer's; an item with neither is not suggested.
PEER_REASONS: Final = frozenset({Reason.SAME_REGION, Reason.HIGHER_GROUP})
REASON_LABELS: Final[Mapping[Reason, Promise]] = {
    Reason.SUBTHEME: _("on this sub-theme"),
    Reason.SAME_REGION: _("same region"),
    Reason.HIGHER_GROUP: _("country in a higher EGDI group"),
    Reason.RECENT: _("recent"),
    Reason.LANGUAGE: _("in your language"),
}
#: EGDI groups from the highest; a smaller position is a higher group.
_GROUP_ORDER: Final = {code: at for at, code in enumerate(GROUP_LOWER_BOUNDS)}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A published item about other countries, as the scoring sees it."""

    slug: str
    title: str
    type: str
    year: int | None
    language: str
    countries: tuple[str, ...]  # ISO3
    meter: tuple[str, ...] = ()  # METER pillar and sub-theme tags


@dataclass(frozen=True, slots=True)
class Standing:
    """The country the suggestions are for, and what the scoring compares it with."""

    iso3: str
    regions: Mapping[str, str]  # ISO3 → region, for the country and the items' countries
    groups: Mapping[str, str | None]  # ISO3 → EGDI group (V H M L) in the latest edition
    year: int  # the current year
    language: str | None = None  # the reader's language, as items name it ("en", "zh")
    subtheme: str | None = None  # the METER gap the suggestions are for

    @property
    def region(self) -> str | None:
        return self.regions.get(self.iso3)

    @property
    def group(self) -> str | None:
        return self.groups.get(self.iso3)


@dataclass(frozen=True, slots=True)
class PeerCountry:
    iso3: str
    name: str  # the registry's English name


@dataclass(frozen=True, slots=True)
class Suggestion:
    slug: str
    title: str
    type: str
    year: int | None
    language: str
    countries: tuple[PeerCountry, ...]
    score: int
    reasons: tuple[Reason, ...]  # in the order of WEIGHTS

    @property
    def type_label(self) -> str:
        return str(dict(ItemType.choices).get(self.type, self.type))

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS[reason]) for reason in self.reasons]


def _higher(group: str | None, than: str | None) -> bool:
    if group is None or than is None or group not in _GROUP_ORDER or than not in _GROUP_ORDER:
        return False
    return _GROUP_ORDER[group] < _GROUP_ORDER[than]


def suggestion_reasons(candidate: Candidate, standing: Standing) -> tuple[Reason, ...]:
    """The terms of the score that hold for ``candidate``, in the order of :data:`WEIGHTS`.

    Sub-theme: it is tagged with the METER sub-theme of the gap the suggestions are for.
    Same region: one of its countries is in the country's region. Higher group: one of its
    countries is in a higher EGDI group than the country in the latest edition (no group, no
    comparison). Recent: its year is one of the last :data:`RECENT_YEARS` up to the current
    one. Language: written in the reader's language.

    >>> standing = Standing("KAZ", {"KAZ": "Asia", "KOR": "Asia"}, {"KAZ": "H", "KOR": "V"}, 2025)
    >>> korea = Candidate("k", "Smart government", "case_study", 2021, "en", ("KOR",))
    >>> [str(reason) for reason in suggestion_reasons(korea, standing)]
    ['same-region', 'higher-group', 'recent']
    """
    held = {
        Reason.SUBTHEME: standing.subtheme is not None and standing.subtheme in candidate.meter,
        Reason.SAME_REGION: standing.region is not None
        and any(standing.regions.get(code) == standing.region for code in candidate.countries),
        Reason.HIGHER_GROUP: any(
            _higher(standing.groups.get(code), standing.group) for code in candidate.countries
        ),
        Reason.RECENT: candidate.year is not None and standing.year - RECENT_YEARS < candidate.year,
        Reason.LANGUAGE: standing.language is not None and candidate.language == standing.language,
    }
    return tuple(reason for reason in WEIGHTS if held[reason])


def suggestion_score(reasons: Iterable[Reason]) -> int:
    """The sum of the weights of ``reasons``.

    >>> suggestion_score([Reason.SAME_REGION, Reason.RECENT])
    3
    """
    return sum(WEIGHTS[reason] for reason in reasons)


def _suggestion(
    candidate: Candidate, reasons: tuple[Reason, ...], names: Mapping[str, str] | None
) -> Suggestion:
    return Suggestion(
        slug=candidate.slug,
        title=candidate.title,
        type=candidate.type,
        year=candidate.year,
        language=candidate.language,
        countries=tuple(
            PeerCountry(code, (names or {}).get(code, code)) for code in candidate.countries
        ),
        score=suggestion_score(reasons),
        reasons=reasons,
    )


def _best(found: list[Suggestion], limit: int) -> list[Suggestion]:
    """The first ``limit`` by score, then the later year (none last), then the title."""
    found.sort(key=lambda s: (-s.score, s.year is None, -(s.year or 0), s.title.casefold(), s.slug))
    return found[: max(limit, 0)]


def rank_suggestions(
    candidates: Iterable[Candidate],
    standing: Standing,
    *,
    names: Mapping[str, str] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Suggestion]:
    """The peers' items among ``candidates``, best first, at most ``limit``.

    Items about the country itself are left out; so is an item that is no peer's (neither
    same region nor higher group), whatever its other terms. Ties go to the later year (an
    item without one last), then the title.
    """
    found = []
    for candidate in candidates:
        if standing.iso3 in candidate.countries or not candidate.countries:
            continue
        reasons = suggestion_reasons(candidate, standing)
        if not PEER_REASONS.intersection(reasons):
            continue
        found.append(_suggestion(candidate, reasons, names))
    return _best(found, limit)


# Learn from peers: the reads ---------------------------------------------------------------------


def _language(code: str | None) -> str | None:
    """The reader's language as items name it: ``zh-hans`` → ``zh``."""
    return code.split("-")[0].lower() if code else None


def peer_suggestions(
    *,
    iso3: str,
    limit: int = DEFAULT_LIMIT,
    language: str | None = None,
    ranking: datacenter.EditionRanking | None = None,
) -> list[Suggestion]:
    """What the country ``iso3`` may learn from its peers: published case studies, good
    practices, lessons, training material and policies about other countries of its region or
    of a higher EGDI group in the latest edition, on the themes of the country's own published
    items (any theme when none of them has one), ranked by :func:`rank_suggestions`.

    ``ranking`` is the latest edition's :func:`~egov.web.datacenter.selectors.edition_ranking`
    when the caller has it (the country profile does): one query, or five without it.
    """
    iso3 = iso3.upper()
    if ranking is None:
        latest = Edition.objects.order_by("-year").first()
        ranking = datacenter.edition_ranking(edition=latest) if latest else None
    if ranking is not None and any(row.iso3 == iso3 for row in ranking.rows):
        regions = {row.iso3: row.region for row in ranking.rows}
        names = {row.iso3: row.name for row in ranking.rows}
        groups: dict[str, str | None] = {row.iso3: row.group for row in ranking.rows}
    else:  # no edition lists the country: its region still counts
        stored = list(Country.objects.values_list("iso3", "region", "name"))
        regions = {code: region for code, region, _name in stored}
        names = {code: name for code, _region, name in stored}
        groups = {}
    standing = Standing(
        iso3=iso3,
        regions=regions,
        groups=groups,
        year=timezone.now().year,
        language=_language(language),
    )
    peers = [
        code
        for code in regions
        if code != iso3
        and (regions[code] == standing.region or _higher(groups.get(code), standing.group))
    ]
    if not peers:
        return []
    own_themes = ItemTag.objects.filter(
        kind=ItemTag.Kind.THEME,
        item__status=ItemStatus.PUBLISHED,
        item__in=ItemTag.objects.filter(kind=ItemTag.Kind.COUNTRY, code=iso3).values("item"),
    ).values("code")
    shares_a_theme = Exists(
        ItemTag.objects.filter(item=OuterRef("pk"), kind=ItemTag.Kind.THEME, code__in=own_themes)
    )
    candidates = Item.objects.filter(
        ~_about(iso3),
        Exists(
            ItemTag.objects.filter(item=OuterRef("pk"), kind=ItemTag.Kind.COUNTRY, code__in=peers)
        ),
        shares_a_theme | ~Exists(own_themes),  # any theme when its own items have none
        status=ItemStatus.PUBLISHED,
        type__in=PEER_TYPES,
    )
    return rank_suggestions(_candidates(candidates), standing, names=names, limit=limit)


def rank_for_gap(
    candidates: Iterable[Candidate],
    standing: Standing,
    *,
    names: Mapping[str, str] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Suggestion]:
    """The ``candidates`` (items tagged with a gap's sub-theme or its pillar) best first by the
    whole score of spec §5 rule 3, at most ``limit``. Unlike :func:`rank_suggestions`, every
    candidate counts, the country's own items and non-peers' included: the gap, not the peer,
    makes an item relevant; peers only rank higher. Ties as there: later year, then title.

    >>> standing = Standing("KAZ", {"KAZ": "Asia", "KOR": "Asia"}, {}, 2025, subtheme="C1")
    >>> on_pillar = Candidate("a", "A", "case_study", 2010, "en", ("KOR",), ("C",))
    >>> on_gap = Candidate("b", "B", "case_study", 2010, "en", ("BRA",), ("C1",))
    >>> [(s.slug, s.score) for s in rank_for_gap([on_pillar, on_gap], standing)]
    [('b', 3), ('a', 2)]
    """
    found = []
    for candidate in candidates:
        reasons = suggestion_reasons(candidate, standing)
        found.append(_suggestion(candidate, reasons, names))
    return _best(found, limit)


def gap_suggestions(
    *,
    iso3: str,
    gaps: Sequence[tuple[str, str]],
    limit: int = DEFAULT_LIMIT,
    language: str | None = None,
    ranking: datacenter.EditionRanking | None = None,
) -> dict[str, list[Suggestion]]:
    """For each METER gap ``(sub-theme, pillar)`` of the country ``iso3``, the published case
    studies, good practices, lessons, training material and policies tagged with the sub-theme
    or its pillar (spec §5 rule 2), ranked by :func:`rank_for_gap`: ``sub-theme → list``.
    Three queries whatever the number of gaps (one more without ``ranking``)."""
    iso3 = iso3.upper()
    if not gaps:
        return {}
    if ranking is None:
        latest = Edition.objects.order_by("-year").first()
        ranking = datacenter.edition_ranking(edition=latest) if latest else None
    stored = list(Country.objects.values_list("iso3", "region", "name"))
    regions = {code: region for code, region, _name in stored}
    names = {code: name for code, _region, name in stored}
    groups: dict[str, str | None] = (
        {row.iso3: row.group for row in ranking.rows} if ranking is not None else {}
    )
    tags = {code for subtheme, pillar in gaps for code in (subtheme, pillar)}
    items = Item.objects.filter(
        status=ItemStatus.PUBLISHED,
        type__in=PEER_TYPES,
        pk__in=ItemTag.objects.filter(kind=ItemTag.Kind.METER, code__in=tags).values("item"),
    )
    meter: dict[int, list[str]] = {}
    for item_id, code in ItemTag.objects.filter(
        kind=ItemTag.Kind.METER, item__in=items.values("pk")
    ).values_list("item_id", "code"):
        meter.setdefault(item_id, []).append(code)
    rows = items.order_by("pk").values_list("pk", "slug", "title", "type", "year", "language")
    countries: dict[int, list[str]] = {}
    for item_id, code in (
        ItemTag.objects.filter(kind=ItemTag.Kind.COUNTRY, item__in=items.values("pk"))
        .order_by("code")
        .values_list("item_id", "code")
    ):
        countries.setdefault(item_id, []).append(code)
    candidates = [
        Candidate(
            slug,
            title,
            kind,
            year,
            language,
            tuple(countries.get(pk, ())),
            tuple(sorted(meter.get(pk, ()))),
        )
        for pk, slug, title, kind, year, language in rows
    ]
    found: dict[str, list[Suggestion]] = {}
    for subtheme, pillar in gaps:
        standing = Standing(
            iso3=iso3,
            regions=regions,
            groups=groups,
            year=timezone.now().year,
            language=_language(language),
            subtheme=subtheme,
        )
        relevant = [c for c in candidates if subtheme in c.meter or pillar in c.meter]
        found[subtheme] = rank_for_gap(relevant, standing, names=names, limit=limit)
    return found


def _candidates(items: QuerySet[Item]) -> list[Candidate]:
    """The candidates with all their countries: one query over their country tags."""
    rows = (
        ItemTag.objects.filter(kind=ItemTag.Kind.COUNTRY, item__in=items.values("pk"))
        .order_by("item_id", "code")
        .values_list(
            "item_id",
            "code",
            "item__slug",
            "item__title",
            "item__type",
            "item__year",
            "item__language",
        )
    )
    found: dict[int, tuple[tuple[str, str, str, int | None, str], list[str]]] = {}
    for item_id, code, slug, title, kind, year, language in rows:
        found.setdefault(item_id, ((slug, title, kind, year, language), []))[1].append(code)
    return [
        Candidate(slug, title, kind, year, language, tuple(codes))
        for (slug, title, kind, year, language), codes in found.values()
    ]


__all__ = [
    "DEFAULT_LIMIT",
    "PEER_TYPES",
    "REASON_LABELS",
    "RECENT_YEARS",
    "WEIGHTS",
    "Candidate",
    "CountryKnowledge",
    "ItemGroup",
    "PeerCountry",
    "Reason",
    "Standing",
    "Suggestion",
    "country_knowledge",
    "gap_suggestions",
    "peer_suggestions",
    "rank_for_gap",
    "rank_suggestions",
    "suggestion_reasons",
    "suggestion_score",
]
