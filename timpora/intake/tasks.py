"""Background jobs of intake: file imports run by the task worker (``timpora db_worker``).

The web request only stores the file and registers the batch (``importer.start_import``);
the import itself runs here, outside the request, and writes its progress to the batch row
chunk by chunk, which is what the progress bar polls.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.utils import timezone
from django_tasks import task

from timpora.intake import importer
from timpora.intake.choices import ImportStatus
from timpora.intake.models import ImportBatch, Premises
from timpora.intake.pipeline import FileError

logger = logging.getLogger(__name__)


@task()
def import_file(batch_id: int) -> dict[str, Any]:
    """Import (or resume) one registered file; returns the batch's summary.

    A file that cannot be read at all (missing columns, wrong type, too large) ends the
    batch as failed with its message: the job itself succeeded in saying so, so it is not
    retried. Anything else propagates, leaving the batch resumable.
    """
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status == ImportStatus.DONE:
        return _result(batch)
    try:
        importer.run_import(batch)
    except FileError as exc:
        logger.info("import %s failed: %s", batch_id, exc)
    batch.refresh_from_db()
    return _result(batch)


def _result(batch: ImportBatch) -> dict[str, Any]:
    summary = importer.summary_of(batch)
    return {
        "batch": batch.pk,
        "status": batch.status,
        "rows": summary.rows,
        "imported": summary.imported,
        "duplicates": summary.duplicates,
        "rejected": summary.rejected,
        "message": batch.message,
    }


def start_import(
    *, kind: str, path: Path, actor, premises: Premises | None, file_name: str
) -> ImportBatch:
    """Register the file (``importer.start_import``) and queue its import job.

    ``start_import`` returns the unfinished batch of the same file instead of a new one. A
    new batch, or a failed one (resumed), gets a job; an older batch that is still queued or
    running already has one, and a second job would import one file twice side by side.
    """
    before = timezone.now()
    batch = importer.start_import(
        kind=kind, path=path, actor=actor, premises=premises, file_name=file_name
    )
    fresh = batch.created_at >= before
    if fresh or batch.status == ImportStatus.FAILED:
        import_file.enqueue(batch.pk)
    batch.refresh_from_db()
    return batch
