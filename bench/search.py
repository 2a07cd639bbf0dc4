"""Faceted full-text search of 50,000 knowledge items, SQLite FTS5 against PostgreSQL.

Run from the repository root::

    .venv/bin/python bench/search.py [--items 50000] [--repeats 20] [--seed 42]

In one run, each database in a child process of its own:

1. SQLite: a throwaway database file (``EGOV_DATABASE_URL`` to a temp folder); PostgreSQL: a
   throwaway cluster started by ``bin/with-postgres``;
2. ``migrate``, the country registry, then ``--items`` published items written directly with
   bulk inserts (items and their tags; the bench measures queries, not writes) and
   ``search.reindex_all()``. Titles, summaries and Markdown bodies are drawn from the words of
   the seed documents (``EGOV_SEEDS_DIR``, read at run time, by their frequency there) and an
   e-government vocabulary per theme; countries (1–3), themes (1–3), METER tags, stages,
   years 2003–2025, languages and types at random (``random.Random(seed)``);
3. every query of :data:`QUERIES` (single words, two words, phrases, words being typed, with
   1–3 facet filters, an empty query with facets) once to warm up, then ``--repeats`` times,
   each a full ``search.search_items`` call: matches, facet counts, the page of 20 hits with
   their snippets, as the page and the API call it.

It prints p50 and p95 latency (ms) per kind of query and over all, SQLite and PostgreSQL side
by side. The goal of issue 6: p95 ≤ 30 ms on both.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from harness import each_database, percentile

GOAL_MS = 30.0

#: (kind, query, filters)
QUERIES: list[tuple[str, str, dict[str, list[str]]]] = [
    ("one word", "korea", {}),
    ("one word", "interoperability", {}),
    ("one word", "cybersecurity", {}),
    ("one word", "training", {}),
    ("one word", "portal", {}),
    ("one word", "government", {}),
    ("two words", "open data", {}),
    ("two words", "smart government", {}),
    ("two words", "digital identity", {}),
    ("two words", "capacity building", {}),
    ("phrase", '"whole of government"', {}),
    ("phrase", '"public service"', {}),
    ("phrase", '"national portal"', {}),
    ("typing", "interop", {}),
    ("typing", "kazakh", {}),
    ("typing", "smart gov", {}),
    ("words + 1 facet", "open data", {"country": ["KOR"]}),
    ("words + 1 facet", "portal", {"meter": ["C"]}),
    ("words + 1 facet", "government", {"type": ["case_study"]}),
    ("words + 2 facets", "training", {"type": ["training_material"], "year": ["2014"]}),
    ("words + 2 facets", "e-participation", {"region": ["Africa"], "language": ["fr", "en"]}),
    ("words + 3 facets", "smart government", {
        "region": ["Asia"], "theme": ["smart_government"], "stage": ["connected", "transactional"],
    }),
    ("no words + facets", "", {}),
    ("no words + facets", "", {"type": ["case_study"]}),
    ("no words + facets", "", {"country": ["KOR"], "year": ["2012", "2013"]}),
    ("no words + facets", "", {
        "region": ["Africa"], "theme": ["open_data"], "stage": ["enhanced"],
    }),
]  # fmt: skip

#: Words of each theme (the spec's taxonomy, §2.2), used with the seed documents' words.
THEME_WORDS: dict[str, str] = {
    "assessment": "assessment survey indicators benchmark index ranking measurement stages",
    "planning_and_design": "strategy roadmap plan policy design priorities vision targets",
    "implementation": "implementation coordination institutional arrangements agency authority "
    "whole-of-government standards integration privacy security infrastructure",
    "service_delivery": "service delivery connected government partnerships collaboration "
    "one-stop shop single window citizens",
    "open_data": "open data datasets portal reuse licence transparency statistics",
    "e_participation": "e-participation consultation citizens engagement feedback petitions "
    "participatory budgeting",
    "m_government": "mobile m-government sms apps smartphones payments",
    "smart_government": "smart government analytics sensors artificial intelligence automation",
    "oss_and_open_standards": "open source software standards interoperability licences "
    "vendor lock-in",
    "capacity_building": "capacity building training cio curriculum skills workshop courses "
    "leadership",
    "cybersecurity": "cybersecurity incident response certificates digital identity "
    "authentication trust",
}
TYPES = [
    "country_study",
    "case_study",
    "good_practice",
    "lesson_learned",
    "policy_or_strategy",
    "workshop_output",
    "presentation",
    "analytical_paper",
    "training_material",
]
LANGUAGES = ["en"] * 14 + ["fr"] * 2 + ["es"] * 2 + ["ru", "ar", "zh", "other"]
STAGES = ("emerging", "enhanced", "transactional", "connected")
METER = ["C", "C1", "C2", "C3", "C4", "L", "L1", "L2", "L3", "E", "E1", "E2", "T", "T1", "R"]
TITLE_FORMS = (
    "{country}: {topic} {noun}",
    "{topic} in {country}",
    "{noun} on {topic}: lessons from {country}",
    "{country}'s {topic} {noun} ({year})",
)
NOUNS = [
    "roadmap",
    "strategy",
    "programme",
    "reform",
    "experience",
    "study",
    "review",
    "toolkit",
    "case",
]


def _seed_words() -> tuple[list[str], list[int]]:
    from egov.config import seeds_dir

    counts: collections.Counter[str] = collections.Counter()
    for path in sorted(seeds_dir().glob("0*.txt")):
        counts.update(
            word.lower() for word in re.findall(r"[A-Za-z][A-Za-z'\-]+", path.read_text())
        )
    words = [word for word, _count in counts.most_common()]
    return words, [counts[word] for word in words]


class Writer:
    """Random items, reproducible from a seed."""

    def __init__(self, seed: int, countries: Sequence[tuple[str, str, str, str]]) -> None:
        self.random = random.Random(seed)
        self.words, self.weights = _seed_words()
        self.countries = list(countries)
        self.country_weights = [1 + 20 * (i < 20) for i in range(len(self.countries))]
        self.themes = list(THEME_WORDS)

    def text(self, count: int, themes: Sequence[str], names: Sequence[str]) -> str:
        background = self.random.choices(self.words, self.weights, k=count)
        topical = [w for theme in themes for w in THEME_WORDS[theme].split()]
        for index in range(0, count, 5):  # one word in five from the item's themes or countries
            pool = topical if self.random.random() < 0.8 or not names else list(names)
            background[index] = self.random.choice(pool)
        return " ".join(background)

    def item(self, number: int) -> dict[str, Any]:
        pick = self.random
        countries = pick.sample(
            self.countries, k=pick.choice((1, 1, 1, 2, 3)), counts=self.country_weights
        )
        countries = list({c[0]: c for c in countries}.values())
        themes = pick.sample(self.themes, k=pick.choice((1, 1, 2, 3)))
        names = [c[1] for c in countries]
        year = pick.randint(2003, 2025)
        topic = " ".join(pick.sample(THEME_WORDS[themes[0]].split(), 2))
        title = pick.choice(TITLE_FORMS).format(
            country=names[0], topic=topic, noun=pick.choice(NOUNS), year=year
        )
        summary = self.text(pick.randint(25, 60), themes, names)[:590]
        paragraphs = [
            self.text(pick.randint(40, 110), themes, names) for _ in range(pick.randint(1, 3))
        ]
        body = f"## {topic.title()}\n\n" + "\n\n".join(paragraphs)
        if pick.random() < 0.3:
            body += "\n\n- " + "\n- ".join(self.text(6, themes, names) for _ in range(3))
        return {
            "slug": f"bench-{number}",
            "type": pick.choice(TYPES),
            "title": title[:300],
            "summary": summary,
            "body_md": body,
            "year": year,
            "language": pick.choice(LANGUAGES),
            "source_organisation": pick.choice(("UN DESA", "UNPOG", "Ministry of ICT", "")),
            "countries": countries,
            "themes": themes,
            "meter": pick.sample(METER, k=pick.choice((0, 1, 2, 3))),
            "stages": pick.sample(STAGES, k=pick.choice((0, 1, 1, 2))),
        }


def _generate(count: int, seed: int) -> float:
    """Write ``count`` published items and their tags with bulk inserts; seconds taken."""
    from django.db import transaction
    from django.utils import timezone

    from egov.web.datacenter.models import Country
    from egov.web.knowledge.models import Item, ItemTag

    started = time.perf_counter()
    registry = list(Country.objects.values_list("iso3", "name", "region", "sub_region"))
    writer = Writer(seed, registry)
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, count, 2000):
            drafts = [writer.item(n) for n in range(start, min(count, start + 2000))]
            items = Item.objects.bulk_create(
                Item(
                    **{k: v for k, v in d.items() if k in _ITEM_FIELDS},
                    status="published",
                    created_at=now,
                    updated_at=now,
                    published_at=now,
                )
                for d in drafts
            )
            tags: list[ItemTag] = []
            for item, draft in zip(items, drafts, strict=True):
                rows: dict[tuple[str, str], None] = {}
                for iso3, _name, region, sub_region in draft["countries"]:
                    rows |= {("country", iso3): None, ("region", region): None}
                    rows[("sub_region", sub_region)] = None
                for kind, codes in (
                    ("theme", draft["themes"]),
                    ("meter", draft["meter"]),
                    ("stage", draft["stages"]),
                ):
                    rows |= {(kind, code): None for code in codes}
                tags += [ItemTag(item=item, kind=kind, code=code) for kind, code in rows]
            ItemTag.objects.bulk_create(tags, batch_size=5000)
    return time.perf_counter() - started


_ITEM_FIELDS = {
    "slug",
    "type",
    "title",
    "summary",
    "body_md",
    "year",
    "language",
    "source_organisation",
}


def _measure(repeats: int) -> dict[str, Any]:
    from egov.web.knowledge.search import search_items

    def run(query: str, filters: dict[str, list[str]]) -> Callable[[], int]:
        return lambda: search_items(query=query, filters=filters).total

    times: dict[str, list[float]] = collections.defaultdict(list)
    totals = {}
    for kind, query, filters in QUERIES:
        search = run(query, filters)
        totals[f"{kind}: {query!r} {filters}"] = search()  # warm up
        for _ in range(repeats):
            start = time.perf_counter()
            search()
            times[kind].append((time.perf_counter() - start) * 1000)
    every = [t for found in times.values() for t in found]
    rows = dict(times) | {"all queries": every}
    return {
        "latency": {
            kind: {
                "p50": statistics.median(found),
                "p95": percentile(found, 0.95),
                "n": len(found),
            }
            for kind, found in rows.items()
        },
        "matches": totals,
    }


def half(count: int, repeats: int, seed: int) -> dict[str, Any]:
    """One database: set up, fill, index, measure (in this process)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from egov.web.datacenter import services as datacenter
    from egov.web.knowledge import search

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    datacenter.countries_sync(registry=datacenter.default_registry())
    setup = time.perf_counter() - started
    written = _generate(count, seed)
    started = time.perf_counter()
    indexed = search.reindex_all()
    reindex = time.perf_counter() - started
    started = time.perf_counter()
    search.search_items(query="", filters={})  # reads the facet table
    facet_table = time.perf_counter() - started
    result = _measure(repeats)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        version = cursor.fetchone()[0]
    return {
        "vendor": connection.vendor,
        "version": version,
        "items": indexed,
        "seconds": {"setup": setup, "write": written, "reindex": reindex, "facets": facet_table},
        **result,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=20, help="timed runs of each query")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one database")
    parser.add_argument("--half", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.half:
        args.json.write_text(json.dumps(half(args.items, args.repeats, args.seed)))
        return

    script = [sys.executable, str(Path(__file__).resolve()), "--half"]
    script += ["--items", str(args.items), "--repeats", str(args.repeats), "--seed", str(args.seed)]
    results = each_database(script, args.only)

    print()
    for result in results:
        seconds = result["seconds"]
        print(
            f"{result['vendor']} {result['version']}: {result['items']:,} items; setup "
            f"{seconds['setup']:.1f} s, bulk write {seconds['write']:.1f} s, reindex_all "
            f"{seconds['reindex']:.1f} s, facet table {seconds['facets']:.2f} s"
        )
    print()
    header = f"{'query kind':<20}" + "".join(
        f"{r['vendor'] + ' p50':>16}{r['vendor'] + ' p95':>16}" for r in results
    )
    print(header)
    for kind in results[0]["latency"]:
        cells = "".join(
            f"{r['latency'][kind]['p50']:>16.1f}{r['latency'][kind]['p95']:>16.1f}" for r in results
        )
        print(f"{kind:<20}{cells}")
    print()
    for result in results:
        p95 = result["latency"]["all queries"]["p95"]
        verdict = "met" if p95 <= GOAL_MS else "NOT met"
        vendor = result["vendor"]
        print(f"{vendor}: p95 over all queries {p95:.1f} ms (goal ≤ {GOAL_MS:g} ms: {verdict})")
    print()
    print("matches per query (SQLite / PostgreSQL):")
    for name in results[0]["matches"]:
        print(f"  {' / '.join(str(r['matches'][name]) for r in results):>15}  {name}")


if __name__ == "__main__":
    main()
