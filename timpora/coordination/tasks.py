"""Background jobs of the coordination app (run by the task worker, ``timpora db_worker``).

``remind_overdue`` is meant to be enqueued daily (cron or a scheduler); running it more
often is harmless, since reminders are idempotent per follow-up and day.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from timpora.coordination.actions import send_overdue_reminders


@task()
def remind_overdue() -> dict[str, Any]:
    """Remind the owners of overdue follow-ups; returns the run's counts."""
    run = send_overdue_reminders()
    return {
        "day": run.day.isoformat(),
        "overdue": run.overdue,
        "reminded": run.reminded,
        "notifications": run.notifications,
        "emails": run.emails,
    }
