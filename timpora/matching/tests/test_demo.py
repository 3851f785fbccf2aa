"""The demo's review queue: second spellings of demo persons, queued once."""

from __future__ import annotations

from datetime import date

import pytest

from timpora.matching.choices import PairSource, PairStatus
from timpora.matching.demo import seed_review_pairs
from timpora.matching.models import MatchCandidate, PersonMatchKey
from timpora.registry import bulk, synth
from timpora.registry.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_review_queue_once(personas, thresholds):
    bulk.load(300, today=date(2026, 11, 23), scenarios=synth.DEMO_SCENARIOS, progress=False)
    # The bulk load keyed every person, set-based.
    assert set(PersonMatchKey.objects.values_list("person_id", flat=True)) == set(
        Person.objects.values_list("pk", flat=True)
    )
    summary = seed_review_pairs()
    pairs = MatchCandidate.objects.filter(source=PairSource.DEMO, status=PairStatus.PENDING)
    assert summary["matching"]["pairs"] == pairs.count() >= 4
    assert pairs.filter(kelurahan_code="36.73.02.1007").exists()
    persons = Person.objects.count()
    seed_review_pairs()
    assert Person.objects.count() == persons
    assert MatchCandidate.objects.filter(source=PairSource.DEMO).count() == pairs.count()
