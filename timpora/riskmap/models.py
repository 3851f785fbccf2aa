"""Static vulnerability factors and cached area indicators."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from timpora.riskmap.choices import FactorKind


class VulnerabilityFactor(models.Model):
    """A standing reason to watch an area (a coastline, a port, an industrial estate …).

    Applies to the area and everything below it (a kecamatan factor counts for each of its
    kelurahan). Seeded for Serang from public knowledge; the office confirms each one.
    """

    area = models.ForeignKey(
        "areas.Area", on_delete=models.CASCADE, related_name="factors", verbose_name=_("area")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=FactorKind.choices)
    weight = models.PositiveSmallIntegerField(_("weight (points)"), default=10)
    note = models.CharField(_("note"), max_length=300, blank=True)
    confirmed = models.BooleanField(_("confirmed by the office"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area__code", "kind"]
        verbose_name = _("vulnerability factor")
        verbose_name_plural = _("vulnerability factors")
        constraints = [
            models.UniqueConstraint(fields=["area", "kind"], name="one_factor_kind_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.area.name}: {self.get_kind_display()} ({self.weight})"


class IndicatorSnapshot(models.Model):
    """Indicators of all areas of one level under one parent for one period, as computed
    at ``computed_at`` (the map reads this; a refresh replaces it)."""

    parent_code = models.CharField(max_length=13)
    level = models.CharField(max_length=12)
    period_from = models.DateField()
    period_to = models.DateField()
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    data_version = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["parent_code", "level", "period_from", "period_to"],
                name="one_snapshot_per_view",
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent_code} {self.level} {self.period_from}..{self.period_to}"
