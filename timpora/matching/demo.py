"""Demo: a review queue to look at. A few demo persons are registered a second time the way
another source would write them (name order reversed, names run together, a typo, day and
month swapped, a year only, a renewed passport), and the likely duplicates are queued.

Idempotent: once demo pairs exist (pending or decided), nothing is added. Persons loaded
before entity resolution existed get their match keys first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction

from timpora.matching.choices import PairSource
from timpora.matching.models import MatchCandidate, PersonMatchKey
from timpora.registry.choices import DatePrecision
from timpora.registry.models import Person

#: Kelurahan Banten (Kasemen) first, so that the police of Kasemen and the lurah see pairs.
AREAS = ("36.73.02.1007", "36.73.02", "36.73")
PAIRS = 6


def _reverse(name: str) -> str:
    return " ".join(reversed(name.split()))


def _joined(name: str) -> str:
    parts = name.split()
    return " ".join([parts[0], "".join(parts[1:])]) if len(parts) > 2 else name.replace(" ", "")


def _typo(name: str) -> str:
    parts = name.split()
    longest = max(range(len(parts)), key=lambda i: len(parts[i]))
    word = parts[longest]
    parts[longest] = word[:-2] + word[-1] if len(word) > 3 else word + word[-1]
    return " ".join(parts)


def _swapped(born: date) -> date:
    return born.replace(month=born.day, day=born.month) if born.day <= 12 else born


def _next_day(born: date) -> date:
    return born.replace(day=born.day + 1) if born.day < 28 else born.replace(day=born.day - 1)


# (how the name is written, how the birth date is written, its precision, a new passport?)
VARIATIONS: list[tuple[Callable[[str], str], Callable[[date], date], str, bool]] = [
    (_reverse, lambda d: d, DatePrecision.DAY, True),
    (_joined, _swapped, DatePrecision.DAY, False),
    (_typo, lambda d: d, DatePrecision.DAY, True),
    (lambda n: n, _next_day, DatePrecision.DAY, True),
    (_reverse, lambda d: d, DatePrecision.YEAR, False),
    (_typo, _swapped, DatePrecision.DAY, True),
]


def _originals() -> list[Person]:
    chosen: list[Person] = []
    for code in AREAS:
        qs = Person.objects.filter(
            merged_into__isnull=True,
            birth_date__isnull=False,
            birth_date_precision=DatePrecision.DAY,
            stays__kelurahan_code__startswith=code,
        ).exclude(pk__in=[p.pk for p in chosen])
        chosen.extend(qs.distinct().order_by("pk")[: PAIRS - len(chosen)])
        if len(chosen) >= PAIRS:
            break
    return chosen


def seed_review_pairs(**_: object) -> dict:
    """Register second spellings of a few demo persons and queue their pairs."""
    from timpora.matching.actions import _registering, scan_person
    from timpora.matching.keys import rebuild_keys
    from timpora.registry import actions as registry

    summary: dict = {}
    if not PersonMatchKey.objects.exists() and Person.objects.exists():
        summary["keys"] = rebuild_keys()["keys"]
    if MatchCandidate.objects.filter(source=PairSource.DEMO).exists():
        summary["pairs"] = MatchCandidate.objects.filter(source=PairSource.DEMO).count()
        return {"matching": summary}
    queued = 0
    for index, (person, (name, born, precision, new_passport)) in enumerate(
        zip(_originals(), VARIATIONS, strict=False)
    ):
        stay = person.stays.order_by("-date_from").first()
        document = person.documents.first()
        # A renewed passport: same letters in front, another number.
        renewed = f"{(document.number if document else 'X')[:2]}9{index:02d}{person.pk:05d}"
        with transaction.atomic():
            with _registering():  # queued below, as demo pairs
                twin = registry.register_person(
                    registry.PersonInput(
                        full_name=name(person.full_name),
                        sex=person.sex,
                        birth_date=born(person.birth_date),
                        birth_date_precision=precision,
                        nationality=person.nationality,
                    ),
                    actor=None,
                    document=registry.DocumentInput(
                        number=renewed,
                        issuing_state=person.nationality,
                    )
                    if new_passport
                    else None,
                    stay=registry.StayInput(
                        area_code=stay.kelurahan_code or stay.kecamatan_code,
                        date_from=stay.date_from,
                        source="accommodation",
                        source_ref="demo: second spelling",
                    )
                    if stay
                    else None,
                )
            queued += len(scan_person(twin, source=PairSource.DEMO))
    summary["pairs"] = queued
    return {"matching": summary}
