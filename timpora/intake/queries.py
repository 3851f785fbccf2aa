"""Scoped reads of intake. Every list, page, receipt, export and API call starts here.

Two kinds of readers, never both in one role:
- reporters (``report.file``) see only the reports of their own premises, found through
  their agency (one agency per premises);
- team members (``report.view``) see the reports whose area columns fall inside their region
  scope; office-wide users have the office's working area as scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from timpora.accounts.access import can, require, scope_of
from timpora.areas.choices import AreaLevel
from timpora.areas.models import Area, area_columns_q, within_q
from timpora.intake.choices import (
    EmploymentEvent,
    ImportKind,
    ImportStatus,
    PremisesKind,
    PremisesStatus,
)
from timpora.intake.models import (
    AccommodationReport,
    EmployerReport,
    FieldFinding,
    ImportBatch,
    Premises,
    PublicTip,
)
from timpora.lib.nationality import UnknownNationality, normalize_nationality

LODGING = "lodging"
COMPANY = "company"


class FilterError(ValueError):
    """A filter value that cannot be understood; ``field`` names the parameter."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# ----------------------------------------------------------------------------- premises


def is_reporter(user) -> bool:
    return can(user, "report.file")


def premises_of(user, kind: str | None = None) -> Premises:
    """The reporter's own, approved premises (``PermissionDenied`` otherwise).

    ``kind`` narrows to lodging (guest reports) or company (employer reports): a hotel has
    no workers page and a company no guest book.
    """
    require(user, "report.file")
    premises = (
        Premises.objects.filter(agency_id=user.agency_id, status=PremisesStatus.APPROVED).first()
        if user.agency_id
        else None
    )
    if premises is None:
        raise PermissionDenied("no approved premises for this reporter")
    if kind == LODGING and premises.kind == PremisesKind.COMPANY:
        raise PermissionDenied("a company files employer reports")
    if kind == COMPANY and premises.kind != PremisesKind.COMPANY:
        raise PermissionDenied("only companies file employer reports")
    return premises


def own_premises(user) -> Premises | None:
    """The reporter's premises, or None (for menus: never raises)."""
    try:
        return premises_of(user)
    except PermissionDenied:
        return None


def premises_for_approval(user) -> QuerySet[Premises]:
    """Registrations an approver may see and decide: premises inside the approver's scope."""
    require(user, "premises.approve")
    return Premises.objects.filter(area_columns_q(scope_of(user).prefixes))


def premises_for_decision(user, pk: int) -> Premises:
    premises = premises_for_approval(user).filter(pk=pk).first()
    if premises is None:
        raise Http404("premises")
    return premises


def premises_reporters(premises: Premises) -> QuerySet:
    """The reporter accounts of a premises (shown to its approvers)."""
    from timpora.accounts.models import User

    return User.objects.filter(agency_id=premises.agency_id).order_by("username")


def premises_in_scope(user) -> QuerySet[Premises]:
    """Approved premises whose reports a team member sees (the office filter's choices)."""
    require(user, "report.view")
    return Premises.objects.filter(
        area_columns_q(scope_of(user).prefixes), status=PremisesStatus.APPROVED
    )


def registration_villages() -> list[tuple[str, list[tuple[str, str]]]]:
    """Kelurahan/desa of the office's working area grouped by kecamatan, for the public
    registration page: ``[("Kasemen · KOTA SERANG", [(code, name), ...]), ...]``."""
    groups: dict[str, list[tuple[str, str]]] = {}
    labels: dict[str, str] = {}
    for village in tip_areas().select_related("parent__parent"):
        kecamatan = village.parent
        key = kecamatan.code if kecamatan else ""
        if key not in labels:
            city = kecamatan.parent.name if kecamatan and kecamatan.parent_id else ""
            labels[key] = " · ".join(n for n in (kecamatan.name if kecamatan else "", city) if n)
        groups.setdefault(key, []).append((village.code, village.name))
    return [(labels[key], groups[key]) for key in sorted(groups)]


# ------------------------------------------------------------------------------ reports


def accommodation_reports_for(user) -> QuerySet[AccommodationReport]:
    """Reports the user may read: the own premises' (reporters) or those in scope."""
    if is_reporter(user):
        return AccommodationReport.objects.filter(premises=premises_of(user, LODGING))
    require(user, "report.view")
    return AccommodationReport.objects.filter(area_columns_q(scope_of(user).prefixes))


def accommodation_report_for(user, pk: int) -> AccommodationReport:
    """One readable report; 404 for one outside the user's premises or scope (as for a
    report that does not exist, so a refusal says nothing about other premises)."""
    report = accommodation_reports_for(user).select_related("premises").filter(pk=pk).first()
    if report is None:
        raise Http404("report")
    return report


def own_accommodation_report(user, pk: int) -> AccommodationReport:
    """A report of the reporter's own premises, for changes (check-out)."""
    report = (
        AccommodationReport.objects.select_related("premises")
        .filter(premises=premises_of(user, LODGING), pk=pk)
        .first()
    )
    if report is None:
        raise Http404("report")
    return report


def employer_reports_for(user) -> QuerySet[EmployerReport]:
    if is_reporter(user):
        return EmployerReport.objects.filter(premises=premises_of(user, COMPANY))
    require(user, "report.view")
    return EmployerReport.objects.filter(area_columns_q(scope_of(user).prefixes))


@dataclass
class ReportFilter:
    """The filters of the report lists, exports and API, in one shape.

    Dates are calendar days in WIB (of check-in, or of the employment event).
    """

    date_from: date | None = None
    date_to: date | None = None
    staying: bool = False
    late: bool = False
    nationality: str = ""
    premises: int | None = None
    event: str = ""


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _nationality(value: str) -> str:
    try:
        return normalize_nationality(value)
    except UnknownNationality as exc:
        raise FilterError("nationality", str(exc)) from exc


def filter_accommodation(
    qs: QuerySet[AccommodationReport], flt: ReportFilter
) -> QuerySet[AccommodationReport]:
    """Apply the filter; newest check-in first (``FilterError`` on bad values)."""
    if flt.date_from:
        qs = qs.filter(check_in__gte=_day_start(flt.date_from))
    if flt.date_to:
        qs = qs.filter(check_in__lt=_day_start(flt.date_to + timedelta(days=1)))
    if flt.staying:
        qs = qs.filter(check_out__isnull=True)
    if flt.late:
        qs = qs.filter(is_late=True)
    if flt.nationality:
        qs = qs.filter(nationality=_nationality(flt.nationality))
    if flt.premises:
        qs = qs.filter(premises_id=flt.premises)
    return qs.order_by("-check_in", "-id")


def filter_employer(qs: QuerySet[EmployerReport], flt: ReportFilter) -> QuerySet[EmployerReport]:
    if flt.date_from:
        qs = qs.filter(event_date__gte=flt.date_from)
    if flt.date_to:
        qs = qs.filter(event_date__lte=flt.date_to)
    if flt.nationality:
        qs = qs.filter(nationality=_nationality(flt.nationality))
    if flt.premises:
        qs = qs.filter(premises_id=flt.premises)
    if flt.event:
        if flt.event not in EmploymentEvent.values:
            raise FilterError("event", "use start, confirm, change, transfer or end")
        qs = qs.filter(event=flt.event)
    return qs.order_by("-event_date", "-id")


def current_workers(premises: Premises) -> QuerySet[EmployerReport]:
    """Each worker's latest report (one row per passport) unless that report ended the work.

    "Latest" is the latest event date, then the latest report of that day.
    """
    later = EmployerReport.objects.filter(
        premises=premises,
        nationality=OuterRef("nationality"),
        passport_number=OuterRef("passport_number"),
    ).filter(
        Q(event_date__gt=OuterRef("event_date"))
        | Q(event_date=OuterRef("event_date"), id__gt=OuterRef("id"))
    )
    return (
        EmployerReport.objects.filter(premises=premises)
        .filter(~Exists(later))
        .exclude(event=EmploymentEvent.END)
        .order_by("full_name", "id")
    )


def worker_report(premises: Premises, pk: int) -> EmployerReport:
    report = EmployerReport.objects.filter(premises=premises, pk=pk).first()
    if report is None:
        raise Http404("worker")
    return report


# ------------------------------------------------------------------------------ imports


def may_import(user) -> bool:
    """Reporters import for their own premises; office staff office-wide files."""
    return can(user, "report.import") or (is_reporter(user) and own_premises(user) is not None)


def import_kinds(user) -> list[str]:
    """The kinds of file the user may import."""
    if can(user, "report.import"):
        return list(ImportKind.values)
    premises = premises_of(user)
    return [
        ImportKind.EMPLOYER if premises.kind == PremisesKind.COMPANY else ImportKind.ACCOMMODATION
    ]


def batches_for(user) -> QuerySet[ImportBatch]:
    """Imports the user may follow and whose error file they may download.

    A reporter sees its own premises' imports; office staff with ``report.import`` see the
    imports of premises in their scope and, when office-wide, the office-wide files too
    (those name premises everywhere). Any user sees the files uploaded by their own agency.
    """
    if is_reporter(user):
        premises = premises_of(user)
        return ImportBatch.objects.filter(premises=premises)
    require(user, "report.import")
    in_scope = Q(premises__in=Premises.objects.filter(area_columns_q(scope_of(user).prefixes)))
    if user.scope_area_id is None:
        in_scope |= Q(premises__isnull=True)
    if user.agency_id:
        in_scope |= Q(created_by__agency_id=user.agency_id)
    return ImportBatch.objects.filter(in_scope)


def batch_for(user, pk: int) -> ImportBatch:
    batch = batches_for(user).select_related("premises").filter(pk=pk).first()
    if batch is None:
        raise Http404("import")
    return batch


def batch_summary(batch: ImportBatch) -> dict[str, Any]:
    """An import's progress and result for people and programs: the error file as a URL,
    never as a server path."""
    done = batch.status == ImportStatus.DONE
    return {
        "id": batch.pk,
        "kind": batch.kind,
        "file": batch.file_name,
        "status": batch.status,
        "message": batch.message,
        "total_rows": batch.total_rows,
        "processed_rows": batch.processed_rows,
        "percent": batch.percent,
        "rows": batch.imported + batch.duplicates + batch.rejected,
        "imported": batch.imported,
        "duplicates": batch.duplicates,
        "rejected": batch.rejected,
        "errors": reverse("intake:import_errors", args=[batch.pk]) if done else None,
        "created_at": batch.created_at,
        "finished_at": batch.finished_at,
    }


# ------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class Verification:
    """What the public verification page may show about a receipt: nothing personal."""

    premises_name: str
    check_in: datetime
    reported_at: datetime
    is_late: bool


def verification(code: str) -> Verification | None:
    """The public facts of the receipt with this code, or None for an unknown code."""
    code = "".join(code.split()).upper()
    if not code or len(code) > 16:
        return None
    row = (
        AccommodationReport.objects.filter(verification_code=code)
        .values("premises__name", "check_in", "reported_at", "is_late")
        .first()
    )
    if row is None:
        return None
    return Verification(
        premises_name=row["premises__name"],
        check_in=row["check_in"],
        reported_at=row["reported_at"],
        is_late=row["is_late"],
    )


# ---------------------------------------------------------- field findings and public tips
# The field findings / public tips part of intake keeps its scoped reads below.


def tip_areas() -> QuerySet[Area]:
    """Kelurahan/desa of the office's working area (kecamatan as ``parent``), by code: the
    places a public tip or a premises registration may name."""
    return (
        Area.objects.filter(
            within_q("code", tuple(settings.TIMPORA_WORKING_AREA)),
            level__in=(AreaLevel.KELURAHAN, AreaLevel.DESA),
        )
        .select_related("parent")
        .order_by("code")
    )


def findings_for(user) -> QuerySet[FieldFinding]:
    """Findings the user may read: their own (``finding.create``), and with ``report.view``
    every finding in their region scope (the area columns of the finding's place)."""
    mine = Q(officer_id=user.pk) if can(user, "finding.create") else Q(pk__in=[])
    if can(user, "report.view"):
        visible = mine | area_columns_q(scope_of(user).prefixes)
    elif can(user, "finding.create"):
        visible = mine
    else:
        raise PermissionDenied("report.view")
    return FieldFinding.objects.filter(visible).select_related("officer", "person")


def finding_for(user, pk: int) -> FieldFinding:
    """One finding the user may read; 404 outside it (as for one that does not exist)."""
    finding = findings_for(user).filter(pk=pk).first()
    if finding is None:
        raise Http404("finding")
    return finding


def area_names(codes: set[str]) -> dict[str, str]:
    """Area code → name, for showing the kelurahan of a page of rows in one query."""
    return dict(Area.objects.filter(code__in=codes).values_list("code", "name"))


def tips_for(user) -> QuerySet[PublicTip]:
    """Tips in the user's region scope (``tip.view``)."""
    require(user, "tip.view")
    return PublicTip.objects.filter(area_columns_q(scope_of(user).prefixes))


def tip_for(user, pk: int) -> PublicTip:
    tip = tips_for(user).filter(pk=pk).first()
    if tip is None:
        raise Http404("tip")
    return tip


def tip_by_tracking_code(code: str) -> PublicTip | None:
    """The tip with this tracking code, for the public status page (no user, no scope: the
    code is the tipster's only key, and the page shows nothing but status and note)."""
    code = "".join(code.split()).upper()
    if not code or len(code) > 12:
        return None
    return PublicTip.objects.filter(tracking_code=code).first()
