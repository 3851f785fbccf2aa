"""The map through the API: GeoJSON with the metric and explanation per area."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Router
from ninja.errors import ValidationError as NinjaValidationError

from timpora.riskmap import queries

router = Router(tags=["map"])


@router.get("/areas", response=dict[str, Any], summary="Areas as GeoJSON with a metric")
def map_areas(
    request,
    parent: str | None = None,
    level: str | None = None,
    metric: str | None = None,
    to: str | None = None,
):
    """`?parent=36.73&level=kelurahan&metric=risk&from=2026-08-01&to=2026-11-23` → a
    FeatureCollection; each feature has `value` (the metric), `risk`, `trend` and
    `explanation` (for areas in the caller's scope)."""
    try:
        view = queries.parse_view(
            parent=parent,
            level=level,
            metric=metric,
            period_from=request.GET.get("from"),
            period_to=to,
            user=request.user,
        )
    except queries.MapRequestError as exc:
        raise NinjaValidationError([{"loc": ["query", exc.field], "msg": exc.message}]) from exc
    return HttpResponse(
        queries.feature_collection_json(request.user, view), content_type="application/json"
    )
