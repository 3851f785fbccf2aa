"""Writes of the vulnerability map: the standing factors the office keeps (atomic, audited).

A factor changes the risk score of its area and of every area below it; the indicator
cache notices through ``indicators.data_version`` (it reads the factors' latest change and
their count, so a deletion counts too).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from timpora.accounts.access import require, scope_of
from timpora.areas.models import Area
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.riskmap.choices import FactorKind
from timpora.riskmap.models import VulnerabilityFactor

#: Points one factor may carry: the factors of an area are capped together anyway
#: (``TIMPORA_RISK_WEIGHTS["factors"]["cap"]``); one factor above 50 would be a typo.
MAX_FACTOR_WEIGHT = 50


@dataclass(frozen=True)
class FactorInput:
    """What an administrator enters for one factor."""

    area: Area
    kind: str
    weight: int
    note: str = ""
    confirmed: bool = False


def _check(data: FactorInput, actor, factor: VulnerabilityFactor | None) -> None:
    require(actor, "factor.manage")
    errors: dict[str, list[str]] = {}
    if not scope_of(actor).contains(data.area.code):
        errors["area"] = [_("This area is outside your scope.")]
    if data.kind not in FactorKind.values:
        errors["kind"] = [_("Unknown kind of factor.")]
    if not 0 < data.weight <= MAX_FACTOR_WEIGHT:
        errors["weight"] = [
            _("The weight must be between 1 and %(max)d points.") % {"max": MAX_FACTOR_WEIGHT}
        ]
    clash = VulnerabilityFactor.objects.filter(area=data.area, kind=data.kind)
    if factor is not None:
        clash = clash.exclude(pk=factor.pk)
    if "kind" not in errors and clash.exists():
        errors["kind"] = [_("This area already has a factor of this kind; edit that one.")]
    if errors:
        raise ValidationError(errors)


def _fields(factor: VulnerabilityFactor) -> dict[str, object]:
    return {
        "area": factor.area.code,
        "kind": factor.kind,
        "weight": factor.weight,
        "note": factor.note,
        "confirmed": factor.confirmed,
    }


@transaction.atomic
def save_factor(
    data: FactorInput, *, actor, factor: VulnerabilityFactor | None = None
) -> VulnerabilityFactor:
    """Create a factor, or change ``factor``; the audit record keeps old and new values."""
    if factor is not None and not scope_of(actor).contains(factor.area.code):
        raise ValidationError({"area": [_("This factor is outside your scope.")]})
    _check(data, actor, factor)
    before = _fields(factor) if factor is not None else None
    factor = factor or VulnerabilityFactor()
    factor.area = data.area
    factor.kind = data.kind
    factor.weight = data.weight
    factor.note = data.note.strip()
    factor.confirmed = data.confirmed
    factor.save()
    after = _fields(factor)
    record(
        AuditAction.CREATE if before is None else AuditAction.UPDATE,
        actor=actor,
        obj=factor,
        fields=after if before is None else {"before": before, "after": after},
    )
    return factor


@transaction.atomic
def delete_factor(factor: VulnerabilityFactor, *, actor) -> None:
    """Remove a factor that does not apply (the audit record keeps what it was)."""
    require(actor, "factor.manage")
    if not scope_of(actor).contains(factor.area.code):
        raise ValidationError({"area": [_("This factor is outside your scope.")]})
    record(AuditAction.DELETE, actor=actor, obj=factor, fields=_fields(factor))
    factor.delete()
