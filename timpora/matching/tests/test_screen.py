"""``timpora screen``: persons against a watch list, with explanations."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

DATA = Path(__file__).parent / "data"
PERSONS = DATA / "persons_small.csv"
WATCHLIST = DATA / "watchlist_small.csv"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def hits(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    output = tmp_path_factory.mktemp("screen") / "hits.csv"
    with translation.override("en"):
        call_command(
            "screen",
            watchlist=str(WATCHLIST),
            input=str(PERSONS),
            output=str(output),
            today="2025-01-01",
            stdout=io.StringIO(),
        )
    with output.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["record_id", "list_id", "score", "explanation"]
        return list(reader)


def hit(hits: list[dict[str, str]], record_id: str, list_id: str) -> dict[str, str] | None:
    return next((h for h in hits if h["record_id"] == record_id and h["list_id"] == list_id), None)


def test_it_finds_a_listed_person_through_an_ocr_confused_passport(
    hits: list[dict[str, str]],
) -> None:
    found = hit(hits, "ar-1", "W-1")
    assert found is not None
    assert float(found["score"]) > 0.99
    explanation = found["explanation"]
    assert "passport E12345678 = E1234S678 (OCR-equivalent)" in explanation
    assert "name Muhammad al-Ghamdi = MOHAMMED AL GHAMDI" in explanation
    assert "born 1980-05-01 = 1980-05-01" in explanation
    assert "nationality SAU = SAU" in explanation


def test_it_finds_every_record_of_the_listed_person(hits: list[dict[str, str]]) -> None:
    assert {h["record_id"] for h in hits if h["list_id"] == "W-1"} >= {"ar-1", "ar-2"}


def test_it_explains_a_name_written_in_another_system_and_a_swapped_date(
    hits: list[dict[str, str]],
) -> None:
    found = hit(hits, "zh-2", "W-2")
    assert found is not None
    assert "name CHANG HSIAO-MING = CHANG HSIAO MING" in found["explanation"]
    assert "born 1985-04-03 = 1985-03-04 (day and month swapped)" in found["explanation"]


def test_it_skips_entries_that_are_no_longer_valid(hits: list[dict[str, str]]) -> None:
    assert not [h for h in hits if h["list_id"] == "W-3"]


def test_it_keeps_entries_with_an_unreadable_validity_date(hits: list[dict[str, str]]) -> None:
    found = hit(hits, "vi-1", "W-5")
    assert found is not None
    assert "partial date" in found["explanation"]


def test_it_does_not_hit_a_namesake_with_other_dates_and_nationality(
    hits: list[dict[str, str]],
) -> None:
    assert not [h for h in hits if h["list_id"] == "W-4"]


def test_it_orders_hits_by_person_then_score(hits: list[dict[str, str]]) -> None:
    keys = [(h["record_id"], -float(h["score"])) for h in hits]
    assert keys == sorted(keys)


def test_it_names_the_missing_watch_list_column(tmp_path: Path) -> None:
    broken = tmp_path / "list.csv"
    broken.write_text("list_id,full_name,date_of_birth\nW,A B,1980\n", encoding="utf-8")
    with pytest.raises(CommandError, match="list.csv: missing column.*valid_until"):
        call_command(
            "screen", watchlist=str(broken), input=str(PERSONS), output=str(tmp_path / "h.csv")
        )
