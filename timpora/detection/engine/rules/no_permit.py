"""Present with no known valid stay permit or travel document (UU 6/2011 Art. 119(1);
detention grounds, Art. 83)."""

from __future__ import annotations

from datetime import date
from typing import Any

from timpora.detection.engine.base import Dialect, Hit, Rule, gettext_noop


def sql(d: Dialect, params: dict[str, Any]) -> str:
    recent = d.add_days(d.date_param(), -int(params["present_days"]))
    present = (
        "SELECT 1 FROM registry_stay s WHERE s.person_id = p.id AND s.date_from <= "
        f"{d.date_param()} AND (s.date_to IS NULL OR s.date_to >= {recent})"
    )
    valid_document = (
        "SELECT 1 FROM registry_traveldocument t WHERE t.person_id = p.id "
        f"AND (t.expiry_date IS NULL OR t.expiry_date >= {d.date_param()})"
    )
    # Two disjoint halves instead of "no permit OR no valid document": with the OR the
    # planner probes both conditions for every present person (a million index probes);
    # apart, "no permit" is an index range and "no valid document" one hash anti-join, and
    # only those few candidates are checked for presence.
    return (
        "SELECT p.id AS person_id, TRUE AS no_permit, "
        f"NOT EXISTS ({valid_document}) AS no_document FROM registry_person p "
        "WHERE p.current_permit_valid_until IS NULL AND p.merged_into_id IS NULL "
        f"AND EXISTS ({present}) {{persons}} "
        "UNION ALL SELECT p.id AS person_id, FALSE AS no_permit, TRUE AS no_document "
        "FROM registry_person p WHERE p.current_permit_valid_until IS NOT NULL "
        f"AND NOT EXISTS ({valid_document}) AND p.merged_into_id IS NULL "
        f"AND EXISTS ({present}) {{persons}}"
    )


def to_hit(row: dict[str, Any], params: dict[str, Any], as_of: date) -> Hit:
    missing = [
        name
        for name, flag in (("permit", row["no_permit"]), ("document", row["no_document"]))
        if flag
    ]
    facts = {"missing": missing}
    return Hit(
        subject=f"person:{row['person_id']}",
        person_id=row["person_id"],
        severity="high",
        facts=facts,
        fact_key=",".join(missing),
    )


RULE = Rule(
    code="no_permit",
    title=gettext_noop("No valid permit or travel document"),
    law="UU 6/2011 Pasal 119 ayat (1), 83",
    explanation=gettext_noop("Present in the area with no known valid %(missing)s."),
    defaults={"present_days": 30},
    sql=sql,
    to_hit=to_hit,
)
