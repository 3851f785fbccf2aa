"""Resolving records to registry persons: exact passport, auto-link, review pair, new person;
and the match keys that make it fast, kept in step with the registry."""

from __future__ import annotations

from datetime import date

import pytest

from timpora.matching.actions import PersonRecord, resolve_person
from timpora.matching.choices import Outcome, PairSource, PairStatus
from timpora.matching.keys import rebuild_keys
from timpora.matching.models import MatchCandidate, PersonMatchKey
from timpora.matching.tests.conftest import register
from timpora.registry import actions as registry
from timpora.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ghamdi(personas, thresholds):
    return register(personas.officer, "MUHAMMAD AL-GHAMDI", date(1980, 5, 1), "SAU", "K12345678")


VARIANTS = {
    "transliteration": PersonRecord(
        full_name="MOHAMED ALGHAMDI", sex="M", birth_date=date(1980, 5, 1), nationality="SA"
    ),
    "name order": PersonRecord(
        surname="AL GHAMDI", given_names="MUHAMMED", birth_date=date(1980, 5, 1), nationality="SAU"
    ),
    "OCR passport": PersonRecord(
        full_name="MUHAMMAD ALGHAMDI",
        birth_date=date(1980, 5, 1),
        nationality="SAU",
        passport_number="K 1234 S67 8",
    ),
    "day and month swapped": PersonRecord(
        full_name="GHAMDI, MOHAMMAD AL",
        sex="M",
        birth_date=date(1980, 1, 5),
        nationality="SAU",
    ),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_it_links_a_variant_spelling_to_the_registered_person(personas, ghamdi, variant):
    persons = Person.objects.count()
    resolution = resolve_person(VARIANTS[variant], actor=personas.officer)
    assert resolution.outcome == Outcome.LINKED
    assert resolution.person == ghamdi
    assert resolution.probability >= 0.999
    assert Person.objects.count() == persons


def test_it_links_the_holder_of_the_same_passport_first(personas, ghamdi):
    resolution = resolve_person(
        PersonRecord(full_name="SOMEONE ELSE", nationality="SAU", passport_number="K12345678"),
        actor=personas.officer,
    )
    assert resolution.outcome == Outcome.EXACT
    assert resolution.person == ghamdi


def test_it_does_not_link_a_namesake_born_on_another_day(personas, ghamdi):
    resolution = resolve_person(
        PersonRecord(
            full_name="MUHAMMAD AL GHAMDI",
            sex="M",
            birth_date=date(1983, 7, 9),
            nationality="SAU",
            passport_number="K77777777",
        ),
        actor=personas.officer,
    )
    assert resolution.outcome == Outcome.NEW
    assert resolution.person != ghamdi
    assert resolution.person.documents.get().number == "K77777777"
    assert not MatchCandidate.objects.exists()


def test_it_queues_a_pair_between_the_thresholds(personas, ghamdi, thresholds):
    record = VARIANTS["day and month swapped"]
    probability = resolve_person(record, actor=personas.officer).probability
    thresholds(min(probability + 1e-6, 1.0), 0.9)
    resolution = resolve_person(record, actor=personas.officer, source=PairSource.REPORT)
    assert resolution.outcome == Outcome.REVIEW
    assert resolution.person != ghamdi
    pair = resolution.pairs[0]
    assert (pair.person_a, pair.person_b) == (ghamdi, resolution.person)
    assert pair.status == PairStatus.PENDING
    assert pair.probability == pytest.approx(probability)
    # The evidence is stored the pair's way round: the older person on the left.
    dob = next(e for e in pair.evidence if e["field"] == "dob")
    assert (dob["left"], dob["right"]) == ("1980-05-01", "1980-01-05")
    assert dob["level"] == "birth day and month swapped"
    # The new person has no stay yet: the pair is filed under the registered person's area.
    assert pair.kelurahan_code == "36.73.02.1007"


def test_it_creates_a_person_without_pair_below_the_review_threshold(personas, ghamdi, thresholds):
    thresholds(1.0, 1.0)
    resolution = resolve_person(VARIANTS["transliteration"], actor=personas.officer)
    assert resolution.outcome == Outcome.NEW
    assert not MatchCandidate.objects.exists()


def test_it_files_a_review_pair_under_the_area_given(personas, ghamdi, thresholds):
    thresholds(1.0, 0.9)
    resolution = resolve_person(
        VARIANTS["transliteration"], actor=personas.officer, area_code="36.73.06.1001"
    )
    assert resolution.pairs[0].kecamatan_code == "36.73.06"


def test_it_queues_a_registration_that_looks_like_a_registered_person(personas, ghamdi):
    again = register(personas.analyst, "MOHAMMED AL GHAMDI", date(1980, 5, 1), "SAU")
    pair = MatchCandidate.objects.get()
    assert (pair.person_a, pair.person_b) == (ghamdi, again)
    assert pair.source == PairSource.REGISTRY
    assert pair.kecamatan_code == "36.73.02"


# ---------------------------------------------------------------------------- keys


def _keys(person: Person) -> set[tuple]:
    return set(
        PersonMatchKey.objects.filter(person=person).values_list(
            "full_name", "birth", "passport_number", "name_sorted", "dob_swapkey", "passport_ocr"
        )
    )


def test_it_keys_a_person_as_the_registry_changes(personas, ghamdi):
    assert _keys(ghamdi) == {
        # the birth date swap-free (day and month in order), the passport OCR-folded
        (
            "MUHAMMAD AL-GHAMDI",
            "1980-05-01",
            "K12345678",
            "GHAMDI MUHAMMAD",
            "1980-01-05",
            "K12345678",
        )
    }
    registry.add_document(
        ghamdi, registry.DocumentInput(number="K99887766", issuing_state="SAU"), actor=None
    )
    registry.update_person(
        ghamdi,
        registry.PersonInput(
            full_name="YUSUF BIN AHMAD", sex="M", birth_date=date(1980, 5, 1), nationality="SAU"
        ),
        actor=None,
    )
    assert {(k[0], k[2], k[3]) for k in _keys(ghamdi)} == {
        ("YUSUF BIN AHMAD", "K12345678", "AHMAD YUSUF"),
        ("YUSUF BIN AHMAD", "K99887766", "AHMAD YUSUF"),
    }


def test_it_finds_a_renewed_passport_holder_by_the_old_number(personas, ghamdi, thresholds):
    registry.add_document(
        ghamdi, registry.DocumentInput(number="K55555555", issuing_state="SAU"), actor=None
    )
    resolution = resolve_person(
        PersonRecord(
            full_name="MOHAMMED AL GHAMDI", nationality="SAU", passport_number="K1234567B"
        ),
        actor=personas.officer,
    )
    assert resolution.person == ghamdi


def test_it_rebuilds_the_keys_in_bulk_exactly_as_one_by_one(personas, thresholds):
    people = [
        register(personas.officer, "KIM MIN JUN", date(1990, 2, 3), "KOR", "M12345678"),
        register(personas.officer, "SATOU HIROSHI", date(1975, 1, 1), "JPN"),
        register(personas.officer, "Ngô Thị Hương", None, "VNM", "C7654321", sex="F"),
        register(personas.officer, "JÖRG MÜLLER", date(1966, 12, 24), "D", "C01X00T47"),
    ]
    Person.objects.filter(pk=people[1].pk).update(birth_date_precision="year")
    registry.add_document(
        people[0], registry.DocumentInput(number="M87654321", issuing_state="KOR"), actor=None
    )
    from timpora.matching.keys import sync_keys

    sync_keys([p.pk for p in people])
    columns = [f.attname for f in PersonMatchKey._meta.concrete_fields if f.name != "id"]
    one_by_one = set(PersonMatchKey.objects.values_list(*columns))
    assert len(one_by_one) == 5
    result = rebuild_keys()
    assert result["keys"] == 5
    assert set(PersonMatchKey.objects.values_list(*columns)) == one_by_one
    assert ("1975",) in set(PersonMatchKey.objects.values_list("birth"))
