"""Background jobs of early detection, run by the task worker (``timpora db_worker``).

- ``run_daily_detection`` evaluates every rule over the whole registry for today (WIB) and
  queues itself again for 01:00 WIB the next day: one job always waits in the queue, so the
  schedule survives restarts without cron. ``timpora schedule`` (or ``schedule_daily``)
  starts the chain and is safe to run at every deployment: it never queues a second one.
- ``detect_for_persons`` re-evaluates the person rules for the persons that new reports are
  about (``timpora.intake.signals.reports_stored``), so an alert follows within minutes of
  a report instead of waiting for the night.
- ``run_detection_now`` is the administrators' "run detection now" button.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

from django.db import transaction
from django_tasks import TaskResult, task

from timpora.audit.context import origin
from timpora.core import scheduling
from timpora.detection import actions
from timpora.registry.status import today_in_jakarta

log = logging.getLogger(__name__)

# 01:00 WIB: after the day's reports are in, long before the office opens.
DAILY_AT = time(1, 0)
# Persons per incremental job: a large import chunk becomes several small jobs.
INCREMENTAL_BATCH = 5_000
# Arbitrary constant identifying the scheduling lock in PostgreSQL.
_PG_SCHEDULE_LOCK = 7_246_172


def _summary(as_of, runs: list[actions.RuleRun]) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "rules": {r.rule: {"hits": r.hits, "raised": r.raised, "closed": r.closed} for r in runs},
    }


@task()
def run_daily_detection() -> dict[str, Any]:
    """Evaluate all rules for today in Asia/Jakarta, then queue tomorrow's run."""
    as_of = today_in_jakarta()
    with origin(channel="task", task="run_daily_detection"):
        runs = actions.run_detection(as_of)
    result = _summary(as_of, runs)
    following = schedule_daily()
    result["next_run_after"] = following.task.run_after.isoformat() if following else None
    return result


@task()
def run_detection_now(actor_id: int | None = None) -> dict[str, Any]:
    """One full evaluation for today, asked for by a user (audited as theirs)."""
    from timpora.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    as_of = today_in_jakarta()
    with origin(channel="task", task="run_detection_now"):
        runs = actions.run_detection(as_of, actor=actor)
    return _summary(as_of, runs)


@task()
def detect_for_persons(person_ids: list[int]) -> dict[str, Any]:
    """Re-evaluate the person rules for these persons only (incremental)."""
    as_of = today_in_jakarta()
    with origin(channel="task", task="detect_for_persons"):
        runs = actions.run_detection(as_of, person_ids=[int(i) for i in person_ids])
    result = _summary(as_of, runs)
    result["persons"] = len(person_ids)
    return result


# ---------------------------------------------------------------------------- scheduling


def next_daily_run(now: datetime | None = None) -> datetime:
    """The next daily run (``DAILY_AT`` in Asia/Jakarta) strictly after ``now``."""
    return scheduling.next_daily_run(DAILY_AT, now)


def schedule_daily(now: datetime | None = None) -> TaskResult | None:
    """Queue the daily run for the next ``DAILY_AT`` WIB unless one is waiting already
    (see :func:`timpora.core.scheduling.schedule_daily`)."""
    return scheduling.schedule_daily(
        run_daily_detection, DAILY_AT, lock_key=_PG_SCHEDULE_LOCK, now=now
    )


# ---------------------------------------------------------------------------- new reports


def enqueue_for_persons(person_ids: Iterable[int | None]) -> int:
    """Queue incremental detection for these persons once the current transaction commits;
    returns how many persons."""
    ids = sorted({int(i) for i in person_ids if i})
    if not ids:
        return 0

    def enqueue() -> None:
        for start in range(0, len(ids), INCREMENTAL_BATCH):
            detect_for_persons.enqueue(ids[start : start + INCREMENTAL_BATCH])

    transaction.on_commit(enqueue)
    return len(ids)


def on_reports_stored(sender, person_ids: Iterable[int | None] = (), **kwargs) -> None:
    """Receiver of ``timpora.intake.signals.reports_stored`` (connected in ``apps.py``)."""
    enqueue_for_persons(person_ids)
