"""Stay permit expiring soon: early warning to the officer and the sponsor (Art. 63: the
sponsor answers for the foreigner's stay)."""

from __future__ import annotations

from datetime import date
from typing import Any

from timpora.detection.engine.base import Dialect, Hit, Rule, gettext_noop


def sql(d: Dialect, params: dict[str, Any]) -> str:
    days = int(params["days"])
    return (
        "SELECT p.id AS person_id, p.current_permit_valid_until AS valid_until, "
        f"{d.days('p.current_permit_valid_until', d.date_param())} AS days_left "
        f"FROM registry_person p WHERE p.current_permit_valid_until >= {d.date_param()} "
        f"AND p.current_permit_valid_until <= {d.add_days(d.date_param(), days)} "
        "AND p.merged_into_id IS NULL {persons}"
    )


def to_hit(row: dict[str, Any], params: dict[str, Any], as_of: date) -> Hit:
    facts = {"valid_until": str(row["valid_until"])[:10], "days_left": int(row["days_left"])}
    return Hit(
        subject=f"person:{row['person_id']}",
        person_id=row["person_id"],
        severity="low",
        facts=facts,
        fact_key=facts["valid_until"],
    )


RULE = Rule(
    code="expiring",
    title=gettext_noop("Permit expiring"),
    law="UU 6/2011 Pasal 63, 78",
    explanation=gettext_noop(
        "The stay permit expires on %(valid_until)s, in %(days_left)s day(s): "
        "remind the foreigner and the sponsor to extend or leave."
    ),
    defaults={"days": 30},
    sql=sql,
    to_hit=to_hit,
)
