"""Choices for report intake."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PremisesKind(models.TextChoices):
    """Who reports foreigners (the APOA registration types)."""

    HOTEL = "hotel", _("Hotel")
    APARTMENT = "apartment", _("Apartment")
    DORMITORY = "dormitory", _("Company dormitory")
    GUEST_HOUSE = "guest_house", _("Guest house")
    VILLA = "villa", _("Villa")
    KOS = "kos", _("Boarding house (kos)")
    RENTED_HOUSE = "rented_house", _("Rented house")
    COMPANY = "company", _("Company (employer)")


class PremisesStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class ReportChannel(models.TextChoices):
    FORM = "form", _("Web form")
    IMPORT = "import", _("File import")
    API = "api", _("API")


class EmploymentEvent(models.TextChoices):
    START = "start", _("Started work")
    CONFIRM = "confirm", _("Periodic confirmation")
    CHANGE = "change", _("Change of position or location")
    TRANSFER = "transfer", _("Transfer")
    END = "end", _("Ended work")


class ImportKind(models.TextChoices):
    ACCOMMODATION = "accommodation", _("Accommodation reports")
    EMPLOYER = "employer", _("Employer reports")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class TipStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("Being checked")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")
