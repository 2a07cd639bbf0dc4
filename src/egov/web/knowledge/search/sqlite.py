"""Full-text search on SQLite: FTS5 (``knowledge_search``, migration 0002).

Relevance is ``bm25()`` with column weights (:data:`WEIGHTS`: title 10, summary 4, body 1,
context 3); FTS5 scores lower for better, so scores are negated here (higher is better, as on
PostgreSQL). Every term of a query is a quoted FTS5 string, so no input is ever read as FTS5
syntax: ``NEAR``, ``AND``, ``*``, ``:`` and parentheses are words or nothing.

A restriction to a set of ids is written ``+rowid IN (…)``: without the ``+``, SQLite hands the
ids to FTS5, which runs the whole query again for each one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

import numpy as np
from django.db.backends.utils import CursorWrapper

from .documents import MARK_END, MARK_START, Document
from .query import SearchQuery, Term

TABLE: Final = "knowledge_search"
#: bm25 weights of the columns title, summary, body, context.
WEIGHTS: Final = (10.0, 4.0, 1.0, 3.0)
_RANK: Final = f"bm25({TABLE}, {', '.join(str(w) for w in WEIGHTS)})"
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
    parts = []
    for group in groups:
        strings = [
            _string(term, prefix=term.text[: len(term.text) - shorten] if term.prefix else None)
            for term in group
        ]
        parts.append(strings[0] if len(strings) == 1 else "(" + " OR ".join(strings) + ")")
    text = " AND ".join(parts)
    if query.excluded:
        text = f"({text}) NOT ({expression(query, negated=True)})"
    return text


def _phrase(words: Sequence[str]) -> str:
    """The FTS5 phrase of ``words``, side by side in this order."""
    return '"' + " ".join(words).replace('"', "") + '"'


def _ids_json(ids: Iterable[int]) -> str:
    return json.dumps([int(i) for i in ids])


class SQLiteBackend:
    vendor = "sqlite"

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

    def matches(self, cursor: CursorWrapper, query: SearchQuery, *, shorten: int = 0) -> np.ndarray:
        """Ids of the items matching ``query`` (of its exclusions, when it has no other terms:
        the caller takes the complement)."""
        if not query.groups:
            return self._ids(cursor, expression(query, negated=True))
        return self._ids(cursor, expression(query, shorten=shorten))

    def ranked(
        self,
        cursor: CursorWrapper,
        query: SearchQuery,
        *,
        among: np.ndarray | None = None,
        phrase: Sequence[str] = (),
        boost: float = 1.0,
        limit: int | None = None,
        floor: float | None = None,
        shorten: int = 0,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Ids of the items matching ``query`` (only those of ``among``, when given) and their
        relevance, best first: the first ``limit``, or all those scoring ``floor`` or more.
        Items with the words of ``phrase`` side by side score ``boost`` times more."""
        score = f"-{_RANK}"
        params: list[Any] = []
        if phrase:
            score += (
                f" * (CASE WHEN rowid IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s)"
                " THEN %s ELSE 1.0 END)"
            )
            params += [_phrase(phrase), boost]
        sql = f"SELECT rowid AS id, {score} AS score FROM {TABLE} WHERE {TABLE} MATCH %s"
        params.append(expression(query, shorten=shorten))
        if among is not None:
            sql += " AND +rowid IN (SELECT value FROM json_each(%s))"
            params.append(_ids_json(among))
        if floor is not None:
            sql = f"SELECT id, score FROM ({sql}) WHERE score >= %s"
            params.append(floor)
        sql += " ORDER BY score DESC"
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        scores = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
        return ids, scores

    def snippets(
        self, cursor: CursorWrapper, query: SearchQuery, ids: Sequence[int], *, shorten: int = 0
    ) -> dict[int, tuple[str, str, str]]:
        """``item id → (title, summary, body)``: the whole title, and passages of the summary
        and the body, with matches between :data:`MARK_START` and :data:`MARK_END`."""
        if not ids or not query.groups:
            return {}
        marks = f"'{MARK_START}', '{MARK_END}'"
        cursor.execute(
            f"SELECT rowid, highlight({TABLE}, 0, {marks}),"
            f" snippet({TABLE}, 1, {marks}, '…', {SNIPPET_TOKENS}),"
            f" snippet({TABLE}, 2, {marks}, '…', {SNIPPET_TOKENS})"
            f" FROM {TABLE} WHERE {TABLE} MATCH %s AND +rowid IN (SELECT value FROM json_each(%s))",
            [expression(query, shorten=shorten), _ids_json(ids)],
        )
        return {row[0]: (row[1] or "", row[2] or "", row[3] or "") for row in cursor.fetchall()}

    def _ids(self, cursor: CursorWrapper, match: str) -> np.ndarray:
        cursor.execute(f"SELECT group_concat(rowid) FROM {TABLE} WHERE {TABLE} MATCH %s", [match])
        text = cursor.fetchone()[0]
        if not text:
            return np.empty(0, dtype=np.int64)
        return np.array(text.split(","), dtype=np.int64)


BACKEND: Final = SQLiteBackend()
