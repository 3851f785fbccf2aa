"""Daily jobs on the django-tasks database queue: each app's nightly run (detection at
01:00 WIB, watch-list screening at 00:30 WIB, …) queues itself once for the next night.

The worker runs what is due; a job that finishes queues the next one, and
``timpora schedule`` (run by ``make demo`` and at deployment) makes sure one is waiting.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.base import Task

from timpora.registry.status import JAKARTA

log = logging.getLogger(__name__)


def next_daily_run(at: time, now: datetime | None = None) -> datetime:
    """The next ``at`` o'clock in Asia/Jakarta strictly after ``now``."""
    local = (now or timezone.now()).astimezone(JAKARTA)
    candidate = datetime.combine(local.date(), at, tzinfo=JAKARTA)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=JAKARTA)
    return candidate


def pending_exists(task_: Task) -> bool:
    """Whether a run of ``task_`` is already waiting in the database queue (other
    backends keep no queue we could look at)."""
    backend = task_.get_backend()
    if backend.__class__.__name__ != "DatabaseBackend":
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=task_.module_path,
        backend_name=backend.alias,
        status=TaskResultStatus.READY,
    ).exists()


def schedule_daily(
    task_: Task, at: time, *, lock_key: int, now: datetime | None = None
) -> TaskResult | None:
    """Queue ``task_`` for the next ``at`` WIB, unless one is already waiting.

    Returns the queued job, or None when one was waiting (or the task backend cannot run
    jobs later, like the immediate backend of tests and single-process demos: a job that
    queued itself would then run at once, for ever).
    """
    if not task_.get_backend().supports_defer:
        log.info("task backend cannot defer jobs: %s not scheduled", task_.module_path)
        return None
    with transaction.atomic():
        # Two deployments starting at once must not both see "nothing waiting" (SQLite
        # write transactions are already serialised: IMMEDIATE, see settings).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key])
        if pending_exists(task_):
            return None
        return task_.using(run_after=next_daily_run(at, now)).enqueue()
