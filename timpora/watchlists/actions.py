"""Writes of the watch-list app: lists, imports, screening results and decisions on hits.

Every function is atomic and audited. Screening results are reconciled with the stored
hits, never simply appended: a pair found again is updated (score, evidence, last seen)
but keeps its decision, so a dismissed entry × person pair stays dismissed; an open hit no
longer found is cleared; a cleared hit found again opens again. After each change the
``watchlist_hit`` detection rule runs for the persons concerned, so the alert follows the
hit (raised, updated, or closed when the hit is dismissed or cleared).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.registry.status import today_in_jakarta
from timpora.watchlists import importer, screening
from timpora.watchlists.choices import HitStatus, ListType
from timpora.watchlists.models import WatchList, WatchListEntry, WatchListHit, WatchListImport
from timpora.watchlists.queries import require

log = logging.getLogger(__name__)

RULE = "watchlist_hit"
_BULK = 1_000


# --------------------------------------------------------------------------- lists


def _check_list(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if not (values.get("name") or "").strip():
        errors["name"] = [_("Give the list a name.")]
    if values.get("list_type") not in ListType.values:
        errors["list_type"] = [_("Choose the type of list.")]
    if not (values.get("source") or "").strip():
        errors["source"] = [_("Name the authority that issued the list.")]
    start, end = values.get("valid_from"), values.get("valid_until")
    if start and end and start > end:
        errors["valid_until"] = [_("The list cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_watchlist(
    *,
    name: str,
    list_type: str,
    source: str,
    actor,
    reference: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
    owning_agency=None,
    active: bool = True,
    notes: str = "",
) -> WatchList:
    """A new list (no entries yet: import a file into it)."""
    values = {
        "name": name.strip(),
        "list_type": list_type,
        "source": source.strip(),
        "reference": reference.strip(),
        "valid_from": valid_from,
        "valid_until": valid_until,
        "owning_agency": owning_agency,
        "active": active,
        "notes": notes,
    }
    _check_list(values)
    if WatchList.objects.filter(name__iexact=values["name"]).exists():
        raise ValidationError({"name": [_("A list with this name exists already.")]})
    watchlist = WatchList.objects.create(
        **values, created_by=actor if actor is not None and actor.pk else None
    )
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=watchlist,
        fields={k: v for k, v in values.items() if k not in ("notes", "owning_agency")},
    )
    transaction.on_commit(screening.invalidate)
    return watchlist


#: What :func:`update_watchlist` may change (the list's form shows these).
EDITABLE_FIELDS = (
    "name",
    "list_type",
    "source",
    "reference",
    "valid_from",
    "valid_until",
    "owning_agency",
    "active",
    "notes",
)


@transaction.atomic
def update_watchlist(watchlist: WatchList, *, actor, **changes: Any) -> WatchList:
    """Change a list's description, period or activity; entries are kept."""
    allowed = set(EDITABLE_FIELDS)
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    values = {name: getattr(watchlist, name) for name in allowed}
    values.update(changes)
    _check_list(values)
    diff = {}
    for name, value in changes.items():
        old = getattr(watchlist, name)
        if old != value:
            diff[name] = [str(old), str(value)]
            setattr(watchlist, name, value)
    if diff:
        watchlist.save()
        record(AuditAction.UPDATE, actor=actor, obj=watchlist, fields=diff)
        transaction.on_commit(screening.invalidate)
    return watchlist


# --------------------------------------------------------------------------- imports


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_ENTRY_FIELDS = (
    "full_name",
    "date_of_birth",
    "nationality",
    "passport_number",
    "list_type",
    "valid_until",
    "reason",
)


@transaction.atomic
def import_entries(
    watchlist: WatchList,
    path: Path,
    *,
    actor,
    file_name: str | None = None,
    screen: bool = True,
) -> WatchListImport:
    """Import a CSV or XLSX file of entries into ``watchlist``.

    Rows are keyed by the issuer's ``list_id``: a known id with the same values is counted
    as unchanged (importing a file twice adds nothing), a known id with other values is
    updated, a new id is added. Rejected rows are kept in the import with their row, field
    and reason; good rows are stored all together or not at all. Raises
    :class:`~timpora.watchlists.importer.FileError` when the file cannot be read.
    With ``screen``, the new and changed entries are screened against the registry by a
    background job after the commit (the CLI may screen them itself instead).
    """
    parsed = importer.parse_file(path)
    now = timezone.now()
    batch = WatchListImport.objects.create(
        watchlist=watchlist,
        file_name=(file_name or path.name)[:200],
        sha256=_sha256(path),
        rows=parsed.total,
        rejected=parsed.rejected,
        errors=[[e.row, e.field, e.reason] for e in parsed.errors],
        ignored_columns=parsed.ignored_columns,
        created_by=actor if actor is not None and actor.pk else None,
    )
    existing = {e.list_id: e for e in WatchListEntry.objects.filter(watchlist=watchlist)}
    new, changed = [], []
    for row in parsed.rows:
        values = {
            "full_name": row.full_name,
            "date_of_birth": row.date_of_birth,
            "nationality": row.nationality,
            "passport_number": row.passport_number,
            "list_type": row.list_type or watchlist.list_type,
            "valid_until": row.valid_until,
            "reason": row.reason,
        }
        entry = existing.get(row.list_id)
        if entry is None:
            new.append(
                WatchListEntry(
                    watchlist=watchlist,
                    list_id=row.list_id,
                    batch=batch,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
        elif any(getattr(entry, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(entry, name, value)
            entry.batch = batch
            entry.updated_at = now
            changed.append(entry)
    WatchListEntry.objects.bulk_create(new, batch_size=_BULK)
    WatchListEntry.objects.bulk_update(
        changed, [*_ENTRY_FIELDS, "batch", "updated_at"], batch_size=_BULK
    )
    batch.added = len(new)
    batch.updated = len(changed)
    batch.unchanged = len(parsed.rows) - len(new) - len(changed)
    batch.save(update_fields=["added", "updated", "unchanged"])
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=batch,
        fields={
            "watchlist": watchlist.pk,
            "rows": batch.rows,
            "added": batch.added,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
            "rejected": batch.rejected,
        },
    )
    transaction.on_commit(screening.invalidate)
    touched = touched_entries(batch)
    if screen and touched:
        from timpora.watchlists.tasks import enqueue_entry_screening

        enqueue_entry_screening(touched)
    return batch


def touched_entries(batch: WatchListImport) -> list[int]:
    """Ids of the entries an import added or changed."""
    return list(batch.entries.values_list("pk", flat=True))


def import_summary(batch: WatchListImport) -> dict[str, Any]:
    """The counts of an import, as the CLI prints them and the API returns them."""
    return {
        "import_id": batch.pk,
        "watchlist": batch.watchlist.name,
        "rows": batch.rows,
        "added": batch.added,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "rejected": batch.rejected,
        "ignored_columns": list(batch.ignored_columns),
    }


# --------------------------------------------------------------------------- screening


@dataclass
class HitChanges:
    """How a screening run changed the stored hits."""

    found: int = 0
    created: int = 0
    updated: int = 0
    reopened: int = 0
    cleared: int = 0
    persons: set[int] = field(default_factory=set)

    def as_dict(self) -> dict[str, int]:
        return {
            "found": self.found,
            "created": self.created,
            "updated": self.updated,
            "reopened": self.reopened,
            "cleared": self.cleared,
        }


def _stored_hits(
    entries: QuerySet[WatchListEntry], person_ids: Iterable[int] | None
) -> dict[tuple[int, int], WatchListHit]:
    stored = WatchListHit.objects.filter(entry__in=entries).only(
        "id", "entry_id", "person_id", "status", "score"
    )
    if person_ids is None:
        return {(h.entry_id, h.person_id): h for h in stored.iterator(chunk_size=_BULK)}
    ids = sorted({int(i) for i in person_ids})
    out = {}
    for start in range(0, len(ids), 500):  # SQLite's limit on query parameters
        for hit in stored.filter(person_id__in=ids[start : start + 500]):
            out[(hit.entry_id, hit.person_id)] = hit
    return out


@transaction.atomic
def record_hits(
    found: dict[tuple[int, int], screening.Found],
    *,
    entries: QuerySet[WatchListEntry],
    person_ids: Iterable[int] | None = None,
) -> HitChanges:
    """Reconcile a screening run's results with the stored hits.

    ``entries`` and ``person_ids`` say what the run looked at (None: every person): only
    open hits inside that scope that were not found again are cleared.
    """
    now = timezone.now()
    changes = HitChanges(found=len(found))
    existing = _stored_hits(entries, person_ids)
    new, updated = [], []
    for key, result in found.items():
        hit = existing.get(key)
        if hit is None:
            new.append(
                WatchListHit(
                    entry_id=result.entry_id,
                    person_id=result.person_id,
                    score=result.score,
                    evidence=result.evidence,
                    explanation=result.explanation,
                    status=HitStatus.OPEN,
                    first_seen=now,
                    last_seen=now,
                )
            )
            changes.persons.add(result.person_id)
            continue
        if hit.status == HitStatus.CLEARED:
            hit.status = HitStatus.OPEN
            changes.reopened += 1
            changes.persons.add(result.person_id)
        elif abs(hit.score - result.score) > 1e-9:
            changes.persons.add(result.person_id)
        hit.score = result.score
        hit.evidence = result.evidence
        hit.explanation = result.explanation
        hit.last_seen = now
        updated.append(hit)
    # A pair stored meanwhile by another run (a list changed during this one) is kept.
    WatchListHit.objects.bulk_create(new, batch_size=_BULK, ignore_conflicts=True)
    WatchListHit.objects.bulk_update(
        updated, ["score", "evidence", "explanation", "last_seen", "status"], batch_size=_BULK
    )
    changes.created = len(new)
    changes.updated = len(updated) - changes.reopened
    stale = [h for key, h in existing.items() if key not in found and h.status == HitStatus.OPEN]
    for start in range(0, len(stale), _BULK):
        WatchListHit.objects.filter(pk__in=[h.pk for h in stale[start : start + _BULK]]).update(
            status=HitStatus.CLEARED
        )
    changes.cleared = len(stale)
    changes.persons.update(h.person_id for h in stale)
    return changes


def _detect(as_of: date, person_ids: Iterable[int] | None, actor) -> None:
    """Run the watch-list rule for these persons (None: everyone), so alerts follow hits."""
    from timpora.detection.actions import run_detection

    ids = None if person_ids is None else sorted(set(person_ids))
    if ids == []:
        return
    run_detection(as_of, rules=[RULE], person_ids=ids, actor=actor)


def _audit(kind: str, actor, screened: screening.Screened, changes: HitChanges, **extra) -> None:
    record(
        AuditAction.UPDATE,
        actor=actor,
        object_type="watchlists.watchlisthit",
        object_repr=f"watch-list screening ({kind})",
        fields={
            "persons": screened.persons,
            "entries": screened.entries,
            "seconds": round(screened.seconds, 2),
            **changes.as_dict(),
            **extra,
        },
    )


def screen_everyone(
    as_of: date | None = None,
    *,
    entry_ids: Iterable[int] | None = None,
    actor=None,
    detect: bool = True,
) -> dict[str, Any]:
    """Screen the whole registry against the entries in force (or only ``entry_ids``,
    after an import), store the hits and update the alerts."""
    as_of = as_of or today_in_jakarta()
    entries = screening.entries_in_force(as_of)
    if entry_ids is not None:
        entries = entries.filter(pk__in=list(entry_ids))
    screened = screening.screen_registry(as_of, entries=entries)
    changes = record_hits(screened.found, entries=entries)
    _audit("registry", actor, screened, changes, as_of=as_of)
    if detect:
        # A full run re-evaluates every person: hits on entries that lapsed close too.
        _detect(as_of, None if entry_ids is None else changes.persons, actor)
    return {
        "as_of": as_of.isoformat(),
        "persons": screened.persons,
        "entries": screened.entries,
        "seconds": round(screened.seconds, 2),
        **changes.as_dict(),
    }


def screen_persons(
    person_ids: Iterable[int],
    as_of: date | None = None,
    *,
    actor=None,
    detect: bool = True,
) -> dict[str, Any]:
    """Screen a few persons at once (a new report, a changed person) and update alerts."""
    as_of = as_of or today_in_jakarta()
    ids = sorted({int(i) for i in person_ids if i})
    screened = screening.screen_persons(ids, as_of)
    if not screened.entries:
        return {"persons": len(ids), "entries": 0, "found": 0}
    changes = record_hits(screened.found, entries=screening.entries_in_force(as_of), person_ids=ids)
    if changes.created or changes.reopened or changes.cleared:
        _audit("persons", actor, screened, changes, person_ids=ids[:50])
    if detect and changes.persons:
        _detect(as_of, changes.persons, actor)
    return {
        "persons": len(ids),
        "entries": screened.entries,
        "seconds": round(screened.seconds, 3),
        **changes.as_dict(),
    }


# --------------------------------------------------------------------------- decisions

DECISIONS = (HitStatus.CONFIRMED, HitStatus.DISMISSED, HitStatus.OPEN)


@transaction.atomic
def decide_hit(hit: WatchListHit, *, status: str, actor, reason: str = "") -> WatchListHit:
    """Confirm or dismiss a hit (or open it again); dismissing needs a reason.

    The decision sticks: later screenings update the score but never the status. The
    alert follows at once (a dismissed hit closes it).
    """
    require(actor, "watchlists.decide")
    reason = reason.strip()
    if status not in DECISIONS:
        raise ValidationError({"status": [_("Choose confirm or dismiss.")]})
    if status == HitStatus.DISMISSED and not reason:
        raise ValidationError({"reason": [_("Say why the hit is dismissed.")]})
    old = hit.status
    hit.status = status
    hit.decision_reason = reason
    hit.decided_by = actor
    hit.decided_at = timezone.now()
    hit.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=hit,
        fields={"status": [old, status], "reason": reason, "person": hit.person_id},
    )
    _detect(today_in_jakarta(), [hit.person_id], actor)
    return hit
