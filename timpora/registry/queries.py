"""Scoped reads of the registry. Every list, page, export and API call starts here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from timpora.accounts.access import require, scope_of
from timpora.areas.models import LEVEL_COLUMNS, Area, area_columns_q
from timpora.lib.names import name_key, passport_key
from timpora.lib.nationality import UnknownNationality, normalize_nationality
from timpora.registry.choices import PermitStatus
from timpora.registry.models import (
    Employment,
    PermitIndex,
    Person,
    Sponsor,
    Stay,
    StayPermit,
    TravelDocument,
)
from timpora.registry.status import today_in_jakarta


def _office_wide(user) -> bool:
    """Users without a scope area work for the whole office and see the whole registry."""
    return user.scope_area_id is None


def persons_for(user, perm: str = "person.view") -> QuerySet[Person]:
    """Persons the user may see: office-wide users all; others those with any stay in scope."""
    require(user, perm)
    qs = Person.objects.all()
    if _office_wide(user):
        return qs
    in_scope = Stay.objects.filter(area_columns_q(scope_of(user).prefixes), person=OuterRef("pk"))
    return qs.filter(Exists(in_scope))


def person_for(user, pk: int, perm: str = "person.view") -> Person:
    person = persons_for(user, perm).filter(pk=pk).first()
    if person is None:
        raise Http404("person")
    return person


def sponsors_for(user) -> QuerySet[Sponsor]:
    require(user, "person.view")
    qs = Sponsor.objects.all()
    if _office_wide(user):
        return qs
    return qs.filter(area_columns_q(scope_of(user).prefixes))


SORTS = {
    "name": ("name_key", "id"),
    "-name": ("-name_key", "-id"),
    "nationality": ("nationality", "name_key", "id"),
    "valid_until": ("current_permit_valid_until", "id"),
    "-valid_until": ("-current_permit_valid_until", "-id"),
    "newest": ("-id",),
}


@dataclass
class PersonFilter:
    """The registry's search form, API query and export filter, in one shape."""

    name: str = ""
    passport_number: str = ""
    nationality: str = ""
    area: str = ""
    sponsor: int | None = None
    permit_category: str = ""
    permit_status: str = ""
    expiring_days: int | None = None
    sort: str = "name"


class FilterError(ValueError):
    """A filter value that cannot be understood; ``field`` names the parameter."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def search_persons(
    user, flt: PersonFilter, *, today: date | None = None, perm: str = "person.view"
) -> QuerySet[Person]:
    """Filter and sort the persons in the user's scope (``FilterError`` on bad values)."""
    qs = persons_for(user, perm)
    if flt.name:
        for token in name_key(flt.name).split():
            qs = qs.filter(name_key__contains=token)
    if flt.passport_number:
        number = passport_key(flt.passport_number)
        qs = qs.filter(
            Exists(TravelDocument.objects.filter(person=OuterRef("pk"), number__startswith=number))
        )
    if flt.nationality:
        try:
            qs = qs.filter(nationality=normalize_nationality(flt.nationality))
        except UnknownNationality as exc:
            raise FilterError("nationality", str(exc)) from exc
    if flt.area:
        code = flt.area.strip()
        if len(code.split(".")) not in LEVEL_COLUMNS or not code.replace(".", "").isdigit():
            raise FilterError("area", f"not an area code: {flt.area!r}")
        qs = qs.filter(area_columns_q((code,)))
    if flt.sponsor:
        qs = qs.filter(
            Exists(StayPermit.objects.filter(person=OuterRef("pk"), sponsor_id=flt.sponsor))
            | Q(employments__employer_id=flt.sponsor)
        ).distinct()
    if flt.permit_category:
        qs = qs.filter(current_permit_category=flt.permit_category)
    if flt.permit_status:
        today = today or today_in_jakarta()
        days = settings.TIMPORA_EXPIRING_DAYS if flt.expiring_days is None else flt.expiring_days
        horizon = today + timedelta(days=days)
        if flt.permit_status == PermitStatus.EXPIRED:
            qs = qs.filter(current_permit_valid_until__lt=today)
        elif flt.permit_status == PermitStatus.EXPIRING:
            qs = qs.filter(
                current_permit_valid_until__gte=today, current_permit_valid_until__lte=horizon
            )
        elif flt.permit_status == PermitStatus.VALID:
            qs = qs.filter(current_permit_valid_until__gt=horizon)
        elif flt.permit_status == "none":
            qs = qs.filter(current_permit_valid_until__isnull=True)
        else:
            raise FilterError("permit_status", "use valid, expiring, expired or none")
    if flt.sort not in SORTS:
        raise FilterError("sort", f"use one of {', '.join(SORTS)}")
    return qs.order_by(*SORTS[flt.sort])


def timeline(person: Person) -> list[dict]:
    """Documents, permits (with extensions), stays and employment as one dated list,
    newest first. Later capabilities (reports, alerts, operations) add their events."""
    events: list[dict] = []
    for doc in person.documents.all():
        events.append(
            {"date": doc.issue_date or doc.created_at.date(), "kind": "document", "object": doc}
        )
    for permit in person.permits.select_related("index", "sponsor").prefetch_related("extensions"):
        events.append(
            {
                "date": permit.issue_date or permit.created_at.date(),
                "kind": "permit",
                "object": permit,
            }
        )
        for ext in permit.extensions.all():
            events.append(
                {
                    "date": ext.decided_on or ext.created_at.date(),
                    "kind": "extension",
                    "object": ext,
                    "permit": permit,
                }
            )
    for stay in person.stays.all():
        events.append({"date": stay.date_from, "kind": "stay", "object": stay})
    for job in person.employments.select_related("employer"):
        events.append(
            {"date": job.start_date or job.created_at.date(), "kind": "employment", "object": job}
        )
    events.sort(key=lambda e: (e["date"], e["kind"]), reverse=True)
    return events


def sponsors_with_counts(user) -> QuerySet[Sponsor]:
    """The user's sponsors with ``sponsored_count`` (persons whose permit names the sponsor)
    and ``employed_count`` (persons working for it), counting only persons the user may see.

    Correlated subqueries rather than joins: two joined COUNTs would multiply each other's rows.
    """
    visible = persons_for(user)

    def count_of(model, sponsor_field: str) -> Subquery:
        rows = model.objects.filter(**{sponsor_field: OuterRef("pk")})
        if not _office_wide(user):
            rows = rows.filter(person__in=visible)
        counted = (
            rows.order_by()
            .values(sponsor_field)
            .annotate(n=Count("person", distinct=True))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return sponsors_for(user).annotate(
        sponsored_count=count_of(StayPermit, "sponsor"),
        employed_count=count_of(Employment, "employer"),
    )


def permit_indices(*, include_inactive: bool = False) -> QuerySet[PermitIndex]:
    """The visa/permit indices: reference data without region scope. Forms offer the active
    ones; administrators maintain all of them."""
    qs = PermitIndex.objects.all()
    return qs if include_inactive else qs.filter(active=True)


def area_names(codes) -> dict[str, str]:
    """Names of the given area codes (reference data), for labelling stays and lists."""
    codes = {code for code in codes if code}
    if not codes:
        return {}
    return dict(Area.objects.filter(code__in=codes).values_list("code", "name"))
