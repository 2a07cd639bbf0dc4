"""The full-text index of published items (:mod:`egov.web.knowledge.search`), one per database.

SQLite: an FTS5 table ``knowledge_search`` (rowid = item id; columns title, summary, body,
context) with the ``porter unicode61 remove_diacritics 2`` tokenizer; it keeps its own copy of
the text, which ``snippet()`` and ``highlight()`` need.

PostgreSQL: a table ``knowledge_search_document`` (item id, the text search configuration of
the item's language, the plain text ``ts_headline`` needs, and the weighted ``tsvector``) with a
GIN index. The vector is compressed with lz4 where the server has it (decompressing was most of
ranking's cost while the database ranked; since 0003, of checking a phrase).

Both: ``knowledge_search_state``, one row whose token changes with every change of the index,
so each process knows when its facet table is out of date.

The item id carries no foreign key: Django's test flush empties the model tables with a plain
``TRUNCATE``, which a reference from a table it does not know would refuse. Searches only show
ids that are published items, and the services keep the index in step.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE = [
    """CREATE VIRTUAL TABLE knowledge_search USING fts5(
        title, summary, body, context,
        tokenize = 'porter unicode61 remove_diacritics 2',
        prefix = '3'
    )""",
]
POSTGRESQL = [
    """CREATE TABLE knowledge_search_document (
        item_id bigint PRIMARY KEY,
        config regconfig NOT NULL,
        title text NOT NULL,
        summary text NOT NULL,
        body text NOT NULL,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX knowledge_search_document_gin ON knowledge_search_document USING gin (document)",
    """DO $$ BEGIN
        EXECUTE 'ALTER TABLE knowledge_search_document ALTER COLUMN document SET COMPRESSION lz4';
    EXCEPTION WHEN OTHERS THEN NULL;
    END $$""",
]
STATE = [
    "CREATE TABLE knowledge_search_state"
    " (id integer PRIMARY KEY CHECK (id = 1), token text NOT NULL)",
    "INSERT INTO knowledge_search_state (id, token) VALUES (1, 'new')",
]


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor)
    if statements is None:
        raise RuntimeError(f"knowledge search: no full-text backend for {vendor}")
    for statement in [*statements, *STATE]:
        schema_editor.execute(statement)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    table = "knowledge_search" if vendor == "sqlite" else "knowledge_search_document"
    schema_editor.execute(f"DROP TABLE IF EXISTS {table}")
    schema_editor.execute("DROP TABLE IF EXISTS knowledge_search_state")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
