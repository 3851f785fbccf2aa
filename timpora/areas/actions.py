"""Loading the reference region hierarchy and boundaries (``timpora areas load``)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from timpora.areas import geo
from timpora.areas.models import Area
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction

CODES_FILE = "banten_regions.csv"
BOUNDARY_FILES = (
    "serang_kecamatan.geojson",
    "serang_kelurahan.geojson",
    "kab_serang_kecamatan.geojson",
    "kab_serang_desa.geojson",
)
# Regency/city outlines are dissolved from their kecamatan at load time.
DISSOLVE_PARENTS = ("36.73", "36.04")


class AreaDataError(ValueError):
    """The reference files are missing or malformed; the message names the file and row."""


@dataclass
class LoadResult:
    areas: int
    created: int
    with_boundary: int


def _read_codes(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise AreaDataError(f"{path}: file not found")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"code", "name", "level", "parent_code"} - set(reader.fieldnames or [])
        if missing:
            raise AreaDataError(f"{path}: missing columns {', '.join(sorted(missing))}")
        rows = []
        for line_no, row in enumerate(reader, start=2):
            if not row["code"] or not row["name"]:
                raise AreaDataError(f"{path}: row {line_no}: code and name are required")
            rows.append(row)
    return rows


def _read_boundaries(paths: Iterable[Path]) -> dict[str, dict]:
    geometries: dict[str, dict] = {}
    for path in paths:
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for n, feature in enumerate(data.get("features", []), start=1):
            code = (feature.get("properties") or {}).get("code")
            if not code or not feature.get("geometry"):
                raise AreaDataError(f"{path}: feature {n}: needs properties.code and a geometry")
            geometries[code] = feature["geometry"]
    return geometries


def _geometry_columns(geometry: dict) -> dict:
    geom = shape(geometry)
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    centre = geom.representative_point()
    return {
        "geometry": json.dumps(geometry, separators=(",", ":")),
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
        "centroid_lon": round(centre.x, 6),
        "centroid_lat": round(centre.y, 6),
    }


@transaction.atomic
def load_areas(directory: Path, *, actor=None) -> LoadResult:
    """Insert or update every area from ``directory``; safe to run again (idempotent)."""
    rows = _read_codes(directory / CODES_FILE)
    geometries = _read_boundaries(directory / name for name in BOUNDARY_FILES)
    known = {code for code in geometries}
    for parent in DISSOLVE_PARENTS:
        parts = [
            shape(g)
            for code, g in geometries.items()
            if code.startswith(parent + ".") and code.count(".") == 2
        ]
        if parts:
            geometries[parent] = mapping(unary_union(parts).buffer(0))
    unknown = known - {row["code"] for row in rows}
    if unknown:
        raise AreaDataError(f"boundaries for codes not in {CODES_FILE}: {sorted(unknown)[:5]}")

    existing = set(Area.objects.values_list("code", flat=True))
    empty_geo = {
        "geometry": "",
        "min_lon": None,
        "min_lat": None,
        "max_lon": None,
        "max_lat": None,
        "centroid_lon": None,
        "centroid_lat": None,
    }
    objects = []
    for row in rows:
        columns = (
            _geometry_columns(geometries[row["code"]]) if row["code"] in geometries else empty_geo
        )
        objects.append(Area(code=row["code"], name=row["name"], level=row["level"], **columns))
    update_fields = ["name", "level", *empty_geo]
    Area.objects.bulk_create(
        objects,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=update_fields,
    )
    # Parents by code, now that every row has an id.
    ids = dict(Area.objects.values_list("code", "id"))
    parents = {row["code"]: row["parent_code"] for row in rows}
    to_update = []
    for area in Area.objects.only("id", "code", "parent_id"):
        parent_id = ids.get(parents.get(area.code, "")) if parents.get(area.code) else None
        if area.parent_id != parent_id:
            area.parent_id = parent_id
            to_update.append(area)
    Area.objects.bulk_update(to_update, ["parent"], batch_size=500)
    geo.clear_cache()
    result = LoadResult(
        areas=len(rows), created=len(set(ids) - existing), with_boundary=len(geometries)
    )
    record(
        AuditAction.UPDATE,
        actor=actor,
        object_type="areas.area",
        object_repr=f"reference areas from {directory.name}",
        fields={
            "areas": result.areas,
            "created": result.created,
            "with_boundary": result.with_boundary,
        },
    )
    return result
