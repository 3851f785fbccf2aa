"""Printable map: a PNG drawn with Pillow and a PDF (WeasyPrint) around it, for meetings.

Drawn from the same GeoJSON the web map uses, with a title, the date, a legend and the data
attribution, so a printed map says what it shows and where its boundaries come from.
"""

from __future__ import annotations

import io
import math
from typing import Any

from PIL import Image, ImageDraw, ImageFont

# Light to dark: the same classes as the web map's legend (static/riskmap/map.js).
RAMP = ["#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"]
NO_DATA = "#e5e7eb"


def breaks(metric: str, values: list[float]) -> list[float]:
    """Class limits: fixed for the 0–100 risk score, quantile-like for counts."""
    if metric == "risk":
        return [0, 10, 25, 40, 60, 80]
    top = max(values) if values else 0
    if top <= 0:
        return [0, 1, 2, 3, 4, 5]
    step = max(top / 5, 1)
    return [0] + [round(step * i, 1) for i in range(1, 6)]


def colour(value: float | None, limits: list[float]) -> str:
    if value is None:
        return NO_DATA
    index = 0
    for i, limit in enumerate(limits):
        if value >= limit:
            index = i
    if value == 0:
        index = 0
    return RAMP[index]


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    return [polygon[0] for polygon in polygons]


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def render_png(
    fc: dict[str, Any],
    *,
    title: str,
    subtitle: str,
    legend_title: str,
    attribution: str,
    no_data_label: str = "n/a",
    width: int = 1400,
) -> bytes:
    features = fc["features"]
    xs = [x for f in features for ring in _rings(f["geometry"]) for x, _ in ring]
    ys = [y for f in features for ring in _rings(f["geometry"]) for _, y in ring]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    kx = math.cos(math.radians((min_y + max_y) / 2))  # equirectangular, true at mid-latitude
    margin, header, footer, legend_w = 40, 110, 60, 260
    map_w = width - 2 * margin - legend_w
    scale = map_w / ((max_x - min_x) * kx)
    map_h = int((max_y - min_y) * scale)
    height = header + map_h + footer + margin
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)

    def project(x: float, y: float) -> tuple[float, float]:
        return margin + (x - min_x) * kx * scale, header + (max_y - y) * scale

    values = [
        f["properties"].get("value") for f in features if f["properties"].get("value") is not None
    ]
    limits = breaks(fc["metric"], values)
    for feature in features:
        fill = colour(feature["properties"].get("value"), limits)
        for ring in _rings(feature["geometry"]):
            draw.polygon([project(x, y) for x, y in ring], fill=fill, outline="#374151")
    label_font = _font(15)
    from shapely.geometry import shape

    # Label every area when there are few; otherwise only the riskiest, to stay readable.
    labelled = (
        features
        if len(features) <= 40
        else sorted(features, key=lambda f: -(f["properties"].get("value") or 0))[:15]
    )
    for feature in labelled:
        point = shape(feature["geometry"]).representative_point()
        x, y = project(point.x, point.y)
        name = feature["properties"]["name"]
        draw.text(
            (x, y),
            name,
            fill="#111827",
            font=label_font,
            anchor="mm",
            stroke_width=2,
            stroke_fill="white",
        )
    draw.text((margin, 30), title, fill="#111827", font=_font(30))
    draw.text((margin, 72), subtitle, fill="#374151", font=_font(18))
    lx, ly = width - legend_w - margin + 20, header
    draw.text((lx, ly), legend_title, fill="#111827", font=_font(18))
    for i, limit in enumerate(limits):
        top = ly + 34 + i * 30
        draw.rectangle([lx, top, lx + 28, top + 22], fill=RAMP[i], outline="#374151")
        upper = limits[i + 1] if i + 1 < len(limits) else None
        text = f"{limit:g} - {upper:g}" if upper is not None else f">= {limit:g}"
        draw.text((lx + 40, top + 2), text, fill="#111827", font=_font(16))
    top = ly + 34 + len(limits) * 30
    draw.rectangle([lx, top, lx + 28, top + 22], fill=NO_DATA, outline="#374151")
    draw.text((lx + 40, top + 2), no_data_label, fill="#111827", font=_font(16))
    draw.text((margin, height - footer + 10), attribution, fill="#4b5563", font=_font(14))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
