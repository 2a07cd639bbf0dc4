"""Relevance from the term index (``search.terms``, ``search.ranking``) on whichever database the
suite runs on: the formula's known answers, the term index following every write and built by
migration 0003 for an index that had none, SQLite's own ``bm25()`` reproduced on a generated
corpus, and the phrase boost checked wherever it can change a page.

The corpus is written with bulk inserts and ``reindex_all`` (as the bench does), with ids that
span several chunks of the term index.
"""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from tests.web.knowledge.test_search import KOREA, Publish, editor, publish  # noqa: F401

from egov.web.knowledge import search
from egov.web.knowledge.models import Item
from egov.web.knowledge.search import facets, ranking, sqlite, terms
from egov.web.knowledge.search.query import SearchQuery, parse
from egov.web.knowledge.services.items import _item_update, item_input, item_transition

ON_SQLITE = connection.vendor == "sqlite"

#: An e-government vocabulary, most frequent first (drawn with Zipf-like weights).
WORDS = (  # noqa: SIM905 - a paragraph of words reads better
    "government services digital citizens data public open portal national strategy agency"
    " online identity platform ministry policy access security interoperability participation"
    " mobile infrastructure capacity training cloud registry payment licence survey index"
    " korea japan kazakhstan colombia estonia rwanda chile singapore smart whole coordination"
    " innovation transparency procurement health education tax customs cooperation framework"
).split()
PHRASES = ("open data", "digital government", "public services", "whole of government")
LANGUAGES = ("en", "en", "en", "en", "fr", "es", "ru", "ar", "zh", "other")


def _text(pick: random.Random, count: int) -> str:
    words = pick.choices(WORDS, weights=[1 / (rank + 1) for rank in range(len(WORDS))], k=count)
    for at in range(0, count, 9):
        if pick.random() < 0.3:
            words[at] = pick.choice(PHRASES)
    return " ".join(words)


@pytest.fixture
def corpus(db: None) -> list[int]:
    """300 published items of generated text, ids 1000 to 3093 (five chunks); their ids."""
    pick = random.Random(6)
    now = timezone.now()
    items = [
        Item(
            id=1000 + 7 * number,
            slug=f"generated-{number}",
            type=pick.choice(("case_study", "good_practice", "analytical_paper")),
            title=_text(pick, pick.randint(3, 9)).capitalize(),
            summary=_text(pick, pick.randint(10, 40)),
            body_md=_text(pick, pick.randint(0, 200)),
            year=pick.randint(2003, 2025),
            language=pick.choice(LANGUAGES),
            status="published",
            created_at=now,
            updated_at=now,
            published_at=now,
        )
        for number in range(300)
    ]
    Item.objects.bulk_create(items)
    search.reindex_all()
    return [item.pk for item in items]


def _scores(query: SearchQuery) -> dict[int, float]:
    """The relevance of every match of ``query`` from the term index, without the phrase
    boost: ``item id → score``."""
    engine = search.backend()
    table = facets.table()
    with connection.cursor() as cursor, engine.reading(cursor):
        ids = np.sort(engine.matches(cursor, query))
        found = []
        for item_ids, weights in terms.postings(cursor, engine.units(cursor, query)):
            rows, present = table.rows_of(item_ids)
            found.append(ranking.Postings(rows[present], weights[present], hits=len(item_ids)))
    scores = ranking.bm25(
        found, table.lengths, documents=table.documents, average_length=table.average_length
    )
    rows, _present = table.rows_of(ids)
    return {int(item_id): float(score) for item_id, score in zip(ids, scores[rows], strict=True)}


def _order(scores: dict[int, float]) -> list[int]:
    """Ids by score (to 9 decimals), then year (newest first), then title."""
    items = Item.objects.in_bulk(list(scores))
    return sorted(
        scores,
        key=lambda i: (-round(scores[i], 9), -(items[i].year or -1), items[i].title.casefold(), i),
    )


def _rows() -> tuple[list[tuple[str, int, bytes]], list[tuple[int, bytes]]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, chunk, postings FROM {terms.TERMS} ORDER BY term, chunk")
        postings = [(term, chunk, bytes(blob)) for term, chunk, blob in cursor.fetchall()]
        cursor.execute(f"SELECT chunk, postings FROM {terms.LENGTHS} ORDER BY chunk")
        lengths = [(chunk, bytes(blob)) for chunk, blob in cursor.fetchall()]
    return postings, lengths


def _postings_of(text: str) -> dict[int, float]:
    """``item id → weighted frequency`` of the word ``text`` (a finished word)."""
    engine = search.backend()
    with connection.cursor() as cursor:
        (unit,) = engine.units(cursor, parse(text + " "))
        ((ids, weights),) = terms.postings(cursor, [unit])
    return {int(i): float(w) for i, w in zip(ids, weights, strict=True)}


# --- the formula ------------------------------------------------------------------------------


def test_idf_is_floored_for_a_unit_in_more_than_half_the_items() -> None:
    assert ranking.idf(1, 100) == pytest.approx(np.log(99.5 / 1.5))
    assert ranking.idf(50, 100) == ranking.IDF_FLOOR
    assert ranking.idf(90, 100) == ranking.IDF_FLOOR


def test_bm25_sums_over_units_and_favours_short_items() -> None:
    lengths = np.array([5.0, 20.0, 5.0])
    korea = ranking.Postings(np.array([0, 1]), np.array([3.0, 3.0]), hits=2)
    portal = ranking.Postings(np.array([2]), np.array([1.0]), hits=1)

    scores = ranking.bm25([korea, portal], lengths, documents=10, average_length=10.0)

    idf = np.log(8.5 / 2.5)
    expected_0 = idf * 3 * 2.2 / (3 + 1.2 * (0.25 + 0.75 * 0.5))
    assert scores[0] == pytest.approx(expected_0, rel=1e-12)
    assert scores[1] < scores[0]  # the same frequency in a longer item
    assert scores[2] == pytest.approx(np.log(9.5 / 1.5) * 2.2 / (1 + 1.2 * 0.625), rel=1e-12)


def test_best_keeps_the_order_of_a_full_sort_with_ties_to_nine_decimals() -> None:
    generator = np.random.default_rng(6)
    scores = np.round(generator.random(2000) * 5, 3) + generator.random(2000) * 1e-11
    years = generator.integers(2003, 2026, 2000)
    title_ranks = generator.permutation(2000)
    full = np.lexsort((title_ranks, -years, -np.round(scores, 9)))

    for count in (1, 20, 60, 1999, 2000, 2500):
        assert ranking.best(scores, years, title_ranks, count).tolist() == full[:count].tolist()


def test_postings_of_several_terms_add_up_per_item_whether_ids_are_dense_or_sparse() -> None:
    ids = np.array([5, 3, 5, 9, 3, 3])
    weights = np.array([1.0, 10.0, 4.0, 3.0, 1.0, 1.0])

    assert [a.tolist() for a in terms._summed(ids, weights)] == [[3, 5, 9], [12.0, 5.0, 3.0]]
    sparse = terms._summed(ids * 1_000_000, weights)  # too sparse to count into an array
    assert [a.tolist() for a in sparse] == [[3_000_000, 5_000_000, 9_000_000], [12.0, 5.0, 3.0]]


# --- the term index follows the index ---------------------------------------------------------


@pytest.mark.django_db
def test_the_term_index_follows_publishing_editing_and_withdrawing(
    publish: Publish,  # noqa: F811
    editor: User,  # noqa: F811
) -> None:
    korea = publish(replace(KOREA, title="Korea's chatbot for public services"))
    assert korea.pk in _postings_of("chatbot")
    assert _postings_of("chatbot")[korea.pk] >= 10  # in the title: weight 10

    _item_update(
        item=korea, data=replace(item_input(korea), title="Korea's smart portal"), actor=editor
    )
    assert korea.pk not in _postings_of("chatbot")
    assert korea.pk in _postings_of("portal")

    item_transition(item=korea, action="withdraw", actor=editor, note="outdated")
    assert korea.pk not in _postings_of("portal")
    ids, _lengths = terms.lengths(connection.cursor())
    assert korea.pk not in ids.tolist()


@pytest.mark.django_db
def test_each_field_weighs_as_documented_and_the_context_4_on_postgresql(
    publish: Publish,  # noqa: F811
) -> None:
    item = publish(
        replace(
            KOREA,
            title="Zebra crossings",
            summary="A yak.",
            body_md="A quokka.",
            source_organisation="Okapi Institute",
        )
    )

    weights = {word: _postings_of(word)[item.pk] for word in ("zebra", "yak", "okapi", "quokka")}

    assert weights == {"zebra": 10.0, "yak": 4.0, "okapi": 3.0 if ON_SQLITE else 4.0, "quokka": 1.0}


@pytest.mark.django_db
def test_reindex_all_and_rebuilding_from_the_full_text_index_give_the_same_term_index(
    corpus: list[int],
) -> None:
    built = _rows()
    assert {chunk for chunk, _blob in built[1]} == {terms.chunk_of(i) for i in corpus}

    with connection.cursor() as cursor:  # as migration 0003 does
        terms.clear(cursor)
        terms.rebuild(cursor, search.backend(), {terms.chunk_of(i) for i in corpus})
    assert _rows() == built

    with connection.cursor() as cursor:  # one chunk again, as a write does
        terms.rebuild(cursor, search.backend(), [terms.chunk_of(corpus[100])])
    assert _rows() == built

    search.reindex_all()
    assert _rows() == built


@pytest.mark.django_db(transaction=True)
def test_migration_0003_builds_the_term_index_of_an_installation_indexed_before_it(
    corpus: list[int],
) -> None:
    built = _rows()
    before = search.search_items(query="digital government", filters={}, per_page=50)
    executor = MigrationExecutor(connection)
    executor.migrate([("knowledge", "0002_search_index")])  # the term index is dropped
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM knowledge_search_state")
            assert cursor.fetchone() == (1,)
            assert terms.TERMS not in connection.introspection.table_names(cursor)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert _rows() == built
    after = search.search_items(query="digital government", filters={}, per_page=50)
    assert [(hit.id, hit.score) for hit in after.hits] == [
        (hit.id, hit.score) for hit in before.hits
    ]
    Item.objects.all().delete()
    search.reindex_all()  # a flush leaves the search's own tables: empty them for what follows


@pytest.mark.django_db
def test_the_lengths_count_every_indexed_token(corpus: list[int]) -> None:
    ids, lengths = terms.lengths(connection.cursor())

    assert ids.tolist() == corpus
    table = facets.table()
    assert table.documents == 300
    assert table.average_length == pytest.approx(lengths.mean())
    assert (lengths > 10).all()


# --- SQLite: the same scores as bm25() --------------------------------------------------------

FTS5_QUERIES = [
    "korea",
    "interoperability ",
    "digital government",
    "open data portal ",
    "korea or japan",
    "citizens -portal",
    "interop",
    "servi",
    "estonia rwanda or chile",
    "the government",
]


@pytest.mark.skipif(not ON_SQLITE, reason="FTS5's bm25() is SQLite's")
@pytest.mark.django_db
@pytest.mark.parametrize("text", FTS5_QUERIES)
def test_scores_are_fts5_bm25_with_the_same_weights(corpus: list[int], text: str) -> None:
    query = parse(text)
    ours = _scores(query)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, -bm25(knowledge_search, 10, 4, 1, 3) FROM knowledge_search"
            " WHERE knowledge_search MATCH %s",
            [sqlite.expression(query)],
        )
        theirs = dict(cursor.fetchall())

    assert len(theirs) >= 5
    assert sorted(ours) == sorted(theirs)
    np.testing.assert_allclose([ours[i] for i in theirs], list(theirs.values()), rtol=1e-9)


@pytest.mark.skipif(not ON_SQLITE, reason="FTS5's bm25() is SQLite's")
@pytest.mark.django_db
@pytest.mark.parametrize("text", ["digital government", "open data", "korea", "public services "])
def test_pages_are_those_of_fts5_bm25_with_the_phrase_boost(corpus: list[int], text: str) -> None:
    query = parse(text)
    boost = len(query.plain_words) > 1  # one word is no phrase
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, -bm25(knowledge_search, 10, 4, 1, 3) * (CASE WHEN %s AND rowid IN"
            " (SELECT rowid FROM knowledge_search WHERE knowledge_search MATCH %s)"
            " THEN 2.0 ELSE 1.0 END) FROM knowledge_search WHERE knowledge_search MATCH %s",
            [boost, '"' + " ".join(query.plain_words) + '"', sqlite.expression(query)],
        )
        expected = _order(dict(cursor.fetchall()))

    pages = [search.search_items(query=text, filters={}, page=n, per_page=20) for n in (1, 2, 3)]

    assert [hit.id for page in pages for hit in page.hits] == expected[:60]
    assert pages[0].total == len(expected)


# --- the phrase boost, on both databases ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["digital government", "open data", "data open", "public services", "korea portal"]
)
def test_the_phrase_boost_is_checked_wherever_it_could_change_a_page(
    corpus: list[int], text: str
) -> None:
    query = parse(text)
    scores = _scores(query)
    engine = search.backend()
    with connection.cursor() as cursor, engine.reading(cursor):
        side_by_side = set(
            engine.phrased(cursor, query.plain_words, np.array(sorted(scores))).tolist()
        )
    boosted = {i: s * search.PHRASE_BOOST if i in side_by_side else s for i, s in scores.items()}
    expected = _order(boosted)

    for per_page, pages in ((20, (1, 2, 3)), (7, (1, 5))):
        found = [
            search.search_items(query=text, filters={}, page=n, per_page=per_page) for n in pages
        ]
        assert [hit.id for page in found for hit in page.hits] == [
            i for n in pages for i in expected[(n - 1) * per_page : n * per_page]
        ]
        for page in found:
            assert [hit.score for hit in page.hits] == pytest.approx(
                [boosted[hit.id] for hit in page.hits]
            )


@pytest.mark.django_db
def test_a_facet_filter_ranks_the_filtered_matches_the_same_way(corpus: list[int]) -> None:
    everything = search.search_items(query="government", filters={}, per_page=100)
    case_studies = search.search_items(
        query="government", filters={"type": ["case_study"]}, per_page=100
    )

    expected = [hit.id for hit in everything.hits if hit.type == "case_study"]
    assert [hit.id for hit in case_studies.hits][: len(expected)] == expected


# --- what each database looks up --------------------------------------------------------------


@pytest.mark.django_db
def test_a_phrase_asks_for_the_words_every_item_with_it_has() -> None:
    engine = search.backend()
    with connection.cursor() as cursor:
        units = engine.phrase(cursor, ["whole", "of", "government"])
    found = [set(unit.terms) for unit in units]
    if ON_SQLITE:
        assert found == [{"whole"}, {"of"}, {"govern"}]
    else:  # "of" is a stop word in English: an English item with the phrase need not have it
        assert len(found) == 2
        assert "whole" in found[0]
        assert {"govern", "government"} <= found[1]


@pytest.mark.django_db
def test_the_word_being_typed_is_a_prefix_and_each_word_of_a_phrase_a_unit() -> None:
    engine = search.backend()
    with connection.cursor() as cursor:
        typed = engine.units(cursor, parse("korea interop"))
        quoted = engine.units(cursor, parse('"open data" '))
    assert (bool(typed[-1].prefixes), bool(typed[-1].terms)) == (True, False)
    assert (bool(typed[0].prefixes), bool(typed[0].terms)) == (False, True)
    assert len(quoted) == 2
