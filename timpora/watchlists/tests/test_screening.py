"""Screening the registry against watch lists: variant spellings found, namesakes not,
decisions that stick, and persons screened at once as they arrive."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pyarrow as pa
import pytest
from django.core.management import call_command
from django.utils import timezone

from timpora.intake import actions as intake
from timpora.matching.engine.data import generate_records
from timpora.matching.engine.screen import screen_tables
from timpora.matching.engine.screen_index import WatchlistIndex, hits_of_table
from timpora.registry import actions as registry
from timpora.watchlists import actions, screening
from timpora.watchlists.choices import HitStatus
from timpora.watchlists.models import WatchListHit
from timpora.watchlists.tests.conftest import import_rows, make_list, make_person

AS_OF = date(2026, 11, 23)
# How other authorities write the people of the ``people`` fixture.
LISTED = [
    # Another transliteration, family name first, OCR-misread passport (S for 5).
    ["DJI-1", "AL GHAMDI, MOHAMMED", "1980-05-01", "SAU", "E1234S678", "", "", ""],
    # Wade-Giles for pinyin, day and month swapped.
    ["DJI-2", "CHANG HSIAO-MING", "1985-04-03", "TWN", "", "", "", ""],
    # Only the year and month of birth known.
    ["DJI-3", "NGUYEN THI LAN", "1990-07", "VNM", "", "", "", ""],
]


def hits(**filters) -> dict[tuple[str, str], WatchListHit]:
    found = WatchListHit.objects.filter(**filters).select_related("entry", "person")
    return {(h.entry.list_id, h.person.surname): h for h in found}


@pytest.fixture
def listed(db, tmp_path):
    watchlist = make_list()
    import_rows(watchlist, LISTED, tmp_path)
    return watchlist


def test_a_full_screen_finds_variant_spellings_and_not_the_namesake(people, listed):
    result = actions.screen_everyone(AS_OF)
    found = hits()
    assert set(found) == {
        ("DJI-1", "AL-GHAMDI"),
        ("DJI-2", "ZHANG"),
        ("DJI-3", "NGUYEN"),
    }
    assert found[("DJI-3", "NGUYEN")].person == people["nguyen"]  # not the namesake
    assert result["created"] == 3
    ghamdi = found[("DJI-1", "AL-GHAMDI")]
    assert ghamdi.score > 0.99
    assert "passport E12345678 = E1234S678 (OCR-equivalent)" in ghamdi.explanation
    chang = found[("DJI-2", "ZHANG")]
    assert "born 1985-03-04 = 1985-04-03 (day and month swapped)" in chang.explanation
    assert {e["field"] for e in chang.evidence} >= {"name", "dob", "nationality"}


def test_screening_again_updates_the_hits_instead_of_adding_them(people, listed):
    actions.screen_everyone(AS_OF)
    first = {h.pk: h.first_seen for h in WatchListHit.objects.all()}
    result = actions.screen_everyone(AS_OF)
    assert (result["created"], result["updated"]) == (0, 3)
    assert {h.pk: h.first_seen for h in WatchListHit.objects.all()} == first


def test_a_dismissed_pair_stays_dismissed_when_screened_again(personas, people, listed):
    actions.screen_everyone(AS_OF)
    hit = hits()[("DJI-2", "ZHANG")]
    actions.decide_hit(
        hit, status="dismissed", reason="other person, checked", actor=personas.analyst
    )
    actions.screen_everyone(AS_OF)
    registry.update_person(
        people["chang"],
        registry.PersonInput(
            surname="ZHANG",
            given_names="XIAO MING",
            sex="M",
            nationality="TWN",
            birth_date=date(1985, 3, 4),
        ),
        actor=personas.officer,
    )
    actions.screen_persons([people["chang"].pk], AS_OF)
    hit.refresh_from_db()
    assert hit.status == HitStatus.DISMISSED
    assert hit.decided_by == personas.analyst
    assert WatchListHit.objects.filter(person=people["chang"]).count() == 1


def test_a_hit_that_no_longer_matches_is_cleared_and_opens_again(personas, people, listed):
    actions.screen_everyone(AS_OF)
    person = people["ghamdi"]
    original = registry.PersonInput(
        surname="AL-GHAMDI",
        given_names="MUHAMMAD",
        sex="M",
        nationality="SAU",
        birth_date=date(1980, 5, 1),
    )
    corrected = registry.PersonInput(
        surname="OTHMAN",
        given_names="KHALID",
        sex="M",
        nationality="EGY",
        birth_date=date(1962, 9, 30),
    )
    registry.update_person(person, corrected, actor=personas.officer)
    person.documents.all().delete()
    actions.screen_persons([person.pk], AS_OF)
    hit = WatchListHit.objects.get(person=person)
    assert hit.status == HitStatus.CLEARED
    registry.update_person(person, original, actor=personas.officer)
    actions.screen_persons([person.pk], AS_OF)
    hit.refresh_from_db()
    assert hit.status == HitStatus.OPEN


def test_expired_entries_and_inactive_lists_are_not_screened(people, db, tmp_path):
    expired = make_list("Old list")
    import_rows(expired, [[*LISTED[0][:6], (AS_OF - timedelta(days=1)).isoformat(), ""]], tmp_path)
    inactive = make_list("Inactive list", active=False)
    import_rows(inactive, [LISTED[1]], tmp_path)
    future = make_list("Future list", valid_from=AS_OF + timedelta(days=1))
    import_rows(future, [LISTED[2]], tmp_path)
    result = actions.screen_everyone(AS_OF)
    assert result["entries"] == 0
    assert not WatchListHit.objects.exists()


def test_the_cli_screens_everyone_and_prints_one_json_line(people, listed, capsys):
    call_command("watchlist", "screen", "--as-of", AS_OF.isoformat())
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and '"created": 3' in out[0]


# ---------------------------------------------------------------------------- at once


def test_a_new_report_is_screened_at_once(personas, listed, django_capture_on_commit_callbacks):
    premises = intake.register_premises(
        kind="hotel",
        name="Hotel Layar",
        licence_number="HTL-WL-1",
        address="Jl. Layar",
        area_code="36.73.02.1007",
        person_in_charge="Ibu Layar",
        username="hotellayar",
        password="a long enough password 1",
    )
    intake.decide_premises(premises, approve=True, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        report = intake.file_accommodation_report(
            premises,
            {
                "surname": "ALGHAMDI",
                "given_names": "MOHAMED",
                "date_of_birth": "1980-05-01",
                "nationality": "SAU",
                "passport_number": "E12345678",
                "check_in": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
            },
            actor=None,
        )
    hit = WatchListHit.objects.get(person_id=report.person_id)
    assert hit.entry.list_id == "DJI-1"
    # The alert follows at once.
    from timpora.detection.models import Alert

    alert = Alert.objects.get(rule="watchlist_hit", person_id=report.person_id, is_open=True)
    assert alert.severity == "high"


def test_a_person_registered_in_the_registry_is_screened_at_once(
    personas, listed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = make_person(
            personas,
            "NGUYEN",
            "THI LAN",
            born=date(1990, 7, 21),
            nationality="VNM",
            passport="C1234567",
        )
    assert list(
        WatchListHit.objects.filter(person=person).values_list("entry__list_id", flat=True)
    ) == ["DJI-3"]


def test_the_index_is_rebuilt_when_a_list_changes(people, listed, tmp_path):
    first = screening.index_for(AS_OF)
    assert screening.index_for(AS_OF) is first
    import_rows(listed, [["DJI-4", "KIM MIN JUN", "1979-11-02", "KOR", "", "", "", ""]], tmp_path)
    second = screening.index_for(AS_OF)
    assert second is not first
    assert second.size == 4


# ---------------------------------------------------------------------------- the engine


def _watchlist(n: int) -> tuple[list[dict], pa.Table]:
    records = list(generate_records(n + 200, seed=7))
    table = pa.Table.from_pylist(
        [
            {
                "list_id": r["record_id"],
                "full_name": r["full_name"],
                "date_of_birth": r["date_of_birth"],
                "nationality": r["nationality"],
                "passport_number": r["passport_number"],
                "list_type": "penangkalan",
                "valid_until": "",
            }
            for r in records[:n]
        ]
    )
    return records, table


def _persons(records: list[dict]) -> pa.Table:
    columns = ("source", "full_name", "sex", "date_of_birth", "nationality", "passport_number")
    return pa.Table.from_pylist(
        [{"record_id": f"P{r['record_id']}", **{c: r[c] for c in columns}} for r in records]
    )


def test_the_index_finds_what_a_full_screen_finds():
    records, table = _watchlist(2_000)
    persons = _persons(records[1_900:2_100])
    index = WatchlistIndex(table, today=AS_OF)
    quick = {(h.record_id, h.list_id, round(h.probability, 6)) for h in index.screen(persons)}
    import duckdb

    con = duckdb.connect()
    con.register("p", persons)
    con.register("w", table)
    screen_tables(con, "p", "w", today=AS_OF)
    full = {
        (h.record_id, h.list_id, round(h.probability, 6)) for h in hits_of_table(con, "tp_hits")
    }
    assert quick == full
    assert len(full) > 50


def test_one_person_against_ten_thousand_entries_takes_well_under_a_second():
    records, table = _watchlist(10_000)
    index = WatchlistIndex(table, today=AS_OF)
    persons = _persons(records[5_000:5_001])
    index.screen(persons)  # warm
    started = time.perf_counter()
    found = index.screen(_persons(records[6_000:6_001]))
    elapsed = time.perf_counter() - started
    assert found, "the listed person is found"
    assert elapsed < 0.5, elapsed
