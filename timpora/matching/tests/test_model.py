"""The model's training: counted u of the name bands, the nationality weighed given the
names, levels training never saw, and partial dates, checked on real data and real scores."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from timpora.matching.engine.data import write_records_csv
from timpora.matching.engine.features import INPUT_COLUMNS
from timpora.matching.engine.link import _make_linker, duckdb_session, link_table, load_person_csv
from timpora.matching.engine.model import (
    NAME_BAND_LABELS,
    NAME_COUNT_BANDS,
    NAME_IMPLIED,
    MatchModel,
    name_implied_rates,
    same_name_pairs,
)
from timpora.matching.engine.score import CandidateIndex, ScoredCandidate, pair_select, scoring_sql

LABELLED = Path(__file__).parent / "data" / "labelled_persons.csv"


def test_it_counts_the_pairs_of_each_same_name_band() -> None:
    con = duckdb.connect()
    con.execute(
        "create table t (name_key varchar, name_sorted varchar, name_cycle varchar, "
        "name_count bigint)"
    )
    con.execute(
        """insert into t values
        ('WANG WEI', 'WANG WEI', 'ANGWEIW', 5), ('WEI WANG', 'WANG WEI', 'ANGWEIW', 5),
        ('WANG WEI', 'WANG WEI', 'ANGWEIW', 5),
        ('KIM MINJUN', 'KIM MINJUN', 'IMMINJUNK', 1), ('MINJUN KIM', 'KIM MINJUN', 'IMMINJUNK', 1),
        ('KIM MIN JUN', 'JUN KIM MIN', 'IMMINJUNK', 1),
        ('ANNA', 'ANNA', 'AANN', 100),
        (null, null, null, 1)"""
    )
    counts, total = same_name_pairs(con, "t")
    assert len(counts) == len(NAME_COUNT_BANDS) + 1
    # KIM MINJUN twice (same sorted key) and once spaced (same spacing-free key): 3 pairs
    # of the first band; the three WANG WEI (5 people) in the band up to 8.
    assert counts[0] == 3
    assert counts[NAME_COUNT_BANDS.index(8)] == 3
    assert sum(counts) == 6
    assert total == 7 * 6 // 2  # records without a name take no part


def test_a_trained_model_keeps_the_counted_u_of_the_name_bands(tmp_path: Path) -> None:
    """EM must not put the sampled u (a pair or two of the random sample) back. The file
    must have far more pairs than the sample (2,000,000), or the two are the same count."""
    records = write_records_csv(tmp_path / "persons.csv", 20_000, seed=5)
    with duckdb_session("1GB") as con:
        load_person_csv(con, records, "persons")
        result = link_table(con, "persons", train_mode="always")
        counts, total = same_name_pairs(con, "tp_features")
    name = next(
        c for c in result.model.settings["comparisons"] if c["output_column_name"] == "name"
    )
    u = {
        level["label_for_charts"]: level.get("u_probability") for level in name["comparison_levels"]
    }
    reached = [(label, n) for label, n in zip(NAME_BAND_LABELS, counts, strict=True) if n]
    assert reached
    for label, pairs in reached:
        assert u[label] == pytest.approx(pairs / total), label


def test_namesakes_born_in_different_years_give_the_nationality_rate() -> None:
    con = duckdb.connect()
    con.execute("create table t (name_tokens varchar[], nationality varchar, dob_y integer)")
    con.execute(
        """insert into t values
        (['WANG', 'WEI'], 'CHN', 1980), (['WANG', 'LI'], 'CHN', 1990), (['WANG'], 'TWN', 1985),
        (['WEI'], 'CHN', 1980), (['LI'], null, 1970), (['HASSAN'], 'EGY', null)"""
    )
    # WANG: three pairs born in different years, one of them both Chinese; WEI is shared
    # by two records of one year (perhaps one person), LI with an unknown nationality.
    assert name_implied_rates(con, "t") == {"nationality": pytest.approx(1 / 3)}


@pytest.fixture(scope="module")
def model() -> MatchModel:
    return MatchModel.load()


def weights(model: MatchModel, comparison: str) -> dict[str, float]:
    levels = dict(model.comparisons())[comparison]
    return {level.label: level.weight for level in levels}


def test_a_name_carried_by_more_people_never_weighs_more(model: MatchModel) -> None:
    name = weights(model, "name")
    bands = [name[label] for label in NAME_BAND_LABELS]
    assert bands == sorted(bands, reverse=True)
    assert bands[0] > bands[-1]


def test_a_shared_name_makes_the_nationality_weigh_less_either_way(model: MatchModel) -> None:
    nationality = weights(model, "nationality")
    agree_given_name, differ_given_name = NAME_IMPLIED["nationality"]
    assert 0 < nationality[agree_given_name] < nationality["same nationality"]
    assert nationality["different nationality"] < nationality[differ_given_name] < 0


def index_of(records: list[dict[str, str]]) -> CandidateIndex:
    rows = [{column: record.get(column, "") for column in INPUT_COLUMNS} for record in records]
    table = pa.Table.from_pylist(rows, schema=pa.schema([(c, pa.string()) for c in INPUT_COLUMNS]))
    return CandidateIndex.build(table)


def evidence(found: ScoredCandidate, field: str) -> tuple[str, float]:
    item = next(e for e in found.evidence if e.field == field)
    return item.level, item.weight


def test_the_same_name_weighs_less_when_many_people_carry_it() -> None:
    namesakes = [
        {"record_id": f"W{i}", "full_name": "WANG WEI", "date_of_birth": f"19{60 + i}-03-0{i}"}
        for i in range(1, 10)
    ]
    rare = {"record_id": "Q1", "full_name": "QUIXANO ZEBULON", "date_of_birth": "1970-01-01"}
    index = index_of([*namesakes, rare])
    common = index.score({"full_name": "Wei Wang", "date_of_birth": "1961-03-01"}, threshold=0)
    unique = index.score(
        {"full_name": "Zebulon Quixano", "date_of_birth": "1970-01-01"}, threshold=0
    )
    common_level, common_weight = evidence(common[0], "name")
    unique_level, unique_weight = evidence(unique[0], "name")
    assert (common_level, unique_level) == ("same name, carried by up to 16 people", "same name")
    assert common_weight < unique_weight


def test_namesakes_of_one_nationality_get_the_conditioned_level() -> None:
    index = index_of(
        [
            {"record_id": "A", "full_name": "WANG WEI", "date_of_birth": "1980-01-02",
             "nationality": "CHN"},
            {"record_id": "B", "full_name": "LIU YANG", "date_of_birth": "1980-01-02",
             "nationality": "CHN"},
        ]
    )  # fmt: skip
    found = {
        c.record_id: c
        for c in index.score(
            {"full_name": "WANG WEI", "date_of_birth": "1980-01-02", "nationality": "CHN"},
            threshold=0,
        )
    }
    assert evidence(found["A"], "nationality")[0] == NAME_IMPLIED["nationality"][0]
    assert evidence(found["B"], "nationality")[0] == "same nationality"


@pytest.mark.parametrize(
    ("written", "level"),
    [
        ("1961-12", "birth year and month agree, day unknown"),
        ("1961", "birth year agrees, month unknown"),
        ("1961-05", "birth year agrees, month as the other's day"),
    ],
)
def test_a_partial_birth_date_is_weighed_by_what_it_agrees_on(written: str, level: str) -> None:
    index = index_of([{"record_id": "A", "full_name": "AISYAH BINTI HAMID",
                       "date_of_birth": "1961-12-05", "nationality": "MYS"}])  # fmt: skip
    found = index.score(
        {"full_name": "AISYAH BINTI HAMID", "date_of_birth": written, "nationality": "MYS"},
        threshold=0,
    )
    reached, weight = evidence(found[0], "dob")
    assert reached == level
    assert weight > 0


def test_year_and_month_weigh_more_than_the_year_alone(model: MatchModel) -> None:
    dob = weights(model, "dob")
    assert dob["birth year and month agree, day unknown"] > dob["birth year agrees, month unknown"]


def test_a_model_trained_on_a_small_file_scores_alike_in_splink_and_in_sql() -> None:
    """Training on 2,000 records leaves levels that no random pair reached; the saved
    model, a linker loaded from it and the SQL scorer must still weigh them alike."""
    with duckdb_session("1GB") as con:
        load_person_csv(con, LABELLED, "persons")
        result = link_table(con, "persons", train_mode="always")
        for comparison in result.model.settings["comparisons"]:
            for level in comparison["comparison_levels"]:
                if not level.get("is_null_level"):
                    assert isinstance(level["m_probability"], float), level
                    assert isinstance(level["u_probability"], float), level
        linker = _make_linker(con, "tp_features", result.model.settings)
        predictions = linker.inference.predict(warning_mode="never")
        con.execute(
            "create or replace table splink_pairs as select unique_id_l, unique_id_r, "
            f"match_probability from {predictions.physical_name}"
        )
        con.execute(
            "create or replace table scored_features as select f.*, "
            "p.date_of_birth, p.passport_number from tp_features f "
            "join persons p on p.record_id = f.unique_id"
        )
        pairs = (
            f"select {pair_select('l', 'r')} from splink_pairs s "
            "join scored_features l on l.unique_id = s.unique_id_l "
            "join scored_features r on r.unique_id = s.unique_id_r"
        )
        count, worst = con.execute(
            f"""
            with ours as ({scoring_sql(result.model, f"({pairs})")})
            select count(*), max(abs(o.match_probability - s.match_probability))
            from ours o join splink_pairs s using (unique_id_l, unique_id_r)
            """
        ).fetchall()[0]
    assert result.trained
    assert count > 1000
    assert worst < 1e-9
