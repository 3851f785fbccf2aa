"""Watch-list pages under ``/watchlists/``: lists and their entries, file imports, the hits
waiting for a decision and the decision itself.

Views parse and call: reads go through ``queries`` (immigration office only, region scope for
hits), writes through ``actions``. Every page that shows entries or hits (personal data) is
recorded in the audit trail.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from timpora.accounts.access import can, permission_required
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.registry.queries import area_names
from timpora.watchlists import actions, exports, queries, tasks
from timpora.watchlists.forms import (
    DecisionForm,
    EntrySearchForm,
    HitFilterForm,
    ImportForm,
    WatchListForm,
)
from timpora.watchlists.importer import FileError
from timpora.watchlists.models import WatchList

PER_PAGE = 50


def _page(request, qs):
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


def _query(request) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _import_upload(watchlist: WatchList, upload, actor):
    """Store the upload privately for the import, then forget it."""
    suffix = Path(upload.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as handle:
        for block in upload.chunks():
            handle.write(block)
        temp = Path(handle.name)
    try:
        return actions.import_entries(
            watchlist, temp, actor=actor, file_name=Path(upload.name).name
        )
    finally:
        temp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------- lists


@permission_required("watchlists.view")
def watchlist_list(request):
    lists = queries.lists_for(request.user)
    return render(
        request,
        "watchlists/watchlist_list.html",
        {
            "lists": lists,
            "may_manage": queries.allowed(request.user, "watchlists.manage"),
        },
    )


@permission_required("watchlists.manage")
def watchlist_create(request):
    queries.require(request.user, "watchlists.manage")
    form = WatchListForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            watchlist = actions.create_watchlist(actor=request.user, **form.list_values())
            upload = form.cleaned_data.get("file")
            batch = _import_upload(watchlist, upload, request.user) if upload else None
        except ValidationError as exc:
            _apply_errors(form, exc)
        except FileError as exc:
            form.add_error("file", str(exc))
        else:
            if batch is not None:
                return redirect("watchlists:import_detail", pk=batch.pk)
            messages.success(request, _("Watch list created."))
            return redirect("watchlists:watchlist_detail", pk=watchlist.pk)
    return render(request, "watchlists/watchlist_form.html", {"form": form, "watchlist": None})


@permission_required("watchlists.view")
def watchlist_detail(request, pk: int):
    watchlist = queries.list_for(request.user, pk)
    search = EntrySearchForm(request.GET or None)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    page = _page(request, queries.entries_for(request.user, watchlist, text))
    record(
        AuditAction.VIEW,
        actor=request.user,
        obj=watchlist,
        fields={"entries": [e.pk for e in page.object_list], "q": text},
    )
    return render(
        request,
        "watchlists/watchlist_detail.html",
        {
            "watchlist": watchlist,
            "page": page,
            "entries": page.object_list,
            "search": search,
            "query": _query(request),
            "imports": queries.imports_of(request.user, watchlist)[:10],
            "may_manage": queries.allowed(request.user, "watchlists.manage"),
        },
    )


@permission_required("watchlists.manage")
def watchlist_edit(request, pk: int):
    queries.require(request.user, "watchlists.manage")
    watchlist = queries.list_for(request.user, pk)
    form = WatchListForm(request.POST or None, instance=watchlist)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_watchlist(watchlist, actor=request.user, **form.list_values())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Watch list saved."))
            return redirect("watchlists:watchlist_detail", pk=watchlist.pk)
    return render(request, "watchlists/watchlist_form.html", {"form": form, "watchlist": watchlist})


# ---------------------------------------------------------------------------- imports


@permission_required("watchlists.manage")
def import_create(request, pk: int):
    queries.require(request.user, "watchlists.manage")
    watchlist = queries.list_for(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = _import_upload(watchlist, form.cleaned_data["file"], request.user)
        except FileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("watchlists:import_detail", pk=batch.pk)
    return render(request, "watchlists/import_form.html", {"form": form, "watchlist": watchlist})


@permission_required("watchlists.view")
def import_detail(request, pk: int):
    batch = queries.import_for(request.user, pk)
    return render(
        request,
        "watchlists/import_detail.html",
        {"batch": batch, "errors": batch.errors[:200], "summary": actions.import_summary(batch)},
    )


@permission_required("watchlists.view")
def import_errors(request, pk: int):
    """The rejected rows of an import as CSV: row, field, reason."""
    batch = queries.import_for(request.user, pk)
    record(AuditAction.EXPORT, actor=request.user, obj=batch, fields={"errors": batch.rejected})
    response = HttpResponse(exports.error_csv(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="watchlist-import-{batch.pk}-errors.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("watchlists.view")
def import_template(request, fmt: str):
    queries.require(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404("format")
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(exports.template(fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="watchlist-template.{fmt}"'
    return response


# ---------------------------------------------------------------------------- entries and hits


@permission_required("watchlists.view")
def entry_detail(request, pk: int):
    entry = queries.entry_for(request.user, pk)
    hits = list(queries.hits_for(request.user, entry=entry))
    record(
        AuditAction.VIEW,
        actor=request.user,
        obj=entry,
        fields={"hits": [h.pk for h in hits]},
    )
    return render(
        request,
        "watchlists/entry_detail.html",
        {
            "entry": entry,
            "rows": [{"hit": h, "explanation": queries.explanation(h)} for h in hits],
        },
    )


@permission_required("watchlists.view")
def hit_list(request):
    form = HitFilterForm(request.GET or None)
    status, watchlist = "open", None
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"]
        watchlist = form.cleaned_data["watchlist"]
    elif not form.is_bound:
        form = HitFilterForm(initial={"status": "open"})
    page = _page(request, queries.hits_for(request.user, status=status, watchlist=watchlist))
    record(
        AuditAction.VIEW,
        actor=request.user,
        object_type="watchlists.watchlisthit",
        object_repr="watch-list hits",
        fields={"hits": [h.pk for h in page.object_list], "status": status},
    )
    return render(
        request,
        "watchlists/hit_list.html",
        {
            "form": form,
            "page": page,
            "rows": [{"hit": h, "explanation": queries.explanation(h)} for h in page.object_list],
            "query": _query(request),
            "may_manage": queries.allowed(request.user, "watchlists.manage"),
        },
    )


def _person_side(person) -> dict[str, Any]:
    documents = list(person.documents.all())
    return {
        "full_name": person.full_name,
        "birth": person.birth_date,
        "precision": person.birth_date_precision,
        "nationality": person.nationality,
        "passports": ", ".join(d.number for d in documents) or "",
        "area": area_names([person.kelurahan_code]).get(person.kelurahan_code, ""),
    }


def _render_hit(request, hit, form: DecisionForm | None = None, status: int = 200):
    record(AuditAction.VIEW, actor=request.user, obj=hit, fields={"person": hit.person_id})
    return render(
        request,
        "watchlists/hit_detail.html",
        {
            "hit": hit,
            "entry": hit.entry,
            "person": _person_side(hit.person),
            "explanation": queries.explanation(hit),
            "evidence": hit.evidence,
            "form": form or DecisionForm(initial={"status": "confirmed"}),
            "may_decide": queries.allowed(request.user, "watchlists.decide"),
            "may_link_person": can(request.user, "person.view"),
        },
        status=status,
    )


@permission_required("watchlists.view")
def hit_detail(request, pk: int):
    return _render_hit(request, queries.hit_for(request.user, pk))


@permission_required("watchlists.decide")
@require_POST
def hit_decide(request, pk: int):
    queries.require(request.user, "watchlists.decide")
    hit = queries.hit_for(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            actions.decide_hit(
                hit,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Decision saved."))
            return redirect("watchlists:hit_detail", pk=hit.pk)
    return _render_hit(request, hit, form, status=400)


@permission_required("watchlists.manage")
@require_POST
def screen_now(request):
    """Queue a screening of the whole registry (the task worker runs it)."""
    queries.require(request.user, "watchlists.manage")
    tasks.screen_registry_now.enqueue(request.user.pk)
    messages.success(
        request, _("Screening of the whole registry queued; hits appear when it has run.")
    )
    return redirect("watchlists:hit_list")
