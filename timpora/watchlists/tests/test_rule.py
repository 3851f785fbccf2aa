"""The ``watchlist_hit`` detection rule: severity, explanation, the validity boundaries and
alerts that close themselves when a hit is dismissed or its entry lapses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation

from timpora.detection import actions as detection
from timpora.detection.explain import explanation
from timpora.detection.models import Alert
from timpora.watchlists import actions
from timpora.watchlists.models import WatchListHit
from timpora.watchlists.tests.conftest import import_rows, make_list

AS_OF = date(2026, 11, 23)
ROW = ["DJI-1", "AL GHAMDI, MOHAMMED", "1980-05-01", "SAU", "E1234S678", "", "", ""]


def run(as_of: date = AS_OF):
    return detection.run_detection(as_of, rules=["watchlist_hit"], notify=False)


def alert_of(person, **filters):
    return Alert.objects.filter(rule="watchlist_hit", person=person, **filters).first()


@pytest.fixture
def ghamdi(people):
    return people["ghamdi"]


def screened(tmp_path, row=ROW, **list_values):
    watchlist = make_list(**list_values)
    import_rows(watchlist, [row], tmp_path)
    actions.screen_everyone(AS_OF, detect=False)
    return watchlist


def test_a_hit_on_an_entry_ban_raises_a_high_alert_that_explains_the_match(ghamdi, tmp_path):
    screened(tmp_path, reference="IMI-1234")
    run()
    alert = alert_of(ghamdi, is_open=True)
    assert alert.severity == "high"
    text = explanation(alert.rule, alert.facts, alert.as_of, "en")
    assert 'of the entry-ban (penangkalan) list "Daftar Penangkalan"' in text
    assert "issued by Direktorat Jenderal Imigrasi" in text
    assert "Matches entry AL GHAMDI, MOHAMMED (DJI-1)" in text
    assert "score 1.0" in text
    assert "passport E12345678 = E1234S678 (OCR-equivalent)" in text
    assert text.endswith("(UU 6/2011 Pasal 75 ayat (2) huruf a)")


def test_a_wanted_notice_is_critical(ghamdi, tmp_path):
    screened(tmp_path, row=[*ROW[:5], "wanted", "", ""], list_type="local")
    run()
    assert alert_of(ghamdi, is_open=True).severity == "critical"


def test_the_explanation_renders_in_indonesian_too(ghamdi, tmp_path):
    screened(tmp_path)
    run()
    alert = alert_of(ghamdi, is_open=True)
    with translation.override("id"):
        text = explanation(alert.rule, alert.facts, alert.as_of, "id")
    assert "E1234S678" in text and "UU 6/2011" in text


def test_rerunning_detection_keeps_one_alert(ghamdi, tmp_path):
    screened(tmp_path)
    run()
    run()
    assert Alert.objects.filter(rule="watchlist_hit", person=ghamdi).count() == 1


@pytest.mark.parametrize(
    ("valid_until", "expected"),
    [
        (AS_OF, True),  # the last valid day itself: still in force
        (AS_OF - timedelta(days=1), False),  # lapsed yesterday
    ],
)
def test_an_entry_counts_through_its_valid_until_day(ghamdi, tmp_path, valid_until, expected):
    screened(tmp_path, row=[*ROW[:6], valid_until.isoformat(), ""])
    # Screened while in force (the day before), evaluated on the as-of day.
    actions.screen_everyone(valid_until, detect=False)
    run()
    assert (alert_of(ghamdi, is_open=True) is not None) is expected


def test_the_list_period_bounds_its_entries(ghamdi, tmp_path):
    screened(tmp_path, valid_until=AS_OF)
    run(AS_OF)
    assert alert_of(ghamdi, is_open=True) is not None
    run(AS_OF + timedelta(days=1))
    closed = alert_of(ghamdi, is_open=False)
    assert closed is not None and closed.status == "resolved"
    assert "no longer hold" in closed.close_note


def test_an_alert_closes_itself_when_its_entry_expires(ghamdi, tmp_path):
    screened(tmp_path, row=[*ROW[:6], AS_OF.isoformat(), ""])
    run(AS_OF)
    assert alert_of(ghamdi, is_open=True) is not None
    run(AS_OF + timedelta(days=1))
    assert alert_of(ghamdi, is_open=True) is None
    assert alert_of(ghamdi, status="resolved") is not None


def test_dismissing_the_hit_closes_the_alert_at_once_and_for_good(personas, ghamdi, tmp_path):
    screened(tmp_path)
    run()
    hit = WatchListHit.objects.get(person=ghamdi)
    actions.decide_hit(hit, status="dismissed", reason="born elsewhere", actor=personas.analyst)
    assert alert_of(ghamdi, is_open=True) is None
    assert alert_of(ghamdi, status="resolved") is not None
    actions.screen_everyone(AS_OF)  # screening again and detecting again raise nothing
    run()
    assert alert_of(ghamdi, is_open=True) is None


def test_a_confirmed_hit_keeps_its_alert_open(personas, ghamdi, tmp_path):
    screened(tmp_path)
    run()
    hit = WatchListHit.objects.get(person=ghamdi)
    actions.decide_hit(hit, status="confirmed", reason="same passport", actor=personas.officer)
    alert = alert_of(ghamdi, is_open=True)
    assert alert is not None and alert.facts["hit_status"] == "confirmed"


def test_a_hit_below_the_minimum_score_raises_nothing(personas, ghamdi, tmp_path):
    screened(tmp_path)
    WatchListHit.objects.update(score=0.4)
    run()
    assert alert_of(ghamdi) is None


def test_an_incremental_run_reaches_the_rule(ghamdi, tmp_path):
    screened(tmp_path)
    detection.run_detection(AS_OF, person_ids=[ghamdi.pk], notify=False)
    assert alert_of(ghamdi, is_open=True) is not None
