"""``timpora import accommodation FILE`` / ``timpora import employer FILE``.

Prints a progress bar on the terminal (stderr) and, last, one JSON line:
``{"rows": N, "imported": N, "duplicates": N, "rejected": N, "errors": "PATH"}``.
Running the same file again after a crash resumes it; after success it imports nothing new.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm

from timpora.core.commands import SubcommandCommand
from timpora.intake import importer
from timpora.intake.choices import ImportKind, PremisesStatus
from timpora.intake.models import Premises
from timpora.intake.pipeline import FileError


class Command(SubcommandCommand):
    help = "Import accommodation or employer reports from a CSV or XLSX file."
    subcommands = {
        ImportKind.ACCOMMODATION: "Accommodation guest reports (see docs/import-format.md).",
        ImportKind.EMPLOYER: "Employer reports on foreign workers (see docs/import-format.md).",
    }

    def _arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--premises",
            default="",
            help="Licence number of the premises all rows belong to; without "
            "it each row names its premises in premises_licence.",
        )
        parser.add_argument("--chunk-rows", type=int, default=importer.CHUNK_ROWS)
        parser.add_argument("--no-progress", action="store_true")

    add_accommodation_arguments = _arguments
    add_employer_arguments = _arguments

    def _run(
        self,
        kind: str,
        *,
        file: Path,
        premises: str,
        chunk_rows: int,
        no_progress: bool,
        **_: object,
    ) -> None:
        if not file.exists():
            raise CommandError(f"{file}: file not found")
        place = None
        if premises:
            place = Premises.objects.filter(
                licence_number=premises, status=PremisesStatus.APPROVED
            ).first()
            if place is None:
                raise CommandError(f"no approved premises has licence {premises!r}")
        batch = importer.start_import(
            kind=kind, path=file, actor=None, premises=place, file_name=file.name
        )
        bar = (
            None
            if no_progress
            else tqdm(total=None, unit="rows", desc=file.name, file=self.stderr._out, leave=False)
        )

        def progress(current) -> None:
            if bar is not None:
                bar.total = current.total_rows
                bar.n = current.processed_rows
                bar.refresh()

        try:
            summary = importer.run_import(batch, progress=progress, chunk_rows=chunk_rows)
        except FileError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(summary.as_json())

    def handle_accommodation(self, **options: object) -> None:
        self._run(ImportKind.ACCOMMODATION, **options)

    def handle_employer(self, **options: object) -> None:
        self._run(ImportKind.EMPLOYER, **options)
