"""Demo: an entry-ban list and a local list whose entries are demo persons as other
authorities write them, so that ``make demo`` shows hits, their evidence and alerts.

The entries are made from persons of kelurahan Banten and Kasemen (where the demo personas
work) the way a foreign list would spell them: another transliteration and the family name
first, day and month of birth swapped, a passport number misread by OCR (0 as O, 1 as I),
only a birth year. One entry is a namesake born elsewhere and in another year, which must
*not* hit. Idempotent: the lists are found by name, the file is keyed by list_id, and
screening updates hits instead of adding them.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import date, timedelta
from pathlib import Path

from timpora.registry.models import Person
from timpora.registry.status import today_in_jakarta
from timpora.watchlists import actions
from timpora.watchlists.choices import ListType
from timpora.watchlists.models import WatchList

BAN_LIST = "Daftar Penangkalan Ditjen Imigrasi (demo)"
LOCAL_LIST = "Daftar Pengawasan Kanim Serang (demo)"

# Transliteration variants a foreign list may use (both directions are tried).
_VARIANTS = {
    "MUHAMMAD": "MOHAMMED",
    "MOHAMMED": "MUHAMMAD",
    "MOHAMMAD": "MUHAMMAD",
    "AHMAD": "AHMED",
    "AHMED": "AHMAD",
    "YUSUF": "YOUSEF",
    "HASSAN": "HASAN",
    "HUSSEIN": "HUSAIN",
    "ABDUL": "ABDEL",
    "ZHANG": "CHANG",
    "ZHOU": "CHOU",
    "XIAO": "HSIAO",
    "WANG": "WONG",
    "CHEN": "CHAN",
    "LI": "LEE",
    "NGUYEN": "NGUYEN",
    "PARK": "PAK",
    "KIM": "GIM",
    "CHOI": "CHOE",
    "LEE": "YI",
    "OHNO": "ONO",
    "SATO": "SATOU",
    "IVANOV": "IVANOFF",
}
_OCR = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z"}
_AREAS = ("36.73.02.1007", "36.73.02")


def transliterate(surname: str, given_names: str) -> str:
    """The name as a foreign list may write it: ``FAMILY, GIVEN`` in other spellings."""

    def spell(text: str) -> str:
        return " ".join(_VARIANTS.get(t, t) for t in text.upper().replace("-", " ").split())

    if not given_names:
        return spell(surname)
    return f"{spell(surname)}, {spell(given_names)}"


def swap_day_month(day: date) -> str:
    """The date with day and month swapped when that is still a date (else as it is)."""
    if day.day <= 12 and day.day != day.month:
        return date(day.year, day.day, day.month).isoformat()
    return day.isoformat()


def ocr_misread(number: str) -> str:
    """The first digit that OCR confuses with a letter, as that letter."""
    for i, char in enumerate(number):
        if char in _OCR:
            return number[:i] + _OCR[char] + number[i + 1 :]
    return number


def _candidates() -> list[Person]:
    """Demo persons with a full birth date and a passport, living where the personas work."""
    base = Person.objects.filter(
        birth_date__isnull=False, birth_date_precision="day", documents__isnull=False
    ).distinct()
    chosen = list(base.filter(kelurahan_code=_AREAS[0]).order_by("id")[:5])
    if len(chosen) < 5:
        chosen += list(
            base.filter(kelurahan_code__startswith=_AREAS[1] + ".")
            .exclude(pk__in=[p.pk for p in chosen])
            .order_by("id")[: 5 - len(chosen)]
        )
    # Prefer a person whose name has a known transliteration for the first entry.
    chosen.sort(key=lambda p: not any(t in _VARIANTS for t in p.surname.upper().split()))
    return chosen


def _rows(persons: list[Person], today: date) -> tuple[list[list[str]], list[list[str]]]:
    ban, local = [], []
    first, second, third = persons[0], persons[1], persons[2]
    passport = {p.pk: p.documents.order_by("id").first().number for p in persons}
    ban.append(
        [
            "DJI-TKL-0001",
            transliterate(first.surname, first.given_names),
            swap_day_month(first.birth_date),
            first.nationality,
            ocr_misread(passport[first.pk]),
            ListType.ENTRY_BAN,
            (today + timedelta(days=3650)).isoformat(),
            "Penangkalan: terlibat sindikat pemalsuan dokumen (demo)",
        ]
    )
    ban.append(
        [
            "DJI-TKL-0002",
            " ".join(reversed(second.full_name.split())),
            str(second.birth_date.year),
            second.nationality,
            "",
            ListType.ENTRY_BAN,
            (today + timedelta(days=1800)).isoformat(),
            "Penangkalan: dideportasi 2023, overstay (demo)",
        ]
    )
    local.append(
        [
            "DPO-SRG-017",
            third.full_name.upper(),
            third.birth_date.isoformat(),
            third.nationality,
            ocr_misread(passport[third.pk]),
            ListType.WANTED,
            "",
            "DPO Polresta Serang Kota: penipuan daring (demo)",
        ]
    )
    if len(persons) > 3:
        namesake = persons[3]
        other_year = namesake.birth_date.replace(year=namesake.birth_date.year - 17, day=1)
        local.append(
            [
                "LOC-SRG-002",
                namesake.full_name,
                other_year.isoformat(),
                "NGA" if namesake.nationality != "NGA" else "GHA",
                "",
                ListType.LOCAL,
                "",
                "Namesake with another birth date and nationality: must not hit (demo)",
            ]
        )
    return ban, local


def _import(watchlist: WatchList, rows: list[list[str]]) -> None:
    header = [
        "list_id",
        "full_name",
        "date_of_birth",
        "nationality",
        "passport_number",
        "list_type",
        "valid_until",
        "reason",
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{watchlist.list_type}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        actions.import_entries(watchlist, path, actor=None, screen=False)


def _list(name: str, **values) -> WatchList:
    found = WatchList.objects.filter(name=name).first()
    return found or actions.create_watchlist(name=name, actor=None, **values)


def seed_watchlists(**_: object) -> dict:
    """Create the two demo lists, screen the registry and raise the alerts."""
    persons = _candidates()
    if len(persons) < 3:
        return {"watchlists": {"skipped": "not enough demo persons"}}
    today = today_in_jakarta()
    ban_rows, local_rows = _rows(persons, today)
    ban = _list(
        BAN_LIST,
        list_type=ListType.ENTRY_BAN,
        source="Direktorat Jenderal Imigrasi",
        reference="IMI.5-GR.02.06-0123 (demo)",
        valid_from=today - timedelta(days=30),
    )
    local = _list(
        LOCAL_LIST,
        list_type=ListType.LOCAL,
        source="Kantor Imigrasi Kelas I Non TPI Serang",
        reference="W.11.IMI.IMI.3-GR.02.06-045 (demo)",
        valid_until=today + timedelta(days=365),
    )
    _import(ban, ban_rows)
    _import(local, local_rows)
    result = actions.screen_everyone(today)
    from timpora.watchlists.tasks import schedule_daily

    schedule_daily()
    return {"watchlists": {"entries": len(ban_rows) + len(local_rows), **result}}
