"""What a rule is, and the small SQL dialect helpers the rules share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def gettext_noop(message: str) -> str:
    """Mark a string for translation without translating it (rendered later, per user)."""
    return message


@dataclass(frozen=True)
class Dialect:
    """SQL that differs between PostgreSQL and SQLite."""

    vendor: str

    def days(self, later: str, earlier: str) -> str:
        """Whole days from ``earlier`` to ``later`` (date expressions)."""
        if self.vendor == "postgresql":
            return f"(({later})::date - ({earlier})::date)"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def date_param(self) -> str:
        return "%s::date" if self.vendor == "postgresql" else "date(%s)"

    def add_days(self, expr: str, days: int) -> str:
        if self.vendor == "postgresql":
            return f"(({expr})::date + {int(days)})"
        return f"date({expr}, '{int(days):+d} days')"

    def to_date(self, timestamp: str) -> str:
        """The WIB calendar date of a UTC timestamp column."""
        if self.vendor == "postgresql":
            return f"(({timestamp}) AT TIME ZONE 'Asia/Jakarta')::date"
        return f"date({timestamp}, '+7 hours')"

    def on_or_before(self, timestamp: str, day: str) -> str:
        """``to_date(timestamp) <= day``, written so that PostgreSQL compares the stored
        instant with one constant (the start of the next WIB day) instead of converting
        every row's timestamp to a WIB date first: a large share of a scan's time."""
        if self.vendor == "postgresql":
            return f"({timestamp}) < ((({day}) + 1)::timestamp AT TIME ZONE 'Asia/Jakarta')"
        return f"{self.to_date(timestamp)} <= {day}"

    def on_or_after(self, timestamp: str, day: str) -> str:
        """``to_date(timestamp) >= day`` (see ``on_or_before``)."""
        if self.vendor == "postgresql":
            return f"({timestamp}) >= (({day})::timestamp AT TIME ZONE 'Asia/Jakarta')"
        return f"{self.to_date(timestamp)} >= {day}"


def not_merged(person_id: str) -> str:
    """The person ``person_id`` points to is not a merge tombstone.

    The same as joining ``registry_person`` and requiring ``merged_into_id IS NULL`` (a
    report always points to an existing person), but tested against the few tombstones —
    read through their partial index and hashed once — instead of looking up every row's
    person among a million: that join was the largest part of several rules' time.
    """
    return (
        f"{person_id} NOT IN (SELECT m.id FROM registry_person m "
        "WHERE m.merged_into_id IS NOT NULL)"
    )


@dataclass(frozen=True)
class Hit:
    """One subject that a rule finds, with the facts that explain why."""

    subject: str
    severity: str
    facts: dict[str, Any]
    fact_key: str
    person_id: int | None = None
    premises_id: int | None = None


@dataclass(frozen=True)
class Rule:
    """A violation rule.

    ``sql(dialect, params)`` returns a query whose positional ``%s`` placeholders are all the
    as-of date, and which contains the marker ``{persons}`` where a person filter may be
    inserted (an ``AND <person_column> IN (...)`` for incremental runs); ``{persons:<column>}``
    names another column, for a filter inside a sub-query that does not see
    ``person_column``. ``to_hit`` turns one result row (a dict) into a ``Hit``.
    ``explanation`` is an English template with named placeholders from the facts,
    translated when shown.
    """

    code: str
    title: str
    law: str
    explanation: str
    defaults: dict[str, Any]
    sql: Callable[[Dialect, dict[str, Any]], str]
    to_hit: Callable[[dict[str, Any], dict[str, Any], date], Hit | None]
    person_column: str = "p.id"
    subject_kind: str = "person"
    recommendations: dict[str, str] = field(default_factory=dict)
    # Facts that need words in the reader's language before they fill the template:
    # fact name -> f(value, gettext) -> text (e.g. a list type code as its label).
    formatters: dict[str, Callable[[Any, Callable[[str], str]], str]] = field(default_factory=dict)

    def placeholders(self, query: str) -> int:
        return query.count("%s")
