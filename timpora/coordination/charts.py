"""Horizontal bar charts as inline SVG, drawn on the server (no JavaScript, no CDN).

Plain Python, free of Django: the same markup goes into the web page and, through
WeasyPrint, into the PDF report. Labels are escaped here; the caller marks the result safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR_COLOUR = "#1f4e79"
# Average width of a character of the 11px sans-serif labels, for sizing the label column.
CHAR_WIDTH = 6.6
TRACK_COLOUR = "#e8eef5"


def bar_chart(
    rows: Sequence[tuple[str, int]],
    *,
    title: str = "",
    width: int = 520,
    bar_height: int = 16,
    gap: int = 6,
    label_width: int | None = None,
    max_rows: int = 10,
    rest_label: str | None = None,
    colour: str = BAR_COLOUR,
) -> str:
    """One bar per ``(label, value)``, largest first as given; beyond ``max_rows`` the rest
    are left out, or summed in one bar named ``rest_label`` when the caller gives one.

    The chart states its numbers next to the bars, so it reads without colour and prints
    in black and white. The label column fits the longest label (within limits).
    """
    items = [(str(label), int(value)) for label, value in rows]
    if len(items) > max_rows:
        if rest_label:
            rest = sum(v for _, v in items[max_rows - 1 :])
            items = [*items[: max_rows - 1], (f"{rest_label} ({len(items) - max_rows + 1})", rest)]
        else:
            items = items[:max_rows]
    if label_width is None:
        longest = max((len(label) for label, _ in items), default=10)
        label_width = min(max(90, round(CHAR_WIDTH * longest) + 12), 300)
    top = 22 if title else 4
    height = top + max(len(items), 1) * (bar_height + gap) + 4
    value_width = 48
    track = max(width - label_width - value_width - 8, 40)
    peak = max((v for _, v in items), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(title)}" font-family="sans-serif" font-size="11">'
    ]
    if title:
        parts.append(
            '<text x="0" y="14" font-size="12" font-weight="bold" fill="#222">'
            f"{escape(title)}</text>"
        )
    if not items:
        parts.append(f'<text x="0" y="{top + 12}" fill="#666">—</text>')
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + gap)
        bar = round(track * value / peak)
        text_y = y + bar_height - 4
        limit = round((label_width - 12) / CHAR_WIDTH)
        shown = label if len(label) <= limit else label[: limit - 1] + "…"
        number = f"{value:,}".replace(",", ".")  # Indonesian thousands separator
        parts.append(
            f'<text x="{label_width - 6}" y="{text_y}" text-anchor="end" fill="#222">'
            f"{escape(shown)}</text>"
            f'<rect x="{label_width}" y="{y}" width="{track}" height="{bar_height}" '
            f'fill="{TRACK_COLOUR}"/>'
            f'<rect x="{label_width}" y="{y}" width="{bar}" height="{bar_height}" '
            f'fill="{colour}"/>'
            f'<text x="{label_width + track + 6}" y="{text_y}" fill="#222">{number}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
