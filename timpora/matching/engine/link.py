"""Batch deduplication: a file of person records in, one cluster per person out.

The whole run stays inside one DuckDB database (in memory, spilling to a temporary
directory beyond ``memory_limit``): DuckDB reads the CSV, the features are SQL plus a
streamed pass over distinct names, Splink blocks, scores and clusters, and DuckDB writes the
result. Python never holds the records, so memory is bounded by DuckDB's limit.

``match_probability`` of a record is its best link: the highest pairwise match
probability between it and any other record that was scored. For a record in a cluster of
two or more this is at least the clustering threshold (it joined through such a link); for
a record left alone it says how close it came to being linked (0 when no pair with it
reached :data:`REPORT_FLOOR`). A singleton is therefore *not* reported as 1.0: the number
answers "how sure are we that this record has a duplicate here", not "how sure are we
that this record is itself".
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import duckdb

from timpora.matching.engine.features import INPUT_COLUMNS, build_features
from timpora.matching.engine.model import (
    MatchModel,
    add_blocking_keys,
    add_token_year_keys,
    name_implied_rates,
    settings_dict,
    train,
)
from timpora.matching.engine.text import gettext_noop

__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_TRAINING_RECORDS",
    "ONE_TO_ONE_THRESHOLD",
    "REPORT_FLOOR",
    "InputError",
    "LinkResult",
    "duckdb_session",
    "link_csv",
    "link_table",
    "load_person_csv",
]

if TYPE_CHECKING:
    from splink import Linker
    from splink.internals.splink_dataframe import SplinkDataFrame


#: Pairs at or above this probability are the same person (clustering threshold). Chosen
#: on the committed labelled set and on generated files of 100,000 records (realistic
#: names, seeds 1 and 3; crowded names, seed 1), never on the 1,000,000-record benchmark
#: set: F1 is flat from 0.52 to 0.65 and drops on both sides (lower, unrelated records
#: chain into large clusters; higher, a frequent pattern of true pairs is lost), so 0.6
#: sits in the middle of the plateau (bench/README.md, "Linkage").
DEFAULT_THRESHOLD = 0.6
#: Pairs below this probability are not kept at all (they cannot be anyone's best link).
REPORT_FLOOR = 0.01
#: Below this many records the bundled model is used instead of training on the input.
MIN_TRAINING_RECORDS = 20_000
#: Between sources declared free of duplicates, mutual best links at or above this
#: probability are accepted (see :func:`link_table`).
ONE_TO_ONE_THRESHOLD = 0.5

Progress = Callable[[str], None]
TrainMode = Literal["auto", "always", "never"]


class InputError(ValueError):
    """A person file that cannot be used; the message names the file, row or column.

    ``template`` is an English phrase marked for translation and ``params`` fill its named
    placeholders: the application translates the template, then formats it.
    """

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = {key: str(value) for key, value in params.items()}
        super().__init__(template % self.params)


@dataclass
class LinkResult:
    """What a linking run did: sizes, whether it trained, and time per stage."""

    records: int
    clusters: int
    pairs_scored: int
    trained: bool
    model: MatchModel
    seconds: dict[str, float] = field(default_factory=dict)


@contextmanager
def duckdb_session(
    memory_limit: str = "2GB", threads: int | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB connection that spills to a private temporary directory."""
    spill = tempfile.mkdtemp(prefix="timpora-link-")
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute(f"set temp_directory = '{spill}'")
        con.execute("set preserve_insertion_order = false")
        con.execute(f"set threads = {int(threads or os.cpu_count() or 1)}")
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def _csv_reader(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    return (
        f"read_csv('{quoted}', header = true, all_varchar = true, "
        "auto_detect = true, strict_mode = true)"
    )


def load_person_csv(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    table: str,
    *,
    required: tuple[str, ...] = INPUT_COLUMNS,
    id_column: str = "record_id",
) -> int:
    """Load a person CSV into ``table`` (all text) after checking it; returns the row count.

    Raises :class:`InputError` naming the file and the missing column, the row with an
    empty or repeated ``id_column``, or DuckDB's own description of a malformed line.
    A ``tp_row`` column keeps the line number (the header is line 1).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(gettext_noop("%(path)s: no such file"), path=path)
    # Row numbers must follow the file, whatever the session's setting for speed.
    con.execute("set preserve_insertion_order = true")
    try:
        con.execute(
            f"create or replace table {table} as "
            f"select *, (row_number() over () + 1)::bigint as tp_row from {_csv_reader(path)}"
        )
    except duckdb.Error as error:
        raise InputError(
            gettext_noop("%(path)s: cannot be read as CSV: %(error)s"), path=path, error=error
        ) from error
    finally:
        con.execute("set preserve_insertion_order = false")
    columns = [row[0] for row in con.execute(f"describe {table}").fetchall()]
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputError(
            gettext_noop("%(path)s: missing column(s) %(missing)s (found: %(found)s)"),
            path=path,
            missing=", ".join(missing),
            found=", ".join(c for c in columns if c != "tp_row"),
        )
    empty = con.execute(
        f"select tp_row from {table} where nullif(trim({id_column}), '') is null "
        "order by tp_row limit 1"
    ).fetchall()
    if empty:
        raise InputError(
            gettext_noop("%(path)s: row %(row)s: empty %(column)s"),
            path=path,
            row=empty[0][0],
            column=id_column,
        )
    repeated = con.execute(
        f"select {id_column}, list(tp_row order by tp_row) from {table} "
        f"group by {id_column} having count(*) > 1 order by min(tp_row) limit 1"
    ).fetchall()
    if repeated:
        value, rows = repeated[0]
        raise InputError(
            gettext_noop("%(path)s: %(column)s %(value)s appears on rows %(rows)s"),
            path=path,
            column=id_column,
            value=value,
            rows=", ".join(str(r) for r in rows[:5]),
        )
    return con.execute(f"select count(*) from {table}").fetchall()[0][0]


def _make_linker(con: duckdb.DuckDBPyConnection, table: str, settings: dict) -> Linker:
    """A Splink linker over an existing table of ``con`` (Splink is imported lazily: its
    import costs a second, which commands that fail early should not pay)."""
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection=con)
    frame = db_api.register(table)
    return Linker(frame, settings, log_level=None)


def link_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    *,
    model: MatchModel | None = None,
    train_mode: TrainMode = "auto",
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = 1,
    unique_sources: Sequence[str] = (),
    one_to_one_threshold: float = ONE_TO_ONE_THRESHOLD,
    progress: Progress | None = None,
    output: str = "tp_clusters",
) -> LinkResult:
    """Deduplicate the person records of ``table`` into table ``output``.

    ``output`` gets one row per input record: ``record_id``, ``cluster_id`` (the smallest
    record id of the cluster) and ``match_probability`` (the record's best link, see the
    module docstring), plus ``tp_row`` when the input had it. The model is trained on the
    input when ``train_mode`` is ``"always"``, or ``"auto"`` with at least
    :data:`MIN_TRAINING_RECORDS` records; otherwise ``model`` (default: the bundled one)
    is used with its prior rescaled to the input size.

    ``unique_sources`` names sources known to hold each person at most once (two
    deduplicated registers being linked): records of one such source are never joined,
    and between two of them a pair is linked when each record is the other's best
    candidate in that source and the pair reaches ``one_to_one_threshold``. The competition
    is evidence in itself, so this threshold may be lower than ``threshold``.
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

    extra = ("tp_row",) if "tp_row" in _columns(con, table) else ()
    records = build_features(con, table, "tp_features", extra_columns=extra)
    add_blocking_keys(con, "tp_features")
    add_token_year_keys(con, "tp_features")
    stage("features")

    trained = train_mode == "always" or (train_mode == "auto" and records >= MIN_TRAINING_RECORDS)
    if trained:
        linker = _make_linker(con, "tp_features", settings_dict())
        train(linker, con, "tp_features", seed=seed)
        used = MatchModel.from_linker(linker, records, name_implied_rates(con, "tp_features"))
        # The trained model has levels the training linker has not (the nationality given
        # the names): predictions come from a linker of the model itself.
        linker = _make_linker(con, "tp_features", used.settings)
    else:
        used = (model or MatchModel.load()).for_population(records)
        linker = _make_linker(con, "tp_features", used.settings)
    stage("training")

    predictions = linker.inference.predict(
        threshold_match_probability=REPORT_FLOOR, warning_mode="never"
    )
    pairs = con.execute(f"select count(*) from {predictions.physical_name}").fetchall()[0][0]
    stage("scoring")

    if unique_sources:
        clusters = _cluster_one_to_one(
            con, predictions.physical_name, unique_sources, threshold, one_to_one_threshold
        )
    else:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
    keep = ", f.tp_row" if extra else ""
    con.execute(
        f"""
        create or replace table {output} as
        with links as (
          select unique_id_l as id, match_probability as p from {predictions.physical_name}
          union all
          select unique_id_r, match_probability from {predictions.physical_name}
        ),
        best as (select id, max(p) as p from links group by id)
        select c.unique_id as record_id, c.cluster_id,
               round(coalesce(b.p, 0.0), 6) as match_probability {keep}
        from {clusters.physical_name} as c
        join tp_features as f on f.unique_id = c.unique_id
        left join best as b on b.id = c.unique_id
        """
    )
    n_clusters = con.execute(f"select count(distinct cluster_id) from {output}").fetchall()[0][0]
    stage("clustering")
    return LinkResult(records, n_clusters, pairs, trained, used, seconds)


def _cluster_one_to_one(
    con: duckdb.DuckDBPyConnection,
    predictions: str,
    unique_sources: Sequence[str],
    threshold: float,
    one_to_one_threshold: float,
) -> SplinkDataFrame:
    """Connected components over ordinary links plus mutual best links between sources."""
    from splink import DuckDBAPI
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    listed = ", ".join("'" + s.replace("'", "''") + "'" for s in unique_sources)
    con.execute(
        f"""
        create or replace table tp_edges as
        with pairs as (
          select p.unique_id_l, p.unique_id_r, p.match_probability,
                 fl.source as source_l, fr.source as source_r,
                 fl.source in ({listed}) and fr.source in ({listed}) as constrained
          from {predictions} p
          join tp_features fl on fl.unique_id = p.unique_id_l
          join tp_features fr on fr.unique_id = p.unique_id_r
        ),
        directed as (
          select unique_id_l as a, unique_id_r as b, source_r as source_b, match_probability
          from pairs where constrained and source_l <> source_r
            and match_probability >= {float(one_to_one_threshold)!r}
          union all
          select unique_id_r, unique_id_l, source_l, match_probability
          from pairs where constrained and source_l <> source_r
            and match_probability >= {float(one_to_one_threshold)!r}
        ),
        best as (
          select a, b from directed
          qualify row_number() over (
            partition by a, source_b order by match_probability desc, b) = 1
        )
        select x.a as unique_id_l, x.b as unique_id_r from best x
        join best y on y.a = x.b and y.b = x.a
        where x.a < x.b
        union all
        select unique_id_l, unique_id_r from pairs
        where not constrained and match_probability >= {float(threshold)!r}
        """
    )
    return cluster_pairwise_predictions_at_threshold(
        "tp_features", "tp_edges", DuckDBAPI(connection=con), "unique_id"
    )


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [row[0] for row in con.execute(f"describe {table}").fetchall()]


def link_csv(
    input_path: str | Path,
    output_path: str | Path,
    *,
    model: MatchModel | None = None,
    train_mode: TrainMode = "auto",
    threshold: float = DEFAULT_THRESHOLD,
    unique_sources: Sequence[str] = (),
    one_to_one_threshold: float = ONE_TO_ONE_THRESHOLD,
    memory_limit: str = "2GB",
    progress: Progress | None = None,
) -> LinkResult:
    """Read a person CSV, deduplicate it and write ``record_id,cluster_id,match_probability``.

    Every input record appears once in the output, in input order. See
    :func:`link_table` for the options.
    """
    with duckdb_session(memory_limit) as con:
        load_person_csv(con, input_path, "tp_input")
        if progress is not None:
            progress("reading")
        result = link_table(
            con,
            "tp_input",
            model=model,
            train_mode=train_mode,
            threshold=threshold,
            unique_sources=unique_sources,
            one_to_one_threshold=one_to_one_threshold,
            progress=progress,
        )
        out = str(output_path).replace("'", "''")
        con.execute(
            "copy (select record_id, cluster_id, match_probability from tp_clusters "
            f"order by tp_row) to '{out}' (header, delimiter ',')"
        )
        if progress is not None:
            progress("writing")
    return result
