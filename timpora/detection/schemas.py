"""API shapes of the alerts (django-ninja schemas).

Outputs are filled from dicts built in ``api.py`` (explanations rendered in the requested
language); inputs only describe shape and types, the workflow rules stay in ``actions.py``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

from timpora.api.common import Language


class AlertQuery(Schema):
    """Query parameters of ``GET /alerts`` (``queries.AlertFilter`` plus language and paging)."""

    rule: str = Field("", description="Rule code, e.g. overstay")
    severity: str = Field("", description="low, medium, high or critical")
    status: str = Field("", description="open, closed, or one status (new, triaged, ...)")
    area: str = Field("", description="Area code at any level, e.g. 36.73.02")
    mine: bool = Field(False, description="Only alerts assigned to the caller")
    as_of_from: date | None = None
    as_of_to: date | None = None
    person: int | None = Field(None, description="Registry person id")
    lang: Language = Field("id", description="Language of the explanations: id or en")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)

    @field_validator("as_of_from", "as_of_to", "person", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return None if value == "" else value


class AlertOut(Schema):
    id: int
    rule: str
    rule_title: str
    law: str
    subject: str = Field(description="person:<id> or premises:<id>")
    subject_name: str
    person_id: int | None
    premises_id: int | None
    severity: str
    status: str
    is_open: bool
    as_of: date = Field(description="The day the stored facts were found as of")
    first_seen: datetime
    last_seen: datetime = Field(
        description="Last confirmed: the latest detection run that found the facts still "
        "holding (for a closed alert, the last one before it closed)"
    )
    closed_at: datetime | None
    close_note: str
    explanation: str
    facts: dict[str, Any]
    area_code: str
    kecamatan_code: str
    kelurahan_code: str
    assigned_agency_id: int | None
    assigned_agency: str | None
    assigned_to: str | None = Field(description="The assigned officer's username")


class AlertListOut(Schema):
    count: int
    items: list[AlertOut]


class EventOut(Schema):
    id: int
    kind: str = Field(description="status, assign, comment or engine")
    from_status: str
    to_status: str
    text: str
    actor: str | None
    created_at: datetime


class AlertDetailOut(AlertOut):
    allowed_transitions: list[str]
    events: list[EventOut]


class StatusIn(Schema):
    status: str
    reason: str = Field("", max_length=300)


class AssignIn(Schema):
    agency_id: int | None = None
    officer_id: int | None = None


class CommentIn(Schema):
    text: str = Field(max_length=5000)
