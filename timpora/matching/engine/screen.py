"""Screening persons against a watch list, with an explanation for every hit.

A watch list (entry bans, wanted persons, Interpol notices, the office's own list) is
compared with a population of person records on the same features and model as
deduplication. Candidate pairs come from equality joins on blocking keys (passport OCR key;
birth date and nationality; name keys; a name token and a birth date; the sound of the name
and a birth year or, for entries without a birth date, the nationality; for entries with
only a birth year, a name token, the year and the nationality), so a million
persons against a hundred thousand entries never forms the cross product. Pairs are scored
with :func:`~timpora.matching.engine.score.scoring_sql` and hits at or above the threshold
are explained field by field.

Scores are match probabilities under a fixed prior (:data:`SCREEN_PRIOR`, one pair in
100,000) rather than one derived from the sizes of the two files, so the same person and
entry get the same score whichever list or population they come in. Entries whose
``valid_until`` has passed are left out; an empty or unreadable ``valid_until`` keeps the
entry (screening against an entry that may have lapsed is the safer mistake).
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from timpora.matching.engine.features import build_features
from timpora.matching.engine.link import Progress, duckdb_session, load_person_csv
from timpora.matching.engine.model import MatchModel, add_blocking_keys
from timpora.matching.engine.score import (
    DISPLAY_COLUMNS,
    evidence_of,
    explain,
    pair_select,
    scoring_sql,
)

__all__ = [
    "DEFAULT_SCREEN_THRESHOLD",
    "SCREEN_PRIOR",
    "WATCHLIST_COLUMNS",
    "ScreenResult",
    "iter_hits",
    "screen_csv",
    "screen_tables",
]

#: Columns of a watch-list file.
WATCHLIST_COLUMNS = (
    "list_id",
    "full_name",
    "date_of_birth",
    "nationality",
    "passport_number",
    "list_type",
    "valid_until",
)
#: Prior probability that a person and a watch-list entry are the same, for every pair.
SCREEN_PRIOR = 1e-5
#: Hits are pairs at or above this probability.
DEFAULT_SCREEN_THRESHOLD = 0.5

_HIT_COLUMNS = ("record_id", "list_id", "score", "explanation")


@dataclass
class ScreenResult:
    """What a screening run did."""

    persons: int
    entries: int
    expired: int
    pairs_scored: int
    hits: int
    seconds: dict[str, float] = field(default_factory=dict)


def _candidate_pairs_sql(persons: str, entries: str) -> str:
    """Person-entry id pairs sharing at least one blocking key (each pair once)."""
    joins = [
        "p.passport_ocr = w.passport_ocr",
        "p.dob_swapkey = w.dob_swapkey and p.nationality = w.nationality",
        "p.name_sorted = w.name_sorted",
        "p.name_cycle = w.name_cycle",
        "p.name_phon = w.name_phon and p.dob_y = w.dob_y",
        "p.name_phon = w.name_phon and p.nationality = w.nationality and w.dob_y is null",
    ]
    selects = [
        f"select p.unique_id as pid, w.unique_id as wid from {persons} p join {entries} w on {j}"
        for j in joins
    ]
    selects.append(
        f"""select p.unique_id, w.unique_id
        from (select unique_id, dob_swapkey, unnest(name_tokens) as token from {persons}
              where dob_swapkey is not null) p
        join (select unique_id, dob_swapkey, unnest(name_tokens) as token from {entries}
              where dob_swapkey is not null) w
          on p.token = w.token and p.dob_swapkey = w.dob_swapkey"""
    )
    # Entries known only to the year (or year and month) and a name that may be shorter
    # than the person's (NGUYEN LAN for NGUYEN THI LAN): a shared token, year, nationality.
    selects.append(
        f"""select p.unique_id, w.unique_id
        from (select unique_id, dob_y, nationality, unnest(name_tokens) as token
              from {persons} where dob_y is not null and nationality is not null) p
        join (select unique_id, dob_y, nationality, unnest(name_tokens) as token
              from {entries} where dob_swapkey is null and dob_y is not null) w
          on p.token = w.token and p.dob_y = w.dob_y and p.nationality = w.nationality"""
    )
    return " union ".join(selects)


def screen_tables(
    con: duckdb.DuckDBPyConnection,
    persons: str,
    watchlist: str,
    *,
    model: MatchModel | None = None,
    threshold: float = DEFAULT_SCREEN_THRESHOLD,
    today: dt.date | None = None,
    progress: Progress | None = None,
    output: str = "tp_hits",
) -> ScreenResult:
    """Screen relation ``persons`` (person input columns) against ``watchlist``.

    Table ``output`` gets the scored hits with the comparison levels and the values
    needed to explain them (see :func:`iter_hits`).
    """
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    def stage(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        seconds[name] = round(now - started, 2)
        started = now
        if progress is not None:
            progress(name)

    today = today or dt.date.today()
    used = (model or MatchModel.load()).with_prior(SCREEN_PRIOR)
    total = con.execute(f"select count(*) from {watchlist}").fetchall()[0][0]
    con.execute(
        f"""
        create or replace view tp_entries as
        select list_id as record_id, list_type as source, full_name, null::varchar as sex,
               date_of_birth, nationality, passport_number
        from {watchlist}
        where try_cast(nullif(trim(valid_until), '') as date) is null
           or try_cast(nullif(trim(valid_until), '') as date) >= date '{today.isoformat()}'
        """
    )
    extra = DISPLAY_COLUMNS[1:]
    entries = build_features(con, "tp_entries", "tp_wl_features", extra_columns=extra)
    n_persons = build_features(con, persons, "tp_person_features", extra_columns=extra)
    # Name frequencies are those of the population: a name common among the persons is
    # common evidence, however often the list repeats it.
    add_blocking_keys(con, "tp_person_features")
    con.execute(
        """
        create or replace table tp_wl_features as
        select w.*, coalesce(n.name_count, 1) as name_count
        from tp_wl_features w
        left join (select name_sorted, max(name_count) as name_count
                   from tp_person_features group by name_sorted) n using (name_sorted)
        """
    )
    stage("features")

    con.execute(
        "create or replace table tp_screen_pairs as "
        + _candidate_pairs_sql("tp_person_features", "tp_wl_features")
    )
    pairs = con.execute("select count(*) from tp_screen_pairs").fetchall()[0][0]
    stage("blocking")

    pair_rows = (
        f"select {pair_select('p', 'w')} from tp_screen_pairs s "
        "join tp_person_features p on p.unique_id = s.pid "
        "join tp_wl_features w on w.unique_id = s.wid"
    )
    con.execute(
        f"""
        create or replace table {output} as
        with pairs as ({pair_rows})
        select * from ({scoring_sql(used, "pairs")})
        where match_probability >= {float(threshold)!r}
        """
    )
    hits = con.execute(f"select count(*) from {output}").fetchall()[0][0]
    con.execute("drop table tp_screen_pairs")
    stage("scoring")
    return ScreenResult(n_persons, entries, total - entries, pairs, hits, seconds)


def iter_hits(
    con: duckdb.DuckDBPyConnection,
    model: MatchModel | None = None,
    *,
    table: str = "tp_hits",
    gettext: Callable[[str], str] = str,
    batch_size: int = 10_000,
) -> Iterator[tuple[str, str, float, str]]:
    """``(record_id, list_id, score, explanation)`` for every hit, best first per person.

    Streams in batches, so millions of hits never sit in memory at once.
    """
    used = (model or MatchModel.load()).with_prior(SCREEN_PRIOR)
    reader = con.cursor()
    try:
        batches = reader.sql(
            f"select * from {table} order by unique_id_l, match_probability desc, unique_id_r"
        ).to_arrow_reader(batch_size)
        for batch in batches:
            for row in batch.to_pylist():
                evidence = evidence_of(used, row)
                yield (
                    str(row["unique_id_l"]),
                    str(row["unique_id_r"]),
                    round(float(row["match_probability"]), 4),
                    explain(evidence, gettext),
                )
    finally:
        reader.close()


def screen_csv(
    watchlist_path: str | Path,
    input_path: str | Path,
    output_path: str | Path,
    *,
    model: MatchModel | None = None,
    threshold: float = DEFAULT_SCREEN_THRESHOLD,
    today: dt.date | None = None,
    memory_limit: str = "2GB",
    gettext: Callable[[str], str] = str,
    progress: Progress | None = None,
) -> ScreenResult:
    """Screen a person CSV against a watch-list CSV; writes ``record_id,list_id,score,
    explanation``."""
    with duckdb_session(memory_limit) as con:
        load_person_csv(
            con, watchlist_path, "tp_watchlist", required=WATCHLIST_COLUMNS, id_column="list_id"
        )
        load_person_csv(con, input_path, "tp_persons")
        if progress is not None:
            progress("reading")
        result = screen_tables(
            con,
            "tp_persons",
            "tp_watchlist",
            model=model,
            threshold=threshold,
            today=today,
            progress=progress,
        )
        with Path(output_path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(_HIT_COLUMNS)
            writer.writerows(iter_hits(con, model, gettext=gettext))
        if progress is not None:
            progress("writing")
    return result
