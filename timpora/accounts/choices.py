"""Agency types and user roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyType(models.TextChoices):
    """The member agencies of a TIMPORA team (Permenkumham 50/2016; see docs/domain)."""

    IMMIGRATION = "immigration", _("Immigration office")
    POLICE = "police", _("Police")
    MILITARY = "military", _("Military")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    LOCAL_GOVERNMENT = "local_government", _("Local government / Kesbangpol")
    MANPOWER = "manpower", _("Manpower office")
    CIVIL_REGISTRY = "civil_registry", _("Civil registry")
    INTELLIGENCE = "intelligence", _("Regional intelligence")
    NARCOTICS = "narcotics", _("Narcotics agency")
    RELIGIOUS_AFFAIRS = "religious_affairs", _("Religious affairs")
    TOURISM = "tourism", _("Tourism office")
    ACCOMMODATION = "accommodation", _("Accommodation / employer (reporter)")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    """What a user does in the system; the permission matrix is in ``access.py``."""

    ADMINISTRATOR = "administrator", _("Administrator")
    ANALYST = "analyst", _("Analyst")
    OFFICER = "officer", _("Officer")
    TEAM_MEMBER = "team_member", _("Team member")
    REPORTER = "reporter", _("Reporter")
    AUDITOR = "auditor", _("Auditor")
    HEAD_OF_OFFICE = "head_of_office", _("Head of office (Kakanim)")
