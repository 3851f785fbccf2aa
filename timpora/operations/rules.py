"""The overstay rule of UU 6/2011 Art. 78, as plain functions (no database).

Art. 78(2): a foreigner who stays up to 60 days past the permit pays a fee (*biaya beban*) per
day; Art. 78(3): more than 60 days → deportation and an entry ban, and no fee is charged.
The rate is a setting (``TIMPORA_OVERSTAY_FEE_PER_DAY``): PP 28/2019 set Rp1,000,000 a day,
the PP 45/2024 rate is unconfirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from timpora.registry.status import overstay_days

# Art. 78(2)-(3): the last day of overstay that is settled with a fee.
FEE_MAX_DAYS = 60


@dataclass(frozen=True)
class OverstayAssessment:
    """What Art. 78 says for an overstay of ``days`` days on a decision date."""

    days: int
    fee: int | None
    deportation: bool

    @property
    def overstaying(self) -> bool:
        return self.days > 0


def assess_overstay(valid_until: date | None, on: date, per_day: int) -> OverstayAssessment:
    """The fee (days × rate) for 1–60 days; deportation and no fee beyond 60 days; nothing
    for a permit still valid on ``on`` (or no permit date known: no overstay can be counted)."""
    days = overstay_days(valid_until, on) if valid_until else 0
    if days == 0:
        return OverstayAssessment(days=0, fee=None, deportation=False)
    if days <= FEE_MAX_DAYS:
        return OverstayAssessment(days=days, fee=days * per_day, deportation=False)
    return OverstayAssessment(days=days, fee=None, deportation=True)
