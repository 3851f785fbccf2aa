"""Authorization matrix entries of the vulnerability map."""

ANON = 302
_MAP = {None: ANON, "hotel": 403, "auditor": 403, "stranger": 403, "*": 200}

VIEWS = {
    "riskmap:map": [("/map/", "get", _MAP)],
    "riskmap:data": [
        (
            "/map/data/?parent=36.73&level=kecamatan",
            "get",
            {**_MAP, "police_taktakan": 200, "lurah_banten": 200},
        ),
        ("/map/data/?parent=36.73.06", "get", {**_MAP, "police_kasemen": 404, "lurah_banten": 404}),
    ],
    "riskmap:area": [
        ("/map/area/36.73.02/", "get", {**_MAP, "police_taktakan": 404, "lurah_banten": 404}),
    ],
    "riskmap:export_png": [("/map/export.png?parent=36.73&level=kecamatan", "get", _MAP)],
    "riskmap:export_pdf": [
        ("/map/export.pdf?parent=36.73.02", "get", {**_MAP, "police_taktakan": 404})
    ],
}

_FACTORS = {None: ANON, "admin": 200, "analyst": 200, "*": 403}
_FACTOR = "/map/factors/{riskmap_kasemen_factor}/"
VIEWS.update(
    {
        "riskmap:factors": [("/map/factors/", "get", _FACTORS)],
        "riskmap:factor_create": [
            ("/map/factors/new/", "get", _FACTORS),
            ("/map/factors/new/", "post", _FACTORS),  # empty form: shown again with errors
        ],
        "riskmap:factor_edit": [(_FACTOR, "get", _FACTORS)],
        "riskmap:factor_delete": [(_FACTOR + "delete/", "get", _FACTORS)],
    }
)


def _kasemen_factor(personas) -> int:
    from timpora.areas.models import Area
    from timpora.riskmap.models import VulnerabilityFactor

    factor, _ = VulnerabilityFactor.objects.get_or_create(
        area=Area.objects.get(code="36.73.02"), kind="coastline", defaults={"weight": 15}
    )
    return factor.pk


URL_VALUES = {"riskmap_kasemen_factor": _kasemen_factor}

API = {
    "GET /api/v1/map/areas": [
        (
            "/api/v1/map/areas?parent=36.73&level=kecamatan",
            {None: 401, "hotel": 403, "auditor": 403, "stranger": 403, "*": 200},
        ),
        (
            "/api/v1/map/areas?parent=36.73.06",
            {
                None: 401,
                "hotel": 403,
                "auditor": 403,
                "stranger": 403,
                "police_kasemen": 404,
                "lurah_banten": 404,
                "*": 200,
            },
        ),
    ],
}
