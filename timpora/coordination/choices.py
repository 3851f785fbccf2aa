"""Choices of the coordination app: team levels and roles, meetings, problems, follow-ups.

``OFFICIAL`` holds the Bahasa Indonesia wording that official documents (letters, reports)
print whatever the reader's language: those documents follow the government's *tata naskah
dinas* and are never translated.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamLevel(models.TextChoices):
    """Levels at which a TIMPORA team is formed (Permenimipas 2/2025 Art. 53(b): from
    desa/kelurahan up to province)."""

    PROVINCE = "province", _("Province")
    KABKOTA = "kabkota", _("City/regency (kota/kabupaten)")
    KECAMATAN = "kecamatan", _("District (kecamatan)")
    KELURAHAN = "kelurahan", _("Village (kelurahan/desa)")


# Area level (``areas.AreaLevel``) → team level.
TEAM_LEVEL_OF_AREA = {
    "provinsi": TeamLevel.PROVINCE,
    "kota": TeamLevel.KABKOTA,
    "kabupaten": TeamLevel.KABKOTA,
    "kecamatan": TeamLevel.KECAMATAN,
    "kelurahan": TeamLevel.KELURAHAN,
    "desa": TeamLevel.KELURAHAN,
}


class TeamRole(models.TextChoices):
    """A member's role in the team, as the decree names it."""

    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


# Roles a team has at most one current holder of.
SINGLE_HOLDER_ROLES = (TeamRole.CHAIR, TeamRole.SECRETARY)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held (minutes recorded)")
    CANCELLED = "cancelled", _("Cancelled")


class LetterNature(models.TextChoices):
    """*Sifat* of an official letter."""

    ORDINARY = "biasa", _("Ordinary (Biasa)")
    URGENT = "segera", _("Urgent (Segera)")
    IMPORTANT = "penting", _("Important (Penting)")
    CONFIDENTIAL = "rahasia", _("Confidential (Rahasia)")


class CheckInMethod(models.TextChoices):
    SELF = "self", _("Checked in on a phone")
    SECRETARY = "secretary", _("Marked by the secretary")


class ProblemCategory(models.TextChoices):
    """What a problem raised in the team is about."""

    FOREIGN_WORKERS = "foreign_workers", _("Foreign workers")
    TOURISM = "tourism", _("Tourism")
    COASTLINE = "coastline", _("Coastline")
    DATA_SHARING = "data_sharing", _("Data sharing")
    ACCOMMODATION_REPORTING = "accommodation_reporting", _("Accommodation reporting")
    OTHER = "other", _("Other")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed (solved)")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


NOT_DONE = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)


class EvaluationLevel(models.TextChoices):
    """How long a routine evaluation period is."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


# The wording official documents print (tata naskah dinas, always Bahasa Indonesia).
OFFICIAL = {
    "team_level": {
        TeamLevel.PROVINCE: "Provinsi",
        TeamLevel.KABKOTA: "Kabupaten/Kota",
        TeamLevel.KECAMATAN: "Kecamatan",
        TeamLevel.KELURAHAN: "Kelurahan/Desa",
    },
    "team_role": {
        TeamRole.CHAIR: "Ketua",
        TeamRole.SECRETARY: "Sekretaris",
        TeamRole.MEMBER: "Anggota",
    },
    "letter_nature": {
        LetterNature.ORDINARY: "Biasa",
        LetterNature.URGENT: "Segera",
        LetterNature.IMPORTANT: "Penting",
        LetterNature.CONFIDENTIAL: "Rahasia",
    },
    "problem_category": {
        ProblemCategory.FOREIGN_WORKERS: "Tenaga kerja asing",
        ProblemCategory.TOURISM: "Pariwisata",
        ProblemCategory.COASTLINE: "Wilayah pesisir",
        ProblemCategory.DATA_SHARING: "Pertukaran data",
        ProblemCategory.ACCOMMODATION_REPORTING: "Pelaporan orang asing oleh penginapan",
        ProblemCategory.OTHER: "Lainnya",
    },
    "follow_up_status": {
        FollowUpStatus.OPEN: "Belum dilaksanakan",
        FollowUpStatus.IN_PROGRESS: "Sedang dilaksanakan",
        FollowUpStatus.DONE: "Selesai",
    },
    "permit_category": {
        "visit": "Izin Tinggal Kunjungan (ITK)",
        "limited": "Izin Tinggal Terbatas (ITAS)",
        "permanent": "Izin Tinggal Tetap (ITAP)",
        "diplomatic": "Izin Tinggal Diplomatik",
        "service": "Izin Tinggal Dinas",
        "": "Tanpa izin tinggal tercatat",
    },
    "evaluation_level": {
        EvaluationLevel.MONTHLY: "Bulanan",
        EvaluationLevel.QUARTERLY: "Triwulan",
        EvaluationLevel.YEARLY: "Tahunan",
    },
    # Detection rules (timpora.detection.engine.rules), by code.
    "rule": {
        "overstay": "Melebihi izin tinggal (overstay)",
        "expiring": "Izin tinggal segera berakhir",
        "no_permit": "Tanpa izin tinggal atau dokumen perjalanan sah",
        "activity_mismatch": "Bekerja dengan izin yang tidak membolehkan bekerja",
        "wrong_sponsor": "Bekerja pada pihak selain penjamin",
        "late_report": "Pelaporan penginapan terlambat",
        "missing_report": "Keberadaan tidak dilaporkan",
        "frequent_moves": "Sering berpindah kelurahan",
        "crowding": "Konsentrasi orang asing tidak wajar",
    },
}

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
