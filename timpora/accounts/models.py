"""Agencies, users, API tokens and login attempts."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from timpora.accounts.choices import AgencyType, Role


class Agency(models.Model):
    """A member agency of the TIMPORA team (e.g. Polsek Kasemen), or a reporting premises."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    agency_type = models.CharField(_("type"), max_length=20, choices=AgencyType.choices)
    area = models.ForeignKey(
        "areas.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("area"),
        help_text=_("Where the agency sits; empty for the working area."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """A person using Timpora, with one agency, one role and one region scope.

    ``scope_area`` empty means the office's whole working area (``TIMPORA_WORKING_AREA``);
    a kelurahan member has their kelurahan here and sees nothing outside it.
    """

    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("agency"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.TEAM_MEMBER
    )
    scope_area = models.ForeignKey(
        "areas.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region scope"),
        help_text=_("Empty: the office's whole working area."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def requires_second_factor(self) -> bool:
        """Administrators and analysts see the most data, so they must use TOTP."""
        return self.role in (Role.ADMINISTRATOR, Role.ANALYST)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for ``/api/v1/``; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class LoginAttempt(models.Model):
    """A failed or successful password login, for lockout and for the audit of access."""

    username = models.CharField(max_length=150, db_index=True)
    succeeded = models.BooleanField(default=False)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")

    def __str__(self) -> str:
        return f"{self.username} {self.created_at:%Y-%m-%d %H:%M} {self.succeeded}"
