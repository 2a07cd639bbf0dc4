"""Full-text search on SQLite: FTS5 (``knowledge_search``, migration 0002).

FTS5 finds the matches and writes the snippets; relevance is computed from the term index
(:mod:`.terms`, :mod:`.ranking`), whose terms are FTS5's own tokens: a chunk of items is
tokenized again by a scratch FTS5 table with the same tokenizer (``temp.knowledge_search_scratch``,
contentless, one per connection) and read back through ``fts5vocab``, and so are the words of a
query. Weighted as :data:`WEIGHTS` (title 10, summary 4, body 1, context 3), the score is the
one ``bm25()`` with those weights would give (negated: higher is better).

Every term of a query is a quoted FTS5 string, so no input is ever read as FTS5 syntax:
``NEAR``, ``AND``, ``*``, ``:`` and parentheses are words or nothing.

Snippets are written by a second scratch table (``temp.knowledge_search_page``) holding a copy
of the page's items only: the query then runs over twenty items, where on the whole table a
prefix (the word being typed) is expanded over every item again, or, the ids handed to FTS5
one by one, once per item. ``snippet()`` and ``highlight()`` look at the item's own text only,
so they mark the same words either way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Final

import numpy as np
from django.db.backends.utils import CursorWrapper

from .documents import MARK_END, MARK_START, Document
from .query import SearchQuery, Term
from .terms import Unit

TABLE: Final = "knowledge_search"
TOKENIZE: Final = "porter unicode61 remove_diacritics 2"
COLUMNS: Final = ("title", "summary", "body", "context")
#: The weights of the columns title, summary, body, context.
WEIGHTS: Final = (10.0, 4.0, 1.0, 3.0)
_SCRATCH: Final = "knowledge_search_scratch"
_PAGE: Final = "knowledge_search_page"
_SCRATCH_DDL: Final = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_SCRATCH} USING fts5({', '.join(COLUMNS)},"
    f" content='', tokenize='{TOKENIZE}')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_SCRATCH}_instance"
    f" USING fts5vocab(temp, {_SCRATCH}, instance)",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_PAGE} USING fts5({', '.join(COLUMNS)},"
    f" tokenize='{TOKENIZE}')",
)
_SCRATCH_EMPTY: Final = f"INSERT INTO temp.{_SCRATCH} ({_SCRATCH}) VALUES ('delete-all')"
_WEIGHT_OF_COLUMN: Final = (
    "CASE col "
    + " ".join(f"WHEN '{name}' THEN {w}" for name, w in zip(COLUMNS, WEIGHTS, strict=True))
    + " END"
)
#: The stop words of PostgreSQL's ``english`` configuration (``english.stop``, from Snowball):
#: PostgreSQL leaves them out of queries, FTS5 has none, so a query word among them would have
#: to be in the item. Dropped from queries that have other words.
STOP_WORDS: Final = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don
    should now""".split()  # noqa: SIM905 - as the file PostgreSQL reads
)
SNIPPET_TOKENS: Final = 24


def _string(term: Term, *, prefix: str | None = None) -> str:
    text = prefix if prefix is not None else term.text
    quoted = '"' + text.replace('"', '""') + '"'
    return quoted + " *" if term.prefix else quoted


def expression(query: SearchQuery, *, shorten: int = 0, negated: bool = False) -> str:
    """The FTS5 query of ``query``: its groups ANDed, each group's terms ORed, the excluded
    terms after ``NOT``. ``shorten`` drops that many letters from the prefix term; ``negated``
    gives the expression of the excluded terms alone (for a query of exclusions only)."""
    if negated:
        return " OR ".join(_string(term) for term in query.excluded)
    parts = []
    for group in searched(query):
        strings = [
            _string(term, prefix=term.shortened(shorten) if term.prefix else None) for term in group
        ]
        parts.append(strings[0] if len(strings) == 1 else "(" + " OR ".join(strings) + ")")
    text = " AND ".join(parts)
    if query.excluded:
        text = f"({text}) NOT ({expression(query, negated=True)})"
    return text


def searched(query: SearchQuery) -> list[tuple[Term, ...]]:
    """The groups of ``query`` FTS5 looks for: a lone stop word is left out when other
    groups remain."""
    groups = list(query.groups)
    if len(groups) > 1:
        kept = [
            group
            for group in groups
            if len(group) > 1
            or group[0].quoted
            or group[0].prefix
            or group[0].text.lower() not in STOP_WORDS
        ]
        groups = kept or groups
    return groups


def _phrase(words: Sequence[str]) -> str:
    """The FTS5 phrase of ``words``, side by side in this order."""
    return '"' + " ".join(words).replace('"', "") + '"'


def _parsed(text: str | None) -> np.ndarray:
    """The ids in a comma-separated list (numpy parses it in C)."""
    return np.fromstring(text or "", dtype=np.int64, sep=",")


def _ids_json(ids: Iterable[int]) -> str:
    return json.dumps([int(i) for i in ids])


class SQLiteBackend:
    phrase_batch_limit = 40

    @contextmanager
    def reading(self, cursor: CursorWrapper) -> Iterator[None]:
        """A search: nothing to set up."""
        yield

    def replace(self, cursor: CursorWrapper, documents: Sequence[Document]) -> None:
        self.remove(cursor, [d.item_id for d in documents])
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, summary, body, context)"
            " VALUES (%s, %s, %s, %s, %s)",
            [(d.item_id, d.title, d.summary, d.body, d.context) for d in documents],
        )

    def remove(self, cursor: CursorWrapper, ids: Sequence[int]) -> int:
        if not ids:
            return 0
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE rowid IN (SELECT value FROM json_each(%s))",
            [_ids_json(ids)],
        )
        return max(int(cursor.rowcount), 0)

    def clear(self, cursor: CursorWrapper) -> None:
        cursor.execute(f"DELETE FROM {TABLE}")

    def optimise(self, cursor: CursorWrapper) -> None:
        """Merge FTS5's segments into one."""
        cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")

    def matches(self, cursor: CursorWrapper, query: SearchQuery, *, shorten: int = 0) -> np.ndarray:
        """Ids of the items matching ``query`` (of its exclusions, when it has no other terms:
        the caller takes the complement)."""
        if not query.groups:
            return self._ids(cursor, expression(query, negated=True))
        return self._ids(cursor, expression(query, shorten=shorten))

    def units(self, cursor: CursorWrapper, query: SearchQuery, *, shorten: int = 0) -> list[Unit]:
        """The words FTS5 looks for in ``query``, as its tokens: one unit per token of each
        term (a phrase's words count one by one), the term being typed as a prefix."""
        terms = [term for group in searched(query) for term in group]
        texts = [term.shortened(shorten) for term in terms]
        units: list[Unit] = []
        for term, tokens in zip(terms, self._tokens(cursor, texts), strict=True):
            if term.prefix and tokens:
                units += [Unit(terms=(token,)) for token in tokens[:-1]]
                units.append(Unit(prefixes=(tokens[-1],)))
            else:
                units += [Unit(terms=(token,)) for token in tokens]
        return units

    def phrase(self, cursor: CursorWrapper, words: Sequence[str]) -> list[Unit]:
        """The tokens every item with ``words`` side by side has."""
        (tokens,) = self._tokens(cursor, [_phrase(words).strip('"')])
        return [Unit(terms=(token,)) for token in dict.fromkeys(tokens)]

    def frequencies(
        self, cursor: CursorWrapper, first: int, stop: int
    ) -> list[tuple[str, int, float, int]]:
        """``(term, item id, weighted frequency, occurrences)`` of the items indexed with ids
        ``first`` to ``stop`` (excluded), sorted by term, then id."""
        with self._filled(cursor, _SCRATCH_EMPTY):
            cursor.execute(
                f"INSERT INTO temp.{_SCRATCH} (rowid, {', '.join(COLUMNS)})"
                f" SELECT rowid, {', '.join(COLUMNS)} FROM {TABLE}"
                " WHERE rowid >= %s AND rowid < %s",
                [first, stop],
            )
            cursor.execute(
                f"SELECT term, doc, sum({_WEIGHT_OF_COLUMN}), count(*)"
                f" FROM temp.{_SCRATCH}_instance GROUP BY term, doc ORDER BY term, doc"
            )
            rows = cursor.fetchall()
        return [(term, doc, float(weight), count) for term, doc, weight, count in rows]

    def phrased(self, cursor: CursorWrapper, words: Sequence[str], ids: np.ndarray) -> np.ndarray:
        """Those of ``ids`` with ``words`` side by side, in this order. Up to
        :attr:`phrase_batch_limit` ids, FTS5 checks each (it seeks to it); past that, finding
        every item with the phrase costs less, the same for any number."""
        if not len(ids):
            return np.empty(0, dtype=np.int64)
        if len(ids) <= self.phrase_batch_limit:
            cursor.execute(
                f"SELECT group_concat(rowid) FROM {TABLE} WHERE {TABLE} MATCH %s"
                " AND rowid IN (SELECT value FROM json_each(%s))",
                [_phrase(words), _ids_json(ids)],
            )
            return _parsed(cursor.fetchone()[0])
        found = self._ids(cursor, _phrase(words))
        return found[np.isin(found, ids)]

    def snippets(
        self, cursor: CursorWrapper, query: SearchQuery, ids: Sequence[int], *, shorten: int = 0
    ) -> dict[int, tuple[str, str, str]]:
        """``item id → (title, summary, body)``: the whole title, and passages of the summary
        and the body, with matches between :data:`MARK_START` and :data:`MARK_END`."""
        if not ids or not query.groups:
            return {}
        columns = ", ".join(COLUMNS)
        marks = f"'{MARK_START}', '{MARK_END}'"
        with self._filled(cursor, f"DELETE FROM temp.{_PAGE}"):
            cursor.execute(
                f"INSERT INTO temp.{_PAGE} (rowid, {columns}) SELECT rowid, {columns} FROM {TABLE}"
                " WHERE rowid IN (SELECT value FROM json_each(%s))",
                [_ids_json(ids)],
            )
            cursor.execute(
                f"SELECT rowid, highlight({_PAGE}, 0, {marks}),"
                f" snippet({_PAGE}, 1, {marks}, '…', {SNIPPET_TOKENS}),"
                f" snippet({_PAGE}, 2, {marks}, '…', {SNIPPET_TOKENS})"
                f" FROM temp.{_PAGE} WHERE {_PAGE} MATCH %s",
                [expression(query, shorten=shorten)],
            )
            rows = cursor.fetchall()
        return {row[0]: (row[1] or "", row[2] or "", row[3] or "") for row in rows}

    def _ids(self, cursor: CursorWrapper, match: str) -> np.ndarray:
        cursor.execute(f"SELECT group_concat(rowid) FROM {TABLE} WHERE {TABLE} MATCH %s", [match])
        return _parsed(cursor.fetchone()[0])

    @contextmanager
    def _filled(self, cursor: CursorWrapper, emptying: str) -> Iterator[None]:
        """The scratch tables (made when the connection has none yet), emptied by the statement
        ``emptying`` afterwards, whatever happens."""
        for statement in _SCRATCH_DDL:
            cursor.execute(statement)
        try:
            yield
        finally:
            cursor.execute(emptying)

    def _tokens(self, cursor: CursorWrapper, texts: Sequence[str]) -> list[list[str]]:
        """The tokens of each of ``texts``, in order, as FTS5 makes them."""
        if not texts:
            return []
        tokens: list[list[str]] = [[] for _text in texts]
        with self._filled(cursor, _SCRATCH_EMPTY):
            cursor.executemany(
                f"INSERT INTO temp.{_SCRATCH} (rowid, title) VALUES (%s, %s)",
                [(number, text) for number, text in enumerate(texts, start=1)],
            )
            cursor.execute(f"SELECT doc, term FROM temp.{_SCRATCH}_instance ORDER BY doc, offset")
            for doc, term in cursor.fetchall():
                tokens[doc - 1].append(term)
        return tokens


BACKEND: Final = SQLiteBackend()
