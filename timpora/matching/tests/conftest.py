"""Matching fixtures: registered persons in Kasemen and Taktakan, English labels."""

from __future__ import annotations

from datetime import date

import pytest

from timpora.intake.tests.conftest import hotels  # noqa: F401  (the import tests' hotels)
from timpora.registry import actions as registry
from timpora.registry.models import Person

KEL_BANTEN = "36.73.02.1007"  # kecamatan Kasemen
KEL_TAKTAKAN = "36.73.06.1001"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def thresholds(settings):
    """Set the auto and review thresholds: ``thresholds(auto, review)``."""

    def set_thresholds(auto: float, review: float) -> None:
        settings.TIMPORA_MATCH_AUTO_THRESHOLD = auto
        settings.TIMPORA_MATCH_REVIEW_THRESHOLD = review

    set_thresholds(0.999, 0.9)
    return set_thresholds


def register(
    actor,
    full_name: str,
    born: date | None,
    nationality: str,
    passport: str = "",
    *,
    sex: str = "M",
    area: str = KEL_BANTEN,
) -> Person:
    """A person registered through the registry (keys and duplicate scan included)."""
    return registry.register_person(
        registry.PersonInput(
            full_name=full_name, sex=sex, birth_date=born, nationality=nationality
        ),
        actor=actor,
        document=registry.DocumentInput(number=passport, issuing_state=nationality)
        if passport
        else None,
        stay=registry.StayInput(area_code=area, date_from=date(2026, 1, 10)),
    )
