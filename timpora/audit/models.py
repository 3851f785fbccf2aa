"""The append-only, hash-chained audit trail (UU 27/2022: record all processing)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from timpora.audit.choices import AuditAction

GENESIS_HASH = "0" * 64


class AppendOnlyQuerySet(models.QuerySet["AuditRecord"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit records are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit records are append-only")


class AuditRecord(models.Model):
    """Who did what to which object, when and from where.

    Each record's ``hash`` covers its content and the previous record's hash, so changing or
    deleting any record breaks the chain from there on (``timpora audit verify``). The
    database also refuses UPDATE and DELETE on this table (triggers, see the migration).
    """

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    agency = models.CharField(_("agency"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    fields = models.JSONField(_("fields"), default=dict, blank=True)
    origin = models.JSONField(_("origin"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def payload(self) -> dict[str, Any]:
        """The hashed content. Order and deletions are covered by ``prev_hash``."""
        return {
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "agency": self.agency,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "fields": self.fields,
            "origin": self.origin,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        blob = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit records are append-only")
