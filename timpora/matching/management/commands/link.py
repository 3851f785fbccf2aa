"""``timpora link --input records.csv --output clusters.csv``: deduplicate a person file.

Parses the options and calls the engine (``timpora.matching.engine.link``); it never touches
the application database, so it runs before migrations and on a machine without one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from timpora.matching.engine.link import (
    DEFAULT_THRESHOLD,
    ONE_TO_ONE_THRESHOLD,
    InputError,
    link_csv,
)
from timpora.matching.engine.model import MatchModel

#: Stage names reported by the engine, as shown on the progress bar.
STAGES = {
    "reading": gettext_lazy("reading"),
    "features": gettext_lazy("features"),
    "training": gettext_lazy("training"),
    "scoring": gettext_lazy("scoring pairs"),
    "clustering": gettext_lazy("clustering"),
    "writing": gettext_lazy("writing"),
}


def stage_bar(stages: Mapping[str, object], description: str) -> tuple[Any, Callable[[str], None]]:
    """A tqdm bar on stderr advanced by the engine's stage callback."""
    from tqdm import tqdm

    bar = tqdm(total=len(stages), desc=description, unit="stage", file=sys.stderr, leave=True)

    def advance(stage: str) -> None:
        bar.set_postfix_str(str(stages.get(stage, stage)), refresh=False)
        bar.update(1)

    return bar, advance


class Command(BaseCommand):
    help = gettext_lazy(
        "Group the records of a person file (CSV) into one cluster per person. Columns: "
        "record_id, source, full_name, sex, date_of_birth, nationality, passport_number."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path, help=_("person records (CSV)"))
        parser.add_argument(
            "--output",
            required=True,
            type=Path,
            help=_("where to write record_id,cluster_id,match_probability (CSV)"),
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=_("pairs at or above this match probability are one person"),
        )
        parser.add_argument(
            "--train",
            choices=("auto", "always", "never"),
            default="auto",
            help=_("estimate the model on the input (auto: when it is large enough)"),
        )
        parser.add_argument(
            "--unique-sources",
            default="",
            help=_(
                "comma-separated sources that hold each person at most once (two "
                "deduplicated registers): linked one to one by mutual best links"
            ),
        )
        parser.add_argument(
            "--one-to-one-threshold",
            type=float,
            default=ONE_TO_ONE_THRESHOLD,
            help=_("least match probability of a mutual best link between unique sources"),
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
        bar, advance = stage_bar(STAGES, _("linking"))
        try:
            result = link_csv(
                options["input"],  # type: ignore[arg-type]
                options["output"],  # type: ignore[arg-type]
                model=model,
                train_mode=options["train"],  # type: ignore[arg-type]
                threshold=threshold,
                unique_sources=[s for s in str(options["unique_sources"]).split(",") if s],
                one_to_one_threshold=float(options["one_to_one_threshold"]),  # type: ignore[arg-type]
                memory_limit=str(options["memory_limit"]),
                progress=advance,
            )
        except InputError as error:
            raise CommandError(_(error.template) % error.params) from error
        finally:
            bar.close()
        self.stdout.write(
            _(
                "%(records)s records, %(clusters)s clusters, %(pairs)s pairs scored "
                "(model %(model)s) → %(output)s"
            )
            % {
                "records": result.records,
                "clusters": result.clusters,
                "pairs": result.pairs_scored,
                "model": _("trained on the input") if result.trained else _("bundled"),
                "output": options["output"],
            }
        )
