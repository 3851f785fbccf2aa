"""Reading and validating report files in vectorised batches (Django-free).

A file (CSV or XLSX) is streamed in chunks of rows; each chunk becomes an Arrow table of
strings, is validated column by column with ``pyarrow.compute`` (no per-row Python on the hot
path) and comes out as a clean table plus a list of row errors naming the row (the line
number a spreadsheet shows), the field and the reason. Good rows are never dropped because of
bad ones.

Why Arrow: a million-row file must be parsed, checked and normalised at tens of thousands of
rows per second on two cores; per-row Python and ORM saves cannot get there.
"""

from __future__ import annotations

import io
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from timpora.lib.mrz import MrzError, parse_mrz
from timpora.lib.nationality import UnknownNationality, normalize_nationality

JAKARTA_OFFSET = timedelta(hours=7)  # WIB has no daylight saving time


@dataclass(frozen=True)
class Column:
    """One column of an import specification."""

    name: str
    required: bool
    description: str
    example: str


ACCOMMODATION_COLUMNS: tuple[Column, ...] = (
    Column(
        "premises_licence",
        False,
        "Licence/business ID of the reporting premises; may be "
        "omitted when the file is imported for one premises.",
        "HTL-3673-0001",
    ),
    Column("surname", False, "Surname as in the passport.", "MÜLLER"),
    Column("given_names", False, "Given names as in the passport.", "HANS PETER"),
    Column(
        "full_name",
        False,
        "Full name as written; required when surname is empty.",
        "Hans Peter Müller",
    ),
    Column("sex", False, "M or F (also L/P: laki-laki/perempuan); empty = unknown.", "M"),
    Column(
        "date_of_birth", False, "YYYY-MM-DD, or YYYY when only the year is known.", "1980-05-01"
    ),
    Column("place_of_birth", False, "Place of birth.", "Hamburg"),
    Column(
        "nationality", True, "ISO 3166 alpha-3 or alpha-2 code, ICAO code or country name.", "DEU"
    ),
    Column("passport_number", True, "Passport number (spaces are ignored).", "C01X00T47"),
    Column("passport_expiry", False, "YYYY-MM-DD.", "2031-05-01"),
    Column("permit_category", False, "visit, limited, permanent, diplomatic or service.", "visit"),
    Column("permit_index", False, "Visa/permit index, e.g. B1, C1, E23.", "B1"),
    Column("permit_number", False, "Stay permit number.", ""),
    Column("permit_valid_until", False, "YYYY-MM-DD.", "2026-12-31"),
    Column("purpose", False, "Purpose of visit.", "tourism"),
    Column("room", False, "Room number.", "204"),
    Column(
        "check_in", True, "YYYY-MM-DD HH:MM in local time (WIB), or YYYY-MM-DD.", "2026-11-20 14:05"
    ),
    Column(
        "check_out",
        False,
        "YYYY-MM-DD HH:MM (WIB) or YYYY-MM-DD; empty while staying.",
        "2026-11-23 11:00",
    ),
    Column("mrz_line1", False, "Passport MRZ line 1 (44 characters), if scanned.", ""),
    Column("mrz_line2", False, "Passport MRZ line 2 (44 characters), if scanned.", ""),
)

EMPLOYER_COLUMNS: tuple[Column, ...] = (
    Column(
        "premises_licence",
        False,
        "Business ID (NIB) of the reporting company; may be "
        "omitted when the file is imported for one company.",
        "1234567890123",
    ),
    Column("surname", False, "Surname as in the passport.", "WANG"),
    Column("given_names", False, "Given names as in the passport.", "LEI"),
    Column("full_name", False, "Full name as written; required when surname is empty.", "Wang Lei"),
    Column("sex", False, "M or F (also L/P); empty = unknown.", "M"),
    Column("date_of_birth", False, "YYYY-MM-DD, or YYYY.", "1985-03-14"),
    Column("nationality", True, "ISO 3166 alpha-3/alpha-2 code, ICAO code or country name.", "CHN"),
    Column("passport_number", True, "Passport number.", "E12345678"),
    Column(
        "permit_category", False, "visit, limited, permanent, diplomatic or service.", "limited"
    ),
    Column("permit_index", False, "Visa/permit index, e.g. E23.", "E23"),
    Column("permit_number", False, "Stay permit (ITAS/KITAS) number.", "2C11AB1234"),
    Column("permit_valid_until", False, "YYYY-MM-DD.", "2027-06-30"),
    Column("event", True, "start, confirm, change, transfer or end.", "start"),
    Column("event_date", True, "YYYY-MM-DD.", "2026-11-01"),
    Column("position", True, "Position/job title.", "Welding supervisor"),
    Column(
        "work_area_code",
        False,
        "Kemendagri code of the work location (kelurahan/desa "
        "or kecamatan); empty = the company's address.",
        "36.04.18.2005",
    ),
    Column(
        "work_plan_reference", False, "RPTKA (foreign worker plan) reference.", "RPTKA-2026-0042"
    ),
)

PERMIT_CATEGORIES = ("visit", "limited", "permanent", "diplomatic", "service")
EMPLOYMENT_EVENTS = ("start", "confirm", "change", "transfer", "end")
SEX_MAP = {"M": "M", "F": "F", "L": "M", "P": "F", "MALE": "M", "FEMALE": "F", "X": "X"}
_SPECIAL_LETTERS = {
    "ß": "SS",
    "Æ": "AE",
    "æ": "AE",
    "Ø": "O",
    "ø": "O",
    "Đ": "D",
    "đ": "D",
    "Ł": "L",
    "ł": "L",
    "Œ": "OE",
    "œ": "OE",
    "ı": "I",
    "Þ": "TH",
    "þ": "TH",
}


class FileError(ValueError):
    """The file as a whole cannot be read (wrong type, missing columns, too large)."""


@dataclass
class RowError:
    row: int
    field: str
    reason: str


@dataclass
class Chunk:
    """Validated rows of one chunk: ``table`` holds only the good rows (normalised columns)
    and ``rows`` their line numbers; ``errors`` lists every rejected row's problems."""

    table: pa.Table
    rows: pa.Array
    errors: list[RowError] = field(default_factory=list)
    rejected: int = 0
    last_row: int = 0


# --- reading ---------------------------------------------------------------------------------


def _check_header(names: Sequence[str], spec: Sequence[Column]) -> list[str]:
    names = [n.strip().lower() for n in names]
    known = {c.name for c in spec}
    required = {c.name for c in spec if c.required}
    missing = sorted(required - set(names))
    if missing:
        raise FileError(f"missing required column(s): {', '.join(missing)}")
    if not any(n in names for n in ("surname", "full_name")):
        raise FileError("missing column: surname or full_name")
    unknown = [n for n in names if n and n not in known]
    if unknown:
        raise FileError(f"unknown column(s): {', '.join(unknown)} (see the column specification)")
    return names


def iter_csv(
    path: Path,
    spec: Sequence[Column],
    *,
    chunk_rows: int,
    skip_through: int = 0,
) -> Iterator[tuple[pa.Table, array, list[RowError]]]:
    """Yield (string table, line numbers, errors) per chunk of ``chunk_rows`` lines.

    Lines are checked for UTF-8 chunk-wise (per line only when a chunk fails), so a file saved
    in the wrong encoding loses only its undecodable lines, each reported by number. Rows up
    to line ``skip_through`` are skipped (resuming after a crash).
    """
    with path.open("rb") as fh:
        header = fh.readline()
        if header.startswith(b"\xef\xbb\xbf"):
            header = header[3:]
        try:
            header_text = header.decode("utf-8")
        except UnicodeDecodeError:
            raise FileError(
                'the header line is not UTF-8 text: save the file as "CSV UTF-8"'
            ) from None
        names = _check_header(_split_header(header_text), spec)
        header_bytes = (",".join(names) + "\n").encode("utf-8")
        lines: list[bytes] = []
        numbers = array("l")
        errors: list[RowError] = []
        line_no = 1
        for raw in fh:
            line_no += 1
            if line_no <= skip_through or not raw.strip():
                continue
            lines.append(raw if raw.endswith(b"\n") else raw + b"\n")
            numbers.append(line_no)
            if len(lines) >= chunk_rows:
                yield _parse_chunk(header_bytes, names, lines, numbers, errors)
                lines, numbers, errors = [], array("l"), []
        if lines or errors:
            yield _parse_chunk(header_bytes, names, lines, numbers, errors)


def _split_header(header_text: str) -> list[str]:
    import csv

    return next(csv.reader([header_text]))


def _parse_chunk(
    header: bytes, names: list[str], lines: list[bytes], numbers: array, errors: list[RowError]
) -> tuple[pa.Table, array, list[RowError]]:
    blob = b"".join(lines)
    try:
        blob.decode("utf-8")
    except UnicodeDecodeError:
        kept, kept_numbers = [], array("l")
        for line, number in zip(lines, numbers, strict=True):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                errors.append(
                    RowError(number, "", 'the row is not UTF-8 text (save the file as "CSV UTF-8")')
                )
            else:
                kept.append(line)
                kept_numbers.append(number)
        blob, numbers = b"".join(kept), kept_numbers
    invalid: list[int] = []

    def on_invalid(row) -> str:
        # ``row.number`` counts the header as 1 and ignores blank lines (none are left).
        line = numbers[row.number - 2]
        invalid.append(row.number - 2)
        errors.append(
            RowError(
                line, "", f"expected {row.expected_columns} fields, found {row.actual_columns}"
            )
        )
        return "skip"

    table = pa_csv.read_csv(
        io.BytesIO(header + blob),
        read_options=pa_csv.ReadOptions(use_threads=False, block_size=1 << 26),
        parse_options=pa_csv.ParseOptions(invalid_row_handler=on_invalid),
        convert_options=pa_csv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if invalid:
        drop = set(invalid)
        numbers = array("l", (n for i, n in enumerate(numbers) if i not in drop))
    return table, numbers, errors


def iter_xlsx(
    path: Path,
    spec: Sequence[Column],
    *,
    chunk_rows: int,
    skip_through: int = 0,
) -> Iterator[tuple[pa.Table, array, list[RowError]]]:
    """The same chunks from the first sheet of an XLSX workbook (cells become ISO text)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise FileError(f"not a readable XLSX workbook: {exc}") from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = next(rows)
    except StopIteration:
        raise FileError("the workbook's first sheet is empty") from None
    names = _check_header([str(h or "") for h in header], spec)
    width = len(names)
    columns: list[list[str]] = [[] for _ in names]
    numbers = array("l")
    errors: list[RowError] = []
    for line_no, values in enumerate(rows, start=2):
        if line_no <= skip_through or not any(v not in (None, "") for v in values):
            continue
        cells = [_cell_text(v) for v in values[:width]] + [""] * (width - len(values))
        if len(values) > width and any(v not in (None, "") for v in values[width:]):
            errors.append(RowError(line_no, "", f"expected {width} fields, found {len(values)}"))
            continue
        for column, cell in zip(columns, cells, strict=True):
            column.append(cell)
        numbers.append(line_no)
        if len(numbers) >= chunk_rows:
            yield pa.table(dict(zip(names, columns, strict=True))), numbers, errors
            columns, numbers, errors = [[] for _ in names], array("l"), []
    workbook.close()
    if len(numbers) or errors:
        yield (
            pa.table({n: pa.array(c, pa.string()) for n, c in zip(names, columns, strict=True)}),
            numbers,
            errors,
        )


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M")
            if (value.hour or value.minute)
            else value.strftime("%Y-%m-%d")
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def iter_file(
    path: Path,
    spec: Sequence[Column],
    *,
    chunk_rows: int = 50_000,
    skip_through: int = 0,
    max_bytes: int | None = None,
):
    """Chunks from a CSV or XLSX file, chosen by its content (not just its name)."""
    if not path.exists():
        raise FileError(f"{path}: file not found")
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise FileError(
            f"the file is {size / 1e6:.0f} MB; the limit is "
            f"{max_bytes / 1e6:.0f} MB: split it into smaller files"
        )
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == b"PK\x03\x04":
        return iter_xlsx(path, spec, chunk_rows=chunk_rows, skip_through=skip_through)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise FileError("the file has an .xlsx name but is not an XLSX workbook")
    return iter_csv(path, spec, chunk_rows=chunk_rows, skip_through=skip_through)


# --- validation ------------------------------------------------------------------------------


class _Checker:
    """Accumulates per-row failures of one chunk as boolean masks."""

    def __init__(self, table: pa.Table, numbers: array):
        self.table = table
        self.n = table.num_rows
        self.numbers = numbers
        self.bad = pa.array([False] * self.n) if self.n else pa.array([], pa.bool_())
        self.errors: list[RowError] = []

    def col(self, name: str) -> pa.Array:
        if name in self.table.column_names:
            return pc.utf8_trim_whitespace(self.table[name].combine_chunks())
        return pa.array([""] * self.n, pa.string())

    def fail(self, mask: pa.Array, field_name: str, reason: str | Callable[[int], str]) -> None:
        mask = pc.fill_null(mask, False)
        if not pc.any(mask).as_py():
            return
        self.bad = pc.or_(self.bad, mask)
        for i in pc.indices_nonzero(mask).to_pylist():
            text = reason(i) if callable(reason) else reason
            self.errors.append(RowError(self.numbers[i], field_name, text))


def _empty(values: pa.Array) -> pa.Array:
    return pc.equal(pc.utf8_length(values), 0)


def parse_dates(values: pa.Array) -> pa.Array:
    """ISO dates to date32; anything else (including 2026-02-30) becomes null."""
    parsed = pc.strptime(values, format="%Y-%m-%d", unit="s", error_is_null=True)
    roundtrip = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), values)
    return pc.if_else(roundtrip, pc.cast(parsed, pa.date32()), pa.scalar(None, pa.date32()))


def parse_local_datetimes(values: pa.Array) -> pa.Array:
    """Local (WIB) date-times in the accepted formats to UTC timestamps; else null."""
    normalised = pc.replace_substring(values, "T", " ")
    result = pa.nulls(len(values), pa.timestamp("s"))
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        parsed = pc.strptime(normalised, format=fmt, unit="s", error_is_null=True)
        ok = pc.equal(pc.strftime(parsed, format=fmt), normalised)
        result = pc.if_else(pc.and_(pc.is_null(result), pc.fill_null(ok, False)), parsed, result)
    return pc.subtract(result, pa.scalar(JAKARTA_OFFSET, pa.duration("s")))


def fold_names(values: pa.Array) -> pa.Array:
    """The vectorised twin of ``timpora.lib.names.fold`` (same output, tested)."""
    for letter, replacement in _SPECIAL_LETTERS.items():
        values = pc.replace_substring(values, letter, replacement)
    values = pc.utf8_normalize(values, form="NFKD")
    values = pc.replace_substring_regex(values, pattern=r"[^\x00-\x7F]", replacement="")
    values = pc.replace_substring_regex(
        pc.utf8_upper(values), pattern=r"[^A-Z0-9]+", replacement=" "
    )
    return pc.utf8_trim_whitespace(values)


def _map_values(values: pa.Array, mapper: Callable[[str], str | None]) -> pa.Array:
    """Apply a Python function once per distinct value (few distinct values, many rows)."""
    distinct = pc.unique(values)
    mapped = pa.array([mapper(v) for v in distinct.to_pylist()], pa.string())
    return pc.take(mapped, pc.index_in(values, distinct))


def _nationality_or_none(value: str) -> str | None:
    if not value:
        return None
    try:
        return normalize_nationality(value)
    except UnknownNationality:
        return None


def _lookup(mapping: dict[str, int]) -> Callable[[pa.Array], pa.Array]:
    keys = pa.array(list(mapping), pa.string())
    ids = pa.array(list(mapping.values()), pa.int64())

    def apply(values: pa.Array) -> pa.Array:
        return pc.take(ids, pc.index_in(values, keys))

    return apply


def validate_identity(check: _Checker, now_utc: datetime) -> dict[str, pa.Array]:
    """Columns shared by accommodation and employer reports."""
    surname, given, full = check.col("surname"), check.col("given_names"), check.col("full_name")
    written = pc.if_else(
        _empty(full),
        pc.utf8_trim_whitespace(pc.binary_join_element_wise(given, surname, " ")),
        full,
    )
    check.fail(_empty(written), "full_name", "a name is required (surname or full_name)")
    key_source = pc.if_else(
        _empty(surname), written, pc.binary_join_element_wise(surname, given, " ")
    )
    sex_raw = pc.utf8_upper(check.col("sex"))
    sex = _map_values(sex_raw, lambda v: SEX_MAP.get(v) if v else "X")
    check.fail(pc.is_null(sex), "sex", "use M or F (or L/P), or leave empty")
    dob_raw = check.col("date_of_birth")
    year_only = pc.match_substring_regex(dob_raw, r"^\d{4}$")
    dob = pc.if_else(
        year_only,
        parse_dates(pc.binary_join_element_wise(dob_raw, "01-01", "-")),
        parse_dates(dob_raw),
    )
    check.fail(
        pc.and_(pc.invert(_empty(dob_raw)), pc.is_null(dob)),
        "date_of_birth",
        "not a date: use YYYY-MM-DD or YYYY",
    )
    today = pa.scalar(now_utc.date(), pa.date32())
    check.fail(pc.greater(dob, today), "date_of_birth", "the date of birth is in the future")
    nat_raw = check.col("nationality")
    nationality = _map_values(nat_raw, _nationality_or_none)
    check.fail(_empty(nat_raw), "nationality", "nationality is required")
    check.fail(
        pc.and_(pc.invert(_empty(nat_raw)), pc.is_null(nationality)),
        "nationality",
        lambda i: f"unknown nationality {nat_raw[i].as_py()!r}",
    )
    passport = pc.replace_substring_regex(
        pc.utf8_upper(check.col("passport_number")), pattern="[^A-Z0-9]", replacement=""
    )
    plen = pc.utf8_length(passport)
    check.fail(
        pc.or_(pc.less(plen, 5), pc.greater(plen, 20)),
        "passport_number",
        "a passport number has 5 to 20 letters or digits",
    )
    expiry_raw = check.col("passport_expiry")
    expiry = parse_dates(expiry_raw)
    check.fail(
        pc.and_(pc.invert(_empty(expiry_raw)), pc.is_null(expiry)),
        "passport_expiry",
        "not a date: use YYYY-MM-DD",
    )
    category = pc.utf8_lower(check.col("permit_category"))
    check.fail(
        pc.and_(
            pc.invert(_empty(category)), pc.invert(pc.is_in(category, pa.array(PERMIT_CATEGORIES)))
        ),
        "permit_category",
        "use visit, limited, permanent, diplomatic or service",
    )
    valid_raw = check.col("permit_valid_until")
    valid_until = parse_dates(valid_raw)
    check.fail(
        pc.and_(pc.invert(_empty(valid_raw)), pc.is_null(valid_until)),
        "permit_valid_until",
        "not a date: use YYYY-MM-DD",
    )
    return {
        "surname": pc.utf8_slice_codeunits(surname, 0, 100),
        "given_names": pc.utf8_slice_codeunits(given, 0, 150),
        "full_name": pc.utf8_slice_codeunits(written, 0, 250),
        "name_key": pc.utf8_slice_codeunits(fold_names(key_source), 0, 250),
        "sex": pc.fill_null(sex, "X"),
        "birth_date": dob,
        "place_of_birth": pc.utf8_slice_codeunits(check.col("place_of_birth"), 0, 100),
        "nationality": nationality,
        "passport_number": passport,
        "passport_expiry": expiry,
        "permit_category": category,
        "permit_index": pc.utf8_slice_codeunits(pc.utf8_upper(check.col("permit_index")), 0, 12),
        "permit_number": pc.utf8_slice_codeunits(check.col("permit_number"), 0, 40),
        "permit_valid_until": valid_until,
    }


def _check_mrz(check: _Checker, out: dict[str, pa.Array]) -> pa.Array:
    """Rows with MRZ lines: the zone must be valid and agree with the typed passport."""
    line1, line2 = check.col("mrz_line1"), check.col("mrz_line2")
    has = pc.invert(pc.and_(_empty(line1), _empty(line2)))
    mrz = pc.if_else(has, pc.binary_join_element_wise(line1, line2, "\n"), "")
    if not pc.any(has).as_py():
        return mrz
    bad = [False] * check.n
    reasons: dict[int, str] = {}
    passports = out["passport_number"]
    for i in pc.indices_nonzero(has).to_pylist():
        try:
            data = parse_mrz([line1[i].as_py(), line2[i].as_py()])
        except MrzError as exc:
            bad[i], reasons[i] = True, f"invalid MRZ: {exc}"
            continue
        if data.document_number != passports[i].as_py():
            bad[i] = True
            reasons[i] = (
                f"MRZ document number {data.document_number} differs from "
                f"passport_number {passports[i].as_py()}"
            )
    check.fail(pa.array(bad), "mrz", lambda i: reasons[i])
    return mrz


def validate_accommodation(
    table: pa.Table,
    numbers: array,
    *,
    now_utc: datetime,
    premises_by_licence: dict[str, int] | None,
    default_premises: int | None,
    late_hours: int,
) -> Chunk:
    """Validate and normalise one chunk of accommodation reports."""
    check = _Checker(table, numbers)
    out = validate_identity(check, now_utc)
    _premises_column(check, out, premises_by_licence, default_premises)
    check_in_raw, check_out_raw = check.col("check_in"), check.col("check_out")
    check_in = parse_local_datetimes(check_in_raw)
    check_out = parse_local_datetimes(check_out_raw)
    check.fail(_empty(check_in_raw), "check_in", "check-in is required")
    check.fail(
        pc.and_(pc.invert(_empty(check_in_raw)), pc.is_null(check_in)),
        "check_in",
        "not a date-time: use YYYY-MM-DD HH:MM (WIB)",
    )
    check.fail(
        pc.and_(pc.invert(_empty(check_out_raw)), pc.is_null(check_out)),
        "check_out",
        "not a date-time: use YYYY-MM-DD HH:MM (WIB)",
    )
    check.fail(pc.less(check_out, check_in), "check_out", "check-out is before check-in")
    now = pa.scalar(now_utc.replace(tzinfo=None), pa.timestamp("s"))
    check.fail(
        pc.greater(check_in, pc.add(now, pa.scalar(timedelta(hours=1), pa.duration("s")))),
        "check_in",
        "check-in is in the future",
    )
    out["mrz"] = _check_mrz(check, out)
    out["purpose"] = pc.utf8_slice_codeunits(check.col("purpose"), 0, 100)
    out["room"] = pc.utf8_slice_codeunits(check.col("room"), 0, 20)
    out["check_in"] = check_in
    out["check_out"] = check_out
    late_after = pa.scalar(timedelta(hours=late_hours), pa.duration("s"))
    out["is_late"] = pc.fill_null(pc.greater(pc.subtract(now, check_in), late_after), False)
    out["dedup_key"] = pc.binary_join_element_wise(
        pc.cast(out["premises_id"], pa.string()),
        out["nationality"],
        out["passport_number"],
        pc.strftime(check_in, format="%Y-%m-%dT%H:%M"),
        "|",
    )
    return _finish(check, out)


def validate_employer(
    table: pa.Table,
    numbers: array,
    *,
    now_utc: datetime,
    premises_by_licence: dict[str, int] | None,
    default_premises: int | None,
    known_areas: set[str],
) -> Chunk:
    """Validate and normalise one chunk of employer reports."""
    check = _Checker(table, numbers)
    out = validate_identity(check, now_utc)
    _premises_column(check, out, premises_by_licence, default_premises)
    event = pc.utf8_lower(check.col("event"))
    check.fail(
        pc.invert(pc.is_in(event, pa.array(EMPLOYMENT_EVENTS))),
        "event",
        "use start, confirm, change, transfer or end",
    )
    date_raw = check.col("event_date")
    event_date = parse_dates(date_raw)
    check.fail(pc.is_null(event_date), "event_date", "not a date: use YYYY-MM-DD")
    position = check.col("position")
    check.fail(_empty(position), "position", "a position is required")
    area = check.col("work_area_code")
    check.fail(
        pc.and_(
            pc.invert(_empty(area)),
            pc.invert(pc.is_in(area, pa.array(sorted(known_areas), pa.string()))),
        ),
        "work_area_code",
        lambda i: f"unknown area code {area[i].as_py()!r}",
    )
    out.update(
        {
            "event": event,
            "event_date": event_date,
            "position": pc.utf8_slice_codeunits(position, 0, 150),
            "work_area_code": area,
            "work_plan_reference": pc.utf8_slice_codeunits(check.col("work_plan_reference"), 0, 60),
        }
    )
    out["dedup_key"] = pc.binary_join_element_wise(
        pc.cast(out["premises_id"], pa.string()),
        out["nationality"],
        out["passport_number"],
        event,
        pc.strftime(event_date, format="%Y-%m-%d"),
        "|",
    )
    return _finish(check, out)


def _premises_column(
    check: _Checker,
    out: dict[str, pa.Array],
    by_licence: dict[str, int] | None,
    default: int | None,
) -> None:
    licence = check.col("premises_licence")
    if by_licence is not None and "premises_licence" in check.table.column_names:
        ids = _lookup(by_licence)(licence)
        if default is not None:
            ids = pc.if_else(_empty(licence), pa.scalar(default, pa.int64()), ids)
        check.fail(
            pc.and_(pc.invert(_empty(licence)), pc.is_null(ids)),
            "premises_licence",
            lambda i: f"no approved premises has licence {licence[i].as_py()!r}",
        )
        check.fail(
            pc.and_(_empty(licence), pc.is_null(ids)),
            "premises_licence",
            "the premises licence is required",
        )
        out["premises_id"] = ids
    elif default is not None:
        out["premises_id"] = pa.array([default] * check.n, pa.int64())
    else:
        raise FileError("the file has no premises_licence column and no premises was chosen")


def _finish(check: _Checker, out: dict[str, pa.Array]) -> Chunk:
    good = pc.invert(check.bad)
    table = pa.table({name: pc.filter(values, good) for name, values in out.items()})
    rows = pc.filter(pa.array(check.numbers, pa.int64()), good)
    rejected = check.n - table.num_rows
    return Chunk(
        table=table,
        rows=rows,
        errors=check.errors,
        rejected=rejected,
        last_row=check.numbers[-1] if len(check.numbers) else 0,
    )


def now_utc() -> datetime:
    return datetime.now(tz=UTC)
