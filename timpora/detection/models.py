"""Alerts raised by the detection rules, their workflow, comments and notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from timpora.detection.choices import AlertStatus, Severity
from timpora.registry.models import AreaCodes


class RuleSetting(models.Model):
    """Administrators' overrides of a rule: on/off and parameters (defaults live in code)."""

    rule = models.CharField(_("rule"), max_length=40, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rule"]
        verbose_name = _("rule setting")
        verbose_name_plural = _("rule settings")

    def __str__(self) -> str:
        return self.rule


class RuleEvaluation(models.Model):
    """The latest evaluation of one rule over the whole registry, and the engine's latest
    change to the rule's alerts.

    A detection run confirms every open alert of the rule at once by writing this one row
    (``as_of``, ``evaluated_at``), instead of stamping each alert: an alert row is written
    only when it is raised, when its facts change, or when it closes. ``changed_at`` moves
    whenever a run — full or incremental — raised, updated or closed an alert of the rule;
    the risk map's change stamp reads it.
    """

    rule = models.CharField(_("rule"), max_length=40, unique=True)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    hits = models.PositiveIntegerField(default=0)
    raised = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["rule"]
        verbose_name = _("rule evaluation")
        verbose_name_plural = _("rule evaluations")

    def __str__(self) -> str:
        return f"{self.rule} as of {self.as_of}"


class Alert(AreaCodes):
    """One rule's finding about one subject (a person, or a premises for crowding).

    There is at most one open alert per rule and subject: re-running detection leaves it as
    it is while its facts stay the same, updates it (``facts``, ``severity``, ``as_of``,
    ``last_seen``) when they change, and closes it with a note when they no longer hold. The
    area columns follow the subject, for region scope.

    ``last_seen`` is the last confirmation the row itself records (raised, facts changed,
    closed); an open alert is also confirmed by every later evaluation of its rule
    (``RuleEvaluation.evaluated_at``): ``queries.last_confirmed`` combines the two.
    """

    rule = models.CharField(_("rule"), max_length=40, db_index=True)
    subject = models.CharField(max_length=40, help_text="person:<id> or premises:<id>")
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    premises = models.ForeignKey(
        "intake.Premises", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=AlertStatus.choices,
        default=AlertStatus.NEW,
        db_index=True,
    )
    is_open = models.BooleanField(default=True, editable=False)
    facts = models.JSONField(_("facts"), default=dict)
    fact_key = models.CharField(
        max_length=100,
        blank=True,
        help_text="What makes two findings the same (e.g. the expiry "
        "date): a decision on one is not asked again.",
    )
    as_of = models.DateField(_("as of"))
    first_seen = models.DateTimeField(_("first raised"))
    last_seen = models.DateTimeField(_("last confirmed"))
    closed_at = models.DateTimeField(null=True, blank=True)
    close_note = models.CharField(_("closing note"), max_length=300, blank=True)
    assigned_agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned agency"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_alerts",
        verbose_name=_("assigned officer"),
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject"],
                condition=models.Q(is_open=True),
                name="one_open_alert_per_rule_and_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["kecamatan_code", "is_open"]),
            models.Index(fields=["kelurahan_code", "is_open"]),
            models.Index(fields=["is_open", "severity"]),
            # The map's change stamp (MAX, by index). ``last_seen`` has no index on purpose:
            # a daily run that only moves facts then changes no indexed column, so
            # PostgreSQL updates the rows in place (HOT), with the free space that the
            # table's fillfactor (migration 0004) leaves in every page.
            models.Index(fields=["closed_at"], name="detection_alert_closed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject}"


class AlertEvent(models.Model):
    """History of an alert: status changes, assignments, comments, engine updates."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12)  # status, assign, comment, engine
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("alert event")
        verbose_name_plural = _("alert events")

    def __str__(self) -> str:
        return f"{self.alert_id} {self.kind}"


class Notification(models.Model):
    """An in-app notification (also sent by e-mail when the user has an address)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    alert = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.message
