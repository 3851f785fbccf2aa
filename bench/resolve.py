"""Resolve benchmark: one incoming record against N registered persons, in the application.

    make bench-resolve PERSONS=100000                   # SQLite (temp file) when unset
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x make bench-resolve   # 1,000,000 persons

Builds a throw-away database (``<name>_resolve_bench`` on PostgreSQL, dropped at the end; a
temporary SQLite file otherwise), loads N synthetic persons with the bulk loader (which keys
them set-based), times a full ``timpora match rebuild-keys``, then resolves two kinds of
probe records one at a time, each in a transaction rolled back afterwards:

- *variants*: registered persons written another way (name order reversed, names run
  together, a typo, day and month swapped, an OCR-misread or renewed passport, a year
  only), which should find their person (linked, or queued for review);
- *newcomers*: generated foreign nationals nobody registered, which should not.

Each probe runs ``matching.actions.resolve_person`` (candidate lookups on the key table,
scoring with the engine, and on no match the registration of a new person with its keys,
duplicate check and audit record). In the same run the floor: one indexed equality lookup
of a passport number (``registry_traveldocument``), the least a resolution can cost.
Prints a table and, last:

    resolve persons=N p50_ms=X p95_ms=Y floor_p95_ms=F keys_s=K found_variants=V false_links=W
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from throwaway import drop_database, fresh_database  # noqa: E402

DEFAULT_PERSONS = 1_000_000


class _Rollback(Exception):
    pass


def _variant(rng: random.Random, person, passport: str | None):
    """A registered person as another source would write it."""
    from timpora.matching.actions import PersonRecord

    name = person.full_name.split()
    born = person.birth_date
    kind = rng.randrange(6)
    if kind == 0:
        name = list(reversed(name))
    elif kind == 1 and len(name) > 1:
        name = [name[0], "".join(name[1:])]
    elif kind == 2:
        i = max(range(len(name)), key=lambda j: len(name[j]))
        name[i] = name[i][:-2] + name[i][-1] if len(name[i]) > 3 else name[i]
    precision = "day"
    if born is not None and rng.random() < 0.3 and born.day <= 12:
        born = born.replace(month=born.day, day=born.month)
    elif born is not None and rng.random() < 0.1:
        precision = "year"
    number = ""
    if passport and rng.random() < 0.6:
        ocr = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B"})
        number = passport[:1] + passport[1:].translate(ocr) if rng.random() < 0.5 else ""
    return PersonRecord(
        full_name=" ".join(name),
        sex=person.sex,
        birth_date=born,
        birth_date_precision=precision if born else "unknown",
        nationality=person.nationality,
        passport_number=number,
    )


def _newcomers(count: int):
    from timpora.matching.actions import PersonRecord
    from timpora.matching.engine.data import generate_records

    out = []
    for record in generate_records(count, seed=4242):
        born = record["date_of_birth"]
        full = len(born) == 10
        out.append(
            PersonRecord(
                full_name=record["full_name"],
                sex=record["sex"] or "X",
                birth_date=date.fromisoformat(born) if full else None,
                birth_date_precision="day" if full else "unknown",
                nationality=record["nationality"] or "XXX",
                passport_number=record["passport_number"],
            )
        )
    return out


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=DEFAULT_PERSONS)
    parser.add_argument("--probes", type=int, default=200, help="probes of each kind")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)

    workdir = Path(tempfile.mkdtemp(prefix="timpora-resolve-"))
    url = fresh_database(os.environ.get("DATABASE_URL"), workdir, "_resolve_bench")
    os.environ["DATABASE_URL"] = url
    os.environ["TIMPORA_VAR_DIR"] = str(workdir / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timpora.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from timpora.areas.actions import load_areas
    from timpora.matching.actions import resolve_person
    from timpora.matching.choices import Outcome
    from timpora.matching.keys import rebuild_keys
    from timpora.matching.models import PersonMatchKey
    from timpora.matching.resolver import forget_population
    from timpora.registry import bulk
    from timpora.registry.models import Person, TravelDocument

    try:
        call_command("migrate", verbosity=0)
        load_areas(settings.TIMPORA_WILAYAH_DIR)
        started = time.perf_counter()
        bulk.load(
            args.persons,
            rebuild_indexes=args.persons >= 100_000,
            progress=sys.stderr.isatty(),
        )
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        keys = rebuild_keys()
        keys_s = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE matching_personmatchkey")
        forget_population()

        rng = random.Random(7)
        high = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        picked = Person.objects.filter(
            pk__in=[rng.randrange(1, high + 1) for _ in range(args.probes * 2)],
            birth_date__isnull=False,
        ).order_by("pk")[: args.probes]
        passports = dict(
            TravelDocument.objects.filter(person__in=picked).values_list("person_id", "number")
        )
        variants = [(p.pk, _variant(rng, p, passports.get(p.pk))) for p in picked]
        newcomers = _newcomers(args.probes)

        def timed(record) -> tuple[float, object]:
            begin = time.perf_counter()
            try:
                with transaction.atomic():
                    resolution = resolve_person(record, actor=None, source="scan")
                    elapsed = time.perf_counter() - begin
                    raise _Rollback
            except _Rollback:
                pass
            return elapsed, resolution

        for record in newcomers[:5]:  # warm-up: model, DuckDB, caches
            timed(record)
        timings: list[float] = []
        found = 0
        outcomes: dict[str, int] = {}
        for person_id, record in variants:
            elapsed, resolution = timed(record)
            timings.append(elapsed)
            outcomes[resolution.outcome] = outcomes.get(resolution.outcome, 0) + 1
            linked = resolution.outcome in (Outcome.EXACT, Outcome.LINKED)
            if (linked and resolution.person.pk == person_id) or any(
                person_id in (pair.person_a_id, pair.person_b_id) for pair in resolution.pairs
            ):
                found += 1
        false_links = 0
        newcomer_timings: list[float] = []
        for record in newcomers:
            elapsed, resolution = timed(record)
            newcomer_timings.append(elapsed)
            false_links += resolution.outcome in (Outcome.EXACT, Outcome.LINKED)
        floor: list[float] = []
        for number in list(passports.values())[: args.probes]:
            begin = time.perf_counter()
            TravelDocument.objects.filter(number=number).values_list("person_id").first()
            floor.append(time.perf_counter() - begin)

        every = timings + newcomer_timings
        p50 = statistics.median(every) * 1000
        p95 = _percentile(every, 0.95) * 1000
        floor_p95 = _percentile(floor, 0.95) * 1000
        backend = "pg" if connection.vendor == "postgresql" else "sqlite"
        print(f"backend {backend}, {args.persons:,} persons loaded in {load_s:.1f} s")
        print(
            f"match keys: {keys['keys']:,} rows for {keys['persons']:,} persons, "
            f"rebuilt in {keys_s:.1f} s ({PersonMatchKey.objects.count():,} rows)"
        )
        print(f"{'probes':<28}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
        for label, values in (
            ("variants of registered", timings),
            ("newcomers", newcomer_timings),
            ("floor: passport lookup", floor),
        ):
            print(
                f"{label:<28}{len(values):>6}{statistics.median(values) * 1000:>10.1f}"
                f"{_percentile(values, 0.95) * 1000:>10.1f}{max(values) * 1000:>10.1f}"
            )
        print(f"variant outcomes: {outcomes}; found their person: {found}/{len(variants)}")
        print(f"newcomers linked to someone (false links): {false_links}/{len(newcomers)}")
        print(
            f"resolve persons={args.persons} p50_ms={p50:.1f} p95_ms={p95:.1f} "
            f"floor_p95_ms={floor_p95:.2f} keys_s={keys_s:.1f} "
            f"found_variants={found / max(len(variants), 1):.3f} "
            f"false_links={false_links / max(len(newcomers), 1):.3f}"
        )
    finally:
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    main()
