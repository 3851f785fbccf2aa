"""The comparison features of many records at once, computed inside DuckDB.

Records stay in DuckDB from the CSV reader to the clusters: a million rows never become
Python objects at once. Name keys need the domain rules of ``normalise.py``, so the
*distinct* names are streamed through Python in Arrow batches (bounded memory) into a
lookup table; passports, dates, sex and nationality are plain SQL that mirrors
``normalise.py`` exactly (``tests/test_normalise.py`` checks that both agree).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import duckdb
import pyarrow as pa

from timpora.matching.engine.normalise import (
    name_keys,
    normalise_nationality,
    normalise_sex,
    parse_partial_date,
    passport_keys,
)

__all__ = [
    "FEATURE_SCHEMA",
    "INPUT_COLUMNS",
    "INPUT_SCHEMA",
    "build_features",
    "build_name_table",
    "features_sql",
    "record_features",
]

#: Columns every person file carries (empty cell = unknown).
INPUT_COLUMNS = (
    "record_id",
    "source",
    "full_name",
    "sex",
    "date_of_birth",
    "nationality",
    "passport_number",
)
#: The same columns as an Arrow schema, all text.
INPUT_SCHEMA = pa.schema([(column, pa.string()) for column in INPUT_COLUMNS])

_NAME_SCHEMA = pa.schema(
    [
        ("full_name", pa.string()),
        ("name_key", pa.string()),
        ("name_sorted", pa.string()),
        ("name_cycle", pa.string()),
        ("name_phon", pa.string()),
        ("name_tokens", pa.list_(pa.string())),
    ]
)
_BATCH = 50_000


def _name_batch(names: list[str]) -> pa.Table:
    keys = [name_keys(name) for name in names]
    return pa.Table.from_arrays(
        [
            pa.array(names, pa.string()),
            pa.array([k.key or None for k in keys], pa.string()),
            pa.array([k.sorted_key or None for k in keys], pa.string()),
            pa.array([k.cycle_key or None for k in keys], pa.string()),
            pa.array([k.phonetic_key or None for k in keys], pa.string()),
            pa.array([list(k.tokens) or None for k in keys], pa.list_(pa.string())),
        ],
        schema=_NAME_SCHEMA,
    )


def build_name_table(
    con: duckdb.DuckDBPyConnection,
    source: str,
    target: str,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Table ``target`` with the name keys of every distinct ``full_name`` of ``source``.

    Names are read back in batches of 50,000 through a second cursor, so Python holds one
    batch at a time whatever the size of the file. ``progress`` receives the number of
    names done after each batch. Returns the number of distinct names.
    """
    con.execute(
        f"create or replace table {target}_todo as "
        f"select distinct full_name from {source} where nullif(trim(full_name), '') is not null"
    )
    con.execute(
        f"create or replace table {target} (full_name varchar, name_key varchar, "
        "name_sorted varchar, name_cycle varchar, name_phon varchar, name_tokens varchar[])"
    )
    reader = con.cursor()
    done = 0
    try:
        batches = reader.sql(f"select full_name from {target}_todo").to_arrow_reader(_BATCH)
        for batch in batches:
            table = _name_batch(batch.column(0).to_pylist())
            con.register("tp_name_batch", table)
            con.execute(f"insert into {target} select * from tp_name_batch")
            con.unregister("tp_name_batch")
            done += batch.num_rows
            if progress is not None:
                progress(done)
    finally:
        reader.close()
    con.execute(f"drop table {target}_todo")
    return done


# ISO dates, possibly partial; the same pattern as normalise.parse_partial_date.
_DATE_RE = r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$"
# Same codes as normalise.normalise_sex.
_SEX_SQL = """case
      when {s} in ('M', 'MALE', 'L', 'LAKILAKI', 'PRIA') then 'M'
      when {s} in ('F', 'FEMALE', 'P', 'W', 'PEREMPUAN', 'WANITA') then 'F'
    end"""
# Same as normalise.passport_clean / passport_ocr_key / normalise_nationality.
_NO_NUMBER = "('NA', 'NIL', 'NONE', 'NULL', 'UNKNOWN', 'TIDAKADA', '0', '00', '000')"


def _alnum(expr: str) -> str:
    return f"regexp_replace(upper(strip_accents(coalesce({expr}, ''))), '[^A-Z0-9]', '', 'g')"


def features_sql(source: str, names: str, *, extra_columns: tuple[str, ...] = ()) -> str:
    """SELECT turning relation ``source`` (:data:`INPUT_COLUMNS`) into model features.

    ``names`` is the table made by :func:`build_name_table`. ``unique_id`` is the record
    id; empty strings become NULL so that the model's null levels apply. ``extra_columns``
    are carried through unchanged (a watch-list id, the true person id of a test set).
    """
    extra = "".join(f", src.{c}" for c in extra_columns)
    extra_out = "".join(f", {c}" for c in extra_columns)
    sex = _SEX_SQL.format(s=_alnum("src.sex"))
    return f"""
with parsed as (
  select
    src.record_id as unique_id,
    nullif(trim(src.source), '') as source,
    src.full_name as full_name,
    n.name_key, n.name_sorted, n.name_cycle, n.name_phon, n.name_tokens,
    {sex} as sex,
    {_alnum("src.nationality")} as nat0,
    regexp_extract(coalesce(src.date_of_birth, ''), '{_DATE_RE}', ['y', 'm', 'd']) as dp,
    {_alnum("src.passport_number")} as pp0
    {extra}
  from {source} as src
  left join {names} as n on n.full_name = src.full_name
),
dated as (
  select *,
    case when try_cast(dp.y as integer) >= 1000 then try_cast(dp.y as integer) end as y0,
    nullif(try_cast(nullif(dp.m, '') as integer), 0) as m0,
    nullif(try_cast(nullif(dp.d, '') as integer), 0) as d0,
    case when pp0 not in {_NO_NUMBER} and length(pp0) >= 5 then pp0 end as pp
  from parsed
)
select
  unique_id, source, full_name,
  name_key, name_sorted, name_cycle, name_phon, name_tokens,
  sex,
  case when nat0 = 'D' then 'DEU' else nullif(nat0, '') end as nationality,
  y0 as dob_y,
  case when y0 is not null then m0 end as dob_m,
  case when y0 is not null and m0 is not null then d0 end as dob_d,
  case when y0 is not null and m0 is not null and d0 is not null
       then printf('%04d-%02d-%02d', y0, m0, d0) end as dob,
  case when y0 is not null and m0 is not null and d0 is not null
       then printf('%04d-%02d-%02d', y0, least(m0, d0), greatest(m0, d0)) end as dob_swapkey,
  pp as passport,
  translate(pp, 'OQISBZG', '0015826') as passport_ocr
  {extra_out}
from dated
"""


def build_features(
    con: duckdb.DuckDBPyConnection,
    source: str,
    target: str,
    *,
    extra_columns: tuple[str, ...] = (),
    progress: Callable[[int], None] | None = None,
) -> int:
    """Materialise the features of relation ``source`` as table ``target``; row count."""
    build_name_table(con, source, f"{target}_names", progress=progress)
    con.execute(
        f"create or replace table {target} as "
        + features_sql(source, f"{target}_names", extra_columns=extra_columns)
    )
    con.execute(f"drop table {target}_names")
    return con.execute(f"select count(*) from {target}").fetchall()[0][0]


#: Columns and types of a features table (before the frequency columns of the model).
FEATURE_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("source", pa.string()),
        ("full_name", pa.string()),
        ("name_key", pa.string()),
        ("name_sorted", pa.string()),
        ("name_cycle", pa.string()),
        ("name_phon", pa.string()),
        ("name_tokens", pa.list_(pa.string())),
        ("sex", pa.string()),
        ("nationality", pa.string()),
        ("dob_y", pa.int32()),
        ("dob_m", pa.int32()),
        ("dob_d", pa.int32()),
        ("dob", pa.string()),
        ("dob_swapkey", pa.string()),
        ("passport", pa.string()),
        ("passport_ocr", pa.string()),
    ]
)


def record_features(record: Mapping[str, Any]) -> dict[str, Any]:
    """The features of one record computed in Python, equal to :func:`features_sql`'s.

    Scoring a single record this way costs microseconds instead of a SQL round trip;
    ``tests/test_normalise.py`` checks both paths agree on generated records.
    """

    def text(column: str) -> str | None:
        value = record.get(column)
        return None if value is None or str(value).strip() == "" else str(value)

    keys = name_keys(text("full_name"))
    birth = parse_partial_date(record.get("date_of_birth") or "")
    clean, ocr = passport_keys(record.get("passport_number"))
    full = birth is not None and birth.day is not None
    swapkey = None
    if full:
        assert birth is not None and birth.month is not None and birth.day is not None
        low, high = sorted((birth.month, birth.day))
        swapkey = f"{birth.year:04d}-{low:02d}-{high:02d}"
    source = record.get("source")
    return {
        "unique_id": record.get("record_id"),
        "source": source.strip() or None if isinstance(source, str) else source,
        "full_name": record.get("full_name"),
        "name_key": keys.key or None,
        "name_sorted": keys.sorted_key or None,
        "name_cycle": keys.cycle_key or None,
        "name_phon": keys.phonetic_key or None,
        "name_tokens": list(keys.tokens) or None,
        "sex": normalise_sex(record.get("sex")) or None,
        "nationality": normalise_nationality(record.get("nationality")) or None,
        "dob_y": birth.year if birth else None,
        "dob_m": birth.month if birth else None,
        "dob_d": birth.day if birth else None,
        "dob": str(birth) if full else None,
        "dob_swapkey": swapkey,
        "passport": clean or None,
        "passport_ocr": ocr or None,
    }
