"""Choices for the vulnerability map."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FactorKind(models.TextChoices):
    """Static vulnerability factors of an area (kept as data the office edits)."""

    COASTLINE = "coastline", _("Coastline")
    PORT = "port", _("Port or landing place")
    INDUSTRIAL = "industrial", _("Industrial estate")
    TOURIST = "tourist", _("Tourist area")
    COMMUNITY = "community", _("Places of worship or schools of foreign communities")
    TRANSIT = "transit", _("Border or transit route")


class Metric(models.TextChoices):
    RISK = "risk", _("Risk score")
    DENSITY = "density", _("Foreigners present")
    ALERTS = "alerts", _("Open alerts")
    TIPS = "tips", _("Public tips")
