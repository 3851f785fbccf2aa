"""Scoring pairs with a trained model in plain DuckDB SQL, and explaining the scores.

Splink trains the model and deduplicates whole files; for one record against the registry
(incremental linking) or a watch list against a population, the trained parameters are
enough: each comparison level's SQL condition and Bayes factor. This module turns them
into one SELECT over a table of candidate pairs, so scoring needs no Splink linker, no
pipeline set-up and no copy of the candidate table: a single new record against a million
indexed persons is one filtered scan plus the arithmetic for the few candidates found.

Every score comes with its evidence (which level each field reached and what it weighed),
rendered into a sentence an analyst can check, e.g. ``passport E12345678 = E1234567B
(OCR-equivalent); name MUHAMMAD AL GHAMDI = MOHAMED ALGHAMDI; born 1980-05-01 =
1980-05-01``. The phrases are marked with :func:`gettext_noop` so the application can
translate them without the engine importing Django.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from timpora.matching.engine.features import FEATURE_SCHEMA, record_features
from timpora.matching.engine.model import MatchModel, add_blocking_keys
from timpora.matching.engine.normalise import name_similarity
from timpora.matching.engine.text import gettext_noop

__all__ = [
    "CandidateIndex",
    "Evidence",
    "ScoredCandidate",
    "explain",
    "pair_select",
    "score_candidates",
    "scoring_sql",
]

#: Feature columns a comparison may read (each as ``<column>_l`` and ``<column>_r``).
PAIR_COLUMNS = (
    "name_key",
    "name_sorted",
    "name_cycle",
    "name_phon",
    "name_tokens",
    "name_count",
    "sex",
    "nationality",
    "dob",
    "dob_y",
    "dob_m",
    "dob_d",
    "passport",
    "passport_ocr",
)
#: Columns kept to explain a score: the values as written.
DISPLAY_COLUMNS = ("full_name", "date_of_birth", "passport_number")


def scoring_sql(model: MatchModel, pairs: str) -> str:
    """SELECT scoring relation ``pairs`` (``<column>_l`` / ``<column>_r``) with ``model``.

    Adds, per comparison ``c``, ``gamma_c`` (index of the level reached, 0 = unknown) and
    ``mw_c`` (its log2 Bayes factor), then ``match_weight`` and ``match_probability``,
    exactly as Splink's predictions compute them.
    """
    gammas = []
    weights = []
    for name, levels in model.comparisons():
        gamma = ["case"]
        for index, level in enumerate(levels):
            if level.sql.strip().upper() == "ELSE":
                gamma.append(f"else {index}")
            else:
                gamma.append(f"when {level.sql} then {index}")
        gamma.append("end")
        gammas.append(f"{' '.join(gamma)} as gamma_{name}")
        table = ", ".join(repr(level.weight) for level in levels)
        weights.append(f"list_extract([{table}]::double[], gamma_{name} + 1) as mw_{name}")
    total = " + ".join(f"mw_{name}" for name, _ in model.comparisons())
    return f"""
    select *, 1.0 / (1.0 + pow(2.0, -match_weight)) as match_probability
    from (
      select *, {model.prior_weight!r} + {total} as match_weight
      from (
        select *, {", ".join(weights)}
        from (select *, {", ".join(gammas)} from {pairs})
      )
    )
    """


# --- explanations ----------------------------------------------------------------------------

_SAME = gettext_noop("%(field)s %(left)s = %(right)s")
_NEAR = gettext_noop("%(field)s %(left)s ~ %(right)s (%(similarity)s)")
_DIFFERENT = gettext_noop("%(field)s %(left)s ≠ %(right)s")
_QUALIFIED = gettext_noop("%(field)s %(left)s %(sign)s %(right)s (%(detail)s)")

#: Field names as shown in explanations.
FIELD_NAMES = {
    "name": gettext_noop("name"),
    "dob": gettext_noop("born"),
    "passport": gettext_noop("passport"),
    "nationality": gettext_noop("nationality"),
    "sex": gettext_noop("sex"),
}
#: How each level is written: (sign, detail or None). Levels not listed are "=" without
#: detail when their weight is positive and "≠" otherwise.
_LEVEL_STYLE: dict[str, tuple[str, str | None]] = {
    "same name, carried by 2 people": ("=", gettext_noop("name carried by 2 people")),
    "same name, carried by up to 4 people": ("=", gettext_noop("name carried by up to 4 people")),
    "same name, carried by up to 8 people": ("=", gettext_noop("name carried by up to 8 people")),
    "same name, carried by up to 16 people": (
        "=",
        gettext_noop("name carried by up to 16 people"),
    ),
    "same name, carried by up to 32 people": (
        "=",
        gettext_noop("name carried by up to 32 people"),
    ),
    "same name, carried by up to 64 people": (
        "=",
        gettext_noop("name carried by up to 64 people"),
    ),
    "same name, carried by more than 64 people": (
        "=",
        gettext_noop("name carried by more than 64 people"),
    ),
    # Labels of earlier models, still in stored evidence.
    "same common name": ("=", gettext_noop("common name")),
    "same name, shared by a few records": ("=", gettext_noop("name shared by a few records")),
    "birth day and month swapped": ("=", gettext_noop("day and month swapped")),
    "birth year and month agree, day unknown": ("~", gettext_noop("partial date: year and month")),
    "birth year agrees, month unknown": ("~", gettext_noop("partial date: year only")),
    "birth year agrees, month as the other's day": (
        "~",
        gettext_noop("partial date: year, and month as the day"),
    ),
    "partial birth date agrees": ("~", gettext_noop("partial date")),
    "birth date one digit apart": ("≈", gettext_noop("one digit apart")),
    "same birth year": ("≠", gettext_noop("same year")),
    "OCR-equivalent passport": ("=", gettext_noop("OCR-equivalent")),
    "passport one character apart or two swapped": (
        "≈",
        gettext_noop("one character apart or two swapped"),
    ),
}
_FUZZY_NAME_LEVELS = frozenset(
    {
        "nearly the same name",
        "one name contains the other or sounds alike",
        "similar name",
    }
)


@dataclass(frozen=True)
class Evidence:
    """How one field of a pair compared: the level reached and what it weighed (log2)."""

    field: str
    level: str
    weight: float
    left: str | None
    right: str | None
    similarity: float | None = None


def explain(evidence: Sequence[Evidence], gettext: Callable[[str], str] = str) -> str:
    """One line of evidence, strongest first, fields with unknown values left out.

    ``gettext`` translates the phrases (the application passes Django's ``gettext``).
    """
    parts = []
    for item in sorted(evidence, key=lambda e: -abs(e.weight)):
        if item.left is None or item.right is None:
            continue
        values = {
            "field": gettext(FIELD_NAMES.get(item.field, item.field)),
            "left": item.left,
            "right": item.right,
        }
        if item.field == "name" and item.level in _FUZZY_NAME_LEVELS:
            values["similarity"] = f"{item.similarity or 0.0:.2f}"
            parts.append(gettext(_NEAR) % values)
            continue
        sign, detail = _LEVEL_STYLE.get(item.level, ("=" if item.weight > 0 else "≠", None))
        if detail is None:
            parts.append(gettext(_SAME if sign == "=" else _DIFFERENT) % values)
        else:
            values.update(sign=sign, detail=gettext(detail))
            parts.append(gettext(_QUALIFIED) % values)
    return "; ".join(parts)


def _display(field: str, row: Mapping[str, Any], side: str) -> str | None:
    column = {
        "name": "full_name",
        "dob": "date_of_birth",
        "passport": "passport_number",
        "nationality": "nationality",
        "sex": "sex",
    }[field]
    value = row.get(f"{column}_{side}")
    if value is None or str(value).strip() == "":
        return None
    return str(value).strip()


def evidence_of(model: MatchModel, row: Mapping[str, Any]) -> tuple[Evidence, ...]:
    """The evidence of one scored pair row (as produced by :func:`scoring_sql`)."""
    out = []
    for name, levels in model.comparisons():
        level = levels[int(row[f"gamma_{name}"])]
        left, right = _display(name, row, "l"), _display(name, row, "r")
        if level.is_null:
            left = right = None
        similarity = None
        if name == "name" and left and right:
            similarity = round(name_similarity(left, right), 2)
        out.append(Evidence(name, level.label, round(level.weight, 2), left, right, similarity))
    return tuple(out)


# --- one record against many -----------------------------------------------------------------


@dataclass(frozen=True)
class ScoredCandidate:
    """A candidate that may be the same person as the query record."""

    record_id: str
    probability: float
    match_weight: float
    evidence: tuple[Evidence, ...]

    def explanation(self, gettext: Callable[[str], str] = str) -> str:
        return explain(self.evidence, gettext)


_QUERY_SCHEMA = pa.schema(
    [
        *FEATURE_SCHEMA,
        ("date_of_birth", pa.string()),
        ("passport_number", pa.string()),
        ("name_count", pa.int64()),
    ]
)


def pair_select(left: str, right: str, extra_right: Sequence[str] = ()) -> str:
    """Columns of a candidate pair: ``<column>_l`` from ``left``, ``<column>_r`` from ``right``."""
    columns = [f"{left}.unique_id as unique_id_l", f"{right}.unique_id as unique_id_r"]
    for column in (*PAIR_COLUMNS, *DISPLAY_COLUMNS):
        columns.append(f"{left}.{column} as {column}_l")
        columns.append(f"{right}.{column} as {column}_r")
    columns.extend(f"{right}.{column}" for column in extra_right)
    return ", ".join(columns)


#: Columns looked up by equality for a single record; indexed (ART) in a CandidateIndex.
_LOOKUP_COLUMNS = ("passport_ocr", "dob_swapkey", "name_sorted", "name_cycle", "name_phon")


class CandidateIndex:
    """Persons prepared for scoring single records against them (incremental linking).

    The features of every candidate are computed once and kept in a DuckDB table; each
    query computes the features of one record, finds candidates by the model's blocking
    keys (one scan with equality filters) and scores only those.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        model: MatchModel,
    ) -> None:
        self.con = con
        self.table = table
        self.size = con.execute(f"select count(*) from {table}").fetchall()[0][0]
        self.model = model.for_population(max(self.size, 2))

    @classmethod
    def build(
        cls,
        records: pa.Table | str,
        *,
        model: MatchModel | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
        table: str = "tp_candidates",
    ) -> CandidateIndex:
        """Index persons given as an Arrow table or the name of a DuckDB relation.

        The records need :data:`~timpora.matching.engine.features.INPUT_COLUMNS`.
        """
        from timpora.matching.engine.features import build_features

        con = con or duckdb.connect()
        source = records
        if isinstance(records, pa.Table):
            source = f"tp_src_{uuid.uuid4().hex[:8]}"
            con.register(source, records)
        build_features(con, str(source), table, extra_columns=DISPLAY_COLUMNS[1:])
        add_blocking_keys(con, table)
        if isinstance(records, pa.Table):
            con.unregister(str(source))
        for column in _LOOKUP_COLUMNS:
            con.execute(f"create index {table}_{column} on {table} ({column})")
        return cls(con, table, model or MatchModel.load())

    def score(
        self,
        record: Mapping[str, Any],
        *,
        threshold: float = 0.5,
        limit: int = 20,
    ) -> list[ScoredCandidate]:
        """Candidates at or above ``threshold``, most probable first (at most ``limit``).

        ``record`` has the input columns (``full_name``, ``date_of_birth``, ``sex``,
        ``nationality``, ``passport_number``); missing keys are unknown.
        """
        q = record_features({**record, "record_id": str(record.get("record_id") or "query")})
        q["date_of_birth"] = record.get("date_of_birth")
        q["passport_number"] = record.get("passport_number")
        # A cursor per query: its registrations are private, so threads may share an index.
        cur = self.con.cursor()
        try:
            # How many people of the population carry the name (the query is one of them).
            count = cur.execute(
                f"select max(name_count) from {self.table} where name_sorted = ?",
                [q["name_sorted"]],
            ).fetchall()[0][0]
            q["name_count"] = count or 1
            # One equality lookup per blocking key (each can use the table's ART index).
            lookups = [
                ("passport_ocr = $passport", q["passport_ocr"]),
                (
                    "dob_swapkey = $dob and (nationality = $nationality "
                    "or list_has_any(name_tokens, $tokens))",
                    q["dob_swapkey"],
                ),
                ("name_sorted = $sorted", q["name_sorted"]),
                ("name_cycle = $cycle", q["name_cycle"]),
                ("name_phon = $phon and dob_y = $year", q["name_phon"]),
            ]
            selects = [
                f"select * from {self.table} where {condition}"
                for condition, value in lookups
                if value is not None
            ]
            if not selects:
                return []
            params = {
                "passport": q["passport_ocr"],
                "dob": q["dob_swapkey"],
                "nationality": q["nationality"],
                "tokens": q["name_tokens"] or [],
                "sorted": q["name_sorted"],
                "cycle": q["name_cycle"],
                "phon": q["name_phon"],
                "year": q["dob_y"],
            }
            used = {k: v for k, v in params.items() if f"${k}" in " ".join(selects)}
            found = cur.sql(" union all ".join(selects), params=used).to_arrow_table()
            if found.num_rows == 0:
                return []
            query = pa.Table.from_pylist([q], schema=_QUERY_SCHEMA)
            cur.register("tp_query", query)
            cur.register("tp_found", found)
            pairs = (
                f"select distinct on (c.unique_id) {pair_select('q', 'c')} "
                "from tp_query q, tp_found c"
            )
            sql = (
                f"with pairs as ({pairs}) "
                f"select * from ({scoring_sql(self.model, 'pairs')}) "
                "where match_probability >= ? order by match_weight desc limit ?"
            )
            result = cur.execute(sql, [threshold, limit])
            columns = [d[0] for d in result.description]
            rows = [dict(zip(columns, values, strict=True)) for values in result.fetchall()]
        finally:
            cur.close()
        return [
            ScoredCandidate(
                record_id=str(row["unique_id_r"]),
                probability=float(row["match_probability"]),
                match_weight=float(row["match_weight"]),
                evidence=evidence_of(self.model, row),
            )
            for row in rows
        ]


def score_candidates(
    record: Mapping[str, Any],
    candidates: CandidateIndex,
    *,
    threshold: float = 0.5,
    limit: int = 20,
) -> list[ScoredCandidate]:
    """Score one record against an indexed population: ``(id, probability, evidence)``.

    See :meth:`CandidateIndex.score`; probabilities use the model's prior rescaled to the
    size of the population (a record is as likely to have a duplicate among a million
    persons as the training data said, so each of them is a million times less likely).
    """
    return candidates.score(record, threshold=threshold, limit=limit)


def match_probability(weight: float) -> float:
    """A match weight (log2 odds) as a probability."""
    return 1.0 / (1.0 + math.pow(2.0, -weight))
