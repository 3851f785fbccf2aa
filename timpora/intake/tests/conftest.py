"""Intake fixtures: two approved hotels in different kelurahan, and a file writer."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from timpora.intake import actions
from timpora.intake.pipeline import ACCOMMODATION_COLUMNS

HEADER = [c.name for c in ACCOMMODATION_COLUMNS]


def guest(**values: str) -> dict[str, str]:
    """One valid accommodation row; keyword arguments override fields."""
    row = {
        "premises_licence": "HTL-BANTEN-01",
        "surname": "MÜLLER",
        "given_names": "HANS PETER",
        "full_name": "",
        "sex": "M",
        "date_of_birth": "1980-05-01",
        "place_of_birth": "",
        "nationality": "DEU",
        "passport_number": "C01X00T47",
        "passport_expiry": "2031-05-01",
        "permit_category": "visit",
        "permit_index": "B1",
        "permit_number": "",
        "permit_valid_until": "2026-12-31",
        "purpose": "tourism",
        "room": "204",
        "check_in": "2026-11-20 14:05",
        "check_out": "2026-11-22 11:00",
        "mrz_line1": "",
        "mrz_line2": "",
    }
    row.update(values)
    return row


def write_rows(
    path: Path,
    rows: list[dict[str, str]],
    *,
    header: list[str] | None = None,
    encoding: str = "utf-8",
) -> Path:
    header = header or HEADER
    with path.open("w", encoding=encoding, newline="", errors="strict") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(name, "") for name in header])
    return path


@pytest.fixture
def hotels(db):
    made = {}
    for licence, name, area, user in [
        ("HTL-BANTEN-01", "Hotel Banten Lama", "36.73.02.1007", "hotel_banten"),
        ("HTL-TAKTAKAN-01", "Hotel Taktakan", "36.73.06.1001", "hotel_taktakan"),
    ]:
        premises = actions.register_premises(
            kind="hotel",
            name=name,
            licence_number=licence,
            address=f"Jl. {name}",
            area_code=area,
            person_in_charge="Penanggung Jawab",
            username=user,
            password="a long enough password 1",
        )
        actions.decide_premises(premises, approve=True, actor=None)
        made[licence] = premises
    return made
