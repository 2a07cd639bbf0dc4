"""Full-text search of the published knowledge items, with facets and highlighted snippets.

One interface, a backend per database (as ``wagtail/search/backends/database/``): FTS5 on
SQLite (:mod:`.sqlite`), PostgreSQL's full-text search on PostgreSQL (:mod:`.postgresql`),
chosen by ``connection.vendor``. The backends find the matches and write the snippets; what
they share is here:

- :func:`index_item` keeps the index in step with an item (called by the item services inside
  their transaction): a published item is (re)indexed, any other removed, and its chunk of the
  term index (:mod:`.terms`) read again;
- :func:`reindex_all` rebuilds the whole index (setup, benchmarks);
- :func:`search_items` answers a query: the page of hits with their snippets, the total, and
  the facet counts. Counts follow the usual faceted-search rule: each facet is counted over
  the matches with the *other* facets' filters applied, so a facet's own selection does not
  narrow its own counts and a reader can pick a second value. Values within a facet are ORed,
  facets ANDed. Facets are counted in memory (:mod:`.facets`). The database returns the ids
  of the matches; every match is then scored (:func:`_scores`).

Relevance is BM25 over the fields title, summary, body, context weighted 10, 4, 1, 3, as
SQLite's ``bm25()`` computes it (:mod:`.ranking`), from the postings of the term index, whose
terms are the database's own: FTS5's tokens on SQLite, where the scores are those of
``bm25()``; the vectors' lexemes on PostgreSQL, where the labels allow three weights (summary
and context both 4). A word counts on its own, also inside a quoted phrase (the term index keeps
no positions: the database checks the phrase). Items with the reader's words side by side as
a phrase score double (checked by the database, only for the items it could bring onto the
page: :func:`_boosted`). Ties (to 9 decimals): newest first, then title. An empty query lists
every published item, newest first.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Final, Protocol

import numpy as np
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils.safestring import SafeString, mark_safe

from egov.web.datacenter.models import Country

from ..models import Item, ItemStatus
from . import facets, labels, ranking, terms
from .documents import MARK_END, MARK_START, Document, documents
from .facets import FACETS
from .query import PREFIX_MIN, SearchQuery, parse

SORTS: Final = ("relevance", "year")
_SORT_ALIASES: Final = {"newest": "year"}
PER_PAGE: Final = 20
MAX_PER_PAGE: Final = 100
#: At most this many values of one facet are taken from a request, each at most 64 characters.
MAX_VALUES: Final = 50
#: How much an item with the reader's words side by side (as a phrase) gains.
PHRASE_BOOST: Final = 2.0
SUMMARY_CHARS: Final = 280
#: Scores are compared to 9 decimals (:func:`.ranking.best`): an item this far below the page's
#: last could still round to a tie with it.
_TIE: Final = 2e-9
#: The first batch of items checked for the phrase has this many more than the page needs.
_SLACK: Final = 20


class Backend(Protocol):
    @property
    def phrase_batch_limit(self) -> int | None:
        """Beyond this many ids, :meth:`phrased` costs the same for any number (None: never)."""

    def reading(self, cursor: CursorWrapper) -> AbstractContextManager[None]: ...

    def replace(self, cursor: CursorWrapper, documents: Sequence[Document]) -> None: ...

    def remove(self, cursor: CursorWrapper, ids: Sequence[int]) -> int: ...

    def clear(self, cursor: CursorWrapper) -> None: ...

    def optimise(self, cursor: CursorWrapper) -> None:
        """After the whole index is written again: compact it, or refresh the planner's
        statistics."""

    def matches(
        self, cursor: CursorWrapper, query: SearchQuery, *, shorten: int = 0
    ) -> np.ndarray: ...

    def units(
        self, cursor: CursorWrapper, query: SearchQuery, *, shorten: int = 0
    ) -> list[terms.Unit]: ...

    def frequencies(
        self, cursor: CursorWrapper, first: int, stop: int
    ) -> list[tuple[str, int, float, int]]: ...

    def phrase(self, cursor: CursorWrapper, words: Sequence[str]) -> list[terms.Unit]: ...

    def phrased(
        self, cursor: CursorWrapper, words: Sequence[str], ids: np.ndarray
    ) -> np.ndarray: ...

    def snippets(
        self, cursor: CursorWrapper, query: SearchQuery, ids: Sequence[int], *, shorten: int = 0
    ) -> dict[int, tuple[str, str, str]]: ...


def backend() -> Backend:
    """The backend of the default database."""
    if connection.vendor == "sqlite":
        from .sqlite import BACKEND as SQLITE

        return SQLITE
    if connection.vendor == "postgresql":
        from .postgresql import BACKEND as POSTGRESQL

        return POSTGRESQL
    raise NotImplementedError(f"no full-text search backend for {connection.vendor}")


# --- writes -----------------------------------------------------------------------------------


def index_item(item: Item) -> None:
    """Bring the index in line with ``item``: indexed when published, else removed. Runs in
    the caller's transaction, after the item's tags are written.

    The state row is written first (:func:`.facets.touch`), so one writer of the index at a
    time reads and rewrites the item's chunk of the term index (PostgreSQL makes the next wait
    for the commit)."""
    engine = backend()
    with connection.cursor() as cursor:
        if item.status == ItemStatus.PUBLISHED:
            facets.touch()
            engine.replace(cursor, documents([item]))
        elif engine.remove(cursor, [item.pk]):
            facets.touch()
        else:
            return  # was not in the index: nothing changed
        terms.rebuild(cursor, engine, [terms.chunk_of(item.pk)])


@transaction.atomic
def reindex_all(*, on_progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the published items, a chunk of the term index at a time;
    ``on_progress(done, total)`` after each. Returns how many items were indexed."""
    engine = backend()
    ids = list(
        Item.objects.filter(status=ItemStatus.PUBLISHED).order_by("id").values_list("id", flat=True)
    )
    chunks: dict[int, list[int]] = {}
    for item_id in ids:
        chunks.setdefault(terms.chunk_of(item_id), []).append(item_id)
    facets.touch()
    with connection.cursor() as cursor:
        engine.clear(cursor)
        terms.clear(cursor)
        done = 0
        for chunk, batch in chunks.items():
            engine.replace(cursor, documents(Item.objects.filter(id__in=batch).order_by("id")))
            terms.rebuild(cursor, engine, [chunk])
            done += len(batch)
            if on_progress is not None:
                on_progress(done, len(ids))
        engine.optimise(cursor)
    return len(ids)


# --- reads ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A published item found, with its countries (``Country`` rows) and, as safe HTML, its
    title and a passage with the reader's words in ``<mark>``."""

    item: Item
    countries: tuple[Country, ...]
    title_html: SafeString
    snippet: SafeString
    score: float | None = None

    @property
    def id(self) -> int:
        return self.item.pk

    @property
    def slug(self) -> str:
        return self.item.slug

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def type(self) -> str:
        return self.item.type

    @property
    def year(self) -> int | None:
        return self.item.year

    @property
    def language(self) -> str:
        return self.item.language

    @property
    def summary(self) -> str:
        return self.item.summary

    @property
    def language_label(self) -> str:
        return str(labels.LANGUAGES.get(self.item.language, self.item.language))


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    sort: str
    filters: Mapping[str, tuple[str, ...]]
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    facets: Mapping[str, tuple[FacetValue, ...]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def marked(raw: str) -> SafeString:
    """``raw`` text with matches between :data:`MARK_START` and :data:`MARK_END` as HTML: the
    text escaped, the matches in ``<mark>`` (never the database's markup; an unbalanced marker
    is closed or dropped)."""
    parts: list[str] = []
    inside = False
    for piece in re.split(f"([{MARK_START}{MARK_END}])", raw):
        if piece == MARK_START:
            if not inside:
                parts.append("<mark>")
            inside = True
        elif piece == MARK_END:
            if inside:
                parts.append("</mark>")
            inside = False
        else:
            parts.append(html.escape(piece))
    if inside:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # every piece of text was escaped above


def _shortened(text: str, limit: int = SUMMARY_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _cleaned(filters: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    chosen: dict[str, tuple[str, ...]] = {}
    for name in FACETS:
        raw = filters.get(name) or ()
        if isinstance(raw, str):
            raw = (raw,)
        values = tuple(dict.fromkeys(str(v).strip()[:64] for v in raw if str(v).strip()))
        if values:
            chosen[name] = values[:MAX_VALUES]
    return chosen


@dataclass(slots=True)
class _Matches:
    mask: np.ndarray
    shorten: int = 0


def _matches(
    cursor: CursorWrapper, engine: Backend, query: SearchQuery, table: facets.FacetTable
) -> _Matches:
    if query.is_empty:
        return _Matches(np.ones(table.size, dtype=bool))
    if not query.groups:  # exclusions only: everything but what they match
        return _Matches(~table.mask_of(engine.matches(cursor, query)))
    prefix = next((group[0].text for group in query.groups if group[0].prefix), "")
    # A word being typed may run past its stem ("governm" is not a prefix of "govern"): when
    # nothing matches, try it a letter, two, three shorter.
    attempts = [n for n in range(4) if n == 0 or len(prefix) - n >= PREFIX_MIN]
    for shorten in attempts:
        mask = table.mask_of(engine.matches(cursor, query, shorten=shorten))
        if mask.any():
            return _Matches(mask, shorten=shorten)
    return _Matches(np.zeros(table.size, dtype=bool))


def _kth(scores: np.ndarray, count: int) -> float:
    """The ``count``-th highest of ``scores``."""
    return float(np.partition(scores, len(scores) - count)[len(scores) - count])


def _boosted(
    cursor: CursorWrapper,
    engine: Backend,
    words: Sequence[str],
    table: facets.FacetTable,
    rows: np.ndarray,
    scores: np.ndarray,
    count: int,
    possible: np.ndarray,
) -> np.ndarray:
    """``scores`` with the phrase boost, wherever it could change which ``count`` come first.

    Only items that have every word of the phrase (``possible``, the rows the term index
    says have them) can have it. An item whose boosted score would still be below the
    ``count``-th best stays below it, boosted or not: only the others are checked for the
    phrase, best first, a batch at a time (twice as many each time), until the rest could not
    reach the ``count``-th best even boosted. When the phrase is common, the first batch raises
    that bar near its limit. A batch past the backend's ``phrase_batch_limit`` takes all the
    rest."""
    final = scores.copy()
    maybe = np.flatnonzero((scores * PHRASE_BOOST >= _kth(scores, count) - _TIE) & possible[rows])
    maybe = maybe[np.argsort(-scores[maybe])]
    done, batch, limit = 0, count + _SLACK, engine.phrase_batch_limit
    while done < len(maybe):
        if limit is not None and batch > limit:
            batch = len(maybe)
        part = maybe[done : done + batch]
        found = engine.phrased(cursor, words, table.ids[rows[part]])
        final[part[table.mask_of(found)[rows[part]]]] *= PHRASE_BOOST
        done, batch = done + len(part), batch * 2
        if done < len(maybe) and scores[maybe[done]] * PHRASE_BOOST < _kth(final, count) - _TIE:
            break
    return final


def _scores(
    cursor: CursorWrapper,
    engine: Backend,
    query: SearchQuery,
    table: facets.FacetTable,
    rows: np.ndarray,
    count: int,
    shorten: int,
) -> np.ndarray:
    """The relevance of each of ``rows`` (:mod:`.ranking`), the phrase boost applied wherever
    it could change which ``count`` come first."""
    units = engine.units(cursor, query, shorten=shorten)
    words = query.plain_words
    phrase = engine.phrase(cursor, words) if len(words) > 1 else []
    read = terms.postings(cursor, [*units, *phrase])
    found = []
    for ids, weights in read[: len(units)]:
        where, present = table.rows_of(ids)
        found.append(ranking.Postings(where[present], weights[present], hits=len(ids)))
    scores: np.ndarray = ranking.bm25(
        found, table.lengths, documents=table.documents, average_length=table.average_length
    )[rows]
    if len(words) > 1 and count:
        possible = np.ones(table.size, dtype=bool)
        for ids, _weights in read[len(units) :]:
            possible &= table.mask_of(ids)
        scores = _boosted(cursor, engine, words, table, rows, scores, count, possible)
    return scores


def _page(
    cursor: CursorWrapper,
    engine: Backend,
    query: SearchQuery,
    table: facets.FacetTable,
    matched: _Matches,
    shown: np.ndarray,
    sort: str,
    start: int,
    stop: int,
) -> tuple[np.ndarray, dict[int, float]]:
    """The rows ``start:stop`` of ``shown`` in the order of ``sort``, and their scores by id
    (when ranked). Every match is scored; ties (to 9 decimals) go to the newest, then by
    title."""
    if not query.groups or sort == "year":
        return table.browse[shown[table.browse]][start:stop], {}
    rows = np.flatnonzero(shown)
    count = min(stop, len(rows))
    if count <= start:
        return np.empty(0, dtype=np.int64), {}
    scores = _scores(cursor, engine, query, table, rows, count, matched.shorten)
    chosen = ranking.best(scores, table.years[rows], table.title_ranks[rows], count)[start:]
    return rows[chosen], {int(table.ids[rows[i]]): float(scores[i]) for i in chosen}


def _facet_values(
    table: facets.FacetTable,
    matched: np.ndarray,
    predicates: Mapping[str, np.ndarray],
    shown: np.ndarray,
    chosen: Mapping[str, tuple[str, ...]],
) -> dict[str, tuple[FacetValue, ...]]:
    counted = table.counts(shown)
    found: dict[str, tuple[FacetValue, ...]] = {}
    for name in FACETS:
        counts = counted[name]
        if name in predicates:  # its own selection does not narrow its own counts
            base = matched.copy()
            for other, predicate in predicates.items():
                if other != name:
                    base &= predicate
            counts = table.columns[name].counts(base)
        selected = chosen.get(name, ())
        codes = list(dict.fromkeys([*counts, *selected]))
        label = labels.of(table, name, codes)
        pairs = sorted(((code, label[code]) for code in codes), key=labels.order_key(name, counts))
        found[name] = tuple(
            FacetValue(code, text, counts.get(code, 0), code in selected) for code, text in pairs
        )
    return found


def _hits(
    cursor: CursorWrapper,
    engine: Backend,
    query: SearchQuery,
    ids: list[int],
    scores: Mapping[int, float],
    shorten: int,
) -> list[SearchHit]:
    # By id alone: with the status too, SQLite's planner walks the status index instead.
    items = Item.objects.filter(id__in=ids).prefetch_related("tags")
    by_id = {item.pk: item for item in items if item.status == ItemStatus.PUBLISHED}
    iso3 = {tag.code for item in by_id.values() for tag in item.tags.all() if tag.kind == "country"}
    countries = {country.iso3: country for country in Country.objects.filter(iso3__in=iso3)}
    passages = engine.snippets(cursor, query, ids, shorten=shorten) if query.groups else {}
    hits = []
    for item_id in ids:
        item = by_id.get(item_id)
        if item is None:  # changed since the facet table was read
            continue
        title, summary, body = passages.get(item_id, ("", "", ""))
        if MARK_START in summary:
            snippet = marked(summary)
        elif MARK_START in body:
            snippet = marked(body)
        else:
            snippet = marked(_shortened(item.summary))
        codes = sorted(tag.code for tag in item.tags.all() if tag.kind == "country")
        hits.append(
            SearchHit(
                item=item,
                countries=tuple(countries[code] for code in codes if code in countries),
                title_html=marked(title) if MARK_START in title else marked(item.title),
                snippet=snippet,
                score=scores.get(item_id),
            )
        )
    return hits


def search_items(
    *,
    query: str,
    filters: Mapping[str, Sequence[str]],
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResult:
    """Published items matching ``query`` (:mod:`.query` syntax; any text is accepted) and
    ``filters`` (facet name → values), a page of them in the order of ``sort`` (``relevance``,
    or ``year``: newest first), with the facet counts."""
    parsed = parse(query)
    chosen = _cleaned(filters)
    sort = _SORT_ALIASES.get(sort, sort)
    sort = sort if sort in SORTS else SORTS[0]
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    engine = backend()
    table = facets.table()
    with connection.cursor() as cursor, engine.reading(cursor):
        matched = _matches(cursor, engine, parsed, table)
        predicates = {
            name: table.columns[name].having(values, table.size) for name, values in chosen.items()
        }
        shown = matched.mask.copy()
        for predicate in predicates.values():
            shown &= predicate
        total = int(shown.sum())
        pages = max(1, math.ceil(total / per_page))
        page = min(max(1, page), pages)
        rows, scores = _page(
            cursor,
            engine,
            parsed,
            table,
            matched,
            shown,
            sort,
            (page - 1) * per_page,
            page * per_page,
        )
        ids = [int(table.ids[row]) for row in rows]
        hits = _hits(cursor, engine, parsed, ids, scores, matched.shorten)
    return SearchResult(
        query=parsed.text,
        sort=sort,
        filters=chosen,
        hits=hits,
        total=total,
        page=page,
        per_page=per_page,
        facets=_facet_values(table, matched.mask, predicates, shown, chosen),
    )


__all__ = [
    "FACETS",
    "MAX_PER_PAGE",
    "PER_PAGE",
    "SORTS",
    "FacetValue",
    "SearchHit",
    "SearchResult",
    "backend",
    "index_item",
    "marked",
    "reindex_all",
    "search_items",
]
