"""Full-text search on PostgreSQL: ``knowledge_search_document`` (migration 0002), one weighted
``tsvector`` per published item, under a GIN index.

Each item is indexed with the text search configuration of its language
(:data:`.documents.CONFIGS`: ``english``, ``french``, ``spanish``, ``russian``; ``simple`` for
Arabic, Chinese and the rest), title weight A, summary and context B, body C. A query is parsed
once in each configuration and the versions ORed, so the GIN index finds items of every
language; each item is highlighted (``ts_headline``) with the version of its own language.
Relevance comes from the term index (:mod:`.terms`, :mod:`.ranking`), whose terms are the
vectors' lexemes, each occurrence weighted by its label (:data:`WEIGHTS`: A title 10, B summary
and context 4, C body 1); a word of a query is looked up in the form each configuration gives
it. A vector keeps at most 256 positions of a lexeme, so frequencies stop there.

The reader's words only ever reach functions that accept any text (``websearch_to_tsquery``,
``phraseto_tsquery``, ``to_tsvector``) and, for the word being typed, ``to_tsquery`` as one
quoted lexeme of letters and digits (:mod:`.query` guarantees it), always as parameters.
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
from .terms import LENGTHS, TERMS, Unit

TABLE: Final = "knowledge_search_document"
#: The configurations a query is parsed in: each one an item can be indexed with.
QUERY_CONFIGS: Final = (*dict.fromkeys(CONFIGS.values()), DEFAULT_CONFIG)
#: The weight of an occurrence of each label (D: no label, which our vectors do not have).
WEIGHTS: Final = {"A": 10.0, "B": 4.0, "C": 1.0, "D": 1.0}
_WEIGHT_OF_LABEL: Final = (
    "CASE w " + " ".join(f"WHEN '{label}' THEN {w}" for label, w in WEIGHTS.items()) + " END"
)
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
            return f"'{group[0].shortened(shorten)}':*"
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


_PHRASES: Final = " || ".join(f"phraseto_tsquery('{config}', %s)" for config in QUERY_CONFIGS)


def _shown(text: str | None) -> str:
    return (text or "").translate(_UNSHIELD)


def _ids(cursor: CursorWrapper) -> np.ndarray:
    """The ids in the comma-separated list the query returned (numpy parses it in C)."""
    return np.fromstring(cursor.fetchone()[0] or "", dtype=np.int64, sep=",")


class PostgreSQLBackend:
    phrase_batch_limit = None

    @contextmanager
    def reading(self, cursor: CursorWrapper) -> Iterator[None]:
        """A search, in a transaction where the planner does not scan the table. A document
        vector is a few kilobytes, stored apart and compressed: a sequential scan unpacks every
        one of them to test the query, where the GIN index reads only those that match (the
        planner, not counting that cost, prefers the scan when many items match; measured 8×
        slower for ids on 10,000 items)."""
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

    def optimise(self, cursor: CursorWrapper) -> None:
        """The planner's statistics of the index and the term index, written anew."""
        cursor.execute(f"ANALYZE {TABLE}, {TERMS}, {LENGTHS}")

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

    def units(self, cursor: CursorWrapper, query: SearchQuery, *, shorten: int = 0) -> list[Unit]:
        """The words of ``query`` as lexemes: one unit per position of each term (a phrase's
        words count one by one), with its lexeme in every configuration; the term being typed
        as a prefix."""
        terms = [term for group in query.groups for term in group]
        if not terms:
            return []
        texts = [term.shortened(shorten) for term in terms]
        cursor.execute(
            "SELECT t.number, u.lexeme, u.positions"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS t (text, number),"
            " unnest(%s::regconfig[]) AS c (config), unnest(to_tsvector(c.config, t.text)) AS u",
            [texts, list(QUERY_CONFIGS)],
        )
        words: dict[tuple[int, int], set[str]] = {}
        for number, lexeme, positions in cursor.fetchall():
            for position in positions:
                words.setdefault((number - 1, position), set()).add(lexeme)
        last = dict(sorted(words))  # the last position of each term
        units = []
        for (number, position), lexemes in sorted(words.items()):
            forms = tuple(sorted(lexemes))
            if terms[number].prefix and position == last[number]:
                units.append(Unit(prefixes=forms))
            else:
                units.append(Unit(terms=forms))
        return units

    def phrase(self, cursor: CursorWrapper, words: Sequence[str]) -> list[Unit]:
        """Lexemes every item with ``words`` side by side has: of each word that has one in
        every configuration, one of its forms (a stop word of one configuration asks nothing
        of an item in it)."""
        cursor.execute(
            "SELECT c.config::text, u.lexeme, u.positions"
            " FROM unnest(%s::regconfig[]) AS c (config), unnest(to_tsvector(c.config, %s)) AS u",
            [list(QUERY_CONFIGS), " ".join(words)],
        )
        forms: dict[int, set[str]] = {}
        configs: dict[int, set[str]] = {}
        for config, lexeme, positions in cursor.fetchall():
            for position in positions:
                forms.setdefault(position, set()).add(lexeme)
                configs.setdefault(position, set()).add(config)
        return [
            Unit(terms=tuple(sorted(forms[position])))
            for position in sorted(forms)
            if len(configs[position]) == len(QUERY_CONFIGS)
        ]

    def frequencies(
        self, cursor: CursorWrapper, first: int, stop: int
    ) -> list[tuple[str, int, float, int]]:
        """``(lexeme, item id, weighted frequency, occurrences)`` of the items indexed with ids
        ``first`` to ``stop`` (excluded), sorted by lexeme, then id."""
        cursor.execute(
            f"SELECT u.lexeme, d.item_id,"
            f" (SELECT sum({_WEIGHT_OF_LABEL}) FROM unnest(u.weights) AS w)::float8,"
            " cardinality(u.positions)"
            f" FROM {TABLE} d, unnest(d.document) AS u"
            " WHERE d.item_id >= %s AND d.item_id < %s"
            ' ORDER BY u.lexeme COLLATE "C", d.item_id',
            [first, stop],
        )
        rows: list[tuple[str, int, float, int]] = cursor.fetchall()
        return rows

    def phrased(self, cursor: CursorWrapper, words: Sequence[str], ids: np.ndarray) -> np.ndarray:
        """Those of ``ids`` with ``words`` side by side, in this order (in any configuration)."""
        if not len(ids):
            return np.empty(0, dtype=np.int64)
        cursor.execute(
            f"SELECT string_agg(d.item_id::text, ',') FROM {TABLE} d"
            f" WHERE d.item_id = ANY(%s) AND d.document @@ ({_PHRASES})",
            [ids.tolist(), *[" ".join(words)] * len(QUERY_CONFIGS)],
        )
        return _ids(cursor)

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
