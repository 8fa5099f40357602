"""The GIN index that makes full-text search of the repository fast on PostgreSQL. SQLite
has no tsvector: there the search reads `search_text` instead, and nothing is created."""

from django.db import migrations

CREATE = ("CREATE INDEX IF NOT EXISTS document_search_vector "
          "ON documents_document USING gin (search_vector)")
DROP = "DROP INDEX IF EXISTS document_search_vector"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
