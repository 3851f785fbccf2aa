"""Writing to and checking the audit trail.

``record()`` is called by every action that changes data and by every view, export or API
endpoint that reads personal data. It appends inside the caller's transaction, so a change
and its audit record commit or roll back together.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from timpora.audit.choices import AuditAction
from timpora.audit.context import current_origin
from timpora.audit.models import GENESIS_HASH, AuditRecord

# Arbitrary constant identifying the audit chain's advisory lock in PostgreSQL.
_PG_LOCK_KEY = 7_246_171


def _lock_chain() -> None:
    """Serialise appends so that two writers never chain onto the same predecessor."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
    # SQLite: write transactions are IMMEDIATE (settings), so writers are already serialised.


def record(
    action: AuditAction | str,
    *,
    actor=None,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    fields: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one audit record and return it."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    agency = ""
    if actor is not None and getattr(actor, "agency_id", None):
        agency = str(actor.agency)
    with transaction.atomic():
        _lock_chain()
        last = AuditRecord.objects.order_by("-id").values_list("hash", flat=True).first()
        entry = AuditRecord(
            created_at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_username=getattr(actor, "username", "") or "",
            agency=agency,
            action=str(action),
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:200],
            fields=_json_safe(fields or {}),
            origin=_json_safe(current_origin()),
            prev_hash=last or GENESIS_HASH,
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry


def _json_safe(value: dict[str, Any]) -> dict[str, Any]:
    """Dates, decimals and the like as strings, so the stored JSON hashes the same way."""
    return json.loads(json.dumps(value, default=str))


@dataclass
class VerifyResult:
    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def _iter_chain(batch: int = 2000) -> Iterator[AuditRecord]:
    last_id = 0
    while True:
        rows = list(AuditRecord.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def verify_chain() -> VerifyResult:
    """Recompute every hash in order; name the first record that does not fit the chain."""
    prev = GENESIS_HASH
    checked = 0
    for entry in _iter_chain():
        if entry.prev_hash != prev:
            return VerifyResult(checked, entry.pk, "previous hash does not match the record before")
        if entry.compute_hash() != entry.hash:
            return VerifyResult(checked, entry.pk, "content does not match its hash")
        prev = entry.hash
        checked += 1
    return VerifyResult(checked)
