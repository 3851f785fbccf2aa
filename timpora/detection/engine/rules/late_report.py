"""Late accommodation reports (UU 6/2011 Art. 72, penalty Art. 117; office policy: report
within 1×24 hours of check-in). The subject is the premises that reported late."""

from __future__ import annotations

from datetime import date
from typing import Any

from timpora.detection.engine.base import Dialect, Hit, Rule, gettext_noop


def sql(d: Dialect, params: dict[str, Any]) -> str:
    since = d.add_days(d.date_param(), -int(params["window_days"]))
    day = d.to_date("r.check_in")
    return (
        "SELECT r.premises_id, MIN(pr.name) AS premises, COUNT(*) AS late_reports, "
        f"MAX({day}) AS last_late FROM intake_accommodationreport r "
        "JOIN intake_premises pr ON pr.id = r.premises_id "
        f"WHERE r.is_late AND {d.on_or_after('r.check_in', since)} "
        f"AND {d.on_or_before('r.check_in', d.date_param())} {{persons}} "
        f"GROUP BY r.premises_id HAVING COUNT(*) >= {int(params['min_reports'])}"
    )


def to_hit(row: dict[str, Any], params: dict[str, Any], as_of: date) -> Hit:
    count = int(row["late_reports"])
    facts = {
        "premises": row["premises"],
        "late_reports": count,
        "last_late": str(row["last_late"])[:10],
        "window_days": int(params["window_days"]),
    }
    return Hit(
        subject=f"premises:{row['premises_id']}",
        premises_id=row["premises_id"],
        severity="medium" if count >= int(params["medium_from"]) else "low",
        facts=facts,
        fact_key=str(as_of)[:7],
    )


RULE = Rule(
    code="late_report",
    title=gettext_noop("Late accommodation reports"),
    law="UU 6/2011 Pasal 72, 117",
    explanation=gettext_noop(
        "%(premises)s filed %(late_reports)s guest report(s) more than 24 hours "
        "after check-in in the last %(window_days)s days (last: %(last_late)s)."
    ),
    defaults={"window_days": 30, "min_reports": 1, "medium_from": 5},
    sql=sql,
    to_hit=to_hit,
    person_column="r.person_id",
    subject_kind="premises",
)
