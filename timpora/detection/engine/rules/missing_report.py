"""A foreigner met in the field where no premises reported them (UU 6/2011 Art. 72: lodging
providers must report foreign guests): a field finding with no accommodation report for the
same person in the same kecamatan around that date."""

from __future__ import annotations

from datetime import date
from typing import Any

from timpora.detection.engine.base import Dialect, Hit, Rule, gettext_noop, not_merged


def sql(d: Dialect, params: dict[str, Any]) -> str:
    since = d.add_days(d.date_param(), -int(params["window_days"]))
    found = d.to_date("f.found_at")
    margin = int(params["margin_days"])
    reported = (
        "SELECT 1 FROM intake_accommodationreport r WHERE r.person_id = f.person_id "
        "AND r.kecamatan_code = f.kecamatan_code "
        f"AND {d.to_date('r.check_in')} <= {d.add_days(found, 1)} "
        f"AND COALESCE({d.to_date('r.check_out')}, {d.add_days(found, 1)}) >= "
        f"{d.add_days(found, -margin)}"
    )
    return (
        "SELECT f.person_id, MAX(f.kecamatan_code) AS kecamatan, MAX(" + found + ") AS found_on, "
        "COUNT(*) AS findings FROM intake_fieldfinding f "
        f"WHERE {d.on_or_after('f.found_at', since)} "
        f"AND {d.on_or_before('f.found_at', d.date_param())} "
        f"AND f.kecamatan_code <> '' AND f.person_id IS NOT NULL AND NOT EXISTS ({reported}) "
        f"AND {not_merged('f.person_id')} {{persons}} GROUP BY f.person_id"
    )


def to_hit(row: dict[str, Any], params: dict[str, Any], as_of: date) -> Hit:
    facts = {
        "kecamatan": row["kecamatan"],
        "found_on": str(row["found_on"])[:10],
        "findings": int(row["findings"]),
    }
    return Hit(
        subject=f"person:{row['person_id']}",
        person_id=row["person_id"],
        severity="medium",
        facts=facts,
        fact_key=f"{facts['kecamatan']}",
    )


RULE = Rule(
    code="missing_report",
    title=gettext_noop("Stay not reported"),
    law="UU 6/2011 Pasal 72, 117",
    explanation=gettext_noop(
        "Met in the field in kecamatan %(kecamatan)s on %(found_on)s, but no "
        "premises reported a stay there."
    ),
    defaults={"window_days": 60, "margin_days": 30},
    sql=sql,
    to_hit=to_hit,
    person_column="f.person_id",
)
