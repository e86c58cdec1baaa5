"""The full-text index over ``SearchText.text`` (see ``documents/search.py``).

SQLite: an external-content FTS5 table kept in step by triggers (documents
are never deleted, but the delete trigger keeps the index right if an operator
removes rows by hand). PostgreSQL: a GIN index on the ``simple`` tsvector, the
expression ``search.matching`` queries. Other databases: nothing (a plain scan).
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE documents_fts USING fts5(
        text, content='documents_searchtext', content_rowid='document_id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents_searchtext BEGIN
        INSERT INTO documents_fts(rowid, text) VALUES (new.document_id, new.text);
    END""",
    """CREATE TRIGGER documents_fts_update AFTER UPDATE OF text ON documents_searchtext
    BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, text)
            VALUES ('delete', old.document_id, old.text);
        INSERT INTO documents_fts(rowid, text) VALUES (new.document_id, new.text);
    END""",
    """CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents_searchtext BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, text)
            VALUES ('delete', old.document_id, old.text);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER documents_fts_delete",
    "DROP TRIGGER documents_fts_update",
    "DROP TRIGGER documents_fts_insert",
    "DROP TABLE documents_fts",
]
POSTGRESQL_FORWARD = [
    "CREATE INDEX documents_search_gin ON documents_searchtext "
    "USING gin (to_tsvector('simple', text))",
]
POSTGRESQL_BACKWARD = ["DROP INDEX documents_search_gin"]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, SQLITE_FORWARD, POSTGRESQL_FORWARD)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, SQLITE_BACKWARD, POSTGRESQL_BACKWARD)


def _run(schema_editor, sqlite, postgresql):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": sqlite, "postgresql": postgresql}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
