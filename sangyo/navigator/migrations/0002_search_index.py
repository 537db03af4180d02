"""The full-text index over navigator_searchdocument, per database:

* SQLite: an FTS5 table with external content (the document table) kept in step by
  triggers; the columns hold the pre-tokenised words, so FTS5's own tokenizer only splits on
  the spaces.
* PostgreSQL: a generated tsvector column (the 'simple' configuration over the pre-tokenised
  words, the title weighted A) and a GIN index on it.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE navigator_fts USING fts5(
        title_tokens, tokens, content='navigator_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER navigator_fts_ai AFTER INSERT ON navigator_searchdocument BEGIN
        INSERT INTO navigator_fts(rowid, title_tokens, tokens)
        VALUES (new.id, new.title_tokens, new.tokens); END""",
    """CREATE TRIGGER navigator_fts_ad AFTER DELETE ON navigator_searchdocument BEGIN
        INSERT INTO navigator_fts(navigator_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.id, old.title_tokens, old.tokens); END""",
    """CREATE TRIGGER navigator_fts_au AFTER UPDATE ON navigator_searchdocument BEGIN
        INSERT INTO navigator_fts(navigator_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.id, old.title_tokens, old.tokens);
        INSERT INTO navigator_fts(rowid, title_tokens, tokens)
        VALUES (new.id, new.title_tokens, new.tokens); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS navigator_fts_au",
    "DROP TRIGGER IF EXISTS navigator_fts_ad",
    "DROP TRIGGER IF EXISTS navigator_fts_ai",
    "DROP TABLE IF EXISTS navigator_fts",
]
PG_FORWARD = [
    """ALTER TABLE navigator_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title_tokens, '')), 'A')
        || to_tsvector('simple', coalesce(tokens, ''))) STORED""",
    "CREATE INDEX navigator_doc_tsv_gin ON navigator_searchdocument USING gin (tsv)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS navigator_doc_tsv_gin",
    "ALTER TABLE navigator_searchdocument DROP COLUMN IF EXISTS tsv",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(
        schema_editor.connection.vendor, []
    )
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}.get(
        schema_editor.connection.vendor, []
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("navigator", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
