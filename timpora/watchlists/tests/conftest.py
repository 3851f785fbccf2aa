"""Shared set-up of the watch-list tests: persons in Kasemen and lists written as files."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from timpora.registry import actions as registry
from timpora.watchlists import actions
from timpora.watchlists.models import WatchList

HEADER = [
    "list_id",
    "full_name",
    "date_of_birth",
    "nationality",
    "passport_number",
    "list_type",
    "valid_until",
    "reason",
]
KEL_BANTEN = "36.73.02.1007"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def make_person(
    personas,
    surname: str,
    given: str,
    *,
    born: date | None,
    nationality: str,
    passport: str,
    area: str = KEL_BANTEN,
):
    return registry.register_person(
        registry.PersonInput(
            surname=surname,
            given_names=given,
            sex="M",
            nationality=nationality,
            birth_date=born,
            birth_date_precision="day" if born else "unknown",
        ),
        actor=personas.officer,
        document=registry.DocumentInput(number=passport, issuing_state=nationality),
        stay=registry.StayInput(area_code=area, date_from=date(2026, 1, 1)),
    )


def make_list(
    name: str = "Daftar Penangkalan", list_type: str = "penangkalan", **values
) -> WatchList:
    return actions.create_watchlist(
        name=name, list_type=list_type, source="Direktorat Jenderal Imigrasi", actor=None, **values
    )


def import_rows(watchlist: WatchList, rows: list[list[str]], tmp_path: Path, name="list.csv"):
    path = write_csv(tmp_path / name, rows)
    return actions.import_entries(watchlist, path, actor=None, screen=False)


@pytest.fixture
def people(personas):
    """A listed Saudi, a Taiwanese, a Vietnamese, and namesakes who are other people."""
    return {
        "ghamdi": make_person(
            personas,
            "AL-GHAMDI",
            "MUHAMMAD",
            born=date(1980, 5, 1),
            nationality="SAU",
            passport="E12345678",
        ),
        "chang": make_person(
            personas,
            "ZHANG",
            "XIAOMING",
            born=date(1985, 3, 4),
            nationality="TWN",
            passport="312345678",
        ),
        "nguyen": make_person(
            personas,
            "NGUYEN",
            "THI LAN",
            born=date(1990, 7, 21),
            nationality="VNM",
            passport="C1234567",
        ),
        # Same name as the listed Nguyen, born 22 years later: another woman.
        "namesake": make_person(
            personas,
            "NGUYEN",
            "THI LAN",
            born=date(2012, 2, 9),
            nationality="VNM",
            passport="C7654321",
        ),
    }
