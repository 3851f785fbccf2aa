"""Files the watch-list app hands out: the error file of an import and a template."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from timpora.lib.exports import to_csv, to_xlsx
from timpora.watchlists.importer import COLUMNS, EXTRA_COLUMNS
from timpora.watchlists.models import WatchListImport

ERROR_COLUMNS = ("row", "field", "reason")
TEMPLATE_ROWS = (
    (
        "DJI-2025-0001",
        "AL-GHAMDI, MUHAMMAD",
        "1980-05-01",
        "SAU",
        "E12345678",
        "penangkalan",
        "2035-12-31",
        "Surat Dirjen Imigrasi IMI-1234.GR.02.06 Tahun 2025",
    ),
    ("DPO-17", "Chang Hsiao-ming", "1985", "TWN", "", "wanted", "", "Polda Banten DPO/17/2025"),
)


def error_csv(batch: WatchListImport) -> bytes:
    """Row, field and reason of every rejected row (the header is row 1)."""
    return to_csv(ERROR_COLUMNS, batch.errors)


def write_error_file(batch: WatchListImport) -> Path:
    """The error file under private storage (for the CLI, which prints its path)."""
    folder = settings.VAR_DIR / "private" / "watchlists"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"import-{batch.pk}-errors.csv"
    path.write_bytes(error_csv(batch))
    return path


def template(fmt: str) -> bytes:
    """An example file with every column (CSV or XLSX)."""
    header = (*COLUMNS, *EXTRA_COLUMNS)
    if fmt == "xlsx":
        return to_xlsx(header, TEMPLATE_ROWS, title="watchlist")
    return to_csv(header, TEMPLATE_ROWS)
