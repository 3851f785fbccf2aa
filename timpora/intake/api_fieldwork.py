"""Field findings and public tips through the API (token only).

``POST /field-findings`` takes JSON (identity typed or from MRZ lines, place by area code or
GPS); photos follow as multipart on ``POST /field-findings/{id}/photos``. Reads are scoped
and audited. Public tips are filed through the web form only: the API needs a token, and a
tipster has none.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from timpora.api.auth import BearerToken
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.intake import actions, queries
from timpora.intake.choices import ReportChannel
from timpora.intake.models import FieldFinding, PublicTip
from timpora.registry import masking

findings_router = Router(tags=["field findings"])
tips_router = Router(tags=["public tips"])

# --------------------------------------------------------------------------- schemas


class FindingIn(Schema):
    """A person met in the field. With ``mrz`` the zone fills the identity fields left out
    (a typed passport number must match it); give ``area_code``, ``lon``/``lat`` or both."""

    observation: str
    mrz: list[str] | None = Field(None, description="The 2 (passport) or 3 (ID card) MRZ lines")
    surname: str = ""
    given_names: str = ""
    full_name: str = ""
    sex: str = Field("", description="M, F or X; empty: from the MRZ, else X")
    birth_date: date | None = None
    nationality: str = Field("", description="ISO/ICAO code or a country name")
    passport_number: str = Field("", description="Empty when no passport was shown")
    passport_expiry: date | None = None
    area_code: str = Field("", description="Kelurahan/desa code inside the caller's scope")
    lon: float | None = None
    lat: float | None = None
    location_note: str = ""
    working: bool = False
    found_at: datetime | None = Field(None, description="With time zone; empty: now")


class FindingOut(Schema):
    id: int
    person_id: int | None
    officer: str
    found_at: datetime
    full_name: str
    surname: str
    given_names: str
    sex: str
    birth_year: int | None
    birth_date: date | None = Field(None, description="Only where identifiers are in clear")
    nationality: str
    passport_number: str | None = Field(
        None, description="In clear, masked or absent, by the caller's identifier policy"
    )
    kelurahan_code: str
    kecamatan_code: str
    lon: float | None
    lat: float | None
    location_note: str
    observation: str
    working: bool
    photos: int


class FindingListOut(Schema):
    count: int
    items: list[FindingOut]


class FindingQuery(Schema):
    mine: bool = Field(False, description="Only the caller's own findings")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class PhotosOut(Schema):
    id: int
    photos: int


class TipOut(Schema):
    id: int
    tracking_code: str
    created_at: datetime
    kelurahan_code: str
    kecamatan_code: str
    description: str
    status: str
    public_note: str


class TipListOut(Schema):
    count: int
    items: list[TipOut]


class TipQuery(Schema):
    status: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


# --------------------------------------------------------------------------- helpers


def _finding_out(finding: FieldFinding, user, policy: str) -> dict[str, Any]:
    # No session in the API: the recording officer and "clear" agencies see identifiers,
    # "masked" agencies a masked number and the birth year (unmask through the registry).
    clear = finding.officer_id == user.pk or policy == masking.CLEAR
    number: str | None = None
    if finding.passport_number:
        if clear:
            number = finding.passport_number
        elif policy == masking.MASKED:
            number = masking.mask_number(finding.passport_number)
    return {
        "id": finding.pk,
        "person_id": finding.person_id,
        "officer": finding.officer.username,
        "found_at": finding.found_at,
        "full_name": finding.full_name,
        "surname": finding.surname,
        "given_names": finding.given_names,
        "sex": finding.sex,
        "birth_year": finding.birth_date.year if finding.birth_date else None,
        "birth_date": finding.birth_date if clear else None,
        "nationality": finding.nationality,
        "passport_number": number,
        "kelurahan_code": finding.kelurahan_code,
        "kecamatan_code": finding.kecamatan_code,
        "lon": finding.lon,
        "lat": finding.lat,
        "location_note": finding.location_note,
        "observation": finding.observation,
        "working": finding.working,
        "photos": len(finding.photos.all()),
    }


def _tip_out(tip: PublicTip) -> dict[str, Any]:
    return {
        "id": tip.pk,
        "tracking_code": tip.tracking_code,
        "created_at": tip.created_at,
        "kelurahan_code": tip.kelurahan_code,
        "kecamatan_code": tip.kecamatan_code,
        "description": tip.description,
        "status": tip.status,
        "public_note": tip.public_note,
    }


# --------------------------------------------------------------------------- findings


@findings_router.post(
    "",
    response={201: FindingOut},
    auth=BearerToken("finding.create"),
    summary="Record a field finding",
)
def create_finding(request, payload: FindingIn):
    """Links (or registers) the registry person and adds a stay with source "field"; a
    GPS point outside the caller's scope is refused (422 on ``lon``)."""
    data = actions.FindingInput(
        observation=payload.observation,
        mrz="\n".join(payload.mrz or []),
        surname=payload.surname,
        given_names=payload.given_names,
        full_name=payload.full_name,
        sex=payload.sex,
        birth_date=payload.birth_date,
        nationality=payload.nationality,
        passport_number=payload.passport_number,
        passport_expiry=payload.passport_expiry,
        area_code=payload.area_code,
        lon=payload.lon,
        lat=payload.lat,
        location_note=payload.location_note,
        working=payload.working,
        found_at=payload.found_at,
    )
    finding = actions.record_field_finding(data, actor=request.user, channel=ReportChannel.API)
    return Status(201, _finding_out(finding, request.user, masking.identifier_policy(request.user)))


@findings_router.get(
    "",
    response=FindingListOut,
    auth=BearerToken(),
    summary="Field findings: own, and in the caller's scope",
)
def list_findings(request, params: Query[FindingQuery]):
    """``{"count", "items"}``, newest first; audited with the ids returned."""
    user = request.user
    qs = queries.findings_for(user)
    if params.mine:
        qs = qs.filter(officer_id=user.pk)
    count = qs.count()
    findings = list(qs.prefetch_related("photos")[params.offset : params.offset + params.limit])
    policy = masking.identifier_policy(user)
    record(
        AuditAction.VIEW,
        actor=user,
        object_type="intake.fieldfinding",
        object_repr="field finding list",
        fields={
            "mine": params.mine,
            "limit": params.limit,
            "offset": params.offset,
            "count": count,
            "ids": [f.pk for f in findings],
        },
    )
    return {"count": count, "items": [_finding_out(f, user, policy) for f in findings]}


@findings_router.post(
    "/{finding_id}/photos",
    response={201: PhotosOut},
    auth=BearerToken("finding.create"),
    summary="Add photos to one's own finding (multipart, field ``photos``)",
)
def add_photos(request, finding_id: int, photos: File[list[UploadedFile]] = None):
    """JPEG, PNG or WebP, 10 MB each. Only the officer who recorded the finding adds
    photos (403 for others who see it, 404 outside the caller's scope)."""
    finding = queries.finding_for(request.user, finding_id)
    if finding.officer_id != request.user.pk:
        raise PermissionDenied("own finding")
    actions.add_finding_photos(finding, photos or [], actor=request.user)
    return Status(201, {"id": finding.pk, "photos": finding.photos.count()})


# ------------------------------------------------------------------------------ tips


@tips_router.get(
    "",
    response=TipListOut,
    auth=BearerToken("tip.view"),
    summary="Public tips in the caller's scope",
)
def list_tips(request, params: Query[TipQuery]):
    qs = queries.tips_for(request.user)
    if params.status:
        qs = qs.filter(status=params.status)
    count = qs.count()
    tips = list(qs[params.offset : params.offset + params.limit])
    record(
        AuditAction.VIEW,
        actor=request.user,
        object_type="intake.publictip",
        object_repr="public tip list",
        fields={"status": params.status, "count": count, "ids": [t.pk for t in tips]},
    )
    return {"count": count, "items": [_tip_out(t) for t in tips]}
