"""A registry person matches a watch-list entry (entry ban, exit prevention, wanted notice
or a local list).

Legal basis: entry on the exit-prevention (*pencegahan*) or entry-ban (*penangkalan*) list is
an administrative immigration action, UU 6/2011 Art. 75(2)(a); field supervision of a person
on a ban or wanted list needs no written order (see ``shared/domain.md``). The hits come
from watch-list screening (``timpora.watchlists``): open or confirmed hits on entries that
are in force on the as-of date (list active and within its period, entry not expired) raise
one alert per person; the alert closes itself when the hit is dismissed or cleared, or the
entry or its list lapses. Wanted notices are critical, everything else high.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from timpora.detection.engine.base import Dialect, Hit, Rule, gettext_noop

#: List types as the explanation names them (codes as in ``timpora.watchlists.choices``).
LIST_TYPES = {
    "penangkalan": gettext_noop("entry-ban (penangkalan)"),
    "pencegahan": gettext_noop("exit-prevention (pencegahan)"),
    "wanted": gettext_noop("wanted-notice (DPO / red notice)"),
    "local": gettext_noop("local"),
}


_RECOMMENDATION = {"penangkalan": "banned", "pencegahan": "prevented", "wanted": "wanted"}


def sql(d: Dialect, params: dict[str, Any]) -> str:
    day = d.date_param()
    min_score = float(params["min_score"])
    # One row per person: the hit that matters most (a wanted notice, a confirmed hit, the
    # highest score), with the number of the person's hits in force.
    return (
        "SELECT person_id, hit_id, entry_id, score, status, entry_name, list_id, "
        "list_name, list_type, source, reference, evidence, hits FROM ("
        "SELECT h.person_id, h.id AS hit_id, e.id AS entry_id, h.score, h.status, "
        "e.full_name AS entry_name, e.list_id, l.name AS list_name, e.list_type, l.source, "
        "l.reference, h.evidence, COUNT(*) OVER (PARTITION BY h.person_id) AS hits, "
        "ROW_NUMBER() OVER (PARTITION BY h.person_id ORDER BY "
        "CASE WHEN e.list_type = 'wanted' THEN 0 ELSE 1 END, "
        "CASE WHEN h.status = 'confirmed' THEN 0 ELSE 1 END, h.score DESC, h.id) AS hit_rank "
        "FROM watchlists_watchlisthit h "
        "JOIN watchlists_watchlistentry e ON e.id = h.entry_id "
        "JOIN watchlists_watchlist l ON l.id = e.watchlist_id "
        f"WHERE h.status IN ('open', 'confirmed') AND h.score >= {min_score!r} AND l.active "
        f"AND (l.valid_from IS NULL OR l.valid_from <= {day}) "
        f"AND (l.valid_until IS NULL OR l.valid_until >= {day}) "
        f"AND (e.valid_until IS NULL OR e.valid_until >= {day}) "
        "{persons}) ranked WHERE hit_rank = 1"
    )


def to_hit(row: dict[str, Any], params: dict[str, Any], as_of: date) -> Hit:
    evidence = row["evidence"]
    if isinstance(evidence, str):  # SQLite returns JSON as text
        evidence = json.loads(evidence or "[]")
    facts = {
        "entry_name": row["entry_name"],
        "list_id": row["list_id"],
        "list_name": row["list_name"],
        "list_type": row["list_type"],
        "source": row["source"],
        "reference": row["reference"] or "",
        "score": round(float(row["score"]), 3),
        "hit_status": row["status"],
        "evidence": evidence or [],
        "more": int(row["hits"]) - 1,
        "recommendation": _RECOMMENDATION.get(row["list_type"], "local"),
    }
    return Hit(
        subject=f"person:{row['person_id']}",
        person_id=row["person_id"],
        severity="critical" if row["list_type"] == "wanted" else "high",
        facts=facts,
        fact_key=f"entry:{row['entry_id']}",
    )


def _evidence(value: Any, gettext: Callable[[str], str]) -> str:
    """The matching engine's own sentence (which fields agreed, how), in the reader's
    language."""
    # Imported here: the matching engine loads DuckDB, which only explanations need.
    from timpora.matching.engine.score import Evidence, explain

    try:
        return explain([Evidence(**item) for item in value or []], gettext)
    except TypeError:  # facts written by an older version of the engine
        return ""


def _more(value: Any, gettext: Callable[[str], str]) -> str:
    others = int(value or 0)
    if others <= 0:
        return ""
    return " " + gettext("The person matches %(n)s more watch-list entries.") % {"n": others}


RULE = Rule(
    code="watchlist_hit",
    title=gettext_noop("Watch-list hit"),
    law="UU 6/2011 Pasal 75 ayat (2) huruf a",
    explanation=gettext_noop(
        'Matches entry %(entry_name)s (%(list_id)s) of the %(list_type)s list "%(list_name)s" '
        "issued by %(source)s, score %(score)s: %(evidence)s.%(more)s"
    ),
    recommendations={
        "banned": gettext_noop(
            "Verify the identity against the list before any action; supervising a person "
            "on a ban list needs no written order."
        ),
        "prevented": gettext_noop(
            "Verify the identity against the list before any action; a person under exit "
            "prevention may not leave Indonesia."
        ),
        "local": gettext_noop("Verify the identity against the list before any action."),
        "wanted": gettext_noop(
            "Wanted person: verify the identity and inform the issuing authority the same "
            "day; supervising a person on a wanted list needs no written order."
        ),
    },
    defaults={"min_score": 0.5},
    sql=sql,
    to_hit=to_hit,
    person_column="h.person_id",
    formatters={
        "list_type": lambda value, gettext: gettext(LIST_TYPES.get(value, value)),
        "evidence": _evidence,
        "more": _more,
    },
)
