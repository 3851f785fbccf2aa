"""The registry and the watch lists fed to the matching engine, and the hits it finds.

Two paths, one engine (``timpora.matching.engine``):

- **everyone** (:func:`screen_registry`): persons and their travel documents are exported
  from the database into DuckDB in batches of persons (memory stays bounded), the entries
  in force are exported next to them and ``screen_tables`` scores them set-based;
- **a few persons at once** (:func:`screen_persons`): a new report or a changed person is
  screened against a :class:`~timpora.matching.engine.screen_index.WatchlistIndex` of the
  entries in force, built once per process and day and rebuilt when a list changes (one
  cheap query compares a signature of the lists).

A person with several travel documents is screened once per document (a renewed passport
must still match the old number on a list); the best score per entry and person is kept.
Nothing here writes: ``actions.record_hits`` stores what these functions return.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import pyarrow as pa
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet

from timpora.matching.engine.features import INPUT_SCHEMA
from timpora.matching.engine.link import duckdb_session
from timpora.matching.engine.screen import WATCHLIST_COLUMNS, screen_tables
from timpora.matching.engine.screen_index import ScreenHit, WatchlistIndex, hits_of_table
from timpora.watchlists.models import WatchList, WatchListEntry

log = logging.getLogger(__name__)

#: Up to this many persons are screened through the in-memory index; more go set-based.
INDEX_LIMIT = 2_000
#: Persons exported from the database per batch (the documents of a person stay together).
EXPORT_BATCH = 50_000
_ENTRY_SCHEMA = pa.schema([(column, pa.string()) for column in WATCHLIST_COLUMNS])


@dataclass(frozen=True)
class Found:
    """The best match of one entry and one person in a screening run."""

    entry_id: int
    person_id: int
    score: float
    evidence: list[dict[str, Any]]
    explanation: str


@dataclass
class Screened:
    """What a screening run looked at and found."""

    persons: int
    entries: int
    found: dict[tuple[int, int], Found]
    seconds: float = 0.0


# --------------------------------------------------------------------------- entries


def entries_in_force(as_of: date) -> QuerySet[WatchListEntry]:
    """Entries of active lists within their period, not expired on ``as_of``."""
    return WatchListEntry.objects.filter(
        Q(watchlist__valid_from__isnull=True) | Q(watchlist__valid_from__lte=as_of),
        Q(watchlist__valid_until__isnull=True) | Q(watchlist__valid_until__gte=as_of),
        Q(valid_until__isnull=True) | Q(valid_until__gte=as_of),
        watchlist__active=True,
    )


def entry_table(entries: QuerySet[WatchListEntry]) -> pa.Table:
    """Entries as the engine's watch-list columns; ``list_id`` is the entry's database id
    (the issuers' ids may repeat across lists)."""
    rows = entries.select_related("watchlist").order_by("pk")
    columns: dict[str, list[str]] = {name: [] for name in _ENTRY_SCHEMA.names}
    for entry in rows.iterator(chunk_size=5_000):
        through = entry.valid_through()
        columns["list_id"].append(str(entry.pk))
        columns["full_name"].append(entry.full_name)
        columns["date_of_birth"].append(entry.date_of_birth)
        columns["nationality"].append(entry.nationality)
        columns["passport_number"].append(entry.passport_number)
        columns["list_type"].append(entry.list_type)
        columns["valid_until"].append(through.isoformat() if through else "")
    return pa.table(columns, schema=_ENTRY_SCHEMA)


# --------------------------------------------------------------------------- persons


def _birth(value: Any, precision: str) -> str:
    if value is None or precision == "unknown":
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)[:10]
    return {"year": text[:4], "month": text[:7]}.get(precision, text)


_PERSON_SQL = (
    "SELECT p.id, d.id, p.full_name, p.sex, p.birth_date, p.birth_date_precision, "
    "p.nationality, d.number FROM registry_person p "
    "LEFT JOIN registry_traveldocument d ON d.person_id = p.id WHERE 1 = 1 "
)


def _current_only() -> str:
    """Leave out persons merged into another (tombstones whose rows moved to the survivor),
    where the registry has merges."""
    from timpora.registry.models import Person

    fields = {f.name for f in Person._meta.get_fields()}
    return "AND p.merged_into_id IS NULL " if "merged_into" in fields else ""


def _table(rows: Iterable[tuple]) -> pa.Table:
    columns: dict[str, list[str]] = {name: [] for name in INPUT_SCHEMA.names}
    for person_id, doc_id, name, sex, birth, precision, nationality, number in rows:
        columns["record_id"].append(f"{person_id}/{doc_id}" if doc_id else str(person_id))
        columns["source"].append("registry")
        columns["full_name"].append(name or "")
        columns["sex"].append(sex if sex in ("M", "F") else "")
        columns["date_of_birth"].append(_birth(birth, precision))
        columns["nationality"].append(nationality or "")
        columns["passport_number"].append(number or "")
    return pa.table(columns, schema=INPUT_SCHEMA)


def person_batches(person_ids: Iterable[int] | None = None) -> Iterator[pa.Table]:
    """Persons (one row per travel document, or one without) as engine input tables.

    All persons go in batches of :data:`EXPORT_BATCH` persons by id (keyset pagination, so
    a million persons never sit in memory at once); given ``person_ids``, those persons.
    """
    select = _PERSON_SQL + _current_only()
    with connection.cursor() as cursor:
        if person_ids is not None:
            ids = sorted({int(i) for i in person_ids})
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(select + f"AND p.id IN ({marks}) ORDER BY p.id", chunk)
                yield _table(cursor.fetchall())
            return
        last = 0
        while True:
            cursor.execute(
                "SELECT MAX(id), COUNT(*) FROM (SELECT id FROM registry_person WHERE id > %s "
                "ORDER BY id LIMIT %s) batch",
                [last, EXPORT_BATCH],
            )
            upper, count = cursor.fetchone()
            if not count:
                return
            cursor.execute(select + "AND p.id > %s AND p.id <= %s ORDER BY p.id", [last, upper])
            yield _table(cursor.fetchall())
            last = upper


# --------------------------------------------------------------------------- results


def _person_id(record_id: str) -> int:
    return int(record_id.split("/", 1)[0])


def collect(hits: Iterable[ScreenHit]) -> dict[tuple[int, int], Found]:
    """The best hit per entry and person (a person may match through several documents)."""
    best: dict[tuple[int, int], Found] = {}
    for hit in hits:
        key = (int(hit.list_id), _person_id(hit.record_id))
        if key in best and best[key].score >= hit.probability:
            continue
        best[key] = Found(
            entry_id=key[0],
            person_id=key[1],
            score=round(hit.probability, 4),
            evidence=[asdict(e) for e in hit.evidence],
            explanation=hit.explanation(),
        )
    return best


def screen_registry(
    as_of: date,
    *,
    entries: QuerySet[WatchListEntry] | None = None,
    person_ids: Iterable[int] | None = None,
    memory_limit: str = "2GB",
) -> Screened:
    """Screen every person (or ``person_ids``) against the entries in force, set-based."""
    started = time.perf_counter()
    table = entry_table(entries if entries is not None else entries_in_force(as_of))
    if table.num_rows == 0:
        return Screened(0, 0, {}, time.perf_counter() - started)
    with duckdb_session(memory_limit) as con:
        con.execute(
            "create table tp_persons (record_id varchar, source varchar, full_name varchar, "
            "sex varchar, date_of_birth varchar, nationality varchar, passport_number varchar)"
        )
        persons = 0
        for batch in person_batches(person_ids):
            con.register("tp_batch", batch)
            con.execute("insert into tp_persons select * from tp_batch")
            con.unregister("tp_batch")
            persons += batch.num_rows
        con.register("tp_watchlist_src", table)
        con.execute("create table tp_watchlist as select * from tp_watchlist_src")
        con.unregister("tp_watchlist_src")
        result = screen_tables(con, "tp_persons", "tp_watchlist", today=as_of)
        found = collect(hits_of_table(con, "tp_hits"))
    log.info("screened %s person records against %s entries: %s", persons, result.entries, result)
    return Screened(persons, result.entries, found, time.perf_counter() - started)


# --------------------------------------------------------------------------- the index

_lock = threading.Lock()
_cached: dict[str, Any] = {"signature": None, "index": None}


def _signature(as_of: date) -> tuple:
    """Changes whenever an entry or a list changes (or the day does)."""
    entries = WatchListEntry.objects.aggregate(n=Count("id"), last=Max("id"), at=Max("updated_at"))
    lists = WatchList.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    return (as_of, entries["n"], entries["last"], entries["at"], lists["n"], lists["at"])


def invalidate() -> None:
    """Forget this process's index (after an import; other processes see the signature).

    The old index is not closed: a thread may still be screening with it; it goes with its
    last reference.
    """
    with _lock:
        _cached.update(signature=None, index=None)


def index_for(as_of: date) -> WatchlistIndex | None:
    """The entries in force on ``as_of`` as an index, or None when there are none."""
    signature = _signature(as_of)
    with _lock:
        if _cached["signature"] == signature:
            return _cached["index"]
        table = entry_table(entries_in_force(as_of))
        index = WatchlistIndex(table, today=as_of) if table.num_rows else None
        _cached.update(signature=signature, index=index)
    return index


def screen_persons(person_ids: Iterable[int], as_of: date) -> Screened:
    """Screen a few persons at once against the in-memory index of the entries in force."""
    started = time.perf_counter()
    ids = sorted({int(i) for i in person_ids})
    if len(ids) > INDEX_LIMIT:
        return screen_registry(as_of, person_ids=ids)
    index = index_for(as_of)
    if index is None or not ids:
        return Screened(len(ids), 0, {}, time.perf_counter() - started)
    batches = list(person_batches(ids))
    persons = pa.concat_tables(batches) if batches else _table([])
    found = collect(index.screen(persons))
    return Screened(len(ids), index.size, found, time.perf_counter() - started)
