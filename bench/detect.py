"""Detection benchmark: every rule over a generated registry vs a plain SQL scan.

    make bench-detect PERSONS=100000                    # SQLite (temp file) when unset
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x make bench-detect   # 1,000,000 persons

Builds a throw-away database (``<name>_detect_bench`` on PostgreSQL, dropped at the end; a
temporary SQLite file otherwise) with N persons, 2N stay permits and 5N stays and reports:

- the registry from the synthetic population (``timpora.registry.synth`` through the bulk
  loader ``timpora.registry.bulk``): persons, travel documents, permits, stays, sponsors;
- topped up in set-based SQL (``generate_series`` on PostgreSQL, a recursive CTE on SQLite,
  deterministic hash arithmetic instead of ``random()`` so both give the same rows): older
  permits up to 2N, lodging and company premises, accommodation reports (each with its
  stay), employer reports and field findings, so that stays + reports = 5N.

After ``VACUUM ANALYZE`` (and, on PostgreSQL, a ``CHECKPOINT``, so that the timed runs do
not pay for writing out the bulk load) it times all rules through
``actions.run_detection(..., notify=False)`` three times:

1. the first run, as of day D (today in Jakarta unless ``--as-of``): raises every alert,
   once in the life of a database;
2. the daily run, as of D + 1: what the scheduled task does every night. Overstays are a day
   longer and permits a day closer to expiry (their facts change and are updated), permits
   that expired on D move from "expiring" to "overstay" (closed and raised), windows slide;
3. the same day again, for information: nothing changed, nothing is written.

In the same process, right after, the floor: one plain SQL query counting the overstays as
of D + 1 the way the overstay rule defines them, from the tables that rule stands on —
persons not merged away whose latest permit (``MAX(valid_until)`` over their stay permits;
an extension moves the permit's ``valid_until``) ended before that day; the registry records
no exits. The rule reads the same fact from ``registry_person.current_permit_valid_until``,
the registry's denormalised copy of that maximum, so the floor also checks the rule: its
count must equal the overstay hits (a mismatch is printed). Best of three, warm cache. For
information, other floors: the index-only count over that copy, one count over the stays,
and one count over every table the rules read.

The last line times the daily run (2.), the work the scheduled task repeats every day; the
table shows the first run and its ratio as well:

    detect persons=N seconds=X floor_seconds=Y ratio=X/Y
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from throwaway import drop_database, fresh_database  # noqa: E402

DEFAULT_PERSONS = 1_000_000
# Shares of the generated rows, per person.
EMPLOYER_REPORTS = 0.3
FIELD_FINDINGS = 0.1
LODGING_PER_PREMISES = 2_000  # persons per lodging premises (at least 50 premises)
PRIME = 1_000_003
RULE_TABLES = (
    "registry_person",
    "registry_staypermit",
    "registry_traveldocument",
    "registry_stay",
    "intake_accommodationreport",
    "intake_employerreport",
    "intake_fieldfinding",
)
REPORT_TABLES = (
    "registry_staypermit",
    "registry_stay",
    "intake_accommodationreport",
    "intake_employerreport",
    "intake_fieldfinding",
)


class Sql:
    """The few expressions that differ between PostgreSQL and SQLite."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"

    def series(self, count: int) -> tuple[str, str]:
        """(WITH prefix, FROM source) producing rows ``s.i`` = 1..count."""
        if self.pg:
            return "", f"generate_series(1, {int(count)}) AS s(i)"
        return (
            f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s "
            f"WHERE i < {int(count)}) ",
            "s",
        )

    @staticmethod
    def hash(salt: int, column: str = "s.i") -> str:
        """A deterministic pseudo-random integer in [0, PRIME) per row and salt."""
        multiplier = (2_654_435_761, 2_246_822_519, 3_266_489_917, 668_265_263, 374_761_393)[
            salt % 5
        ] + 2 * salt
        return f"((CAST({column} AS BIGINT) * {multiplier} + {salt * 7_919}) %% {PRIME})"

    def days_before(self, day_param: str, days: str) -> str:
        if self.pg:
            return f"({day_param}::date - ({days})::int)"
        return f"date({day_param}, '-' || ({days}) || ' days')"

    def instant(self, day_param: str, days: str, hours: str) -> str:
        """The UTC instant ``hours`` after the start of the day ``days`` before the WIB day."""
        if self.pg:
            return (
                f"((({day_param}::date - ({days})::int)::timestamp + ({hours}) * interval "
                "'1 hour') AT TIME ZONE 'Asia/Jakarta')"
            )
        return (
            f"datetime({day_param}, '-' || ({days}) || ' days', '+' || ({hours}) || ' hours', "
            "'-7 hours')"
        )

    def plus_hours(self, instant: str, hours: str) -> str:
        if self.pg:
            return f"({instant} + ({hours}) * interval '1 hour')"
        return f"datetime({instant}, '+' || ({hours}) || ' hours')"

    def local_date(self, instant: str) -> str:
        if self.pg:
            return f"(({instant}) AT TIME ZONE 'Asia/Jakarta')::date"
        return f"date({instant}, '+7 hours')"


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {table}")
    return int(cursor.fetchone()[0])


def _numbered(cursor, name: str, select: str) -> int:
    """A temp table ``name(n, ...)`` numbering the rows of ``select`` from 1."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}", [])
    # Parameters always given (even none), so that ``%%`` means ``%`` on both backends.
    cursor.execute(f"CREATE TEMP TABLE {name} AS {select}", [])
    cursor.execute(f"CREATE INDEX {name}_n ON {name} (n)", [])
    return _count(cursor, name)


def generate(persons: int, as_of: date, *, progress: bool) -> dict[str, float]:
    """Load the registry and the reports; returns seconds per step."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from timpora.accounts.choices import AgencyType, Role
    from timpora.accounts.models import Agency, User
    from timpora.areas.actions import load_areas
    from timpora.registry import bulk

    steps: dict[str, float] = {}
    t = time.perf_counter()
    load_areas(settings.TIMPORA_WILAYAH_DIR)
    officer = User.objects.create(
        username="bench-officer",
        role=Role.OFFICER,
        agency=Agency.objects.create(name="Bench immigration", agency_type=AgencyType.IMMIGRATION),
    )
    steps["areas"] = time.perf_counter() - t

    t = time.perf_counter()
    bulk.load(persons, today=as_of, progress=progress, rebuild_indexes=True)
    steps["registry (synth + bulk)"] = time.perf_counter() - t

    sql = Sql(connection.vendor)
    now = timezone.now()
    day = "%s"
    t = time.perf_counter()
    # Indexes and foreign keys are rebuilt once at the end: many times faster than
    # maintaining them row by row (the bulk loader's helper, for a database nobody else uses).
    with (
        bulk._without_secondary_indexes(REPORT_TABLES),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        if sql.pg:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL work_mem = '256MB'")
        n_persons = _numbered(
            cursor,
            "bench_person",
            "SELECT row_number() OVER (ORDER BY id) AS n, id FROM registry_person",
        )
        n_permitted = _numbered(
            cursor,
            "bench_permitted",
            "SELECT row_number() OVER (ORDER BY id) AS n, id, current_permit_valid_until AS vu "
            "FROM registry_person WHERE current_permit_valid_until IS NOT NULL",
        )
        n_villages = _numbered(
            cursor,
            "bench_village",
            "SELECT row_number() OVER (ORDER BY code) AS n, code FROM areas_area "
            "WHERE level IN ('kelurahan', 'desa') AND (code LIKE '36.73.%%' "
            "OR code LIKE '36.04.%%')",
        )

        # Older permits of persons who hold one, up to 2N permits in all.
        extra = max(0, 2 * persons - _count(cursor, "registry_staypermit"))
        if extra and n_permitted:
            with_, source = sql.series(extra)
            cursor.execute(
                f"{with_}INSERT INTO registry_staypermit (person_id, category, index_id, number, "
                "issue_date, valid_until, issuing_office, sponsor_id, purpose, "
                "travel_document_id, created_at) "
                f"SELECT b.id, 'visit', NULL, 'BENCH-' || s.i, NULL, "
                f"{sql.days_before('b.vu', f'365 + {sql.hash(1)} %% 700')}, '', NULL, "
                f"'earlier visit', NULL, %s FROM {source} "
                f"JOIN bench_permitted b ON b.n = 1 + (s.i - 1) %% {n_permitted}",
                [now],
            )

        # Premises: lodging all over Serang, and one company premises per company sponsor.
        lodging = max(50, persons // LODGING_PER_PREMISES)
        with_, source = sql.series(lodging)
        cursor.execute(
            f"{with_}INSERT INTO accounts_agency (name, short_name, agency_type, created_at) "
            f"SELECT 'Bench lodging ' || s.i, '', 'accommodation', %s FROM {source}",
            [now],
        )
        area = "substr({c}, 1, 2), substr({c}, 1, 5), substr({c}, 1, 8), {c}"
        premises_columns = (
            "province_code, kabkota_code, kecamatan_code, kelurahan_code, kind, name, "
            "licence_number, address, person_in_charge, phone, email, status, decision_note, "
            "created_at, agency_id, sponsor_id"
        )
        cursor.execute(
            f"INSERT INTO intake_premises ({premises_columns}) "
            f"SELECT {area.format(c='v.code')}, 'hotel', a.name, 'BL-' || a.id, 'Jl. Bench', "
            "'Bench', '', '', 'approved', '', %s, a.id, NULL FROM accounts_agency a "
            f"JOIN bench_village v ON v.n = 1 + (a.id * 7919) %% {n_villages} "
            "WHERE a.name LIKE 'Bench lodging %%'",
            [now],
        )
        cursor.execute(
            "INSERT INTO accounts_agency (name, short_name, agency_type, created_at) "
            "SELECT 'Bench company ' || s.id, '', 'accommodation', %s FROM registry_sponsor s "
            "WHERE s.kind = 'company'",
            [now],
        )
        cursor.execute(
            f"INSERT INTO intake_premises ({premises_columns}) "
            "SELECT s.province_code, s.kabkota_code, s.kecamatan_code, s.kelurahan_code, "
            "'company', s.name, 'BC-' || s.id, s.address, 'HRD', '', '', 'approved', '', %s, "
            "a.id, s.id FROM registry_sponsor s JOIN accounts_agency a "
            "ON a.name = 'Bench company ' || s.id WHERE s.kind = 'company'",
            [now],
        )
        n_lodging = _numbered(
            cursor,
            "bench_lodging",
            "SELECT row_number() OVER (ORDER BY id) AS n, id FROM intake_premises "
            "WHERE kind = 'hotel'",
        )
        n_companies = _numbered(
            cursor,
            "bench_company",
            "SELECT row_number() OVER (ORDER BY id) AS n, id FROM intake_premises "
            "WHERE kind = 'company'",
        )
        # Workers: persons whose current permit's sponsor is a company with premises.
        n_workers = _numbered(
            cursor,
            "bench_worker",
            "SELECT row_number() OVER (ORDER BY p.id) AS n, p.id, MIN(pr.id) AS premises_id "
            "FROM registry_person p JOIN registry_staypermit sp ON sp.person_id = p.id "
            "AND sp.valid_until = p.current_permit_valid_until "
            "JOIN intake_premises pr ON pr.sponsor_id = sp.sponsor_id GROUP BY p.id",
        )

        stays_so_far = _count(cursor, "registry_stay")
        employer = int(EMPLOYER_REPORTS * persons)
        findings = int(FIELD_FINDINGS * persons)
        # Each accommodation report adds a stay: stays + reports = 5N.
        accommodation = max(0, (5 * persons - stays_so_far - employer - findings) // 2)

        identity = (
            "p.surname, p.given_names, p.full_name, p.name_key, p.sex, '', p.nationality, "
            "'X', '', '', ''"
        )
        identity_columns = (
            "surname, given_names, full_name, name_key, sex, place_of_birth, nationality, "
            "passport_number, permit_category, permit_index, permit_number"
        )
        # Accommodation reports over the last 400 days. Every 50th report belongs to a
        # small set of frequent movers (recent, random kelurahan); every 199th is a crowd
        # arriving at the first three lodging premises in the last three days.
        with_, source = sql.series(accommodation)
        movers = max(1, n_persons // 200)
        inner = (
            f"SELECT s.i, CASE WHEN s.i %% 50 = 0 THEN 1 + {sql.hash(2)} %% {movers} "
            f"ELSE 1 + {sql.hash(2)} %% {n_persons} END AS pn, "
            f"CASE WHEN s.i %% 199 = 0 THEN 1 + s.i %% 3 ELSE 1 + {sql.hash(3)} %% {n_lodging} "
            "END AS hn, "
            f"CASE WHEN s.i %% 199 = 0 THEN {sql.hash(4)} %% 3 WHEN s.i %% 50 = 0 THEN "
            f"{sql.hash(4)} %% 80 ELSE {sql.hash(4)} %% 400 END AS d, "
            f"{sql.hash(5)} %% 24 AS h, 1 + {sql.hash(6)} %% 10 AS nights, "
            f"{sql.hash(7)} %% 40 = 0 AS late FROM {source}"
        )
        check_in = sql.instant(day, "x.d", "x.h")
        cursor.execute(
            f"{with_}INSERT INTO intake_accommodationreport (province_code, kabkota_code, "
            f"kecamatan_code, kelurahan_code, {identity_columns}, purpose, room, check_in, "
            "check_out, reported_at, is_late, verification_code, channel, dedup_key, mrz, "
            "passport_scan, premises_id, person_id) "
            "SELECT pr.province_code, pr.kabkota_code, pr.kecamatan_code, pr.kelurahan_code, "
            f"{identity}, 'holiday', '', {check_in}, "
            f"CASE WHEN x.d < x.nights THEN NULL ELSE "
            f"{sql.plus_hours(check_in, 'x.nights * 24')} END, "
            f"{sql.plus_hours(check_in, 'CASE WHEN x.late THEN 30 ELSE 2 END')}, x.late, "
            "'BV' || x.i, 'import', 'bench-' || x.i, '', '', pr.id, p.id "
            f"FROM ({inner}) x JOIN bench_person bp ON bp.n = x.pn "
            "JOIN registry_person p ON p.id = bp.id JOIN bench_lodging bl ON bl.n = x.hn "
            "JOIN intake_premises pr ON pr.id = bl.id",
            [as_of] * 3,
        )
        cursor.execute(
            "INSERT INTO registry_stay (person_id, province_code, kabkota_code, "
            "kecamatan_code, kelurahan_code, address, lon, lat, date_from, date_to, source, "
            "source_ref, created_at) SELECT r.person_id, r.province_code, r.kabkota_code, "
            "r.kecamatan_code, r.kelurahan_code, '', NULL, NULL, "
            f"{sql.local_date('r.check_in')}, {sql.local_date('r.check_out')}, "
            "'accommodation', 'accommodation:' || r.verification_code, %s "
            "FROM intake_accommodationreport r",
            [now],
        )

        # Employer reports over the last year: mostly the sponsor reporting its own
        # workers; 2 % name someone else's worker, 2 % anyone at all (visitors included).
        with_, source = sql.series(employer)
        if n_workers:
            worker = f"1 + {sql.hash(8)} %% {n_workers}"
            inner = (
                f"SELECT s.i, {sql.hash(9)} %% 50 AS kind, {worker} AS wn, "
                f"1 + {sql.hash(10)} %% {n_persons} AS pn, "
                f"1 + {sql.hash(11)} %% {n_companies} AS cn, {sql.hash(12)} %% 365 AS d, "
                f"{sql.hash(13)} %% 10 AS ev FROM {source}"
            )
            person = "CASE WHEN x.kind = 0 THEN bp.id ELSE w.id END"
            company = "CASE WHEN x.kind <= 1 THEN bc.id ELSE w.premises_id END"
            cursor.execute(
                f"{with_}INSERT INTO intake_employerreport (province_code, kabkota_code, "
                f"kecamatan_code, kelurahan_code, {identity_columns}, event, event_date, "
                "position, work_plan_reference, reported_at, channel, dedup_key, premises_id, "
                "person_id) SELECT pr.province_code, pr.kabkota_code, pr.kecamatan_code, "
                f"pr.kelurahan_code, {identity}, CASE WHEN x.ev < 5 THEN 'start' "
                "WHEN x.ev < 8 THEN 'confirm' WHEN x.ev = 8 THEN 'change' ELSE 'end' END, "
                f"{sql.days_before(day, 'x.d')}, 'Operator', '', %s, 'import', "
                f"'bench-e' || x.i, pr.id, p.id FROM ({inner}) x "
                "JOIN bench_worker w ON w.n = x.wn JOIN bench_person bp ON bp.n = x.pn "
                "JOIN bench_company bc ON bc.n = x.cn "
                f"JOIN registry_person p ON p.id = {person} "
                f"JOIN intake_premises pr ON pr.id = {company}",
                [as_of, now],
            )

        # Field findings over the last four months, a fifth of them of someone working.
        with_, source = sql.series(findings)
        inner = (
            f"SELECT s.i, 1 + {sql.hash(14)} %% {n_persons} AS pn, "
            f"1 + {sql.hash(15)} %% {n_villages} AS vn, {sql.hash(16)} %% 120 AS d, "
            f"8 + {sql.hash(17)} %% 10 AS h, {sql.hash(18)} %% 5 = 0 AS working FROM {source}"
        )
        cursor.execute(
            f"{with_}INSERT INTO intake_fieldfinding (province_code, kabkota_code, "
            f"kecamatan_code, kelurahan_code, {identity_columns}, found_at, location_note, "
            "observation, working, mrz, created_at, officer_id, person_id) "
            f"SELECT {area.format(c='v.code')}, {identity}, {sql.instant(day, 'x.d', 'x.h')}, "
            "'', 'checked during a patrol', x.working, '', %s, %s, p.id "
            f"FROM ({inner}) x JOIN bench_person bp ON bp.n = x.pn "
            "JOIN registry_person p ON p.id = bp.id JOIN bench_village v ON v.n = x.vn",
            [as_of, now, officer.pk],
        )
    steps["reports (SQL)"] = time.perf_counter() - t

    t = time.perf_counter()
    with connection.cursor() as cursor:
        # VACUUM too on PostgreSQL: freshly written tables have no visibility map, so the
        # rules' index-only probes would read the heap until autovacuum comes by.
        cursor.execute("VACUUM ANALYZE" if sql.pg else "ANALYZE")
        if sql.pg:
            # Write out the gigabytes the load and VACUUM left dirty now, not while the
            # first run is timed.
            cursor.execute("CHECKPOINT")
    steps["vacuum analyze"] = time.perf_counter() - t
    return steps


#: The floor: overstays counted in one plain query from the permits themselves (see the
#: module docstring). A permit's extension moves its ``valid_until``; a later permit is
#: another row: the latest permit is the maximum either way.
OVERSTAY_FLOOR = (
    "SELECT count(*) FROM registry_person p JOIN (SELECT sp.person_id, "
    "MAX(sp.valid_until) AS valid_until FROM registry_staypermit sp GROUP BY sp.person_id) "
    "latest ON latest.person_id = p.id "
    "WHERE p.merged_into_id IS NULL AND latest.valid_until < %s"
)


def _floor(sql: str, params: list, repeat: int = 3) -> tuple[float, int]:
    """Best of ``repeat`` runs of one plain query (warm cache), and its first value."""
    from django.db import connection

    best = float("inf")
    value = 0
    for _ in range(repeat):
        with connection.cursor() as cursor:
            start = time.perf_counter()
            cursor.execute(sql, params)
            value = cursor.fetchall()[0][0]
            best = min(best, time.perf_counter() - start)
    return best, int(value)


def _explain(as_of: date) -> None:
    """EXPLAIN ANALYZE of every rule's query (PostgreSQL), to find the slow step."""
    from django.db import connection

    from timpora.detection.actions import rule_params
    from timpora.detection.engine.base import Dialect
    from timpora.detection.engine.evaluate import rule_query
    from timpora.detection.engine.rules import RULES

    for rule in RULES.values():
        _, params = rule_params(rule)
        query = rule_query(rule, Dialect(connection.vendor), params)
        with connection.cursor() as cursor:
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else ""
            if not prefix:
                return
            cursor.execute(prefix + query, [as_of.isoformat()] * query.count("%s"))
            print(f"--- {rule.code}")
            for (line,) in cursor.fetchall():
                print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=DEFAULT_PERSONS)
    parser.add_argument("--as-of", type=date.fromisoformat, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each rule")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows in a log file too
    persons = args.persons

    workdir = Path(tempfile.mkdtemp(prefix="timpora-detect-"))
    url = fresh_database(os.environ.get("DATABASE_URL"), workdir, "_detect_bench")
    os.environ["DATABASE_URL"] = url
    os.environ["TIMPORA_VAR_DIR"] = str(workdir / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timpora.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from timpora.detection.actions import run_detection
    from timpora.registry.status import today_in_jakarta

    as_of = args.as_of or today_in_jakarta()
    try:
        call_command("migrate", verbosity=0)
        steps = generate(persons, as_of, progress=sys.stderr.isatty())
        with connection.cursor() as cursor:
            sizes = {
                table: _count(cursor, table)
                for table in (
                    "registry_person",
                    "registry_staypermit",
                    "registry_traveldocument",
                    "registry_stay",
                    "intake_accommodationreport",
                    "intake_employerreport",
                    "intake_fieldfinding",
                    "intake_premises",
                )
            }
        backend = "pg" if connection.vendor == "postgresql" else "sqlite"
        print(f"database: {backend}, as of {as_of}")
        for step, seconds in steps.items():
            print(f"  generate {step:<28}{seconds:>9.1f} s")
        for table, rows in sizes.items():
            print(f"  {table:<37}{rows:>12,}")
        stays_reports = sum(
            sizes[t]
            for t in (
                "registry_stay",
                "intake_accommodationreport",
                "intake_employerreport",
                "intake_fieldfinding",
            )
        )
        print(f"  {'stays + reports':<37}{stays_reports:>12,}")

        if args.explain:
            _explain(as_of)
        runs_by_label = {}
        timings = {}
        daily = as_of + timedelta(days=1)
        for label, day in (
            ("first run (raising)", as_of),
            ("daily run (next day)", daily),
            ("same day again", daily),
        ):
            start = time.perf_counter()
            runs = run_detection(day, notify=False)
            total = time.perf_counter() - start
            timings[label] = total
            runs_by_label[label] = runs
            print(f"{label}, as of {day}: {total:.2f} s")
            print(f"  {'rule':<20}{'hits':>9}{'raised':>9}{'updated':>9}{'closed':>8}{'s':>8}")
            for r in runs:
                print(
                    f"  {r.rule:<20}{r.hits:>9,}{r.raised:>9,}{r.updated:>9,}{r.closed:>8,}"
                    f"{r.seconds:>8.2f}"
                )
        first, seconds = timings["first run (raising)"], timings["daily run (next day)"]
        floor, overstays = _floor(OVERSTAY_FLOOR, [daily])
        found = next(r.hits for r in runs_by_label["daily run (next day)"] if r.rule == "overstay")
        print(
            f"floor: one query counting overstays as of {daily} from persons and their stay "
            f"permits: {floor:.3f} s, {overstays:,} overstays"
            + ("" if overstays == found else f" — MISMATCH: the overstay rule found {found:,}")
        )
        print(f"  daily run {seconds / floor:.1f} x the floor; first run {first / floor:.1f} x")
        for label, query, params in (
            (
                "index-only count over registry_person.current_permit_valid_until",
                "SELECT count(*) FROM registry_person WHERE current_permit_valid_until < %s",
                [daily],
            ),
            (
                "count over registry_stay",
                "SELECT count(*) FROM registry_stay WHERE date_from <= %s",
                [daily],
            ),
            (
                "one count over every table the rules read",
                "SELECT " + " + ".join(f"(SELECT count(*) FROM {t})" for t in RULE_TABLES),
                [],
            ),
        ):
            value, _ = _floor(query, params)
            print(
                f"  for information: {label} {value:.3f} s (daily run {seconds / value:.1f} x; "
                f"first run {first / value:.1f} x)"
            )
    finally:
        if not args.keep:
            drop_database(url)
    print(
        f"detect persons={persons} seconds={seconds:.2f} floor_seconds={floor:.3f} "
        f"ratio={seconds / floor:.1f}"
    )


if __name__ == "__main__":
    main()
