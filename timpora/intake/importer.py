"""Bulk import of report files: chunked, transactional, idempotent and resumable.

Each chunk of validated rows is written in ONE transaction together with its row errors and
the batch's progress (``last_line``). A crash or kill therefore loses at most the chunk in
flight, never half of it, and running the same file again resumes after the last committed
line. Rows are keyed (``dedup_key``: premises, nationality, passport, check-in), so importing
the same file twice, or overlapping files, stores each report once.

The write path is set-based SQL: the chunk goes into a staging table (PostgreSQL ``COPY``,
SQLite ``executemany``), one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` stores the reports,
and a few statements link them to registry persons (same nationality and passport number,
else entity resolution of the whole chunk at once: ``link_stage``) and add the stays.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.intake import pipeline
from timpora.intake.choices import ImportKind, ImportStatus, PremisesStatus
from timpora.intake.models import ImportBatch, ImportRowError, Premises
from timpora.lib.exports import to_csv
from timpora.lib.prefetch import prefetched
from timpora.registry.names import search_key

CHUNK_ROWS = 50_000
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def imports_dir() -> Path:
    path = settings.VAR_DIR / "private" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@transaction.atomic
def start_import(
    *, kind: str, path: Path, actor, premises: Premises | None = None, file_name: str | None = None
) -> ImportBatch:
    """Register a file for import, or return the unfinished batch of the same file (resume).

    The file is copied into private storage first, so the job does not depend on the upload
    or on the caller's file staying where it is.
    """
    if kind not in ImportKind.values:
        raise ValueError(f"unknown import kind {kind!r}")
    sha = file_sha256(path)
    unfinished = ImportBatch.objects.filter(
        kind=kind,
        sha256=sha,
        premises=premises,
        status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.FAILED],
    ).first()
    if unfinished is not None:
        return unfinished
    batch = ImportBatch.objects.create(
        kind=kind,
        premises=premises,
        sha256=sha,
        file_name=(file_name or path.name)[:255],
        file_path="",
        created_by=actor,
    )
    stored = imports_dir() / f"{batch.pk}-{sha[:12]}{path.suffix.lower()}"
    shutil.copyfile(path, stored)
    batch.file_path = str(stored)
    batch.save(update_fields=["file_path"])
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=batch,
        fields={"kind": kind, "file": batch.file_name, "sha256": sha},
    )
    return batch


def count_rows(path: Path) -> int:
    """Data rows in the file (lines minus the header), cheaply, for the progress bar."""
    with path.open("rb") as fh:
        magic = fh.read(4)
        if magic == b"PK\x03\x04":
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True)
            rows = max((workbook.worksheets[0].max_row or 1) - 1, 0)
            workbook.close()
            return rows
        fh.seek(0)
        lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 22), b""))
        fh.seek(-1, 2)
        if fh.read(1) != b"\n":
            lines += 1
    return max(lines - 1, 0)


class PhaseClock:
    """Seconds per import phase, summed over the chunks (``ImportBatch.timings``).

    The phases are ``validate`` (waiting for the next chunk to be read into Arrow, checked
    and normalised; mostly hidden behind the previous chunk's writes), ``store`` (staging,
    duplicates, the report rows), ``link`` (entity resolution: persons, travel documents,
    match keys, review pairs) and ``stays`` (the registry's stays and current areas). The
    ingest benchmark measures everything but ``link``, which the matching benchmark
    measures.
    """

    def __init__(self, initial: dict[str, float] | None = None):
        self.seconds: dict[str, float] = dict(initial or {})
        self._mark = time.perf_counter()

    def start(self) -> None:
        self._mark = time.perf_counter()

    def lap(self, phase: str) -> None:
        """Charge the time since the previous lap (or start) to ``phase``."""
        now = time.perf_counter()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - self._mark
        self._mark = now

    def as_dict(self) -> dict[str, float]:
        return {phase: round(value, 3) for phase, value in self.seconds.items()}


@dataclass
class Summary:
    rows: int
    imported: int
    duplicates: int
    rejected: int
    errors: str

    def as_json(self) -> str:
        return json.dumps(
            {
                "rows": self.rows,
                "imported": self.imported,
                "duplicates": self.duplicates,
                "rejected": self.rejected,
                "errors": self.errors,
            }
        )


def run_import(
    batch: ImportBatch,
    *,
    actor=None,
    progress: Callable[[ImportBatch], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Summary:
    """Import (or resume importing) a registered file; returns the summary."""
    path = Path(batch.file_path)
    spec = (
        pipeline.ACCOMMODATION_COLUMNS
        if batch.kind == ImportKind.ACCOMMODATION
        else pipeline.EMPLOYER_COLUMNS
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.RUNNING,
        started_at=batch.started_at or timezone.now(),
        total_rows=batch.total_rows or count_rows(path),
        message="",
    )
    batch.refresh_from_db()
    # A file for one premises uses it for every row; an office-wide file names the premises
    # of each row by licence number.
    by_licence = None
    if batch.premises_id is None:
        by_licence = dict(
            Premises.objects.filter(status=PremisesStatus.APPROVED).values_list(
                "licence_number", "id"
            )
        )
    known_areas: set[str] = set()
    if batch.kind == ImportKind.EMPLOYER:
        from timpora.areas.models import Area

        known_areas = set(Area.objects.values_list("code", flat=True))
    clock = PhaseClock(batch.timings)

    def validated_chunks() -> Iterator[tuple[pipeline.Chunk, list[pipeline.RowError], int]]:
        chunks = pipeline.iter_file(
            path,
            spec,
            chunk_rows=chunk_rows,
            skip_through=batch.last_line,
            max_bytes=settings.TIMPORA_IMPORT_MAX_MB * 1_000_000,
        )
        for table, numbers, parse_errors in chunks:
            now = pipeline.now_utc()
            if batch.kind == ImportKind.ACCOMMODATION:
                chunk = pipeline.validate_accommodation(
                    table,
                    numbers,
                    now_utc=now,
                    premises_by_licence=by_licence,
                    default_premises=batch.premises_id,
                    late_hours=settings.TIMPORA_REPORT_LATE_HOURS,
                )
            else:
                chunk = pipeline.validate_employer(
                    table,
                    numbers,
                    now_utc=now,
                    premises_by_licence=by_licence,
                    default_premises=batch.premises_id,
                    known_areas=known_areas,
                )
            last_line = max([chunk.last_row, *(e.row for e in parse_errors)])
            yield chunk, parse_errors + chunk.errors, last_line

    try:
        # The next chunk is read and validated (Arrow, in a worker thread) while the
        # database stores the current one: the two overlap on a machine with two cores.
        for chunk, errors, last_line in prefetched(validated_chunks(), name="import-prefetch"):
            clock.lap("validate")
            _commit_chunk(
                batch, chunk, errors, last_line, actor=actor or batch.created_by, clock=clock
            )
            batch.refresh_from_db()
            if progress:
                progress(batch)
            clock.start()
    except pipeline.FileError as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED, message=str(exc), finished_at=timezone.now()
        )
        batch.refresh_from_db()
        raise
    except BaseException as exc:
        # Anything else (including KeyboardInterrupt): committed chunks stay, the batch can
        # be resumed by importing the same file again.
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED, message=f"interrupted: {exc!r}"[:500]
        )
        raise
    errors_path = write_error_file(batch)
    ImportBatch.objects.filter(pk=batch.pk).update(
        timings=clock.as_dict(),
        status=ImportStatus.DONE,
        finished_at=timezone.now(),
        errors_path=str(errors_path),
        processed_rows=F("imported") + F("duplicates") + F("rejected"),
    )
    batch.refresh_from_db()
    record(
        AuditAction.CREATE,
        actor=actor or batch.created_by,
        obj=batch,
        fields={
            "imported": batch.imported,
            "duplicates": batch.duplicates,
            "rejected": batch.rejected,
        },
    )
    return summary_of(batch)


def summary_of(batch: ImportBatch) -> Summary:
    return Summary(
        rows=batch.imported + batch.duplicates + batch.rejected,
        imported=batch.imported,
        duplicates=batch.duplicates,
        rejected=batch.rejected,
        errors=batch.errors_path,
    )


def write_error_file(batch: ImportBatch) -> Path:
    """The downloadable error list: one line per problem (row, field, reason)."""
    path = imports_dir() / f"{batch.pk}-errors.csv"
    rows = (
        ImportRowError.objects.filter(batch=batch)
        .order_by("row", "id")
        .values_list("row", "field", "reason")
    )
    path.write_bytes(to_csv(["row", "field", "reason"], rows.iterator(chunk_size=5000)))
    return path


# --- the write path ----------------------------------------------------------------------

ACCOMMODATION_STAGE = [
    ("row_number", "integer"),
    ("premises_id", "bigint"),
    ("surname", "text"),
    ("given_names", "text"),
    ("full_name", "text"),
    ("name_key", "text"),
    ("name_search", "text"),
    ("sex", "text"),
    ("birth_date", "date"),
    ("place_of_birth", "text"),
    ("nationality", "text"),
    ("passport_number", "text"),
    ("passport_expiry", "date"),
    ("permit_category", "text"),
    ("permit_index", "text"),
    ("permit_number", "text"),
    ("permit_valid_until", "date"),
    ("purpose", "text"),
    ("room", "text"),
    ("check_in", "timestamptz"),
    ("check_out", "timestamptz"),
    ("is_late", "boolean"),
    ("dedup_key", "text"),
    ("mrz", "text"),
    ("verification_code", "text"),
]
EMPLOYER_STAGE = [
    ("row_number", "integer"),
    ("premises_id", "bigint"),
    ("surname", "text"),
    ("given_names", "text"),
    ("full_name", "text"),
    ("name_key", "text"),
    ("name_search", "text"),
    ("sex", "text"),
    ("birth_date", "date"),
    ("place_of_birth", "text"),
    ("nationality", "text"),
    ("passport_number", "text"),
    ("passport_expiry", "date"),
    ("permit_category", "text"),
    ("permit_index", "text"),
    ("permit_number", "text"),
    ("permit_valid_until", "date"),
    ("event", "text"),
    ("event_date", "date"),
    ("position", "text"),
    ("work_area_code", "text"),
    ("work_plan_reference", "text"),
    ("dedup_key", "text"),
]
IDENTITY = [
    "surname",
    "given_names",
    "full_name",
    "name_key",
    "sex",
    "birth_date",
    "place_of_birth",
    "nationality",
    "passport_number",
    "passport_expiry",
    "permit_category",
    "permit_index",
    "permit_number",
    "permit_valid_until",
]


def verification_codes(n: int) -> pa.Array:
    """Random, unguessable receipt codes (16 characters, ~80 bits)."""
    raw = secrets.token_bytes(16 * n)
    alphabet = _CODE_ALPHABET
    codes = ["".join(alphabet[b & 31] for b in raw[i * 16 : (i + 1) * 16]) for i in range(n)]
    return pa.array(codes, pa.string())


def _stage_table(chunk: pipeline.Chunk, columns: list[tuple[str, str]]) -> pa.Table:
    data = {"row_number": chunk.rows}
    for name, _kind in columns[1:]:
        if name == "verification_code":
            data[name] = verification_codes(chunk.table.num_rows)
        elif name == "name_search":
            data[name] = _name_search(chunk.table)
        else:
            data[name] = chunk.table[name]
    return pa.table(data)


def _name_search(table: pa.Table) -> pa.Array:
    """The registry's fuzzy-search key (``Person.name_search``) of each row's name, for the
    persons ``link_stage`` creates: computed once per distinct name (guests come back)."""
    surname, given, full = (
        pc.fill_null(table[c], "") for c in ("surname", "given_names", "full_name")
    )
    source = pc.if_else(
        pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(surname)), 0),
        full,
        pc.binary_join_element_wise(surname, given, " "),
    )
    distinct = pc.unique(source)
    keys = pa.array([search_key(name or "") for name in distinct.to_pylist()], pa.string())
    return pc.take(keys, pc.index_in(source, distinct))


def _commit_chunk(
    batch: ImportBatch,
    chunk: pipeline.Chunk,
    errors: list[pipeline.RowError],
    last_line: int,
    *,
    actor,
    clock: PhaseClock,
) -> None:
    is_accommodation = batch.kind == ImportKind.ACCOMMODATION
    columns = ACCOMMODATION_STAGE if is_accommodation else EMPLOYER_STAGE
    with transaction.atomic():
        inserted = 0
        if connection.vendor == "postgresql":
            # Foreign keys are checked at the end of each statement rather than all at once
            # at COMMIT, so each phase's time includes the checks of the rows it wrote.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if chunk.table.num_rows:
            stage = _stage_table(chunk, columns)
            _load_stage(stage, columns)
            if is_accommodation:
                inserted = _write_accommodation(batch, actor, clock=clock)
            else:
                inserted = _write_employer(batch, actor, clock=clock)
        rejected_rows = {e.row for e in errors}
        ImportRowError.objects.bulk_create(
            [
                ImportRowError(batch=batch, row=e.row, field=e.field[:40], reason=e.reason[:300])
                for e in errors
            ],
            batch_size=2000,
        )
        ImportBatch.objects.filter(pk=batch.pk).update(
            imported=F("imported") + inserted,
            duplicates=F("duplicates") + chunk.table.num_rows - inserted,
            rejected=F("rejected") + len(rejected_rows),
            processed_rows=F("processed_rows") + chunk.table.num_rows + len(rejected_rows),
            last_line=max(last_line, batch.last_line),
            timings=clock.as_dict(),
        )
    clock.lap("store")  # the commit


def _stage_name(columns) -> str:
    return (
        "intake_stage_accommodation" if columns is ACCOMMODATION_STAGE else "intake_stage_employer"
    )


def _load_stage(stage: pa.Table, columns: list[tuple[str, str]]) -> None:
    """Put a validated chunk into a temporary staging table (plus link columns)."""
    name = _stage_name(columns)
    column_sql = ", ".join(f"{n} {t}" for n, t in columns)
    column_sql += ", person_id bigint, is_new boolean"
    names = ", ".join(n for n, _ in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Bulk work: a crash loses at most the last commit, never part of one (atomicity
            # holds), so waiting for the WAL flush on each chunk buys nothing.
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {name} ({column_sql}) ON COMMIT DELETE ROWS"
            )
            buffer = io.BytesIO()
            pa_csv.write_csv(
                stage,
                buffer,
                write_options=pa_csv.WriteOptions(include_header=False, quoting_style="needed"),
            )
            with cursor.cursor.copy(f"COPY {name} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(buffer.getvalue())
            # Statistics of the join keys only: the linking statements' plans need them,
            # and the other two dozen columns would triple the ANALYZE.
            cursor.execute(f"ANALYZE {name} (row_number, nationality, passport_number)")
        else:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({column_sql})")
            cursor.execute(f"DELETE FROM {name}")
            values = [_sqlite_column(stage[n], t) for n, t in columns]
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {name} ({names}) VALUES ({placeholders})",
                list(zip(*values, strict=True)),
            )


def _sqlite_column(values: pa.ChunkedArray, kind: str) -> list:
    """Arrow column → Python values in Django's SQLite storage format (text dates)."""
    if kind == "date":
        return pc.strftime(values, format="%Y-%m-%d").to_pylist()
    if kind in ("timestamp", "timestamptz"):
        return pc.strftime(values, format="%Y-%m-%d %H:%M:%S").to_pylist()
    if kind == "boolean":
        return pc.cast(values, pa.int8()).to_pylist()
    return values.to_pylist()


def _local_date(column: str) -> str:
    """SQL for the WIB calendar date of a UTC timestamp column."""
    if connection.vendor == "postgresql":
        return f"({column} AT TIME ZONE 'Asia/Jakarta')::date"
    return f"date({column}, '+7 hours')"


def _drop_duplicates(cursor, stage: str, table: str) -> None:
    """Forget staged rows already stored (a re-import) or repeated within the chunk."""
    cursor.execute(
        f"DELETE FROM {stage} WHERE dedup_key IN (SELECT t.dedup_key FROM {table} t "
        f"JOIN {stage} s ON s.dedup_key = t.dedup_key)"
    )
    cursor.execute(
        f"DELETE FROM {stage} WHERE row_number NOT IN (SELECT MIN(row_number) "
        f"FROM {stage} GROUP BY dedup_key)"
    )


def _write_accommodation(
    batch: ImportBatch | None, actor, channel: str = "import", *, clock: PhaseClock | None = None
) -> int:
    """Store the staged accommodation reports, link them and add the stays; returns how many
    new reports were stored (the rest of the staged rows were duplicates)."""
    stage = "intake_stage_accommodation"
    identity = ", ".join(IDENTITY)
    s_identity = ", ".join(f"s.{c}" for c in IDENTITY)
    now = timezone.now()
    clock = clock or PhaseClock()
    with connection.cursor() as cursor:
        _drop_duplicates(cursor, stage, "intake_accommodationreport")
        clock.lap("store")
        link_stage(
            cursor,
            stage,
            day=_local_date("s.check_in"),
            source="import" if batch else "report",
            source_ref=f"import:{batch.pk}" if batch else "accommodation report",
            actor=actor,
        )
        clock.lap("link")
        cursor.execute(
            f"INSERT INTO intake_accommodationreport (province_code, kabkota_code, "
            f"kecamatan_code, kelurahan_code, {identity}, person_id, premises_id, purpose, "
            "room, check_in, check_out, reported_at, is_late, verification_code, channel, "
            "batch_id, row_number, dedup_key, mrz, passport_scan, created_by_id) "
            f"SELECT p.province_code, p.kabkota_code, p.kecamatan_code, p.kelurahan_code, "
            f"{s_identity}, s.person_id, s.premises_id, s.purpose, s.room, s.check_in, "
            "s.check_out, %s, s.is_late, s.verification_code, %s, %s, s.row_number, "
            f"s.dedup_key, s.mrz, '', %s FROM {stage} s JOIN intake_premises p "
            "ON p.id = s.premises_id WHERE 1 = 1 ON CONFLICT (dedup_key) DO NOTHING",
            [now, channel, batch.pk if batch else None, actor.pk if actor else None],
        )
        inserted = cursor.rowcount
        clock.lap("store")
        cursor.execute(
            "INSERT INTO registry_stay (person_id, province_code, kabkota_code, kecamatan_code, "
            "kelurahan_code, address, lon, lat, date_from, date_to, source, source_ref, "
            "created_at) SELECT s.person_id, p.province_code, p.kabkota_code, p.kecamatan_code, "
            f"p.kelurahan_code, p.address, NULL, NULL, {_local_date('s.check_in')}, "
            f"{_local_date('s.check_out')}, 'accommodation', "
            f"'accommodation:' || s.verification_code, %s FROM {stage} s "
            "JOIN intake_premises p ON p.id = s.premises_id",
            [now],
        )
        _move_current_area(cursor, stage)
        _announce(cursor, stage)
        clock.lap("stays")
    return inserted


def _announce(cursor, stage: str) -> None:
    """Tell other apps (early detection) which persons the stored reports are about."""
    from timpora.intake.signals import reports_stored

    cursor.execute(f"SELECT DISTINCT person_id FROM {stage} WHERE person_id IS NOT NULL")
    person_ids = [row[0] for row in cursor.fetchall()]
    if person_ids:
        reports_stored.send(sender=stage, person_ids=person_ids)


def _move_current_area(cursor, stage: str) -> None:
    """Persons whose new stay is later than their current one now live there.

    New persons got their area when they were created, so only returning guests are
    updated: no scan of the stays, no rewrite of unchanged person rows.
    """
    day = _local_date("s.check_in")
    latest = f"SELECT s.person_id, MAX({day}) AS day FROM {stage} s GROUP BY s.person_id"
    cursor.execute(
        "UPDATE registry_person SET province_code = p.province_code, "
        "kabkota_code = p.kabkota_code, kecamatan_code = p.kecamatan_code, "
        "kelurahan_code = p.kelurahan_code, current_stay_from = l.day "
        f"FROM ({latest}) l, {stage} s, intake_premises p "
        f"WHERE registry_person.id = l.person_id AND s.person_id = l.person_id "
        f"AND {day} = l.day AND p.id = s.premises_id "
        "AND (registry_person.current_stay_from IS NULL "
        "OR l.day > registry_person.current_stay_from)"
    )


def _write_employer(batch: ImportBatch | None, actor, *, clock: PhaseClock | None = None) -> int:
    stage = "intake_stage_employer"
    identity = ", ".join(IDENTITY)
    s_identity = ", ".join(f"s.{c}" for c in IDENTITY)
    level = (
        "CASE WHEN s.work_area_code = '' THEN p.{col} "
        "WHEN length(s.work_area_code) >= {n} THEN substr(s.work_area_code, 1, {n}) "
        "ELSE '' END"
    )
    clock = clock or PhaseClock()
    with connection.cursor() as cursor:
        _drop_duplicates(cursor, stage, "intake_employerreport")
        clock.lap("store")
        link_stage(
            cursor,
            stage,
            day="s.event_date",
            with_area=False,
            source="import" if batch else "report",
            source_ref=f"import:{batch.pk}" if batch else "employer report",
            actor=actor,
        )
        clock.lap("link")
        cursor.execute(
            f"INSERT INTO intake_employerreport (province_code, kabkota_code, kecamatan_code, "
            f"kelurahan_code, {identity}, person_id, premises_id, event, event_date, position, "
            "work_plan_reference, reported_at, channel, batch_id, row_number, dedup_key, "
            f"created_by_id) SELECT {level.format(col='province_code', n=2)}, "
            f"{level.format(col='kabkota_code', n=5)}, "
            f"{level.format(col='kecamatan_code', n=8)}, "
            f"{level.format(col='kelurahan_code', n=13)}, "
            f"{s_identity}, s.person_id, s.premises_id, s.event, s.event_date, s.position, "
            "s.work_plan_reference, %s, %s, %s, s.row_number, s.dedup_key, %s "
            f"FROM {stage} s JOIN intake_premises p ON p.id = s.premises_id "
            "WHERE 1 = 1 ON CONFLICT (dedup_key) DO NOTHING",
            [
                timezone.now(),
                "import" if batch else "form",
                batch.pk if batch else None,
                actor.pk if actor else None,
            ],
        )
        inserted = cursor.rowcount
        _announce(cursor, stage)
        clock.lap("store")
        return inserted


def link_stage(
    cursor,
    stage: str,
    *,
    day: str,
    with_area: bool = True,
    source: str = "import",
    source_ref: str = "",
    actor=None,
) -> None:
    """Give every staged row a registry person: the holder of the same passport (nationality
    + number); else the person entity resolution finds at or above the auto threshold
    (``timpora.matching.batch``, all rows scored at once); else a new person with that travel
    document, queued for review with its candidate when the score lies between the
    thresholds.

    Person ids are allocated in one block so persons, documents and match keys are inserted
    set-based.
    """
    from django.conf import settings as conf

    from timpora.matching import batch as matching

    now = timezone.now()
    cursor.execute(
        f"UPDATE {stage} SET person_id = d.person_id, is_new = false "
        "FROM registry_traveldocument d WHERE d.issuing_state = "
        f"{stage}.nationality AND d.number = {stage}.passport_number"
    )
    resolved = matching.link_staged(
        cursor,
        stage,
        auto=conf.TIMPORA_MATCH_AUTO_THRESHOLD,
        review=conf.TIMPORA_MATCH_REVIEW_THRESHOLD,
    )
    if connection.vendor == "postgresql":
        cursor.execute("LOCK TABLE registry_person IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM registry_person")
    base = cursor.fetchone()[0]
    cursor.execute("DROP TABLE IF EXISTS intake_link_new")
    cursor.execute(
        "CREATE TEMP TABLE intake_link_new AS SELECT ROW_NUMBER() OVER (ORDER BY first_row) "
        "AS n, first_row, nationality, passport_number FROM (SELECT MIN(row_number) AS "
        f"first_row, nationality, passport_number FROM {stage} WHERE person_id IS NULL "
        "GROUP BY nationality, passport_number) k"
    )
    area = (
        "p.province_code, p.kabkota_code, p.kecamatan_code, p.kelurahan_code, " + day
        if with_area
        else "'', '', '', '', NULL"
    )
    cursor.execute(
        "INSERT INTO registry_person (id, province_code, kabkota_code, kecamatan_code, "
        "kelurahan_code, current_stay_from, surname, given_names, full_name, name_key, "
        "name_search, sex, "
        "birth_date, birth_date_precision, place_of_birth, nationality, photo, "
        "current_permit_category, current_permit_valid_until, created_at, updated_at) "
        f"SELECT %s + l.n, {area}, s.surname, s.given_names, s.full_name, s.name_key, "
        "s.name_search, s.sex, "
        "s.birth_date, CASE WHEN s.birth_date IS NULL THEN 'unknown' ELSE 'day' END, "
        "s.place_of_birth, s.nationality, '', '', NULL, %s, %s FROM intake_link_new l "
        f"JOIN {stage} s ON s.row_number = l.first_row "
        "JOIN intake_premises p ON p.id = s.premises_id",
        [base, now, now],
    )
    cursor.execute(
        "INSERT INTO registry_traveldocument (person_id, doc_type, number, issuing_state, "
        "issue_date, expiry_date, mrz, created_at) SELECT %s + l.n, 'P', l.passport_number, "
        f"l.nationality, NULL, s.passport_expiry, '', %s FROM intake_link_new l JOIN {stage} s "
        "ON s.row_number = l.first_row",
        [base, now],
    )
    cursor.execute(
        f"UPDATE {stage} SET person_id = %s + l.n, is_new = true FROM intake_link_new l "
        f"WHERE l.nationality = {stage}.nationality "
        f"AND l.passport_number = {stage}.passport_number AND {stage}.person_id IS NULL",
        [base],
    )
    matching.key_new_persons(cursor, base)
    matching.queue_review_pairs(
        cursor, stage, resolved, source=source, source_ref=source_ref, actor=actor
    )
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('registry_person', 'id'), "
            "GREATEST((SELECT MAX(id) FROM registry_person), 1))"
        )
