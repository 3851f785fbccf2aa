"""Routine evaluation (Permenimipas 2/2025 Art. 53(c)): the figures of a period for a region,
and the periodic report built from them (PDF in the official format, XLSX).

Every figure is one grouped SQL query over the source tables (registry, intake, detection,
operations when installed, and this app), restricted to the region's area codes. Nothing is
counted in Python, so a report over a million persons costs a handful of indexed scans.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldError
from django.db.models import Count, Q
from django.http import Http404
from django.utils.safestring import mark_safe

from timpora.accounts.access import require, scope_of
from timpora.areas.models import LEVEL_COLUMNS, Area, area_columns_q, within_q
from timpora.coordination import charts, documents, queries
from timpora.coordination.choices import (
    MONTHS_ID,
    OFFICIAL,
    EvaluationLevel,
    MeetingStatus,
)
from timpora.coordination.models import FollowUp, Meeting, Problem, Team
from timpora.detection.models import Alert
from timpora.intake.models import AccommodationReport, EmployerReport
from timpora.lib.exports import safe_cell
from timpora.lib.nationality import UnknownNationality, nationality_name
from timpora.registry.models import Person
from timpora.registry.status import JAKARTA, today_in_jakarta

log = logging.getLogger(__name__)


# ------------------------------------------------------------------------------ periods


class PeriodError(ValueError):
    """A period that cannot be understood (``2026-13``, ``2026-Q5``, ``yesterday``)."""


@dataclass(frozen=True)
class Period:
    """A reporting period in Asia/Jakarta days; ``end`` is its last day."""

    level: str
    start: date
    end: date
    key: str

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=JAKARTA)

    @property
    def end_before(self) -> datetime:
        """The first moment after the period (timestamps are compared with ``<``)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=JAKARTA)

    @property
    def label(self) -> str:
        """``Bulan November 2026`` / ``Triwulan IV Tahun 2026`` / ``Tahun 2026``."""
        if self.level == EvaluationLevel.MONTHLY:
            return f"Bulan {MONTHS_ID[self.start.month - 1]} {self.start.year}"
        if self.level == EvaluationLevel.QUARTERLY:
            quarter = ("I", "II", "III", "IV")[(self.start.month - 1) // 3]
            return f"Triwulan {quarter} Tahun {self.start.year}"
        return f"Tahun {self.start.year}"

    def previous(self) -> Period:
        return period_containing(self.level, self.start - timedelta(days=1))

    def next(self) -> Period:
        return period_containing(self.level, self.end + timedelta(days=1))


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def period_containing(level: str, day: date) -> Period:
    """The monthly, quarterly or yearly period that contains ``day``."""
    if level == EvaluationLevel.MONTHLY:
        return Period(
            level, date(day.year, day.month, 1), _month_end(day.year, day.month), f"{day:%Y-%m}"
        )
    if level == EvaluationLevel.QUARTERLY:
        quarter = (day.month - 1) // 3 + 1
        first = 3 * quarter - 2
        return Period(
            level,
            date(day.year, first, 1),
            _month_end(day.year, first + 2),
            f"{day.year}-Q{quarter}",
        )
    if level == EvaluationLevel.YEARLY:
        return Period(level, date(day.year, 1, 1), date(day.year, 12, 31), str(day.year))
    raise PeriodError(f"unknown level {level!r}: monthly, quarterly or yearly")


_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|[Qq](?P<quarter>[1-4])))?$")


def parse_period(value: str, level: str = EvaluationLevel.MONTHLY) -> Period:
    """``2026-11`` (monthly; for other levels the period containing that month),
    ``2026-Q4`` (quarterly), ``2026`` (yearly)."""
    match = _PERIOD.match((value or "").strip())
    if not match:
        raise PeriodError(f"not a period: {value!r} (use 2026-11, 2026-Q4 or 2026)")
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise PeriodError(f"year out of range: {year}")
    if match["quarter"]:
        if level == EvaluationLevel.MONTHLY:
            raise PeriodError("a quarter is not a month: use level=quarterly")
        return period_containing(level, date(year, 3 * int(match["quarter"]) - 2, 1))
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(f"month out of range: {month}")
        return period_containing(level, date(year, month, 1))
    if level != EvaluationLevel.YEARLY:
        raise PeriodError(f"{value!r} is a year: use level=yearly, or give the month")
    return period_containing(level, date(year, 1, 1))


# ------------------------------------------------------------------------------- region


@dataclass
class Region:
    """The area a report covers: a user's scope, or one area inside it."""

    prefixes: tuple[str, ...]
    name: str
    area: Area | None
    team: Team | None

    @property
    def group_column(self) -> str:
        """Break-down by area one level below a single area (kota → kecamatan), or at the
        level of the areas themselves when the region is several of them."""
        levels = {len(code.split(".")) for code in self.prefixes}
        level = min(levels) if levels else 2
        if len(self.prefixes) == 1:
            level = min(level + 1, 4)
        return LEVEL_COLUMNS[level]


def region_for(user, area_code: str = "") -> Region:
    """The user's whole scope, or ``area_code`` if it lies inside it (404 otherwise, as for
    an area that does not exist)."""
    require(user, "evaluation.view")
    scope = scope_of(user)
    if area_code:
        area = Area.objects.filter(code=area_code.strip()).first()
        if area is None or not scope.contains(area.code):
            raise Http404("area")
        return Region(
            (area.code,), documents.area_label(area), area, queries.team_for_area(area.code)
        )
    areas = list(Area.objects.filter(code__in=scope.prefixes).order_by("code"))
    if len(areas) == 1:
        area = areas[0]
        return Region(
            (area.code,), documents.area_label(area), area, queries.team_for_area(area.code)
        )
    team = next((t for t in (queries.team_for_area(a.code) for a in areas) if t), None)
    return Region(
        tuple(a.code for a in areas),
        f"Wilayah Kerja {settings.TIMPORA_OFFICE_NAME}",
        None,
        team,
    )


# ------------------------------------------------------------------------------ figures


@dataclass
class Row:
    """One line of a break-down: the stored key, its label in the report, the count(s)."""

    key: str
    label: str
    count: int
    extra: int | None = None


@dataclass
class OperationFigures:
    held: int
    operations: list[dict[str, Any]]
    checks: int
    checks_by_result: list[Row]
    actions: int
    actions_by_type: list[Row]
    actions_by_nationality: list[Row]


@dataclass
class Evaluation:
    """The figures of one period for one region (what the dashboard, the report and the
    API show)."""

    period: Period
    region: Region
    as_of: date
    persons: int
    by_nationality: list[Row]
    by_permit_category: list[Row]
    by_area: list[Row]
    accommodation_reports: int
    accommodation_late: int
    employer_reports: int
    employer_by_event: list[Row]
    alerts: int
    alerts_by_rule: list[Row]
    operations: OperationFigures | None
    meetings_held: int
    problems_opened: int
    problems_closed: int
    problems_open_at_end: int
    problems_by_category: list[Row]
    follow_ups_due: int
    follow_ups_done: int
    overdue: list[FollowUp] = field(default_factory=list)

    @property
    def late_percent(self) -> str:
        if not self.accommodation_reports:
            return "0"
        share = 100 * self.accommodation_late / self.accommodation_reports
        return f"{share:.1f}".replace(".", ",")

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``GET /api/v1/coordination/evaluation``."""

        def rows(items: list[Row], extra: str | None = None) -> list[dict[str, Any]]:
            out = []
            for r in items:
                item: dict[str, Any] = {"key": r.key, "label": r.label, "count": r.count}
                if extra:
                    item[extra] = r.extra
                out.append(item)
            return out

        ops = None
        if self.operations is not None:
            o = self.operations
            ops = {
                "held": o.held,
                "operations": o.operations,
                "checks": o.checks,
                "checks_by_result": rows(o.checks_by_result),
                "actions": o.actions,
                "actions_by_type": rows(o.actions_by_type),
                "actions_by_nationality": rows(o.actions_by_nationality),
            }
        return {
            "period": {
                "level": self.period.level,
                "key": self.period.key,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
                "label": self.period.label,
            },
            "region": {"codes": list(self.region.prefixes), "name": self.region.name},
            "as_of": self.as_of.isoformat(),
            "persons": {
                "total": self.persons,
                "by_nationality": rows(self.by_nationality),
                "by_permit_category": rows(self.by_permit_category),
                "by_area": rows(self.by_area),
            },
            "reports": {
                "accommodation": {
                    "received": self.accommodation_reports,
                    "late": self.accommodation_late,
                },
                "employer": {
                    "received": self.employer_reports,
                    "by_event": rows(self.employer_by_event),
                },
            },
            "alerts": {"raised": self.alerts, "by_rule": rows(self.alerts_by_rule, "open")},
            "operations": ops,
            "meetings": {"held": self.meetings_held},
            "problems": {
                "opened": self.problems_opened,
                "closed": self.problems_closed,
                "open_at_end": self.problems_open_at_end,
                "by_category": rows(self.problems_by_category, "closed"),
            },
            "follow_ups": {
                "due": self.follow_ups_due,
                "done": self.follow_ups_done,
                "overdue": len(self.overdue),
            },
        }


def country_name_id(code: str) -> str:
    """The country's name in Bahasa Indonesia (pycountry's catalogue), for the report."""
    import gettext

    import pycountry

    try:
        english = nationality_name(code)
    except UnknownNationality:
        return code or "Tidak diketahui"
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return english
    try:
        catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"])
    except OSError:
        return english
    return catalogue.gettext(country.name)


def _grouped(qs, column: str) -> list[tuple[str, int]]:
    rows = qs.order_by().values(column).annotate(n=Count("id")).order_by("-n", column)
    return [(row[column] or "", row["n"]) for row in rows]


def _area_names(codes: list[str]) -> dict[str, str]:
    return {
        a.code: documents.area_label(a)
        for a in Area.objects.filter(code__in=[c for c in codes if c]).only("code", "name", "level")
    }


def evaluate(region: Region, period: Period, *, today: date | None = None) -> Evaluation:
    """Compute every figure of the period for the region."""
    today = today or today_in_jakarta()
    as_of = min(period.end, today)
    prefixes = region.prefixes
    start_at, end_before = period.start_at, period.end_before

    # Foreign nationals whose current stay is in the region, registered by the period's end.
    persons = Person.objects.filter(area_columns_q(prefixes), created_at__lt=end_before)
    by_nationality = [
        Row(code, country_name_id(code), n) for code, n in _grouped(persons, "nationality")
    ]
    by_permit = [
        Row(code, OFFICIAL["permit_category"].get(code, code), n)
        for code, n in _grouped(persons, "current_permit_category")
    ]
    area_counts = _grouped(persons, region.group_column)
    names = _area_names([code for code, _ in area_counts])
    by_area = [Row(code, names.get(code, "Wilayah tidak tercatat"), n) for code, n in area_counts]

    accommodation = AccommodationReport.objects.filter(
        area_columns_q(prefixes), check_in__gte=start_at, check_in__lt=end_before
    ).aggregate(total=Count("id"), late=Count("id", filter=Q(is_late=True)))
    employer = EmployerReport.objects.filter(
        area_columns_q(prefixes), event_date__gte=period.start, event_date__lte=period.end
    )
    employer_rows = _grouped(employer, "event")
    from timpora.intake.choices import EmploymentEvent

    event_labels = {
        EmploymentEvent.START: "Mulai bekerja",
        EmploymentEvent.CONFIRM: "Konfirmasi berkala",
        EmploymentEvent.CHANGE: "Perubahan jabatan atau lokasi",
        EmploymentEvent.TRANSFER: "Alih tugas",
        EmploymentEvent.END: "Berhenti bekerja",
    }

    alerts = (
        Alert.objects.filter(
            area_columns_q(prefixes), first_seen__gte=start_at, first_seen__lt=end_before
        )
        .order_by()
        .values("rule")
        .annotate(raised=Count("id"), still_open=Count("id", filter=Q(is_open=True)))
        .order_by("-raised", "rule")
    )
    alerts_by_rule = [
        Row(a["rule"], OFFICIAL["rule"].get(a["rule"], a["rule"]), a["raised"], a["still_open"])
        for a in alerts
    ]

    meetings_held = Meeting.objects.filter(
        within_q("team__area__code", prefixes),
        status=MeetingStatus.HELD,
        starts_at__gte=start_at,
        starts_at__lt=end_before,
    ).count()

    problems = Problem.objects.filter(within_q("area__code", prefixes))
    opened_q = Q(opened_on__gte=period.start, opened_on__lte=period.end)
    closed_q = Q(closed_on__gte=period.start, closed_on__lte=period.end)
    problem_totals = problems.aggregate(
        opened=Count("id", filter=opened_q),
        closed=Count("id", filter=closed_q),
        open_at_end=Count(
            "id",
            filter=Q(opened_on__lte=period.end)
            & (Q(closed_on__isnull=True) | Q(closed_on__gt=period.end)),
        ),
    )
    by_category = (
        problems.filter(opened_q | closed_q)
        .order_by()
        .values("category")
        .annotate(opened=Count("id", filter=opened_q), closed=Count("id", filter=closed_q))
        .order_by("-opened", "category")
    )
    problems_by_category = [
        Row(
            c["category"],
            OFFICIAL["problem_category"].get(c["category"], c["category"]),
            c["opened"],
            c["closed"],
        )
        for c in by_category
    ]

    follow_ups = FollowUp.objects.filter(within_q("problem__area__code", prefixes))
    follow_totals = follow_ups.aggregate(
        due=Count("id", filter=Q(due_date__gte=period.start, due_date__lte=period.end)),
        done=Count("id", filter=Q(done_on__gte=period.start, done_on__lte=period.end)),
    )
    overdue = list(
        follow_ups.filter(Q(due_date__lt=as_of) & (Q(done_on__isnull=True) | Q(done_on__gt=as_of)))
        .select_related("problem", "owner_agency", "owner_user")
        .order_by("due_date", "id")
    )

    return Evaluation(
        period=period,
        region=region,
        as_of=as_of,
        persons=persons.count(),
        by_nationality=by_nationality,
        by_permit_category=by_permit,
        by_area=by_area,
        accommodation_reports=accommodation["total"],
        accommodation_late=accommodation["late"],
        employer_reports=sum(n for _, n in employer_rows),
        employer_by_event=[Row(e, event_labels.get(e, e), n) for e, n in employer_rows],
        alerts=sum(r.count for r in alerts_by_rule),
        alerts_by_rule=alerts_by_rule,
        operations=_operation_figures(prefixes, period),
        meetings_held=meetings_held,
        problems_opened=problem_totals["opened"],
        problems_closed=problem_totals["closed"],
        problems_open_at_end=problem_totals["open_at_end"],
        problems_by_category=problems_by_category,
        follow_ups_due=follow_totals["due"],
        follow_ups_done=follow_totals["done"],
        overdue=overdue,
    )


# Administrative immigration actions (UU 6/2011 Art. 75(2) a–f; detention Art. 83) as the
# law words them.
ACTION_LABELS_ID = {
    "ban_list": "Pencantuman dalam daftar Pencegahan atau Penangkalan",
    "permit": "Pembatasan, perubahan, atau pembatalan Izin Tinggal",
    "place_ban": "Larangan berada di satu atau beberapa tempat tertentu",
    "place_obligation": "Keharusan bertempat tinggal di suatu tempat tertentu",
    "fee": "Pengenaan biaya beban",
    "deportation": "Deportasi",
    "detention": "Pendetensian",
}
CHECK_RESULT_LABELS_ID = {
    "compliant": "Sesuai ketentuan",
    "violation": "Ditemukan pelanggaran",
    "not_found": "Orang asing tidak ditemukan",
}


def _operation_figures(prefixes: tuple[str, ...], period: Period) -> OperationFigures | None:
    """Operations held, persons checked and administrative actions, from
    ``timpora.operations`` when it is installed (None otherwise: unknown, not zero)."""
    model = queries.operations_model()
    if model is None:
        return None
    from django.apps import apps

    try:
        start, end = queries.operation_dates(model)
        operations = (
            model.objects.filter(
                within_q("target_areas__code", prefixes),
                **{f"{start}__lte": period.end},
            )
            .filter(Q(**{f"{end}__gte": period.start}) if end else Q())
            .distinct()
            .order_by(start, "pk")
        )
        listed = [
            {
                "id": op.pk,
                "name": op.name,
                "start": getattr(op, start).isoformat(),
                "end": getattr(op, end).isoformat() if end and getattr(op, end) else None,
                "status": getattr(op, "status", ""),
            }
            for op in operations
        ]
        check_model = apps.get_model("operations", "FieldCheck")
        checks = check_model.objects.filter(
            area_columns_q(prefixes),
            checked_at__gte=period.start_at,
            checked_at__lt=period.end_before,
        )
        check_rows = _grouped(checks, "result")
        action_model = apps.get_model("operations", "AdministrativeAction")
        actions = action_model.objects.filter(
            area_columns_q(prefixes, prefix="case__"),
            status="signed",
            decision_date__gte=period.start,
            decision_date__lte=period.end,
        )
        by_type = _grouped(actions, "action_type")
        by_nationality = _grouped(actions, "case__person__nationality")
    except (LookupError, FieldError) as exc:
        log.warning("operations figures unavailable: %s", exc)
        return None
    return OperationFigures(
        held=len(listed),
        operations=listed,
        checks=sum(n for _, n in check_rows),
        checks_by_result=[Row(k, CHECK_RESULT_LABELS_ID.get(k, k), n) for k, n in check_rows],
        actions=sum(n for _, n in by_type),
        actions_by_type=[Row(k, ACTION_LABELS_ID.get(k, k), n) for k, n in by_type],
        actions_by_nationality=[Row(k, country_name_id(k), n) for k, n in by_nationality],
    )


# ------------------------------------------------------------------------------- charts


def top_rows(rows: list[Row], limit: int, other: str) -> list[Row]:
    """The ``limit`` largest rows, the rest summed in one row (``other (n)``), as printed
    statistics do; the full list stays in the XLSX."""
    if len(rows) <= limit:
        return rows
    rest = rows[limit - 1 :]
    summed = Row("", f"{other} ({len(rest)})", sum(r.count for r in rest))
    return [*rows[: limit - 1], summed]


def chart(rows: list[Row], title: str = "", **kwargs: Any) -> str:
    """An inline SVG bar chart of a break-down, safe to put in a template."""
    return mark_safe(charts.bar_chart([(r.label, r.count) for r in rows], title=title, **kwargs))


def evaluation_charts(ev: Evaluation, **options: Any) -> dict[str, str]:
    """The charts of the dashboard and the report (``options``: sizes, see ``bar_chart``)."""
    out = {
        "nationality": chart(ev.by_nationality, **options),
        "permit": chart(ev.by_permit_category, **options),
        "area": chart(ev.by_area, **options),
        "alerts": chart(ev.alerts_by_rule, **options),
        "problems": chart(ev.problems_by_category, **options),
    }
    if ev.operations is not None:
        out["actions_by_type"] = chart(ev.operations.actions_by_type, **options)
        out["actions_by_nationality"] = chart(ev.operations.actions_by_nationality, **options)
    return out


# A printed page is wider than a phone: flatter bars keep a chart next to its table.
PRINT_CHARTS = {"width": 640, "bar_height": 13, "gap": 4}


# ------------------------------------------------------------------------------ documents


def report_context(ev: Evaluation, *, today: date | None = None) -> dict[str, Any]:
    today = today or today_in_jakarta()
    team = ev.region.team
    title = ""
    if ev.region.area is None and team is not None:
        # The whole working area: the head of office signs in that capacity.
        chair = queries.chair_of(team, today)
        title = chair.position if chair and chair.position else ""
    elif team is None:
        # No team recorded for the area yet: the block stays for a wet signature.
        title = f"Ketua Tim Pengawasan Orang Asing {ev.region.name}"
    return {
        "ev": ev,
        "charts": evaluation_charts(ev, **PRINT_CHARTS),
        "nationality_rows": top_rows(ev.by_nationality, 12, "Kewarganegaraan lainnya"),
        "area_rows": top_rows(ev.by_area, 20, "Wilayah lainnya"),
        "action_nationality_rows": top_rows(
            ev.operations.actions_by_nationality if ev.operations else [],
            10,
            "Kewarganegaraan lainnya",
        ),
        "level_label": OFFICIAL["evaluation_level"].get(ev.period.level, ""),
        "signature": documents.signature(team, today, title=title),
        "tanggal": documents.tanggal,
        "period_start": documents.tanggal(ev.period.start),
        "period_end": documents.tanggal(ev.period.end),
        "as_of": documents.tanggal(ev.as_of),
        "overdue_rows": [
            {
                "description": f.description,
                "problem": f.problem.title,
                "owner": _owner(f),
                "due": documents.tanggal(f.due_date),
                "status": OFFICIAL["follow_up_status"].get(f.status, f.status),
                "days": (ev.as_of - f.due_date).days,
            }
            for f in ev.overdue
        ],
    }


def _owner(follow_up: FollowUp) -> str:
    parts = []
    if follow_up.owner_agency_id:
        parts.append(str(follow_up.owner_agency))
    if follow_up.owner_user_id:
        parts.append(str(follow_up.owner_user))
    return " / ".join(parts) or "-"


def report_pdf(ev: Evaluation, *, today: date | None = None) -> bytes:
    return documents.render_pdf("coordination/pdf/evaluation.html", report_context(ev, today=today))


def report_filename(ev: Evaluation, suffix: str) -> str:
    codes = "_".join(ev.region.prefixes) or "scope"
    return f"evaluasi-timpora-{ev.period.key}-{codes}.{suffix}"


def report_xlsx(ev: Evaluation) -> bytes:
    """One sheet per section, each with a title line and a header row, for further
    analysis in a spreadsheet (cells escaped against formula injection)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, heading: str, header: list[str], rows: list[list[Any]]) -> None:
        ws = workbook.create_sheet(title=title[:31])
        ws.append([safe_cell(heading)])
        ws["A1"].font = bold
        ws.append([f"{ev.region.name} — {ev.period.label}"])
        ws.append([])
        ws.append(header)
        for cell in ws[4]:
            cell.font = bold
        for row in rows:
            ws.append([safe_cell(v) for v in row])
        ws.column_dimensions["A"].width = 6
        ws.column_dimensions["B"].width = 48
        for column in "CDEF":
            ws.column_dimensions[column].width = 16

    def numbered(rows: list[Row], extra: bool = False) -> list[list[Any]]:
        return [
            [i, r.label, r.key, r.count, *([r.extra] if extra else [])]
            for i, r in enumerate(rows, 1)
        ]

    summary = workbook.active
    summary.title = "Ringkasan"
    summary.append(["Laporan Evaluasi Tim Pengawasan Orang Asing"])
    summary["A1"].font = bold
    summary.append([ev.region.name])
    summary.append([f"Periode {ev.period.label} ({ev.period.start} s.d. {ev.period.end})"])
    summary.append([])
    summary.column_dimensions["A"].width = 60
    summary.column_dimensions["B"].width = 14
    for label, value in [
        ("Orang asing tercatat", ev.persons),
        ("Laporan penginapan diterima", ev.accommodation_reports),
        ("Laporan penginapan terlambat", ev.accommodation_late),
        ("Laporan pemberi kerja diterima", ev.employer_reports),
        ("Peringatan dini", ev.alerts),
        ("Operasi gabungan", ev.operations.held if ev.operations else "tidak tersedia"),
        (
            "Tindakan administratif keimigrasian",
            ev.operations.actions if ev.operations else "tidak tersedia",
        ),
        ("Rapat koordinasi dilaksanakan", ev.meetings_held),
        ("Permasalahan baru", ev.problems_opened),
        ("Permasalahan selesai", ev.problems_closed),
        ("Permasalahan belum selesai pada akhir periode", ev.problems_open_at_end),
        ("Tindak lanjut jatuh tempo", ev.follow_ups_due),
        ("Tindak lanjut selesai", ev.follow_ups_done),
        ("Tindak lanjut terlambat", len(ev.overdue)),
    ]:
        summary.append([label, value])

    sheet(
        "Kewarganegaraan",
        "Orang asing menurut kewarganegaraan",
        ["No", "Kewarganegaraan", "Kode", "Jumlah"],
        numbered(ev.by_nationality),
    )
    sheet(
        "Izin tinggal",
        "Orang asing menurut jenis izin tinggal",
        ["No", "Jenis izin tinggal", "Kode", "Jumlah"],
        numbered(ev.by_permit_category),
    )
    sheet(
        "Wilayah",
        "Orang asing menurut wilayah",
        ["No", "Wilayah", "Kode", "Jumlah"],
        numbered(ev.by_area),
    )
    sheet(
        "Pelaporan",
        "Laporan pemberi kerja menurut peristiwa",
        ["No", "Peristiwa", "Kode", "Jumlah"],
        numbered(ev.employer_by_event),
    )
    sheet(
        "Peringatan dini",
        "Peringatan dini menurut aturan",
        ["No", "Aturan", "Kode", "Jumlah", "Masih terbuka"],
        numbered(ev.alerts_by_rule, True),
    )
    if ev.operations is not None:
        sheet(
            "Operasi",
            "Operasi gabungan",
            ["No", "Nama operasi", "Mulai", "Selesai", "Status"],
            [
                [i, o["name"], o["start"], o["end"], o["status"]]
                for i, o in enumerate(ev.operations.operations, 1)
            ],
        )
        sheet(
            "TAK jenis",
            "Tindakan administratif keimigrasian menurut jenis",
            ["No", "Jenis tindakan", "Kode", "Jumlah"],
            numbered(ev.operations.actions_by_type),
        )
        sheet(
            "TAK kewarganegaraan",
            "Tindakan administratif menurut kewarganegaraan",
            ["No", "Kewarganegaraan", "Kode", "Jumlah"],
            numbered(ev.operations.actions_by_nationality),
        )
    sheet(
        "Permasalahan",
        "Permasalahan menurut kategori",
        ["No", "Kategori", "Kode", "Baru", "Selesai"],
        numbered(ev.problems_by_category, True),
    )
    sheet(
        "Tindak lanjut terlambat",
        "Tindak lanjut yang melewati batas waktu",
        ["No", "Tindak lanjut", "Permasalahan", "Penanggung jawab", "Batas waktu", "Status"],
        [
            [
                i,
                f.description,
                f.problem.title,
                _owner(f),
                f.due_date,
                OFFICIAL["follow_up_status"].get(f.status, f.status),
            ]
            for i, f in enumerate(ev.overdue, 1)
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
