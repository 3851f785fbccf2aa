"""Recompute the stored name keys after the normalisation learnt joined Chinese and Korean
given names (JUEHWANG as JUE + HUANG), Hokkien and Russian spellings and the Vietnamese THI.

The keys are derived data: ``timpora match rebuild-keys`` does the same by hand. A database
without persons (a fresh install) has nothing to recompute.
"""

from django.db import migrations


def rekey(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM registry_person LIMIT 1")
        if cursor.fetchone() is None:
            return
    from timpora.matching.keys import rekey_all

    rekey_all()


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_match_keys_and_review_pairs")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop, elidable=True)]
