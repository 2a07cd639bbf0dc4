"""How long the methodology core takes on every published edition, next to reading the files.

Run from the repository root::

    .venv/bin/python bench/methodology.py [--repeats 21]

Reads the published editions once with ``egov.data`` (``EGOV_DATA_DIR``), then times, over all
twelve editions in memory: EGDI recomputed from OSI/TII/HCI, EGDI groups, rating classes, EGDI
and EPI ranks, and every aggregate (world, region, sub-region, income group, LDC/LLDC/SIDS);
each step is the median of ``--repeats`` runs (``time.perf_counter``). The goal for the core is
under 50 ms in all. Reading the files is timed the same way for comparison.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from egov.config import data_dir
from egov.data.countries import GROUPS, CountryRegistry
from egov.data.readers import read_paths
from egov.data.tables import EditionTable
from egov.frameworks import load_anomalies, load_edition_methods
from egov.methodology import (
    RANKERS,
    EditionMethod,
    assessed,
    choose,
    egdi,
    egdi_group,
    group_aggregates,
    rating_class,
    verify_edition,
)
from harness import median_seconds

GOAL_MS = 50.0


@dataclass(frozen=True)
class Edition:
    """One edition in memory with what the core needs."""

    frame: pd.DataFrame
    method: EditionMethod
    assessed: pd.Series
    groupings: Mapping[str, pd.Series | pd.DataFrame]


def _groupings(registry: CountryRegistry, year: int) -> dict[str, pd.Series | pd.DataFrame]:
    members = registry.members
    index = pd.Index([country.iso3 for country in members], name="iso3")
    special = pd.DataFrame(
        {group.upper(): index.isin(sorted(registry.in_group(group, year))) for group in GROUPS},
        index=index,
    )
    return {
        "region": pd.Series([c.region for c in members], index=index),
        "sub-region": pd.Series([c.sub_region for c in members], index=index),
        "income": pd.Series([c.income_group for c in members], index=index),
        "special groups": special,
    }


def _editions(tables: Sequence[EditionTable], registry: CountryRegistry) -> list[Edition]:
    methods = load_edition_methods()
    return [
        Edition(
            table.frame,
            methods[table.year],
            assessed(table.frame),
            _groupings(registry, table.year),
        )
        for table in tables
    ]


def recompute_egdi(editions: Sequence[Edition]) -> None:
    for edition in editions:
        method = edition.method
        egdi(
            edition.frame,
            weights=method.egdi_weights,
            aggregator=method.egdi_aggregator,
            assessed=edition.assessed,
        )


def groups(editions: Sequence[Edition]) -> None:
    for edition in editions:
        egdi_group(edition.frame["egdi"][edition.assessed])


def rating_classes(editions: Sequence[Edition]) -> None:
    for edition in editions:
        method = edition.method
        rating_class(
            edition.frame["egdi"][edition.assessed],
            method=method.rating_class_method,
            quantile_method=method.quantile_method,
            tie_side=method.tie_side,
        )


def ranks(editions: Sequence[Edition]) -> None:
    for edition in editions:
        method = edition.method
        ranked = edition.frame[edition.frame["rank"].notna()]
        choose("ranker", RANKERS, method.rank_method)(ranked["egdi"], decimals=method.rank_decimals)
        choose("ranker", RANKERS, method.epi.rank_method)(ranked["epi"])


def aggregates(editions: Sequence[Edition]) -> None:
    for edition in editions:
        values = edition.frame["egdi"]
        group_aggregates(values, considered=edition.assessed)
        for grouping in edition.groupings.values():
            group_aggregates(values, grouping, considered=edition.assessed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    repeats = parser.parse_args().repeats

    folder = data_dir()
    paths: list[Path] = sorted((folder / "egdi").glob("EGOV_DATA_*.csv"))
    if not paths:
        raise SystemExit(f"no EGOV_DATA_*.csv in {folder / 'egdi'}: set EGOV_DATA_DIR")
    registry = CountryRegistry.load(folder)
    tables = read_paths(paths, registry=registry)
    editions = _editions(tables, registry)
    anomalies = load_anomalies()

    steps: list[tuple[str, Callable[[], object]]] = [
        ("EGDI recomputed (E1/E2, E3)", lambda: recompute_egdi(editions)),
        ("EGDI groups V/H/M/L", lambda: groups(editions)),
        ("rating classes (16)", lambda: rating_classes(editions)),
        ("ranks (EGDI and EPI)", lambda: ranks(editions)),
        ("aggregates (world, 3 groupings, LDC/LLDC/SIDS)", lambda: aggregates(editions)),
    ]
    timings = [(name, median_seconds(step, repeats) * 1000) for name, step in steps]
    core = sum(ms for _name, ms in timings)
    verification = 1000 * median_seconds(
        lambda: [verify_edition(e.frame, e.method, anomalies) for e in editions], repeats
    )
    registry_ms = 1000 * median_seconds(lambda: CountryRegistry.load(folder), max(3, repeats // 4))
    reading = 1000 * median_seconds(
        lambda: read_paths(paths, registry=registry), max(3, repeats // 4)
    )

    width = max(len(name) for name, _ms in timings) + 2
    print(
        f"{len(editions)} editions ({editions[0].method.year}-{editions[-1].method.year}), "
        f"{sum(len(e.frame) for e in editions)} rows; median of {repeats} runs"
    )
    print(f"{'step':<{width}}{'ms':>9}")
    print("-" * (width + 9))
    for name, ms in timings:
        print(f"{name:<{width}}{ms:9.2f}")
    print("-" * (width + 9))
    verdict = "within" if core < GOAL_MS else "OVER"
    print(f"{'core total':<{width}}{core:9.2f}   ({verdict} the {GOAL_MS:.0f} ms goal)")
    print(f"{'verify_edition, every edition':<{width}}{verification:9.2f}")
    print(f"{'read the files (egov.data.read_paths)':<{width}}{reading:9.2f}")
    print(f"{'load the country registry':<{width}}{registry_ms:9.2f}")
    print(f"{'core total / reading the files':<{width}}{core / reading:9.2f}   (ratio of medians)")


if __name__ == "__main__":
    main()
