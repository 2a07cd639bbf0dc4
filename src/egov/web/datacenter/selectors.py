"""Reads of the Data Center: editions as the frames the core consumes, and page data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from egov.data.tables import FRAME_COLUMNS, INDICES, EditionTable
from egov.errors import EgovError
from egov.frameworks import load_anomalies, load_edition_methods
from egov.methodology import VerificationReport, verify_edition

from .models import Edition, EditionCountry, IndexValue


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
    long = pd.DataFrame.from_records(list(values), columns=["iso3", "index", "value", "rank"])
    wide = long.pivot(index="iso3", columns="index", values="value")
    frame = frame.join(wide.reindex(columns=list(INDICES)), how="outer")
    ranks = long.loc[long["index"] == "egdi"].set_index("iso3")["rank"]
    frame["rank"] = ranks.reindex(frame.index).astype("Int64")
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
    return [
        verify_edition(edition_table(edition=edition).frame, methods[edition.year], anomalies)
        for edition in editions()
    ]
