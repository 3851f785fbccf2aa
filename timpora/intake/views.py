"""Intake web pages: premises registration and approval, guest and employer reports,
receipts and their public verification, exports and file imports.

Views parse and call: reads through ``queries`` (a reporter's own premises, a team
member's region scope), writes through ``actions``. Every page, receipt or export that
shows guests or workers writes an audit record naming the reports shown (UU 27/2022).
Field findings and public tips are in ``views_fieldwork.py``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from functools import wraps
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from timpora.accounts.access import can, permission_required
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.core.net import client_ip
from timpora.intake import actions, importer, queries, receipts, tasks
from timpora.intake.choices import ImportKind, ImportStatus, PremisesStatus
from timpora.intake.forms import (
    IDENTITY_FIELDS,
    PERMIT_FIELDS,
    STAY_FIELDS,
    AccommodationReportForm,
    CheckOutForm,
    EmployerReportForm,
    ImportForm,
    OfficeFilterForm,
    PremisesDecisionForm,
    PremisesRegistrationForm,
    ReporterFilterForm,
    VerifyForm,
    apply_report_errors,
    fill_from_mrz,
    show_only_errors,
)
from timpora.intake.models import AccommodationReport, EmployerReport, ImportBatch
from timpora.intake.pipeline import ACCOMMODATION_COLUMNS, EMPLOYER_COLUMNS
from timpora.lib.exports import to_csv, to_xlsx
from timpora.lib.nationality import UnknownNationality, nationality_choices, nationality_name
from timpora.registry import masking
from timpora.registry.queries import area_names
from timpora.registry.views import CappedPaginator

PAGE_SIZE = 50
WORKER_FIELDS = [
    "surname",
    "given_names",
    "full_name",
    "sex",
    "date_of_birth",
    "nationality",
    "passport_number",
]
JOB_FIELDS = [
    "permit_category",
    "permit_index",
    "permit_number",
    "permit_valid_until",
    "position",
    "work_area_code",
    "work_plan_reference",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Registrations one client may send per hour (the public form creates accounts).
REGISTRATIONS_PER_HOUR = 10


# ------------------------------------------------------------------------------ helpers


def _importer_required(view):
    """A reporter with approved premises, or office staff with ``report.import``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not queries.may_import(request.user):
            raise PermissionDenied("report.import")
        return view(request, *args, **kwargs)

    wrapper.required_permission = "report.import"  # type: ignore[attr-defined]
    return wrapper


def _reader_required(view):
    """Reporters (their own reports) or team members with ``report.view`` (their scope)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (can(request.user, "report.file") or can(request.user, "report.view")):
            raise PermissionDenied("report.view")
        return view(request, *args, **kwargs)

    wrapper.required_permission = "report.view"  # type: ignore[attr-defined]
    return wrapper


def _user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")


def _nationality_label(code: str) -> str:
    try:
        return nationality_name(code)
    except UnknownNationality:
        return code


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _filter_fields(flt: queries.ReportFilter) -> dict[str, Any]:
    return {k: v for k, v in asdict(flt).items() if v not in ("", None, False)}


def _audit_read(request, object_type: str, where: str, ids: list[int], **fields: Any) -> None:
    """One VIEW record naming the reports a page showed (nothing shown, nothing recorded)."""
    if ids:
        record(
            AuditAction.VIEW,
            actor=request.user,
            object_type=object_type,
            object_repr=where,
            fields={**fields, "ids": ids},
        )


def _accommodation_rows(user, reports: Iterable[AccommodationReport]) -> list[dict[str, Any]]:
    reports = list(reports)
    names = area_names(r.kelurahan_code for r in reports)
    return [
        {
            "report": r,
            "passport": receipts.passport_shown(user, r),
            "nationality_name": _nationality_label(r.nationality),
            "area_name": names.get(r.kelurahan_code, ""),
        }
        for r in reports
    ]


def _employer_rows(user, reports: Iterable[EmployerReport]) -> list[dict[str, Any]]:
    reports = list(reports)
    names = area_names(r.kelurahan_code or r.kecamatan_code for r in reports)
    return [
        {
            "report": r,
            "passport": _passport_for(user, r.passport_number),
            "nationality_name": _nationality_label(r.nationality),
            "area_name": names.get(r.kelurahan_code or r.kecamatan_code, ""),
        }
        for r in reports
    ]


def _passport_for(user, number: str) -> str:
    if queries.is_reporter(user):
        return number
    policy = masking.identifier_policy(user)
    if policy == masking.CLEAR:
        return number
    return masking.mask_number(number) if policy == masking.MASKED else ""


# ------------------------------------------------------------------------- registration


@never_cache
def premises_register(request):
    """Public self-registration: the premises and an inactive reporter account that the
    immigration office activates on approval."""
    form = PremisesRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hits = receipts.count_client_hit("register", client_ip(request), _user_agent(request))
        if hits > REGISTRATIONS_PER_HOUR:
            return render(request, "intake/busy.html", status=429)
        data = form.cleaned_data
        try:
            actions.register_premises(
                kind=data["kind"],
                name=data["name"],
                licence_number=data["licence_number"],
                address=data["address"],
                area_code=data["area_code"],
                person_in_charge=data["person_in_charge"],
                phone=data.get("phone") or "",
                email=data.get("email") or "",
                username=data["username"],
                password=data["password"],
            )
        except ValidationError as exc:
            apply_report_errors(form, exc)
        else:
            return redirect("intake:premises_registered")
    return render(request, "intake/register.html", {"form": form})


def premises_registered(request):
    return render(request, "intake/register_done.html")


@permission_required("premises.approve")
def premises_list(request):
    status = request.GET.get("status", PremisesStatus.PENDING)
    if status not in PremisesStatus.values:
        status = PremisesStatus.PENDING
    premises = (
        queries.premises_for_approval(request.user).filter(status=status).order_by("created_at")
    )
    page = Paginator(premises, PAGE_SIZE).get_page(request.GET.get("page"))
    names = area_names(p.kelurahan_code for p in page.object_list)
    return render(
        request,
        "intake/premises_list.html",
        {
            "page": page,
            "rows": [(p, names.get(p.kelurahan_code, "")) for p in page.object_list],
            "status": status,
            "statuses": PremisesStatus.choices,
            "query": _query_without(request, "page"),
        },
    )


@permission_required("premises.approve")
def premises_detail(request, pk: int):
    premises = queries.premises_for_decision(request.user, pk)
    form = PremisesDecisionForm(request.POST or None)
    if request.method == "POST":
        if premises.status != PremisesStatus.PENDING:
            messages.error(request, _("This registration was decided already."))
            return redirect("intake:premises_detail", pk=premises.pk)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            actions.decide_premises(
                premises, approve=approve, actor=request.user, note=form.cleaned_data["note"]
            )
            message = (
                _("%(name)s is approved: its reporters can log in now.")
                if approve
                else _("The registration of %(name)s is rejected.")
            )
            messages.success(request, message % {"name": premises.name})
            return redirect("intake:premises_list")
    reporters = queries.premises_reporters(premises)
    return render(
        request,
        "intake/premises_detail.html",
        {
            "premises": premises,
            "form": form,
            "reporters": reporters,
            "area_name": area_names([premises.kelurahan_code, premises.kecamatan_code]),
        },
    )


# ------------------------------------------------------------------ accommodation reports


def _report_form_context(form: AccommodationReportForm, premises, **extra) -> dict[str, Any]:
    return {
        "form": form,
        "premises": premises,
        "identity_fields": form.bound(IDENTITY_FIELDS),
        "permit_fields": form.bound(PERMIT_FIELDS),
        "stay_fields": form.bound(STAY_FIELDS),
        "nationalities": nationality_choices(),
        **extra,
    }


@permission_required("report.file")
def report_list(request):
    premises = queries.premises_of(request.user, queries.LODGING)
    form = ReporterFilterForm(request.GET or None)
    qs = queries.accommodation_reports_for(request.user)
    flt = queries.ReportFilter()
    if form.is_bound and form.is_valid():
        flt = form.to_filter()
    qs = queries.filter_accommodation(qs, flt)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _accommodation_rows(request.user, page.object_list)
    _audit_read(
        request,
        "intake.accommodationreport",
        "reporter report list",
        [row["report"].pk for row in rows],
        filter=_filter_fields(flt),
        page=page.number,
    )
    return render(
        request,
        "intake/report_list.html",
        {
            "premises": premises,
            "form": form,
            "page": page,
            "rows": rows,
            "query": _query_without(request, "page"),
            "late_hours": settings.TIMPORA_REPORT_LATE_HOURS,
        },
    )


@permission_required("report.file")
def report_create(request):
    premises = queries.premises_of(request.user, queries.LODGING)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    form = AccommodationReportForm(initial={"check_in": now})
    if request.method == "POST":
        if request.POST.get("read_mrz"):
            # The "Read the MRZ" button without JavaScript: fill and show, do not save.
            mrz = fill_from_mrz(request.POST)
            form = show_only_errors(AccommodationReportForm(mrz.data), mrz.errors)
            form.mrz_filled = mrz.filled
            return render(request, "intake/report_form.html", _report_form_context(form, premises))
        # Fields left empty are filled from a pasted MRZ before saving, like the button does.
        mrz = fill_from_mrz(request.POST, require=False)
        form = AccommodationReportForm(mrz.data)
        if mrz.errors:
            show_only_errors(form, mrz.errors)
        elif form.is_valid():
            try:
                report = actions.file_accommodation_report(
                    premises, form.values(), actor=request.user
                )
            except ValidationError as exc:
                apply_report_errors(form, exc)
            else:
                if report.is_late:
                    messages.warning(
                        request,
                        _(
                            "The report is filed, but late: more than %(hours)s hours after "
                            "check-in."
                        )
                        % {"hours": settings.TIMPORA_REPORT_LATE_HOURS},
                    )
                else:
                    messages.success(request, _("The report is filed."))
                return redirect("intake:report_detail", pk=report.pk)
    return render(request, "intake/report_form.html", _report_form_context(form, premises))


@permission_required("report.file")
@require_POST
def report_mrz(request):
    """htmx: the report form's fields, filled from the pasted MRZ or showing its errors."""
    premises = queries.premises_of(request.user, queries.LODGING)
    mrz = fill_from_mrz(request.POST)
    form = show_only_errors(AccommodationReportForm(mrz.data), mrz.errors)
    form.mrz_filled = mrz.filled
    return render(
        request, "intake/includes/report_form_body.html", _report_form_context(form, premises)
    )


@_reader_required
def report_detail(request, pk: int):
    report = queries.accommodation_report_for(request.user, pk)
    own = queries.is_reporter(request.user)
    record(AuditAction.VIEW, actor=request.user, obj=report, fields={"page": "report detail"})
    policy = masking.identifier_policy(request.user)
    birth = report.birth_date
    return render(
        request,
        "intake/report_detail.html",
        {
            "report": report,
            "own": own,
            "passport": receipts.passport_shown(request.user, report),
            "birth_shown": (
                (birth.isoformat() if own or policy == masking.CLEAR else str(birth.year))
                if birth
                else ""
            ),
            "nationality_name": _nationality_label(report.nationality),
            "area_name": area_names([report.kelurahan_code]).get(report.kelurahan_code, ""),
            "check_out_form": CheckOutForm(
                initial={"check_out": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
            )
            if own and report.check_out is None
            else None,
            "person_link": report.person_id and can(request.user, "person.view"),
        },
    )


@permission_required("report.file")
def report_check_out(request, pk: int):
    report = queries.own_accommodation_report(request.user, pk)
    form = CheckOutForm(
        request.POST or None,
        initial={"check_out": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_out(report, form.cleaned_data["check_out"], actor=request.user)
        except ValidationError as exc:
            apply_report_errors(form, exc)
        else:
            messages.success(request, _("The check-out is recorded."))
            return redirect("intake:report_detail", pk=report.pk)
    return render(request, "intake/check_out.html", {"report": report, "form": form})


@_reader_required
def report_receipt(request, pk: int):
    report = queries.accommodation_report_for(request.user, pk)
    passport = receipts.passport_shown(request.user, report)
    pdf = receipts.render_pdf(
        report, passport=passport, verify_address=receipts.verify_url(request)
    )
    record(AuditAction.VIEW, actor=request.user, obj=report, fields={"receipt": "pdf"})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="tanda-terima-{report.verification_code}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------- public verification


@never_cache
def verify(request):
    """Anyone checks a receipt's code: valid or unknown, the premises, check-in day, when
    it was filed and whether on time. Never the guest's name, nationality or passport."""
    form = VerifyForm(request.GET or None)
    result, checked = None, False
    if form.is_bound and form.is_valid():
        try:
            result = receipts.verify(
                form.cleaned_data["code"], ip=client_ip(request), user_agent=_user_agent(request)
            )
        except receipts.TooManyLookups:
            return render(request, "intake/busy.html", status=429)
        checked = True
    return render(
        request,
        "intake/verify.html",
        {
            "form": form,
            "result": result,
            "checked": checked,
            "late_hours": settings.TIMPORA_REPORT_LATE_HOURS,
        },
    )


# ------------------------------------------------------------------------ employer reports


@permission_required("report.file")
def worker_list(request):
    premises = queries.premises_of(request.user, queries.COMPANY)
    workers = _employer_rows(request.user, queries.current_workers(premises))
    history = queries.employer_reports_for(request.user).order_by("-event_date", "-id")
    page = Paginator(history, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _employer_rows(request.user, page.object_list)
    _audit_read(
        request,
        "intake.employerreport",
        "company worker list",
        sorted({row["report"].pk for row in workers + rows}),
        page=page.number,
    )
    return render(
        request,
        "intake/worker_list.html",
        {"premises": premises, "workers": workers, "page": page, "rows": rows, "query": ""},
    )


@permission_required("report.file")
def employer_report_create(request):
    premises = queries.premises_of(request.user, queries.COMPANY)
    initial: dict[str, str] = {"event_date": timezone.localdate().isoformat()}
    worker = None
    if request.GET.get("worker"):
        try:
            worker = queries.worker_report(premises, int(request.GET["worker"]))
        except ValueError:
            raise Http404("worker") from None
        initial = EmployerReportForm.initial_for(worker)
        record(AuditAction.VIEW, actor=request.user, obj=worker, fields={"form": "next event"})
    if request.GET.get("event"):
        initial["event"] = request.GET["event"]
    form = EmployerReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.file_employer_report(premises, form.values(), actor=request.user)
        except ValidationError as exc:
            apply_report_errors(form, exc)
        else:
            messages.success(request, _("The employer report is filed."))
            return redirect("intake:worker_list")
    return render(
        request,
        "intake/employer_report_form.html",
        {
            "form": form,
            "premises": premises,
            "worker": worker,
            "worker_fields": form.bound(WORKER_FIELDS),
            "job_fields": form.bound(JOB_FIELDS),
            "nationalities": nationality_choices(),
        },
    )


# ------------------------------------------------------------------------- office lists


def _office_filter(request, kind: str) -> tuple[OfficeFilterForm, queries.ReportFilter | None]:
    form = OfficeFilterForm(request.GET, user=request.user, kind=kind)
    if not form.is_valid():
        return form, None
    return form, form.to_filter()


def _office_list(request, kind: str):
    """The office's list of one kind of report: filtered, paged, masked, and audited."""
    accommodation = kind == ImportKind.ACCOMMODATION
    form, flt = _office_filter(request, kind)
    page, rows = None, []
    if flt is not None:
        if accommodation:
            qs = queries.filter_accommodation(queries.accommodation_reports_for(request.user), flt)
        else:
            qs = queries.filter_employer(queries.employer_reports_for(request.user), flt)
        page = CappedPaginator(qs.select_related("premises"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        to_rows = _accommodation_rows if accommodation else _employer_rows
        rows = to_rows(request.user, page.object_list)
        _audit_read(
            request,
            "intake.accommodationreport" if accommodation else "intake.employerreport",
            "office report list" if accommodation else "office employer report list",
            [row["report"].pk for row in rows],
            filter=_filter_fields(flt),
            page=page.number,
        )
    return render(
        request,
        "intake/office_report_list.html" if accommodation else "intake/office_employer_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": _query_without(request, "page"),
            "export_query": _query_without(request, "page", "format"),
            "nationalities": nationality_choices(),
        },
    )


@permission_required("report.view")
def office_report_list(request):
    return _office_list(request, ImportKind.ACCOMMODATION)


@permission_required("report.view")
def office_employer_list(request):
    return _office_list(request, ImportKind.EMPLOYER)


EXPORT_HEADER = [
    "id",
    "premises",
    "premises_licence",
    "full_name",
    "surname",
    "given_names",
    "sex",
    "date_of_birth",
    "nationality",
    "passport_number",
    "permit_category",
    "permit_index",
    "permit_valid_until",
    "purpose",
    "room",
    "check_in",
    "check_out",
    "reported_at",
    "late",
    "channel",
    "kecamatan_code",
    "kelurahan_code",
    "kelurahan",
]


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _export_rows(
    qs: QuerySet[AccommodationReport], user, counter: list[int]
) -> Iterator[list[Any]]:
    """Rows in chunks of 2,000 (one area-name query per chunk), never all in memory."""
    clear = masking.identifier_policy(user) == masking.CLEAR
    iterator = qs.select_related("premises").iterator(chunk_size=2000)
    while chunk := list(islice(iterator, 2000)):
        names = area_names(r.kelurahan_code for r in chunk)
        for r in chunk:
            counter[0] += 1
            born = r.birth_date
            yield [
                r.pk,
                r.premises.name,
                r.premises.licence_number,
                r.full_name,
                r.surname,
                r.given_names,
                r.sex,
                (born.isoformat() if clear else str(born.year)) if born else "",
                r.nationality,
                receipts.passport_shown(user, r),
                r.permit_category,
                r.permit_index,
                r.permit_valid_until,
                r.purpose,
                r.room,
                _local(r.check_in),
                _local(r.check_out),
                _local(r.reported_at),
                "yes" if r.is_late else "no",
                r.channel,
                r.kecamatan_code,
                r.kelurahan_code,
                names.get(r.kelurahan_code, ""),
            ]


@permission_required("report.view")
def office_report_export(request):
    """The filtered list as CSV or XLSX; cells that a spreadsheet would run as formulas are
    neutralised by ``timpora.lib.exports``."""
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Unknown export format: use csv or xlsx."))
    back = reverse("intake:office_report_list") + "?" + _query_without(request, "format")
    _form, flt = _office_filter(request, ImportKind.ACCOMMODATION)
    if flt is None:
        messages.error(request, _("The filter has errors: correct them before exporting."))
        return redirect(back)
    qs = queries.filter_accommodation(queries.accommodation_reports_for(request.user), flt)
    limit = settings.TIMPORA_EXPORT_MAX_ROWS
    if qs[: limit + 1].count() > limit:
        messages.error(
            request,
            _("This export would hold more than %(limit)s reports. Narrow the filter first.")
            % {"limit": f"{limit:,}"},
        )
        return redirect(back)
    counter = [0]
    rows = _export_rows(qs, request.user, counter)
    if fmt == "xlsx":
        content, content_type = to_xlsx(EXPORT_HEADER, rows, title="reports"), XLSX
    else:
        content, content_type = to_csv(EXPORT_HEADER, rows), "text/csv; charset=utf-8"
    record(
        AuditAction.EXPORT,
        actor=request.user,
        object_type="intake.accommodationreport",
        object_repr="office report export",
        fields={"filter": _filter_fields(flt), "rows": counter[0], "format": fmt},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="reports-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------ imports


def _template_kinds(user) -> list[tuple[str, str]]:
    labels = dict(ImportKind.choices)
    return [(kind, labels[kind]) for kind in queries.import_kinds(user)]


@_importer_required
def import_list(request):
    batches = queries.batches_for(request.user).select_related("premises", "created_by")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "intake/import_list.html",
        {
            "page": page,
            "template_kinds": _template_kinds(request.user),
            "query": "",
        },
    )


@_importer_required
def import_create(request):
    user = request.user
    kinds = queries.import_kinds(user)
    premises = queries.own_premises(user) if queries.is_reporter(user) else None
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        # The upload goes to private storage first; ``start_import`` keeps its own copy.
        with tempfile.NamedTemporaryFile(
            suffix=suffix, dir=importer.imports_dir(), delete=False
        ) as fh:
            for block in upload.chunks():
                fh.write(block)
            temp = Path(fh.name)
        try:
            batch = tasks.start_import(
                kind=form.cleaned_data["kind"],
                path=temp,
                actor=user,
                premises=premises,
                file_name=Path(upload.name).name,
            )
        finally:
            temp.unlink(missing_ok=True)
        return redirect("intake:import_detail", pk=batch.pk)
    return render(
        request,
        "intake/import_form.html",
        {
            "form": form,
            "premises": premises,
            "template_kinds": _template_kinds(user),
        },
    )


def _progress_context(request, batch: ImportBatch) -> dict[str, Any]:
    finished = batch.status in (ImportStatus.DONE, ImportStatus.FAILED)
    return {
        "batch": batch,
        "finished": finished,
        "done": batch.status == ImportStatus.DONE,
        "phases": [
            (label, batch.timings[phase])
            for phase, label in IMPORT_PHASES
            if finished and phase in batch.timings
        ],
    }


# The import's phases as ``importer.PhaseClock`` names them, in the order they run.
IMPORT_PHASES = [
    ("validate", gettext_lazy("Reading and checking")),
    ("store", gettext_lazy("Storing the reports")),
    ("link", gettext_lazy("Identity matching")),
    ("stays", gettext_lazy("Stays and current areas")),
]


@_importer_required
def import_detail(request, pk: int):
    batch = queries.batch_for(request.user, pk)
    return render(request, "intake/import_detail.html", _progress_context(request, batch))


@_importer_required
def import_progress(request, pk: int):
    """htmx: the progress fragment; it stops polling once the import has finished."""
    batch = queries.batch_for(request.user, pk)
    return render(
        request, "intake/includes/import_progress.html", _progress_context(request, batch)
    )


@_importer_required
def import_errors(request, pk: int):
    """The error file (row, field, reason) of a finished import."""
    batch = queries.batch_for(request.user, pk)
    if batch.status != ImportStatus.DONE:
        raise Http404("the import has not finished")
    path = Path(batch.errors_path) if batch.errors_path else None
    if path is None or not path.exists():
        path = importer.write_error_file(batch)
    record(
        AuditAction.EXPORT,
        actor=request.user,
        obj=batch,
        fields={"errors": batch.rejected},
    )
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"import-{batch.pk}-errors.csv",
        content_type="text/csv; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@_importer_required
def import_summary(request, pk: int):
    batch = queries.batch_for(request.user, pk)
    response = JsonResponse(queries.batch_summary(batch))
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-summary.json"'
    return response


@_importer_required
def import_template(request, kind: str, fmt: str):
    """An empty file to fill in: the header row and one example row from the column spec."""
    if kind not in ImportKind.values or fmt not in ("csv", "xlsx"):
        raise Http404("template")
    spec = ACCOMMODATION_COLUMNS if kind == ImportKind.ACCOMMODATION else EMPLOYER_COLUMNS
    header = [c.name for c in spec]
    example = [[c.example for c in spec]]
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(header, example, title=kind), content_type=XLSX)
    else:
        response = HttpResponse(to_csv(header, example), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.{fmt}"'
    return response
