"""Reads of the Data Center: editions as the frames the core consumes, and page data."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

import numpy as np
import pandas as pd
from django.db.models import Count, F, Q, QuerySet

from egov.data.countries import GROUPS, Group
from egov.data.tables import FRAME_COLUMNS, INDICES, EditionTable
from egov.errors import EgovError
from egov.frameworks import load_anomalies, load_edition_methods
from egov.methodology import (
    ASSESSED,
    NOT_MEMBER,
    EditionMethod,
    EditionModel,
    VerificationReport,
    assessed,
    competition_rank,
    country_status,
    edition_model,
    egdi_classes,
    group_aggregates,
    group_spread,
    verify_edition,
)

from .models import Country, Edition, EditionCountry, IndexValue
from .services import default_registry


def editions() -> list[Edition]:
    return list(Edition.objects.order_by("year"))


def edition_table(*, edition: Edition) -> EditionTable:
    """The edition as stored, in the shape a reader returns (two queries)."""
    rows = EditionCountry.objects.filter(edition=edition).values_list(
        "country__iso3", "published_name", "row"
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["iso3", "name", "row"]).set_index("iso3")
    values = IndexValue.objects.filter(edition=edition).values_list(
        "country__iso3", "index", "value", "rank"
    )
    frame = frame.join(_edition_frame(values), how="outer")
    frame["row"] = frame["row"].astype("int64")
    frame = frame.sort_values("row")[list(FRAME_COLUMNS)]
    frame.index.name = "iso3"
    return EditionTable(year=edition.year, source=edition.source, layout="database", frame=frame)


def edition_tables(*, years: Sequence[int] | None = None) -> list[EditionTable]:
    """The stored editions (all, or those of ``years``) as tables; an unknown year is an error."""
    found = editions() if years is None else list(Edition.objects.filter(year__in=years))
    missing = sorted(set(years or ()) - {edition.year for edition in found})
    if missing:
        stored = ", ".join(str(edition.year) for edition in editions()) or "none"
        raise EgovError(f"no edition {missing[0]} in the database (stored: {stored})")
    return [edition_table(edition=edition) for edition in found]


def uncertainty_model(*, edition: Edition) -> EditionModel:
    """The edition's assessed countries as the uncertainty core wants them (the edition as
    stored, with its method): what ``egov uncertainty`` and the robustness pages simulate.
    Two queries; cache the result per published version."""
    return edition_model(edition_table(edition=edition).frame, _method(edition.year))


@dataclass(frozen=True, slots=True)
class RankedCountry:
    rank: int
    iso3: str
    name: str
    egdi: float


def edition_top(*, edition: Edition, limit: int = 10) -> list[RankedCountry]:
    """The first ``limit`` ranks of an edition (ties may make the list longer)."""
    values = (
        IndexValue.objects.filter(edition=edition, index="egdi", rank__isnull=False)
        .select_related("country")
        .order_by("rank", "country__name")
    )
    cut = values.filter(rank__lte=limit)
    return [
        RankedCountry(
            rank=value.rank or 0, iso3=value.country.iso3, name=value.country.name, egdi=value.value
        )
        for value in cut
    ]


def editions_verification() -> list[VerificationReport]:
    """Every stored edition recomputed by the core against its documented anomalies."""
    methods = load_edition_methods()
    anomalies = load_anomalies()
    stored = editions()
    unknown = [str(edition.year) for edition in stored if edition.year not in methods]
    if unknown:
        raise EgovError(
            f"no method for edition {', '.join(unknown)} in frameworks/survey/editions.yaml"
        )
    return [
        verify_edition(edition_table(edition=edition).frame, methods[edition.year], anomalies)
        for edition in stored
    ]


# --- Data Center pages, API and downloads ------------------------------------------------------

#: What an edition frame is built from: one row per value, with the published EGDI rank.
_VALUE_FIELDS: Final = ("country__iso3", "index", "value", "rank")


def published_version() -> str:
    """A short fingerprint of what is published: the stored editions (id, year, import time)
    and the country registry (every field of every country), in one query.

    It changes whenever any edition is imported, replaced or removed, or a country's
    metadata change (``countries_sync``: a region, an income group, a special group), so it
    makes a sound ``ETag`` for every published read, including those spanning editions (rank
    changes, histories) and those carrying registry metadata (names, regions, groups).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(connection.vendor, connection.ops.quote_name))
        text = repr(cursor.fetchall())
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _fingerprint_sql(vendor: str, quote: Any) -> str:
    """The editions' stamps and every registry row, concatenated by the database itself: this
    runs on every published request (the ETag), where 193 rows through the ORM cost more than
    the query. Only equality matters: a different order would change the tag, never keep it."""
    editions = quote(Edition._meta.db_table)
    registry = quote(Country._meta.db_table)
    stamp = [quote(name) for name in ("id", "year", "imported_at")]
    columns = [quote(field.column) for field in Country._meta.concrete_fields]
    if vendor == "postgresql":
        return (
            f"SELECT (SELECT string_agg(concat_ws('|', {', '.join(stamp)}), ';' ORDER BY "
            f"{stamp[1]}) FROM {editions}), (SELECT string_agg(concat_ws('|', "
            f"{', '.join(columns)}), ';' ORDER BY {columns[0]}) FROM {registry})"
        )
    separated = " || '|' || "
    return (
        f"SELECT (SELECT group_concat(line, ';') FROM (SELECT {separated.join(stamp)} AS line "
        f"FROM {editions} ORDER BY {stamp[1]})), (SELECT group_concat(line, ';') FROM (SELECT "
        f"{separated.join(columns)} AS line FROM {registry} ORDER BY {columns[0]}))"
    )


def previous_edition(*, edition: Edition) -> Edition | None:
    return Edition.objects.filter(year__lt=edition.year).order_by("-year").first()


def _method(year: int) -> EditionMethod:
    method = load_edition_methods().get(year)
    if method is None:
        raise EgovError(f"no method for edition {year} in frameworks/survey/editions.yaml")
    return method


def _edition_frame(records: Iterable[tuple[str, str, float, int | None]]) -> pd.DataFrame:
    """Index values ``(iso3, index, value, rank)`` as the frame the core reads: one row per
    country, the columns ``rank`` (the EGDI rank, ``Int64``) and every index (NaN if absent)."""
    long = pd.DataFrame.from_records(list(records), columns=["iso3", "index", "value", "rank"])
    wide = long.pivot(index="iso3", columns="index", values="value").reindex(columns=list(INDICES))
    ranks = long.loc[long["index"] == "egdi"].set_index("iso3")["rank"]
    wide.insert(0, "rank", ranks.reindex(wide.index).astype("Int64"))
    wide.index.name = "iso3"
    wide.columns.name = None
    return wide


def _standing(frame: pd.DataFrame, method: EditionMethod) -> pd.DataFrame:
    """Status, EGDI group and rating class of every country of one edition's frame, by the
    core from the published EGDI (rating classes for every edition, though the Survey
    published them only from 2020: ``rating_classes_published``)."""
    status = country_status(frame)
    return egdi_classes(frame["egdi"], status, method).assign(status=status)


def _optional_float(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _optional_int(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def _optional_str(value: Any) -> str | None:
    return None if pd.isna(value) else str(value)


@dataclass(frozen=True, slots=True)
class RankingRow:
    """One country of an edition, as the ranking table shows it."""

    rank: int | None  # the published EGDI rank; None for a country not yet a Member State
    iso3: str
    name: str  # the registry's name (the published spelling is in the downloads)
    region: str
    sub_region: str
    income_group: str | None
    egdi: float | None
    osi: float | None
    tii: float | None
    hci: float | None
    epi: float | None
    group: str | None  # V H M L, from the published EGDI
    rating_class: str | None  # VH … L1, computed over the assessed countries
    rank_change: int | None  # previous rank − rank (positive: moved up); None if not there
    ldc: bool  # on the list for this edition's year (CountryRegistry.in_group)
    lldc: bool
    sids: bool
    status: str  # assessed, not-assessed, not-member (egov.methodology.status)

    @property
    def assessed(self) -> bool:
        return self.status == ASSESSED


@dataclass(frozen=True, slots=True)
class EditionRanking:
    year: int
    previous_year: int | None
    rating_class_method: str
    rating_classes_published: bool  # False before 2020: the classes are ours, not the Survey's
    rows: tuple[RankingRow, ...]


def edition_ranking(*, edition: Edition) -> EditionRanking:
    """Every country of an edition by published rank (then name), with group, rating class,
    rank change since the previous edition and special-group membership: three queries."""
    values = IndexValue.objects.filter(edition=edition).values_list(
        *_VALUE_FIELDS,
        "country__name",
        "country__region",
        "country__sub_region",
        "country__income_group",
    )
    rows = list(values)
    frame = _edition_frame(row[:4] for row in rows)
    countries = {row[0]: row[4:] for row in rows}
    method = _method(edition.year)
    standing = _standing(frame, method)
    previous = previous_edition(edition=edition)
    before: dict[str, int | None] = (
        dict(
            IndexValue.objects.filter(edition=previous, index="egdi").values_list(
                "country__iso3", "rank"
            )
        )
        if previous
        else {}
    )
    registry = default_registry()
    groups = {group: registry.in_group(group, edition.year) for group in GROUPS}
    ranked = []
    for iso3, row in frame.iterrows():
        code = str(iso3)
        name, region, sub_region, income_group = countries[code]
        rank = _optional_int(row["rank"])
        was = before.get(code)
        ranked.append(
            RankingRow(
                rank=rank,
                iso3=code,
                name=name,
                region=region,
                sub_region=sub_region,
                income_group=income_group or None,
                egdi=_optional_float(row["egdi"]),
                osi=_optional_float(row["osi"]),
                tii=_optional_float(row["tii"]),
                hci=_optional_float(row["hci"]),
                epi=_optional_float(row["epi"]),
                group=_optional_str(standing.at[iso3, "group"]),
                rating_class=_optional_str(standing.at[iso3, "rating_class"]),
                rank_change=None if rank is None or was is None else was - rank,
                ldc=code in groups["ldc"],
                lldc=code in groups["lldc"],
                sids=code in groups["sids"],
                status=str(standing.at[iso3, "status"]),
            )
        )
    ranked.sort(key=lambda row: (row.rank is None, row.rank or 0, row.name))
    return EditionRanking(
        year=edition.year,
        previous_year=previous.year if previous else None,
        rating_class_method=method.rating_class_method if method else "count_quartile",
        rating_classes_published=method.rating_classes_published if method else False,
        rows=tuple(ranked),
    )


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """A country in one edition: its values, rank, group and rating class."""

    year: int
    rank: int | None
    egdi: float | None
    osi: float | None
    tii: float | None
    hci: float | None
    epi: float | None
    group: str | None
    rating_class: str | None
    rating_classes_published: bool
    status: str


def country_history(*, country: Country) -> list[HistoryRow]:
    """The country in every edition that lists it, oldest first: one query.

    Group and rating class depend on the whole edition (quartiles within each group), so
    every edition is read whole, as :func:`edition_ranking` reads one.
    """
    everything = IndexValue.objects.values_list("edition__year", *_VALUE_FIELDS)
    by_year: dict[int, list[tuple[str, str, float, int | None]]] = {}
    for year, iso3, index, value, rank in everything:
        by_year.setdefault(year, []).append((iso3, index, value, rank))
    history = []
    for year in sorted(by_year):
        frame = _edition_frame(by_year[year])
        if country.iso3 not in frame.index:
            continue
        method = _method(year)
        standing = _standing(frame, method)
        row = frame.loc[country.iso3]
        history.append(
            HistoryRow(
                year=year,
                rank=_optional_int(row["rank"]),
                egdi=_optional_float(row["egdi"]),
                osi=_optional_float(row["osi"]),
                tii=_optional_float(row["tii"]),
                hci=_optional_float(row["hci"]),
                epi=_optional_float(row["epi"]),
                group=_optional_str(standing.at[country.iso3, "group"]),
                rating_class=_optional_str(standing.at[country.iso3, "rating_class"]),
                rating_classes_published=bool(method and method.rating_classes_published),
                status=str(standing.at[country.iso3, "status"]),
            )
        )
    return history


def index_values(
    *,
    edition: Edition | None = None,
    country: Country | None = None,
    index: str | None = None,
    region: str | None = None,
    sub_region: str | None = None,
    group: Group | None = None,
) -> QuerySet[IndexValue, Any]:
    """Published values, one dict per value (``year iso3 index value rank``), filtered.

    ``group`` is a special group (ldc, lldc, sids) as listed in each value's edition year.
    Ordered by year, index, rank, ISO3; a lazy queryset, so a page costs one query (two with
    its count).
    """
    values = IndexValue.objects.all()
    if edition is not None:
        values = values.filter(edition=edition)
    if country is not None:
        values = values.filter(country=country)
    if index is not None:
        values = values.filter(index=index)
    if region is not None:
        values = values.filter(country__region=region)
    if sub_region is not None:
        values = values.filter(country__sub_region=sub_region)
    if group is not None:
        registry = default_registry()
        years = (
            [edition.year]
            if edition is not None
            else list(Edition.objects.values_list("year", flat=True))
        )
        members = Q(pk__in=[])
        for year in years:
            members |= Q(edition__year=year, country__iso3__in=registry.in_group(group, year))
        values = values.filter(members)
    return values.order_by("edition__year", "index", "rank", "country__iso3").values(
        "value", "rank", "index", year=F("edition__year"), iso3=F("country__iso3")
    )


#: How :func:`edition_aggregates` groups the countries, in its output order.
GROUPINGS: Final = ("world", "region", "sub_region", "income_group", "special_group")


def edition_aggregates(*, edition: Edition, spread: bool = False) -> pd.DataFrame:
    """Mean, median, count and share of every index over the edition's assessed countries,
    for the world, each region, sub-region, income group and special group: two queries.

    Unweighted means over the assessed Member States (spec §10, through
    :func:`egov.methodology.group_aggregates`). Special groups as listed in the edition's year.
    Columns ``grouping group index mean median count share``, one row per group and index;
    with ``spread``, also ``minimum lower_quartile upper_quartile maximum std``
    (:func:`egov.methodology.group_spread`).
    """
    frame = _edition_frame(IndexValue.objects.filter(edition=edition).values_list(*_VALUE_FIELDS))
    meta = pd.DataFrame.from_records(
        list(
            Country.objects.filter(iso3__in=list(frame.index)).values_list(
                "iso3", "region", "sub_region", "income_group"
            )
        ),
        columns=["iso3", "region", "sub_region", "income_group"],
    ).set_index("iso3")
    meta = meta.reindex(frame.index).replace("", np.nan)
    registry = default_registry()
    special = pd.DataFrame(
        {group: frame.index.isin(list(registry.in_group(group, edition.year))) for group in GROUPS},
        index=frame.index,
    )
    considered = assessed(frame)
    special = special.loc[:, special[considered].any()]  # an empty group has no average
    groupings: dict[str, pd.Series[str] | pd.DataFrame | None] = {
        "world": None,
        "region": meta["region"],
        "sub_region": meta["sub_region"],
        "income_group": meta["income_group"],
        "special_group": special,
    }
    parts = []
    for index in INDICES:
        values = frame[index]
        if not values[considered].notna().any():
            continue
        for name, grouping in groupings.items():
            part = group_aggregates(values, grouping, considered=considered)
            if spread:
                part = part.join(group_spread(values, grouping, considered=considered))
            part = part.reset_index()
            part.insert(0, "grouping", name)
            part.insert(2, "index", index)
            parts.append(part)
    result = pd.concat(parts, ignore_index=True)
    order = {name: position for position, name in enumerate(GROUPINGS)}
    positions = {index: position for position, index in enumerate(INDICES)}
    keys = pd.DataFrame(
        {
            "grouping": result["grouping"].map(order),
            "group": result["group"],
            "index": result["index"].map(positions),
        }
    )
    ordered = keys.sort_values(["grouping", "group", "index"], kind="stable").index
    return result.loc[ordered].reset_index(drop=True)


@dataclass(frozen=True, slots=True)
class EditionSummary:
    """An edition as stored, with its title and rating-class method from ``editions.yaml``."""

    year: int
    title: str
    headline_index: str
    source: str
    layout: str
    imported_at: datetime
    countries: int
    indices: tuple[str, ...]
    rating_class_method: str
    rating_classes_published: bool


def edition_summaries(*, year: int | None = None) -> list[EditionSummary]:
    """Every stored edition (or the one of ``year``), oldest first: two queries."""
    stored = Edition.objects.annotate(countries=Count("rows")).order_by("year")
    if year is not None:
        stored = stored.filter(year=year)
    carried: dict[int, set[str]] = {}
    for edition_id, index in (
        IndexValue.objects.filter(edition__in=stored).values_list("edition_id", "index").distinct()
    ):
        carried.setdefault(edition_id, set()).add(index)
    summaries = []
    for edition in stored:
        method = _method(edition.year)
        summaries.append(
            EditionSummary(
                year=edition.year,
                title=method.title if method else "",
                headline_index=method.headline_index if method else "",
                source=edition.source,
                layout=edition.layout,
                imported_at=edition.imported_at,
                countries=edition.countries,
                indices=tuple(code for code in INDICES if code in carried.get(edition.pk, ())),
                rating_class_method=method.rating_class_method if method else "count_quartile",
                rating_classes_published=bool(method and method.rating_classes_published),
            )
        )
    return summaries


def countries(
    *, region: str | None = None, sub_region: str | None = None, group: Group | None = None
) -> QuerySet[Country]:
    """The Member States by name; ``group`` as listed on the registry's current lists."""
    found = Country.objects.order_by("name", "iso3")
    if region is not None:
        found = found.filter(region=region)
    if sub_region is not None:
        found = found.filter(sub_region=sub_region)
    if group is not None:
        found = found.filter(**{group: True})
    return found


# --- Country profile and Compare pages ---------------------------------------------------------

#: A sub-region with fewer assessed countries than this is too small to set a country among:
#: the country profile shows the countries of its region instead.
PEERS_MINIMUM: Final = 5
#: The components of EGDI, whose gaps the country profile names (EPI is not part of EGDI).
GAP_COMPONENTS: Final = ("osi", "tii", "hci")
#: The most countries the Compare page sets side by side.
COMPARE_LIMIT: Final = 8


@dataclass(frozen=True, slots=True)
class RegionalPosition:
    """A country's place among the assessed countries of its region and sub-region in one
    edition, by published EGDI rank (ties share a place); None when it was not assessed."""

    year: int
    region_position: int | None
    region_count: int
    sub_region_position: int | None
    sub_region_count: int


def country_positions(*, country: Country) -> list[RegionalPosition]:
    """The country's place in its region and sub-region in every edition that lists it,
    oldest first: one query.

    The assessed countries of the region are ordered by their published EGDI rank with
    :func:`egov.methodology.competition_rank` (``1224``: ties share a place); a country not
    assessed that year has no place, but the count is still given.
    """
    rows = IndexValue.objects.filter(index="egdi").values_list(
        "edition__year", "country__iso3", "rank", "value", "country__region", "country__sub_region"
    )
    everything = pd.DataFrame.from_records(
        list(rows), columns=["year", "iso3", "rank", "egdi", "region", "sub_region"]
    )
    positions = []
    for year, listed in everything.groupby("year", sort=True):
        edition = listed.set_index("iso3")
        if country.iso3 not in edition.index:
            continue
        edition = edition.assign(rank=pd.array(edition["rank"].tolist(), dtype="Int64"))
        considered = edition[assessed(edition)]
        places: dict[str, tuple[int | None, int]] = {}
        for scope in ("region", "sub_region"):
            within = considered[considered[scope] == getattr(country, scope)]
            ranks = competition_rank(within["rank"].astype("float64"), ascending=True)
            place = ranks.get(country.iso3)
            places[scope] = (_optional_int(place), len(within))
        positions.append(
            RegionalPosition(
                year=int(str(year)),
                region_position=places["region"][0],
                region_count=places["region"][1],
                sub_region_position=places["sub_region"][0],
                sub_region_count=places["sub_region"][1],
            )
        )
    return positions


@dataclass(frozen=True, slots=True)
class ComponentGap:
    """A component of a country against the averages of its region and of its EGDI group in
    the same edition (unweighted means over the assessed countries, spec §10)."""

    index: str
    value: float
    region_mean: float
    group: str | None
    group_mean: float | None

    @property
    def region_gap(self) -> float:
        return self.value - self.region_mean

    @property
    def group_gap(self) -> float | None:
        return None if self.group_mean is None else self.value - self.group_mean

    @property
    def shortfall(self) -> float:
        """The lower of the two gaps: how far the component falls behind either average."""
        return min(self.region_gap, self.region_gap if self.group_gap is None else self.group_gap)


def component_gaps(*, ranking: EditionRanking, iso3: str) -> list[ComponentGap]:
    """OSI, TII and HCI of the country ``iso3`` in the edition of ``ranking`` against the
    averages of its region and EGDI group, by :func:`egov.methodology.group_aggregates`; the
    weakest first (the lowest :attr:`ComponentGap.shortfall`). No query: it reads the
    ranking. Empty when the country was not assessed in that edition.
    """
    target = next((row for row in ranking.rows if row.iso3 == iso3), None)
    if target is None or not target.assessed:
        return []
    frame = pd.DataFrame.from_records(
        [
            (row.iso3, row.region, row.group, row.assessed, row.osi, row.tii, row.hci)
            for row in ranking.rows
        ],
        columns=["iso3", "region", "group", "assessed", *GAP_COMPONENTS],
    ).set_index("iso3")
    considered = frame["assessed"].astype(bool)
    gaps = []
    for index in GAP_COMPONENTS:
        value = getattr(target, index)
        if value is None:
            continue
        values = frame[index].astype("float64")
        by_region = group_aggregates(values, frame["region"], considered=considered)["mean"]
        by_group = group_aggregates(values, frame["group"], considered=considered)["mean"]
        group_mean = by_group.get(target.group) if target.group else None
        gaps.append(
            ComponentGap(
                index=index,
                value=value,
                region_mean=float(by_region[target.region]),
                group=target.group,
                group_mean=_optional_float(group_mean),
            )
        )
    return sorted(gaps, key=lambda gap: gap.shortfall)


@dataclass(frozen=True, slots=True)
class CountryProfile:
    """What the country page shows; the latest edition's figures are None when no edition
    is stored or the latest does not list the country."""

    country: Country
    history: tuple[HistoryRow, ...]
    positions: tuple[RegionalPosition, ...]
    latest_year: int | None
    previous_year: int | None
    latest: RankingRow | None
    peers_scope: str  # "sub_region", or "region" when the sub-region is small (PEERS_MINIMUM)
    peers: tuple[RankingRow, ...]  # by rank, the country among them
    gaps: tuple[ComponentGap, ...]
    ranking: EditionRanking | None = None  # the latest edition's, every country in it


def country_profile(*, country: Country) -> CountryProfile:
    """The country in every edition, its place in its region, its regional peers and the
    components that hold it back in the latest edition: six queries for any country."""
    history = tuple(country_history(country=country))
    positions = tuple(country_positions(country=country))
    latest_edition = Edition.objects.order_by("-year").first()
    if latest_edition is None:
        return CountryProfile(country, history, positions, None, None, None, "sub_region", (), ())
    ranking = edition_ranking(edition=latest_edition)
    latest = next((row for row in ranking.rows if row.iso3 == country.iso3), None)
    scope = "sub_region"
    peers = [row for row in ranking.rows if row.sub_region == country.sub_region]
    if sum(row.assessed for row in peers) < PEERS_MINIMUM:
        scope = "region"
        peers = [row for row in ranking.rows if row.region == country.region]
    return CountryProfile(
        country=country,
        history=history,
        positions=positions,
        latest_year=ranking.year,
        previous_year=ranking.previous_year,
        latest=latest,
        peers_scope=scope,
        peers=tuple(peers),
        gaps=tuple(component_gaps(ranking=ranking, iso3=country.iso3)),
        ranking=ranking,
    )


@dataclass(frozen=True, slots=True)
class ComparedValue:
    """One country in one edition of a comparison. ``value`` and ``rank`` only when it was
    assessed; ``status`` None when the edition does not list the country."""

    year: int
    value: float | None
    rank: int | None
    status: str | None


@dataclass(frozen=True, slots=True)
class ComparedCountry:
    iso3: str
    name: str  # the registry's name; pages localise it
    values: tuple[ComparedValue, ...]  # one per year of the comparison, in order


@dataclass(frozen=True, slots=True)
class IndexComparison:
    index: str
    years: tuple[int, ...]
    ranks_published: bool  # EGDI: the Survey's ranks; other indices: ranked by competition_rank
    countries: tuple[ComparedCountry, ...]


def index_comparison(
    *, countries: Sequence[Country], index: str, years: Sequence[int]
) -> IndexComparison:
    """``index`` of each country in each edition of ``years``, with its rank: one query.

    The EGDI rank is the published one. The Survey publishes no rank for the other indices,
    so they are ranked here among the edition's assessed countries with
    :func:`egov.methodology.competition_rank` at the edition's rank precision. Only assessed
    countries get a value (a not-assessed country's EGDI is 0 by rule, spec §2 E3).
    """
    chosen = sorted(set(years))
    records = IndexValue.objects.filter(
        edition__year__in=chosen, index__in={index, "egdi"}
    ).values_list("edition__year", *_VALUE_FIELDS)
    by_year: dict[int, list[tuple[str, str, float, int | None]]] = {year: [] for year in chosen}
    for year, iso3, code, value, rank in records:
        by_year[year].append((iso3, code, value, rank))
    cells: dict[tuple[str, int], ComparedValue] = {}
    for year, rows in by_year.items():
        if not rows:
            continue
        frame = _edition_frame(rows)
        status = country_status(frame)
        flags = status.eq(ASSESSED).astype(bool)
        ranks = (
            frame["rank"]
            if index == "egdi"
            else competition_rank(frame[index].where(flags), decimals=_method(year).rank_decimals)
        )
        for country in countries:
            if country.iso3 not in frame.index:
                continue
            assessed_here = bool(flags[country.iso3])
            cells[country.iso3, year] = ComparedValue(
                year=year,
                value=_optional_float(frame.at[country.iso3, index]) if assessed_here else None,
                rank=_optional_int(ranks[country.iso3]) if assessed_here else None,
                status=str(status[country.iso3]),
            )
    compared = tuple(
        ComparedCountry(
            iso3=country.iso3,
            name=country.name,
            values=tuple(
                cells.get((country.iso3, year), ComparedValue(year, None, None, None))
                for year in chosen
            ),
        )
        for country in countries
    )
    return IndexComparison(
        index=index, years=tuple(chosen), ranks_published=index == "egdi", countries=compared
    )


# --- Regions and groups, world map ---------------------------------------------------------------


def group_averages_history(*, index: str, grouping: str) -> pd.DataFrame:
    """The mean of ``index`` over the assessed countries in every stored edition, for the world
    and each group of ``grouping`` (``region``, ``sub_region``, ``income_group`` or
    ``special_group``): two queries.

    Columns ``year group mean count``, oldest edition first, the world labelled
    :data:`egov.methodology.WORLD`; an edition that does not carry the index has no row.
    Special groups as listed in each edition's year; regions and income groups as the registry
    has them now.
    """
    if grouping not in GROUPINGS[1:]:
        raise EgovError(f"unknown grouping {grouping!r} (one of {', '.join(GROUPINGS[1:])})")
    by_year: dict[int, list[tuple[str, str, float, int | None]]] = {}
    for year, iso3, code, value, rank in IndexValue.objects.values_list(
        "edition__year", *_VALUE_FIELDS
    ):
        by_year.setdefault(year, []).append((iso3, code, value, rank))
    meta = pd.DataFrame.from_records(
        list(Country.objects.values_list("iso3", "region", "sub_region", "income_group")),
        columns=["iso3", "region", "sub_region", "income_group"],
    ).set_index("iso3")
    registry = default_registry()
    parts = []
    for year in sorted(by_year):
        frame = _edition_frame(by_year[year])
        considered = assessed(frame)
        values = frame[index]
        if not values[considered].notna().any():
            continue
        groups: pd.Series[str] | pd.DataFrame
        if grouping == "special_group":
            groups = pd.DataFrame(
                {code: frame.index.isin(list(registry.in_group(code, year))) for code in GROUPS},
                index=frame.index,
            )
            groups = groups.loc[:, groups[considered].any()]  # an empty group has no average
        else:
            groups = meta[grouping].reindex(frame.index).replace("", np.nan)
        for part in (None, groups):
            averages = group_aggregates(values, part, considered=considered)
            parts.append(averages[["mean", "count"]].reset_index().assign(year=year))
    if not parts:
        return pd.DataFrame(columns=["year", "group", "mean", "count"])
    return pd.concat(parts, ignore_index=True)[["year", "group", "mean", "count"]]


@dataclass(frozen=True, slots=True)
class IndexRankRow:
    """A country's value of one index in one edition, as the world map shows it."""

    rank: int | None  # the published rank for EGDI; otherwise among the assessed countries
    iso3: str
    name: str
    value: float | None  # None for a country not yet a Member State
    group: str | None  # its EGDI group, V H M L
    status: str


def edition_index_ranking(*, edition: Edition, index: str) -> list[IndexRankRow]:
    """Every country of an edition with its value and rank in ``index``, by rank then name:
    three queries (:func:`edition_ranking`).

    The Survey publishes the EGDI rank only; the rank of another index is the competition rank
    (:func:`egov.methodology.competition_rank`) of its published values among the assessed
    countries, so a not-assessed country has none.
    """
    if index not in INDICES:
        raise EgovError(f"unknown index {index!r} (one of {', '.join(INDICES)})")
    ranking = edition_ranking(edition=edition)
    published = {row.iso3: getattr(row, index) for row in ranking.rows if row.assessed}
    computed = competition_rank(pd.Series(published, dtype="float64"))
    rows = []
    for row in ranking.rows:
        value: float | None = getattr(row, index)
        if index == "egdi":
            rank = row.rank
        else:
            rank = _optional_int(computed.get(row.iso3)) if row.assessed else None
        rows.append(
            IndexRankRow(
                rank=rank,
                iso3=row.iso3,
                name=row.name,
                value=None if row.status == NOT_MEMBER else value,
                group=row.group,
                status=row.status,
            )
        )
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, row.name))
    return rows
