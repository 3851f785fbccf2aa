"""Registry benchmark: bulk loading the synthetic population, and searching it.

    make bench-registry                         # a million persons; SQLite temp file when unset
    make bench-registry PERSONS=100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x make bench-registry

Creates a fresh database (a temp SQLite file, or ``<name>_registry_bench`` on PostgreSQL,
dropped at the end), migrates it and loads the areas, then:

(a) loads N synthetic persons through ``timpora.registry.bulk`` (documents, permits,
    extensions, stays, sponsors, jobs) and, as the floor, the same persons' rows raw into a
    bare table (PostgreSQL ``COPY``, SQLite ``executemany``; no indexes, no keys);
(b) after ANALYZE, times the registry list as a user sees it — ``queries.search_persons``,
    first page of 50 sorted by name, and the list's capped count — as an office-wide officer
    and as a police member scoped to Kasemen, next to hand-written SQL for the same result.

Prints a table and, last:

    registry persons=N load_rows_per_s=X raw_rows_per_s=Y load_ratio=Y/X search_p95_ms=Z
    search_floor_p95_ms=W

(``search_p95_ms`` is the slowest search's p95; ``search_floor_p95_ms`` the slowest floor's.)
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from throwaway import drop_database, fresh_database  # noqa: E402

KASEMEN = "36.73.02"


def _users():
    """An office-wide officer and a police member whose scope is kecamatan Kasemen."""
    from timpora.accounts.actions import create_agency, create_user
    from timpora.accounts.choices import AgencyType, Role
    from timpora.areas.models import Area

    office = create_agency(name="Bench immigration office", agency_type=AgencyType.IMMIGRATION)
    police = create_agency(name="Bench Polsek Kasemen", agency_type=AgencyType.POLICE)
    officer = create_user(username="bench_officer", password=None, role=Role.OFFICER, agency=office)
    scoped = create_user(
        username="bench_police_kasemen",
        password=None,
        role=Role.TEAM_MEMBER,
        agency=police,
        scope_area=Area.objects.get(code=KASEMEN),
    )
    return officer, scoped


def _raw_load(persons: int, result, setup_kwargs: dict) -> tuple[float, float]:
    """The floor: the same persons' rows into a bare copy of the table (no index, no key).
    Returns (seconds inserting, seconds generating)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from timpora.registry import synth

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_person_raw AS SELECT * FROM registry_person WHERE 1 = 0")
    columns = ", ".join((*synth.PERSON_COLUMNS, "photo", "created_at", "updated_at"))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    extra = ("", now, now)
    first_ids = dict.fromkeys(synth.TABLE_ORDER, 1)
    first_ids["registry_person"] = result.first_person_id
    setup = synth.Setup(first_ids=first_ids, **setup_kwargs)
    insert_s = 0.0
    started = time.perf_counter()
    for batch in synth.generate(persons, setup):
        rows = batch.rows["registry_person"]
        t0 = time.perf_counter()
        with transaction.atomic():
            raw = connection.connection
            if connection.vendor == "postgresql":
                with (
                    raw.cursor() as cur,
                    cur.copy(f"COPY bench_person_raw ({columns}) FROM STDIN") as copy,
                ):
                    for row in rows:
                        copy.write_row(row + extra)
            else:
                marks = ", ".join("?" * (len(rows[0]) + len(extra)))
                raw.executemany(
                    f"INSERT INTO bench_person_raw ({columns}) VALUES ({marks})",
                    [row + extra for row in rows],
                )
        insert_s += time.perf_counter() - t0
    return insert_s, time.perf_counter() - started - insert_s


def _name_floor(text: str) -> tuple[str, list, str, list]:
    """Hand-written SQL of a name search: where-clause, params, relevance order, params.

    The same rule as ``search_persons`` (typed words in ``name_key``, or each canonical
    token or its sound in ``name_search``, or the whole name in any order), written out."""
    from timpora.registry.names import parse_query

    q = parse_query(text)
    typed = " AND ".join(["p.name_key LIKE %s"] * len(q.folded))
    typed_params = [f"%{w}%" for w in q.folded]
    tokens, token_params, ranks, rank_params = [], [], [], []
    for token, sound in zip(q.tokens, q.sounds, strict=True):
        if sound:
            tokens.append("(p.name_search LIKE %s OR p.name_search LIKE %s)")
            token_params += [f"% {token} %", f"% ~{sound} %"]
            ranks.append(
                "CASE WHEN p.name_search LIKE %s THEN 0 WHEN p.name_search LIKE %s THEN 1 "
                "ELSE 2 END"
            )
            rank_params += [f"% {token} %", f"% ~{sound} %"]
        else:
            tokens.append("p.name_search LIKE %s")
            token_params.append(f"% {token} %")
            ranks.append("CASE WHEN p.name_search LIKE %s THEN 0 ELSE 2 END")
            rank_params.append(f"% {token} %")
    where = f"(({typed}) OR ({' AND '.join(tokens)}) OR p.name_search LIKE %s)"
    params = [*typed_params, *token_params, f"% @{q.cycle_key} %"]
    order = (
        "CASE WHEN p.name_search LIKE %s OR p.name_search LIKE %s THEN 0 "
        f"ELSE 10 + {' + '.join(ranks)} END, p.name_key, p.id"
    )
    order_params = [f" {q.sorted_key} |%", f"% @{q.cycle_key} %", *rank_params]
    return where, params, order, order_params


def _searches(today):
    """(label, PersonFilter, floor SQL where-clause, floor params, floor ORDER BY, its
    params) of the typical searches.

    The floor is the best hand-written SQL for the same rows, not a copy of the ORM's."""
    from timpora.registry.queries import PersonFilter

    horizon = today + timedelta(days=30)
    by_name = ("p.name_key, p.id", [])
    return [
        ("name token 'wang'", PersonFilter(name="wang"), *_name_floor("wang")),
        (
            "name 'wang', sorted by name",
            PersonFilter(name="wang", sort="name"),
            *_name_floor("wang")[:2],
            *by_name,
        ),
        ("name 'wang wei'", PersonFilter(name="wang wei"), *_name_floor("wang wei")),
        (
            "name 'Mohamed Al Ghamdi' (fuzzy)",
            PersonFilter(name="Mohamed Al Ghamdi"),
            *_name_floor("Mohamed Al Ghamdi"),
        ),
        (
            "passport prefix 'E123'",
            PersonFilter(passport_number="E123"),
            # Numbers are stored upper-case without punctuation: a prefix is a range.
            "p.id IN (SELECT d.person_id FROM registry_traveldocument d "
            "WHERE d.number >= %s AND d.number < %s)",
            ["E123", "E124"],
            *by_name,
        ),
        (
            "nationality CHN + Kasemen",
            PersonFilter(nationality="CHN", area=KASEMEN),
            "p.nationality = %s AND p.kecamatan_code = %s",
            ["CHN", KASEMEN],
            *by_name,
        ),
        (
            "expiring ≤30 d in Kasemen",
            PersonFilter(area=KASEMEN, permit_status="expiring"),
            "p.kecamatan_code = %s AND p.current_permit_valid_until BETWEEN %s AND %s",
            [KASEMEN, today, horizon],
            *by_name,
        ),
        ("all, sorted by name", PersonFilter(), "1 = 1", [], *by_name),
    ]


def _time(fn, runs: int) -> tuple[float, float, object]:
    fn()  # warm the cache: we measure searching, not reading the disk for the first time
    times = []
    value = None
    for _ in range(runs):
        t0 = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=int(os.environ.get("PERSONS", 100_000)))
    parser.add_argument("--runs", type=int, default=20, help="timed runs per search")
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="insert into the live indexes instead of rebuilding them after the load",
    )
    parser.add_argument("--explain", action="store_true", help="print the search plans")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="timpora-registry-"))
    url = fresh_database(os.environ.get("DATABASE_URL"), workdir, "_registry_bench")
    os.environ["DATABASE_URL"] = url
    os.environ["TIMPORA_VAR_DIR"] = str(workdir / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timpora.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from timpora.areas.actions import load_areas
    from timpora.registry import bulk
    from timpora.registry.queries import search_persons
    from timpora.registry.status import today_in_jakarta
    from timpora.registry.views import COUNT_CAP, LIST_FIELDS, PAGE_SIZE, CappedPaginator

    backend = "pg" if connection.vendor == "postgresql" else "sqlite"
    try:
        call_command("migrate", verbosity=0)
        load_areas(settings.TIMPORA_WILAYAH_DIR)
        officer, scoped = _users()
        today = today_in_jakarta()

        # (a) loading ---------------------------------------------------------------------
        result = bulk.load(
            args.persons, today=today, progress=None, rebuild_indexes=not args.incremental
        )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        places = bulk.villages()
        setup_kwargs = {
            "villages": places,
            "companies": bulk.ensure_companies(places),
            "index_ids": {},
            "today": today,
        }
        raw_s, generate_s = _raw_load(args.persons, result, setup_kwargs)
        load_rows_per_s = result.total_rows / result.seconds
        raw_rows_per_s = args.persons / raw_s
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        # (b) searching -------------------------------------------------------------------
        fields = ", ".join(f"p.{f}" for f in LIST_FIELDS)
        scope_sql = (
            "EXISTS (SELECT 1 FROM registry_stay s WHERE s.person_id = p.id "
            "AND s.kecamatan_code = %s)"
        )
        rows = []
        for label, flt, where, params, order, order_params in _searches(today):
            for who, user in (("officer", officer), ("police Kasemen", scoped)):
                qs = search_persons(user, flt, today=today).only(*LIST_FIELDS)

                def orm(qs=qs):
                    # As the list view does it: a page, and the paginator's capped count.
                    page = list(qs[:PAGE_SIZE])
                    return len(page), CappedPaginator(qs, PAGE_SIZE)._bounded_count

                clause, values = where, list(params)
                if user is scoped:
                    clause, values = f"{where} AND {scope_sql}", [*params, KASEMEN]
                page_sql = (
                    f"SELECT {fields} FROM registry_person p WHERE {clause} "
                    f"ORDER BY {order} LIMIT {PAGE_SIZE}"
                )
                count_sql = (
                    f"SELECT COUNT(*) FROM (SELECT 1 FROM registry_person p WHERE {clause} "
                    f"LIMIT {COUNT_CAP + 1}) t"
                )

                def floor(
                    page_sql=page_sql, count_sql=count_sql, values=values, extra=order_params
                ):
                    with connection.cursor() as cursor:
                        cursor.execute(page_sql, [*values, *extra])
                        page = cursor.fetchall()
                        cursor.execute(count_sql, values)
                        return len(page), cursor.fetchone()[0]

                orm_p50, orm_p95, (page_n, count) = _time(orm, args.runs)
                sql_p50, sql_p95, floor_value = _time(floor, args.runs)
                if floor_value != (page_n, count):
                    print(f"!! {label} / {who}: ORM {page_n, count} != SQL {floor_value}")
                rows.append((label, who, count, orm_p50, orm_p95, sql_p50, sql_p95))
                if args.explain:
                    print(
                        f"--- {label} / {who}\n{qs[:PAGE_SIZE].query}\n{qs[:PAGE_SIZE].explain()}"
                    )
                    count_qs = qs.order_by()[: COUNT_CAP + 1]
                    with connection.cursor() as cursor:
                        sql, sql_params = count_qs.query.get_compiler(using="default").as_sql()
                        explain = "EXPLAIN QUERY PLAN" if backend == "sqlite" else "EXPLAIN"
                        cursor.execute(f"{explain} SELECT COUNT(*) FROM ({sql}) t", sql_params)
                        print("count:\n" + "\n".join(str(r[-1]) for r in cursor.fetchall()))
    finally:
        if not args.keep:
            drop_database(url)

    print(
        f"\nregistry benchmark, backend {backend}, {args.persons:,} persons, {os.cpu_count()} CPUs"
    )
    print(f"{'table':<28}{'rows':>12}")
    for table, count in result.rows.items():
        print(f"{table:<28}{count:>12,}")
    print(f"{'total':<28}{result.total_rows:>12,}\n")
    mode = "incremental" if args.incremental else "indexes rebuilt after"
    print(f"{'load path':<42}{'seconds':>9}{'rows/s':>12}")
    label = f"bulk.load, all tables ({mode})"
    print(f"{label:<42}{result.seconds:>9.1f}{load_rows_per_s:>12,.0f}")
    print(f"{'raw person rows into a bare table':<42}{raw_s:>9.1f}{raw_rows_per_s:>12,.0f}")
    gen_rate = result.total_rows / generate_s
    print(f"{'(generating alone, all tables)':<42}{generate_s:>9.1f}{gen_rate:>12,.0f}")
    print(f"peak RSS {peak_mb:.0f} MB\n")
    print(
        f"{'search (page of 50 + count ≤' + str(COUNT_CAP) + ')':<34}{'user':<16}{'rows':>8}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'SQL p50':>9}{'SQL p95':>9}"
    )
    for label, who, count, o50, o95, s50, s95 in rows:
        shown = f"{count:,}" if count <= COUNT_CAP else f">{COUNT_CAP:,}"
        print(f"{label:<34}{who:<16}{shown:>8}{o50:>9.1f}{o95:>9.1f}{s50:>9.1f}{s95:>9.1f}")
    worst = max(r[4] for r in rows)
    worst_floor = max(r[6] for r in rows)
    print(
        f"registry persons={args.persons} load_rows_per_s={load_rows_per_s:.0f} "
        f"raw_rows_per_s={raw_rows_per_s:.0f} load_ratio={raw_rows_per_s / load_rows_per_s:.2f} "
        f"search_p95_ms={worst:.1f} search_floor_p95_ms={worst_floor:.1f}"
    )


if __name__ == "__main__":
    main()
