"""Entity resolution of an import chunk: staged report rows against the registry, set-based.

The importer (``intake.importer.link_stage``) first links the rows whose passport is
registered. For the rest, this module:

1. computes the rows' match keys with the engine (DuckDB, each distinct name once) and
   stages them next to the report rows (``matching_stage_keys``);
2. generates the candidate pairs in the database with one INSERT … SELECT whose branches
   are the model's blocking rules, each an indexed join on ``PersonMatchKey``
   (``matching_stage_pairs``), and counts how many people carry each name;
3. scores all pairs at once with the engine in DuckDB (``resolver.score_pairs``);
4. links each row whose best candidate reaches the auto threshold (one UPDATE … FROM), and
   remembers the rows between the thresholds.

The importer then registers new persons for the remaining rows as before; :func:`key_new_persons`
inserts their keys from the staged ones, and :func:`queue_review_pairs` files the review pairs
of the rows that got a new person. A constant number of statements per chunk, whatever its
size: no query per row.

The single-record blocking rule "shared name token and birth date, any nationality" is not
used here: as a join it would compare every staged row with everyone born the same day.
"""

from __future__ import annotations

import io
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
from django.db import connection

from timpora.matching import resolver
from timpora.matching.choices import PairSource
from timpora.matching.engine.features import build_features
from timpora.matching.engine.model import RARE_NAME_LIMIT
from timpora.matching.engine.score import Evidence
from timpora.matching.keys import KEY_COLUMNS, UNKNOWN_NATIONALITIES
from timpora.matching.models import PersonMatchKey

log = logging.getLogger(__name__)

KEYS = "matching_stage_keys"
PAIRS = "matching_stage_pairs"
NAMES = "matching_stage_names"
LINKS = "matching_stage_links"
REVIEW = "matching_stage_review"
_TABLE = PersonMatchKey._meta.db_table
# The staged keys: the key columns of a person, by row number instead of person id.
_STAGED = ("row_number", *KEY_COLUMNS[1:])
_STAGED_TYPES = {
    "row_number": "integer",
    "dob_y": "integer",
}


@dataclass
class ReviewRow:
    """A staged row whose best candidate lies between the thresholds."""

    row_number: int
    person_id: int
    probability: float
    match_weight: float
    evidence: tuple[Evidence, ...]


@dataclass
class BatchResult:
    """What the batch step did to a chunk."""

    scored_rows: int = 0
    pairs: int = 0
    linked: int = 0
    review: list[ReviewRow] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    _clock: float = field(default_factory=time.perf_counter, repr=False)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self._clock, 3)
        self._clock = now


# ---------------------------------------------------------------------------- temp tables


def _temp_table(cursor, name: str, columns: str) -> None:
    """A per-session temporary table, empty at the start of the chunk."""
    if connection.vendor == "postgresql":
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns}) ON COMMIT DELETE ROWS")
    else:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns})")
    cursor.execute(f"DELETE FROM {name}")


def _prepare(cursor) -> None:
    key_columns = ", ".join(f"{c} {_STAGED_TYPES.get(c, 'text')}" for c in _STAGED)
    flags = ", ".join(f"{c}_big integer" for c in _YEAR_BLOCKS)
    _temp_table(cursor, KEYS, f"{key_columns}, {flags}")
    _temp_table(cursor, PAIRS, "row_number integer, key_id bigint")
    _temp_table(cursor, NAMES, "name_sorted text, n integer, people integer")
    _temp_table(cursor, LINKS, "row_number integer, person_id bigint")
    _temp_table(cursor, REVIEW, "row_number integer, item integer")


def _write(cursor, table: str, columns: tuple[str, ...], rows: pa.Table | list[tuple]) -> None:
    if connection.vendor == "postgresql" and isinstance(rows, pa.Table):
        buffer = io.BytesIO()
        pa_csv.write_csv(
            rows,
            buffer,
            write_options=pa_csv.WriteOptions(include_header=False, quoting_style="needed"),
        )
        names = ", ".join(columns)
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getvalue())
        return
    values = rows.to_pylist() if isinstance(rows, pa.Table) else rows
    if isinstance(rows, pa.Table):
        values = [tuple(row[c] for c in columns) for row in values]
    if not values:
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", [tuple(v) for v in values]
    )


# ---------------------------------------------------------------------------- the step


def _staged_records(cursor, stage: str) -> pa.Table:
    """The unlinked staged rows in the engine's input columns."""
    cursor.execute(
        "SELECT row_number, full_name, sex, birth_date, nationality, passport_number "
        f"FROM {stage} WHERE person_id IS NULL"
    )
    rows = cursor.fetchall()
    born = [r[3] for r in rows]
    return pa.table(
        {
            "record_id": pa.array([str(r[0]) for r in rows], pa.string()),
            "source": pa.nulls(len(rows), pa.string()),
            "full_name": pa.array([r[1] or "" for r in rows], pa.string()),
            "sex": pa.array(["" if r[2] in (None, "X") else r[2] for r in rows], pa.string()),
            "date_of_birth": pa.array(
                [b.isoformat() if isinstance(b, date) else (b or "") for b in born], pa.string()
            ),
            "nationality": pa.array(
                ["" if (r[4] or "") in UNKNOWN_NATIONALITIES else r[4] for r in rows], pa.string()
            ),
            "passport_number": pa.array([r[5] or "" for r in rows], pa.string()),
        }
    )


def _features(records: pa.Table) -> tuple[pa.Table, pa.Table]:
    """(the staged keys to store, the rows' engine features) computed by the engine."""
    con = duckdb.connect()
    try:
        con.execute(f"set threads = {os.cpu_count() or 1}")
        con.register("tp_records", records)
        build_features(
            con,
            "tp_records",
            "tp_features",
            extra_columns=("date_of_birth", "passport_number"),
        )
        keys = con.sql(
            """
            select cast(unique_id as integer) as row_number,
                   left(coalesce(full_name, ''), 250) as full_name,
                   nullif(date_of_birth, '') as birth,
                   left(nullif(passport_number, ''), 20) as passport_number,
                   name_key, name_sorted, name_cycle, name_phon, sex,
                   left(nationality, 3) as nationality,
                   case when dob_y between 1 and 9999 then dob_y end as dob_y,
                   dob_swapkey, left(passport, 20) as passport,
                   left(passport_ocr, 20) as passport_ocr
            from tp_features
            """
        ).to_arrow_table()
        features = con.sql(
            "select * exclude (date_of_birth, passport_number), "
            "nullif(date_of_birth, '') as date_of_birth, "
            "nullif(passport_number, '') as passport_number from tp_features"
        ).to_arrow_table()
    finally:
        con.close()
    return keys, features


_KEY = f"{_TABLE} k"
#: Name keys blocked together with the birth year (see resolver.NAME_YEAR_BLOCK_LIMIT).
_YEAR_BLOCKS = ("name_sorted", "name_cycle", "name_phon")
_LIVE = "JOIN registry_person p ON p.id = k.person_id AND p.merged_into_id IS NULL"


def _pairs_sql() -> str:
    """The model's blocking rules as joins of the staged keys ``s`` on the key table ``k``."""
    rare = f"(SELECT name_sorted FROM {NAMES} WHERE n <= {int(RARE_NAME_LIMIT)})"
    branches = [
        "k.passport_ocr = s.passport_ocr",
        "k.dob_swapkey = s.dob_swapkey AND (k.nationality = s.nationality "
        "OR k.nationality IS NULL OR s.nationality IS NULL)",
        *(f"k.{c} = s.{c} AND k.dob_y = s.dob_y AND s.{c}_big IS NULL" for c in _YEAR_BLOCKS),
        f"k.name_sorted = s.name_sorted AND s.name_sorted IN {rare}",
    ]
    selects = [f"SELECT s.row_number, k.id FROM {KEYS} s JOIN {_KEY} ON {b}" for b in branches]
    return f"INSERT INTO {PAIRS} (row_number, key_id) " + " UNION ".join(selects)


def _mark_common(cursor, column: str) -> None:
    """Flag the staged rows whose name (``column``) and birth year block is too common to
    compare on (``resolver.NAME_YEAR_BLOCK_LIMIT``), as the single-record path does."""
    cursor.execute(
        f"UPDATE {KEYS} SET {column}_big = 1 FROM (SELECT k.{column} AS v, k.dob_y AS y "
        f"FROM {_KEY} JOIN (SELECT DISTINCT {column}, dob_y FROM {KEYS} WHERE {column} IS NOT "
        f"NULL AND dob_y IS NOT NULL) s ON k.{column} = s.{column} AND k.dob_y = s.dob_y "
        f"GROUP BY k.{column}, k.dob_y HAVING COUNT(*) > {int(resolver.NAME_YEAR_BLOCK_LIMIT)}) "
        f"big WHERE big.v = {KEYS}.{column} AND big.y = {KEYS}.dob_y"
    )


def link_staged(cursor, stage: str, *, auto: float, review: float) -> BatchResult:
    """Score the unlinked rows of ``stage`` against the registry; link those at or above
    ``auto`` (``person_id`` set, ``is_new`` false) and return those between ``review`` and
    ``auto`` for :func:`queue_review_pairs`."""
    _prepare(cursor)
    result = BatchResult()
    records = _staged_records(cursor, stage)
    if records.num_rows == 0:
        return result
    keys, features = _features(records)
    result.lap("features")
    _write(cursor, KEYS, _STAGED, keys)
    result.scored_rows = records.num_rows
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {KEYS}")
    cursor.execute(f"SELECT COUNT(*) FROM {_TABLE}")
    if not cursor.fetchone()[0]:
        return result  # an empty registry: nothing to link to
    # How many people carry the staged names (rarity for blocking, name counts for scoring).
    cursor.execute(
        f"INSERT INTO {NAMES} (name_sorted, n, people) SELECT k.name_sorted, COUNT(*), "
        f"COUNT(DISTINCT k.dob_swapkey) FROM {_KEY} WHERE k.name_sorted IN "
        f"(SELECT DISTINCT name_sorted FROM {KEYS}) GROUP BY k.name_sorted"
    )
    for column in _YEAR_BLOCKS:
        _mark_common(cursor, column)
    result.lap("stage keys")
    cursor.execute(_pairs_sql())
    cursor.execute(f"SELECT COUNT(*) FROM {PAIRS}")
    result.pairs = cursor.fetchone()[0]
    result.lap("pairs")
    if not result.pairs:
        return result
    # ... and the candidates' names that the staged rows do not carry.
    cursor.execute(
        f"INSERT INTO {NAMES} (name_sorted, n, people) SELECT k.name_sorted, COUNT(*), "
        f"COUNT(DISTINCT k.dob_swapkey) FROM {_KEY} WHERE k.name_sorted IN (SELECT DISTINCT "
        f"c.name_sorted FROM {_TABLE} c JOIN {PAIRS} x ON x.key_id = c.id WHERE c.name_sorted "
        f"NOT IN (SELECT name_sorted FROM {NAMES})) GROUP BY k.name_sorted"
    )
    columns = ", ".join(f"k.{c}" for c in resolver.CANDIDATE_SCHEMA.names[:-1])
    cursor.execute(
        f"SELECT {columns}, n.people FROM {_KEY} {_LIVE} "
        f"JOIN (SELECT DISTINCT key_id FROM {PAIRS}) x ON x.key_id = k.id "
        f"LEFT JOIN {NAMES} n ON n.name_sorted = k.name_sorted"
    )
    candidates = _columns(cursor.fetchall(), resolver.CANDIDATE_SCHEMA)
    cursor.execute(f"SELECT CAST(row_number AS text), key_id FROM {PAIRS}")
    pairs = _columns(cursor.fetchall(), pa.schema([("uid_l", pa.string()), ("key_id", pa.int64())]))
    cursor.execute(f"SELECT name_sorted, people FROM {NAMES}")
    people = dict(cursor.fetchall())
    result.lap("candidates")
    size = resolver.population()
    left = _left_rows(features, people, size)
    scored = resolver.score_pairs(
        left,
        candidates,
        pairs,
        model=resolver.model_for(size),
        size=size,
        threshold=review,
        threads=os.cpu_count() or 1,
    )
    result.lap("scoring")
    links: list[tuple[int, int]] = []
    seen: set[str] = set()
    for row in scored:  # best first
        if row["unique_id_l"] in seen:
            continue
        seen.add(row["unique_id_l"])
        number = int(row["unique_id_l"])
        if resolver.may_auto_link(row["match_probability"], row["evidence"], auto):
            links.append((number, row["person_id"]))
        else:
            result.review.append(
                ReviewRow(
                    number,
                    row["person_id"],
                    row["match_probability"],
                    row["match_weight"],
                    row["evidence"],
                )
            )
    if links:
        _write(cursor, LINKS, ("row_number", "person_id"), links)
        cursor.execute(
            f"UPDATE {stage} SET person_id = l.person_id, is_new = false FROM {LINKS} l "
            f"WHERE l.row_number = {stage}.row_number"
        )
        result.linked = len(links)
    result.lap("links")
    log.debug(
        "batch resolution: %s rows, %s pairs, %s linked, %s to review; seconds %s",
        result.scored_rows,
        result.pairs,
        result.linked,
        len(result.review),
        result.seconds,
    )
    return result


def _columns(rows: list[tuple], schema: pa.Schema) -> pa.Table:
    """Database rows as an Arrow table, column by column (no dict per row)."""
    if not rows:
        return schema.empty_table()
    columns = list(zip(*rows, strict=True))
    return pa.table(
        [pa.array(list(values), type=f.type) for values, f in zip(columns, schema, strict=True)],
        schema=schema,
    )


def _left_rows(features: pa.Table, people: dict[str, int], size: int) -> pa.Table:
    """The staged rows' features with the counts of their names (``SCORED_SCHEMA``)."""
    names = features.column("name_sorted").to_pylist()
    counts = [people.get(name) or 1 for name in names]
    columns = {name: features.column(name) for name in features.column_names}
    columns["name_count"] = pa.array(counts, pa.int64())
    if "tf_name_sorted" in resolver.SCORED_SCHEMA.names:
        reference = float(max(size, resolver._TF_REFERENCE))
        columns["tf_name_sorted"] = pa.array(
            [c / reference if n else None for c, n in zip(counts, names, strict=True)],
            pa.float64(),
        )
    columns["person_id"] = pa.nulls(features.num_rows, pa.int64())
    return pa.table(
        [columns[f.name].cast(f.type) for f in resolver.SCORED_SCHEMA],
        schema=resolver.SCORED_SCHEMA,
    )


def key_new_persons(cursor, base: int) -> None:
    """Insert the keys of the persons the importer just created (ids ``base + n`` from its
    ``intake_link_new`` table), copied from their first staged row's keys."""
    columns = ", ".join(KEY_COLUMNS)
    values = ", ".join(
        "COALESCE(k.full_name, '')" if c == "full_name" else f"k.{c}" for c in KEY_COLUMNS[1:]
    )
    cursor.execute(
        f"INSERT INTO {_TABLE} ({columns}) SELECT %s + l.n, {values} "
        f"FROM intake_link_new l JOIN {KEYS} k ON k.row_number = l.first_row",
        [base],
    )


def queue_review_pairs(
    cursor,
    stage: str,
    result: BatchResult,
    *,
    source: str = PairSource.IMPORT,
    source_ref: str = "",
    actor=None,
) -> int:
    """Queue the review pairs of the rows that got a new person, in one bulk insert and one
    audit record; returns how many.

    The rows' persons are new, so no decision or earlier pair can exist for them: nothing
    to check one pair at a time.
    """
    if not result.review:
        return 0
    from timpora.audit.actions import record
    from timpora.audit.choices import AuditAction
    from timpora.matching.actions import oriented_evidence
    from timpora.matching.models import MatchCandidate
    from timpora.matching.resolver import evidence_to_json
    from timpora.registry.models import split_area_code

    _write(
        cursor,
        REVIEW,
        ("row_number", "item"),
        [(row.row_number, index) for index, row in enumerate(result.review)],
    )
    cursor.execute(
        f"SELECT r.item, s.person_id, p.kelurahan_code FROM {REVIEW} r "
        f"JOIN {stage} s ON s.row_number = r.row_number "
        "JOIN registry_person p ON p.id = s.person_id"
    )
    best: dict[tuple[int, int], MatchCandidate] = {}
    for item, person_id, area in cursor.fetchall():
        row = result.review[item]
        if person_id == row.person_id:
            continue
        a, b = sorted((row.person_id, person_id))
        if (a, b) in best and best[(a, b)].probability >= row.probability:
            continue
        pair = MatchCandidate(
            person_a_id=a,
            person_b_id=b,
            probability=row.probability,
            match_weight=row.match_weight,
            evidence=evidence_to_json(oriented_evidence(row.evidence, row.person_id, a)),
            source=source,
            source_ref=f"{source_ref} row {row.row_number}".strip()[:80],
            **split_area_code(area or ""),
        )
        best[(a, b)] = pair
    created = MatchCandidate.objects.bulk_create(
        best.values(), batch_size=2000, ignore_conflicts=True
    )
    if created:
        record(
            AuditAction.CREATE,
            actor=actor,
            object_type="matching.matchcandidate",
            object_repr=f"{len(created)} review pairs ({source_ref or source})"[:200],
            fields={
                "count": len(created),
                "source": source,
                "source_ref": source_ref,
                "persons": sorted({i for key in best for i in key})[:1000],
            },
        )
    return len(created)
