"""Official documents of the team: the letterhead (*kop surat*), Indonesian dates, PDF
rendering, and the meeting invitation letter.

Official letters and reports follow the government's *tata naskah dinas* and are written in
Bahasa Indonesia whatever the reader's interface language, so their wording lives in the
templates under ``coordination/pdf/`` and is not translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from timpora.areas.models import Area
from timpora.coordination import queries
from timpora.coordination.choices import DAYS_ID, MONTHS_ID, OFFICIAL
from timpora.coordination.models import Meeting, Team, TeamMembership
from timpora.registry.status import JAKARTA, today_in_jakarta

# The ministry lines above the office's name; the office name is TIMPORA_OFFICE_NAME. Both
# can be overridden in settings (the ministry was renamed in 2024 and may be again).
DEFAULT_KOP_LINES = (
    "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA",
    "DIREKTORAT JENDERAL IMIGRASI",
    "KANTOR WILAYAH BANTEN",
)


@dataclass(frozen=True)
class Kop:
    """The letterhead: ministry lines, the office, its address and the city that dates
    the letters."""

    lines: tuple[str, ...]
    office: str
    office_name: str
    address: str
    city: str


def kop() -> Kop:
    return Kop(
        lines=tuple(getattr(settings, "TIMPORA_OFFICE_KOP_LINES", DEFAULT_KOP_LINES)),
        office=settings.TIMPORA_OFFICE_NAME.upper(),
        office_name=settings.TIMPORA_OFFICE_NAME,
        address=getattr(settings, "TIMPORA_OFFICE_ADDRESS", ""),
        city=getattr(settings, "TIMPORA_OFFICE_CITY", "Serang"),
    )


# ---------------------------------------------------------------------- Indonesian forms


def tanggal(day: date | None) -> str:
    """``12 November 2026``."""
    if day is None:
        return "-"
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def hari_tanggal(day: date) -> str:
    """``Kamis, 12 November 2026``."""
    return f"{DAYS_ID[day.weekday()]}, {tanggal(day)}"


def jam(moment: datetime) -> str:
    """``09.00 WIB`` (Western Indonesian Time, the office's zone)."""
    return f"{timezone.localtime(moment, JAKARTA):%H.%M} WIB"


def angka(value: int) -> str:
    """``1.234`` (Indonesian thousands separator)."""
    return f"{value:,}".replace(",", ".")


def area_label(area: Area) -> str:
    """``Kota Serang``, ``Kecamatan Kasemen``, ``Kelurahan Banten``, ``Provinsi Banten``."""
    prefix = {
        "provinsi": "Provinsi",
        "kecamatan": "Kecamatan",
        "kelurahan": "Kelurahan",
        "desa": "Desa",
    }.get(area.level, "")
    return f"{prefix} {area.name}".strip()


def chair_title(team: Team) -> str:
    return f"Ketua Tim Pengawasan Orang Asing {area_label(team.area)}"


@dataclass(frozen=True)
class Signature:
    """The signature block: place and date, the office held, the signer's name."""

    place_date: str
    title: str
    name: str
    position: str


def signature(
    team: Team | None, on: date, *, title: str = "", chair: TeamMembership | None = None
) -> Signature:
    """The chair of ``team`` signs; without a chair the name line stays empty for a wet
    signature (never someone else's name)."""
    chair = chair or queries.chair_of(team, on)
    return Signature(
        place_date=f"{kop().city}, {tanggal(on)}",
        title=title or (chair_title(team) if team is not None else ""),
        name=chair.person_name if chair else "",
        position=chair.position if chair else "",
    )


# --------------------------------------------------------------------------- rendering


def render_pdf(template: str, context: dict) -> bytes:
    """HTML template → PDF (WeasyPrint; imported here because it is slow to import)."""
    from weasyprint import HTML

    html = render_to_string(template, {"kop": kop(), **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


# Invitees listed on the letter itself; more go to an attached list (*daftar terlampir*).
INLINE_INVITEES = 6


def invitation_context(meeting: Meeting) -> dict:
    """Everything the invitation letter prints, in its official wording."""
    start_local = timezone.localtime(meeting.starts_at, JAKARTA)
    letter_day = meeting.letter_date or min(start_local.date(), today_in_jakarta())
    invitees = list(meeting.invitees.select_related("membership", "agency").order_by("id"))
    attached = len(invitees) > INLINE_INVITEES
    if meeting.ends_at:
        waktu = f"{jam(meeting.starts_at)[:-4]} s.d. {jam(meeting.ends_at)}"
    else:
        waktu = f"{jam(meeting.starts_at)} s.d. selesai"
    return {
        "meeting": meeting,
        "team": meeting.team,
        "area_label": area_label(meeting.team.area),
        "nomor": meeting.letter_number or "-",
        "sifat": OFFICIAL["letter_nature"].get(meeting.letter_nature, "Biasa"),
        "lampiran": meeting.letter_attachment or ("1 (satu) berkas" if attached else "-"),
        "perihal": meeting.letter_subject,
        "hari_tanggal": hari_tanggal(start_local.date()),
        "waktu": waktu,
        "agenda": [item.title for item in meeting.agenda_items.all()],
        "invitees": invitees,
        "attached": attached,
        "signature": signature(meeting.team, letter_day),
        "tanggal_surat": tanggal(letter_day),
    }


def invitation_pdf(meeting: Meeting) -> bytes:
    return render_pdf("coordination/pdf/invitation.html", invitation_context(meeting))
