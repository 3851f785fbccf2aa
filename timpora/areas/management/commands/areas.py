"""``timpora areas load`` and ``timpora areas lookup LON LAT``."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from timpora.areas import geo
from timpora.areas.actions import AreaDataError, load_areas
from timpora.core.commands import SubcommandCommand


class Command(SubcommandCommand):
    help = "Reference areas (Kemendagri codes and boundaries)."
    subcommands = {
        "load": "Load or update the Banten hierarchy and the Serang boundaries.",
        "lookup": "Print the kelurahan/desa containing a point (lon lat).",
    }

    def add_load_arguments(self, parser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=settings.TIMPORA_WILAYAH_DIR,
            help="Directory with banten_regions.csv and the GeoJSON files.",
        )

    def add_lookup_arguments(self, parser) -> None:
        parser.add_argument("lon", type=float)
        parser.add_argument("lat", type=float)

    def handle_load(self, *, dir: Path, **_: object) -> None:
        try:
            result = load_areas(dir)
        except AreaDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            json.dumps(
                {
                    "areas": result.areas,
                    "created": result.created,
                    "with_boundary": result.with_boundary,
                }
            )
        )

    def handle_lookup(self, *, lon: float, lat: float, **_: object) -> None:
        area = geo.locate(lon, lat)
        if area is None:
            raise CommandError(f"no kelurahan/desa contains lon={lon} lat={lat}")
        self.stdout.write(
            json.dumps(
                {
                    "code": area.code,
                    "name": area.name,
                    "level": area.level,
                    "parent": area.parent.name if area.parent else None,
                }
            )
        )
