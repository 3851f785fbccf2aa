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

pytestmark = pytest.mark.django_db


def test_rebuild_keys_restores_the_keys_of_every_person(personas, thresholds):
    people = [
        register(personas.officer, "KIM MIN JUN", date(1990, 2, 3), "KOR", "M12345678"),
        register(personas.officer, "TANAKA YUKI", date(1985, 1, 1), "JPN"),
    ]
    before = set(PersonMatchKey.objects.values_list("person_id", "name_sorted", "passport_ocr"))
    PersonMatchKey.objects.all().delete()
    out = StringIO()
    call_command("match", "rebuild-keys", stdout=out)
    assert json.loads(out.getvalue()) == {"persons": 2, "keys": 2}
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
