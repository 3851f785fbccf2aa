"""The supervised registry: persons, travel documents, stay permits, sponsors, stays."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from timpora.registry.choices import (
    DatePrecision,
    DocumentType,
    MergeKind,
    PermitCategory,
    Sex,
    SponsorKind,
    StaySource,
)


class AreaCodes(models.Model):
    """Area code columns at every level, so region scope is an indexed equality, not a LIKE.

    ``kelurahan_code`` is the most precise code known (a kelurahan/desa, or a kecamatan when
    only that is known); the coarser columns are derived from it by ``split_area_code``.
    """

    province_code = models.CharField(max_length=2, blank=True)
    kabkota_code = models.CharField(max_length=5, blank=True)
    kecamatan_code = models.CharField(max_length=8, blank=True)
    kelurahan_code = models.CharField(max_length=13, blank=True)

    class Meta:
        abstract = True

    def set_area_code(self, code: str) -> None:
        for name, value in split_area_code(code).items():
            setattr(self, name, value)

    @property
    def area_code(self) -> str:
        return self.kelurahan_code or self.kecamatan_code or self.kabkota_code


AREA_LEVEL_COLUMNS = {
    1: "province_code",
    2: "kabkota_code",
    3: "kecamatan_code",
    4: "kelurahan_code",
}


def split_area_code(code: str) -> dict[str, str]:
    """``36.73.02.1007`` → the four level columns (coarser levels filled, finer left empty)."""
    parts = code.split(".") if code else []
    return {
        column: ".".join(parts[:level]) if len(parts) >= level else ""
        for level, column in AREA_LEVEL_COLUMNS.items()
    }


class PermitIndex(models.Model):
    """A visa/stay-permit index (A1, B1, C-series, E23, ...). Data, not code: the list changes
    by decree (133 indices in 2023, 110 since 2025), so administrators maintain it."""

    code = models.CharField(_("index"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=12, choices=PermitCategory.choices)
    max_stay_days = models.PositiveIntegerField(_("maximum stay (days)"), null=True, blank=True)
    allows_work = models.BooleanField(_("allows work"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("permit index")
        verbose_name_plural = _("permit indices")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Sponsor(AreaCodes):
    """A sponsor (*penjamin*, UU 6/2011 Art. 63): a company or an individual citizen who answers
    for a foreigner's presence and activities."""

    kind = models.CharField(_("kind"), max_length=12, choices=SponsorKind.choices)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    nib = models.CharField(_("business ID (NIB)"), max_length=13, blank=True, db_index=True)
    nik = models.CharField(_("citizen ID (NIK)"), max_length=16, blank=True, db_index=True)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")

    def __str__(self) -> str:
        return self.name


class Person(AreaCodes):
    """A foreign national under supervision.

    Names are kept as in the passport (``surname``, ``given_names``) and as written by the
    source (``full_name``); ``name_key`` is the folded form used by substring search and the
    name sort, ``name_search`` the matching engine's canonical tokens, sound skeletons and
    order-free key (``timpora.registry.names.search_key``) used by fuzzy search. The area
    columns hold the *current* stay, denormalised for fast lists; region scope looks at every
    stay (a person who ever stayed in an area is visible to that area's team).

    A person merged into another (``merged_into``) is a tombstone: it keeps its identity for
    the history, owns no rows any more, and is left out of every search, list, count, export,
    detection rule and map indicator. Its page redirects to the person it was merged into.
    """

    surname = models.CharField(_("surname"), max_length=100, blank=True)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    full_name = models.CharField(_("full name"), max_length=250)
    name_key = models.CharField(max_length=250, db_index=True, editable=False)
    name_search = models.CharField(max_length=500, blank=True, default="", editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNSPECIFIED)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("date of birth precision"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    place_of_birth = models.CharField(_("place of birth"), max_length=100, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3, db_index=True)
    photo = models.FileField(_("photo"), upload_to="photos/%Y/%m/", blank=True)
    current_permit_category = models.CharField(max_length=12, blank=True, db_index=True)
    current_permit_valid_until = models.DateField(null=True, blank=True, db_index=True)
    current_stay_from = models.DateField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_persons",
        editable=False,
        # Almost every row is NULL: the partial index below serves the few look-ups.
        db_index=False,
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_key", "id"]
        verbose_name = _("foreign national")
        verbose_name_plural = _("foreign nationals")
        indexes = [
            models.Index(fields=["kecamatan_code", "current_permit_valid_until"]),
            models.Index(fields=["kelurahan_code", "current_permit_valid_until"]),
            models.Index(fields=["kabkota_code", "current_permit_valid_until"]),
            models.Index(fields=["nationality", "name_key"]),
            models.Index(
                fields=["merged_into"],
                condition=models.Q(merged_into__isnull=False),
                name="registry_person_merged_into",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def birth_year(self) -> int | None:
        return self.birth_date.year if self.birth_date else None


class TravelDocument(models.Model):
    """A passport or other travel document; ``number`` is upper-case without spaces."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(
        _("type"), max_length=1, choices=DocumentType.choices, default=DocumentType.PASSPORT
    )
    number = models.CharField(_("number"), max_length=20, db_index=True)
    issuing_state = models.CharField(_("issuing country"), max_length=3)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    mrz = models.TextField(_("machine-readable zone"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-expiry_date", "-id"]
        verbose_name = _("travel document")
        verbose_name_plural = _("travel documents")
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_state", "number"], name="unique_document_per_state"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.issuing_state} {self.number}"


class StayPermit(models.Model):
    """A stay permit (ITK, ITAS, ITAP, ...). Its status is derived from ``valid_until``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="permits")
    category = models.CharField(_("category"), max_length=12, choices=PermitCategory.choices)
    index = models.ForeignKey(
        PermitIndex,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("visa/permit index"),
    )
    number = models.CharField(_("permit number"), max_length=40, blank=True, db_index=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), db_index=True)
    issuing_office = models.CharField(_("issuing office"), max_length=150, blank=True)
    sponsor = models.ForeignKey(
        Sponsor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="permits",
        verbose_name=_("sponsor"),
    )
    purpose = models.CharField(_("purpose / activity"), max_length=200, blank=True)
    travel_document = models.ForeignKey(
        TravelDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="permits"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_until", "-id"]
        verbose_name = _("stay permit")
        verbose_name_plural = _("stay permits")

    def __str__(self) -> str:
        index = self.index.code if self.index_id else self.get_category_display()
        return f"{index} {self.number} ({self.valid_until:%Y-%m-%d})"

    def status_on(self, day: date, expiring_days: int):
        from timpora.registry.status import permit_status

        return permit_status(self.valid_until, day, expiring_days)


class PermitExtension(models.Model):
    """One extension of a stay permit; the permit's ``valid_until`` is the latest one."""

    permit = models.ForeignKey(StayPermit, on_delete=models.CASCADE, related_name="extensions")
    previous_valid_until = models.DateField(_("valid until before"))
    new_valid_until = models.DateField(_("extended until"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["new_valid_until"]
        verbose_name = _("permit extension")
        verbose_name_plural = _("permit extensions")

    def __str__(self) -> str:
        return f"{self.previous_valid_until} → {self.new_valid_until}"


class Employment(AreaCodes):
    """Work of a foreign national for an employer (the area columns are the work location)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    employer = models.ForeignKey(
        Sponsor, on_delete=models.PROTECT, related_name="employees", verbose_name=_("employer")
    )
    position = models.CharField(_("position"), max_length=150)
    work_plan_reference = models.CharField(
        _("work plan (RPTKA) reference"), max_length=60, blank=True
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["kecamatan_code", "person"])]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")

    def __str__(self) -> str:
        return f"{self.position} @ {self.employer}"


class Stay(AreaCodes):
    """Where a person lives or stays, for a period, and which source said so."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stays")
    address = models.CharField(_("address"), max_length=300, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("until"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=StaySource.choices, default=StaySource.REGISTRY
    )
    source_ref = models.CharField(_("source reference"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date_from", "-id"]
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        indexes = [
            models.Index(fields=["kecamatan_code", "person"]),
            models.Index(fields=["kelurahan_code", "person"]),
            models.Index(fields=["kabkota_code", "person"]),
        ]

    def __str__(self) -> str:
        return f"{self.area_code} {self.date_from}–{self.date_to or ''}"


class PersonMerge(models.Model):
    """One merge of two registry persons found to be the same foreigner, or one split of a
    person whose records turned out to belong to two.

    A merge moves every row that pointed to ``absorbed`` to ``survivor`` and leaves
    ``absorbed`` as a tombstone (``Person.merged_into``). A split is recorded the same way
    round: ``survivor`` is the person split, ``absorbed`` the person created from the
    selected records. ``rows`` say exactly which rows moved, so that ``undo_merge`` moves
    exactly those back; an undone merge or split stays here as history.
    """

    # Rows of this model keep pointing at the persons they name: a merge must not move them.
    merge_keeps_person = True

    kind = models.CharField(
        _("kind"), max_length=8, choices=MergeKind.choices, default=MergeKind.MERGE
    )
    survivor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="merges_kept", verbose_name=_("kept")
    )
    absorbed = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="merges_absorbed", verbose_name=_("other")
    )
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undo_reason = models.TextField(_("reason for the undo"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("person merge")
        verbose_name_plural = _("person merges")

    def __str__(self) -> str:
        return f"{self.kind} {self.absorbed_id} → {self.survivor_id}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class PersonMergeRow(models.Model):
    """One row that a merge or split moved: which model, through which foreign key, which
    primary key. A link row dropped because the other person already had the same link (an
    operation targeting both) keeps its column values in ``dropped`` to be put back."""

    merge = models.ForeignKey(PersonMerge, on_delete=models.CASCADE, related_name="rows")
    model = models.CharField(max_length=100)
    field = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    dropped = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("moved row")
        verbose_name_plural = _("moved rows")

    def __str__(self) -> str:
        return f"{self.model}:{self.object_id}"
