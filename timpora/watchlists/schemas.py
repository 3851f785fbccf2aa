"""API shapes of watch lists, entries, imports and hits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from timpora.api.common import Language


class WatchListOut(Schema):
    id: int
    name: str
    list_type: str = Field(description="penangkalan, pencegahan, wanted or local")
    source: str = Field(description="Issuing authority")
    reference: str
    valid_from: date | None
    valid_until: date | None
    owning_agency: str | None
    active: bool
    entries: int
    open_hits: int


class EntryOut(Schema):
    id: int
    list_id: str
    full_name: str
    date_of_birth: str = Field(description="YYYY-MM-DD, YYYY-MM, YYYY or empty")
    nationality: str
    passport_number: str
    list_type: str
    valid_until: date | None = Field(description="The entry's own date, or its list's")
    reason: str


class EntryListOut(Schema):
    count: int
    items: list[EntryOut]


class PageQuery(Schema):
    q: str = Field("", description="Part of the name, a list id or a passport number")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class HitQuery(Schema):
    status: str = Field("open", description="open, confirmed, dismissed, cleared or empty")
    watchlist: int | None = None
    person: int | None = None
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)
    lang: Language | None = Field(
        None, description="Language of the explanations: id or en (default: the server's)"
    )


class HitOut(Schema):
    id: int
    entry_id: int
    list_id: str
    watchlist_id: int
    watchlist: str
    list_type: str
    entry_name: str
    person_id: int
    person_name: str
    score: float
    explanation: str = Field(description="What matched, in the language asked for")
    evidence: list[dict[str, Any]]
    status: str
    decision_reason: str
    decided_by: str | None
    decided_at: datetime | None
    first_seen: datetime
    last_seen: datetime


class HitListOut(Schema):
    count: int
    items: list[HitOut]


class DecisionIn(Schema):
    status: str = Field(description="confirmed, dismissed or open")
    reason: str = ""


class ImportOut(Schema):
    import_id: int
    watchlist: str
    rows: int
    added: int
    updated: int
    unchanged: int
    rejected: int
    ignored_columns: list[str]
    errors: list[list[Any]] = Field(description="[row, field, reason] of each rejected row")
