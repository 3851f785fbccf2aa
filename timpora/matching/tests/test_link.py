"""``timpora link`` end to end, the engine's linking, and single-record scoring."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from timpora.matching.engine.features import build_features
from timpora.matching.engine.link import (
    DEFAULT_THRESHOLD,
    _make_linker,
    load_person_csv,
)
from timpora.matching.engine.model import MatchModel, add_blocking_keys, add_token_year_keys
from timpora.matching.engine.score import CandidateIndex, pair_select, score_candidates, scoring_sql

DATA = Path(__file__).parent / "data"
SMALL = DATA / "persons_small.csv"
LABELLED = DATA / "labelled_persons.csv"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(autouse=True)
def english():
    """Messages in English whatever the project's default language."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The small hand-written file through the real command, once for the module."""
    output = tmp_path_factory.mktemp("link") / "clusters.csv"
    call_command("link", input=str(SMALL), output=str(output), stdout=io.StringIO())
    rows = read_csv(output)
    assert list(rows[0]) == ["record_id", "cluster_id", "match_probability"]
    return {row["record_id"]: row for row in rows}


def cluster(linked: dict[str, dict[str, str]], record_id: str) -> str:
    return linked[record_id]["cluster_id"]


def test_it_writes_every_input_record_once_in_input_order(
    linked: dict[str, dict[str, str]],
) -> None:
    assert list(linked) == [row["record_id"] for row in read_csv(SMALL)]


@pytest.mark.parametrize(
    "duplicates",
    [
        ("ar-1", "ar-2", "ar-3"),  # transliteration, article, OCR passport, partial date
        ("zh-1", "zh-2"),  # Wade-Giles, hyphen, day/month swap
        ("ko-1", "ko-2"),  # order, spacing, partial date, no passport
        ("ja-1", "ja-2"),  # long vowel, spaced passport
        ("vi-1", "vi-2"),  # diacritics, day/month swap
        ("nl-1", "nl-2"),  # particles, comma form
    ],
)
def test_it_puts_the_known_duplicates_in_one_cluster(
    linked: dict[str, dict[str, str]], duplicates: tuple[str, ...]
) -> None:
    assert len({cluster(linked, r) for r in duplicates}) == 1
    assert all(float(linked[r]["match_probability"]) >= DEFAULT_THRESHOLD for r in duplicates)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ko-1", "ko-3"),  # same family name, different given name
        ("us-1", "gb-1"),  # namesakes with different dates, nationalities, passports
        ("tw-1", "tw-2"),  # twins: same birth date, consecutive passports
        ("ar-1", "zh-1"),
    ],
)
def test_it_keeps_different_people_apart(linked: dict[str, dict[str, str]], a: str, b: str) -> None:
    assert cluster(linked, a) != cluster(linked, b)


def test_a_record_alone_reports_its_best_link_not_certainty(
    linked: dict[str, dict[str, str]],
) -> None:
    for record_id in ("ko-3", "us-1", "tw-1"):
        assert cluster(linked, record_id) == record_id
        assert float(linked[record_id]["match_probability"]) < DEFAULT_THRESHOLD


def test_it_names_the_missing_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("record_id,full_name,sex\n1,A B,M\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column.*date_of_birth"):
        call_command("link", input=str(broken), output=str(tmp_path / "out.csv"))


def test_it_names_the_rows_of_a_repeated_record_id(tmp_path: Path) -> None:
    rows = SMALL.read_text(encoding="utf-8").splitlines()
    repeated = tmp_path / "repeated.csv"
    repeated.write_text("\n".join([*rows, rows[3]]) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"record_id ar-3 appears on rows 4, 20"):
        call_command("link", input=str(repeated), output=str(tmp_path / "out.csv"))


def test_it_names_the_row_of_an_empty_record_id(tmp_path: Path) -> None:
    rows = SMALL.read_text(encoding="utf-8").splitlines()
    empty = tmp_path / "empty.csv"
    empty.write_text("\n".join([*rows[:3], "," + rows[3].split(",", 1)[1]]) + "\n", "utf-8")
    with pytest.raises(CommandError, match="row 4: empty record_id"):
        call_command("link", input=str(empty), output=str(tmp_path / "out.csv"))


def test_it_rejects_a_threshold_outside_zero_and_one(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="threshold"):
        call_command("link", input=str(SMALL), output=str(tmp_path / "o.csv"), threshold=1.5)


def test_the_console_command_exits_with_1_naming_file_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("record_id,full_name,sex,date_of_birth\n1,A B,M,1980\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "timpora.cli", "link", "--input", str(broken),
         "--output", str(tmp_path / "out.csv")],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert str(broken) in result.stderr
    assert "passport_number" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_it_explains_a_file_that_is_not_text(tmp_path: Path) -> None:
    garbled = tmp_path / "garbled.csv"
    garbled.write_bytes(b"record_id,full_name\n\xff\xfe\xfa,\xc3\x28\n")
    with pytest.raises(CommandError, match="garbled.csv: cannot be read as CSV"):
        call_command("link", input=str(garbled), output=str(tmp_path / "out.csv"))


def test_it_exits_with_1_for_a_file_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("link", input=str(tmp_path / "nope.csv"), output=str(tmp_path / "o.csv"))


def test_a_token_blocks_with_year_and_nationality_only_in_small_groups() -> None:
    """Records sharing a name token, birth year and nationality are blocked together only
    where few records share the three: the many WANGs of one year stay out."""
    con = duckdb.connect()
    rows = [(1, ["ALI", "ZAFAR"], 1980, "PAK"), (2, ["ZAFAR"], 1980, "PAK")]
    rows += [(10 + i, ["WANG", f"X{i}"], 1975, "CHN") for i in range(4)]
    rows += [(20, ["ALI"], None, "PAK"), (21, ["ALI"], 1980, None)]
    con.execute(
        "create table f (unique_id int, name_tokens varchar[], dob_y int, nationality varchar)"
    )
    con.executemany("insert into f values (?, ?, ?, ?)", rows)
    add_token_year_keys(con, "f", limit=3)
    keys = dict(con.execute("select unique_id, name_tokens_year from f").fetchall())
    assert keys[1] == ["ALI", "ZAFAR"]
    assert keys[2] == ["ZAFAR"]
    assert keys[10] == ["X0"]  # four WANGs of 1975 and CHN: over the limit of 3
    assert keys[20] is None and keys[21] is None  # no year or no nationality: no key


# --- the model scored outside Splink -----------------------------------------------------


@pytest.fixture(scope="module")
def labelled_features() -> duckdb.DuckDBPyConnection:
    """The labelled fixture set with its features, in a connection of its own."""
    con = duckdb.connect()
    load_person_csv(con, LABELLED, "persons")
    build_features(con, "persons", "features", extra_columns=("date_of_birth", "passport_number"))
    add_blocking_keys(con, "features")
    add_token_year_keys(con, "features")  # as link_table does: the model blocks on them too
    return con


def test_the_sql_scorer_reproduces_splink_predictions(
    labelled_features: duckdb.DuckDBPyConnection,
) -> None:
    con = labelled_features
    model = MatchModel.load().for_population(2000)
    linker = _make_linker(con, "features", model.settings)
    predictions = linker.inference.predict(warning_mode="never")
    con.execute(
        f"""create or replace table splink_pairs as
        select unique_id_l, unique_id_r, match_probability from {predictions.physical_name}"""
    )
    pairs = (
        f"select {pair_select('l', 'r')} from splink_pairs s "
        "join features l on l.unique_id = s.unique_id_l "
        "join features r on r.unique_id = s.unique_id_r"
    )
    compared = con.execute(
        f"""
        with ours as ({scoring_sql(model, f"({pairs})")})
        select count(*), max(abs(o.match_probability - s.match_probability))
        from ours o join splink_pairs s using (unique_id_l, unique_id_r)
        """
    ).fetchall()[0]
    assert compared[0] > 1000
    assert compared[1] < 1e-9


@pytest.fixture(scope="module")
def index(labelled_features: duckdb.DuckDBPyConnection) -> CandidateIndex:
    return CandidateIndex.build("persons", con=labelled_features, table="candidates")


def test_it_finds_a_new_sighting_among_the_candidates_with_its_evidence(
    index: CandidateIndex,
) -> None:
    person = read_csv(LABELLED)[0]
    sighting = {
        "full_name": " ".join(reversed(person["full_name"].split())).lower(),
        "date_of_birth": person["date_of_birth"],
        "nationality": person["nationality"],
        "passport_number": person["passport_number"],
        "sex": person["sex"],
    }
    found = score_candidates(sighting, index)
    assert found, sighting
    best = found[0]
    same_person = {
        r["record_id"] for r in read_csv(LABELLED) if r["person_id"] == person["person_id"]
    }
    assert best.record_id in same_person
    assert best.probability >= 0.9
    name = next(e for e in best.evidence if e.field == "name")
    assert name.weight > 0
    assert "name" in best.explanation()


def test_it_finds_no_candidate_for_a_stranger(index: CandidateIndex) -> None:
    stranger = {
        "full_name": "Zebulon Quixotic-Marmaduke",
        "date_of_birth": "1901-02-03",
        "nationality": "ATA",
        "passport_number": "QQ0000001",
    }
    assert score_candidates(stranger, index) == []
