"""The term index of the knowledge search (:mod:`egov.web.knowledge.search.terms`): for each term
the full-text index holds, the items having it and its weighted frequency in each; and each
item's length in tokens. Both in chunks of 512 item ids, postings packed in a binary string.

The same two tables on both databases. On PostgreSQL the terms compare byte by byte
(``COLLATE "C"``, as on SQLite), so the terms starting with a prefix are one range of the key,
and postings (at most 3 kB) stay in the row.

PostgreSQL only: the rows of ``knowledge_search_document`` become narrow. Its vectors (about
1.7 kB) and texts are stored out of line (``toast_tuple_target = 128``), so finding
the items with a word (a GIN index scan, then each item's row for its id) reads about 12 MB of
rows instead of 73 MB; a search no longer ranks with the vectors, and only a phrase needs them
(measured on 50,000 items: the ids of a word found in 36,866 items in 9 ms instead of 23–69).
The rows are written again to take the setting (an ``UPDATE`` would keep them as they are).
PostgreSQL toasts only a row of more than 2 kB, so this moves the vector with the texts: a
table of vectors alone (about 1.7 kB each) would keep them in its rows (measured: 45 MB of rows,
three times slower to find a word).

Built here from the full-text index as it stands (derived data, only the search's own tables
are read), so an existing index is ranked at once; a new database has nothing to build.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE = [
    """CREATE TABLE knowledge_search_term (
        term text NOT NULL,
        chunk integer NOT NULL,
        postings blob NOT NULL,
        PRIMARY KEY (term, chunk)
    )""",
    "CREATE INDEX knowledge_search_term_chunk ON knowledge_search_term (chunk)",
    """CREATE TABLE knowledge_search_length (
        chunk integer PRIMARY KEY,
        postings blob NOT NULL
    )""",
]
POSTGRESQL = [
    """CREATE TABLE knowledge_search_term (
        term text COLLATE "C" NOT NULL,
        chunk integer NOT NULL,
        postings bytea NOT NULL,
        PRIMARY KEY (term, chunk)
    )""",
    "ALTER TABLE knowledge_search_term ALTER COLUMN postings SET STORAGE MAIN",
    "CREATE INDEX knowledge_search_term_chunk ON knowledge_search_term (chunk)",
    """CREATE TABLE knowledge_search_length (
        chunk integer PRIMARY KEY,
        postings bytea NOT NULL
    )""",
    "ALTER TABLE knowledge_search_document SET (toast_tuple_target = 128)",
    "CREATE TEMPORARY TABLE knowledge_search_document_rows ON COMMIT DROP"
    " AS SELECT * FROM knowledge_search_document",
    "DROP INDEX knowledge_search_document_gin",
    "TRUNCATE knowledge_search_document",
    "INSERT INTO knowledge_search_document SELECT * FROM knowledge_search_document_rows",
    "CREATE INDEX knowledge_search_document_gin ON knowledge_search_document USING gin (document)",
]


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor)
    if statements is None:
        raise RuntimeError(f"knowledge search: no full-text backend for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)
    from egov.web.knowledge.search import backend, terms

    engine = backend()
    table = "knowledge_search" if vendor == "sqlite" else "knowledge_search_document"
    key = "rowid" if vendor == "sqlite" else "item_id"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT {key} / %s FROM {table}", [terms.CHUNK])
        chunks = [row[0] for row in cursor.fetchall()]
        terms.rebuild(cursor, engine, chunks)
        cursor.execute("UPDATE knowledge_search_state SET token = 'terms' WHERE id = 1")


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute("DROP TABLE IF EXISTS knowledge_search_term")
    schema_editor.execute("DROP TABLE IF EXISTS knowledge_search_length")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE knowledge_search_document RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_index")]

    operations = [migrations.RunPython(create, drop)]
