"""``timpora audit verify``: check the hash chain and name the first broken record."""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from timpora.audit.actions import verify_chain
from timpora.core.commands import SubcommandCommand


class Command(SubcommandCommand):
    help = "Audit trail tools."
    subcommands = {"verify": "Recompute the hash chain; exit 1 at the first broken record."}

    def handle_verify(self, **_: object) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"audit chain broken at record #{result.broken_id}: "
                f"{result.reason} ({result.checked} records before it are intact)"
            )
        self.stdout.write(json.dumps({"ok": True, "records": result.checked}))
