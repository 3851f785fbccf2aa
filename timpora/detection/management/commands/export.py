"""``timpora export alerts --output alerts.csv``: the alerts with their explanations."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import CommandError

from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.core.commands import SubcommandCommand
from timpora.detection.explain import explanation
from timpora.detection.models import Alert
from timpora.lib.exports import safe_cell

ALERT_COLUMNS = ["alert_id", "rule", "person_id", "severity", "status", "as_of", "explanation"]


class Command(SubcommandCommand):
    help = "Exports for other systems and for archiving."
    subcommands = {"alerts": "Write the alerts to a CSV file."}

    def add_alerts_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--open-only", action="store_true")
        parser.add_argument("--language", default="id", choices=["id", "en"])

    def handle_alerts(self, *, output: Path, open_only: bool, language: str, **_: object):
        alerts = Alert.objects.order_by("id")
        if open_only:
            alerts = alerts.filter(is_open=True)
        try:
            fh = output.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise CommandError(f"{output}: {exc.strerror}") from exc
        count = 0
        with fh:
            writer = csv.writer(fh)
            writer.writerow(ALERT_COLUMNS)
            for alert in alerts.iterator(chunk_size=5000):
                writer.writerow(
                    [
                        alert.pk,
                        alert.rule,
                        alert.person_id or "",
                        alert.severity,
                        alert.status,
                        alert.as_of.isoformat(),
                        safe_cell(explanation(alert.rule, alert.facts, alert.as_of, language)),
                    ]
                )
                count += 1
        record(
            AuditAction.EXPORT,
            object_type="detection.alert",
            object_repr=str(output),
            fields={"rows": count, "open_only": open_only},
        )
        self.stdout.write(f"{count} alerts written to {output}")
