"""Point-in-area lookup over the stored boundaries (shapely, no GIS database needed)."""

from __future__ import annotations

import json
from functools import lru_cache

from shapely import prepared
from shapely.geometry import Point, shape

from timpora.areas.choices import AreaLevel
from timpora.areas.models import Area

_VILLAGE_LEVELS = (AreaLevel.KELURAHAN, AreaLevel.DESA)


@lru_cache(maxsize=4096)
def _prepared(area_id: int, geometry: str):
    return prepared.prep(shape(json.loads(geometry)))


def clear_cache() -> None:
    _prepared.cache_clear()


def locate(lon: float, lat: float, *, levels: tuple[str, ...] = _VILLAGE_LEVELS) -> Area | None:
    """The area (by default the kelurahan/desa) that contains the point, or None.

    The bounding-box columns pick a handful of candidates in SQL; shapely decides exactly.
    Neighbouring source polygons overlap by slivers, so the smallest containing area wins.
    """
    candidates = Area.objects.filter(
        level__in=levels, min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat
    ).select_related("parent")
    point = Point(lon, lat)
    hits = [a for a in candidates if _prepared(a.pk, a.geometry).contains(point)]
    if not hits:
        return None
    return min(hits, key=lambda a: shape(json.loads(a.geometry)).area) if len(hits) > 1 else hits[0]
