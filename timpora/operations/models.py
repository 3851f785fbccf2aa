"""Joint operations (*operasi gabungan*), their field checks, and the cases they open up to
the administrative immigration actions (*Tindakan Administratif Keimigrasian*, TAK).

The path: an operation is planned under a written order (*surat perintah*) → its teams check
foreigners in the field (``FieldCheck``) → a violation opens a ``Case`` → the person is
examined (``Examination``, the *BAP*) → a case review (``CaseReview``, *gelar kasus*) chaired
by the head of office decides ``AdministrativeAction`` items → the head signs each decision →
the follow-up (paid, deported, ban entered, detention) is recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from timpora.operations.choices import (
    ActionType,
    CaseStatus,
    CheckChannel,
    CheckResult,
    DecisionStatus,
    OperationStatus,
)
from timpora.registry.models import AreaCodes


class JointOperation(models.Model):
    """A joint operation (*operasi gabungan*, Permenimipas 2/2025 Art. 53(f)) under a written
    order (*surat perintah*): who goes where, when, and whom they look for.

    Target areas are kelurahan/desa (or kecamatan); targets are open alerts, registry persons
    and premises picked while planning. Only the members of its teams see an operation, plus
    office-wide staff (``queries.operations_for``).
    """

    name = models.CharField(_("name"), max_length=200)
    order_number = models.CharField(_("order number (surat perintah)"), max_length=100)
    order_date = models.DateField(_("order date"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    target_areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="+", verbose_name=_("target areas")
    )
    target_premises = models.ManyToManyField(
        "intake.Premises", blank=True, related_name="+", verbose_name=_("target premises")
    )
    target_persons = models.ManyToManyField(
        "registry.Person", blank=True, related_name="+", verbose_name=_("target persons")
    )
    target_alerts = models.ManyToManyField(
        "detection.Alert", blank=True, related_name="+", verbose_name=_("target alerts")
    )
    briefing_notes = models.TextField(_("briefing notes"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OperationStatus.choices,
        default=OperationStatus.PLANNED,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("joint operation")
        verbose_name_plural = _("joint operations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="operation_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.name


class OperationTeam(models.Model):
    """One team of an operation: a leader and members, often from several agencies
    (immigration, police, military, local government, manpower office, ...)."""

    operation = models.ForeignKey(JointOperation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_operation_teams",
        verbose_name=_("leader"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="operation_teams",
        verbose_name=_("members"),
    )

    class Meta:
        ordering = ["operation", "name", "id"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["operation", "name"], name="unique_team_name")
        ]

    def __str__(self) -> str:
        return self.name


class FieldCheck(AreaCodes):
    """One foreigner (or one attempt to find one) checked in the field during an operation.

    ``client_uuid`` is made by the phone when the check is recorded, so a check queued offline
    and sent twice (a lost answer, a retry) is stored once. The permit status, overstay,
    alerts and watch-list hits are a snapshot of what the officer saw at the time. The area
    columns are where the check took place (a kelurahan/desa).
    """

    operation = models.ForeignKey(JointOperation, on_delete=models.PROTECT, related_name="checks")
    team = models.ForeignKey(
        OperationTeam, null=True, blank=True, on_delete=models.SET_NULL, related_name="checks"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    client_uuid = models.UUIDField(unique=True, editable=False)
    checked_at = models.DateTimeField(_("checked at"))
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="field_checks",
        verbose_name=_("person"),
    )
    full_name = models.CharField(_("name as seen"), max_length=250, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    mrz = models.TextField(_("machine-readable zone"), blank=True)
    premises = models.ForeignKey(
        "intake.Premises",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("premises"),
    )
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    location_note = models.CharField(_("place"), max_length=300, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=CheckResult.choices)
    observations = models.TextField(_("observations"), blank=True)
    permit_status = models.CharField(_("permit status seen"), max_length=10, blank=True)
    overstay_days = models.PositiveIntegerField(_("overstay days seen"), null=True, blank=True)
    alerts_seen = models.JSONField(_("open alerts seen"), default=list, blank=True)
    watchlist_hits = models.JSONField(_("watch-list hits"), default=list, blank=True)
    channel = models.CharField(max_length=8, choices=CheckChannel.choices, default="web")
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("field check")
        verbose_name_plural = _("field checks")
        indexes = [
            models.Index(fields=["operation", "result"]),
            models.Index(fields=["kecamatan_code", "checked_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name or self.passport_number or self.client_uuid} {self.result}"


class CheckPhoto(models.Model):
    """A photo taken at a check, kept in private storage under a random name."""

    check_record = models.ForeignKey(FieldCheck, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="operations/checks/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("check photo")
        verbose_name_plural = _("check photos")

    def __str__(self) -> str:
        return self.image.name


class Case(AreaCodes):
    """A case (*perkara keimigrasian*) about one foreigner, opened from a check that found a
    violation (or directly by the office). The area columns are where it arose: team members
    of other agencies see the cases of their area; only the immigration office edits them."""

    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="tak_cases",
        verbose_name=_("person"),
    )
    operation = models.ForeignKey(
        JointOperation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("operation"),
    )
    check_record = models.OneToOneField(
        FieldCheck,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case",
        verbose_name=_("field check"),
    )
    violations = models.JSONField(_("violations"), default=list)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["kecamatan_code", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.person}"


class Examination(models.Model):
    """The examination record (*Berita Acara Pemeriksaan*, BAP) of the person at the office."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="examinations")
    examined_on = models.DateField(_("date"))
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("examiner"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    interpreter = models.CharField(_("interpreter"), max_length=150, blank=True)
    statement = models.TextField(_("statement"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["examined_on", "id"]
        verbose_name = _("examination record (BAP)")
        verbose_name_plural = _("examination records (BAP)")

    def __str__(self) -> str:
        return f"BAP {self.examined_on} #{self.case_id}"


class Evidence(models.Model):
    """A file attached to an examination (a scan, a photo, a statement), stored privately."""

    examination = models.ForeignKey(Examination, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="operations/evidence/%Y/%m/")
    description = models.CharField(_("description"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.description or self.file.name


class CaseReview(models.Model):
    """The case review (*gelar kasus*), chaired by the head of office, that decides the
    administrative actions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("date"))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chair"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("participants")
    )
    other_participants = models.TextField(
        _("other participants"),
        blank=True,
        help_text=_("People without a Timpora account, one per line."),
    )
    conclusion = models.TextField(_("conclusion"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("case review (gelar kasus)")
        verbose_name_plural = _("case reviews (gelar kasus)")

    def __str__(self) -> str:
        return f"Gelar kasus {self.held_on} #{self.case_id}"


class AdministrativeAction(models.Model):
    """One administrative action decided in a case review: its decision (number, date, legal
    basis; the fee amount from the overstay days on the decision date), the head of office's
    signature and the follow-up.

    A signed decision is immutable except for the follow-up fields (``actions`` enforces it).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actions")
    review = models.ForeignKey(CaseReview, on_delete=models.PROTECT, related_name="actions")
    action_type = models.CharField(_("action"), max_length=16, choices=ActionType.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    details = models.TextField(
        _("details"),
        blank=True,
        help_text=_("E.g. the place, the list and its duration, the permit change."),
    )
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    overstay_days = models.PositiveIntegerField(_("overstay days"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (Rp)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    # Follow-up: the only fields that change after signing.
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    deported_on = models.DateField(_("deported on"), null=True, blank=True)
    flight = models.CharField(_("flight"), max_length=40, blank=True)
    ban_until = models.DateField(_("ban entered until"), null=True, blank=True)
    detention_place = models.CharField(_("detention place (Rudenim)"), max_length=200, blank=True)
    detention_from = models.DateField(_("detained from"), null=True, blank=True)
    detention_until = models.DateField(_("detained until"), null=True, blank=True)
    follow_up_note = models.TextField(_("follow-up note"), blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("administrative action")
        verbose_name_plural = _("administrative actions")
        constraints = [
            models.UniqueConstraint(
                fields=["decision_number"],
                condition=~models.Q(decision_number=""),
                name="unique_decision_number",
            )
        ]
        indexes = [models.Index(fields=["action_type", "decision_date"])]

    def __str__(self) -> str:
        return f"{self.get_action_type_display()} #{self.case_id}"

    @property
    def is_signed(self) -> bool:
        return self.status == DecisionStatus.SIGNED

    @property
    def followed_up(self) -> bool:
        """Whether the follow-up this kind of action needs has been recorded."""
        needed = {
            ActionType.FEE: self.paid_on,
            ActionType.DEPORTATION: self.deported_on,
            ActionType.BAN_LIST: self.ban_until,
            ActionType.DETENTION: self.detention_from,
        }
        return bool(needed.get(self.action_type, self.followed_up_at))
