"""Reads of the audit trail (auditors and administrators only)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from timpora.accounts.access import require
from timpora.audit.models import AuditRecord


def audit_records_for(
    user,
    *,
    action: str = "",
    username: str = "",
    object_type: str = "",
    object_id: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditRecord]:
    """The audit trail, filtered. The trail covers every agency, so only its guardians see it."""
    require(user, "audit.view")
    qs = AuditRecord.objects.all().order_by("-id")
    if action:
        qs = qs.filter(action=action)
    if username:
        qs = qs.filter(actor_username=username)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    return qs
