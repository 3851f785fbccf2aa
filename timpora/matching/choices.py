"""Choices of entity resolution in the application: review pairs and analysts' decisions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PairStatus(models.TextChoices):
    """Where a review pair stands. Only ``pending`` pairs are in the queue."""

    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Same person (merged)")
    REJECTED = "rejected", _("Not the same person")
    SUPERSEDED = "superseded", _("No longer relevant")


class Verdict(models.TextChoices):
    """An analyst's answer about two persons; stored once per pair of persons."""

    SAME = "same", _("Same person")
    DIFFERENT = "different", _("Different persons")


class PairSource(models.TextChoices):
    """Where the newer record of a pair came from."""

    REGISTRY = "registry", _("Registry entry")
    REPORT = "report", _("Report")
    IMPORT = "import", _("File import")
    FINDING = "finding", _("Field finding")
    SCAN = "scan", _("Registry scan")
    DEMO = "demo", _("Demo data")


class Outcome(models.TextChoices):
    """What resolving one record did."""

    EXACT = "exact", _("Same passport as a registered person")
    LINKED = "linked", _("Linked to a registered person")
    REVIEW = "review", _("New person, possible duplicate queued for review")
    NEW = "new", _("New person")
