"""``timpora coordination remind [--date YYYY-MM-DD]``: remind the owners of overdue
follow-ups (in-app notification and e-mail), once per follow-up per day."""

from __future__ import annotations

import json
from datetime import date

from timpora.coordination.actions import send_overdue_reminders
from timpora.core.commands import SubcommandCommand


class Command(SubcommandCommand):
    help = "TIMPORA coordination: meetings, problems and their follow-up."
    subcommands = {
        "remind": "Notify the owners of overdue follow-ups (idempotent per day).",
    }

    def add_remind_arguments(self, parser) -> None:
        parser.add_argument(
            "--date",
            dest="day",
            type=date.fromisoformat,
            default=None,
            help="The day to remind for (default: today in Asia/Jakarta).",
        )

    def handle_remind(self, *, day: date | None = None, **_: object) -> None:
        run = send_overdue_reminders(today=day)
        self.stdout.write(
            json.dumps(
                {
                    "day": run.day.isoformat(),
                    "overdue": run.overdue,
                    "reminded": run.reminded,
                    "notifications": run.notifications,
                    "emails": run.emails,
                }
            )
        )
