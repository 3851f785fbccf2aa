"""Scoped reads of operations, checks, cases and decisions. Every page, export and API call
starts here.

Two kinds of visibility meet in this app:
- an operation is seen by the members of its teams (leaders and members), and by
  office-wide staff with ``operation.view_all`` (no scope area);
- a case is seen within region scope (its area columns are where it arose), so the police of
  Kasemen see the cases of Kasemen whichever operation opened them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.translation import gettext as _

from timpora.accounts.access import can, require, scope_of
from timpora.areas.models import Area, area_columns_q
from timpora.lib.mrz import MrzError, parse_mrz
from timpora.lib.names import passport_key
from timpora.lib.nationality import UnknownNationality, normalize_nationality
from timpora.operations.choices import CheckResult, OperationStatus
from timpora.operations.models import (
    AdministrativeAction,
    Case,
    FieldCheck,
    JointOperation,
    OperationTeam,
)
from timpora.registry import masking
from timpora.registry import queries as registry_queries
from timpora.registry.models import Person
from timpora.registry.status import overstay_days, permit_status, today_in_jakarta


def office_wide(user) -> bool:
    """Users without a scope area work for the whole office."""
    return user.scope_area_id is None


# ------------------------------------------------------------------------------ operations


def _member_q(user, prefix: str = "") -> Q:
    return Q(**{f"{prefix}teams__members": user}) | Q(**{f"{prefix}teams__leader": user})


def sees_all_operations(user) -> bool:
    return can(user, "operation.view_all") and office_wide(user)


def operations_for(user) -> QuerySet[JointOperation]:
    """The operations the user belongs to; every operation for office-wide staff."""
    require(user, "operation.view")
    qs = JointOperation.objects.all()
    if sees_all_operations(user):
        return qs
    ids = JointOperation.objects.filter(_member_q(user)).values("pk")
    return qs.filter(pk__in=ids)


def operation_for(user, pk: int) -> JointOperation:
    operation = operations_for(user).filter(pk=pk).first()
    if operation is None:
        raise Http404("operation")
    return operation


def is_member(user, operation: JointOperation) -> bool:
    return OperationTeam.objects.filter(
        Q(members=user) | Q(leader=user), operation=operation
    ).exists()


def team_of(user, operation: JointOperation) -> OperationTeam | None:
    """The user's team in the operation (the one they lead first)."""
    return (
        OperationTeam.objects.filter(Q(members=user) | Q(leader=user), operation=operation)
        .order_by("-leader_id")
        .distinct()
        .first()
    )


def may_manage(user, operation: JointOperation | None = None) -> bool:
    """Plan and run operations: ``operation.manage``; office-wide staff any operation, scoped
    staff the operations they belong to."""
    if not can(user, "operation.manage"):
        return False
    return operation is None or office_wide(user) or is_member(user, operation)


def is_check_recorder(user, operation: JointOperation) -> bool:
    """Checks are recorded by the operation's members (and by office-wide staff who run
    operations, who may join any team in the field)."""
    if not can(user, "check.create"):
        return False
    return is_member(user, operation) or (can(user, "operation.manage") and office_wide(user))


def may_record_checks(user, operation: JointOperation) -> bool:
    """The phone page records checks while the operation is running."""
    return operation.status == OperationStatus.RUNNING and is_check_recorder(user, operation)


def target_area_choices(user) -> list[tuple[str, str]]:
    """Kelurahan/desa (under their kecamatan) of the user's scope, for planning."""
    from timpora.registry.forms import area_choices

    return area_choices(user, levels=("kecamatan", "kelurahan", "desa"))


def village_choices(user, operation: JointOperation) -> list[tuple[str, str]]:
    """Where a check can take place: the operation's target kelurahan/desa first, then the
    rest of the user's scope."""
    from timpora.registry.forms import area_choices

    scope = area_choices(user, levels=("kelurahan", "desa"))
    targets = set(operation.target_areas.values_list("code", flat=True))
    first = [c for c in scope if c[0] in targets]
    return first + [c for c in scope if c[0] not in targets]


# ------------------------------------------------------------------------------ checks


def checks_for(user) -> QuerySet[FieldCheck]:
    """Checks of the operations the user sees; scoped members see those in their area and
    their own."""
    qs = FieldCheck.objects.filter(operation__in=operations_for(user).values("pk"))
    if office_wide(user):
        return qs
    return qs.filter(area_columns_q(scope_of(user).prefixes) | Q(officer=user))


def check_for(user, pk: int) -> FieldCheck:
    check = (
        checks_for(user)
        .select_related("operation", "person", "officer", "team", "premises")
        .filter(pk=pk)
        .first()
    )
    if check is None:
        raise Http404("check")
    return check


# ------------------------------------------------------------------------------ lookup


@dataclass
class Candidate:
    """A registry person as the officer sees them at a check."""

    person: Person
    permit_status: str
    overstay_days: int | None
    passport: str | None
    alerts: list[dict[str, Any]] = field(default_factory=list)
    watchlist: list[dict[str, Any]] = field(default_factory=list)
    targeted: bool = False

    def as_dict(self) -> dict[str, Any]:
        p = self.person
        return {
            "id": p.pk,
            "full_name": p.full_name,
            "nationality": p.nationality,
            "sex": p.sex,
            "birth_year": p.birth_year,
            "permit_category": p.current_permit_category,
            "permit_valid_until": p.current_permit_valid_until.isoformat()
            if p.current_permit_valid_until
            else None,
            "permit_status": self.permit_status,
            "overstay_days": self.overstay_days,
            "passport": self.passport,
            "alerts": self.alerts,
            "watchlist": self.watchlist,
            "targeted": self.targeted,
        }


@dataclass
class Lookup:
    """What the officer typed or scanned, and who in their scope fits it."""

    passport_number: str = ""
    nationality: str = ""
    name: str = ""
    mrz: dict[str, Any] | None = None
    errors: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


LOOKUP_LIMIT = 10


def person_state(person: Person, on: date) -> tuple[str, int | None]:
    """Permit status and overstay days of the person's current permit on a day."""
    if person.current_permit_valid_until is None:
        return "none", None
    status = permit_status(person.current_permit_valid_until, on, settings.TIMPORA_EXPIRING_DAYS)
    return str(status), overstay_days(person.current_permit_valid_until, on)


def open_alerts(user, person: Person) -> list[dict[str, Any]]:
    """The person's open alerts the user may see (``alert.view``, region scope)."""
    if not can(user, "alert.view") or not django_apps.is_installed("timpora.detection"):
        return []
    from timpora.detection.models import Alert

    qs = Alert.objects.filter(person=person, is_open=True)
    if not office_wide(user):
        qs = qs.filter(area_columns_q(scope_of(user).prefixes))
    return [
        {"id": a.pk, "rule": a.rule, "severity": a.severity, "status": a.status}
        for a in qs.order_by("-severity", "-id")[:20]
    ]


def watchlist_hits(user, person: Person) -> list[dict[str, Any]]:
    """Watch-list hits for the person, if a watch list exists.

    The matching capability may add one later: either a function
    ``timpora.matching.queries.watchlist_hits_for(user, person)`` returning dicts, or a model
    ``matching.WatchlistEntry`` with a ``person`` foreign key. Until then this is empty.
    """
    if not django_apps.is_installed("timpora.matching"):
        return []
    try:
        module = importlib.import_module("timpora.matching.queries")
    except ImportError:
        module = None
    finder = getattr(module, "watchlist_hits_for", None)
    if callable(finder):
        return [dict(hit) for hit in finder(user, person)]
    for name in ("WatchlistEntry", "WatchListEntry"):
        try:
            model = django_apps.get_model("matching", name)
        except LookupError:
            continue
        if not any(f.name == "person" for f in model._meta.get_fields()):
            return []
        return [
            {"id": entry.pk, "entry": str(entry)} for entry in model.objects.filter(person=person)
        ]
    return []


def candidate(user, person: Person, *, on: date, policy: str, targets: set[int]) -> Candidate:
    status, overstay = person_state(person, on)
    numbers = [d.number for d in person.documents.all()]
    passport = None
    if numbers:
        if policy == masking.CLEAR:
            passport = numbers[0]
        elif policy == masking.MASKED:
            passport = masking.mask_number(numbers[0])
    return Candidate(
        person=person,
        permit_status=status,
        overstay_days=overstay,
        passport=passport,
        alerts=open_alerts(user, person),
        watchlist=watchlist_hits(user, person),
        targeted=person.pk in targets,
    )


def lookup(
    user,
    operation: JointOperation,
    *,
    mrz: str = "",
    passport_number: str = "",
    name: str = "",
    nationality: str = "",
) -> Lookup:
    """Find the person in front of the officer, within the officer's scope: by MRZ (parsed
    and checked), by passport number (exact), or by name (and nationality)."""
    result = Lookup(name=" ".join(name.split()))
    if mrz.strip():
        try:
            parsed = parse_mrz(mrz)
        except MrzError as exc:
            result.errors.extend(str(e) for e in exc.errors)
        else:
            result.mrz = parsed.to_dict()
            passport_number = passport_number or parsed.document_number
            nationality = nationality or parsed.nationality
            if not result.name:
                result.name = f"{parsed.given_names} {parsed.surname}".strip()
    result.passport_number = passport_key(passport_number)
    if nationality:
        try:
            result.nationality = normalize_nationality(nationality)
        except UnknownNationality as exc:
            result.errors.append(str(exc))
    persons = registry_queries.persons_for(user)
    if result.passport_number:
        qs = persons.filter(documents__number=result.passport_number)
        if result.nationality:
            qs = qs.filter(documents__issuing_state=result.nationality)
    elif result.name:
        try:
            qs = registry_queries.search_persons(
                user,
                registry_queries.PersonFilter(name=result.name, nationality=result.nationality),
            )
        except registry_queries.FilterError as exc:
            result.errors.append(exc.message)
            return result
    else:
        if not result.errors:
            result.errors.append(_("Scan the MRZ, or type a passport number or a name."))
        return result
    today = today_in_jakarta()
    policy = masking.identifier_policy(user)
    targets = set(operation.target_persons.values_list("pk", flat=True))
    found = qs.distinct().prefetch_related("documents")[:LOOKUP_LIMIT]
    result.candidates = [
        candidate(user, p, on=today, policy=policy, targets=targets) for p in found
    ]
    return result


# ------------------------------------------------------------------------------ cases


def cases_for(user) -> QuerySet[Case]:
    """Cases in the user's region scope (office-wide users: all)."""
    require(user, "case.view")
    qs = Case.objects.all()
    if office_wide(user):
        return qs
    return qs.filter(area_columns_q(scope_of(user).prefixes))


def case_for(user, pk: int) -> Case:
    case = (
        cases_for(user)
        .select_related("person", "operation", "check_record", "opened_by")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("case")
    return case


def actions_for(user) -> QuerySet[AdministrativeAction]:
    """Decisions of the cases the user sees."""
    return AdministrativeAction.objects.filter(case__in=cases_for(user).values("pk"))


def action_for(user, pk: int) -> AdministrativeAction:
    action = (
        actions_for(user)
        .select_related("case", "case__person", "review", "signed_by", "drafted_by")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404("decision")
    return action


# ------------------------------------------------------------------------------ statistics


@dataclass
class StatsFilter:
    date_from: date | None = None
    date_to: date | None = None
    area: str = ""
    signed_only: bool = True


STAT_DIMENSIONS = ("type", "nationality", "area", "month")


def statistics(user, flt: StatsFilter) -> dict[str, list[tuple[str, int]]]:
    """Counts of administrative actions by type, nationality, kecamatan and month of the
    decision, within the user's scope (aggregates only: no person is named)."""
    require(user, "tak.stats")
    qs = AdministrativeAction.objects.all()
    if not office_wide(user):
        qs = qs.filter(area_columns_q(scope_of(user).prefixes, prefix="case__"))
    if flt.signed_only:
        qs = qs.filter(status="signed")
    if flt.date_from:
        qs = qs.filter(decision_date__gte=flt.date_from)
    if flt.date_to:
        qs = qs.filter(decision_date__lte=flt.date_to)
    if flt.area:
        qs = qs.filter(area_columns_q((flt.area,), prefix="case__"))

    def grouped(column: str) -> list[tuple[Any, int]]:
        rows = qs.order_by().values(column).annotate(n=Count("id")).order_by("-n", column)
        return [(row[column], row["n"]) for row in rows]

    by_area = grouped("case__kecamatan_code")
    names = dict(
        Area.objects.filter(code__in=[code for code, _ in by_area if code]).values_list(
            "code", "name"
        )
    )
    months = (
        qs.exclude(decision_date=None)
        .annotate(month=TruncMonth("decision_date"))
        .order_by()
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return {
        "type": grouped("action_type"),
        "nationality": grouped("case__person__nationality"),
        "area": [(names.get(code, code or "—"), n) for code, n in by_area],
        "month": [(row["month"].strftime("%Y-%m"), row["n"]) for row in months],
        "total": [("total", qs.count())],
    }


# ------------------------------------------------------------------------------ report data


def violation_counts(cases) -> dict[str, int]:
    counts: dict[str, int] = {}
    for case in cases:
        for violation in case.violations:
            counts[violation] = counts.get(violation, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def check_counts(operation: JointOperation) -> dict[str, int]:
    rows = operation.checks.order_by().values("result").annotate(n=Count("id"))
    counts = {value: 0 for value in CheckResult.values}
    counts.update({row["result"]: row["n"] for row in rows})
    return counts
