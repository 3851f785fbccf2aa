"""Watch lists through the API (``/api/v1/watchlists``): the lists, their entries, file
imports, the hits and the decisions on them.

The same rules as the pages: the token's user needs the permission *and* to work for the
immigration office (403 otherwise, before any body is read); hits follow the registry's
region scope (404 outside it). Entries and hits are personal data: every read is audited.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.utils import translation
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from timpora.api.auth import BearerToken
from timpora.api.common import query_error
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.registry.schemas import ErrorOut
from timpora.watchlists import actions, queries
from timpora.watchlists.choices import HitStatus
from timpora.watchlists.importer import FileError
from timpora.watchlists.models import WatchList, WatchListEntry
from timpora.watchlists.schemas import (
    DecisionIn,
    EntryListOut,
    HitListOut,
    HitOut,
    HitQuery,
    ImportOut,
    PageQuery,
    WatchListOut,
)


class ImmigrationToken(BearerToken):
    """A bearer token whose user has ``perm`` and works for the immigration office."""

    def authenticate(self, request, token: str):
        user = super().authenticate(request, token)
        if user is not None and self.perm is not None:
            queries.require(user, self.perm)  # PermissionDenied → 403
        return user


VIEW = ImmigrationToken("watchlists.view")
DECIDE = ImmigrationToken("watchlists.decide")
MANAGE = ImmigrationToken("watchlists.manage")

router = Router(tags=["watch lists"])


def _list(wl: WatchList) -> dict[str, Any]:
    return {
        "id": wl.pk,
        "name": wl.name,
        "list_type": wl.list_type,
        "source": wl.source,
        "reference": wl.reference,
        "valid_from": wl.valid_from,
        "valid_until": wl.valid_until,
        "owning_agency": str(wl.owning_agency) if wl.owning_agency_id else None,
        "active": wl.active,
        "entries": wl.n_entries,
        "open_hits": wl.n_open,
    }


def _entry(entry: WatchListEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "list_id": entry.list_id,
        "full_name": entry.full_name,
        "date_of_birth": entry.date_of_birth,
        "nationality": entry.nationality,
        "passport_number": entry.passport_number,
        "list_type": entry.list_type,
        "valid_until": entry.valid_through(),
        "reason": entry.reason,
    }


@router.get("", response=list[WatchListOut], auth=VIEW, summary="Watch lists")
def list_watchlists(request):
    """Every list with its number of entries and of hits waiting for a decision."""
    return [_list(wl) for wl in queries.lists_for(request.user)]


@router.get(
    "/hits",
    response={200: HitListOut, 422: ErrorOut},
    auth=VIEW,
    summary="Watch-list hits",
)
def list_hits(request, params: Query[HitQuery]):
    """Hits on persons in the caller's scope, best score first; explanations in ``lang``
    (``id`` or ``en``; default: the server's language)."""
    if params.status and params.status not in HitStatus.values:
        return query_error("status", f"use one of {', '.join(HitStatus.values)}")
    qs = queries.hits_for(request.user, status=params.status)
    if params.watchlist is not None:
        qs = qs.filter(entry__watchlist_id=params.watchlist)
    if params.person is not None:
        qs = qs.filter(person_id=params.person)
    count = qs.count()
    hits = list(qs[params.offset : params.offset + params.limit])
    record(
        AuditAction.VIEW,
        actor=request.user,
        object_type="watchlists.watchlisthit",
        object_repr="watch-list hits (API)",
        fields={"status": params.status, "count": count, "ids": [h.pk for h in hits]},
    )
    with translation.override(params.lang or translation.get_language()):
        items = [queries.describe_hit(h) for h in hits]
    return Status(200, {"count": count, "items": items})


@router.post(
    "/hits/{hit_id}/decision",
    response={200: HitOut, 422: ErrorOut},
    auth=DECIDE,
    summary="Confirm or dismiss a hit",
)
def decide(request, hit_id: int, body: DecisionIn):
    """``confirmed`` or ``dismissed`` (with a reason), or ``open`` again. A dismissed hit
    closes its alert and is not raised again by later screenings."""
    hit = queries.hit_for(request.user, hit_id)
    actions.decide_hit(hit, status=body.status, reason=body.reason, actor=request.user)
    return queries.describe_hit(queries.hit_for(request.user, hit_id))


@router.get(
    "/{watchlist_id}/entries",
    response=EntryListOut,
    auth=VIEW,
    summary="Entries of a watch list",
)
def list_entries(request, watchlist_id: int, params: Query[PageQuery]):
    watchlist = queries.list_for(request.user, watchlist_id)
    qs = queries.entries_for(request.user, watchlist, params.q)
    count = qs.count()
    entries = list(qs[params.offset : params.offset + params.limit])
    record(
        AuditAction.VIEW,
        actor=request.user,
        obj=watchlist,
        fields={"q": params.q, "count": count, "ids": [e.pk for e in entries]},
    )
    return {"count": count, "items": [_entry(e) for e in entries]}


@router.post(
    "/{watchlist_id}/imports",
    response={201: ImportOut, 422: ErrorOut},
    auth=MANAGE,
    summary="Import a CSV or XLSX file of entries",
)
def import_file(request, watchlist_id: int, file: File[UploadedFile]):
    """Rows are keyed by ``list_id``: importing the same file twice adds nothing. Rejected
    rows come back as ``[row, field, reason]``; the good rows are stored."""
    watchlist = queries.list_for(request.user, watchlist_id)
    suffix = Path(file.name or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        return Status(
            422, {"detail": [{"loc": ["body", "file"], "msg": "use a .csv or .xlsx file"}]}
        )
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as handle:
        for block in file.chunks():
            handle.write(block)
        temp = Path(handle.name)
    try:
        batch = actions.import_entries(
            watchlist, temp, actor=request.user, file_name=Path(file.name).name
        )
    except FileError as exc:
        return Status(422, {"detail": [{"loc": ["body", "file"], "msg": str(exc)}]})
    finally:
        temp.unlink(missing_ok=True)
    return Status(201, {**actions.import_summary(batch), "errors": batch.errors})
