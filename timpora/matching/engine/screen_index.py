"""Screening a few persons at a time against a watch list prepared once (incremental).

:func:`~timpora.matching.engine.screen.screen_tables` computes the features of the whole
watch list on every call: right for a run over the whole registry, wasteful when one new
report must be screened at once (most of a call against 10,000 entries goes to the list's
name keys). :class:`WatchlistIndex` computes the list's features once and then screens small
person tables with the same blocking keys, model, prior and name frequencies that
``screen_tables`` uses for those persons, so a hit found at once is the hit a full run finds
(``timpora/watchlists/tests`` compare both).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from timpora.matching.engine.features import build_features
from timpora.matching.engine.model import MatchModel, add_blocking_keys
from timpora.matching.engine.score import (
    DISPLAY_COLUMNS,
    Evidence,
    evidence_of,
    explain,
    pair_select,
    scoring_sql,
)
from timpora.matching.engine.screen import (
    DEFAULT_SCREEN_THRESHOLD,
    SCREEN_PRIOR,
    _candidate_pairs_sql,
)

__all__ = ["ScreenHit", "WatchlistIndex", "hits_of_table"]


@dataclass(frozen=True)
class ScreenHit:
    """A person record that may be a watch-list entry: ids, probability and evidence."""

    record_id: str
    list_id: str
    probability: float
    evidence: tuple[Evidence, ...]

    def explanation(self, gettext: Callable[[str], str] = str) -> str:
        return explain(self.evidence, gettext)


def hits_of_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    model: MatchModel | None = None,
    *,
    batch_size: int = 10_000,
):
    """:class:`ScreenHit` for every row of a hits table written by ``screen_tables``.

    Streams in batches (a full run may find many hits). ``model`` is the model given to
    ``screen_tables`` (default: the shipped one); the screening prior is applied here.
    """
    used = (model or MatchModel.load()).with_prior(SCREEN_PRIOR)
    reader = con.cursor()
    try:
        batches = reader.sql(f"select * from {table}").to_arrow_reader(batch_size)
        for batch in batches:
            for row in batch.to_pylist():
                yield ScreenHit(
                    str(row["unique_id_l"]),
                    str(row["unique_id_r"]),
                    float(row["match_probability"]),
                    evidence_of(used, row),
                )
    finally:
        reader.close()


class WatchlistIndex:
    """A watch list whose features are computed once, for screening persons as they come.

    ``watchlist`` has the watch-list columns (``list_id``, ``full_name``, ``date_of_birth``,
    ``nationality``, ``passport_number``, ``list_type``, ``valid_until``); entries whose
    ``valid_until`` is before ``today`` are left out, as ``screen_tables`` leaves them out.
    Queries are serialised by a lock, so threads may share an index.
    """

    def __init__(
        self,
        watchlist: pa.Table,
        *,
        model: MatchModel | None = None,
        today: dt.date | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> None:
        self.con = con or duckdb.connect()
        self.model = model or MatchModel.load()
        self._used = self.model.with_prior(SCREEN_PRIOR)
        self._lock = threading.Lock()
        self._name = f"tp_wli_{uuid.uuid4().hex[:8]}"
        self.today = today or dt.date.today()
        source = f"{self._name}_src"
        self.con.register(source, watchlist)
        self.con.execute(
            f"""
            create or replace view {self._name}_valid as
            select list_id as record_id, list_type as source, full_name, null::varchar as sex,
                   date_of_birth, nationality, passport_number
            from {source}
            where try_cast(nullif(trim(valid_until), '') as date) is null
               or try_cast(nullif(trim(valid_until), '') as date)
                  >= date '{self.today.isoformat()}'
            """
        )
        self.size = build_features(
            self.con,
            f"{self._name}_valid",
            f"{self._name}_base",
            extra_columns=DISPLAY_COLUMNS[1:],
        )
        self.con.execute(f"drop view {self._name}_valid")
        self.con.unregister(source)

    def screen(
        self, persons: pa.Table, *, threshold: float = DEFAULT_SCREEN_THRESHOLD
    ) -> list[ScreenHit]:
        """Hits of ``persons`` (person input columns) at or above ``threshold``, best first."""
        if persons.num_rows == 0 or self.size == 0:
            return []
        n = self._name
        with self._lock:
            con = self.con
            con.register(f"{n}_query", persons)
            try:
                build_features(con, f"{n}_query", f"{n}_persons", extra_columns=DISPLAY_COLUMNS[1:])
                add_blocking_keys(con, f"{n}_persons")
                # Name frequencies are those of the persons screened, as in screen_tables.
                con.execute(
                    f"""
                    create or replace temp view {n}_entries as
                    select w.*, coalesce(c.name_count, 1) as name_count
                    from {n}_base w
                    left join (select name_sorted, max(name_count) as name_count
                               from {n}_persons group by name_sorted) c using (name_sorted)
                    """
                )
                pairs = (
                    f"select {pair_select('p', 'w')} "
                    f"from ({_candidate_pairs_sql(f'{n}_persons', f'{n}_entries')}) s "
                    f"join {n}_persons p on p.unique_id = s.pid "
                    f"join {n}_entries w on w.unique_id = s.wid"
                )
                rows = (
                    con.sql(
                        f"with pairs as ({pairs}) "
                        f"select * from ({scoring_sql(self._used, 'pairs')}) "
                        f"where match_probability >= {float(threshold)!r} "
                        "order by unique_id_l, match_probability desc, unique_id_r"
                    )
                    .to_arrow_table()
                    .to_pylist()
                )
            finally:
                con.execute(f"drop view if exists {n}_entries")
                con.execute(f"drop table if exists {n}_persons")
                con.unregister(f"{n}_query")
        return [
            ScreenHit(
                str(row["unique_id_l"]),
                str(row["unique_id_r"]),
                float(row["match_probability"]),
                evidence_of(self._used, row),
            )
            for row in rows
        ]

    def close(self) -> None:
        self.con.close()
