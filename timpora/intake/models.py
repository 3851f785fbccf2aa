"""Reports that tell the team where foreigners are: from premises, employers, officers and
the public; and the file imports that bring them in bulk."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from timpora.intake.choices import (
    EmploymentEvent,
    ImportKind,
    ImportStatus,
    PremisesKind,
    PremisesStatus,
    ReportChannel,
    TipStatus,
)
from timpora.registry.models import AreaCodes


class Premises(AreaCodes):
    """A reporting place: lodging (hotel … rented house) or a company employing foreigners.

    Self-registered by its person in charge, approved by the immigration office; its reporter
    users belong to ``agency`` and see only this premises' reports.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=PremisesKind.choices)
    name = models.CharField(_("name"), max_length=200)
    licence_number = models.CharField(_("licence / business ID"), max_length=60)
    address = models.CharField(_("address"), max_length=300)
    person_in_charge = models.CharField(_("person in charge"), max_length=150)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    agency = models.OneToOneField(
        "accounts.Agency", on_delete=models.PROTECT, related_name="premises"
    )
    sponsor = models.ForeignKey(
        "registry.Sponsor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="premises",
        verbose_name=_("company sponsor"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PremisesStatus.choices, default=PremisesStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("premises")
        verbose_name_plural = _("premises")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "licence_number"], name="unique_premises_licence"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One uploaded file and its progress; re-importing the same file content is a no-op."""

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    premises = models.ForeignKey(
        Premises, null=True, blank=True, on_delete=models.PROTECT, related_name="imports"
    )
    file_name = models.CharField(_("file"), max_length=255)
    file_path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed"), default=0)
    last_line = models.PositiveIntegerField(default=1, help_text="Last file line committed.")
    imported = models.PositiveIntegerField(_("imported"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    errors_path = models.CharField(max_length=500, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Seconds spent per phase (validate, store, link, stays), summed over the chunks:
    # where a slow import spends its time, and what the ingest benchmark measures.
    timings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class GuestIdentity(models.Model):
    """Identity fields as the source wrote them (before linking to a registry person)."""

    surname = models.CharField(_("surname"), max_length=100, blank=True)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    full_name = models.CharField(_("full name"), max_length=250)
    name_key = models.CharField(max_length=250, editable=False)
    sex = models.CharField(_("sex"), max_length=1, default="X")
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    place_of_birth = models.CharField(_("place of birth"), max_length=100, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3)
    passport_number = models.CharField(_("passport number"), max_length=20)
    passport_expiry = models.DateField(_("passport expiry"), null=True, blank=True)
    permit_category = models.CharField(_("permit category"), max_length=12, blank=True)
    permit_index = models.CharField(_("visa/permit index"), max_length=12, blank=True)
    permit_number = models.CharField(_("permit number"), max_length=40, blank=True)
    permit_valid_until = models.DateField(_("permit valid until"), null=True, blank=True)
    # The registry person the report was linked to. No database-level constraint: a report
    # is the source document and its link is derived (entity resolution can re-derive it);
    # the constraint's per-row check locks the person row, which cost about a quarter of
    # the bulk import's write time (bench/README.md "Ingest"). Persons are never deleted
    # (merges keep the merged row), and Django still applies ``on_delete``.
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )

    class Meta:
        abstract = True


class AccommodationReport(GuestIdentity, AreaCodes):
    """A foreign guest's stay reported by the premises (UU 6/2011 Art. 72; report within
    1×24 hours of check-in). The area columns are the premises' area at the time."""

    # No index of its own: the (premises, -check_in) index below serves every lookup by
    # premises, and each index is paid on every imported row.
    premises = models.ForeignKey(
        Premises, on_delete=models.PROTECT, related_name="accommodation_reports", db_index=False
    )
    purpose = models.CharField(_("purpose of visit"), max_length=100, blank=True)
    room = models.CharField(_("room"), max_length=20, blank=True)
    check_in = models.DateTimeField(_("check-in"))
    check_out = models.DateTimeField(_("check-out"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported"))
    is_late = models.BooleanField(_("late"), default=False)
    verification_code = models.CharField(max_length=16)
    channel = models.CharField(
        max_length=8, choices=ReportChannel.choices, default=ReportChannel.FORM
    )
    batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,  # provenance only; a per-row check of one row per import
    )
    row_number = models.PositiveIntegerField(null=True, blank=True)
    dedup_key = models.CharField(max_length=64)
    mrz = models.TextField(blank=True)
    passport_scan = models.FileField(upload_to="scans/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["-check_in", "-id"]
        verbose_name = _("accommodation report")
        verbose_name_plural = _("accommodation reports")
        indexes = [
            models.Index(fields=["premises", "-check_in"]),
            models.Index(fields=["kecamatan_code", "check_in"]),
        ]
        # Constraints rather than ``unique=True``: on PostgreSQL the latter adds a second,
        # ``varchar_pattern_ops`` index for LIKE queries that nothing runs on these keys.
        constraints = [
            models.UniqueConstraint(fields=["dedup_key"], name="intake_accrep_dedup_key_uniq"),
            models.UniqueConstraint(
                fields=["verification_code"], name="intake_accrep_verification_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} @ {self.premises_id} {self.check_in:%Y-%m-%d}"


class EmployerReport(GuestIdentity, AreaCodes):
    """A company's report on one foreign worker: start, periodic confirmation, change, transfer
    or end. The area columns are the work location."""

    premises = models.ForeignKey(
        Premises, on_delete=models.PROTECT, related_name="employer_reports", db_index=False
    )
    event = models.CharField(_("event"), max_length=10, choices=EmploymentEvent.choices)
    event_date = models.DateField(_("date"))
    position = models.CharField(_("position"), max_length=150)
    work_plan_reference = models.CharField(
        _("work plan (RPTKA) reference"), max_length=60, blank=True
    )
    reported_at = models.DateTimeField(_("reported"))
    channel = models.CharField(
        max_length=8, choices=ReportChannel.choices, default=ReportChannel.FORM
    )
    batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,  # provenance only; a per-row check of one row per import
    )
    row_number = models.PositiveIntegerField(null=True, blank=True)
    dedup_key = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["-event_date", "-id"]
        verbose_name = _("employer report")
        verbose_name_plural = _("employer reports")
        indexes = [models.Index(fields=["premises", "-event_date"])]
        constraints = [
            models.UniqueConstraint(fields=["dedup_key"], name="intake_emprep_dedup_key_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.full_name} {self.event} {self.event_date}"


class FieldFinding(GuestIdentity, AreaCodes):
    """A person met by an officer in the field: who, where (kelurahan or GPS), what was seen."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="field_findings"
    )
    found_at = models.DateTimeField(_("when"))
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    location_note = models.CharField(_("place"), max_length=300, blank=True)
    observation = models.TextField(_("what was observed"))
    working = models.BooleanField(_("seen working"), default=False)
    mrz = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("field finding")
        verbose_name_plural = _("field findings")

    def __str__(self) -> str:
        return f"{self.full_name} {self.found_at:%Y-%m-%d}"


class FindingPhoto(models.Model):
    finding = models.ForeignKey(FieldFinding, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="findings/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("finding photo")
        verbose_name_plural = _("finding photos")

    def __str__(self) -> str:
        return self.image.name


class PublicTip(AreaCodes):
    """An anonymous public tip (*pengaduan masyarakat*). The tipster keeps the tracking code;
    nothing identifying anyone is ever shown on the public status page."""

    tracking_code = models.CharField(max_length=12, unique=True)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=12, choices=TipStatus.choices, default=TipStatus.RECEIVED
    )
    public_note = models.CharField(_("note for the tipster"), max_length=300, blank=True)
    client_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("public tip")
        verbose_name_plural = _("public tips")

    def __str__(self) -> str:
        return self.tracking_code


class ImportRowError(models.Model):
    """One problem with one row of an import; written in the same transaction as the chunk."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="row_errors")
    row = models.PositiveIntegerField(_("row"))
    field = models.CharField(_("field"), max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["row", "id"]
        verbose_name = _("import error")
        verbose_name_plural = _("import errors")

    def __str__(self) -> str:
        return f"row {self.row}: {self.field} {self.reason}"
