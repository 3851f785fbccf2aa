"""Finding and scoring the registry persons that may be the same as a record.

Retrieval is a handful of indexed equality lookups on ``PersonMatchKey``, one per blocking
rule of the engine's model (``engine.model.BLOCKING_CONDITIONS``): same OCR-folded passport;
same birth date (day/month swap-free) and nationality, or a shared name token; same name key
(order- or spacing-free, or by sound) and birth year, unless more than
:data:`NAME_YEAR_BLOCK_LIMIT` persons share both; or the same name key alone when at most
``RARE_NAME_LIMIT`` persons carry it. Among a million persons that leaves a few candidates,
which the engine scores: ``score.scoring_sql`` computes the trained model's match weight in
DuckDB and ``score.evidence_of`` says what each field contributed. Nothing here re-implements
a comparison: the database only narrows the population down.

One record: :func:`find_candidates` (a few parameterised queries, then DuckDB). Many records
(an import chunk): :func:`score_pairs` over the pairs that ``batch.py`` generates with the
same blocks as set-based joins.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import duckdb
import pyarrow as pa
from django.conf import settings
from django.db import connection

from timpora.matching.engine import model as engine_model
from timpora.matching.engine.features import FEATURE_SCHEMA, record_features
from timpora.matching.engine.model import RARE_NAME_LIMIT, MatchModel
from timpora.matching.engine.score import (
    PAIR_COLUMNS,
    Evidence,
    evidence_of,
    pair_select,
    scoring_sql,
)
from timpora.matching.models import PersonMatchKey

__all__ = [
    "Candidate",
    "evidence_from_json",
    "evidence_to_json",
    "find_candidates",
    "may_auto_link",
    "model_for",
    "population",
    "score_pairs",
]

_TABLE = PersonMatchKey._meta.db_table
#: Whether the model adjusts the name's weight by its frequency (a term-frequency column),
#: and the population size below which frequencies are not trusted (engine constants).
_TERM_FREQUENCY = "tf_name_sorted" in PAIR_COLUMNS
_TF_REFERENCE = getattr(engine_model, "TF_REFERENCE_RECORDS", 100_000)
#: Feature columns of a scored row, as the engine's single-record scorer builds them.
SCORED_SCHEMA = pa.schema(
    [
        *FEATURE_SCHEMA,
        ("date_of_birth", pa.string()),
        ("passport_number", pa.string()),
        ("name_count", pa.int64()),
        *([("tf_name_sorted", pa.float64())] if _TERM_FREQUENCY else []),
        ("person_id", pa.int64()),
    ]
)


@dataclass(frozen=True)
class Candidate:
    """A registry person that may be the record's person, with the engine's evidence."""

    person_id: int
    probability: float
    match_weight: float
    evidence: tuple[Evidence, ...]


def may_auto_link(probability: float, evidence: Iterable[Evidence], auto: float) -> bool:
    """Whether a record may be linked to a candidate without review: at or above the auto
    threshold, and not of another nationality (both known). A passport number is unique
    only within its issuing state, and a nationality written wrong is for an analyst to
    confirm, however well the rest agrees."""
    if probability < auto:
        return False
    return not any(
        e.field == "nationality" and e.left and e.right and e.weight < 0 for e in evidence
    )


def evidence_to_json(evidence: Iterable[Evidence]) -> list[dict[str, Any]]:
    return [
        {
            "field": e.field,
            "level": e.level,
            "weight": e.weight,
            "left": e.left,
            "right": e.right,
            "similarity": e.similarity,
        }
        for e in evidence
    ]


def evidence_from_json(items: Iterable[Mapping[str, Any]]) -> tuple[Evidence, ...]:
    return tuple(Evidence(**dict(item)) for item in items)


# ---------------------------------------------------------------------------- the model


@lru_cache(maxsize=1)
def _trained_model() -> MatchModel:
    path = getattr(settings, "TIMPORA_MATCH_MODEL", "") or None
    return MatchModel.load(path) if path else MatchModel.load()


_population_cache: dict[str, tuple[float, int]] = {}
_POPULATION_SECONDS = 60.0


def population() -> int:
    """About how many key rows there are (the size the model's prior is rescaled to).

    Exact below 200,000 rows; above, PostgreSQL's planner estimate (a COUNT of a million
    rows would cost more than the whole lookup). Cached for a minute per process.
    """
    alias = connection.alias
    cached = _population_cache.get(alias)
    now = time.monotonic()
    if cached and now - cached[0] < _POPULATION_SECONDS:
        return cached[1]
    size = -1
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [_TABLE])
            row = cursor.fetchone()
            size = int(row[0]) if row and row[0] is not None else -1
        if size < 200_000:
            cursor.execute(f"SELECT COUNT(*) FROM {_TABLE}")
            size = int(cursor.fetchone()[0])
    _population_cache[alias] = (now, size)
    return size


def forget_population() -> None:
    """Drop the cached population size (tests, after bulk loads)."""
    _population_cache.clear()


def model_for(size: int | None = None) -> MatchModel:
    """The trained model with its prior rescaled to the registry's size."""
    return _trained_model().for_population(max(size if size is not None else population(), 2))


# ---------------------------------------------------------------------------- features

#: Key rows as read from the database for scoring, with the name's count of people.
CANDIDATE_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("person_id", pa.int64()),
        ("full_name", pa.string()),
        ("birth", pa.string()),
        ("passport_number", pa.string()),
        ("name_key", pa.string()),
        ("name_sorted", pa.string()),
        ("name_cycle", pa.string()),
        ("name_phon", pa.string()),
        ("sex", pa.string()),
        ("nationality", pa.string()),
        ("dob_y", pa.int32()),
        ("dob_swapkey", pa.string()),
        ("passport", pa.string()),
        ("passport_ocr", pa.string()),
        ("name_count", pa.int64()),
    ]
)
_CANDIDATE_COLUMNS = tuple(CANDIDATE_SCHEMA.names[:-1])


def _frequency_sql(size: int) -> str:
    if not _TERM_FREQUENCY:
        return ""
    return (
        ", case when name_sorted is not null then "
        f"name_count / {float(max(size, _TF_REFERENCE))!r} end as tf_name_sorted"
    )


def _candidate_features_sql(raw: str, size: int) -> str:
    """SELECT turning stored key rows (``CANDIDATE_SCHEMA``) into the engine's feature rows.

    The stored keys are the engine's own features; only the forms that are not stored are
    unfolded here: the tokens (``name_key`` is them joined by spaces) and the parts of the
    birth date (``birth`` is ISO, cut to what is known).
    """
    return f"""
    select 'k' || id as unique_id, null::varchar as source, full_name,
      name_key, name_sorted, name_cycle, name_phon,
      case when name_key is not null then string_split(name_key, ' ') end as name_tokens,
      sex, nationality,
      try_cast(left(birth, 4) as integer) as dob_y,
      try_cast(nullif(substr(birth, 6, 2), '') as integer) as dob_m,
      try_cast(nullif(substr(birth, 9, 2), '') as integer) as dob_d,
      case when length(birth) = 10 then birth end as dob,
      dob_swapkey, passport, passport_ocr,
      birth as date_of_birth, passport_number,
      coalesce(name_count, 1) as name_count {_frequency_sql(size)},
      person_id
    from {raw}
    """


def query_features(
    record: Mapping[str, Any], name_count: int | None, size: int, unique_id: str = "q"
) -> dict[str, Any]:
    """The engine's feature row of an incoming record (engine input columns)."""
    q = record_features({**record, "record_id": unique_id})
    q["date_of_birth"] = record.get("date_of_birth") or None
    q["passport_number"] = record.get("passport_number") or None
    q["name_count"] = name_count or 1
    if _TERM_FREQUENCY:
        reference = float(max(size, _TF_REFERENCE))
        q["tf_name_sorted"] = (name_count or 1) / reference if q["name_sorted"] else None
    q["person_id"] = None
    return q


# ---------------------------------------------------------------------------- scoring

_duck = threading.local()


def _duckdb() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection per thread (scoring is pure computation on registered tables)."""
    con = getattr(_duck, "con", None)
    if con is None:
        con = duckdb.connect()
        con.execute("set threads = 1")  # a few hundred pairs: threads cost more than they give
        _duck.con = con
    return con


def score_pairs(
    left: pa.Table,
    candidates: pa.Table,
    pairs: pa.Table | None,
    *,
    model: MatchModel,
    size: int,
    threshold: float,
    threads: int = 1,
) -> list[dict[str, Any]]:
    """Score pairs with the engine: ``left`` feature rows (``SCORED_SCHEMA``) against stored
    key rows (``CANDIDATE_SCHEMA``); rows at or above ``threshold``, best first, each with
    ``unique_id_l``, ``key_id``, ``person_id``, ``match_weight``, ``match_probability`` and
    ``evidence``.

    ``pairs`` has columns ``uid_l`` (a left ``unique_id``) and ``key_id``; None pairs every
    left row with every candidate (one record against its candidates).
    """
    # Big batches get their own connection with every thread; single records share one.
    con = duckdb.connect() if threads > 1 else _duckdb().cursor()
    try:
        if threads > 1:
            con.execute(f"set threads = {int(threads)}")
        con.register("tp_left", left)
        con.register("tp_raw", candidates)
        right = f"({_candidate_features_sql('tp_raw', size)})"
        columns = pair_select("l", "r", ("person_id",))
        if pairs is None:
            source = f"select {columns} from tp_left l, {right} r"
        else:
            con.register("tp_pairs", pairs)
            source = (
                f"select {columns} from tp_pairs p join tp_left l on l.unique_id = p.uid_l "
                f"join {right} r on r.unique_id = 'k' || p.key_id"
            )
        result = con.execute(
            f"with pairs as ({source}) select * from ({scoring_sql(model, 'pairs')}) "
            "where match_probability >= ? order by match_weight desc, unique_id_r",
            [threshold],
        )
        names = [d[0] for d in result.description]
        rows = [dict(zip(names, values, strict=True)) for values in result.fetchall()]
    finally:
        con.close()
    return [
        {
            "unique_id_l": row["unique_id_l"],
            "key_id": int(row["unique_id_r"][1:]),
            "person_id": int(row["person_id"]),
            "match_weight": float(row["match_weight"]),
            "match_probability": float(row["match_probability"]),
            "evidence": evidence_of(model, row),
        }
        for row in rows
    ]


# ---------------------------------------------------------------------------- one record


def _fetch(sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


#: A name (sorted, spacing-free or by sound) and birth year shared by more registered
#: persons than this is too common to compare everyone on: such a block brings hundreds of
#: pairs whose only agreement is "same common name" (weak evidence), and grows with the
#: registry. The birth-date and passport blocks still meet the record's person.
NAME_YEAR_BLOCK_LIMIT = 20


def _block_sizes(q: Mapping[str, Any]) -> dict[str, int]:
    """How many key rows share each of the record's name blocks, in one round trip."""
    parts: list[str] = []
    params: list[Any] = []
    for column in ("name_sorted", "name_cycle"):
        if q[column]:
            # Only whether the name is rare matters: count no further than the limit.
            parts.append(
                f"(SELECT COUNT(*) FROM (SELECT 1 FROM {_TABLE} WHERE {column} = %s "
                f"LIMIT {RARE_NAME_LIMIT + 1}) x) AS {column}"
            )
            params.append(q[column])
    for column in ("name_sorted", "name_cycle", "name_phon"):
        if q[column] and q["dob_y"] is not None:
            parts.append(
                f"(SELECT COUNT(*) FROM (SELECT 1 FROM {_TABLE} WHERE {column} = %s "
                f"AND dob_y = %s LIMIT {NAME_YEAR_BLOCK_LIMIT + 1}) x) AS {column}_year"
            )
            params.extend([q[column], q["dob_y"]])
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        names = [c[0] for c in cursor.description]
        return dict(zip(names, (int(v) for v in cursor.fetchone()), strict=True))


def name_counts(names: Iterable[str]) -> dict[str, int]:
    """How many people carry each sorted name key (distinct birth dates, as the engine's
    ``add_blocking_keys`` counts them)."""
    wanted = sorted({n for n in names if n})
    counts: dict[str, int] = {}
    for start in range(0, len(wanted), 900):
        part = wanted[start : start + 900]
        marks = ", ".join(["%s"] * len(part))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT name_sorted, COUNT(DISTINCT dob_swapkey) FROM {_TABLE} "
                f"WHERE name_sorted IN ({marks}) GROUP BY name_sorted",
                part,
            )
            counts.update({name: max(int(n), 1) for name, n in cursor.fetchall()})
    return counts


def _lookups(q: Mapping[str, Any]) -> list[tuple[str, list[Any]]]:
    """The blocking rules as parameterised conditions on the key table ``k``."""
    out: list[tuple[str, list[Any]]] = []
    if q["passport_ocr"]:
        out.append(("k.passport_ocr = %s", [q["passport_ocr"]]))
    if q["dob_swapkey"]:
        params: list[Any] = [q["dob_swapkey"]]
        if q["nationality"]:
            alternatives = ["k.nationality IS NULL", "k.nationality = %s"]
            params.append(q["nationality"])
            for token in q["name_tokens"] or ():
                # A shared name token and birth date meet whatever the nationality says.
                alternatives.append("(' ' || k.name_key || ' ') LIKE %s")
                params.append(f"% {token} %")
            out.append((f"k.dob_swapkey = %s AND ({' OR '.join(alternatives)})", params))
        else:
            # A record without nationality is blocked on its birth date alone.
            out.append(("k.dob_swapkey = %s", params))
    sizes = _block_sizes(q)
    for column in ("name_sorted", "name_cycle"):
        if q[column] and sizes.get(column, 0) <= RARE_NAME_LIMIT:
            out.append((f"k.{column} = %s", [q[column]]))
    for column in ("name_sorted", "name_cycle", "name_phon"):
        year_block = sizes.get(f"{column}_year")
        if year_block is not None and year_block <= NAME_YEAR_BLOCK_LIMIT:
            out.append((f"k.{column} = %s AND k.dob_y = %s", [q[column], q["dob_y"]]))
    return out


def find_candidates(
    record: Mapping[str, Any],
    *,
    threshold: float,
    exclude: Iterable[int] = (),
    limit: int = 10,
) -> list[Candidate]:
    """The persons that may be ``record``'s person, at or above ``threshold``, most
    probable first (one entry per person: its best key row).

    ``record`` has the engine's input columns (``keys.engine_record``); persons in
    ``exclude`` are left out (the record's own person, persons decided different).
    """
    q = record_features({**record, "record_id": "q"})
    lookups = _lookups(q)
    if not lookups:
        return []
    columns = ", ".join(f"k.{c}" for c in _CANDIDATE_COLUMNS)
    # Keys of a person merged into another (a merge made outside ``actions``, not re-keyed
    # yet) are skipped: the person is a tombstone.
    sql = " UNION ".join(
        f"SELECT {columns} FROM {_TABLE} k JOIN registry_person p ON p.id = k.person_id "
        f"WHERE p.merged_into_id IS NULL AND {cond}"
        for cond, _ in lookups
    )
    found = _fetch(sql, [p for _, params in lookups for p in params])
    excluded = set(exclude)
    found = [row for row in found if row["person_id"] not in excluded]
    if not found:
        return []
    size = population()
    counts = name_counts([q["name_sorted"], *(row["name_sorted"] for row in found)])
    query = pa.Table.from_pylist(
        [query_features(record, counts.get(q["name_sorted"]), size)], schema=SCORED_SCHEMA
    )
    raw = pa.Table.from_pylist(
        [{**row, "name_count": counts.get(row["name_sorted"])} for row in found],
        schema=CANDIDATE_SCHEMA,
    )
    scored = score_pairs(query, raw, None, model=model_for(size), size=size, threshold=threshold)
    best: dict[int, Candidate] = {}
    for row in scored:
        pid = row["person_id"]
        if pid not in best:
            best[pid] = Candidate(
                pid, row["match_probability"], row["match_weight"], row["evidence"]
            )
    return list(best.values())[:limit]
