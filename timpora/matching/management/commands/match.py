"""``timpora match``: entity resolution inside the application database.

- ``timpora match rebuild-keys``: recompute every person's match keys (after an upgrade, a
  restore, or a model change), set-based, 100,000 persons per transaction, and the fuzzy
  name search keys that changed.
- ``timpora match scan [--persons ID ...]``: look for likely duplicates of the given
  registered persons (or of every person) and queue them for review.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import CommandError

from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.core.commands import SubcommandCommand, is_tty


class Command(SubcommandCommand):
    help = "Entity resolution in the registry: match keys and the review queue."
    subcommands = {
        "rebuild-keys": "Recompute the match keys of every person (or of an id range).",
        "scan": "Queue the likely duplicates of registered persons for review.",
    }

    def add_rebuild_keys_arguments(self, parser) -> None:
        parser.add_argument("--from-id", type=int, default=None, help="first person id")
        parser.add_argument("--to-id", type=int, default=None, help="last person id")

    def handle_rebuild_keys(
        self, *, from_id: int | None = None, to_id: int | None = None, **_: object
    ) -> None:
        from timpora.matching.keys import rebuild_keys, rekey_all
        from timpora.matching.resolver import forget_population

        bar = None
        if is_tty():
            from tqdm import tqdm

            bar = tqdm(unit=" persons", file=sys.stderr, desc="match keys")

        def progress(done: int) -> None:
            if bar is not None:
                bar.update(done - bar.n)

        try:
            if from_id is None and to_id is None:
                result = rekey_all(progress=progress)
            else:
                result = rebuild_keys(from_id, to_id, progress=progress)
        finally:
            if bar is not None:
                bar.close()
        forget_population()
        record(
            AuditAction.UPDATE,
            object_type="matching.personmatchkey",
            object_repr="match keys rebuilt",
            fields={"from_id": from_id, "to_id": to_id, **result},
        )
        self.stdout.write(json.dumps(result))

    def add_scan_arguments(self, parser) -> None:
        parser.add_argument("--persons", type=int, nargs="*", default=None, help="person ids")

    def handle_scan(self, *, persons: list[int] | None = None, **_: object) -> None:
        from timpora.matching.actions import scan_person
        from timpora.registry.models import Person

        qs = Person.objects.filter(merged_into__isnull=True).order_by("pk")
        if persons:
            qs = qs.filter(pk__in=persons)
            if qs.count() != len(set(persons)):
                raise CommandError("unknown or merged person id(s)")
        queued = 0
        for person in qs.iterator(chunk_size=2000):
            queued += len(scan_person(person))
        self.stdout.write(json.dumps({"persons": qs.count(), "queued": queued}))
