"""Scheduling (the daily run at 01:00 WIB, queued once) and incremental detection when
reports arrive (``timpora.intake.signals.reports_stored``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from timpora.audit.models import AuditRecord
from timpora.detection import tasks
from timpora.detection.models import Alert
from timpora.intake.signals import reports_stored
from timpora.registry import actions as registry
from timpora.registry.status import JAKARTA, today_in_jakarta

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DAILY = "timpora.detection.tasks.run_daily_detection"


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def queued(settings):
    settings.TASKS = DATABASE


def overstayer(personas, passport: str, days: int = 70, area: str = "36.73.02.1007"):
    today = today_in_jakarta()
    return registry.register_person(
        registry.PersonInput(surname="TASK", given_names=passport, nationality="KOR"),
        actor=personas.officer,
        document=registry.DocumentInput(number=passport, issuing_state="KOR"),
        permit=registry.PermitInput(
            category="visit", index_code="C1", valid_until=today - timedelta(days=days)
        ),
        stay=registry.StayInput(area_code=area, date_from=today - timedelta(days=200)),
    )


# ---------------------------------------------------------------------------- the clock


@pytest.mark.parametrize(
    ("now_utc", "expected_wib"),
    [
        # 00:30 WIB: today at 01:00.
        (datetime(2026, 11, 22, 17, 30, tzinfo=UTC), datetime(2026, 11, 23, 1, 0)),
        # 01:00 WIB exactly: that run is now, the next is tomorrow.
        (datetime(2026, 11, 22, 18, 0, tzinfo=UTC), datetime(2026, 11, 24, 1, 0)),
        # 23:00 UTC is already 06:00 WIB the next day: the run after that.
        (datetime(2026, 11, 23, 23, 0, tzinfo=UTC), datetime(2026, 11, 25, 1, 0)),
        # Across the year's end.
        (datetime(2026, 12, 31, 12, 0, tzinfo=UTC), datetime(2027, 1, 1, 1, 0)),
    ],
)
def test_the_next_daily_run_is_at_one_in_the_morning_in_jakarta(now_utc, expected_wib):
    assert tasks.next_daily_run(now_utc) == expected_wib.replace(tzinfo=JAKARTA)


# ---------------------------------------------------------------------------- scheduling


def test_scheduling_queues_one_daily_run_and_never_a_second(queued, db):
    now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 WIB
    first = tasks.schedule_daily(now)
    assert first is not None
    assert tasks.schedule_daily(now) is None
    job = DBTaskResult.objects.get(task_path=DAILY)
    assert job.status == "READY"
    assert job.run_after == datetime(2026, 11, 24, 1, 0, tzinfo=JAKARTA)


def test_the_schedule_command_is_idempotent(queued, db, capsys):
    call_command("schedule")
    assert "scheduled for" in capsys.readouterr().out
    call_command("schedule")
    assert "already scheduled" in capsys.readouterr().out
    assert DBTaskResult.objects.filter(task_path=DAILY, status="READY").count() == 1


def test_a_finished_daily_run_does_not_count_as_scheduled(queued, db):
    tasks.schedule_daily()
    DBTaskResult.objects.filter(task_path=DAILY).update(status="SUCCESSFUL")
    assert tasks.schedule_daily() is not None
    assert DBTaskResult.objects.filter(task_path=DAILY, status="READY").count() == 1


def test_the_daily_run_detects_for_today_and_queues_tomorrow(queued, personas):
    person = overstayer(personas, "DAILY0001")
    result = tasks.run_daily_detection.call()
    assert result["as_of"] == today_in_jakarta().isoformat()
    assert Alert.objects.filter(person=person, rule="overstay", is_open=True).exists()
    job = DBTaskResult.objects.get(task_path=DAILY, status="READY")
    assert job.run_after == tasks.next_daily_run(job.enqueued_at)
    assert datetime.fromisoformat(result["next_run_after"]) == job.run_after
    entry = AuditRecord.objects.filter(object_repr__startswith="detection as of").latest("id")
    assert entry.origin["channel"] == "task"


def test_an_immediate_backend_runs_the_daily_job_without_looping(immediate, personas):
    person = overstayer(personas, "DAILY0002")
    result = tasks.run_daily_detection.enqueue()
    assert result.status == "SUCCESSFUL", result.errors
    assert result.return_value["next_run_after"] is None
    assert Alert.objects.filter(person=person, rule="overstay").count() == 1


def test_run_detection_now_is_audited_as_the_user(immediate, personas):
    overstayer(personas, "NOW000001")
    result = tasks.run_detection_now.enqueue(personas.analyst.pk)
    assert result.status == "SUCCESSFUL", result.errors
    entry = AuditRecord.objects.filter(object_repr__startswith="detection as of").latest("id")
    assert entry.actor_username == "analyst"
    assert entry.fields["incremental"] is False


# ---------------------------------------------------------------------------- new reports


def test_stored_reports_re_evaluate_their_persons_after_commit(
    immediate, personas, django_capture_on_commit_callbacks
):
    reported = overstayer(personas, "INCR00001")
    untouched = overstayer(personas, "INCR00002")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reports_stored.send(sender=None, person_ids=[reported.pk, None, reported.pk])
    # Nothing runs before the reports' transaction commits.
    assert not Alert.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert Alert.objects.filter(person=reported, rule="overstay", is_open=True).exists()
    assert not Alert.objects.filter(person=untouched).exists()
    entry = AuditRecord.objects.filter(object_repr__startswith="detection as of").latest("id")
    assert entry.fields["incremental"] is True


def test_a_big_import_becomes_several_small_jobs(queued, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reports_stored.send(sender=None, person_ids=range(1, tasks.INCREMENTAL_BATCH * 2 + 2))
    jobs = DBTaskResult.objects.filter(task_path="timpora.detection.tasks.detect_for_persons")
    sizes = sorted(len(job.args_kwargs["args"][0]) for job in jobs)
    assert sizes == [1, tasks.INCREMENTAL_BATCH, tasks.INCREMENTAL_BATCH]


def test_no_persons_no_job(queued, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reports_stored.send(sender=None, person_ids=[None])
    assert callbacks == []
    assert not DBTaskResult.objects.exists()


def test_incremental_detection_closes_what_no_longer_holds(immediate, personas):
    person = overstayer(personas, "INCR00003")
    tasks.detect_for_persons.enqueue([person.pk])
    registry.extend_permit(
        person.permits.get(), today_in_jakarta() + timedelta(days=60), actor=personas.officer
    )
    result = tasks.detect_for_persons.enqueue([person.pk])
    assert result.status == "SUCCESSFUL", result.errors
    assert result.return_value["rules"]["overstay"]["closed"] == 1
    assert not Alert.objects.filter(person=person, is_open=True).exists()
