"""API shapes of intake (django-ninja schemas).

The report bodies are built from the import column specification
(``pipeline.ACCOMMODATION_COLUMNS`` / ``EMPLOYER_COLUMNS``): a client posts the same
fields, as text in the same formats, that a file row holds, and the same rules judge them.
Outputs are filled from dicts built in ``api.py``, which decides per caller how an
identifier looks (clear, masked or absent).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, create_model, field_validator

from timpora.intake.pipeline import ACCOMMODATION_COLUMNS, EMPLOYER_COLUMNS, Column


class _StrictBody(Schema):
    # Unknown fields are refused (422): a misspelt column would otherwise be lost silently.
    model_config = ConfigDict(extra="forbid")


def _body_from_columns(name: str, spec: Sequence[Column], doc: str) -> type[Schema]:
    """A request body whose fields are the columns (minus ``premises_licence``: the API
    files for the caller's own premises)."""
    fields: dict[str, Any] = {}
    for column in spec:
        if column.name == "premises_licence":
            continue
        default = ... if column.required else ""
        fields[column.name] = (
            str,
            Field(default, description=column.description, examples=[column.example]),
        )
    return create_model(name, __base__=_StrictBody, __doc__=doc, **fields)  # type: ignore[call-overload]


AccommodationReportIn = _body_from_columns(
    "AccommodationReportIn",
    ACCOMMODATION_COLUMNS,
    "One foreign guest; the fields and formats of the accommodation import columns "
    "(times in WIB). Filing the same guest and check-in again returns the same report.",
)
EmployerReportIn = _body_from_columns(
    "EmployerReportIn",
    EMPLOYER_COLUMNS,
    "One event of a foreign worker's employment; the fields of the employer import columns.",
)


class _Paging(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)

    @field_validator("premises", "date_from", "date_to", mode="before", check_fields=False)
    @classmethod
    def _empty_is_none(cls, value):
        # ``?premises=`` comes from forms that leave the field empty: no filter.
        return None if value == "" else value


class AccommodationQuery(_Paging):
    """Filters of ``GET /accommodation-reports`` (days of check-in in WIB)."""

    date_from: date | None = None
    date_to: date | None = None
    staying: bool = Field(False, description="Only guests without a check-out yet")
    late: bool = Field(False, description="Only reports filed late")
    nationality: str = ""
    premises: int | None = Field(None, description="Premises id (team members)")


class EmployerQuery(_Paging):
    """Filters of ``GET /employer-reports`` (days of the employment event)."""

    date_from: date | None = None
    date_to: date | None = None
    nationality: str = ""
    premises: int | None = Field(None, description="Company id (team members)")
    event: str = Field("", description="start, confirm, change, transfer or end")


class CheckOutIn(Schema):
    check_out: datetime | None = Field(
        None, description="When the guest left; a time without zone is WIB. Default: now."
    )


class _Identity(Schema):
    id: int
    premises_id: int
    premises_name: str
    surname: str
    given_names: str
    full_name: str
    sex: str
    birth_year: int | None
    birth_date: date | None = Field(
        None, description="Only for the reporting premises and readers who see identifiers"
    )
    nationality: str
    passport_number: str | None = Field(
        None, description="In full, masked (A1•••••89) or absent, by the reader's agency"
    )
    permit_category: str
    permit_index: str
    permit_number: str
    permit_valid_until: date | None
    kecamatan_code: str
    kelurahan_code: str
    reported_at: datetime
    channel: str


class AccommodationReportOut(_Identity):
    place_of_birth: str | None = None
    passport_expiry: date | None = None
    purpose: str
    room: str
    check_in: datetime
    check_out: datetime | None
    is_late: bool
    verification_code: str | None = Field(
        None, description="The receipt's code (the reporting premises only)"
    )
    receipt_url: str


class AccommodationListOut(Schema):
    count: int
    items: list[AccommodationReportOut]


class EmployerReportOut(_Identity):
    event: str
    event_date: date
    position: str
    work_plan_reference: str


class EmployerListOut(Schema):
    count: int
    items: list[EmployerReportOut]


class ImportOut(Schema):
    id: int
    kind: str
    file: str
    status: str
    message: str
    total_rows: int
    processed_rows: int
    percent: int
    rows: int
    imported: int
    duplicates: int
    rejected: int
    errors: str | None = Field(None, description="URL of the error file once done")
    created_at: datetime
    finished_at: datetime | None
