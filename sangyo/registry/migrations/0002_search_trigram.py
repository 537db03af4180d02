"""Trigram indexes for substring search of names and kana on PostgreSQL.

`LIKE '%…%'` cannot use a B-tree; pg_trgm's GIN index answers it in milliseconds over
millions of rows. SQLite (the embedded default) has no such index and scans instead.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in ("search_name", "search_kana"):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS registry_business_{column}_trgm "
            f"ON registry_business USING gin ({column} gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in ("search_name", "search_kana"):
        schema_editor.execute(f"DROP INDEX IF EXISTS registry_business_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
