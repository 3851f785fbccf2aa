"""``timpora mrz check LINE1 LINE2 [LINE3]``: decode and validate a machine-readable zone.

Prints JSON on stdout either way, so scripts can read the fields or the failing ones, and
exits 0 for a valid zone, 1 for an invalid one (2 for a usage error, as argparse does).
Lines contain ``<``, so quote them in the shell; one argument holding several lines (with
line breaks) is accepted too.
"""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from timpora.core.commands import SubcommandCommand
from timpora.lib.mrz import MrzError, parse_mrz
from timpora.lib.nationality import UnknownNationality, normalize_nationality


class Command(SubcommandCommand):
    help = "Machine-readable zones (ICAO 9303) of passports and identity cards."
    subcommands = {
        "check": "Decode and validate an MRZ (2 lines of 44 or 3 lines of 30 characters).",
    }
    # Pure parsing: no database, so no system checks to wait for.
    requires_system_checks: list[str] = []

    def add_check_arguments(self, parser) -> None:
        parser.add_argument("lines", nargs="+", metavar="LINE", help="MRZ lines, quoted")

    def handle_check(self, *, lines: list[str], **_: object) -> None:
        split = [part for line in lines for part in line.splitlines()]
        try:
            data = parse_mrz(split)
        except MrzError as exc:
            errors = [{"field": e.field, "message": e.message} for e in exc.errors]
            self.stdout.write(json.dumps({"valid": False, "errors": errors}, ensure_ascii=False))
            # The report is on stdout; CommandError adds a line on stderr and exits with 1.
            raise CommandError("invalid machine-readable zone", returncode=1) from exc
        fields = data.to_dict()
        try:
            nationality_iso: str | None = normalize_nationality(data.nationality)
        except UnknownNationality:
            nationality_iso = None  # e.g. UTO, the ICAO specimens' fictional Utopia
        self.stdout.write(json.dumps({"valid": True, **fields, "nationality_iso": nationality_iso}))
