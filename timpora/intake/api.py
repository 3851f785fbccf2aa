"""Intake through the API: premises file guest and employer reports, check guests out and
fetch receipts; team members read the reports in their scope; both follow imports.

Handlers parse and call: reads through ``queries`` (a reporter's own premises, a team
member's region scope: 404 outside it), writes through ``actions`` (the same rules as the
web form and file imports; their errors come back as 422 naming the column). Every read of
reports is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status

from timpora.api.auth import BearerToken
from timpora.api.common import query_error
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.intake import actions, queries, receipts
from timpora.intake.choices import ReportChannel
from timpora.intake.models import AccommodationReport, EmployerReport
from timpora.intake.schemas import (
    AccommodationListOut,
    AccommodationQuery,
    AccommodationReportIn,
    AccommodationReportOut,
    CheckOutIn,
    EmployerListOut,
    EmployerQuery,
    EmployerReportIn,
    EmployerReportOut,
    ImportOut,
)
from timpora.registry import masking
from timpora.registry.schemas import ErrorOut

accommodation_router = Router(tags=["accommodation reports"])
employer_router = Router(tags=["employer reports"])
imports_router = Router(tags=["imports"])


class ReporterToken(BearerToken):
    """A premises' reporter: ``report.file`` and an approved premises of the right kind,
    checked before the body is validated (403, not 422, for anyone else)."""

    def __init__(self, kind: str) -> None:
        super().__init__("report.file")
        self.kind = kind

    def authenticate(self, request, token: str):
        user = super().authenticate(request, token)
        if user is not None:
            queries.premises_of(user, self.kind)  # PermissionDenied → 403
        return user


LODGING = ReporterToken(queries.LODGING)
COMPANY = ReporterToken(queries.COMPANY)
ANY = BearerToken()


# --------------------------------------------------------------------------- helpers


def _identity(user, report, own: bool) -> dict[str, Any]:
    clear = own or masking.identifier_policy(user) == masking.CLEAR
    born = report.birth_date
    return {
        "id": report.pk,
        "premises_id": report.premises_id,
        "premises_name": report.premises.name,
        "surname": report.surname,
        "given_names": report.given_names,
        "full_name": report.full_name,
        "sex": report.sex,
        "birth_year": born.year if born else None,
        "birth_date": born if clear else None,
        "nationality": report.nationality,
        "passport_number": receipts.passport_shown(user, report) or None,
        "permit_category": report.permit_category,
        "permit_index": report.permit_index,
        "permit_number": report.permit_number,
        "permit_valid_until": report.permit_valid_until,
        "kecamatan_code": report.kecamatan_code,
        "kelurahan_code": report.kelurahan_code,
        "reported_at": report.reported_at,
        "channel": report.channel,
    }


def _accommodation(request, report: AccommodationReport) -> dict[str, Any]:
    user = request.user
    own = queries.is_reporter(user)
    out = _identity(user, report, own)
    out.update(
        {
            "purpose": report.purpose,
            "room": report.room,
            "check_in": report.check_in,
            "check_out": report.check_out,
            "is_late": report.is_late,
            "receipt_url": request.build_absolute_uri(
                reverse("api-1:accommodation_receipt", args=[report.pk])
            ),
        }
    )
    if own:
        out["place_of_birth"] = report.place_of_birth
        out["passport_expiry"] = report.passport_expiry
        out["verification_code"] = report.verification_code
    return out


def _employer(request, report: EmployerReport) -> dict[str, Any]:
    user = request.user
    out = _identity(user, report, queries.is_reporter(user))
    out.update(
        {
            "event": report.event,
            "event_date": report.event_date,
            "position": report.position,
            "work_plan_reference": report.work_plan_reference,
        }
    )
    return out


def _filter_error(exc: queries.FilterError) -> Status:
    return query_error(exc.field, exc.message)


def _audit_list(user, object_type: str, where: str, params: dict, ids: list[int]) -> None:
    record(
        AuditAction.VIEW,
        actor=user,
        object_type=object_type,
        object_repr=where,
        fields={
            "filter": {k: v for k, v in params.items() if v not in ("", None, False)},
            "ids": ids,
        },
    )


# -------------------------------------------------------------- accommodation reports


@accommodation_router.post(
    "",
    response={201: AccommodationReportOut, 422: ErrorOut},
    auth=LODGING,
    summary="File a guest report",
)
def file_accommodation_report(request, payload: AccommodationReportIn):  # type: ignore[valid-type]
    """File one foreign guest for the caller's premises. 422 names each bad field by its
    column name (``check_in``, ``nationality``, ``mrz``...)."""
    premises = queries.premises_of(request.user, queries.LODGING)
    report = actions.file_accommodation_report(
        premises, payload.model_dump(), actor=request.user, channel=ReportChannel.API
    )
    return Status(201, _accommodation(request, report))


@accommodation_router.get(
    "",
    response={200: AccommodationListOut, 422: ErrorOut},
    auth=ANY,
    summary="List guest reports",
)
def list_accommodation_reports(request, params: Query[AccommodationQuery]):
    """The caller's own premises' reports (reporters) or those in the caller's region scope
    (team members), newest check-in first, as ``{"count", "items"}``."""
    user = request.user
    values = params.model_dump()
    limit, offset = values.pop("limit"), values.pop("offset")
    flt = queries.ReportFilter(**values)
    try:
        qs = queries.filter_accommodation(queries.accommodation_reports_for(user), flt)
        count = qs.count()
    except queries.FilterError as exc:
        return _filter_error(exc)
    reports = list(qs.select_related("premises")[offset : offset + limit])
    _audit_list(
        user,
        "intake.accommodationreport",
        "api report list",
        {**values, "limit": limit, "offset": offset},
        [r.pk for r in reports],
    )
    return Status(200, {"count": count, "items": [_accommodation(request, r) for r in reports]})


@accommodation_router.get(
    "/{report_id}", response=AccommodationReportOut, auth=ANY, summary="One guest report"
)
def get_accommodation_report(request, report_id: int):
    report = queries.accommodation_report_for(request.user, report_id)
    record(AuditAction.VIEW, actor=request.user, obj=report, fields={"api": "detail"})
    return _accommodation(request, report)


@accommodation_router.post(
    "/{report_id}/check-out",
    response={200: AccommodationReportOut, 422: ErrorOut},
    auth=LODGING,
    summary="Record a guest's check-out",
)
def check_out(request, report_id: int, payload: CheckOutIn):
    report = queries.own_accommodation_report(request.user, report_id)
    when: datetime = payload.check_out or timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when)  # the current time zone: WIB
    actions.check_out(report, when, actor=request.user)
    return _accommodation(request, report)


@accommodation_router.get(
    "/{report_id}/receipt.pdf",
    auth=ANY,
    url_name="accommodation_receipt",
    summary="The report's receipt (tanda terima) as PDF",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def receipt(request, report_id: int):
    report = queries.accommodation_report_for(request.user, report_id)
    pdf = receipts.render_pdf(
        report,
        passport=receipts.passport_shown(request.user, report),
        verify_address=receipts.verify_url(request),
    )
    record(AuditAction.VIEW, actor=request.user, obj=report, fields={"receipt": "pdf"})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="tanda-terima-{report.verification_code}.pdf"'
    )
    return response


# ------------------------------------------------------------------- employer reports


@employer_router.post(
    "",
    response={201: EmployerReportOut, 422: ErrorOut},
    auth=COMPANY,
    summary="File an employer report",
)
def file_employer_report(request, payload: EmployerReportIn):  # type: ignore[valid-type]
    premises = queries.premises_of(request.user, queries.COMPANY)
    report = actions.file_employer_report(
        premises, payload.model_dump(), actor=request.user, channel=ReportChannel.API
    )
    return Status(201, _employer(request, report))


@employer_router.get(
    "",
    response={200: EmployerListOut, 422: ErrorOut},
    auth=ANY,
    summary="List employer reports",
)
def list_employer_reports(request, params: Query[EmployerQuery]):
    """The caller's own company's reports (reporters) or those whose work location is in
    the caller's region scope (team members), newest event first."""
    user = request.user
    values = params.model_dump()
    limit, offset = values.pop("limit"), values.pop("offset")
    flt = queries.ReportFilter(**values)
    try:
        qs = queries.filter_employer(queries.employer_reports_for(user), flt)
        count = qs.count()
    except queries.FilterError as exc:
        return _filter_error(exc)
    reports = list(qs.select_related("premises")[offset : offset + limit])
    _audit_list(
        user,
        "intake.employerreport",
        "api employer report list",
        {**values, "limit": limit, "offset": offset},
        [r.pk for r in reports],
    )
    return Status(200, {"count": count, "items": [_employer(request, r) for r in reports]})


# ------------------------------------------------------------------------------ imports


@imports_router.get("/{import_id}", response=ImportOut, auth=ANY, summary="An import's progress")
def get_import(request, import_id: int):
    """Progress and counts of a file import (the uploader's premises, or office staff with
    ``report.import`` in scope)."""
    batch = queries.batch_for(request.user, import_id)
    out = queries.batch_summary(batch)
    if out["errors"]:
        out["errors"] = request.build_absolute_uri(out["errors"])
    return out
