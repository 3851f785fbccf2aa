"""Generated report rows for templates, tests and the ingest benchmark (Django-free).

Rows look like what Serang hotels send: foreign guests of many nationalities, passport
numbers, visit permits, check-in and check-out in WIB. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from timpora.intake.pipeline import ACCOMMODATION_COLUMNS

_NAMES = {
    "CHN": (
        ["WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "HUANG", "ZHAO"],
        ["WEI", "FANG", "LEI", "JING", "YONG", "XIU YING", "HAO", "MIN"],
    ),
    "KOR": (
        ["KIM", "LEE", "PARK", "CHOI", "JUNG", "KANG"],
        ["MIN JUN", "SEO YEON", "JI HOON", "HYUN WOO", "SU BIN"],
    ),
    "JPN": (
        ["SATO", "SUZUKI", "TAKAHASHI", "TANAKA", "WATANABE"],
        ["HIROSHI", "YUKI", "KENJI", "AKIRA", "HARUKA"],
    ),
    "MYS": (["BIN ABDULLAH", "BINTI ISMAIL", "BIN HASSAN"], ["AHMAD", "NURUL AIN", "MOHD FAIZ"]),
    "AUS": (["SMITH", "JONES", "WILLIAMS", "BROWN"], ["JACK", "OLIVIA", "NOAH", "CHARLOTTE"]),
    "DEU": (["MÜLLER", "SCHMIDT", "SCHNEIDER", "FISCHER"], ["HANS PETER", "ANNA", "JÖRG"]),
    "IND": (["SHARMA", "PATEL", "SINGH", "KUMAR"], ["RAHUL", "PRIYA", "AMIT", "SUNITA"]),
    "SAU": (["AL-GHAMDI", "AL-QAHTANI", "AL-HARBI"], ["MUHAMMAD", "ABDULLAH", "FAHAD"]),
}
_PREFIX = {
    "CHN": "E",
    "KOR": "M",
    "JPN": "T",
    "MYS": "A",
    "AUS": "P",
    "DEU": "C",
    "IND": "Z",
    "SAU": "K",
}
_PURPOSES = ["tourism", "business", "family visit", "meeting", "conference"]
_INDICES = [
    ("visit", "B1"),
    ("visit", "A1"),
    ("visit", "C1"),
    ("limited", "E23"),
    ("limited", "E33"),
]


def accommodation_rows(
    n: int, *, licences: list[str], seed: int = 1, until: datetime | None = None
) -> Iterator[list[str]]:
    """``n`` rows in ACCOMMODATION_COLUMNS order, check-ins in the 90 days before ``until``."""
    rng = random.Random(seed)
    until = until or datetime(2026, 11, 20, 12, 0)
    nationalities = list(_NAMES)
    for i in range(n):
        nat = rng.choice(nationalities)
        surnames, given = _NAMES[nat]
        check_in = until - timedelta(minutes=rng.randrange(90 * 24 * 60))
        check_out = check_in + timedelta(hours=rng.randrange(12, 24 * 14))
        category, index = rng.choice(_INDICES)
        yield [
            rng.choice(licences),
            rng.choice(surnames),
            rng.choice(given),
            "",
            rng.choice("MF"),
            f"{rng.randrange(1950, 2004)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            "",
            nat,
            f"{_PREFIX[nat]}{10_000_000 + i:08d}",
            (until + timedelta(days=rng.randrange(200, 3000))).strftime("%Y-%m-%d"),
            category,
            index,
            "",
            (check_in + timedelta(days=rng.randrange(20, 300))).strftime("%Y-%m-%d"),
            rng.choice(_PURPOSES),
            str(rng.randrange(101, 999)),
            check_in.strftime("%Y-%m-%d %H:%M"),
            check_out.strftime("%Y-%m-%d %H:%M") if check_out < until else "",
            "",
            "",
        ]


def write_accommodation_csv(path: Path, n: int, *, licences: list[str], seed: int = 1) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.name for c in ACCOMMODATION_COLUMNS])
        writer.writerows(accommodation_rows(n, licences=licences, seed=seed))
    return path
