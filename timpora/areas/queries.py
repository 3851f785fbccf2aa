"""Scoped reads of areas."""

from __future__ import annotations

import json

from django.db.models import Count, QuerySet
from django.http import Http404

from timpora.accounts.access import require, scope_of
from timpora.areas.models import Area


def areas_for(user) -> QuerySet[Area]:
    """Areas the user may open: inside their scope, or an ancestor of it (for context)."""
    require(user, "area.view")
    return Area.objects.visible_to_prefixes(scope_of(user).prefixes)


def roots_for(user) -> QuerySet[Area]:
    """The top areas of the user's scope (e.g. Kota and Kabupaten Serang, or one kelurahan)."""
    return areas_for(user).filter(code__in=scope_of(user).prefixes)


def children_for(user, parent_code: str | None) -> QuerySet[Area]:
    qs = areas_for(user).annotate(child_count=Count("children"))
    if parent_code:
        return qs.filter(parent__code=parent_code)
    return qs.filter(code__in=scope_of(user).prefixes)


def area_for(user, code: str) -> Area:
    area = areas_for(user).select_related("parent").filter(code=code).first()
    if area is None:
        raise Http404("area")
    return area


def ancestors(area: Area) -> list[Area]:
    parts = area.code.split(".")
    codes = [".".join(parts[:i]) for i in range(1, len(parts))]
    return list(Area.objects.filter(code__in=codes).order_by("code"))


def feature_collection(user, area: Area) -> dict:
    """GeoJSON of an area and the children the user may see, for the map."""
    features = []
    for item, role in [(area, "self")] + [
        (c, "child") for c in children_for(user, area.code).exclude(geometry="")
    ]:
        if not item.geometry:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(item.geometry),
                "properties": {
                    "code": item.code,
                    "name": item.name,
                    "level": item.level,
                    "role": role,
                    "in_scope": scope_of(user).contains(item.code),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
