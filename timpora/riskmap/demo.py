"""Seed vulnerability factors for Kota and Kabupaten Serang.

From public knowledge of the region (coastline of Kasemen and the north coast, the old port
of Banten at Karangantu, the industrial estates of Cikande/Kibin/Kragilan/Jawilan, the
ports of Bojonegara and Pulo Ampel, the Anyer–Carita tourist coast). Every factor is seeded
unconfirmed: the office must confirm or correct them on the factors page.
"""

from __future__ import annotations

from django.db import transaction

from timpora.areas.models import Area
from timpora.riskmap.models import VulnerabilityFactor

SEED_NOTE = "Seeded from public sources; to be confirmed by the office."

FACTORS: list[tuple[str, str, int, str]] = [
    (
        "36.73.02",
        "coastline",
        15,
        "Long coastline of Kasemen: trafficking, narcotics and goods smuggling routes.",
    ),
    ("36.73.02.1007", "port", 10, "Karangantu fishing port and the old port of Banten."),
    ("36.73.02.1007", "tourist", 5, "Banten Lama historic site."),
    ("36.04.12", "coastline", 10, "North coast (Pontang)."),
    ("36.04.13", "coastline", 10, "North coast (Tirtayasa)."),
    ("36.04.14", "coastline", 10, "North coast (Tanara)."),
    ("36.04.07", "port", 12, "Bojonegara port and industry."),
    ("36.04.08", "port", 12, "Pulo Ampel ports and industry."),
    ("36.04.08", "industrial", 8, "Pulo Ampel industrial zone."),
    ("36.04.15", "industrial", 12, "Cikande Modern Industrial Estate."),
    ("36.04.16", "industrial", 10, "Kibin industrial area."),
    ("36.04.11", "industrial", 8, "Kragilan factories."),
    ("36.04.26", "industrial", 8, "Jawilan factories."),
    ("36.04.30", "tourist", 10, "Anyer beach resorts."),
    ("36.04.30", "coastline", 8, "Sunda Strait coast (Anyar)."),
    ("36.04.31", "tourist", 10, "Carita–Cinangka beach resorts."),
    ("36.04.31", "coastline", 8, "Sunda Strait coast (Cinangka)."),
]


@transaction.atomic
def seed_factors(**_: object) -> dict:
    """Create the seeded factors that do not exist yet (idempotent)."""
    areas = {a.code: a for a in Area.objects.filter(code__in=[f[0] for f in FACTORS])}
    created = 0
    for code, kind, weight, note in FACTORS:
        if code not in areas:
            continue
        _, made = VulnerabilityFactor.objects.get_or_create(
            area=areas[code],
            kind=kind,
            defaults={"weight": weight, "note": f"{note} {SEED_NOTE}", "confirmed": False},
        )
        created += made
    return {"riskmap": {"factors_created": created}}
