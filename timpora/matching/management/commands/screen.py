"""``timpora screen --watchlist W.csv --input P.csv --output hits.csv``.

Parses the options and calls the engine (``timpora.matching.engine.screen``); no database.
Explanations are written in the active language (Django's ``gettext`` on the engine's
phrases).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from timpora.matching.engine.link import InputError
from timpora.matching.engine.model import MatchModel
from timpora.matching.engine.screen import DEFAULT_SCREEN_THRESHOLD, screen_csv
from timpora.matching.management.commands.link import stage_bar

STAGES = {
    "reading": gettext_lazy("reading"),
    "features": gettext_lazy("features"),
    "blocking": gettext_lazy("finding candidates"),
    "scoring": gettext_lazy("scoring pairs"),
    "writing": gettext_lazy("writing"),
}


class Command(BaseCommand):
    help = gettext_lazy(
        "Screen a person file against a watch list (CSV). Watch-list columns: list_id, "
        "full_name, date_of_birth, nationality, passport_number, list_type, valid_until."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--watchlist", required=True, type=Path, help=_("watch list (CSV)"))
        parser.add_argument("--input", required=True, type=Path, help=_("person records (CSV)"))
        parser.add_argument(
            "--output",
            required=True,
            type=Path,
            help=_("where to write record_id,list_id,score,explanation (CSV)"),
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_SCREEN_THRESHOLD,
            help=_("hits are pairs at or above this score"),
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help=_("date against which valid_until is checked (default: today)"),
        )
        parser.add_argument(
            "--model", type=Path, help=_("a trained model (JSON) instead of the bundled one")
        )
        parser.add_argument(
            "--memory-limit", default="2GB", help=_("DuckDB memory limit, e.g. 2GB")
        )

    def handle(self, *args: object, **options: object) -> None:
        threshold = float(options["threshold"])  # type: ignore[arg-type]
        if not 0.0 < threshold < 1.0:
            raise CommandError(_("--threshold must be between 0 and 1"))
        model = None
        if options["model"]:
            try:
                model = MatchModel.load(options["model"])  # type: ignore[arg-type]
            except (OSError, ValueError, KeyError) as error:
                raise CommandError(
                    _("%(path)s: not a trained model: %(error)s")
                    % {"path": options["model"], "error": error}
                ) from error
        today = options["today"]
        if isinstance(today, str):  # call_command() passes options unparsed
            try:
                today = dt.date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(_("--today must be a date (YYYY-MM-DD)")) from error
        bar, advance = stage_bar(STAGES, _("screening"))
        try:
            result = screen_csv(
                options["watchlist"],  # type: ignore[arg-type]
                options["input"],  # type: ignore[arg-type]
                options["output"],  # type: ignore[arg-type]
                model=model,
                threshold=threshold,
                today=today,  # type: ignore[arg-type]
                memory_limit=str(options["memory_limit"]),
                gettext=gettext,
                progress=advance,
            )
        except InputError as error:
            raise CommandError(_(error.template) % error.params) from error
        finally:
            bar.close()
        self.stdout.write(
            _(
                "%(persons)s persons against %(entries)s watch-list entries "
                "(%(expired)s expired entries skipped): %(hits)s hits → %(output)s"
            )
            % {
                "persons": result.persons,
                "entries": result.entries,
                "expired": result.expired,
                "hits": result.hits,
                "output": options["output"],
            }
        )
