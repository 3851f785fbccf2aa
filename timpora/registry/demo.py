"""The registry's part of ``timpora demo seed``: a synthetic population of foreign nationals.

Idempotent, like the rest of the demo: the persons already generated are counted from the
audit trail (each synthetic load writes one record with its size), so a second ``make demo``
keeps the data and a larger ``--persons`` only adds the missing ones, continuing the same
synthetic sequence. The first load places the persons the demo personas must find (see
``synth.DEMO_SCENARIOS``): overstays and expiring permits in kelurahan Banten and Kasemen,
and persons in Taktakan that the Kasemen police must not see.
"""

from __future__ import annotations

from timpora.audit.choices import AuditAction
from timpora.audit.models import AuditRecord

# A first load at least this big rebuilds the indexes around it (minutes, not an hour, for a
# million persons); smaller loads and later additions insert into the indexes as they are.
REBUILD_FROM = 100_000


def synthetic_persons() -> int:
    """How many synthetic persons earlier loads wrote (from their audit records)."""
    from timpora.registry.bulk import SOURCE

    loads = AuditRecord.objects.filter(
        action=AuditAction.CREATE, object_type="registry.person", object_id=""
    ).values_list("fields", flat=True)
    return sum(
        int(fields.get("persons", 0))
        for fields in loads
        if isinstance(fields, dict) and fields.get("source") == SOURCE
    )


def seed_registry(*, persons: int = 3000, **_: object) -> dict:
    """Make sure the registry holds ``persons`` synthetic persons; returns a summary."""
    from timpora.registry import bulk, synth

    existing = synthetic_persons()
    missing = max(persons - existing, 0)
    if missing:
        bulk.load(
            missing,
            start=existing,
            scenarios=synth.DEMO_SCENARIOS if existing == 0 else (),
            rebuild_indexes=existing == 0 and missing >= REBUILD_FROM,
        )
    return {"registry": {"persons": existing + missing, "added": missing}}
