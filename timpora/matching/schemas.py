"""API shapes of the review queue (django-ninja schemas).

Outputs are filled from dicts built in ``api.py`` (labels and the explanation rendered in
the requested language, identifiers masked as on the person page); inputs only describe
shape and types, what a decision does stays in ``actions.py``.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import field_validator

from timpora.api.common import Language


class PairQuery(Schema):
    """Query parameters of ``GET /matching/pairs`` (``queries.PairFilter`` plus paging)."""

    status: str = Field("pending", description="pending, accepted, rejected or superseded")
    min_probability: float | None = Field(None, ge=0.0, le=1.0)
    max_probability: float | None = Field(None, ge=0.0, le=1.0)
    source: str = Field("", description="registry, report, import, finding, scan or demo")
    area: str = Field("", description="Area code at any level, e.g. 36.73.02")
    person: int | None = Field(None, description="Pairs of this registry person")
    lang: Language = Field("id", description="Language of labels and explanations: id or en")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)

    @field_validator("min_probability", "max_probability", "person", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return None if value == "" else value


class PersonOut(Schema):
    id: int
    full_name: str
    sex: str
    birth: str = Field(description="As far as known and shown to the caller (year if masked)")
    nationality: str
    documents: list[str] = Field(description="Document numbers, masked for masked callers")
    area_code: str
    merged_into: int | None


class PairOut(Schema):
    id: int
    person_a: PersonOut = Field(description="The older person: kept by a merge")
    person_b: PersonOut = Field(description="The newer person: merged into person_a")
    probability: float
    match_weight: float
    status: str
    source: str
    source_ref: str
    area_code: str
    created_at: datetime
    decided_at: datetime | None


class PairListOut(Schema):
    count: int
    items: list[PairOut]


class EvidenceOut(Schema):
    field: str = Field(description="name, dob, passport, nationality or sex")
    field_label: str
    left: str | None = Field(description="person_a's value (None: unknown or hidden)")
    right: str | None = Field(description="person_b's value")
    level: str = Field(description="The comparison level reached, as the engine names it")
    level_label: str
    agreed: bool | None = Field(description="True: for, False: against, None: unknown")
    weight: float = Field(description="log2 Bayes factor of the level")
    similarity: float | None


class DecisionOut(Schema):
    verdict: str
    reason: str
    decided_by: str | None
    decided_at: datetime


class PairDetailOut(PairOut):
    explanation: str
    evidence: list[EvidenceOut]
    decision: DecisionOut | None


class DecisionIn(Schema):
    verdict: str = Field(description="same (merge) or different")
    reason: str = Field("", max_length=1000)
