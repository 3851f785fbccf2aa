"""Activity not matching the permit (UU 6/2011 Art. 75(1), 122 huruf a): a holder of a visit
permit or visa on arrival — or of any index that does not allow work — reported by an
employer or found working in the field."""

from __future__ import annotations

from datetime import date
from typing import Any

from timpora.detection.engine.base import Dialect, Hit, Rule, gettext_noop


def sql(d: Dialect, params: dict[str, Any]) -> str:
    window = int(params["window_days"])
    since = d.add_days(d.date_param(), -window)
    evidence = (
        "SELECT e.person_id, e.event_date AS day, 1 AS employer, 0 AS field "
        "FROM intake_employerreport e "
        f"WHERE e.event IN ('start', 'confirm', 'change', 'transfer') AND e.event_date >= {since} "
        f"AND e.event_date <= {d.date_param()} AND e.person_id IS NOT NULL "
        "{persons:e.person_id} "
        f"UNION ALL SELECT f.person_id, {d.to_date('f.found_at')} AS day, 0 AS employer, "
        "1 AS field FROM intake_fieldfinding f "
        f"WHERE f.working AND {d.on_or_after('f.found_at', since)} "
        f"AND {d.on_or_before('f.found_at', d.date_param())} AND f.person_id IS NOT NULL "
        "{persons:f.person_id}"
    )
    latest_permit = (
        "FROM registry_staypermit sp LEFT JOIN registry_permitindex i ON i.id = sp.index_id "
        "WHERE sp.person_id = p.id ORDER BY sp.valid_until DESC, sp.id DESC LIMIT 1"
    )
    # The evidence is summed per person first, so each person and permit is looked at once,
    # not once per report (MATERIALIZED keeps the planner from undoing that), and in person
    # order, so that the look-ups read the tables' pages in order, not at random.
    return (
        "WITH ev AS MATERIALIZED (SELECT x.person_id, MAX(x.day) AS last_seen_working, "
        "SUM(x.employer) AS employer_reports, SUM(x.field) AS field_findings "
        f"FROM ({evidence}) x GROUP BY x.person_id ORDER BY x.person_id) "
        "SELECT p.id AS person_id, p.current_permit_category AS category, "
        f"(SELECT i.code {latest_permit}) AS permit_index, ev.last_seen_working, "
        "ev.employer_reports, ev.field_findings "
        "FROM ev JOIN registry_person p ON p.id = ev.person_id "
        "WHERE (p.current_permit_category = 'visit' "
        f"OR (SELECT COALESCE(i.allows_work, sp.category <> 'visit') {latest_permit}) = "
        f"{'false' if d.vendor == 'postgresql' else '0'}) "
        "AND p.merged_into_id IS NULL {persons}"
    )


def to_hit(row: dict[str, Any], params: dict[str, Any], as_of: date) -> Hit:
    facts = {
        "category": row["category"],
        "permit_index": row["permit_index"] or "",
        "last_seen_working": str(row["last_seen_working"])[:10],
        "employer_reports": int(row["employer_reports"] or 0),
        "field_findings": int(row["field_findings"] or 0),
    }
    return Hit(
        subject=f"person:{row['person_id']}",
        person_id=row["person_id"],
        severity="high",
        facts=facts,
        fact_key=f"{facts['category']}:{facts['permit_index']}",
    )


RULE = Rule(
    code="activity_mismatch",
    title=gettext_noop("Working on a permit that does not allow work"),
    law="UU 6/2011 Pasal 75 ayat (1), 122 huruf a",
    explanation=gettext_noop(
        "Holds a %(category)s permit (%(permit_index)s) that does not allow work, "
        "but was reported working: %(employer_reports)s employer report(s), "
        "%(field_findings)s field finding(s), last on %(last_seen_working)s."
    ),
    defaults={"window_days": 180},
    sql=sql,
    to_hit=to_hit,
)
