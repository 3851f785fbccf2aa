"""``timpora watchlist import FILE --list NAME ...``, ``timpora watchlist screen`` and
``timpora watchlist schedule``.

``import`` creates the list when it does not exist (``--type`` and ``--source`` are then
required) or updates its description from the options given, imports the file and prints
one JSON line: ``{"import_id": N, "watchlist": ..., "rows": N, "added": N, "updated": N,
"unchanged": N, "rejected": N, "ignored_columns": [...], "errors": "PATH"}`` (``errors``
only when rows were rejected: a CSV of row, field and reason). Importing the same file
twice adds nothing. With ``--screen`` the new entries are screened against the registry
before the command ends (otherwise by the task worker).

``screen`` screens the whole registry against every entry in force and prints one JSON
line with the counts; ``schedule`` queues the daily screening (00:30 WIB).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from timpora.accounts.models import Agency
from timpora.core.commands import SubcommandCommand
from timpora.registry.status import JAKARTA
from timpora.watchlists import actions, exports, tasks
from timpora.watchlists.choices import ListType, parse_list_type
from timpora.watchlists.importer import FileError
from timpora.watchlists.models import WatchList


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


class Command(SubcommandCommand):
    help = "Watch lists: import a file, screen the registry, schedule the daily screening."
    subcommands = {
        "import": "Import a CSV/XLSX watch-list file (see docs/watchlists.md).",
        "screen": "Screen every person against every watch-list entry in force.",
        "schedule": "Queue the daily screening at 00:30 WIB (idempotent).",
    }

    def add_import_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--list", dest="list_name", required=True, help="List name.")
        parser.add_argument(
            "--type",
            dest="list_type",
            default="",
            help=f"List type: {', '.join(ListType.values)} (required for a new list).",
        )
        parser.add_argument("--source", default="", help="Issuing authority.")
        parser.add_argument("--reference", default="", help="Letter or decision number.")
        parser.add_argument("--valid-from", default="", help="YYYY-MM-DD")
        parser.add_argument("--valid-until", default="", help="YYYY-MM-DD")
        parser.add_argument("--agency", default="", help="Name of the owning agency.")
        parser.add_argument(
            "--screen", action="store_true", help="Screen the new entries before ending."
        )

    def add_screen_arguments(self, parser) -> None:
        parser.add_argument("--as-of", default="", help="YYYY-MM-DD (default: today, WIB)")

    def handle_import(
        self,
        *,
        file: Path,
        list_name: str,
        list_type: str,
        source: str,
        reference: str,
        valid_from: str,
        valid_until: str,
        agency: str,
        screen: bool,
        **_: object,
    ) -> None:
        if not file.exists():
            raise CommandError(f"{file}: file not found")
        kind = parse_list_type(list_type) if list_type else None
        if list_type and kind is None:
            raise CommandError(f"unknown list type {list_type!r}: use {', '.join(ListType.values)}")
        owner = None
        if agency:
            owner = Agency.objects.filter(name=agency).first()
            if owner is None:
                raise CommandError(f"no agency is named {agency!r}")
        changes: dict[str, object] = {}
        if kind:
            changes["list_type"] = kind
        if source:
            changes["source"] = source
        if reference:
            changes["reference"] = reference
        if valid_from:
            changes["valid_from"] = _day(valid_from)
        if valid_until:
            changes["valid_until"] = _day(valid_until)
        if owner is not None:
            changes["owning_agency"] = owner
        try:
            watchlist = WatchList.objects.filter(name=list_name).first()
            if watchlist is None:
                if not kind or not source:
                    raise CommandError("a new list needs --type and --source")
                watchlist = actions.create_watchlist(name=list_name, actor=None, **changes)
            elif changes:
                watchlist = actions.update_watchlist(watchlist, actor=None, **changes)
            batch = actions.import_entries(
                watchlist, file, actor=None, file_name=file.name, screen=not screen
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except FileError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        summary = actions.import_summary(batch)
        if batch.rejected:
            summary["errors"] = str(exports.write_error_file(batch))
        if screen:
            touched = actions.touched_entries(batch)
            summary["screening"] = (
                actions.screen_everyone(entry_ids=touched) if touched else {"found": 0}
            )
        self.stdout.write(json.dumps(summary, default=str))

    def handle_screen(self, *, as_of: str, **_: object) -> None:
        result = actions.screen_everyone(_day(as_of) if as_of else None)
        self.stdout.write(json.dumps(result, default=str))

    def handle_schedule(self, **_: object) -> None:
        queued = tasks.schedule_daily()
        if queued is None:
            self.stdout.write("daily screening: already scheduled, or the backend cannot defer")
            return
        when = timezone.localtime(queued.task.run_after, JAKARTA)
        self.stdout.write(f"daily screening: scheduled for {when:%Y-%m-%d %H:%M} WIB")
