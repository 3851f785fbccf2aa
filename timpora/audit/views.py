"""Browse and export the audit trail."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from timpora.accounts.access import permission_required, require
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.audit.forms import AuditFilterForm
from timpora.audit.queries import audit_records_for
from timpora.lib.exports import to_csv, to_xlsx

EXPORT_HEADER = [
    "id",
    "time",
    "username",
    "agency",
    "action",
    "object_type",
    "object_id",
    "object",
    "fields",
    "origin",
    "hash",
]


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, audit_records_for(request.user, **{k: v for k, v in filters.items() if v})


@permission_required("audit.view")
def audit_list(request):
    form, records = _filtered(request)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/audit_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@permission_required("audit.export")
def audit_export(request):
    require(request.user, "audit.export")
    fmt = request.GET.get("format", "csv")
    _, records = _filtered(request)
    rows = [
        [
            r.pk,
            r.created_at.isoformat(),
            r.actor_username,
            r.agency,
            r.action,
            r.object_type,
            r.object_id,
            r.object_repr,
            str(r.fields),
            str(r.origin),
            r.hash,
        ]
        for r in records.iterator()
    ]
    record(
        AuditAction.EXPORT,
        actor=request.user,
        object_type="audit.auditrecord",
        object_repr="audit trail export",
        fields={"rows": len(rows), "format": fmt, "filters": request.GET.dict()},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        content = to_xlsx(EXPORT_HEADER, rows, title="audit")
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
    else:
        response = HttpResponse(to_csv(EXPORT_HEADER, rows), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
