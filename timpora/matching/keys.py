"""Keeping every person's match keys (``PersonMatchKey``) in step with the registry.

Keys are computed by the engine itself, never re-implemented here: one person at a time
with ``record_features`` (registry writes, resolution), many at once with
``build_features`` in DuckDB (bulk loads, ``timpora match rebuild-keys``), which the
engine's tests hold equal. Writes are set-based: the rows of a set of persons are deleted
and inserted again in one statement each (PostgreSQL ``COPY`` for big sets).

A person has one key row per travel-document number (a renewed passport keeps the old
number findable) and one row without passport when it has no document. Persons merged
into another (see ``registry.actions.merge_persons``) have no keys: they are no longer
candidates.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa
from django.db import connection, transaction

from timpora.matching.engine.features import INPUT_SCHEMA, build_features, record_features
from timpora.matching.models import PersonMatchKey

log = logging.getLogger(__name__)

#: Columns of ``matching_personmatchkey`` written by this module, in order.
KEY_COLUMNS = (
    "person_id",
    "full_name",
    "birth",
    "passport_number",
    "name_key",
    "name_sorted",
    "name_cycle",
    "name_phon",
    "sex",
    "nationality",
    "dob_y",
    "dob_swapkey",
    "passport",
    "passport_ocr",
)
#: Nationality codes that say "unknown": two unknowns must not count as agreement.
UNKNOWN_NATIONALITIES = frozenset({"", "XXX"})
#: Persons per round trip of the bulk path.
BULK_CHUNK = 100_000
#: Up to this many persons the keys are computed one by one in Python (no DuckDB set-up).
SMALL_SET = 2_000

_TABLE = PersonMatchKey._meta.db_table


def birth_text(born: date | None, precision: str | None) -> str:
    """A registry birth date as the engine reads it: ISO, cut to what is known."""
    if born is None or precision == "unknown":
        return ""
    if precision == "year":
        return f"{born.year:04d}"
    if precision == "month":
        return f"{born.year:04d}-{born.month:02d}"
    return born.isoformat()


def engine_record(
    *,
    full_name: str,
    sex: str | None,
    birth: str,
    nationality: str | None,
    passport_number: str | None,
    record_id: str = "",
) -> dict[str, Any]:
    """A person record in the engine's input columns (``features.INPUT_COLUMNS``)."""
    return {
        "record_id": record_id,
        "source": None,
        "full_name": full_name or "",
        "sex": "" if sex in (None, "X") else sex,
        "date_of_birth": birth or "",
        "nationality": "" if (nationality or "") in UNKNOWN_NATIONALITIES else nationality,
        "passport_number": passport_number or "",
    }


def key_values(person_id: int, record: dict[str, Any]) -> tuple:
    """One ``PersonMatchKey`` row (``KEY_COLUMNS``) of an engine record."""
    f = record_features(record)
    return (
        person_id,
        (record["full_name"] or "")[:250],
        record["date_of_birth"] or None,
        (record["passport_number"] or None) and str(record["passport_number"])[:20],
        f["name_key"],
        f["name_sorted"],
        f["name_cycle"],
        f["name_phon"],
        f["sex"],
        (f["nationality"] or None) and f["nationality"][:3],
        f["dob_y"] if f["dob_y"] is None or 0 < f["dob_y"] < 10_000 else None,
        f["dob_swapkey"],
        (f["passport"] or None) and f["passport"][:20],
        (f["passport_ocr"] or None) and f["passport_ocr"][:20],
    )


# ---------------------------------------------------------------------------- reading

# A person's own identity and documents, and the identities of the persons merged into it
# (tombstones): a spelling an analyst confirmed as the same person stays findable.
_OWN_SQL = (
    "SELECT p.id, p.full_name, p.sex, p.birth_date, p.birth_date_precision, p.nationality, "
    "d.number FROM registry_person p LEFT JOIN registry_traveldocument d ON d.person_id = p.id "
    "WHERE {where} AND p.merged_into_id IS NULL"
)
_ALIAS_SQL = (
    "SELECT p.merged_into_id, p.full_name, p.sex, p.birth_date, p.birth_date_precision, "
    "p.nationality, NULL FROM registry_person p WHERE {where}"
)


def _person_rows(where: str, params: Sequence[Any]) -> list[tuple]:
    """Rows ``(owner id, full name, sex, birth date, precision, nationality, document)`` of
    the persons selected by ``where`` (on column ``{id}``), owners first by id."""
    sql = (
        _OWN_SQL.format(where=where.format(id="p.id"))
        + " UNION ALL "
        + _ALIAS_SQL.format(where=where.format(id="p.merged_into_id"))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        # Raw SQLite rows carry dates as text.
        rows = [
            (*row[:3], date.fromisoformat(row[3]) if isinstance(row[3], str) else row[3], *row[4:])
            for row in rows
        ]
    rows.sort(key=lambda row: (row[0], row[6] is None))
    return rows


def _records(rows: Iterable[tuple]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Engine records of person rows, one per distinct identity and passport number."""
    seen: set[tuple] = set()
    identities: set[tuple] = set()
    for pid, full_name, sex, born, precision, nationality, number in rows:
        identity = (pid, full_name, sex, born, precision, nationality)
        key = (*identity, number or "")
        # An identity already keyed with a document needs no row without one (a person
        # merged into another under the same name, a person with two documents).
        if key in seen or (not number and identity in identities):
            continue
        seen.add(key)
        identities.add(identity)
        yield (
            pid,
            engine_record(
                full_name=full_name,
                sex=sex,
                birth=birth_text(born, precision),
                nationality=nationality,
                passport_number=number,
                record_id=str(len(seen)),
            ),
        )


# ---------------------------------------------------------------------------- writing


def _insert(rows: Sequence[tuple]) -> None:
    if not rows:
        return
    columns = ", ".join(KEY_COLUMNS)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {_TABLE} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(KEY_COLUMNS))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {_TABLE} ({columns}) VALUES ({marks})", list(rows))


def _delete_ids(ids: Sequence[int]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 10_000):
            part = list(ids[start : start + 10_000])
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"DELETE FROM {_TABLE} WHERE person_id IN ({marks})", part)


@transaction.atomic
def sync_keys(person_ids: Iterable[int]) -> int:
    """Recompute the keys of these persons (after a registry write); returns rows written.

    Runs inside the caller's transaction, so keys and registry rows commit together.
    """
    ids = sorted({int(pid) for pid in person_ids if pid})
    if not ids:
        return 0
    if len(ids) > SMALL_SET:
        return sum(rebuild_keys(ids[0], ids[-1], only=ids).values())
    _delete_ids(ids)
    rows: list[tuple] = []
    for start in range(0, len(ids), 900):  # below SQLite's 999 host parameters
        part = ids[start : start + 900]
        marks = ", ".join(["%s"] * len(part))
        found = _person_rows(f"{{id}} IN ({marks})", part)
        rows.extend(key_values(pid, record) for pid, record in _records(found))
    _insert(rows)
    return len(rows)


# ---------------------------------------------------------------------------- bulk


_BULK_SCHEMA = INPUT_SCHEMA.append(pa.field("person_id", pa.int64()))


def _bulk_rows(records: list[tuple[int, dict[str, Any]]]) -> list[tuple]:
    """Key rows of many records through the engine's DuckDB path (names once each)."""
    table = pa.Table.from_pylist(
        [{**record, "person_id": pid} for pid, record in records], schema=_BULK_SCHEMA
    )
    con = duckdb.connect()
    try:
        con.execute("set preserve_insertion_order = false")
        con.register("tp_persons", table)
        build_features(
            con,
            "tp_persons",
            "tp_keys",
            extra_columns=("person_id", "date_of_birth", "passport_number"),
        )
        return con.execute(
            """
            select person_id, left(coalesce(full_name, ''), 250),
                   nullif(date_of_birth, ''), left(nullif(passport_number, ''), 20),
                   name_key, name_sorted, name_cycle, name_phon, sex,
                   left(nationality, 3),
                   case when dob_y between 1 and 9999 then dob_y end,
                   dob_swapkey, left(passport, 20), left(passport_ocr, 20)
            from tp_keys
            """
        ).fetchall()
    finally:
        con.close()


def rebuild_keys(
    first_id: int | None = None,
    last_id: int | None = None,
    *,
    only: Sequence[int] | None = None,
    chunk: int = BULK_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Recompute the keys of every person with an id in ``[first_id, last_id]`` (all when
    both are None), ``chunk`` persons per transaction; ``only`` restricts to those ids.

    The backfill of ``timpora match rebuild-keys`` and of bulk loads. Returns
    ``{"persons": n, "keys": m}``; ``progress`` receives the persons done so far.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM registry_person")
        low, high = cursor.fetchone()
    if low is None:
        if first_id is None and last_id is None:
            PersonMatchKey.objects.all().delete()
        return {"persons": 0, "keys": 0}
    first = max(low, first_id if first_id is not None else low)
    last = min(high, last_id if last_id is not None else high)
    wanted = set(only) if only is not None else None
    persons = keys = 0
    started = time.perf_counter()
    start = first
    while start <= last:
        end = min(start + chunk - 1, last)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {_TABLE} WHERE person_id BETWEEN %s AND %s"
                    + (
                        " AND person_id IN (" + ", ".join(str(int(i)) for i in sorted(wanted)) + ")"
                        if wanted is not None
                        else ""
                    ),
                    [start, end],
                )
            found = _person_rows("{id} BETWEEN %s AND %s", [start, end])
            if wanted is not None:
                found = [row for row in found if row[0] in wanted]
            records = list(_records(found))
            rows = _bulk_rows(records) if records else []
            _insert(rows)
        persons += len({pid for pid, _ in records})
        keys += len(rows)
        if progress is not None:
            progress(persons)
        start = end + 1
    if connection.vendor == "postgresql" and not connection.in_atomic_block and keys > chunk:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_TABLE}")
    log.info(
        "match keys: %s persons, %s keys in %.1f s", persons, keys, time.perf_counter() - started
    )
    return {"persons": persons, "keys": keys}


def rekey_all(progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Every stored key derived from the name rules: all persons' match keys, then the
    fuzzy name search keys that changed (``{"persons", "keys", "name_search"}``). What an
    upgrade of the rules, a restore or ``timpora match rebuild-keys`` needs."""
    from timpora.registry.actions import refresh_name_search

    result = rebuild_keys(progress=progress)
    return {**result, "name_search": refresh_name_search()}
