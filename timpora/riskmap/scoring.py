"""Risk score of an area from its indicators and standing factors (plain Python, no Django).

Each component earns points per unit up to a cap, and the total is capped at 100, so a score
reads the same everywhere: "Kasemen: 38 — coastline (15), 4 overstays (12), …". The weights
are a setting (``TIMPORA_RISK_WEIGHTS``); the explanation lists what drives the score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SERIOUS_RULES = ("activity_mismatch", "no_permit", "watchlist_hit", "wrong_sponsor")


@dataclass(frozen=True)
class Component:
    """One reason for points: ``key`` names it (translated when shown), ``count`` is the
    number of things counted (e.g. 4 overstays) or None for a factor."""

    key: str
    points: int
    count: int | None = None
    label: str = ""


@dataclass
class Score:
    value: int
    components: list[Component] = field(default_factory=list)


def _capped(count: float, per: float, cap: int) -> int:
    return int(min(round(count * per), cap))


def risk_score(
    indicators: Mapping[str, Any],
    factors: Iterable[tuple[str, str, int]],
    weights: Mapping[str, Mapping[str, float]],
) -> Score:
    """Score one area.

    ``indicators``: counts for the area (``alerts_by_rule``, ``tips``, ``late_reports``,
    ``violations``). ``factors``: (kind, label, weight) of the area and its ancestors.
    """
    components: list[Component] = []
    factor_cap = int(weights["factors"]["cap"])
    remaining = factor_cap
    for kind, label, weight in sorted(factors, key=lambda f: -f[2]):
        points = min(int(weight), remaining)
        if points <= 0:
            continue
        components.append(Component(key=f"factor:{kind}", points=points, label=label))
        remaining -= points
    alerts = indicators.get("alerts_by_rule", {}) or {}
    overstays = int(alerts.get("overstay", 0))
    serious = sum(int(alerts.get(rule, 0)) for rule in SERIOUS_RULES)
    other = sum(int(v) for k, v in alerts.items() if k != "overstay" and k not in SERIOUS_RULES)
    counted = [
        ("overstays", overstays),
        ("serious_alerts", serious),
        ("other_alerts", other),
        ("tips", int(indicators.get("tips", 0))),
        ("late_reports", int(indicators.get("late_reports", 0))),
        ("violations", int(indicators.get("violations", 0))),
    ]
    for key, count in counted:
        rule = weights.get(key)
        if not rule or count <= 0:
            continue
        points = _capped(count, float(rule["per"]), int(rule["cap"]))
        if points:
            components.append(Component(key=key, points=points, count=count))
    total = min(sum(c.points for c in components), 100)
    components.sort(key=lambda c: -c.points)
    return Score(value=total, components=components)
