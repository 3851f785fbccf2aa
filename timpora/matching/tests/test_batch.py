"""Entity resolution inside imports: the staged rows are scored against the registry all at
once, variants linked, close calls queued, and the persons created keyed for the next chunk."""

from __future__ import annotations

from datetime import date

import pytest

from timpora.intake import actions as intake
from timpora.intake import importer
from timpora.intake.models import AccommodationReport
from timpora.intake.tests.conftest import guest, write_rows
from timpora.matching.choices import PairSource, PairStatus
from timpora.matching.models import MatchCandidate, PersonMatchKey
from timpora.matching.tests.conftest import register
from timpora.registry.models import Person

pytestmark = pytest.mark.django_db


def _row(surname: str, given: str, born: str, nationality: str, passport: str, **extra) -> dict:
    return guest(
        surname=surname,
        given_names=given,
        date_of_birth=born,
        nationality=nationality,
        passport_number=passport,
        **extra,
    )


def _import(path, actor):
    batch = importer.start_import(kind="accommodation", path=path, actor=actor)
    importer.run_import(batch)
    return batch


def _person_of(passport: str) -> Person:
    return AccommodationReport.objects.get(passport_number=passport).person


@pytest.fixture
def registered(personas, thresholds):
    return {
        "ghamdi": register(
            personas.officer, "MUHAMMAD AL-GHAMDI", date(1980, 5, 1), "SAU", "K12345678"
        ),
        "nguyen": register(personas.officer, "NGUYEN VAN AN", date(1991, 3, 14), "VNM", "C1234567"),
    }


def test_it_links_variants_queues_close_calls_and_registers_the_rest(
    personas, hotels, registered, tmp_path
):
    persons = Person.objects.count()
    path = write_rows(
        tmp_path / "guests.csv",
        [
            # the registered passport: linked before any scoring
            _row("GHAMDI", "MOHD", "1980-05-01", "SAU", "K12345678"),
            # another spelling and an OCR-misread passport: linked by the batch step
            _row("ALGHAMDI", "MOHAMED", "1980-05-01", "SA", "K1234567B"),
            # name order and day/month swapped, passport unknown to the registry
            _row("", "", "1980-01-05", "SAU", "K12345670", full_name="AL GHAMDI MUHAMMAD"),
            # another given name (AN, ANH), another passport: a close call, queued for review
            _row("NGUYEN", "ANH", "1991-03-14", "VNM", "C7654321"),
            # a namesake born on another day: a new person, nothing to review
            _row("AL GHAMDI", "MUHAMMAD", "1983-07-09", "SAU", "K77777777"),
        ],
    )
    batch = _import(path, personas.officer)
    ghamdi, nguyen = registered["ghamdi"], registered["nguyen"]
    assert _person_of("K12345678") == ghamdi
    assert _person_of("K1234567B") == ghamdi
    assert _person_of("K12345670") == ghamdi
    close_call = _person_of("C7654321")
    namesake = _person_of("K77777777")
    assert close_call != nguyen
    assert namesake != ghamdi
    assert Person.objects.count() == persons + 2
    pair = MatchCandidate.objects.get()
    assert (pair.person_a, pair.person_b) == (nguyen, close_call)
    assert pair.status == PairStatus.PENDING
    assert pair.source == PairSource.IMPORT
    assert pair.source_ref.startswith(f"import:{batch.pk} row ")
    assert pair.kecamatan_code == "36.73.02"  # the hotel's (the new person's stay)
    assert 0.9 <= pair.probability < 0.999
    # The new persons were keyed set-based, so a later file finds them.
    assert PersonMatchKey.objects.filter(person=namesake, passport="K77777777").exists()


def test_it_finds_the_persons_an_earlier_chunk_created(personas, hotels, registered, tmp_path):
    first = write_rows(
        tmp_path / "a.csv", [_row("PARK", "JI HOON", "1988-11-02", "KOR", "M11112222")]
    )
    _import(first, personas.officer)
    second = write_rows(
        tmp_path / "b.csv",
        [
            _row(
                "",
                "",
                "1988-11-02",
                "KOR",
                "M1111ZZZZ",
                full_name="JIHOON PAK",
                check_in="2026-11-21 10:00",
            )
        ],
    )
    _import(second, personas.officer)
    assert _person_of("M1111ZZZZ") == _person_of("M11112222")


def test_a_report_filed_by_form_goes_through_the_same_step(personas, hotels, registered):
    report = intake.file_accommodation_report(
        hotels["HTL-BANTEN-01"],
        _row("AL-GHAMDI", "MOHAMMED", "1980-05-01", "SAU", "K1234S678"),
        actor=personas.hotel,
    )
    assert report.person == registered["ghamdi"]


def test_it_never_links_to_a_registry_without_candidates(personas, hotels, thresholds, tmp_path):
    path = write_rows(tmp_path / "g.csv", [_row("SMITH", "JACK", "1970-01-01", "AUS", "P1234567")])
    _import(path, personas.officer)
    person = _person_of("P1234567")
    assert PersonMatchKey.objects.filter(person=person).count() == 1
    assert not MatchCandidate.objects.exists()
