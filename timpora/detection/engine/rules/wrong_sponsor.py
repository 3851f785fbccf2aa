"""A worker at a company other than the permit's sponsor (UU 6/2011 Art. 63 and 71 huruf
b/122 huruf b: business differing from the sponsor's; unreported change of sponsor)."""

from __future__ import annotations

from datetime import date
from typing import Any

from timpora.detection.engine.base import Dialect, Hit, Rule, gettext_noop, not_merged


def sql(d: Dialect, params: dict[str, Any]) -> str:
    since = d.add_days(d.date_param(), -int(params["window_days"]))
    working = (
        "e.event IN ('start', 'confirm', 'change', 'transfer') "
        f"AND e.event_date >= {since} AND e.event_date <= {d.date_param()} "
        "AND pr.sponsor_id IS NOT NULL"
    )
    current_sponsor = (
        "(SELECT sp.sponsor_id FROM registry_staypermit sp WHERE sp.person_id = w.person_id "
        "ORDER BY sp.valid_until DESC, sp.id DESC LIMIT 1)"
    )
    # The current sponsor (the latest permit's) is looked up once per reported person, not
    # once per report (a worker has many): MATERIALIZED keeps the planner from folding the
    # per-person step back into the per-report join. In person order, the look-ups read
    # the permit table's pages in order, not at random (a third of the rule's time).
    return (
        "WITH w AS MATERIALIZED (SELECT DISTINCT e.person_id FROM intake_employerreport e "
        f"JOIN intake_premises pr ON pr.id = e.premises_id WHERE {working} "
        f"AND {not_merged('e.person_id')} {{persons:e.person_id}} ORDER BY e.person_id), "
        f"c AS MATERIALIZED (SELECT w.person_id, {current_sponsor} AS sponsor_id FROM w) "
        "SELECT c.person_id, MAX(e.event_date) AS last_report, MIN(pr.name) AS employer, "
        "MIN(s.name) AS sponsor FROM c JOIN registry_sponsor s ON s.id = c.sponsor_id "
        "JOIN intake_employerreport e ON e.person_id = c.person_id "
        "JOIN intake_premises pr ON pr.id = e.premises_id "
        f"WHERE {working} AND pr.sponsor_id <> s.id GROUP BY c.person_id"
    )


def to_hit(row: dict[str, Any], params: dict[str, Any], as_of: date) -> Hit:
    facts = {
        "employer": row["employer"],
        "sponsor": row["sponsor"],
        "last_report": str(row["last_report"])[:10],
    }
    return Hit(
        subject=f"person:{row['person_id']}",
        person_id=row["person_id"],
        severity="medium",
        facts=facts,
        fact_key=f"{row['employer']}|{row['sponsor']}",
    )


RULE = Rule(
    code="wrong_sponsor",
    title=gettext_noop("Working for someone other than the sponsor"),
    law="UU 6/2011 Pasal 63, 71, 122 huruf b",
    explanation=gettext_noop(
        "Reported working at %(employer)s (last on %(last_report)s) while the stay "
        "permit is sponsored by %(sponsor)s."
    ),
    defaults={"window_days": 180},
    sql=sql,
    to_hit=to_hit,
    person_column="c.person_id",
)
