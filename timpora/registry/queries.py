"""Scoped reads of the registry. Every list, page, export and API call starts here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.text import capfirst

from timpora.accounts.access import require, scope_of
from timpora.areas.models import LEVEL_COLUMNS, Area, area_columns_q
from timpora.lib.names import passport_key
from timpora.lib.nationality import UnknownNationality, normalize_nationality
from timpora.registry.choices import PermitStatus
from timpora.registry.models import (
    Employment,
    PermitIndex,
    Person,
    PersonMerge,
    Sponsor,
    Stay,
    StayPermit,
    TravelDocument,
)
from timpora.registry.names import NameQuery, parse_query
from timpora.registry.status import today_in_jakarta


def _office_wide(user) -> bool:
    """Users without a scope area work for the whole office and see the whole registry."""
    return user.scope_area_id is None


def live_persons() -> QuerySet[Person]:
    """Every person except the tombstones of merges (``merged_into``), unscoped: the base of
    every list, search, count and export."""
    return Person.objects.filter(merged_into__isnull=True)


def persons_for(user, perm: str = "person.view") -> QuerySet[Person]:
    """Persons the user may see: office-wide users all; others those with any stay in scope.
    Tombstones of merges are never listed (their page redirects to the survivor)."""
    require(user, perm)
    qs = live_persons()
    if _office_wide(user):
        return qs
    in_scope = Stay.objects.filter(area_columns_q(scope_of(user).prefixes), person=OuterRef("pk"))
    return qs.filter(Exists(in_scope))


def person_for(user, pk: int, perm: str = "person.view") -> Person:
    person = persons_for(user, perm).filter(pk=pk).first()
    if person is None:
        raise Http404("person")
    return person


def merged_into(user, pk: int, perm: str = "person.view") -> Person | None:
    """Where the person ``pk`` lives on if it is the tombstone of a merge: the end of its
    ``merged_into`` chain, if the user may see that person; None otherwise."""
    seen: set[int] = set()
    target = None
    current = Person.objects.filter(pk=pk).values_list("merged_into_id", flat=True).first()
    while current and current not in seen:
        seen.add(current)
        target = current
        current = Person.objects.filter(pk=current).values_list("merged_into_id", flat=True).first()
    if target is None:
        return None
    return persons_for(user, perm).filter(pk=target).first()


def merge_history(person: Person) -> QuerySet[PersonMerge]:
    """The merges and splits this person took part in, newest first (undone ones too)."""
    return (
        PersonMerge.objects.filter(Q(survivor=person) | Q(absorbed=person))
        .select_related("survivor", "absorbed", "created_by", "undone_by")
        .annotate(moved=Count("rows"))
        .order_by("-created_at", "-id")
    )


def sponsors_for(user) -> QuerySet[Sponsor]:
    require(user, "person.view")
    qs = Sponsor.objects.all()
    if _office_wide(user):
        return qs
    return qs.filter(area_columns_q(scope_of(user).prefixes))


#: The most records of one kind a split form offers (a person with more is rare; the API
#: of ``actions.split_person`` takes any).
SPLIT_CHOICES_PER_KIND = 200


def split_choices(person: Person) -> list[tuple[str, str]]:
    """The person's records that a split may move, as ``("app.model:pk", label)`` choices:
    the registry's own first, then every other app's rows that name the person (reports,
    findings, alerts, checks, cases). Link tables (operation targets) follow their person."""
    from timpora.registry.actions import person_links

    order = ["registry.traveldocument", "registry.staypermit", "registry.stay"]
    links = sorted(
        (link for link in person_links() if not link.model._meta.auto_created),
        key=lambda link: (
            order.index(link.label) if link.label in order else len(order),
            link.label,
        ),
    )
    choices = []
    for link in links:
        rows = link.model._base_manager.filter(**{link.field.attname: person.pk}).order_by("pk")
        kind = capfirst(link.model._meta.verbose_name)
        for obj in rows[:SPLIT_CHOICES_PER_KIND]:
            choices.append((f"{link.label}:{obj.pk}", f"{kind}: {obj}"))
    return choices


SORTS = {
    # Best matches of the name searched for first, then by name (by name without a name).
    "relevance": ("name_key", "id"),
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
    sort: str = "relevance"


class FilterError(ValueError):
    """A filter value that cannot be understood; ``field`` names the parameter."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def search_persons(
    user, flt: PersonFilter, *, today: date | None = None, perm: str = "person.view"
) -> QuerySet[Person]:
    """Filter and sort the persons in the user's scope (``FilterError`` on bad values).

    A name is searched two ways, either of which finds a person: every typed word inside the
    folded name (``name_key``: accents, case and spacing ignored), or every canonical token
    of the name as the matching engine spells it, or its sound (``name_search``: "Mohamed
    Al Ghamdi" finds "AL-GHAMDI, MUHAMMAD"; see ``timpora.registry.names``). Sorted by
    relevance (the default), the best matches come first.
    """
    if flt.sort not in SORTS:
        raise FilterError("sort", f"use one of {', '.join(SORTS)}")
    code = flt.area.strip()
    if code and (len(code.split(".")) not in LEVEL_COLUMNS or not code.replace(".", "").isdigit()):
        raise FilterError("area", f"not an area code: {flt.area!r}")
    if code and not _office_wide(user) and scope_of(user).contains(code):
        # The area columns are the person's latest stay (``refresh_current``): a person whose
        # current area lies inside the user's scope has a stay there, so the scope's EXISTS
        # over the stays would only repeat the area filter below (0.5 s at a million).
        require(user, perm)
        qs = live_persons()
    else:
        qs = persons_for(user, perm)
    query = parse_query(flt.name) if flt.name else None
    if query is not None and not query.is_empty:
        qs = qs.filter(_name_condition(query))
    if flt.passport_number:
        number = passport_key(flt.passport_number)
        if number:
            # Numbers are stored upper-case letters and digits: a prefix is a range, which
            # both databases answer from the index (SQLite's LIKE is case-insensitive and
            # cannot use it: 3.8 s at 100,000 persons).
            docs = TravelDocument.objects.filter(number__gte=number, number__startswith=number)
            after = _next_prefix(number)
            if after:
                docs = docs.filter(number__lt=after)
            qs = qs.filter(pk__in=docs.values("person_id"))
    if flt.nationality:
        try:
            qs = qs.filter(nationality=normalize_nationality(flt.nationality))
        except UnknownNationality as exc:
            raise FilterError("nationality", str(exc)) from exc
    if code:
        qs = qs.filter(area_columns_q((code,)))
    if flt.sponsor:
        qs = qs.filter(
            Exists(StayPermit.objects.filter(person=OuterRef("pk"), sponsor_id=flt.sponsor))
            | Exists(Employment.objects.filter(person=OuterRef("pk"), employer_id=flt.sponsor))
        )
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
    if query is not None and not query.is_empty:
        if flt.sort == "relevance":
            return qs.order_by(_name_rank(query).asc(), "name_key", "id")
        if flt.sort in ("name", "-name"):
            # Matches of a name cluster in the alphabet: an order the name b-tree cannot give
            # (name_key is never NULL, so NULLS FIRST/LAST changes nothing in the result)
            # makes PostgreSQL find them through the trigram indexes, then sort them, instead
            # of walking the b-tree in name order testing every row.
            key = F("name_key")
            if flt.sort == "name":
                return qs.order_by(key.asc(nulls_first=True), "id")
            return qs.order_by(key.desc(nulls_last=True), "-id")
    return qs.order_by(*SORTS[flt.sort])


def _next_prefix(prefix: str) -> str:
    """The smallest string of letters and digits after every string starting with
    ``prefix`` ("E123" → "E124", "E12Z" → "E13"); empty when there is none ("ZZ")."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    chars = list(prefix)
    while chars:
        position = alphabet.find(chars[-1])
        if 0 <= position < len(alphabet) - 1:
            chars[-1] = alphabet[position + 1]
            return "".join(chars)
        chars.pop()
    return ""


def _token(text: str) -> Q:
    return Q(name_search__contains=f" {text} ")


def _sound(text: str) -> Q:
    return Q(name_search__contains=f" ~{text} ")


def _name_condition(query: NameQuery) -> Q:
    """Typed words inside the folded name, or every canonical token (or its sound) of the
    name, or the whole name in another order or spacing."""
    typed = Q()
    for word in query.folded:
        typed &= Q(name_key__contains=word)
    canonical = Q()
    for token, sound in zip(query.tokens, query.sounds, strict=True):
        canonical &= (_token(token) | _sound(sound)) if sound else _token(token)
    condition = typed | canonical if query.folded else canonical
    if query.cycle_key:
        condition |= Q(name_search__contains=f" @{query.cycle_key} ")
    return condition


def _name_rank(query: NameQuery):
    """0 for the very name (any order, spacing, particles), then 10 plus, per searched
    token, 0 if the name has it, 1 if only its sound, 2 if only the typed letters."""
    same = Q(name_search__startswith=f" {query.sorted_key} |")
    if query.cycle_key:
        same |= Q(name_search__contains=f" @{query.cycle_key} ")
    parts = []
    for token, sound in zip(query.tokens, query.sounds, strict=True):
        whens = [When(_token(token), then=Value(0))]
        if sound:
            whens.append(When(_sound(sound), then=Value(1)))
        parts.append(Case(*whens, default=Value(2), output_field=IntegerField()))
    rank = Value(10, output_field=IntegerField())
    for part in parts:
        rank = rank + part
    return Case(When(same, then=Value(0)), default=rank, output_field=IntegerField())


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
