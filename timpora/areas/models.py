"""Administrative areas (wilayah): the Kemendagri hierarchy with optional boundaries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from timpora.areas.choices import AreaLevel


class AreaQuerySet(models.QuerySet["Area"]):
    def within(self, prefixes: tuple[str, ...]) -> AreaQuerySet:
        """Areas inside any of the given area codes (an area code is a prefix of its children)."""
        return self.filter(within_q("code", prefixes))

    def visible_to_prefixes(self, prefixes: tuple[str, ...]) -> AreaQuerySet:
        """Areas inside the scope, plus the ancestors of the scope roots (for context)."""
        ancestors: set[str] = set()
        for prefix in prefixes:
            parts = prefix.split(".")
            ancestors.update(".".join(parts[:i]) for i in range(1, len(parts)))
        return self.filter(within_q("code", prefixes) | models.Q(code__in=ancestors))


def within_q(field: str, prefixes: tuple[str, ...]) -> models.Q:
    """A Q object matching ``field`` equal to, or below, any of the area codes in ``prefixes``.

    Area codes are dotted (``36.73.02.1001``), so "below" is "starts with code + '.'". An empty
    tuple matches nothing (a user with no scope sees nothing, never everything).
    """
    q = models.Q(pk__in=[])
    for prefix in prefixes:
        q |= models.Q(**{field: prefix}) | models.Q(**{f"{field}__startswith": prefix + "."})
    return q


class Area(models.Model):
    """One administrative area: province, regency/city, kecamatan or kelurahan/desa.

    ``code`` is the Kemendagri code; the parent is the code without its last segment. The
    boundary, when known, is kept as GeoJSON text with its bounding box in columns, so a
    point lookup can pre-filter in SQL before an exact shapely test.
    """

    code = models.CharField(_("code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    geometry = models.TextField(_("boundary (GeoJSON)"), blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    centroid_lon = models.FloatField(null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def has_boundary(self) -> bool:
        return bool(self.geometry)


LEVEL_COLUMNS = {1: "province_code", 2: "kabkota_code", 3: "kecamatan_code", 4: "kelurahan_code"}


def area_columns_q(prefixes: tuple[str, ...], *, prefix: str = "") -> models.Q:
    """Q for rows whose level columns (``province_code`` … ``kelurahan_code``) fall inside any
    of the area codes: an indexed equality on the column of the code's level.

    ``prefix`` reaches through a relation (``"stays__"``). Empty prefixes match nothing.
    """
    q = models.Q(pk__in=[])
    for code in prefixes:
        column = LEVEL_COLUMNS.get(len(code.split(".")))
        if column:
            q |= models.Q(**{f"{prefix}{column}": code})
    return q
