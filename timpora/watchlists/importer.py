"""Reading and checking watch-list files (CSV or XLSX), row by row.

Watch lists are short (hundreds to tens of thousands of entries), so plain Python is fast
enough and keeps every message precise: each rejected row is reported with its row number
as a spreadsheet shows it (the header is row 1), the field and the reason; the good rows are
kept. Nothing here writes to the database (``actions.import_entries`` does).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from timpora.lib.nationality import UnknownNationality, normalize_nationality
from timpora.matching.engine.screen import WATCHLIST_COLUMNS
from timpora.watchlists.choices import parse_list_type

#: Columns of a watch-list file, as the screening CLI reads them (``timpora screen``).
COLUMNS = WATCHLIST_COLUMNS
#: Optional columns the application also reads.
EXTRA_COLUMNS = ("reason",)
REQUIRED = ("list_id", "full_name")

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_PASSPORT_JUNK = re.compile(r"[\s\-./]")


class FileError(ValueError):
    """The file as a whole cannot be read (type, encoding, header)."""


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str


@dataclass
class CleanRow:
    """One good row, normalised."""

    row: int
    list_id: str
    full_name: str
    date_of_birth: str = ""
    nationality: str = ""
    passport_number: str = ""
    list_type: str = ""  # empty: the list's type
    valid_until: date | None = None
    reason: str = ""


@dataclass
class ParsedFile:
    rows: list[CleanRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    total: int = 0

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})


# --------------------------------------------------------------------------- reading


def _text(value: Any) -> str:
    """A cell as text: dates as ISO, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(path: Path) -> Iterator[list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(_("the file is not UTF-8 text: save it as CSV UTF-8")) from exc
    first = text.split("\n", 1)[0]
    # Spreadsheets set to Indonesian separate columns with semicolons.
    delimiter = max((",", ";", "\t"), key=first.count)
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise FileError(_("the file cannot be read as XLSX: %(error)s") % {"error": exc}) from exc
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_text(v) for v in values]
    finally:
        book.close()


def read_rows(path: Path) -> Iterator[list[str]]:
    """The rows of a CSV or XLSX file (chosen by the suffix), header first."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    raise FileError(_("use a .csv or .xlsx file"))


# --------------------------------------------------------------------------- checking


def partial_date(text: str) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with zero-padded parts; None if invalid."""
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    y = int(year)
    if not 1900 <= y <= date.today().year:
        return None
    if month is None:
        return f"{y:04d}"
    m = int(month)
    if not 1 <= m <= 12:
        return None
    if day is None:
        return f"{y:04d}-{m:02d}"
    try:
        return date(y, m, int(day)).isoformat()
    except ValueError:
        return None


def _check_row(number: int, values: dict[str, str], errors: list[RowError]) -> CleanRow | None:
    before = len(errors)

    def error(name: str, reason: str) -> None:
        errors.append(RowError(number, name, reason))

    list_id = values.get("list_id", "")
    if not list_id:
        error("list_id", _("required"))
    elif len(list_id) > 100:
        error("list_id", _("longer than 100 characters"))
    full_name = " ".join(values.get("full_name", "").split())
    if not full_name:
        error("full_name", _("required"))
    elif len(full_name) > 250:
        error("full_name", _("longer than 250 characters"))
    born = values.get("date_of_birth", "")
    dob = ""
    if born:
        dob = partial_date(born) or ""
        if not dob:
            error(
                "date_of_birth",
                _("use YYYY-MM-DD, YYYY-MM or YYYY (got %(value)s)") % {"value": born},
            )
    nationality = ""
    if values.get("nationality"):
        try:
            nationality = normalize_nationality(values["nationality"])
        except UnknownNationality:
            error(
                "nationality",
                _("unknown country code %(value)s (use ISO 3166 alpha-3, e.g. CHN)")
                % {"value": values["nationality"]},
            )
    passport = _PASSPORT_JUNK.sub("", values.get("passport_number", "")).upper()
    if passport and (not passport.isalnum() or len(passport) > 30):
        error("passport_number", _("letters and digits only, at most 30"))
    list_type = ""
    if values.get("list_type"):
        list_type = parse_list_type(values["list_type"]) or ""
        if not list_type:
            error(
                "list_type",
                _("unknown list type %(value)s (penangkalan, pencegahan, wanted or local)")
                % {"value": values["list_type"]},
            )
    valid_until = None
    if values.get("valid_until"):
        try:
            valid_until = date.fromisoformat(values["valid_until"][:10])
        except ValueError:
            error(
                "valid_until",
                _("use YYYY-MM-DD (got %(value)s)") % {"value": values["valid_until"]},
            )
    reason = values.get("reason", "")
    if len(errors) > before:
        return None
    return CleanRow(
        row=number,
        list_id=list_id,
        full_name=full_name,
        date_of_birth=dob,
        nationality=nationality,
        passport_number=passport,
        list_type=list_type,
        valid_until=valid_until,
        reason=reason[:2000],
    )


def parse_file(path: Path) -> ParsedFile:
    """Read and check a whole watch-list file; raises :class:`FileError` for a bad header."""
    rows = read_rows(path)
    header = next(rows, None)
    if header is None:
        raise FileError(_("the file is empty"))
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise FileError(
            _("missing column(s): %(columns)s (the first row must hold the column names)")
            % {"columns": ", ".join(missing)}
        )
    known = set(COLUMNS) | set(EXTRA_COLUMNS)
    result = ParsedFile(ignored_columns=[n for n in names if n and n not in known])
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows, start=2):
        cells = [_text(v) for v in raw]
        if not any(cells):
            continue  # blank line
        result.total += 1
        values = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(names)}
        clean = _check_row(number, values, result.errors)
        if clean is None:
            continue
        if clean.list_id in seen:
            result.errors.append(
                RowError(
                    number,
                    "list_id",
                    _("%(value)s is already on row %(row)s")
                    % {"value": clean.list_id, "row": seen[clean.list_id]},
                )
            )
            continue
        seen[clean.list_id] = number
        result.rows.append(clean)
    return result
