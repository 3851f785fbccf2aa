"""Scoped reads of watch lists, entries and hits.

Watch lists are the immigration office's: a user needs the role permission *and* to work
for the immigration office (or for no agency: system administrators). Other agencies of the
team see only the alerts that hits raise. Hits follow the registry's region scope: a user
sees the hits of the persons they may see.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from timpora.accounts.access import can
from timpora.accounts.choices import AgencyType
from timpora.matching.engine.score import Evidence, explain
from timpora.watchlists.choices import HitStatus
from timpora.watchlists.models import WatchList, WatchListEntry, WatchListHit, WatchListImport


def allowed(user, perm: str = "watchlists.view") -> bool:
    """Whether ``user`` has ``perm`` and works for the immigration office."""
    if not can(user, perm):
        return False
    agency = user.agency if user.agency_id else None
    return agency is None or agency.agency_type == AgencyType.IMMIGRATION


def require(user, perm: str = "watchlists.view") -> None:
    if not allowed(user, perm):
        raise PermissionDenied(perm)


def lists_for(user) -> QuerySet[WatchList]:
    """Every list, with its number of entries and of hits waiting for a decision."""
    require(user)
    return WatchList.objects.annotate(
        n_entries=Count("entries", distinct=True),
        n_open=Count("entries__hits", filter=Q(entries__hits__status=HitStatus.OPEN)),
    ).order_by("-active", "name")


def list_for(user, pk: int) -> WatchList:
    require(user)
    found = WatchList.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("watch list")
    return found


def entries_for(user, watchlist: WatchList | None = None, q: str = "") -> QuerySet[WatchListEntry]:
    require(user)
    qs = WatchListEntry.objects.select_related("watchlist")
    if watchlist is not None:
        qs = qs.filter(watchlist=watchlist)
    if q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(full_name__icontains=text)
            | Q(list_id__iexact=text)
            | Q(passport_number__iexact=text.replace(" ", "").upper())
        )
    return qs.annotate(n_hits=Count("hits")).order_by("full_name", "id")


def entry_for(user, pk: int) -> WatchListEntry:
    require(user)
    found = WatchListEntry.objects.select_related("watchlist").filter(pk=pk).first()
    if found is None:
        raise Http404("watch-list entry")
    return found


def _visible_persons(user):
    from timpora.registry.queries import persons_for

    return persons_for(user)


def hits_for(
    user,
    *,
    status: str = "",
    watchlist: WatchList | None = None,
    entry: WatchListEntry | None = None,
) -> QuerySet[WatchListHit]:
    """Hits on persons the user may see, newest decisions first within score."""
    require(user)
    qs = WatchListHit.objects.select_related("entry__watchlist", "person", "decided_by")
    if user.scope_area_id is not None:
        qs = qs.filter(person__in=_visible_persons(user))
    if status:
        qs = qs.filter(status=status)
    if watchlist is not None:
        qs = qs.filter(entry__watchlist=watchlist)
    if entry is not None:
        qs = qs.filter(entry=entry)
    return qs.order_by("-score", "-id")


def hit_for(user, pk: int) -> WatchListHit:
    found = hits_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("watch-list hit")
    return found


def hits_of_person(user, person) -> list[WatchListHit]:
    """The person's hits for the registry page ([] for users who may not see lists)."""
    if not allowed(user):
        return []
    return list(hits_for(user).filter(person=person).exclude(status=HitStatus.CLEARED))


def imports_of(user, watchlist: WatchList) -> QuerySet[WatchListImport]:
    require(user)
    return watchlist.imports.select_related("created_by")


def import_for(user, pk: int) -> WatchListImport:
    require(user)
    found = WatchListImport.objects.select_related("watchlist").filter(pk=pk).first()
    if found is None:
        raise Http404("watch-list import")
    return found


def explanation(hit: WatchListHit, language_gettext=gettext) -> str:
    """What matched, in the reader's language (rendered from the stored evidence)."""
    try:
        return explain([Evidence(**item) for item in hit.evidence or []], language_gettext)
    except TypeError:  # evidence of an older engine version: the stored English sentence
        return hit.explanation


def describe_hit(hit: WatchListHit) -> dict[str, Any]:
    entry = hit.entry
    return {
        "id": hit.pk,
        "entry_id": entry.pk,
        "list_id": entry.list_id,
        "watchlist_id": entry.watchlist_id,
        "watchlist": entry.watchlist.name,
        "list_type": entry.list_type,
        "entry_name": entry.full_name,
        "person_id": hit.person_id,
        "person_name": hit.person.full_name,
        "score": hit.score,
        "explanation": explanation(hit),
        "evidence": hit.evidence,
        "status": hit.status,
        "decision_reason": hit.decision_reason,
        "decided_by": hit.decided_by.username if hit.decided_by_id else None,
        "decided_at": hit.decided_at,
        "first_seen": hit.first_seen,
        "last_seen": hit.last_seen,
    }
