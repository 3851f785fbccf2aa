"""Overstay (UU 6/2011 Art. 78): staying past the stay permit's last valid day.

Up to 60 days: an overstay fee (*biaya beban*) per day, deportation and entry ban if unpaid;
more than 60 days: deportation and entry ban. The daily rate is a parameter (PP 28/2019:
Rp1,000,000; the PP 45/2024 rate is unconfirmed).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from timpora.detection.engine.base import Dialect, Hit, Rule, gettext_noop


def sql(d: Dialect, params: dict[str, Any]) -> str:
    return (
        "SELECT p.id AS person_id, p.current_permit_valid_until AS valid_until, "
        f"{d.days(d.date_param(), 'p.current_permit_valid_until')} AS days "
        f"FROM registry_person p WHERE p.current_permit_valid_until < {d.date_param()} "
        "AND p.merged_into_id IS NULL {persons}"
    )


def to_hit(row: dict[str, Any], params: dict[str, Any], as_of: date) -> Hit:
    days = int(row["days"])
    limit = int(params["fee_max_days"])
    facts: dict[str, Any] = {"valid_until": str(row["valid_until"])[:10], "days": days}
    if days <= limit:
        facts["fee"] = days * int(params["fee_per_day"])
        facts["recommendation"] = "fee"
        severity = "medium"
    else:
        facts["recommendation"] = "deportation"
        severity = "high"
    return Hit(
        subject=f"person:{row['person_id']}",
        person_id=row["person_id"],
        severity=severity,
        facts=facts,
        fact_key=facts["valid_until"],
    )


RULE = Rule(
    code="overstay",
    title=gettext_noop("Overstay"),
    law="UU 6/2011 Pasal 78",
    explanation=gettext_noop(
        "The stay permit expired on %(valid_until)s: %(days)s day(s) of overstay as of %(as_of)s."
    ),
    recommendations={
        "fee": gettext_noop(
            "Up to 60 days: overstay fee of Rp%(fee)s (Art. 78(2)); deportation and "
            "entry ban if not paid."
        ),
        "deportation": gettext_noop("More than 60 days: deportation and entry ban (Art. 78(3))."),
    },
    defaults={"fee_per_day": 1_000_000, "fee_max_days": 60},
    sql=sql,
    to_hit=to_hit,
)
