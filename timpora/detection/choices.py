"""Choices for early detection."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    # A wanted person (DPO / red notice) seen in the area: act the same day.
    CRITICAL = "critical", _("Critical")


class AlertStatus(models.TextChoices):
    """The alert workflow: new → triaged → assigned → action taken, or dismissed (with a
    reason); an alert whose facts no longer hold is closed by the engine."""

    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    ASSIGNED = "assigned", _("Assigned")
    ACTION_TAKEN = "action_taken", _("Action taken")
    DISMISSED = "dismissed", _("Dismissed")
    RESOLVED = "resolved", _("No longer applies")


OPEN_STATUSES = (AlertStatus.NEW, AlertStatus.TRIAGED, AlertStatus.ASSIGNED)

# Allowed manual transitions; the engine alone sets RESOLVED.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    AlertStatus.NEW: (AlertStatus.TRIAGED, AlertStatus.ASSIGNED, AlertStatus.DISMISSED),
    AlertStatus.TRIAGED: (AlertStatus.ASSIGNED, AlertStatus.DISMISSED),
    AlertStatus.ASSIGNED: (AlertStatus.ACTION_TAKEN, AlertStatus.DISMISSED, AlertStatus.TRIAGED),
    AlertStatus.ACTION_TAKEN: (),
    AlertStatus.DISMISSED: (AlertStatus.TRIAGED,),
    AlertStatus.RESOLVED: (),
}
