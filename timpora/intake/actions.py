"""Writes for intake: premises registration and approval, reports filed one by one, tips.

Reports filed through a form or the API go through the same validation and write path as
file imports (``pipeline`` + ``importer``), so one set of rules decides what is accepted.
"""

from __future__ import annotations

import hashlib
import secrets
from array import array
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from timpora.accounts import actions as account_actions
from timpora.accounts.choices import AgencyType, Role
from timpora.accounts.models import Agency, User
from timpora.areas.models import Area
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.intake import importer, pipeline
from timpora.intake.choices import PremisesKind, PremisesStatus, ReportChannel, TipStatus
from timpora.intake.models import AccommodationReport, EmployerReport, Premises, PublicTip


@transaction.atomic
def register_premises(
    *,
    kind: str,
    name: str,
    licence_number: str,
    address: str,
    area_code: str,
    person_in_charge: str,
    phone: str = "",
    email: str = "",
    username: str,
    password: str,
    actor=None,
) -> Premises:
    """Self-registration: the premises, its agency and an inactive reporter account that the
    immigration office activates on approval."""
    errors: dict[str, list[str]] = {}
    if kind not in PremisesKind.values:
        errors.setdefault("kind", []).append(f"unknown kind {kind!r}")
    area = Area.objects.filter(code=area_code).first()
    if area is None or area.level not in ("kelurahan", "desa"):
        errors.setdefault("area_code", []).append("choose the kelurahan/desa of the premises")
    if Premises.objects.filter(kind=kind, licence_number=licence_number.strip()).exists():
        errors.setdefault("licence_number", []).append(
            "premises with this licence number are already registered"
        )
    if User.objects.filter(username=username).exists():
        errors.setdefault("username", []).append("this username is taken")
    if Agency.objects.filter(name=name.strip()).exists():
        errors.setdefault("name", []).append("an organisation with this name is registered")
    if errors:
        raise ValidationError(errors)
    agency = account_actions.create_agency(
        name=name.strip(),
        short_name=name.strip()[:60],
        agency_type=AgencyType.ACCOMMODATION,
        area=area,
        actor=actor,
    )
    premises = Premises(
        kind=kind,
        name=name.strip(),
        licence_number=licence_number.strip(),
        address=address.strip(),
        person_in_charge=person_in_charge.strip(),
        phone=phone,
        email=email,
        agency=agency,
    )
    premises.set_area_code(area_code)
    premises.save()
    user = account_actions.create_user(
        username=username,
        password=password,
        role=Role.REPORTER,
        agency=agency,
        scope_area=area,
        first_name=person_in_charge.strip()[:150],
        email=email,
        actor=actor,
    )
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=premises,
        fields={"kind": kind, "licence_number": licence_number, "area": area_code},
    )
    return premises


@transaction.atomic
def decide_premises(premises: Premises, *, approve: bool, actor, note: str = "") -> Premises:
    """Approve (activating its reporter accounts) or reject a registration."""
    premises.status = PremisesStatus.APPROVED if approve else PremisesStatus.REJECTED
    premises.decided_by = actor
    premises.decided_at = timezone.now()
    premises.decision_note = note[:300]
    premises.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    User.objects.filter(agency=premises.agency, role=Role.REPORTER).update(is_active=approve)
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=premises,
        fields={"status": premises.status, "note": note},
    )
    return premises


def _one_row(values: dict[str, str], spec) -> tuple[pa.Table, array]:
    names = [c.name for c in spec]
    unknown = set(values) - set(names)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    table = pa.table({n: pa.array([str(values.get(n) or "")], pa.string()) for n in names})
    return table, array("l", [1])


def _raise_row_errors(chunk: pipeline.Chunk) -> None:
    if chunk.errors:
        errors: dict[str, list[str]] = {}
        for error in chunk.errors:
            errors.setdefault(error.field or "__all__", []).append(error.reason)
        raise ValidationError(errors)


@transaction.atomic
def file_accommodation_report(
    premises: Premises, values: dict[str, Any], *, actor, channel: str = ReportChannel.FORM
) -> AccommodationReport:
    """File one guest report for ``premises`` (form or API) and return it.

    ``values`` uses the import column names; the same rules as a file import apply. Filing
    the same guest and check-in again returns the report already filed.
    """
    if premises.status != PremisesStatus.APPROVED:
        raise ValidationError({"__all__": ["the premises is not approved for reporting yet"]})
    table, numbers = _one_row(
        {k: v for k, v in values.items() if k != "premises_licence"}, pipeline.ACCOMMODATION_COLUMNS
    )
    chunk = pipeline.validate_accommodation(
        table,
        numbers,
        now_utc=pipeline.now_utc(),
        premises_by_licence=None,
        default_premises=premises.pk,
        late_hours=settings.TIMPORA_REPORT_LATE_HOURS,
    )
    _raise_row_errors(chunk)
    stage = importer._stage_table(chunk, importer.ACCOMMODATION_STAGE)
    importer._load_stage(stage, importer.ACCOMMODATION_STAGE)
    importer._write_accommodation(None, actor, channel=channel)
    report = AccommodationReport.objects.get(dedup_key=chunk.table["dedup_key"][0].as_py())
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=report,
        fields={"premises": premises.pk, "late": report.is_late, "channel": channel},
    )
    return report


@transaction.atomic
def check_out(report: AccommodationReport, when, *, actor) -> AccommodationReport:
    """Record the guest's check-out (and end the stay that the report opened)."""
    from timpora.registry.models import Stay

    if when < report.check_in:
        raise ValidationError({"check_out": ["check-out is before check-in"]})
    report.check_out = when
    report.save(update_fields=["check_out"])
    local_day = timezone.localtime(when).date()
    Stay.objects.filter(source_ref=f"accommodation:{report.pk}").update(date_to=local_day)
    record(AuditAction.UPDATE, actor=actor, obj=report, fields={"check_out": when})
    return report


@transaction.atomic
def file_employer_report(
    premises: Premises, values: dict[str, Any], *, actor, channel: str = ReportChannel.FORM
) -> EmployerReport:
    """File one employer report (start, confirm, change, transfer, end of work)."""
    if premises.status != PremisesStatus.APPROVED:
        raise ValidationError({"__all__": ["the company is not approved for reporting yet"]})
    table, numbers = _one_row(
        {k: v for k, v in values.items() if k != "premises_licence"}, pipeline.EMPLOYER_COLUMNS
    )
    known = set(
        Area.objects.filter(code=str(values.get("work_area_code") or "")).values_list(
            "code", flat=True
        )
    )
    chunk = pipeline.validate_employer(
        table,
        numbers,
        now_utc=pipeline.now_utc(),
        premises_by_licence=None,
        default_premises=premises.pk,
        known_areas=known,
    )
    _raise_row_errors(chunk)
    stage = importer._stage_table(chunk, importer.EMPLOYER_STAGE)
    importer._load_stage(stage, importer.EMPLOYER_STAGE)
    importer._write_employer(None, actor)
    report = EmployerReport.objects.get(dedup_key=chunk.table["dedup_key"][0].as_py())
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=report,
        fields={"premises": premises.pk, "event": report.event},
    )
    return report


def _client_hash(ip: str, user_agent: str) -> str:
    """A salted hash: enough to rate-limit a sender, never to identify the tipster."""
    salt = settings.SECRET_KEY.encode("utf-8")
    return hashlib.sha256(salt + ip.encode() + b"|" + user_agent.encode()).hexdigest()


class TooManyTips(Exception):
    """The sender has filed too many tips recently."""


@transaction.atomic
def file_public_tip(
    *, area_code: str, description: str, ip: str, user_agent: str, max_per_hour: int = 3
) -> PublicTip:
    area = Area.objects.filter(code=area_code).first()
    errors: dict[str, list[str]] = {}
    if area is None:
        errors["area_code"] = ["choose the kelurahan/desa"]
    if len(description.strip()) < 20:
        errors["description"] = ["describe what you saw in at least 20 characters"]
    if errors:
        raise ValidationError(errors)
    sender = _client_hash(ip, user_agent)
    hour_ago = timezone.now() - timezone.timedelta(hours=1)
    if (
        PublicTip.objects.filter(client_hash=sender, created_at__gte=hour_ago).count()
        >= max_per_hour
    ):
        raise TooManyTips()
    tip = PublicTip(
        tracking_code=_tracking_code(),
        description=description.strip()[:5000],
        client_hash=sender,
        status=TipStatus.RECEIVED,
    )
    tip.set_area_code(area_code)
    tip.save()
    record(
        AuditAction.CREATE,
        actor=None,
        obj=tip,
        object_repr=tip.tracking_code,
        fields={"area": area_code},
    )
    return tip


def _tracking_code() -> str:
    alphabet = importer._CODE_ALPHABET
    return "".join(secrets.choice(alphabet) for _ in range(10))
