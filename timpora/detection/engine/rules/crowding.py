"""Many foreigners at one premises beyond its normal level: possible undeclared workers'
housing, trafficking or a gathering to check (TIMPORA early detection)."""

from __future__ import annotations

from datetime import date
from typing import Any

from timpora.detection.engine.base import Dialect, Hit, Rule, gettext_noop


def sql(d: Dialect, params: dict[str, Any]) -> str:
    window = int(params["baseline_days"])
    day = d.date_param()
    start = d.add_days(day, -window)
    check_in, check_out = d.to_date("r.check_in"), d.to_date("r.check_out")
    end = f"COALESCE({check_out}, {day})"
    nights = (
        f"CASE WHEN {end} > {start} AND {check_in} < {day} THEN "
        f"{d.days(f'CASE WHEN {end} < {day} THEN {end} ELSE {day} END', f'CASE WHEN {check_in} > {start} THEN {check_in} ELSE {start} END')} "  # noqa: E501
        "ELSE 0 END"
    )
    # The WHERE clause already holds check-in on or before the day.
    present = (
        f"CASE WHEN r.check_out IS NULL OR {d.on_or_after('r.check_out', day)} THEN r.person_id END"
    )
    return (
        "SELECT r.premises_id, MIN(pr.name) AS premises, "
        f"COUNT(DISTINCT {present}) AS present, SUM({nights}) AS nights "
        "FROM intake_accommodationreport r JOIN intake_premises pr ON pr.id = r.premises_id "
        f"WHERE {d.on_or_before('r.check_in', day)} AND (r.check_out IS NULL OR "
        f"{d.on_or_after('r.check_out', start)}) {{persons}} GROUP BY r.premises_id "
        f"HAVING COUNT(DISTINCT {present}) >= {int(params['min_present'])}"
    )


def to_hit(row: dict[str, Any], params: dict[str, Any], as_of: date) -> Hit | None:
    present = int(row["present"])
    normal = float(row["nights"] or 0) / int(params["baseline_days"])
    if present <= float(params["factor"]) * max(normal, 1.0):
        return None
    facts = {
        "premises": row["premises"],
        "present": present,
        "normal": round(normal, 1),
        "factor": params["factor"],
    }
    return Hit(
        subject=f"premises:{row['premises_id']}",
        premises_id=row["premises_id"],
        severity="medium",
        facts=facts,
        fact_key=str(as_of),
    )


RULE = Rule(
    code="crowding",
    title=gettext_noop("Unusually many foreigners at one place"),
    law="Permenimipas 2/2025 Pasal 53 (deteksi dini)",
    explanation=gettext_noop(
        "%(present)s foreigners are at %(premises)s, more than %(factor)s times "
        "its normal level (%(normal)s per day over the last months)."
    ),
    defaults={"baseline_days": 90, "factor": 3, "min_present": 10},
    sql=sql,
    to_hit=to_hit,
    person_column="r.person_id",
    subject_kind="premises",
)
