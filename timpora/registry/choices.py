"""Choices for the registry of foreign nationals."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNSPECIFIED = "X", _("Unspecified")


class DatePrecision(models.TextChoices):
    """How much of a (birth) date is known: passports of some countries carry only the year."""

    DAY = "day", _("Full date")
    MONTH = "month", _("Year and month")
    YEAR = "year", _("Year only")
    UNKNOWN = "unknown", _("Unknown")


class DocumentType(models.TextChoices):
    PASSPORT = "P", _("Passport")
    ID_CARD = "I", _("Identity card")
    TRAVEL_DOCUMENT = "T", _("Travel document (e.g. for refugees, stateless persons)")
    OTHER = "O", _("Other")


class PermitCategory(models.TextChoices):
    """Stay permit categories of UU 6/2011 Art. 48."""

    VISIT = "visit", _("Visit stay permit (ITK)")
    LIMITED = "limited", _("Limited stay permit (ITAS)")
    PERMANENT = "permanent", _("Permanent stay permit (ITAP)")
    DIPLOMATIC = "diplomatic", _("Diplomatic stay permit")
    SERVICE = "service", _("Service stay permit")


class PermitStatus(models.TextChoices):
    """Derived from the valid-until date, never stored."""

    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring")
    EXPIRED = "expired", _("Expired")


class SponsorKind(models.TextChoices):
    COMPANY = "company", _("Company")
    INDIVIDUAL = "individual", _("Individual citizen")


class StaySource(models.TextChoices):
    """Who told us where the person stays."""

    REGISTRY = "registry", _("Registry entry")
    PERMIT = "permit", _("Stay permit application")
    ACCOMMODATION = "accommodation", _("Accommodation report")
    EMPLOYER = "employer", _("Employer report")
    FIELD = "field", _("Field finding")
    TIP = "tip", _("Public tip")


class MergeKind(models.TextChoices):
    """What a ``PersonMerge`` recorded: two records of one foreigner joined, or one record
    of two foreigners taken apart."""

    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
