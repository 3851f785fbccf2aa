"""What the map shows a user: the areas of a view, their metric and explanation, in scope.

A user sees the indicators of the areas inside their scope; other areas of the same view
appear as outlines only (or with their aggregates when ``TIMPORA_MAP_SHOW_OTHER_AREAS``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _

from timpora.accounts.access import require, scope_of
from timpora.areas.models import Area
from timpora.areas.queries import areas_for
from timpora.registry.status import today_in_jakarta
from timpora.riskmap import indicators
from timpora.riskmap.choices import Metric
from timpora.riskmap.models import VulnerabilityFactor

COMPONENT_LABELS = {
    "overstays": "%(count)s overstay(s)",
    "serious_alerts": "%(count)s serious alert(s)",
    "other_alerts": "%(count)s other alert(s)",
    "tips": "%(count)s public tip(s)",
    "late_reports": "%(count)s late report(s)",
    "violations": "%(count)s violation(s) found",
}


class MapRequestError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class MapView:
    parent: str
    level: str
    metric: str
    period_from: date
    period_to: date


def parse_view(
    *,
    parent: str | None,
    level: str | None,
    metric: str | None,
    period_from: str | date | None,
    period_to: str | date | None,
    user,
) -> MapView:
    """Validate the view parameters (defaults: the user's first scope root, kelurahan level,
    risk, the last 90 days)."""
    roots = [code for code in scope_of(user).prefixes]
    parent = (parent or (roots[0] if roots else "")).strip()
    if len(parent.split(".")) > 3:
        parent = ".".join(parent.split(".")[:3])
    level = level or "kelurahan"
    if level not in indicators.LEVELS:
        raise MapRequestError("level", _("use kecamatan or kelurahan"))
    if len(parent.split(".")) == 3 and level == "kecamatan":
        raise MapRequestError("level", _("a kecamatan is divided into kelurahan/desa only"))
    metric = metric or Metric.RISK
    if metric not in Metric.values:
        raise MapRequestError("metric", _("use risk, density, alerts or tips"))
    try:
        to_day = _date(period_to) or today_in_jakarta()
        from_day = _date(period_from) or to_day - timedelta(days=89)
    except ValueError as exc:
        raise MapRequestError("from", _("dates are YYYY-MM-DD")) from exc
    if from_day > to_day:
        raise MapRequestError("from", _("the period starts after it ends"))
    if (to_day - from_day).days > 3660:
        raise MapRequestError("from", _("the period is longer than ten years"))
    return MapView(parent, level, metric, from_day, to_day)


def _date(value: str | date | None) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@lru_cache(maxsize=2048)
def _geometry(text: str) -> dict:
    return json.loads(text)


def metric_value(metric: str, data: dict[str, Any]) -> float | int | None:
    if metric == Metric.RISK:
        return data.get("risk")
    if metric == Metric.DENSITY:
        return data.get("present")
    if metric == Metric.ALERTS:
        return data.get("alerts")
    return data.get("tips")


def explain(name: str, data: dict[str, Any]) -> str:
    """ "Kasemen: 38 — coastline (15), 4 overstays (12), …" in the active language."""
    parts = []
    for component in data.get("components", []):
        key = component["key"]
        if key.startswith("factor:"):
            label = _(component["label"]).lower()
        else:
            label = _(COMPONENT_LABELS.get(key, key)) % {"count": component["count"]}
        parts.append(f"{label} ({component['points']})")
    return f"{name}: {data.get('risk', 0)} — " + (
        ", ".join(parts) if parts else _("no risk factors")
    )


def _features(user, view: MapView) -> list[tuple[dict[str, Any], str]]:
    """(properties, GeoJSON geometry text) of each area of the view."""
    require(user, "map.view")
    parent = areas_for(user).filter(code=view.parent).first()
    if parent is None:
        raise Http404("area")
    scope = scope_of(user)
    data = indicators.snapshot(view.parent, view.level, view.period_from, view.period_to)
    show_others = settings.TIMPORA_MAP_SHOW_OTHER_AREAS
    features = []
    areas = (
        indicators.areas_under(view.parent, view.level)
        .exclude(geometry="")
        .only("code", "name", "level", "geometry")
    )
    for area in areas:
        visible = user.scope_area_id is None or scope.contains(area.code)
        item = data.get(area.code, {})
        properties: dict[str, Any] = {
            "code": area.code,
            "name": area.name,
            "level": area.level,
            "in_scope": visible,
        }
        if visible or show_others:
            properties.update(
                {
                    "value": metric_value(view.metric, item),
                    "risk": item.get("risk"),
                    "trend": item.get("trend"),
                    "present": item.get("present"),
                    "alerts": item.get("alerts"),
                    "tips": item.get("tips"),
                    "explanation": explain(area.name, item),
                }
            )
            if visible:
                properties["indicators"] = {
                    k: v for k, v in item.items() if k not in ("components",)
                }
        else:
            properties["value"] = None
        features.append((properties, area.geometry))
    return features


def _collection_header(view: MapView) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "metric": view.metric,
        "parent": view.parent,
        "level": view.level,
        "from": view.period_from.isoformat(),
        "to": view.period_to.isoformat(),
    }


def feature_collection(user, view: MapView) -> dict[str, Any]:
    """GeoJSON of the view's areas with the metric, indicators and explanation per feature."""
    features = [
        {"type": "Feature", "properties": properties, "geometry": _geometry(text)}
        for properties, text in _features(user, view)
    ]
    return {**_collection_header(view), "features": features}


def feature_collection_json(user, view: MapView) -> str:
    """:func:`feature_collection` as JSON text, for the API and the map page.

    The boundaries are stored as GeoJSON text (``Area.geometry``, checked when loaded) and
    are spliced in as they are: parsing and re-serialising a megabyte of coordinates on
    every request cost more than everything else the map API does.
    """
    parts = [
        '{"type": "Feature", "properties": '
        + json.dumps(properties, default=str)
        + ', "geometry": '
        + text
        + "}"
        for properties, text in _features(user, view)
    ]
    header = json.dumps(_collection_header(view))
    return header[:-1] + ', "features": [' + ", ".join(parts) + "]}"


def area_profile(user, code: str, view: MapView) -> dict[str, Any]:
    """Indicators of one area (in scope) for its page."""
    require(user, "map.view")
    area = areas_for(user).filter(code=code).select_related("parent").first()
    if area is None or not (user.scope_area_id is None or scope_of(user).contains(code)):
        raise Http404("area")
    level = "kecamatan" if area.level == "kecamatan" else "kelurahan"
    parent = area.parent.code if area.parent_id else code
    data = indicators.snapshot(parent, level, view.period_from, view.period_to).get(code, {})
    return {"area": area, "data": data, "explanation": explain(area.name, data)}


def parent_choices(user) -> list[Area]:
    """Views a user may open: regencies/cities and kecamatan inside or above their scope."""
    return list(
        areas_for(user)
        .filter(level__in=["kota", "kabupaten", "kecamatan"])
        .exclude(geometry="")
        .order_by("code")
    )


def factors_for(user, *, kind: str = "", unconfirmed: bool = False):
    """The vulnerability factors a factor manager may see: those of areas in scope, and of
    the ancestors of the scope (a kota's coastline counts in its kecamatan) for context."""
    require(user, "factor.manage")
    scope = scope_of(user)
    codes = [
        code
        for code in VulnerabilityFactor.objects.values_list("area__code", flat=True).distinct()
        if scope.overlaps(code)
    ]
    qs = VulnerabilityFactor.objects.filter(area__code__in=codes).select_related("area")
    if kind:
        qs = qs.filter(kind=kind)
    if unconfirmed:
        qs = qs.filter(confirmed=False)
    return qs.order_by("area__code", "kind")


def factor_for(user, pk: int):
    """One factor the user may edit (in scope), or 404."""
    factor = factors_for(user).filter(pk=pk).first()
    if factor is None or not scope_of(user).contains(factor.area.code):
        raise Http404
    return factor
