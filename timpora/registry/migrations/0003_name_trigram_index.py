"""On PostgreSQL, a trigram index makes substring name search fast on a million persons."""

from django.db import migrations


def up(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registry_person_name_key_trgm "
        "ON registry_person USING gin (name_key gin_trgm_ops)")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registry_traveldocument_number_like "
        "ON registry_traveldocument (number varchar_pattern_ops)")


def down(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS registry_person_name_key_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS registry_traveldocument_number_like")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_seed_permit_indices")]
    operations = [migrations.RunPython(up, down)]
