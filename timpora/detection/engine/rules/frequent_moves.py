"""Frequent moves between kelurahan: a pattern worth a look (unreported change of address,
UU 6/2011 Art. 71 huruf a; itinerant work on a visit permit)."""

from __future__ import annotations

from datetime import date
from typing import Any

from timpora.detection.engine.base import Dialect, Hit, Rule, gettext_noop, not_merged


def sql(d: Dialect, params: dict[str, Any]) -> str:
    since = d.add_days(d.date_param(), -int(params["window_days"]))
    # Distinct (person, kelurahan) pairs first, then pairs per person: two hash-friendly
    # groupings instead of a COUNT(DISTINCT) that sorts every person's stays.
    return (
        "SELECT x.person_id, COUNT(*) AS places, MAX(x.last_move) AS last_move FROM ("
        "SELECT s.person_id, s.kelurahan_code, MAX(s.date_from) AS last_move "
        f"FROM registry_stay s WHERE s.date_from >= {since} AND s.date_from <= "
        f"{d.date_param()} AND s.kelurahan_code <> '' AND {not_merged('s.person_id')} "
        "{persons} GROUP BY s.person_id, s.kelurahan_code) x "
        f"GROUP BY x.person_id HAVING COUNT(*) >= {int(params['min_places'])}"
    )


def to_hit(row: dict[str, Any], params: dict[str, Any], as_of: date) -> Hit:
    facts = {
        "places": int(row["places"]),
        "last_move": str(row["last_move"])[:10],
        "window_days": int(params["window_days"]),
    }
    return Hit(
        subject=f"person:{row['person_id']}",
        person_id=row["person_id"],
        severity="low",
        facts=facts,
        fact_key=str(as_of)[:7],
    )


RULE = Rule(
    code="frequent_moves",
    title=gettext_noop("Frequent moves between kelurahan"),
    law="UU 6/2011 Pasal 71 huruf a",
    explanation=gettext_noop(
        "Stayed in %(places)s different kelurahan/desa in the last %(window_days)s "
        "days (last move %(last_move)s)."
    ),
    defaults={"window_days": 90, "min_places": 4},
    sql=sql,
    to_hit=to_hit,
    person_column="s.person_id",
)
