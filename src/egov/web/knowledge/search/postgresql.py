"""Full-text search on PostgreSQL: ``knowledge_search_document`` (migration 0002), one weighted
``tsvector`` per published item, under a GIN index.

Each item is indexed with the text search configuration of its language
(:data:`.documents.CONFIGS`: ``english``, ``french``, ``spanish``, ``russian``; ``simple`` for
Arabic, Chinese and the rest), title weight A, summary and context B, body C. A query is parsed
once in each configuration and the versions ORed, so the GIN index finds items of every
language; each item is then ranked (``ts_rank_cd``, cover density, length-normalised) and
highlighted (``ts_headline``) with the version of its own language.

The reader's words only ever reach ``websearch_to_tsquery`` (which accepts any text) and, for
the word being typed, ``to_tsquery`` as one quoted lexeme of letters and digits
(:mod:`.query` guarantees it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

import numpy as np
from django.db import transaction
from django.db.backends.utils import CursorWrapper

from .documents import CONFIGS, DEFAULT_CONFIG, MARK_END, MARK_START, Document
from .query import SearchQuery, Term

TABLE: Final = "knowledge_search_document"
#: The configurations a query is parsed in: each one an item can be indexed with.
QUERY_CONFIGS: Final = (*dict.fromkeys(CONFIGS.values()), DEFAULT_CONFIG)
#: ``ts_rank_cd`` normalisation: divide by 1 + the logarithm of the document's length.
NORMALISATION: Final = 1
_HEADLINE: Final = f"StartSel={MARK_START}, StopSel={MARK_END}"
_PASSAGE: Final = f"{_HEADLINE}, MaxWords=30, MinWords=12, ShortWord=2"
#: ts_headline parses all the text it is given: long bodies are cut for snippets.
BODY_SNIPPET_CHARS: Final = 50_000
#: PostgreSQL's parser reads ``<b>`` or ``<img …>`` as an HTML tag, which neither the vector
#: nor ``ts_headline`` keeps: angle brackets are stored as private-use characters (read as
#: spaces) and put back in snippets, so the reader's text is shown as written.
_SHIELD: Final = str.maketrans({"<": "\ue000", ">": "\ue001"})
_UNSHIELD: Final = str.maketrans({"\ue000": "<", "\ue001": ">"})


def _websearch_term(term: Term) -> str:
    text = term.text.lstrip("-")
    return f'"{text}"' if term.quoted else text


def websearch_text(query: SearchQuery, *, negated: bool = False) -> str:
    """``query`` written back in ``websearch_to_tsquery``'s syntax, without the prefix term
    (``negated``: the excluded terms as positive ones)."""
    if negated:
        return " or ".join(_websearch_term(term) for term in query.excluded)
    parts = [
        " or ".join(_websearch_term(term) for term in group)
        for group in query.groups
        if not group[0].prefix
    ]
    parts += [f"-{_websearch_term(term)}" for term in query.excluded]
    return " ".join(parts)


def _prefix(query: SearchQuery, shorten: int) -> str | None:
    for group in query.groups:
        if group[0].prefix:
            return f"'{group[0].text[: len(group[0].text) - shorten]}':*"
    return None


def _tsqueries(
    query: SearchQuery, *, shorten: int = 0, negated: bool = False
) -> tuple[str, list[Any]]:
    """A ``SELECT`` of one tsquery per configuration (columns named after them), and its
    parameters."""
    text = websearch_text(query, negated=negated)
    prefix = None if negated else _prefix(query, shorten)
    columns, params = [], []
    for config in QUERY_CONFIGS:
        parts = []
        if text:
            parts.append(f"websearch_to_tsquery('{config}', %s)")
            params.append(text)
        if prefix:
            parts.append(f"to_tsquery('{config}', %s)")
            params.append(prefix)
        expression = " && ".join(parts) or "''::tsquery"
        columns.append(f"({expression}) AS {config}")
    return "SELECT " + ", ".join(columns), params


def _any_config() -> str:
    return "(" + " || ".join(f"q.{config}" for config in QUERY_CONFIGS) + ")"


def _own_config() -> str:
    cases = " ".join(f"WHEN '{config}'::regconfig THEN q.{config}" for config in QUERY_CONFIGS[:-1])
    return f"(CASE d.config {cases} ELSE q.{QUERY_CONFIGS[-1]} END)"


_RANK: Final = f"ts_rank_cd(d.document, {_own_config()}, {NORMALISATION})"


def _shown(text: str | None) -> str:
    return (text or "").translate(_UNSHIELD)


def _ids(cursor: CursorWrapper) -> np.ndarray:
    text = cursor.fetchone()[0]
    if not text:
        return np.empty(0, dtype=np.int64)
    return np.array(text.split(","), dtype=np.int64)


def _scored(cursor: CursorWrapper) -> tuple[np.ndarray, np.ndarray]:
    rows = cursor.fetchall()
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
    return ids, scores


class PostgreSQLBackend:
    vendor = "postgresql"

    @contextmanager
    def reading(self, cursor: CursorWrapper) -> Iterator[None]:
        """A search, in a transaction where the planner does not scan the table. A document
        vector is a few kilobytes, stored apart and compressed: a sequential scan unpacks every
        one of them to test the query, where the GIN index reads only those that match (the
        planner, not counting that cost, prefers the scan when many items match; measured 8×
        slower for ids, 2× for ranked matches, on 10,000 items)."""
        with transaction.atomic():
            cursor.execute("SET LOCAL enable_seqscan = off")
            yield

    def replace(self, cursor: CursorWrapper, documents: Sequence[Document]) -> None:
        self.remove(cursor, [d.item_id for d in documents])
        cursor.executemany(
            f"INSERT INTO {TABLE} (item_id, config, title, summary, body, document)"
            " SELECT v.id, v.config, v.title, v.summary, v.body,"
            " setweight(to_tsvector(v.config, v.title), 'A')"
            " || setweight(to_tsvector(v.config, v.summary), 'B')"
            " || setweight(to_tsvector(v.config, v.context), 'B')"
            " || setweight(to_tsvector(v.config, v.body), 'C')"
            " FROM (VALUES (%s::bigint, %s::regconfig, %s, %s, %s, %s))"
            " AS v (id, config, title, summary, body, context)",
            [
                (
                    d.item_id,
                    d.config,
                    d.title.translate(_SHIELD),
                    d.summary.translate(_SHIELD),
                    d.body.translate(_SHIELD),
                    d.context.translate(_SHIELD),
                )
                for d in documents
            ],
        )

    def remove(self, cursor: CursorWrapper, ids: Sequence[int]) -> int:
        if not ids:
            return 0
        cursor.execute(f"DELETE FROM {TABLE} WHERE item_id = ANY(%s)", [list(ids)])
        return max(int(cursor.rowcount), 0)

    def clear(self, cursor: CursorWrapper) -> None:
        cursor.execute(f"DELETE FROM {TABLE}")

    def matches(self, cursor: CursorWrapper, query: SearchQuery, *, shorten: int = 0) -> np.ndarray:
        """Ids of the items matching ``query`` (of its exclusions, when it has no other terms:
        the caller takes the complement)."""
        tsqueries, params = _tsqueries(query, shorten=shorten, negated=not query.groups)
        cursor.execute(
            f"SELECT string_agg(d.item_id::text, ',') FROM {TABLE} d, ({tsqueries}) q"
            f" WHERE d.document @@ {_any_config()}",
            params,
        )
        return _ids(cursor)

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
        """Ids of the items matching ``query`` (only those of ``among``, when given: all of
        which match) and their relevance, best first: the first ``limit``, or all those
        scoring ``floor`` or more. Items with the words of ``phrase`` side by side score
        ``boost`` times more."""
        tsqueries, params = _tsqueries(query, shorten=shorten)
        score = f"{_RANK}::float8"
        sources = f"{TABLE} d, ({tsqueries}) q"
        if phrase:
            phrases = " || ".join(f"phraseto_tsquery('{config}', %s)" for config in QUERY_CONFIGS)
            score += " * (CASE WHEN d.document @@ p.phrase THEN %s ELSE 1 END)"
            sources += f", (SELECT {phrases} AS phrase) p"
            params = [boost, *params, *[" ".join(phrase)] * len(QUERY_CONFIGS)]
        if among is None:
            where = f"d.document @@ {_any_config()}"
        else:
            where = "d.item_id = ANY(%s)"
            params.append(among.tolist())
        sql = f"SELECT d.item_id, {score} AS score FROM {sources} WHERE {where}"
        if floor is not None:
            sql = f"SELECT * FROM ({sql}) AS scored WHERE score >= %s"
            params.append(floor)
        sql += " ORDER BY score DESC"
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        cursor.execute(sql, params)
        return _scored(cursor)

    def snippets(
        self, cursor: CursorWrapper, query: SearchQuery, ids: Sequence[int], *, shorten: int = 0
    ) -> dict[int, tuple[str, str, str]]:
        if not ids or not query.groups:
            return {}
        tsqueries, params = _tsqueries(query, shorten=shorten)
        own = _own_config()
        cursor.execute(
            f"SELECT d.item_id,"
            f" ts_headline(d.config, d.title, {own}, %s),"
            f" ts_headline(d.config, d.summary, {own}, %s),"
            f" ts_headline(d.config, left(d.body, {BODY_SNIPPET_CHARS}), {own}, %s)"
            f" FROM {TABLE} d, ({tsqueries}) q WHERE d.item_id = ANY(%s)",
            [
                f"{_HEADLINE}, HighlightAll=true",
                _PASSAGE,
                f'{_PASSAGE}, MaxFragments=2, FragmentDelimiter=" … "',
                *params,
                list(ids),
            ],
        )
        return {
            item_id: (_shown(title), _shown(summary), _shown(body))
            for item_id, title, summary, body in cursor.fetchall()
        }


BACKEND: Final = PostgreSQLBackend()
