"""Permit status and overstay, in Asia/Jakarta days (pure functions, no database).

UU 6/2011 Art. 78: a foreigner who stays past the permit's last valid day overstays from the
next day; the permit is still valid *on* its valid-until date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from timpora.registry.choices import PermitStatus

JAKARTA = ZoneInfo("Asia/Jakarta")


def today_in_jakarta(now: datetime | None = None) -> date:
    """Today's date where the office is, whatever the server's time zone."""
    now = now or datetime.now(tz=JAKARTA)
    return now.astimezone(JAKARTA).date()


def permit_status(valid_until: date, on: date, expiring_days: int) -> PermitStatus:
    if on > valid_until:
        return PermitStatus.EXPIRED
    if valid_until - on <= timedelta(days=expiring_days):
        return PermitStatus.EXPIRING
    return PermitStatus.VALID


def overstay_days(valid_until: date, on: date) -> int:
    """Days stayed past the last valid day (0 while valid)."""
    return max((on - valid_until).days, 0)
