"""Areas through the API: list by parent, one area, and point-in-area lookup."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Router, Schema

from timpora.accounts.access import scope_of
from timpora.areas import geo, queries

router = Router(tags=["areas"])


class AreaOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None = None
    centroid_lon: float | None = None
    centroid_lat: float | None = None
    in_scope: bool = False


class AreaDetailOut(AreaOut):
    geometry: dict[str, Any] | None = None


def _out(user, area, *, geometry: bool = False) -> dict[str, Any]:
    data = {
        "code": area.code,
        "name": area.name,
        "level": area.level,
        "parent_code": area.parent.code if area.parent_id else None,
        "centroid_lon": area.centroid_lon,
        "centroid_lat": area.centroid_lat,
        "in_scope": scope_of(user).contains(area.code),
    }
    if geometry:
        import json

        data["geometry"] = json.loads(area.geometry) if area.geometry else None
    return data


@router.get("", response=list[AreaOut], summary="List areas")
def list_areas(request, parent: str | None = None):
    """Children of ``parent`` (e.g. ``36.73`` → the six kecamatan of Kota Serang), or the
    roots of the caller's scope when ``parent`` is omitted."""
    areas = queries.children_for(request.user, parent).select_related("parent")
    return [_out(request.user, a) for a in areas]


@router.get("/lookup", response=AreaOut, summary="Which kelurahan/desa contains a point")
def lookup(request, lon: float, lat: float):
    area = geo.locate(lon, lat)
    if area is None or not scope_of(request.user).overlaps(area.code):
        raise Http404("no area in scope contains this point")
    return _out(request.user, area)


@router.get("/{code}", response=AreaDetailOut, summary="One area with its boundary")
def get_area(request, code: str):
    return _out(request.user, queries.area_for(request.user, code), geometry=True)
