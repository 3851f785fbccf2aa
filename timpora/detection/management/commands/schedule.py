"""``timpora schedule``: queue the recurring jobs (the daily watch-list screening at 00:30
WIB and the daily detection at 01:00 WIB).

Safe to run at every deployment or start: a job that is already waiting is kept, never
queued twice. The job queues its own next run, so this is needed once per database (and
again only if someone deletes the waiting job).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from timpora.audit.context import origin
from timpora.detection.tasks import schedule_daily
from timpora.registry.status import JAKARTA


class Command(BaseCommand):
    help = "Queue the daily watch-list screening and detection runs (idempotent)."

    def handle(self, *args, **options) -> None:
        from timpora.watchlists.tasks import schedule_daily as schedule_screening

        with origin(channel="cli", command="schedule"):
            screening = schedule_screening()
            queued = schedule_daily()
        if screening is not None:
            when = timezone.localtime(screening.task.run_after, JAKARTA)
            self.stdout.write(
                f"daily watch-list screening: scheduled for {when:%Y-%m-%d %H:%M} WIB"
            )
        if queued is None:
            self.stdout.write("daily detection: already scheduled, or the backend cannot defer")
            return
        when = timezone.localtime(queued.task.run_after, JAKARTA)
        self.stdout.write(f"daily detection: scheduled for {when:%Y-%m-%d %H:%M} WIB")
