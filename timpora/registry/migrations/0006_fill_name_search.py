"""Fill ``Person.name_search`` for the persons already registered, and on PostgreSQL index it
with trigrams so that the whole-token ``LIKE`` of fuzzy name search is an index lookup."""

from django.db import migrations

BATCH = 5000


def fill(apps, schema_editor):
    from timpora.registry.names import person_search_key

    Person = apps.get_model("registry", "Person")
    last = 0
    while True:
        batch = list(
            Person.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "surname", "given_names", "full_name")[:BATCH]
        )
        if not batch:
            return
        for person in batch:
            person.name_search = person_search_key(
                person.surname, person.given_names, person.full_name
            )
        Person.objects.bulk_update(batch, ["name_search"], batch_size=1000)
        last = batch[-1].pk


def index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registry_person_name_search_trgm "
        "ON registry_person USING gin (name_search gin_trgm_ops)"
    )


def unindex(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS registry_person_name_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_person_merge_and_fuzzy_name_search")]
    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index, unindex),
    ]
