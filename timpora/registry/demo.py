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


def seed_registry_merge(**_: object) -> dict:
    """The demo's merged person (after the population is loaded)."""
    return {"registry_merge": {"survivor": seed_merge()}}


DEMO_MERGE_REASON = "Demo: the same guest registered twice, the name in passport order"


def seed_merge() -> int | None:
    """One foreigner registered a second time (the name as the passport orders it, another
    document) and merged into the first: the person page shows the merge history, the
    second person's address redirects, and an analyst can undo it. Returns the survivor's
    id (None without a suitable person). Idempotent."""
    from datetime import timedelta

    from timpora.registry import actions
    from timpora.registry.models import PersonMerge
    from timpora.registry.queries import live_persons
    from timpora.registry.status import today_in_jakarta

    done = PersonMerge.objects.filter(reason=DEMO_MERGE_REASON).first()
    if done is not None:
        return done.survivor_id
    person = (
        live_persons()
        .filter(nationality="SAU", kecamatan_code="36.73.02")
        .exclude(surname="")
        .order_by("id")
        .first()
    ) or live_persons().exclude(surname="").exclude(kelurahan_code="").order_by("id").first()
    if person is None:
        return None
    today = today_in_jakarta()
    twin = actions.register_person(
        actions.PersonInput(
            full_name=f"{person.surname.upper()}, {person.given_names.upper()}",
            sex=person.sex,
            birth_date=person.birth_date,
            birth_date_precision=person.birth_date_precision,
            nationality=person.nationality,
        ),
        actor=None,
        document=actions.DocumentInput(
            number=f"DM{person.pk:07d}",
            issuing_state=person.nationality,
            expiry_date=today + timedelta(days=3 * 365),
        ),
        stay=actions.StayInput(
            area_code=person.kelurahan_code,
            date_from=today - timedelta(days=3),
            source="accommodation",
            source_ref="demo",
        ),
    )
    actions.merge_persons(person, twin, actor=None, reason=DEMO_MERGE_REASON)
    return person.pk
