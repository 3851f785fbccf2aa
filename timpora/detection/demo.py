"""Demo: run the rules once over the demo data so the alert lists and the map have content."""

from __future__ import annotations

from timpora.detection.actions import run_detection
from timpora.registry.status import today_in_jakarta


def seed_detection(**_: object) -> dict:
    """Evaluate every rule as of today (idempotent: re-running updates, never duplicates)."""
    runs = run_detection(today_in_jakarta(), notify=False)
    return {"detection": {r.rule: r.hits for r in runs}}
