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
        "SELECT e.person_id, e.event_date AS day, 'employer' AS kind FROM intake_employerreport e "
        f"WHERE e.event IN ('start', 'confirm', 'change', 'transfer') AND e.event_date >= {since} "
        f"AND e.event_date <= {d.date_param()} AND e.person_id IS NOT NULL "
        "UNION ALL SELECT f.person_id, "
        f"{d.to_date('f.found_at')} AS day, 'field' AS kind FROM intake_fieldfinding f "
        f"WHERE f.working AND {d.to_date('f.found_at')} >= {since} "
        f"AND {d.to_date('f.found_at')} <= {d.date_param()} AND f.person_id IS NOT NULL"
    )
    current_index_allows_work = (
        "(SELECT COALESCE(i.allows_work, sp.category <> 'visit') FROM registry_staypermit sp "
        "LEFT JOIN registry_permitindex i ON i.id = sp.index_id WHERE sp.person_id = p.id "
        "ORDER BY sp.valid_until DESC, sp.id DESC LIMIT 1)"
    )
    return (
        "SELECT p.id AS person_id, p.current_permit_category AS category, "
        "(SELECT i.code FROM registry_staypermit sp LEFT JOIN registry_permitindex i "
        "ON i.id = sp.index_id WHERE sp.person_id = p.id ORDER BY sp.valid_until DESC, "
        "sp.id DESC LIMIT 1) AS permit_index, MAX(ev.day) AS last_seen_working, "
        "SUM(CASE WHEN ev.kind = 'employer' THEN 1 ELSE 0 END) AS employer_reports, "
        "SUM(CASE WHEN ev.kind = 'field' THEN 1 ELSE 0 END) AS field_findings "
        f"FROM ({evidence}) ev JOIN registry_person p ON p.id = ev.person_id "
        f"WHERE (p.current_permit_category = 'visit' OR {current_index_allows_work} = "
        f"{'false' if d.vendor == 'postgresql' else '0'}) "
        "AND p.merged_into_id IS NULL {persons} "
        "GROUP BY p.id, p.current_permit_category"
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
