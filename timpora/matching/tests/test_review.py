"""Review decisions: stored once, never asked again, merged through the registry, undone,
split; and they feed back into matching."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from timpora.audit.models import AuditRecord
from timpora.matching import actions
from timpora.matching.actions import PersonRecord, decide_pair, resolve_person, scan_person
from timpora.matching.choices import Outcome, PairStatus, Verdict
from timpora.matching.models import MatchCandidate, PairDecision, PersonMatchKey
from timpora.matching.tests.conftest import KEL_TAKTAKAN, register
from timpora.registry import actions as registry
from timpora.registry.models import Person, TravelDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(personas, thresholds):
    """Two registrations of one foreigner, the second queued with the first."""
    older = register(personas.officer, "NGUYEN VAN AN", date(1991, 3, 14), "VNM", "C1234567")
    newer = register(
        personas.officer, "NGUYEN AN", date(1991, 3, 14), "VNM", "C7654321", area=KEL_TAKTAKAN
    )
    found = MatchCandidate.objects.get()
    assert (found.person_a, found.person_b) == (older, newer)
    return found


def test_it_never_asks_a_rejected_pair_again(personas, pair):
    decision = decide_pair(pair, Verdict.DIFFERENT, actor=personas.analyst, reason="two cousins")
    pair.refresh_from_db()
    assert pair.status == PairStatus.REJECTED
    assert (decision.verdict, decision.reason, decision.decided_by) == (
        Verdict.DIFFERENT,
        "two cousins",
        personas.analyst,
    )
    # Scanning again, registering again, deciding again: nothing new is asked.
    assert scan_person(pair.person_b) == []
    assert scan_person(pair.person_a) == []
    assert (
        actions.queue_pair(
            pair.person_a_id,
            pair.person_b_id,
            probability=0.9,
            match_weight=3.0,
            evidence=(),
            source="scan",
        )
        is None
    )
    with pytest.raises(ValidationError):
        decide_pair(pair, Verdict.SAME, actor=personas.analyst)
    assert MatchCandidate.objects.count() == 1
    assert not Person.objects.filter(merged_into__isnull=False).exists()
    assert AuditRecord.objects.filter(
        object_type="matching.matchcandidate", object_id=str(pair.pk), action="update"
    ).exists()


def test_it_merges_an_accepted_pair_into_the_older_person(personas, pair, thresholds):
    older, newer = pair.person_a, pair.person_b
    decide_pair(pair, Verdict.SAME, actor=personas.analyst)
    pair.refresh_from_db()
    newer.refresh_from_db()
    assert pair.status == PairStatus.ACCEPTED
    assert pair.decision.verdict == Verdict.SAME
    assert newer.merged_into == older
    assert set(TravelDocument.objects.filter(person=older).values_list("number", flat=True)) == {
        "C1234567",
        "C7654321",
    }
    # The older person keeps both spellings and both passports as keys; the tombstone none.
    assert not PersonMatchKey.objects.filter(person=newer).exists()
    assert set(PersonMatchKey.objects.filter(person=older).values_list("full_name", flat=True)) == {
        "NGUYEN VAN AN",
        "NGUYEN AN",
    }
    # A new record spelled like the absorbed person now resolves to the survivor.
    resolution = resolve_person(
        PersonRecord(full_name="NGUYEN AN", birth_date=date(1991, 3, 14), nationality="VNM"),
        actor=personas.officer,
    )
    assert (resolution.outcome, resolution.person) == (Outcome.LINKED, older)


def test_it_restores_both_persons_when_the_merge_is_undone(personas, pair):
    older, newer = pair.person_a, pair.person_b
    keys_before = set(PersonMatchKey.objects.values_list("person_id", "full_name", "passport"))
    decide_pair(pair, Verdict.SAME, actor=personas.analyst)
    merge = older.merges_kept.get()
    registry.undo_merge(merge, actor=personas.analyst, reason="the passports are two men")
    newer.refresh_from_db()
    assert newer.merged_into is None
    assert newer.documents.get().number == "C7654321"
    assert set(PersonMatchKey.objects.values_list("person_id", "full_name", "passport")) == (
        keys_before
    )
    # Undoing the merge says they are two persons: never proposed again.
    pair.refresh_from_db()
    assert pair.status == PairStatus.REJECTED
    decision = PairDecision.objects.get(person_a=older, person_b=newer)
    assert decision.verdict == Verdict.DIFFERENT
    assert scan_person(newer) == []
    assert MatchCandidate.objects.filter(status=PairStatus.PENDING).count() == 0


def test_it_records_a_split_as_two_different_persons(personas, pair):
    older = pair.person_a
    decide_pair(pair, Verdict.SAME, actor=personas.analyst)
    document = TravelDocument.objects.get(number="C7654321")
    created = registry.split_person(
        older,
        record_refs=[("registry.traveldocument", document.pk)],
        actor=personas.analyst,
        reason="the second passport is his brother's",
    )
    decision = PairDecision.objects.get(person_a=older, person_b=created)
    assert decision.verdict == Verdict.DIFFERENT
    created_keys = PersonMatchKey.objects.filter(person=created)
    assert set(created_keys.values_list("passport", flat=True)) == {"C7654321"}
    assert "C7654321" not in set(
        PersonMatchKey.objects.filter(person=older).values_list("passport", flat=True)
    )
    assert scan_person(created) == []


def test_it_retires_the_pending_pairs_of_a_merged_person(personas, pair, thresholds):
    third = register(personas.officer, "NGUYEN VAN AN", date(1991, 3, 14), "VNM")
    pending = MatchCandidate.objects.filter(status=PairStatus.PENDING)
    assert pending.filter(person_b=third).exists()
    decide_pair(pair, Verdict.SAME, actor=personas.analyst)
    # Pairs naming the absorbed person are retired; the survivor keeps its own.
    assert not pending.filter(person_a=pair.person_b).exists()
    assert not pending.filter(person_b=pair.person_b).exists()
    assert pending.filter(person_a=pair.person_a, person_b=third).exists()


def test_it_carries_a_rejection_over_to_the_person_merged_into(personas, pair, thresholds):
    third = register(personas.officer, "NGUYEN AN", date(1991, 3, 14), "VNM")
    with_third = MatchCandidate.objects.get(person_a=pair.person_b, person_b=third)
    decide_pair(with_third, Verdict.DIFFERENT, actor=personas.analyst)
    decide_pair(pair, Verdict.SAME, actor=personas.analyst)
    assert PairDecision.objects.get(person_a=pair.person_a, person_b=third).verdict == (
        Verdict.DIFFERENT
    )
    assert scan_person(pair.person_a) == []


def test_it_lets_only_reviewers_decide(personas, pair):
    with pytest.raises(PermissionDenied):
        decide_pair(pair, Verdict.SAME, actor=personas.police_kasemen)
    with pytest.raises(PermissionDenied):
        decide_pair(pair, Verdict.SAME, actor=personas.officer)
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING
