"""Permit status and overstay days at their boundaries (UU 6/2011 Art. 78), in Jakarta days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timpora.registry.choices import PermitStatus
from timpora.registry.models import StayPermit
from timpora.registry.status import overstay_days, permit_status, today_in_jakarta

VALID_UNTIL = date(2026, 6, 30)


def test_a_permit_is_still_in_force_on_its_valid_until_day():
    assert permit_status(VALID_UNTIL, VALID_UNTIL, 30) == PermitStatus.EXPIRING
    assert overstay_days(VALID_UNTIL, VALID_UNTIL) == 0


def test_with_no_expiring_window_the_last_day_is_still_not_expired():
    assert permit_status(VALID_UNTIL, VALID_UNTIL, 0) == PermitStatus.EXPIRING
    assert permit_status(VALID_UNTIL, VALID_UNTIL - timedelta(days=1), 0) == PermitStatus.VALID


def test_the_day_after_is_expired_with_one_day_of_overstay():
    day_after = VALID_UNTIL + timedelta(days=1)
    assert permit_status(VALID_UNTIL, day_after, 30) == PermitStatus.EXPIRED
    assert overstay_days(VALID_UNTIL, day_after) == 1


@pytest.mark.parametrize(
    ("valid_until", "on", "days"),
    [
        (date(2024, 2, 28), date(2024, 3, 1), 2),  # leap year: 29 February counts
        (date(2023, 2, 28), date(2023, 3, 1), 1),  # no 29 February
        (date(2024, 2, 29), date(2024, 3, 1), 1),
        (date(2024, 2, 29), date(2025, 3, 1), 366),
        (date(2025, 12, 31), date(2026, 1, 1), 1),
    ],
)
def test_overstay_days_across_month_and_year_ends(valid_until, on, days):
    assert overstay_days(valid_until, on) == days
    assert permit_status(valid_until, on, 30) == PermitStatus.EXPIRED


def test_a_permit_ending_on_29_february_is_valid_that_day():
    assert permit_status(date(2024, 2, 29), date(2024, 2, 29), 30) == PermitStatus.EXPIRING
    assert overstay_days(date(2024, 2, 29), date(2024, 2, 29)) == 0


@pytest.mark.parametrize("window", [1, 30, 60])
def test_the_expiring_window_includes_its_first_day(window):
    exactly = VALID_UNTIL - timedelta(days=window)
    one_more = VALID_UNTIL - timedelta(days=window + 1)
    assert permit_status(VALID_UNTIL, exactly, window) == PermitStatus.EXPIRING
    assert permit_status(VALID_UNTIL, one_more, window) == PermitStatus.VALID


def test_the_model_asks_the_same_function():
    permit = StayPermit(valid_until=VALID_UNTIL)
    assert permit.status_on(VALID_UNTIL + timedelta(days=1), 30) == PermitStatus.EXPIRED
    assert permit.status_on(VALID_UNTIL - timedelta(days=31), 30) == PermitStatus.VALID


def test_jakarta_is_already_on_the_next_day_from_17_utc():
    assert today_in_jakarta(datetime(2026, 1, 1, 17, 30, tzinfo=UTC)) == date(2026, 1, 2)
    assert today_in_jakarta(datetime(2026, 1, 1, 17, 0, tzinfo=UTC)) == date(2026, 1, 2)
    assert today_in_jakarta(datetime(2026, 1, 1, 16, 59, tzinfo=UTC)) == date(2026, 1, 1)


def test_a_permit_ending_on_new_year_overstays_from_17_utc_that_evening():
    valid_until = date(2026, 1, 1)
    before = today_in_jakarta(datetime(2026, 1, 1, 16, 59, tzinfo=UTC))
    after = today_in_jakarta(datetime(2026, 1, 1, 17, 30, tzinfo=UTC))
    assert overstay_days(valid_until, before) == 0
    assert overstay_days(valid_until, after) == 1
    assert permit_status(valid_until, after, 30) == PermitStatus.EXPIRED


def test_without_an_argument_it_is_todays_date_in_jakarta():
    now = datetime.now(tz=UTC)
    assert today_in_jakarta() in {
        today_in_jakarta(now),
        today_in_jakarta(now + timedelta(minutes=1)),
    }


@given(
    valid_until=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    offset=st.integers(min_value=-400, max_value=400),
    window=st.integers(min_value=0, max_value=120),
)
def test_overstay_is_positive_exactly_when_expired(valid_until, offset, window):
    on = valid_until + timedelta(days=offset)
    status = permit_status(valid_until, on, window)
    assert (overstay_days(valid_until, on) > 0) == (status == PermitStatus.EXPIRED)
    assert overstay_days(valid_until, on) == max(offset, 0)
