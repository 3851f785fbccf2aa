"""Background jobs of watch-list screening, run by the task worker (``timpora db_worker``).

- ``run_daily_screening`` screens the whole registry against every entry in force at
  00:30 WIB, half an hour before the daily detection run, and queues itself for the next
  day (one job always waits; ``timpora watchlist schedule`` or ``timpora schedule`` starts
  the chain and never queues a second one);
- ``screen_entries`` screens the registry against entries just imported or changed;
- ``screen_persons_job`` screens the persons of a large import chunk (small numbers are
  screened at once, see ``receivers``).
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
from timpora.watchlists import actions

log = logging.getLogger(__name__)

# 00:30 WIB: hits are fresh when the daily detection runs at 01:00.
DAILY_AT = time(0, 30)
PERSONS_PER_JOB = 5_000
# Arbitrary constant identifying the scheduling lock in PostgreSQL.
_PG_SCHEDULE_LOCK = 7_246_173


@task()
def run_daily_screening() -> dict[str, Any]:
    """Screen everyone against every entry in force, then queue tomorrow's run."""
    with origin(channel="task", task="run_daily_screening"):
        result = actions.screen_everyone()
    following = schedule_daily()
    result["next_run_after"] = following.task.run_after.isoformat() if following else None
    return result


@task()
def screen_registry_now(actor_id: int | None = None) -> dict[str, Any]:
    """One full screening asked for by a user (audited as theirs)."""
    from timpora.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    with origin(channel="task", task="screen_registry_now"):
        return actions.screen_everyone(actor=actor)


@task()
def screen_entries(entry_ids: list[int]) -> dict[str, Any]:
    """The whole registry against entries just imported or changed."""
    with origin(channel="task", task="screen_entries"):
        return actions.screen_everyone(entry_ids=[int(i) for i in entry_ids])


@task()
def screen_persons_job(person_ids: list[int]) -> dict[str, Any]:
    """These persons against every entry in force."""
    with origin(channel="task", task="screen_persons_job"):
        return actions.screen_persons([int(i) for i in person_ids])


def enqueue_entry_screening(entry_ids: Iterable[int]) -> None:
    """Queue ``screen_entries`` once the current transaction commits."""
    ids = sorted({int(i) for i in entry_ids})
    if ids:
        transaction.on_commit(lambda: screen_entries.enqueue(ids))


def enqueue_person_screening(person_ids: Iterable[int]) -> None:
    """Queue ``screen_persons_job`` for many persons, in jobs of a bounded size."""
    ids = sorted({int(i) for i in person_ids})
    for start in range(0, len(ids), PERSONS_PER_JOB):
        screen_persons_job.enqueue(ids[start : start + PERSONS_PER_JOB])


# ---------------------------------------------------------------------------- scheduling


def next_daily_run(now: datetime | None = None) -> datetime:
    """The next daily screening (``DAILY_AT`` in Asia/Jakarta) strictly after ``now``."""
    return scheduling.next_daily_run(DAILY_AT, now)


def schedule_daily(now: datetime | None = None) -> TaskResult | None:
    """Queue the daily screening for the next ``DAILY_AT`` WIB unless one is waiting already
    (see :func:`timpora.core.scheduling.schedule_daily`)."""
    return scheduling.schedule_daily(
        run_daily_screening, DAILY_AT, lock_key=_PG_SCHEDULE_LOCK, now=now
    )
