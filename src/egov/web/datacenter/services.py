"""Writes of the Data Center: the country registry and the published editions.

Each entry point is one durable transaction: every file is read and validated first
(:class:`~egov.errors.DataFileError` before any write), then the editions are replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from django.db import transaction
from django.utils import timezone

from egov.config import data_dir
from egov.data.countries import CountryRegistry
from egov.data.readers import read_paths
from egov.data.tables import EditionTable
from egov.errors import Issue

from .models import Country, Edition, EditionCountry, IndexValue

Progress = Callable[[int, int], None]
_Key = tuple[str, str]  # (iso3, index)
_Cell = tuple[float, int | None]  # (value, rank)


@cache
def default_registry() -> CountryRegistry:
    """The country registry built from ``EGOV_DATA_DIR`` (read once per process)."""
    return CountryRegistry.load(data_dir())


@dataclass(frozen=True, slots=True)
class EditionChange:
    """What an import did to one edition, counted in index values (country × index), with
    the reader's notes (a partial country list, a file read as Windows-1252, …)."""

    year: int
    source: str
    indices: tuple[str, ...]
    added: int
    changed: int
    unchanged: int
    notes: tuple[Issue, ...] = ()

    @property
    def status(self) -> str:
        if self.added and not (self.changed or self.unchanged):
            return "new"
        return "changed" if self.added or self.changed else "unchanged"

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "source": self.source,
            "indices": list(self.indices),
            "status": self.status,
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "notes": [note.as_dict() for note in self.notes],
        }


@dataclass(frozen=True, slots=True)
class ImportSummary:
    editions: tuple[EditionChange, ...]

    def as_dict(self) -> dict[str, object]:
        return {"editions": [change.as_dict() for change in self.editions]}


@transaction.atomic
def countries_sync(*, registry: CountryRegistry) -> dict[str, Country]:
    """Make the Country table equal the registry's Member States; return them by ISO3."""
    existing = {country.iso3: country for country in Country.objects.all()}
    fields = (
        "m49",
        "name",
        "region",
        "sub_region",
        "income_group",
        "developed",
        "un_member",
        "ldc",
        "lldc",
        "sids",
    )
    to_create, to_update = [], []
    for entry in registry.members:
        values = {name: getattr(entry, name) for name in fields}
        values["income_group"] = values["income_group"] or ""
        row = existing.get(entry.iso3)
        if row is None:
            to_create.append(Country(iso3=entry.iso3, **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            to_update.append(row)
    Country.objects.bulk_create(to_create)
    Country.objects.bulk_update(to_update, fields)
    return {country.iso3: country for country in Country.objects.all()}


@transaction.atomic(durable=True)
def editions_import(
    *,
    paths: Sequence[Path],
    registry: CountryRegistry | None = None,
    on_progress: Progress | None = None,
) -> ImportSummary:
    """Read every file, then replace the editions they hold; all or nothing.

    A file replaces, in its edition, the indices it carries (an EGDI-only file leaves OSI
    alone) and every other edition stays as it was. Unchanged values are not written, so
    importing the same files again changes nothing.
    """
    registry = registry or default_registry()
    tables = read_paths(paths, registry=registry)
    countries = countries_sync(registry=registry)
    changes = []
    for done, table in enumerate(tables, start=1):
        changes.append(_edition_replace(table, countries))
        if on_progress:
            on_progress(done, len(tables))
    return ImportSummary(tuple(changes))


def _cells(table: EditionTable) -> dict[_Key, _Cell]:
    """The table's values by (iso3, index); the published rank rides on the EGDI value."""
    frame = table.frame
    ranks = {
        str(iso3): None if pd.isna(rank) else int(rank) for iso3, rank in frame["rank"].items()
    }
    return {
        (str(iso3), index): (float(value), ranks[str(iso3)] if index == "egdi" else None)
        for index in table.indices
        for iso3, value in frame[index].dropna().items()
    }


def _edition_replace(table: EditionTable, countries: dict[str, Country]) -> EditionChange:
    """Write the values the table carries; every other value of the edition stays.

    A file replaces, for the countries it lists, the indices it carries: a regional extract
    or an EGDI-only file leaves the rest of the edition as it was. A file without ranks keeps
    the published ranks.
    """
    edition, _created = Edition.objects.get_or_create(
        year=table.year,
        defaults={"source": table.source, "layout": table.layout, "imported_at": timezone.now()},
    )
    after = _cells(table)
    stored = {
        (value.country.iso3, value.index): value
        for value in IndexValue.objects.filter(
            edition=edition, index__in=table.indices, country__iso3__in=list(table.frame.index)
        ).select_related("country")
    }
    keep_ranks = table.frame["rank"].isna().all()
    added, changed = [], []
    for key, (value, rank) in after.items():
        row = stored.get(key)
        if keep_ranks and row is not None:
            rank = row.rank
        if row is None:
            iso3, index = key
            added.append(
                IndexValue(
                    edition=edition, country=countries[iso3], index=index, value=value, rank=rank
                )
            )
        elif (row.value, row.rank) != (value, rank):
            row.value, row.rank = value, rank
            changed.append(row)
    IndexValue.objects.bulk_create(added)
    IndexValue.objects.bulk_update(changed, ["value", "rank"])
    renamed = _rows_replace(edition, table, countries)
    if added or changed or renamed:
        # imported_at is part of the published version (ETags, cached downloads): a file that
        # changes only the published spellings still changes what the downloads hold.
        edition.source, edition.layout = table.source, table.layout
        edition.imported_at = timezone.now()
        edition.save()
    return EditionChange(
        year=table.year,
        source=table.source,
        indices=table.indices,
        added=len(added),
        changed=len(changed),
        unchanged=len(after) - len(added) - len(changed),
        notes=table.notes,
    )


def _rows_replace(edition: Edition, table: EditionTable, countries: dict[str, Country]) -> bool:
    """Keep the edition's rows (each country's name as published, and the file's order);
    True when they changed.

    A file with ranks is a full published layout: its names and order win. A file without
    (an index-per-file layout such as Data360) only adds the countries not listed yet, so the
    Survey's spelling survives an import of World Bank names.
    """
    frame = table.frame
    offered = {
        str(iso3): (str(name), int(row))
        for iso3, name, row in zip(frame.index, frame["name"], frame["row"], strict=True)
    }
    have = {
        iso3: (name, row)
        for iso3, name, row in edition.rows.values_list("country__iso3", "published_name", "row")
    }
    authoritative = frame["rank"].notna().any()
    wanted = {**have, **offered} if authoritative else {**offered, **have}
    if wanted == have:
        return False
    edition.rows.all().delete()
    EditionCountry.objects.bulk_create(
        EditionCountry(edition=edition, country=countries[iso3], published_name=name, row=row)
        for iso3, (name, row) in wanted.items()
    )
    return True
