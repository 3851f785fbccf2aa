"""``timpora detect --as-of YYYY-MM-DD``: evaluate every rule over the whole registry."""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from timpora.audit.context import origin
from timpora.detection.actions import run_detection
from timpora.registry.status import today_in_jakarta


class Command(BaseCommand):
    help = "Run the violation rules and update the alerts (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="Evaluation date (default: today in Asia/Jakarta).",
        )
        parser.add_argument("--rules", default="", help="Comma-separated rule codes.")
        parser.add_argument("--no-notify", action="store_true")

    def handle(self, *args, as_of: date | None, rules: str, no_notify: bool, **options):
        as_of = as_of or today_in_jakarta()
        codes = [c.strip() for c in rules.split(",") if c.strip()] or None
        try:
            with origin(channel="cli", command="detect"):
                runs = run_detection(as_of, rules=codes, notify=not no_notify)
        except KeyError as exc:
            raise CommandError(str(exc)) from exc
        width = max([len(r.rule) for r in runs] + [4])
        self.stderr.write(
            f"{'rule':<{width}} {'hits':>8} {'raised':>8} {'updated':>8} "
            f"{'closed':>8} {'seconds':>8}"
        )
        for r in runs:
            self.stderr.write(
                f"{r.rule:<{width}} {r.hits:>8} {r.raised:>8} {r.updated:>8} "
                f"{r.closed:>8} {r.seconds:>8.2f}"
            )
        self.stdout.write(
            json.dumps(
                {
                    "as_of": as_of.isoformat(),
                    "rules": {
                        r.rule: {
                            "hits": r.hits,
                            "raised": r.raised,
                            "updated": r.updated,
                            "closed": r.closed,
                        }
                        for r in runs
                    },
                }
            )
        )
