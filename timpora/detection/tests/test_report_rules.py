"""The rules over reports at their boundaries: WIB day edges of their windows, the latest
permit's sponsor and index, presence on the as-of day, and merge tombstones.

Timestamps are stored in UTC; the windows are WIB calendar days, so 00:30 WIB on a day is
17:30 UTC on the day before — the instants below sit on both sides of such edges.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from timpora.detection import actions
from timpora.detection.models import Alert
from timpora.intake import actions as intake
from timpora.intake.models import AccommodationReport, FieldFinding
from timpora.registry import actions as registry
from timpora.registry.actions import DocumentInput, PermitInput, PersonInput, StayInput
from timpora.registry.models import Person
from timpora.registry.status import JAKARTA

AS_OF = date(2026, 11, 23)
KECAMATAN = "36.73.02"
KELURAHAN = "36.73.02.1007"
_serial = {"n": 0}


def wib(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAKARTA)


def person(personas, *, valid_until: date | None = AS_OF + timedelta(days=100), **permit):
    _serial["n"] += 1
    passport = f"W{_serial['n']:08d}"
    return registry.register_person(
        PersonInput(surname="EDGE", given_names=passport, nationality="THA"),
        actor=personas.officer,
        document=DocumentInput(number=passport, issuing_state="THA", expiry_date=date(2031, 1, 1)),
        permit=PermitInput(
            category=permit.get("category", "limited"),
            index_code=permit.get("index", "E23"),
            valid_until=valid_until,
            sponsor_id=permit.get("sponsor_id"),
        )
        if valid_until
        else None,
        stay=StayInput(area_code=KELURAHAN, date_from=AS_OF - timedelta(days=150)),
    )


def hotel(name: str):
    _serial["n"] += 1
    premises = intake.register_premises(
        kind="hotel",
        name=name,
        licence_number=f"HTL-EDGE-{_serial['n']}",
        address=f"Jl. {name}",
        area_code=KELURAHAN,
        person_in_charge="Pengelola",
        username=f"edge{_serial['n']}",
        password="a long enough password 1",
    )
    intake.decide_premises(premises, approve=True, actor=None)
    return premises


def guest(premises, who: Person, check_in: datetime, check_out: datetime | None = None, *,
          late: bool = False, kecamatan: str = KECAMATAN) -> AccommodationReport:  # fmt: skip
    _serial["n"] += 1
    return AccommodationReport.objects.create(
        premises=premises,
        person=who,
        full_name=who.full_name,
        name_key=who.name_key,
        nationality=who.nationality,
        passport_number="X",
        province_code=kecamatan[:2],
        kabkota_code=kecamatan[:5],
        kecamatan_code=kecamatan,
        kelurahan_code=f"{kecamatan}.1001",
        check_in=check_in,
        check_out=check_out,
        reported_at=check_in + timedelta(hours=30 if late else 1),
        is_late=late,
        verification_code=f"EDGE{_serial['n']}",
        dedup_key=f"edge-{_serial['n']}",
    )


def finding(personas, who: Person, found_at: datetime) -> FieldFinding:
    return FieldFinding.objects.create(
        officer=personas.officer,
        found_at=found_at,
        full_name=who.full_name,
        name_key=who.name_key,
        nationality=who.nationality,
        passport_number="X",
        person=who,
        observation="checked during a patrol",
        kecamatan_code=KECAMATAN,
        kelurahan_code=KELURAHAN,
    )


def run(rule: str, as_of: date = AS_OF) -> actions.RuleRun:
    [result] = actions.run_detection(as_of, rules=[rule], notify=False)
    return result


def open_alerts(rule: str):
    return Alert.objects.filter(rule=rule, is_open=True)


@pytest.mark.parametrize(
    ("check_in", "counted"),
    [
        (wib(AS_OF, 23, 30), True),  # the as-of day's last hour (16:30 UTC)
        (wib(AS_OF + timedelta(days=1), 0, 30), False),  # the next WIB day (still AS_OF in UTC)
        (wib(AS_OF - timedelta(days=30), 0, 0), True),  # the window's first day
        (wib(AS_OF - timedelta(days=31), 23, 59), False),  # the day before it
    ],
)
def test_late_reports_count_by_the_wib_day_of_check_in(personas, check_in, counted):
    premises = hotel("Hotel Tepi")
    guest(premises, person(personas), check_in, late=True)
    guest(premises, person(personas), wib(AS_OF, 12), late=False)  # on time: never counted
    run("late_report")
    found = open_alerts("late_report").filter(premises=premises).first()
    assert (found is not None) is counted
    if counted:
        assert found.facts["late_reports"] == 1
        assert found.facts["last_late"] == str(check_in.date())


@pytest.mark.parametrize(
    ("last_check_out", "crowded"),
    [
        (None, True),
        (wib(AS_OF, 0, 30), True),  # left on the as-of day: still there that day
        (wib(AS_OF - timedelta(days=1), 23, 30), False),  # left the day before
    ],
)
def test_crowding_counts_who_is_there_on_the_as_of_day(personas, last_check_out, crowded):
    premises = hotel("Wisma Ramai")
    for _ in range(9):
        guest(premises, person(personas), wib(AS_OF - timedelta(days=1), 14))
    guest(premises, person(personas), wib(AS_OF - timedelta(days=1), 14), last_check_out)
    run("crowding")
    found = open_alerts("crowding").filter(premises=premises).first()
    assert (found is not None) is crowded
    if crowded:
        assert found.facts["present"] == 10


@pytest.mark.parametrize(
    ("found_at", "hit"),
    [
        (wib(AS_OF - timedelta(days=60), 0, 30), True),  # the window's first WIB day
        (wib(AS_OF - timedelta(days=61), 23, 30), False),  # the day before it
        (wib(AS_OF, 23, 30), True),
        (wib(AS_OF + timedelta(days=1), 0, 30), False),
    ],
)
def test_a_field_finding_no_premises_reported_at_the_window_edges(personas, found_at, hit):
    who = person(personas)
    finding(personas, who, found_at)
    run("missing_report")
    assert open_alerts("missing_report").filter(person=who).exists() is hit


@pytest.mark.parametrize(
    ("kecamatan", "hit"), [(KECAMATAN, False), ("36.73.06", True)]
)  # fmt: skip
def test_a_report_in_the_same_kecamatan_covers_the_finding(personas, kecamatan, hit):
    who = person(personas)
    guest(hotel("Hotel Lapor"), who, wib(AS_OF - timedelta(days=10), 13), kecamatan=kecamatan)
    finding(personas, who, wib(AS_OF - timedelta(days=5), 10))
    run("missing_report")
    assert open_alerts("missing_report").filter(person=who).exists() is hit


def test_a_merge_tombstone_raises_nothing(personas):
    survivor, tombstone = person(personas), person(personas)
    finding(personas, tombstone, wib(AS_OF - timedelta(days=5), 10))
    # As a merge leaves it, but with a report still pointing at it.
    Person.objects.filter(pk=tombstone.pk).update(merged_into=survivor)
    run("missing_report")
    assert not open_alerts("missing_report").exists()


def employer_report(company, who: Person, day: date) -> None:
    doc = who.documents.get()
    intake.file_employer_report(
        company,
        {
            "surname": "EDGE",
            "given_names": doc.number,
            "nationality": "THA",
            "passport_number": doc.number,
            "event": "confirm",
            "event_date": str(day),
            "position": "Welder",
        },
        actor=None,
    )


def test_working_for_a_company_other_than_the_latest_permits_sponsor(personas, hotels_and_company):
    company = hotels_and_company
    other = registry.create_sponsor(actor=None, kind="company", name="PT Lain", nib="9990000000001")
    elsewhere = person(personas, sponsor_id=other.pk)
    own = person(personas, sponsor_id=company.sponsor_id)
    for who in (elsewhere, own):
        employer_report(company, who, AS_OF - timedelta(days=3))
    run("wrong_sponsor")
    [alert] = open_alerts("wrong_sponsor")
    assert alert.person_id == elsewhere.pk
    assert alert.facts == {
        "employer": "PT Baja Demo",
        "sponsor": "PT Lain",
        "last_report": str(AS_OF - timedelta(days=3)),
    }
    # A newer permit sponsored by the company itself: the finding no longer holds.
    registry.add_permit(
        elsewhere,
        PermitInput(
            category="limited",
            index_code="E23",
            valid_until=AS_OF + timedelta(days=300),
            sponsor_id=company.sponsor_id,
        ),
        actor=personas.officer,
    )
    assert run("wrong_sponsor").closed == 1
    assert not open_alerts("wrong_sponsor").exists()


@pytest.mark.parametrize(
    ("latest", "hit"),
    [
        ({"category": "visit", "index": "B1"}, True),
        ({"category": "limited", "index": "E23"}, False),
    ],
)
def test_the_latest_permit_decides_whether_work_is_allowed(
    personas, hotels_and_company, latest, hit
):
    who = person(personas, valid_until=AS_OF + timedelta(days=10), category="limited")
    registry.add_permit(
        who,
        PermitInput(
            category=latest["category"],
            index_code=latest["index"],
            valid_until=AS_OF + timedelta(days=40),
        ),
        actor=personas.officer,
    )
    employer_report(hotels_and_company, who, AS_OF - timedelta(days=3))
    run("activity_mismatch")
    assert open_alerts("activity_mismatch").filter(person=who).exists() is hit


def test_no_permit_and_no_valid_document_at_once(personas):
    who = registry.register_person(
        PersonInput(surname="EDGE", given_names="NOTHING", nationality="THA"),
        actor=personas.officer,
        document=DocumentInput(
            number="WNOTHING1", issuing_state="THA", expiry_date=AS_OF - timedelta(days=1)
        ),
        stay=StayInput(area_code=KELURAHAN, date_from=AS_OF - timedelta(days=10)),
    )
    run("no_permit")
    assert open_alerts("no_permit").get(person=who).facts == {"missing": ["permit", "document"]}


@pytest.mark.parametrize(("places", "hit"), [(3, False), (4, True)])
def test_frequent_moves_from_four_kelurahan(personas, places, hit):
    who = person(personas)  # its first stay began before the window
    for i, code in enumerate(["36.73.02.1001", "36.73.06.1001", "36.73.01.1001", KELURAHAN]):
        if i < places:
            registry.add_stay(
                who,
                StayInput(area_code=code, date_from=AS_OF - timedelta(days=60 - 10 * i)),
                actor=personas.officer,
            )
    run("frequent_moves")
    assert open_alerts("frequent_moves").filter(person=who).exists() is hit
