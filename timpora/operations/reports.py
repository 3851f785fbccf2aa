"""The operation report (*Laporan Hasil Operasi Gabungan*) as PDF (WeasyPrint) and XLSX
(openpyxl), and the server-side SVG bar charts of the statistics page.

Everything in the report is computed from the stored plan, checks, cases and decisions: it
is generated, never typed, so it cannot disagree with the data.
"""

from __future__ import annotations

import base64
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from timpora.lib.exports import safe_cell
from timpora.lib.nationality import UnknownNationality, nationality_name
from timpora.operations.choices import ActionType, CheckResult, ViolationType
from timpora.operations.models import AdministrativeAction, FieldCheck, JointOperation
from timpora.registry.queries import area_names

# The letterhead (*kop surat*) above the office name. Immigration offices belong to the
# Ministry of Immigration and Corrections since 2024 (Permenimipas 2/2025).
LETTERHEAD = (
    "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA",
    "DIREKTORAT JENDERAL IMIGRASI",
)
# Where the report is signed (the office's seat), above the signature block.
SIGNATURE_PLACE = "Serang"
THUMBNAIL_PX = 360
MAX_PHOTOS = 24


@dataclass
class ReportData:
    """What the report says, in plain values (the PDF and the XLSX render the same)."""

    operation: JointOperation
    office_name: str
    generated_at: datetime
    areas: list[dict[str, str]]
    teams: list[dict[str, Any]]
    places: list[dict[str, Any]]
    checks: list[dict[str, Any]]
    counts: dict[str, int]
    by_nationality: list[tuple[str, int]]
    by_violation: list[tuple[str, int]]
    actions: list[dict[str, Any]]
    actions_by_type: list[tuple[str, int]]
    photos: list[dict[str, str]] = field(default_factory=list)
    head_name: str = ""


def _nationality(code: str) -> str:
    if not code:
        return "—"
    try:
        return f"{nationality_name(code)} ({code})"
    except UnknownNationality:
        return code


def _thumbnail(photo) -> str | None:
    """A small JPEG as a data URI, so WeasyPrint never fetches anything."""
    from PIL import Image, UnidentifiedImageError

    try:
        with photo.image.storage.open(photo.image.name, "rb") as handle:
            image = Image.open(handle)
            image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, format="JPEG", quality=75)
    except (FileNotFoundError, UnidentifiedImageError, OSError):
        return None
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _day(value) -> str:
    return f"{value:%d-%m-%Y}"


def _follow_up(action: AdministrativeAction) -> str:
    parts = []
    if action.paid_on:
        parts.append(_("paid on %(day)s") % {"day": _day(action.paid_on)})
    if action.deported_on:
        parts.append(
            _("deported on %(day)s, %(flight)s")
            % {"day": _day(action.deported_on), "flight": action.flight or "—"}
        )
    if action.ban_until:
        parts.append(_("ban entered until %(day)s") % {"day": _day(action.ban_until)})
    if action.detention_from:
        parts.append(
            _("detained at %(place)s from %(start)s")
            % {"place": action.detention_place, "start": _day(action.detention_from)}
        )
    return "; ".join(parts) or "—"


def report_data(operation: JointOperation, *, with_photos: bool = True) -> ReportData:
    """Collect the report of one operation (the caller checked the user may see it)."""
    checks = list(
        FieldCheck.objects.filter(operation=operation)
        .select_related("person", "premises", "team", "officer")
        .prefetch_related("photos")
        .order_by("checked_at", "id")
    )
    names = area_names({c.kelurahan_code for c in checks} | {c.kecamatan_code for c in checks})
    result_labels = {k: str(v) for k, v in CheckResult.choices}
    rows = []
    for c in checks:
        rows.append(
            {
                "id": c.pk,
                "checked_at": timezone.localtime(c.checked_at),
                "name": c.full_name or (c.person.full_name if c.person else "—"),
                "nationality": _nationality(c.nationality),
                "passport": c.passport_number,
                "place": names.get(c.kelurahan_code, c.kelurahan_code),
                "premises": c.premises.name if c.premises else c.location_note,
                "result": result_labels.get(c.result, c.result),
                "result_code": c.result,
                "permit_status": c.permit_status,
                "overstay_days": c.overstay_days,
                "team": c.team.name if c.team else "",
            }
        )
    persons = {
        f"p{c.person_id}" if c.person_id else f"n{c.passport_number or c.full_name or c.pk}"
        for c in checks
        if c.result != CheckResult.NOT_FOUND
    }
    results = Counter(c.result for c in checks)
    places: dict[tuple[str, str], int] = Counter(
        (c.kelurahan_code, c.premises.name if c.premises else c.location_note) for c in checks
    )
    violating = [c for c in checks if c.result == CheckResult.VIOLATION]
    cases = list(operation.cases.all())
    violation_labels = {k: str(v) for k, v in ViolationType.choices}
    by_violation = Counter(v for case in cases for v in case.violations)
    decisions = list(
        AdministrativeAction.objects.filter(case__operation=operation)
        .select_related("case__person", "signed_by")
        .order_by("case_id", "id")
    )
    type_labels = {k: str(v) for k, v in ActionType.choices}
    signer = next((a.signed_by for a in decisions if a.signed_by_id), None)
    photos = []
    if with_photos:
        for c in checks:
            for photo in c.photos.all():
                if len(photos) >= MAX_PHOTOS:
                    break
                uri = _thumbnail(photo)
                if uri:
                    photos.append({"uri": uri, "caption": f"#{c.pk} {c.full_name}".strip()})
    teams = []
    for team in operation.teams.select_related("leader__agency").prefetch_related(
        "members__agency"
    ):
        members = sorted(
            team.members.all(), key=lambda u: (u.pk != team.leader_id, str(u.agency), str(u))
        )
        teams.append(
            {
                "name": team.name,
                "leader": str(team.leader),
                "members": [
                    {"name": str(u), "agency": str(u.agency) if u.agency_id else "—"}
                    for u in members
                ],
                "agencies": sorted({str(u.agency) for u in members if u.agency_id}),
            }
        )
    return ReportData(
        operation=operation,
        office_name=settings.TIMPORA_OFFICE_NAME,
        generated_at=timezone.localtime(),
        areas=[{"code": a.code, "name": a.name} for a in operation.target_areas.order_by("code")],
        teams=teams,
        places=[
            {"area": names.get(code, code), "code": code, "premises": premises or "—", "checks": n}
            for (code, premises), n in sorted(places.items())
        ],
        checks=rows,
        counts={
            "checks": len(checks),
            "persons": len(persons),
            "compliant": results.get(CheckResult.COMPLIANT, 0),
            "violations": results.get(CheckResult.VIOLATION, 0),
            "not_found": results.get(CheckResult.NOT_FOUND, 0),
            "cases": len(cases),
            "actions": len(decisions),
            "places": len(places),
        },
        by_nationality=Counter(_nationality(c.nationality) for c in violating).most_common(),
        by_violation=[(str(violation_labels.get(k, k)), n) for k, n in by_violation.most_common()],
        actions=[
            {
                "person": str(a.case.person),
                "nationality": _nationality(a.case.person.nationality),
                "type": str(type_labels.get(a.action_type, a.action_type)),
                "legal_basis": a.legal_basis,
                "decision_number": a.decision_number,
                "decision_date": a.decision_date,
                "amount": a.amount,
                "overstay_days": a.overstay_days,
                "status": a.get_status_display(),
                "follow_up": _follow_up(a),
            }
            for a in decisions
        ],
        actions_by_type=[
            (str(type_labels.get(k, k)), n)
            for k, n in Counter(a.action_type for a in decisions).most_common()
        ],
        photos=photos,
        head_name=str(signer) if signer else "",
    )


def file_name(operation: JointOperation) -> str:
    return f"laporan-operasi-{operation.pk}-{slugify(operation.name)[:40]}"


def render_pdf(data: ReportData, *, request=None) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The report embeds only what it was given (data: URIs): never fetch a URL or a file.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=5)
    html = render_to_string(
        "operations/report_pdf.html",
        {
            "r": data,
            "letterhead": LETTERHEAD,
            "count_rows": count_rows(data),
            "place": SIGNATURE_PLACE,
        },
        request=request,
    )
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def render_xlsx(data: ReportData) -> bytes:
    """One sheet per section; the same figures as the PDF."""
    op = data.operation
    workbook = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: list[str], rows: list[list[Any]], first: bool = False):
        ws = workbook.active if first else workbook.create_sheet()
        ws.title = title[:31]
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append([safe_cell(v) for v in row])
        return ws

    sheet(
        _("Plan"),
        [_("Item"), _("Value")],
        [
            [_("Office"), data.office_name],
            [_("Operation"), op.name],
            [_("Order number"), op.order_number],
            [_("Order date"), op.order_date],
            [_("From"), op.starts_on],
            [_("Until"), op.ends_on],
            [_("Status"), op.get_status_display()],
            [_("Target areas"), ", ".join(f"{a['name']} ({a['code']})" for a in data.areas)],
            *[[label, data.counts[key]] for key, label in _count_labels()],
        ],
        first=True,
    )
    sheet(
        _("Teams"),
        [_("Team"), _("Leader"), _("Member"), _("Agency")],
        [
            [t["name"], t["leader"], m["name"], m["agency"]]
            for t in data.teams
            for m in t["members"]
        ],
    )
    sheet(
        _("Places"),
        [_("Kelurahan/desa"), _("Code"), _("Premises / place"), _("Checks")],
        [[p["area"], p["code"], p["premises"], p["checks"]] for p in data.places],
    )
    sheet(
        _("Checks"),
        [
            _("No."),
            _("Time"),
            _("Name"),
            _("Nationality"),
            _("Passport"),
            _("Kelurahan/desa"),
            _("Premises / place"),
            _("Result"),
            _("Permit"),
            _("Overstay days"),
            _("Team"),
        ],
        [
            [
                i,
                c["checked_at"].replace(tzinfo=None),
                c["name"],
                c["nationality"],
                c["passport"],
                c["place"],
                c["premises"],
                c["result"],
                c["permit_status"],
                c["overstay_days"],
                c["team"],
            ]
            for i, c in enumerate(data.checks, start=1)
        ],
    )
    sheet(
        _("Findings"),
        [_("Breakdown"), _("Category"), _("Count")],
        [[_("Nationality"), k, n] for k, n in data.by_nationality]
        + [[_("Violation"), k, n] for k, n in data.by_violation],
    )
    sheet(
        _("Actions"),
        [
            _("Name"),
            _("Nationality"),
            _("Action"),
            _("Legal basis"),
            _("Decision number"),
            _("Decision date"),
            _("Overstay days"),
            _("Amount (Rp)"),
            _("Status"),
            _("Follow-up"),
        ],
        [
            [
                a["person"],
                a["nationality"],
                a["type"],
                a["legal_basis"],
                a["decision_number"],
                a["decision_date"],
                a["overstay_days"],
                a["amount"],
                a["status"],
                a["follow_up"],
            ]
            for a in data.actions
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _count_labels() -> list[tuple[str, str]]:
    return [
        ("places", _("Places visited")),
        ("checks", _("Checks")),
        ("persons", _("Persons checked")),
        ("compliant", _("Compliant")),
        ("violations", _("Violations found")),
        ("not_found", _("Not found")),
        ("cases", _("Cases opened")),
        ("actions", _("Administrative actions")),
    ]


def count_rows(data: ReportData) -> list[tuple[str, int]]:
    return [(label, data.counts[key]) for key, label in _count_labels()]


# ------------------------------------------------------------------------------ charts


def bar_chart_svg(rows: list[tuple[str, int]], *, width: int = 640) -> SafeString:
    """A horizontal bar chart as inline SVG (no JavaScript, no external library); labels are
    escaped, numbers are drawn at the end of each bar."""
    rows = [(str(label), int(n)) for label, n in rows][:30]
    if not rows:
        return mark_safe("")
    bar, gap, label_w, pad = 22, 6, 220, 48
    top = max(n for _, n in rows) or 1
    scale = (width - label_w - pad) / top
    height = len(rows) * (bar + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet">'
    ]
    for i, (label, n) in enumerate(rows):
        y = gap + i * (bar + gap)
        w = max(n * scale, 1 if n else 0)
        text = escape(label if len(label) <= 34 else label[:33] + "…")
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar * 0.7:.1f}" text-anchor="end" '
            f'font-size="12">{text}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="#0f766e">'
            f"<title>{escape(label)}: {n}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar * 0.7:.1f}" font-size="12">{n}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
