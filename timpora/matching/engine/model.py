"""The matching model: Splink settings, training, and the portable trained model.

A pair of records is compared on five things, each with levels from strong agreement to
disagreement (Fellegi-Sunter, as Splink does it):

- name: equal up to order or spacing, in bands of how many people of the data carry the
  name (1, 2, up to 4, ... more than 64); every token nearly equal; one name contains the
  other or both sound alike; similar tokens; different;
- date of birth: equal; day and month swapped; a partial date that agrees on year and
  month, on the year alone, or on the year and the other's day; one digit apart; same
  year; different;
- passport: equal; equal after OCR folding; one character apart (unless the numbers are
  consecutive and the names differ: relatives); different;
- nationality: equal or different, weighed apart when the names share a part (a shared
  name already says much about the nationality);
- sex: equal; different.

Blocking (which pairs are compared at all) keeps the work near-linear in the number of
records: pairs share a passport OCR key, or a birth date (swap-tolerant) and nationality,
or a name key and a birth year, or a name token and a birth date, or a name token, birth
year and nationality that few records share (at most :data:`TOKEN_YEAR_LIMIT`), or a
name key that is rare in the data (at most :data:`RARE_NAME_LIMIT` records) whatever else
they share; a record without nationality is blocked on its birth date alone.

Training follows Splink's guidance: u probabilities from random pairs, m probabilities by
expectation maximisation on blocks (passport; birth date and nationality; name and birth
year), and the prior from deterministic rules. Two kinds of u are counted over all pairs
instead of sampled, as random pairs almost never reach them: those of the "same name"
bands, and how often namesakes share a nationality. The trained parameters are exported as a
:class:`MatchModel`, which scores pairs in plain DuckDB SQL without a Splink linker (single
records, watch lists) and is bundled as ``default_model.json`` for files too small to train
on.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from splink import Linker

__all__ = [
    "COMPARISONS",
    "DEFAULT_MODEL_PATH",
    "NAME_BAND_LABELS",
    "NAME_COUNT_BANDS",
    "NAME_IMPLIED",
    "RARE_NAME_LIMIT",
    "TOKEN_SIMILARITY",
    "TOKEN_YEAR_LIMIT",
    "Level",
    "MatchModel",
    "add_blocking_keys",
    "add_token_year_keys",
    "blocking_rules",
    "condition_on_names",
    "name_implied_rates",
    "same_name_pairs",
    "settings_dict",
    "train",
]

#: A name key shared by at most this many records is a blocking key on its own.
RARE_NAME_LIMIT = 20
#: A name token, birth year and nationality shared by at most this many records are a
#: blocking key (see :func:`add_token_year_keys`).
TOKEN_YEAR_LIMIT = 10
#: How many people of the data carry a name decides how much agreeing on it is worth (a
#: discrete form of term-frequency adjustment): people are counted as the distinct birth
#: dates seen with the name (``name_count``), so one person seen six times counts once.
#: Counts, not shares: the chance that two records sharing a name are one person depends
#: on how many people carry it, whatever the size of the file. The "same name" levels are
#: bands of that count, each bound twice the one before (see :data:`NAME_BAND_LABELS`).
NAME_COUNT_BANDS: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64)
#: Labels of the bands of :data:`NAME_COUNT_BANDS`, the last for names carried by more
#: people than its last bound.
NAME_BAND_LABELS: tuple[str, ...] = (
    "same name",
    "same name, carried by 2 people",
    "same name, carried by up to 4 people",
    "same name, carried by up to 8 people",
    "same name, carried by up to 16 people",
    "same name, carried by up to 32 people",
    "same name, carried by up to 64 people",
    "same name, carried by more than 64 people",
)

DEFAULT_MODEL_PATH = Path(__file__).with_name("default_model.json")

# Token-level similarity: every token of the shorter name has a close counterpart in the
# longer one (the worst best match). Robust to order, to a missing middle
# name, and to a typo in one token, while a different given name next to the same family
# name (siblings, spouses) scores low.
_SHORT = (
    "case when len(name_tokens_l) <= len(name_tokens_r) then name_tokens_l else name_tokens_r end"
)
_LONG = (
    "case when len(name_tokens_l) <= len(name_tokens_r) then name_tokens_r else name_tokens_l end"
)
# Jaro rather than Jaro-Winkler, so that FANG is not "nearly" FANGHENG; tokens of one or
# two letters (AN, LI, MA) must be equal, as any two short strings look alike.
_TOKEN_PAIR = (
    "case when x = y then 1.0 when least(length(x), length(y)) <= 2 then 0.0 "
    "else jaro_similarity(x, y) end"
)
TOKEN_SIMILARITY = (
    f"list_aggregate(list_transform({_SHORT}, lambda x: list_max(list_transform({_LONG}, "
    f"lambda y: {_TOKEN_PAIR}))), 'min')"
)
_SAME_COUNT = "len(name_tokens_l) = len(name_tokens_r)"
_AT_LEAST_TWO = "least(len(name_tokens_l), len(name_tokens_r)) >= 2"
_SAME_NAME = "(name_sorted_l = name_sorted_r or name_cycle_l = name_cycle_r)"
_WHOLE_NAME_SIMILARITY = (
    "greatest(jaro_similarity(name_sorted_l, name_sorted_r), "
    "jaro_similarity(name_key_l, name_key_r))"
)
# Levenshtein ≤ 1 (with the much cheaper Hamming distance when the lengths agree), or
# two characters swapped (same letters, two positions differ).
_ONE_EDIT = (
    "case when length(passport_ocr_l) = length(passport_ocr_r) "
    "then hamming(passport_ocr_l, passport_ocr_r) <= 1 "
    "or (hamming(passport_ocr_l, passport_ocr_r) = 2 and "
    "list_sort(string_split(passport_ocr_l, '')) = list_sort(string_split(passport_ocr_r, '')))"
    " else levenshtein(passport_ocr_l, passport_ocr_r) <= 1 end"
)
_CONSECUTIVE = (
    "length(passport_ocr_l) = length(passport_ocr_r) and "
    "left(passport_ocr_l, -2) = left(passport_ocr_r, -2)"
)


def _level(sql: str, label: str, *, null: bool = False, m: float | None = None) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    if m is not None:
        level["m_probability"] = m  # starting point for EM only
    return level


def _same_name_levels() -> list[dict[str, Any]]:
    """One "same name" level per band of :data:`NAME_COUNT_BANDS`, rarest first."""
    levels = []
    for bound, label in zip(NAME_COUNT_BANDS, NAME_BAND_LABELS, strict=False):
        sql = f"{_SAME_NAME} and greatest(name_count_l, name_count_r) <= {bound}"
        levels.append(_level(sql, label, m=0.1))
    levels.append(_level(_SAME_NAME, NAME_BAND_LABELS[-1], m=0.02))
    return levels


#: The comparisons as Splink settings; ``label_for_charts`` is also the explanation text.
COMPARISONS: list[dict[str, Any]] = [
    {
        "output_column_name": "name",
        "comparison_description": "Full name, canonical keys and token similarity",
        "comparison_levels": [
            _level("name_key_l is null or name_key_r is null", "name unknown", null=True),
            *_same_name_levels(),
            # Cheap test first: most compared pairs fail it, and the token similarity
            # below (a nested loop per pair) is then never computed for them.
            _level(
                f"{_WHOLE_NAME_SIMILARITY} < 0.6 and name_phon_l <> name_phon_r",
                "different name",
                m=0.02,
            ),
            _level(
                f"({_SAME_COUNT} and {TOKEN_SIMILARITY} >= 0.9) or "
                "jaro_winkler_similarity(name_cycle_l, name_cycle_r) >= 0.95",
                "nearly the same name",
                m=0.15,
            ),
            _level(
                f"({_AT_LEAST_TWO} and {TOKEN_SIMILARITY} >= 0.9) or name_phon_l = name_phon_r",
                "one name contains the other or sounds alike",
                m=0.06,
            ),
            _level(f"{TOKEN_SIMILARITY} >= 0.85", "similar name", m=0.05),
            _level("ELSE", "dissimilar name", m=0.02),
        ],
    },
    {
        "output_column_name": "dob",
        "comparison_description": "Date of birth, partial dates and day/month swaps",
        "comparison_levels": [
            _level("dob_y_l is null or dob_y_r is null", "birth date unknown", null=True),
            _level("dob_l = dob_r", "same birth date", m=0.75),
            _level(
                "dob_y_l = dob_y_r and dob_m_l = dob_d_r and dob_d_l = dob_m_r",
                "birth day and month swapped",
                m=0.04,
            ),
            # A partial date that agrees on the month is twelve times rarer by chance than
            # one that agrees on the year alone: two levels, not one.
            _level(
                "dob_y_l = dob_y_r and dob_m_l = dob_m_r and (dob_d_l is null or dob_d_r is null)",
                "birth year and month agree, day unknown",
                m=0.05,
            ),
            _level(
                "dob_y_l = dob_y_r and (dob_m_l is null or dob_m_r is null)",
                "birth year agrees, month unknown",
                m=0.05,
            ),
            # 1961-05 for 1961-12-05: a date with day and month swapped, then cut.
            _level(
                "dob_y_l = dob_y_r and (dob_d_l is null or dob_d_r is null) and "
                "(dob_m_l = dob_d_r or dob_d_l = dob_m_r)",
                "birth year agrees, month as the other's day",
                m=0.01,
            ),
            _level("hamming(dob_l, dob_r) <= 1", "birth date one digit apart", m=0.05),
            _level(
                "dob_y_l = dob_y_r and dob_l is not null and dob_r is not null",
                "same birth year",
                m=0.02,
            ),
            _level("ELSE", "different birth date", m=0.04),
        ],
    },
    {
        "output_column_name": "passport",
        "comparison_description": "Passport number with OCR folding",
        "comparison_levels": [
            _level("passport_l is null or passport_r is null", "passport unknown", null=True),
            _level("passport_l = passport_r", "same passport", m=0.6),
            _level("passport_ocr_l = passport_ocr_r", "OCR-equivalent passport", m=0.1),
            # Relatives apply together and get consecutive numbers: a near-identical
            # number only counts when the names agree too.
            _level(
                f"{_ONE_EDIT} and not ({_CONSECUTIVE} and {TOKEN_SIMILARITY} < 0.8)",
                "passport one character apart or two swapped",
                m=0.05,
            ),
            _level("ELSE", "different passport", m=0.25),
        ],
    },
    {
        "output_column_name": "nationality",
        "comparison_description": "Nationality (alpha-3)",
        "comparison_levels": [
            _level(
                "nationality_l is null or nationality_r is null", "nationality unknown", null=True
            ),
            _level("nationality_l = nationality_r", "same nationality", m=0.97),
            _level("ELSE", "different nationality", m=0.03),
        ],
    },
    {
        "output_column_name": "sex",
        "comparison_description": "Sex",
        "comparison_levels": [
            _level("sex_l is null or sex_r is null", "sex unknown", null=True),
            _level("sex_l = sex_r", "same sex", m=0.98),
            _level("ELSE", "different sex", m=0.02),
        ],
    },
]

#: The blocking rules as SQL conditions on ``l`` and ``r`` (also used outside Splink).
BLOCKING_CONDITIONS: tuple[str, ...] = (
    "l.passport_ocr = r.passport_ocr",
    "l.dob_swapkey = r.dob_swapkey and l.nationality = r.nationality",
    # A record without nationality would otherwise lose the birth-date block.
    "l.dob_swapkey = r.dob_swapkey and (l.nationality is null or r.nationality is null)",
    "l.name_sorted = r.name_sorted and l.dob_y = r.dob_y",
    "l.name_cycle = r.name_cycle and l.dob_y = r.dob_y",
    "l.name_phon = r.name_phon and l.dob_y = r.dob_y",
    "l.name_sorted_rare = r.name_sorted_rare",
    "l.name_cycle_rare = r.name_cycle_rare",
)


def blocking_rules() -> list[Any]:
    """Splink blocking rules: :data:`BLOCKING_CONDITIONS` plus token + birth date.

    The token rule explodes each record's name tokens, so two records sharing any token
    (MUHAMMAD, or the family name with a typo in the given name) and a birth date meet.
    """
    from splink import block_on

    rules: list[Any] = list(BLOCKING_CONDITIONS)
    rules.append(block_on("name_tokens", "dob_swapkey", arrays_to_explode=["name_tokens"]))
    rules.append(
        block_on(
            "name_tokens_year",
            "dob_y",
            "nationality",
            arrays_to_explode=["name_tokens_year"],
        )
    )
    return rules


def add_blocking_keys(con: Any, table: str, rare_limit: int = RARE_NAME_LIMIT) -> None:
    """Add frequency-based columns to a features table, in place.

    ``name_count``: about how many people carry the same sorted name key (distinct birth
    dates, at least 1; see :data:`NAME_COUNT_BANDS`); ``name_sorted_rare`` /
    ``name_cycle_rare``: the key when at most ``rare_limit`` records share it, for
    blocking.
    """
    con.execute(
        f"""
        create or replace table {table} as
        with counted as (
          select *,
            count(name_sorted) over (partition by name_sorted) as n_sorted,
            count(name_cycle) over (partition by name_cycle) as n_cycle,
            greatest(count(distinct dob_swapkey) over (partition by name_sorted), 1)
              as name_count
          from {table}
        )
        select * exclude (n_sorted, n_cycle),
          case when n_sorted <= {int(rare_limit)} then name_sorted end as name_sorted_rare,
          case when n_cycle <= {int(rare_limit)} then name_cycle end as name_cycle_rare
        from counted
        """
    )


def add_token_year_keys(con: Any, table: str, limit: int = TOKEN_YEAR_LIMIT) -> None:
    """Add ``name_tokens_year`` to a features table, in place: the record's name tokens
    that at most ``limit`` records share together with its birth year and nationality.

    For linking only (the rule of :func:`blocking_rules` that uses it). Many true pairs
    that no other rule compares have a partial birth date (no date key to share) and
    a name that differs beyond its keys, but share a name token, the birth year and the
    nationality. Blocking on that triple for every token would compare all namesakes of
    MUHAMMAD born in one year; kept to small groups, it adds at most ``limit * (limit -
    1) / 2`` pairs per group (work stays linear) and only where the triple is telling:
    among a few records sharing it, a pair is plausibly one person, among hundreds it is
    not (see bench/README.md, "Linkage").
    """
    con.execute(
        f"""
        create or replace table {table} as
        with tokens as (
          select unique_id, unnest(list_distinct(name_tokens)) as token, dob_y, nationality
          from {table} where dob_y is not null and nationality is not null
        ),
        small as (
          select token, dob_y, nationality from tokens
          group by all having count(*) <= {int(limit)}
        ),
        kept as (
          select unique_id, list(token order by token) as name_tokens_year
          from tokens join small using (token, dob_y, nationality) group by unique_id
        )
        select t.*, k.name_tokens_year from {table} as t left join kept as k using (unique_id)
        """
    )


def settings_dict() -> dict[str, Any]:
    """Untrained Splink settings for deduplicating one features table."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": copy.deepcopy(COMPARISONS),
        "blocking_rules_to_generate_predictions": blocking_rules(),
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "probability_two_random_records_match": 1e-5,
    }


#: Rules that admit almost no false positive, for the prior (with their assumed recall).
DETERMINISTIC_RULES = (
    "l.passport = r.passport and l.name_sorted = r.name_sorted",
    "l.name_sorted = r.name_sorted and l.dob = r.dob and l.nationality = r.nationality",
)
DETERMINISTIC_RECALL = 0.6


#: Blocks for expectation maximisation, each with a fallback for data that lacks a column
#: (FEBRL has no nationality): the first with enough pairs is used.
EM_BLOCKS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("passport_ocr",),),
    (("dob", "nationality"), ("dob",)),
    (("name_sorted", "dob_y"), ("name_sorted",)),
)
#: A block with fewer pairs than this says too little to estimate m probabilities.
EM_MIN_PAIRS = 200


def _block_pairs(con: Any, table: str, columns: tuple[str, ...]) -> int:
    keys = ", ".join(columns)
    present = " and ".join(f"{c} is not null" for c in columns)
    sql = (
        f"select coalesce(sum(n * (n - 1) / 2), 0) from "
        f"(select count(*)::hugeint as n from {table} where {present} group by {keys})"
    )
    return int(con.execute(sql).fetchall()[0][0])


def train(
    linker: Linker,
    con: Any,
    table: str,
    *,
    seed: int = 1,
    u_max_pairs: float = 2e6,
    em_max_pairs: float = 2e6,
) -> list[tuple[str, ...]]:
    """Estimate the prior, u (random pairs; the "same name" bands counted, see
    :func:`same_name_pairs`) and m (EM on blocks) on ``table``.

    ``con`` and ``table`` are the linker's data, used to pick EM blocks that exist in it
    and to count the name pairs. Returns the blocks used for EM. The nationality is not
    yet weighed given the names: :meth:`MatchModel.from_linker` does that with the rates of
    :func:`name_implied_rates`.
    """
    from splink import block_on

    training = linker.training
    training.estimate_probability_two_random_records_match(
        list(DETERMINISTIC_RULES), recall=DETERMINISTIC_RECALL
    )
    # All of max_pairs, not Splink's early stop once every level has 100 hits: that stop
    # came after about 1 % of the pairs, from a few dozen records on one side, and left the
    # u of common values noisy (nationality agreement 0.036 instead of 0.079 at 1,000,000).
    training.estimate_u_using_random_sampling(
        max_pairs=u_max_pairs, seed=seed, min_count_per_level=None
    )
    _bound_unobserved_u(linker, 1.0 / u_max_pairs)
    used = []
    for candidates in EM_BLOCKS:
        columns = next((c for c in candidates if _block_pairs(con, table, c) >= EM_MIN_PAIRS), None)
        if columns is None:
            continue
        training.estimate_parameters_using_expectation_maximisation(
            block_on(*columns), estimate_without_term_frequencies=True, max_pairs=em_max_pairs
        )
        used.append(columns)
    # After EM, not before: each EM session ends with Splink setting every u back to the
    # median of the sampled ones, which for the name bands is a pair or two of the sample.
    _count_same_name_u(linker, con, table)
    _fill_name_bands(linker)
    return used


def same_name_pairs(con: Any, table: str) -> tuple[list[int], int]:
    """How many pairs of records of ``table`` reach each "same name" band, and how many
    pairs have a name on both sides.

    Counted over all pairs, not sampled: two records sharing a name are about one pair in
    a million, too rare for the random sample of pairs that gives the other u
    probabilities. Pairs with the same sorted key are counted per key; pairs with the same
    spacing-free key but different sorted keys by joining the (small) table of key
    combinations.
    """
    bands = ", ".join(str(b) for b in NAME_COUNT_BANDS)
    band = f"list_position(list_transform([{bands}], lambda x: c <= x), true)"
    rows = con.execute(
        f"""
        with g as (
          select name_sorted, name_cycle, max(name_count) as c, count(*)::hugeint as n
          from {table} where name_key is not null group by all
        ),
        same_sorted as (
          select max(c) as c, sum(n) * (sum(n) - 1) / 2 as pairs from g group by name_sorted
        ),
        same_cycle as (
          select greatest(a.c, b.c) as c, a.n * b.n as pairs
          from g a join g b on a.name_cycle = b.name_cycle and a.name_sorted < b.name_sorted
        ),
        pairs as (select * from same_sorted union all select * from same_cycle)
        select coalesce({band}, {len(NAME_COUNT_BANDS) + 1}) as band, sum(pairs)
        from pairs group by 1
        """
    ).fetchall()
    counts = [0] * (len(NAME_COUNT_BANDS) + 1)
    for index, pairs in rows:
        counts[int(index) - 1] += int(pairs)
    named = con.execute(f"select count(name_key)::hugeint from {table}").fetchall()[0][0]
    return counts, int(named * (named - 1) // 2)


def _bound_unobserved_u(linker: Linker, bound: float) -> None:
    """Give a level that no random pair reached a u just below one in the sample.

    Splink leaves such a level (passports one character apart, in a file of 200,000) without
    u and would score it with an arbitrary default, near zero evidence; fewer than one pair
    in ``1 / bound`` is what the sample says, and is a conservative bound.
    """
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            if not level.is_null_level and not level._u_is_trained:
                level.u_probability = bound


def _count_same_name_u(linker: Linker, con: Any, table: str) -> None:
    """Replace the sampled u probabilities of the "same name" bands by counted ones."""
    counts, total = same_name_pairs(con, table)
    if total == 0:
        return
    comparison = next(c for c in linker._settings_obj.comparisons if c.output_column_name == "name")
    levels = {level.label_for_charts: level for level in comparison.comparison_levels}
    for label, pairs in zip(NAME_BAND_LABELS, counts, strict=True):
        # A band no pair reaches here gets the weight of one pair: finite, and still
        # the strongest the data could support.
        levels[label].u_probability = max(pairs, 1) / total


def _fill_name_bands(linker: Linker) -> None:
    """Keep the "same name" bands' weights falling as names get more common.

    A band the training data never reached (a small file has no name carried by 64
    people) has no trained m probability: it gets half the evidence of the band below (a
    name carried by twice as many people is half as telling). A thinly populated band whose
    noisy m would make it worth more than the band below is held to that band's weight.
    """
    comparison = next(c for c in linker._settings_obj.comparisons if c.output_column_name == "name")
    levels = {level.label_for_charts: level for level in comparison.comparison_levels}
    below = None
    for label in NAME_BAND_LABELS:
        level = levels[label]
        m, u = level.m_probability, level.u_probability
        if below is not None:
            m_below, u_below = below
            if not m or not u:
                m, u = m_below / 2, u_below
            elif m / u > m_below / u_below:
                m = u * m_below / u_below
            level.m_probability, level.u_probability = m, u
        below = (m, u)


#: Names that share a part (a token, or the whole name by sound or without spaces) come
#: mostly from one culture, so they say much about nationality: two unrelated WANGs are
#: most likely both Chinese.
_NAMES_SHARE = (
    "(list_has_any(name_tokens_l, name_tokens_r) or name_phon_l = name_phon_r "
    "or name_cycle_l = name_cycle_r)"
)
#: Comparisons whose agreement a shared name already suggests, with the labels of their
#: agreement and disagreement when the names share a part. Sex is not among them: names
#: sharing a part agree on sex little more often than any two people (0.56 against 0.53
#: in the generated data), as family names are shared across the sexes.
NAME_IMPLIED: dict[str, tuple[str, str]] = {
    "nationality": (
        "same nationality, as the shared name suggests",
        "different nationality despite a shared name",
    ),
}


def name_implied_rates(con: Any, table: str) -> dict[str, float | None]:
    """How often two different people whose names share a token agree on each
    :data:`NAME_IMPLIED` column (``None`` where the data cannot say).

    Counted over all pairs of records of ``table`` that share a name token but were born in
    different years: such pairs are practically never one person, and a birth year says
    nothing about nationality, so they are an unbiased sample of the namesakes the model
    must tell apart. A pair sharing two tokens counts twice, as it is twice as alike.
    """
    rates: dict[str, float | None] = {}
    for column in NAME_IMPLIED:
        con.execute(
            f"create or replace temp table tp_name_tokens as "
            f"select unnest(list_distinct(name_tokens)) as token, {column} as v, dob_y "
            f"from {table} where name_tokens is not null and {column} is not null "
            "and dob_y is not null"
        )

        def pairs(keys: str) -> str:
            return (
                "(select coalesce(sum(n * (n - 1) / 2), 0) from "
                f"(select count(*)::hugeint as n from tp_name_tokens group by {keys}))"
            )

        named, agreeing = con.execute(
            f"select {pairs('token')} - {pairs('token, dob_y')}, "
            f"{pairs('token, v')} - {pairs('token, v, dob_y')}"
        ).fetchall()[0]
        con.execute("drop table tp_name_tokens")
        rates[column] = float(agreeing) / float(named) if named and 0 < agreeing < named else None
    return rates


def condition_on_names(settings: dict[str, Any], rates: dict[str, float | None]) -> dict[str, Any]:
    """Trained settings with nationality weighed given whether the names share a part.

    Fellegi-Sunter multiplies the evidence of the fields as if they were independent, but
    among different people a shared name makes a shared nationality likely: two unrelated
    records of WANG WEI are both Chinese far more often than two random records (0.58
    against 0.08 in the generated data). Counting the nationality in full on top of the
    name counted the name's culture twice, which is how namesakes of common names were
    linked. Each :data:`NAME_IMPLIED` comparison gets two levels for pairs whose names
    share a part, before its plain ones: their m probabilities are the trained ones (a
    clerk's error in the nationality does not depend on the name), their u probabilities
    the ``rates`` of :func:`name_implied_rates`. The two pairs of levels are alternatives:
    within each, m and u are conditional on whether the names share a part.
    """
    settings = copy.deepcopy(settings)
    for comparison in settings["comparisons"]:
        column = comparison["output_column_name"]
        if column not in NAME_IMPLIED:
            continue
        levels = comparison["comparison_levels"]
        null, same, different = levels
        rate = rates.get(column)
        if rate is None:
            rate = same.get("u_probability")
        implied_same, implied_different = NAME_IMPLIED[column]
        conditioned = [
            {
                **same,
                "sql_condition": f"{column}_l = {column}_r and {_NAMES_SHARE}",
                "label_for_charts": implied_same,
                "u_probability": rate,
            },
            {
                **different,
                "sql_condition": _NAMES_SHARE,
                "label_for_charts": implied_different,
                "u_probability": None if rate is None else 1.0 - rate,
            },
        ]
        comparison["comparison_levels"] = [null, *conditioned, same, different]
    return settings


def _fill_effective_probabilities(settings: dict[str, Any], linker: Linker) -> None:
    """Write into ``settings`` the m and u the linker scores with where it has none.

    A level that training never observed (no random pair of a small file has passports
    one character apart) is saved without u, and a linker loaded from such settings would
    score it with Splink's arbitrary default. The training linker scores it with Splink's
    value for an unobserved level; the saved model keeps that value, so that the model,
    a linker loaded from it and the SQL scorer all weigh the level alike.
    """
    trained = {c.output_column_name: c for c in linker._settings_obj.comparisons}
    for comparison in settings["comparisons"]:
        levels = trained[comparison["output_column_name"]].comparison_levels
        for saved, level in zip(comparison["comparison_levels"], levels, strict=True):
            if saved.get("is_null_level"):
                continue
            for key in ("m_probability", "u_probability"):
                if not isinstance(saved.get(key), float | int):
                    value = getattr(level, key)
                    if value is not None:
                        saved[key] = value


@dataclass(frozen=True)
class Level:
    """One comparison level of a trained model: SQL condition, label, log2 Bayes factor."""

    sql: str
    label: str
    weight: float
    is_null: bool


@dataclass(frozen=True)
class MatchModel:
    """A trained model detached from any Splink linker or database.

    ``settings`` is Splink's model dictionary (``Linker(df, settings)`` accepts it back);
    ``trained_records`` is the size of the data it was trained on, which fixes what its
    prior means (see :meth:`for_population`).
    """

    settings: dict[str, Any]
    trained_records: int

    @classmethod
    def from_linker(
        cls,
        linker: Linker,
        trained_records: int,
        name_rates: dict[str, float | None] | None = None,
    ) -> MatchModel:
        """The trained model of ``linker``; with ``name_rates`` (see
        :func:`name_implied_rates`), the nationality weighed given the names (see
        :func:`condition_on_names`)."""
        settings = linker.misc.save_model_to_json()
        _fill_effective_probabilities(settings, linker)
        if name_rates is not None:
            settings = condition_on_names(settings, name_rates)
        return cls(settings, trained_records)

    @classmethod
    def load(cls, path: str | Path = DEFAULT_MODEL_PATH) -> MatchModel:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(data["splink_settings"], int(data["trained_records"]))

    def save(self, path: str | Path) -> None:
        payload = {"trained_records": self.trained_records, "splink_settings": self.settings}
        Path(path).write_text(json.dumps(payload, indent=1, default=str) + "\n", encoding="utf-8")

    @property
    def prior(self) -> float:
        """Probability that two random records of the training data are the same person."""
        return float(self.settings["probability_two_random_records_match"])

    def for_population(self, n_records: int) -> MatchModel:
        """The same model with its prior rescaled to a data set of ``n_records``.

        The trained prior is the expected number of other records of the same person
        (a property of the data source) spread over all other records: against a larger
        population each pair is less likely to match. A *smaller* file keeps the trained
        prior: nothing says a short file is denser in duplicates, and a prior raised to
        one pair in ten would let a shared birth date and nationality outweigh different
        names (twins, colleagues listed together).
        """
        expected_duplicates = self.prior * max(self.trained_records - 1, 1)
        prior = min(self.prior, expected_duplicates / max(n_records - 1, 1))
        settings = dict(self.settings)
        settings["probability_two_random_records_match"] = prior
        return MatchModel(settings, n_records)

    def with_prior(self, prior: float) -> MatchModel:
        """The same model with an explicit prior (screening uses a fixed one)."""
        settings = dict(self.settings)
        settings["probability_two_random_records_match"] = prior
        return MatchModel(settings, self.trained_records)

    @property
    def prior_weight(self) -> float:
        """The prior as a match weight (log2 odds)."""
        prior = self.prior
        return math.log2(prior / (1 - prior))

    def comparisons(self) -> list[tuple[str, list[Level]]]:
        """Each comparison's output name and levels with their trained log2 Bayes factors.

        A level never observed in training (no m or u) is neutral (weight 0), as it is in
        Splink's predictions.
        """
        out = []
        for comparison in self.settings["comparisons"]:
            levels = []
            for level in comparison["comparison_levels"]:
                m = level.get("m_probability")
                u = level.get("u_probability")
                is_null = bool(level.get("is_null_level"))
                weight = 0.0 if is_null or not m or not u else math.log2(m / u)
                levels.append(
                    Level(level["sql_condition"], level["label_for_charts"], weight, is_null)
                )
            out.append((comparison["output_column_name"], levels))
        return out
