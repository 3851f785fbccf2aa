"""Run rules on a DB-API cursor and collect their hits."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from timpora.detection.engine.base import Dialect, Hit, Rule

_PERSONS = re.compile(r"\{persons(?::([\w.]+))?\}")


def rule_query(
    rule: Rule, dialect: Dialect, params: dict[str, Any], person_filter_sql: str | None = None
) -> str:
    """The rule's SQL with the optional person filter (a sub-select without placeholders)
    at each ``{persons}`` / ``{persons:<column>}`` marker."""

    def condition(marker: re.Match[str]) -> str:
        if not person_filter_sql:
            return ""
        return f"AND {marker.group(1) or rule.person_column} IN ({person_filter_sql})"

    return _PERSONS.sub(condition, rule.sql(dialect, params))


def evaluate(
    cursor,
    vendor: str,
    rule: Rule,
    params: dict[str, Any],
    as_of: date,
    person_filter_sql: str | None = None,
) -> list[Hit]:
    """All hits of one rule as of a date (set-based: one query per rule)."""
    query = rule_query(rule, Dialect(vendor), params, person_filter_sql)
    cursor.execute(query, [as_of.isoformat()] * query.count("%s"))
    names = [c[0] for c in cursor.description]
    hits = []
    for values in cursor.fetchall():
        hit = rule.to_hit(dict(zip(names, values, strict=True)), params, as_of)
        if hit is not None:
            hits.append(hit)
    return hits


def merged_params(rule: Rule, overrides: dict[str, Any] | None) -> dict[str, Any]:
    params = dict(rule.defaults)
    params.update({k: v for k, v in (overrides or {}).items() if k in rule.defaults})
    return params


def rules_by_code(codes: Iterable[str] | None, rules: dict[str, Rule]) -> list[Rule]:
    if codes is None:
        return list(rules.values())
    unknown = set(codes) - set(rules)
    if unknown:
        raise KeyError(f"unknown rule(s): {', '.join(sorted(unknown))}")
    return [rules[c] for c in codes]
