"""API shapes of the registry (django-ninja schemas).

Output schemas are filled from plain dicts built in ``api.py``, which decides per caller what
an identifier looks like (clear, masked or absent); input schemas only describe shape and
types, the business rules stay in ``actions.py``.
"""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema
from pydantic import field_validator

# --------------------------------------------------------------------------- errors


class ErrorItem(Schema):
    loc: list[str]
    msg: str


class ErrorOut(Schema):
    """The 422 shape, the same as django-ninja's own validation errors."""

    detail: list[ErrorItem]


# --------------------------------------------------------------------------- persons


class PersonQuery(Schema):
    """Query parameters of ``GET /persons`` (``queries.PersonFilter`` plus paging)."""

    name: str = ""
    passport_number: str = ""
    nationality: str = ""
    area: str = Field("", description="Area code at any level, e.g. 36.73.02")
    sponsor: int | None = Field(None, description="Sponsor id (permit sponsor or employer)")
    permit_category: str = ""
    permit_status: str = Field("", description="valid, expiring, expired or none")
    expiring_days: int | None = Field(None, ge=0, le=3660)
    sort: str = Field(
        "relevance",
        description="relevance (best name matches first), name, -name, nationality, "
        "valid_until, -valid_until, newest",
    )
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)

    @field_validator("sponsor", "expiring_days", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        # ``?sponsor=`` comes from forms that leave the field empty: no filter, not an error.
        return None if value == "" else value


class PersonListItem(Schema):
    id: int
    full_name: str
    surname: str
    given_names: str
    sex: str
    birth_year: int | None
    birth_date: date | None = Field(
        None, description="Only for callers who see identifiers in clear"
    )
    nationality: str
    current_permit_category: str
    current_permit_valid_until: date | None
    permit_status: str = Field(description="valid, expiring, expired or none")
    overstay_days: int | None
    kelurahan_code: str
    kecamatan_code: str


class PersonListOut(Schema):
    count: int
    items: list[PersonListItem]


class DocumentOut(Schema):
    id: int
    doc_type: str
    number: str | None = Field(description="Masked (A1•••78) unless identifiers are clear")
    issuing_state: str
    issue_date: date | None
    expiry_date: date | None
    mrz: str | None = Field(None, description="Only for callers who see identifiers in clear")


class ExtensionOut(Schema):
    id: int
    previous_valid_until: date
    new_valid_until: date
    decided_on: date | None
    reference: str


class PermitOut(Schema):
    id: int
    category: str
    index_code: str | None
    number: str
    issue_date: date | None
    valid_until: date
    issuing_office: str
    sponsor_id: int | None
    sponsor_name: str | None
    purpose: str
    travel_document_id: int | None
    status: str
    overstay_days: int
    extensions: list[ExtensionOut]


class StayOut(Schema):
    id: int
    area_code: str
    kelurahan_code: str
    kecamatan_code: str
    kabkota_code: str
    address: str
    lon: float | None
    lat: float | None
    date_from: date
    date_to: date | None
    source: str
    source_ref: str


class EmploymentOut(Schema):
    id: int
    employer_id: int
    employer_name: str
    position: str
    work_area_code: str
    work_plan_reference: str
    start_date: date | None
    end_date: date | None


class PersonDetailOut(Schema):
    id: int
    full_name: str
    surname: str
    given_names: str
    sex: str
    birth_year: int | None
    birth_date: date | None = Field(
        None, description="Only for callers who see identifiers in clear"
    )
    birth_date_precision: str
    place_of_birth: str | None = Field(
        None, description="Only for callers who see identifiers in clear"
    )
    nationality: str
    current_permit_category: str
    current_permit_valid_until: date | None
    permit_status: str
    overstay_days: int | None
    province_code: str
    kabkota_code: str
    kecamatan_code: str
    kelurahan_code: str
    identifiers: str = Field(description="clear, masked or hidden: how identifiers are shown")
    documents: list[DocumentOut]
    permits: list[PermitOut]
    stays: list[StayOut]
    employments: list[EmploymentOut]


class UnmaskedDocument(Schema):
    id: int
    doc_type: str
    number: str
    issuing_state: str
    mrz: str


class UnmaskOut(Schema):
    id: int
    birth_date: date | None
    birth_date_precision: str
    place_of_birth: str
    documents: list[UnmaskedDocument]


# --------------------------------------------------------------------------- writes


class DocumentIn(Schema):
    number: str
    issuing_state: str
    doc_type: str = "P"
    issue_date: date | None = None
    expiry_date: date | None = None
    mrz: str = ""


class PermitIn(Schema):
    category: str
    valid_until: date
    index_code: str = ""
    number: str = ""
    issue_date: date | None = None
    issuing_office: str = ""
    sponsor_id: int | None = None
    purpose: str = ""


class StayIn(Schema):
    area_code: str
    date_from: date
    date_to: date | None = None
    address: str = ""
    lon: float | None = None
    lat: float | None = None
    source: str = "registry"
    source_ref: str = ""


class PersonIn(Schema):
    """A new person; with ``mrz`` the zone fills the identity fields left out and the
    document (fields given explicitly win, e.g. a name with its diacritics)."""

    surname: str = ""
    given_names: str = ""
    full_name: str = ""
    sex: str = "X"
    birth_date: date | None = None
    birth_date_precision: str = "day"
    place_of_birth: str = ""
    nationality: str = ""
    mrz: list[str] | None = Field(None, description="The 2 (passport) or 3 (ID card) MRZ lines")
    document: DocumentIn | None = None
    permit: PermitIn | None = None
    stay: StayIn | None = None


class ExtensionIn(Schema):
    new_valid_until: date
    decided_on: date | None = None
    reference: str = ""


class EmploymentIn(Schema):
    employer_id: int
    position: str
    work_area_code: str = ""
    work_plan_reference: str = ""
    start_date: date | None = None
    end_date: date | None = None


# --------------------------------------------------------------------------- sponsors


class SponsorQuery(Schema):
    name: str = ""
    kind: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class SponsorOut(Schema):
    id: int
    kind: str
    name: str
    nib: str
    nik: str | None = Field(description="Masked unless identifiers are clear")
    sector: str
    address: str
    area_code: str
    contact_name: str
    phone: str
    email: str


class SponsorListOut(Schema):
    count: int
    items: list[SponsorOut]


class SponsorIn(Schema):
    kind: str
    name: str
    area_code: str = ""
    nib: str = ""
    nik: str = ""
    sector: str = ""
    address: str = ""
    contact_name: str = ""
    phone: str = ""
    email: str = ""


class PermitIndexOut(Schema):
    code: str
    name: str
    category: str
    max_stay_days: int | None
    allows_work: bool
    active: bool
