"""Watch lists (entry bans, exit preventions, wanted notices, local lists), their entries
and the registry persons that match them."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from timpora.watchlists.choices import HitStatus, ListType


class WatchList(models.Model):
    """A list issued by an authority, valid for a period (e.g. the Directorate General's
    entry-ban list, a police DPO, the office's own list).

    Inactive lists and lists outside their validity period are not screened and their
    hits raise no alert.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    list_type = models.CharField(_("type"), max_length=12, choices=ListType.choices)
    source = models.CharField(
        _("issuing authority"),
        max_length=200,
        help_text=_("Who issued the list, e.g. Direktorat Jenderal Imigrasi, Polda Banten."),
    )
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("Letter or decision number.")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    owning_agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owning agency"),
    )
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("watch list")
        verbose_name_plural = _("watch lists")

    def __str__(self) -> str:
        return self.name

    def in_force(self, day: date) -> bool:
        """Active and within its validity period on ``day``."""
        return (
            self.active
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or self.valid_until >= day)
        )


class WatchListImport(models.Model):
    """One file imported into a list: its counts and its row errors (row, field, reason)."""

    watchlist = models.ForeignKey(WatchList, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[[row, field, reason], ...]")
    ignored_columns = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("watch-list import")
        verbose_name_plural = _("watch-list imports")

    def __str__(self) -> str:
        return f"{self.watchlist} · {self.file_name}"


class WatchListEntry(models.Model):
    """A person on a list as the issuer wrote them; unknown fields are empty.

    ``date_of_birth`` may be partial (``1980``, ``1980-05``); ``valid_until`` empty means the
    entry lasts as long as its list.
    """

    watchlist = models.ForeignKey(WatchList, on_delete=models.CASCADE, related_name="entries")
    list_id = models.CharField(_("list id"), max_length=100, help_text=_("The issuer's id."))
    full_name = models.CharField(_("full name"), max_length=250)
    date_of_birth = models.CharField(_("date of birth"), max_length=10, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    passport_number = models.CharField(_("passport number"), max_length=30, blank=True)
    list_type = models.CharField(_("type"), max_length=12, choices=ListType.choices)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reason = models.TextField(_("reason / notes"), blank=True)
    batch = models.ForeignKey(
        WatchListImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["watchlist", "full_name", "id"]
        verbose_name = _("watch-list entry")
        verbose_name_plural = _("watch-list entries")
        constraints = [
            models.UniqueConstraint(fields=["watchlist", "list_id"], name="unique_list_id_per_list")
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.list_id})"

    def valid_through(self) -> date | None:
        """The last day the entry is in force: its own date or its list's, the earlier."""
        days = [d for d in (self.valid_until, self.watchlist.valid_until) if d is not None]
        return min(days) if days else None


class WatchListHit(models.Model):
    """A registry person who may be a watch-list entry, with the evidence of the match.

    One row per entry and person: screening again updates the score and evidence but never
    the decision, so a dismissed pair stays dismissed and is not asked again.
    """

    entry = models.ForeignKey(WatchListEntry, on_delete=models.CASCADE, related_name="hits")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="watchlist_hits"
    )
    score = models.FloatField(_("score"), help_text=_("Match probability, 0 to 1."))
    explanation = models.TextField(_("explanation"), blank=True)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=HitStatus.choices, default=HitStatus.OPEN
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    first_seen = models.DateTimeField(_("first found"))
    last_seen = models.DateTimeField(_("last found"))

    class Meta:
        ordering = ["-score", "-id"]
        verbose_name = _("watch-list hit")
        verbose_name_plural = _("watch-list hits")
        constraints = [
            models.UniqueConstraint(fields=["entry", "person"], name="one_hit_per_entry_and_person")
        ]
        indexes = [
            models.Index(fields=["person", "status"]),
            models.Index(fields=["status", "entry"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ~ {self.entry_id} ({self.score:.2f})"
