"""Bulk loading of the synthetic population (``timpora.registry.synth``) into the registry.

The demo needs a few thousand persons and the benchmarks a million, loaded in minutes: rows
are written straight into the tables — ``COPY ... FROM STDIN`` on PostgreSQL, ``executemany``
on SQLite — one transaction per batch, with ids reserved up front so that nothing has to be
read back. The generator already computes the persons' denormalised "current" columns, so no
UPDATE pass follows (``actions.refresh_current`` would find nothing to change).

This bypasses the validating actions on purpose: the rows are generated to be valid (tests
hold them to the same rules), and one audit record covers the whole load.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from timpora.areas.models import Area
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.lib.prefetch import prefetched
from timpora.registry import synth
from timpora.registry.choices import SponsorKind
from timpora.registry.models import PermitIndex, Sponsor
from timpora.registry.status import today_in_jakarta

logger = logging.getLogger(__name__)

SOURCE = "synthetic demo data"
POINTS_PER_VILLAGE = 48
# Columns the generator leaves to the loader (Django fills them, but COPY bypasses Django).
_EXTRA_COLUMNS = {
    "registry_person": ("photo", "created_at", "updated_at"),
}


@dataclass
class LoadResult:
    """What a load wrote: rows per table and the time it took."""

    persons: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    first_person_id: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def villages() -> list[synth.Village]:
    """The kelurahan/desa of Kota and Kabupaten Serang, each with points inside its boundary
    (so stays land inside their own village on a map), from the loaded areas."""
    from shapely import contains_xy
    from shapely.geometry import shape

    found = []
    areas = Area.objects.filter(level__in=("kelurahan", "desa")).filter(
        code__regex=r"^36\.(73|04)\.[0-9]{2}\.[0-9]{4}$"
    )
    for area in areas.order_by("code"):
        points: tuple[tuple[float, float], ...] = ()
        if area.geometry:
            geom = shape(json.loads(area.geometry))
            rng = np.random.default_rng(zlib.crc32(area.code.encode()))
            min_x, min_y, max_x, max_y = geom.bounds
            xs = rng.uniform(min_x, max_x, POINTS_PER_VILLAGE * 20)
            ys = rng.uniform(min_y, max_y, POINTS_PER_VILLAGE * 20)
            inside = contains_xy(geom, xs, ys)
            points = tuple(
                zip(
                    xs[inside][:POINTS_PER_VILLAGE].tolist(),
                    ys[inside][:POINTS_PER_VILLAGE].tolist(),
                    strict=True,
                )
            )
            if not points and area.centroid_lon is not None:
                points = ((area.centroid_lon, area.centroid_lat),)
        found.append(synth.Village(area.code, area.name, points))
    if not found:
        raise RuntimeError("areas are not loaded: run `timpora areas load` first")
    return found


@transaction.atomic
def ensure_companies(places: Sequence[synth.Village]) -> list[synth.Company]:
    """The fictional industrial-estate companies as sponsors, created once (found by NIB)."""
    specs = {spec.nib: spec for spec in synth.COMPANIES}
    existing = dict(
        Sponsor.objects.filter(kind=SponsorKind.COMPANY, nib__in=specs).values_list("nib", "id")
    )
    for nib, spec in specs.items():
        if nib in existing:
            continue
        row = synth.company_row(spec, 0, places)
        values = dict(zip(synth.SPONSOR_COLUMNS[1:], row[1:], strict=True))
        existing[nib] = Sponsor.objects.create(**values).pk
    return [
        synth.Company(existing[spec.nib], spec, synth.company_village(spec, places))
        for spec in synth.COMPANIES
    ]


# --------------------------------------------------------------------------- ids


def _reserve_ids(table: str, count: int) -> tuple[int, int]:
    """Reserve ``count`` ids of ``table`` past every id in use; returns (first, last).

    The table's id generator is moved past the range first, so a concurrent insert through
    Django takes an id after it instead of colliding with the load.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        in_use = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            last, called = cursor.fetchone()
            base = max(in_use, last if called else last - 1)
            cursor.execute("SELECT setval(%s, %s)", [sequence, base + count])
        else:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            base = max(in_use, row[0] if row else 0)
            if row:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [base + count, table]
                )
            else:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, base + count]
                )
    return base + 1, base + count


def _release_ids(table: str, reserved_last: int) -> None:
    """Give back the unused end of a reservation, unless someone took an id after it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        in_use = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute(f"SELECT last_value FROM {sequence}")
            if cursor.fetchone()[0] == reserved_last:
                cursor.execute("SELECT setval(%s, %s, %s)", [sequence, max(in_use, 1), in_use > 0])
        else:
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = %s WHERE name = %s AND seq = %s",
                [in_use, table, reserved_last],
            )


# --------------------------------------------------------------------------- big loads


@contextmanager
def _without_secondary_indexes(tables: Sequence[str]) -> Iterator[None]:
    """Drop the tables' secondary indexes (and on PostgreSQL their foreign keys) for the
    duration of a load, then rebuild them: a sorted build of a million entries is many times
    faster than a million inserts into it (PostgreSQL manual, "Populating a Database").

    Only for a database nobody else uses meanwhile (the benchmarks, a first demo load):
    other sessions would see the tables without indexes and without foreign keys. Primary
    keys and unique constraints stay, so duplicates are still refused during the load.
    """
    recreate: list[str] = []
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c WHERE c.contype = 'f' "
                "AND c.conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
                [list(tables)],
            )
            for table, name, definition in cursor.fetchall():
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                recreate.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = ANY(%s::regclass[]) AND NOT x.indisprimary "
                "AND NOT x.indisunique ORDER BY 1",
                [list(tables)],
            )
            indexes = cursor.fetchall()
        else:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({marks}) ORDER BY name",
                list(tables),
            )
            indexes = cursor.fetchall()
        for name, definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
            recreate.insert(0, definition)  # indexes before foreign keys: validation uses them
    try:
        yield
    finally:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for statement in recreate:
                cursor.execute(statement)
        logger.info(
            "rebuilt %s indexes and keys in %.1f s", len(recreate), time.perf_counter() - started
        )


# --------------------------------------------------------------------------- writing


def _write(table: str, rows: list[tuple], extra: tuple) -> None:
    """Insert rows (``synth.COLUMNS[table]`` plus the ``extra`` constant columns)."""
    if not rows:
        return
    columns = ", ".join((*synth.COLUMNS[table], *_EXTRA_COLUMNS.get(table, ("created_at",))))
    raw = connection.connection  # the DB-API connection, inside Django's transaction
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row + extra)
    else:
        marks = ", ".join("?" * (len(rows[0]) + len(extra)))
        raw.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",
            [row + extra for row in rows],
        )


@contextmanager
def _load_settings() -> Iterator[None]:
    """Session settings for a big write: SQLite gets a 256 MB page cache, so that index pages
    stay in memory instead of being re-read for every row."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def load(
    persons: int,
    *,
    today: date | None = None,
    seed: int = synth.DEFAULT_SEED,
    start: int = 0,
    scenarios: Sequence[synth.Scenario] = (),
    batch_size: int = synth.DEFAULT_BATCH,
    progress: bool | None = None,
    actor=None,
    rebuild_indexes: bool = False,
) -> LoadResult:
    """Generate and insert ``persons`` synthetic persons with their documents, permits,
    extensions, stays, sponsors and jobs; one transaction per batch, one audit record.

    ``start`` continues the synthetic sequence of an earlier load (the demo adds missing
    persons); ``scenarios`` fixes the first persons' places and permit status;
    ``rebuild_indexes`` drops and rebuilds the secondary indexes around the load (see
    ``_without_secondary_indexes``: only when nobody else uses the database).
    """
    started = time.perf_counter()
    result = LoadResult(persons=persons, rows=dict.fromkeys(synth.TABLE_ORDER, 0))
    if persons <= 0:
        return result
    connection.ensure_connection()
    places = villages()
    companies = ensure_companies(places)
    index_ids = dict(PermitIndex.objects.values_list("code", "id"))
    reserved = {
        table: _reserve_ids(table, per_person * persons)
        for table, per_person in synth.MAX_ROWS_PER_PERSON.items()
    }
    setup = synth.Setup(
        villages=places,
        companies=companies,
        index_ids=index_ids,
        first_ids={table: first for table, (first, _) in reserved.items()},
        today=today or today_in_jakarta(),
        seed=seed,
        start=start,
        batch_size=batch_size,
        scenarios=scenarios,
    )
    result.first_person_id = reserved["registry_person"][0]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    extras = {table: (now,) for table in synth.TABLE_ORDER}
    extras["registry_person"] = ("", now, now)
    audit = {
        "persons": persons,
        "source": SOURCE,
        "seed": seed,
        "start": start,
        "first_id": result.first_person_id,
    }
    bar = _progress_bar(persons, progress)
    rebuilding = _without_secondary_indexes if rebuild_indexes else (lambda _: nullcontext())
    try:
        with _load_settings(), rebuilding(synth.TABLE_ORDER):
            for batch in prefetched(synth.generate(persons, setup), name="synth-generator"):
                for table in synth.TABLE_ORDER:
                    rows = batch.rows[table]
                    if rows and rows[-1][0] > reserved[table][1]:
                        raise RuntimeError(f"{table}: more rows than ids reserved")
                with transaction.atomic():
                    for table in synth.TABLE_ORDER:
                        _write(table, batch.rows[table], extras[table])
                        result.rows[table] += len(batch.rows[table])
                    if result.rows["registry_person"] == persons:
                        # The audit record commits with the last batch: a load that fails
                        # half way leaves no record claiming that it finished.
                        record(
                            AuditAction.CREATE,
                            actor=actor,
                            object_type="registry.person",
                            object_repr=f"{persons} synthetic persons",
                            fields=audit,
                        )
                if bar is not None:
                    bar.update(batch.persons)
    finally:
        if bar is not None:
            bar.close()
        for table, (_, last) in reserved.items():
            _release_ids(table, last)
    # Entity resolution finds persons through their match keys: computed set-based for the
    # whole load (each distinct name once), like a ``timpora match rebuild-keys``.
    from timpora.matching.keys import rebuild_keys

    rebuild_keys(result.first_person_id, result.first_person_id + persons - 1)
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner searches a million rows as if the tables were
        # empty; and a visibility map (VACUUM), without which the region-scope checks read
        # the stays' heap instead of answering from the (kecamatan_code, person) index:
        # 1.3 s instead of 40 ms for a Kasemen-scoped list of a million persons. VACUUM cannot
        # run inside a transaction (tests load inside one): there, statistics only.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {', '.join(synth.TABLE_ORDER)}")
    result.seconds = time.perf_counter() - started
    logger.info(
        "loaded %s synthetic persons (%s rows) in %.1f s",
        persons,
        result.total_rows,
        result.seconds,
    )
    return result


def _progress_bar(total: int, progress: bool | None):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit=" persons", file=sys.stderr, desc="registry")
