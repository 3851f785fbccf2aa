"""Ingest benchmark: accommodation reports through the real import path vs a raw bulk load.

    make bench-ingest ROWS=1000000                      # SQLite (temp file) when unset
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x make bench-ingest ROWS=1000000

Generates ROWS accommodation-report rows (CSV) and imports them with
``timpora.intake.importer`` into a fresh database. The measured path is the issue's: read,
validate, normalise, store the reports and add the stays; the importer records seconds per
phase (``ImportBatch.timings``) and the ``link`` phase (entity resolution: persons, travel
documents, match keys, review pairs; measured by ``bench/linkage.py`` and
``bench/resolve.py``) is left out of ``rows_per_s`` and printed on its own, with the end-to-end
time. In the same run the same file is loaded raw into a bare table (PostgreSQL ``COPY``,
SQLite ``executemany``): the floor of the last line. A second floor copies the stored report
and stay rows into empty tables with the same indexes and constraints: what this schema's
writes cost at least; a third copies them into tables with the columns only: what storing
these rows costs whatever the indexes. Prints a table and, last:

    ingest backend=<pg|sqlite> rows=N rows_per_s=X raw_rows_per_s=Y ratio=Y/X peak_rss_mb=Z
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from throwaway import drop_database, fresh_database  # noqa: E402


def _raw_load(path: Path, columns: list[str]) -> float:
    """The floor: the same file into a bare table of text columns, no checks, no indexes."""
    from django.db import connection, transaction

    column_sql = ", ".join(f"{c} text" for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_raw ({column_sql})")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                cursor.cursor.copy(
                    "COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy,
                path.open("rb") as fh,
            ):
                for block in iter(lambda: fh.read(1 << 20), b""):
                    copy.write(block)
        else:
            with path.open(encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                next(reader)
                placeholders = ", ".join(["%s"] * len(columns))
                while True:
                    rows = [row for _, row in zip(range(50_000), reader, strict=False)]
                    if not rows:
                        break
                    cursor.executemany(f"INSERT INTO bench_raw VALUES ({placeholders})", rows)
    return time.perf_counter() - start


def _schema_floor(*, indexes: bool = True) -> float:
    """A second floor: the rows the import stored, copied into empty tables with the same
    columns, indexes and constraints as the report and stay tables (``INSERT … SELECT``).

    No parsing, validation or linking: what writing these rows into this schema costs at
    least, whatever the import path does. With ``indexes=False`` (floor 3) the copies have
    the columns only: what writing the stored rows costs at all, whatever indexes a schema
    chose.
    """
    from django.db import connection, transaction

    tables = ("intake_accommodationreport", "registry_stay")
    prefix = "bench_" if indexes else "bench_bare_"
    copy = "INCLUDING ALL" if indexes else "INCLUDING DEFAULTS"
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE TABLE {prefix}{table} (LIKE {table} {copy})")
            else:  # SQLite: the stored table's own DDL under another name
                cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
                ddl = cursor.fetchone()[0].replace(f'"{table}"', f'"{prefix}{table}"', 1)
                cursor.execute(ddl)
                if indexes:
                    cursor.execute(
                        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                        "AND sql IS NOT NULL",
                        [table],
                    )
                    for (index_sql,) in cursor.fetchall():
                        cursor.execute(
                            index_sql.replace('" ON "', '_b" ON "', 1).replace(
                                f'"{table}"', f'"{prefix}{table}"', 1
                            )
                        )
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"INSERT INTO {prefix}{table} SELECT * FROM {table}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=int(os.environ.get("ROWS", 100_000)))
    parser.add_argument("--premises", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="timpora-ingest-"))
    url = fresh_database(os.environ.get("DATABASE_URL"), workdir, "_ingest_bench")
    os.environ["DATABASE_URL"] = url
    os.environ["TIMPORA_VAR_DIR"] = str(workdir / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timpora.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from timpora.areas.actions import load_areas
    from timpora.intake import actions, importer
    from timpora.intake.pipeline import ACCOMMODATION_COLUMNS
    from timpora.intake.sample import write_accommodation_csv

    call_command("migrate", verbosity=0)
    load_areas(settings.TIMPORA_WILAYAH_DIR)
    kelurahan = ["36.73.02.1007", "36.73.01.1001", "36.04.20.2001", "36.73.06.1001"]
    licences = []
    for i in range(args.premises):
        premises = actions.register_premises(
            kind="hotel",
            name=f"Bench Hotel {i}",
            licence_number=f"BENCH-{i:04d}",
            address=f"Jl. Bench {i}",
            area_code=kelurahan[i % len(kelurahan)],
            person_in_charge="Bench",
            username=f"bench{i}",
            password="bench-password-1",
        )
        actions.decide_premises(premises, approve=True, actor=None)
        licences.append(premises.licence_number)

    data = workdir / "reports.csv"
    t0 = time.perf_counter()
    write_accommodation_csv(data, args.rows, licences=licences)
    generate_s = time.perf_counter() - t0
    size_mb = data.stat().st_size / 1e6

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    batch = importer.start_import(kind="accommodation", path=data, actor=None)
    summary = importer.run_import(batch)
    import_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    raw_s = _raw_load(data, [c.name for c in ACCOMMODATION_COLUMNS])
    schema_s = _schema_floor()
    bare_s = _schema_floor(indexes=False)
    batch.refresh_from_db()
    phases = batch.timings
    link_s = phases.get("link", 0.0)
    measured_s = import_s - link_s
    backend = "pg" if connection.vendor == "postgresql" else "sqlite"
    rows_per_s = args.rows / measured_s
    raw_per_s = args.rows / raw_s
    print(f"file: {args.rows:,} rows, {size_mb:.0f} MB (generated in {generate_s:.1f} s)")
    print(f"{'path':<44}{'seconds':>10}{'rows/s':>14}")
    for phase in ("read", "validate", "store", "stays", "link"):
        if phase in phases:
            print(f"{'  phase ' + phase:<44}{phases[phase]:>10.2f}")
    end_to_end = f"{import_s:>10.2f}{args.rows / import_s:>14,.0f}"
    print(f"{'import end to end, linking included':<44}{end_to_end}")
    print(f"{'import: parse→stays, linking excluded':<44}{measured_s:>10.2f}{rows_per_s:>14,.0f}")
    print(f"{'raw bulk load (floor)':<44}{raw_s:>10.2f}{raw_per_s:>14,.0f}")
    schema_floor = f"{schema_s:>10.2f}{args.rows / schema_s:>14,.0f}"
    print(f"{'stored rows into same-schema tables (floor 2)':<44}{schema_floor}")
    bare_floor = f"{bare_s:>10.2f}{args.rows / bare_s:>14,.0f}"
    print(f"{'stored rows into tables without indexes (3)':<44}{bare_floor}")
    print(f"ratio to floor 2 (the tables' own indexes): {schema_s and measured_s / schema_s:.2f}")
    print(f"floor 3 against the raw load: {raw_s and bare_s / raw_s:.2f} times its time")
    print(f"summary: {summary.as_json()}")
    print(f"peak RSS {peak_mb:.0f} MB (before import {rss_before:.0f} MB)")
    if not args.keep:
        drop_database(url)
    print(
        f"ingest backend={backend} rows={args.rows} rows_per_s={rows_per_s:.0f} "
        f"raw_rows_per_s={raw_per_s:.0f} ratio={raw_per_s / rows_per_s:.2f} "
        f"peak_rss_mb={peak_mb:.0f}"
    )


if __name__ == "__main__":
    main()
