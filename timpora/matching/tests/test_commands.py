"""``timpora match rebuild-keys`` and ``timpora match scan``, and their background tasks."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from timpora.matching.models import MatchCandidate, PersonMatchKey
from timpora.matching.tasks import rebuild_match_keys, scan_persons
from timpora.matching.tests.conftest import register
from timpora.registry.models import Person

pytestmark = pytest.mark.django_db


def test_rebuild_keys_restores_the_keys_of_every_person(personas, thresholds):
    people = [
        register(personas.officer, "KIM MIN JUN", date(1990, 2, 3), "KOR", "M12345678"),
        register(personas.officer, "TANAKA YUKI", date(1985, 1, 1), "JPN"),
    ]
    before = set(PersonMatchKey.objects.values_list("person_id", "name_sorted", "passport_ocr"))
    search_key = Person.objects.get(pk=people[0].pk).name_search
    PersonMatchKey.objects.all().delete()
    Person.objects.filter(pk=people[0].pk).update(name_search=" STALE ")  # an older rule's key
    out = StringIO()
    call_command("match", "rebuild-keys", stdout=out)
    assert json.loads(out.getvalue()) == {"persons": 2, "keys": 2, "name_search": 1}
    assert Person.objects.get(pk=people[0].pk).name_search == search_key
    assert set(PersonMatchKey.objects.values_list("person_id", "name_sorted", "passport_ocr")) == (
        before
    )
    PersonMatchKey.objects.filter(person=people[0]).delete()
    rebuild_match_keys.call()
    assert PersonMatchKey.objects.filter(person=people[0]).exists()


def test_scan_queues_duplicates_registered_before_matching_existed(personas, thresholds):
    first = register(personas.officer, "SMITH JACK", date(1970, 1, 1), "AUS", "P1234567")
    second = register(personas.officer, "JACK SMITH", date(1970, 1, 1), "AUS", "P7654321")
    MatchCandidate.objects.all().delete()  # as if both predated entity resolution
    out = StringIO()
    call_command("match", "scan", "--persons", str(second.pk), stdout=out)
    assert json.loads(out.getvalue()) == {"persons": 1, "queued": 1}
    assert MatchCandidate.objects.get().person_a == first
    MatchCandidate.objects.all().delete()
    assert scan_persons.call([first.pk, second.pk]) == {"persons": 2, "queued": 1}


def test_the_rekeying_migration_recomputes_stale_keys_of_an_existing_database(personas, thresholds):
    from importlib import import_module
    from types import SimpleNamespace

    from django.db import connection

    migration = import_module("timpora.matching.migrations.0002_rekey_joined_given_names")
    person = register(personas.officer, "WANG JUEHWANG", date(1984, 3, 9), "CHN")
    PersonMatchKey.objects.filter(person=person).update(name_cycle="ANGJUEHWANGW")  # old rule
    Person.objects.filter(pk=person.pk).update(name_search=" JUEHWANG WANG ")
    migration.rekey(None, SimpleNamespace(connection=connection))
    keys = PersonMatchKey.objects.get(person=person)
    assert keys.name_cycle == "ANGJUEHUANGW"  # HWANG spelt HUANG inside the joined name
    assert " JUEHUANG WANG " in Person.objects.get(pk=person.pk).name_search
