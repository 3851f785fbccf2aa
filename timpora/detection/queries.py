"""Scoped reads of alerts and notifications. Every list, page, export and API call starts here.

Office-wide users (no scope area) see every alert; everyone else sees the alerts whose area
columns fall inside their scope: the area of the person (or premises) the alert is about,
copied onto the alert when it was raised, so the check is an indexed equality.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import translation

from timpora.accounts.access import ROLE_PERMISSIONS, can, require, scope_of
from timpora.accounts.models import Agency, User
from timpora.areas.models import LEVEL_COLUMNS, area_columns_q
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.detection.choices import OPEN_STATUSES, TRANSITIONS, AlertStatus, Severity
from timpora.detection.engine.rules import RULES
from timpora.detection.explain import explanation, rule_title
from timpora.detection.models import Alert, AlertEvent, Notification, RuleEvaluation
from timpora.intake.models import AccommodationReport, EmployerReport, FieldFinding


class FilterError(ValueError):
    """A filter value that cannot be understood; ``field`` names the parameter."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _office_wide(user) -> bool:
    return user.scope_area_id is None


def alert_area(alert: Alert) -> str:
    """The most precise area code of the alert's subject."""
    return alert.kelurahan_code or alert.kecamatan_code or alert.kabkota_code


def alerts_for(user, perm: str = "alert.view") -> QuerySet[Alert]:
    """Alerts the user may see: all for office-wide users, else those in their scope."""
    require(user, perm)
    qs = Alert.objects.all()
    if _office_wide(user):
        return qs
    return qs.filter(area_columns_q(scope_of(user).prefixes))


def alert_for(user, pk: int, perm: str = "alert.view") -> Alert:
    """One alert in the user's scope (404 otherwise, as for one that does not exist)."""
    alert = (
        with_rule_evaluation(alerts_for(user, perm))
        .select_related("person", "premises", "assigned_agency", "assigned_to")
        .filter(pk=pk)
        .first()
    )
    if alert is None:
        raise Http404("alert")
    return alert


# Reading alerts is reading about persons (UU 27/2022): the page and the API audit each read
# through these two, one record per alert opened and one per list or page shown.


def record_alert_read(user, alert: Alert) -> None:
    """Audit one alert shown in full (detail page, API detail)."""
    record(
        AuditAction.VIEW,
        actor=user,
        obj=alert,
        fields={"person": alert.person_id, "premises": alert.premises_id},
    )


def record_alerts_read(user, alerts: list[Alert], where: str, **fields: Any) -> None:
    """Audit one list of alerts shown (``where``: which list; ``fields``: the filter and
    the paging), with the alerts and the persons they name."""
    record(
        AuditAction.VIEW,
        actor=user,
        object_type="detection.alert",
        object_repr=where,
        fields={
            **fields,
            "ids": [a.pk for a in alerts],
            "persons": sorted({a.person_id for a in alerts if a.person_id}),
        },
    )


def with_rule_evaluation(qs: QuerySet[Alert]) -> QuerySet[Alert]:
    """Each alert with its rule's latest full evaluation (``rule_evaluated_at``), for
    ``last_confirmed`` without a query per alert."""
    return qs.annotate(
        rule_evaluated_at=Subquery(
            RuleEvaluation.objects.filter(rule=OuterRef("rule")).values("evaluated_at")[:1]
        )
    )


_UNKNOWN = object()


def last_confirmed(alert: Alert) -> datetime:
    """When the alert's facts were last found to hold.

    The engine writes an alert only when its facts change; an evaluation that finds them
    unchanged is recorded once for the whole rule (``RuleEvaluation``). An open alert was
    therefore last confirmed by the later of its own stamp and its rule's latest full
    evaluation; a closed alert keeps the stamp it was closed with.
    """
    if not alert.is_open:
        return alert.last_seen
    evaluated = getattr(alert, "rule_evaluated_at", _UNKNOWN)
    if evaluated is _UNKNOWN:
        evaluated = (
            RuleEvaluation.objects.filter(rule=alert.rule)
            .values_list("evaluated_at", flat=True)
            .first()
        )
    if evaluated is not None and evaluated > alert.last_seen:
        return evaluated
    return alert.last_seen


STATUS_FILTERS = ("open", "closed", *AlertStatus.values)


@dataclass
class AlertFilter:
    """The alert list's filter, API query and export filter, in one shape."""

    rule: str = ""
    severity: str = ""
    status: str = ""  # "open", "closed" or one status
    area: str = ""
    mine: bool = False
    as_of_from: date | None = None
    as_of_to: date | None = None
    person: int | None = None

    def as_fields(self) -> dict[str, Any]:
        """What was set, for the audit trail."""
        return {k: v for k, v in self.__dict__.items() if v not in ("", None, False)}


def search_alerts(user, flt: AlertFilter, *, perm: str = "alert.view") -> QuerySet[Alert]:
    """Filter the alerts in the user's scope, newest first (``FilterError`` on bad values)."""
    qs = alerts_for(user, perm)
    if flt.rule:
        if flt.rule not in RULES:
            raise FilterError("rule", f"unknown rule {flt.rule!r}")
        qs = qs.filter(rule=flt.rule)
    if flt.severity:
        if flt.severity not in Severity.values:
            raise FilterError("severity", f"use one of {', '.join(Severity.values)}")
        qs = qs.filter(severity=flt.severity)
    if flt.status:
        if flt.status == "open":
            qs = qs.filter(is_open=True)
        elif flt.status == "closed":
            qs = qs.filter(is_open=False)
        elif flt.status in AlertStatus.values:
            qs = qs.filter(status=flt.status)
        else:
            raise FilterError("status", f"use one of {', '.join(STATUS_FILTERS)}")
    if flt.area:
        code = flt.area.strip()
        if len(code.split(".")) not in LEVEL_COLUMNS or not code.replace(".", "").isdigit():
            raise FilterError("area", f"not an area code: {flt.area!r}")
        qs = qs.filter(area_columns_q((code,)))
    if flt.mine:
        qs = qs.filter(assigned_to=user)
    if flt.as_of_from:
        qs = qs.filter(as_of__gte=flt.as_of_from)
    if flt.as_of_to:
        qs = qs.filter(as_of__lte=flt.as_of_to)
    if flt.as_of_from and flt.as_of_to and flt.as_of_from > flt.as_of_to:
        raise FilterError("as_of_to", "the end of the date range is before its start")
    if flt.person:
        qs = qs.filter(person_id=flt.person)
    # Newest first by id: the primary key answers "the latest 50" at once at a million
    # persons (``last_seen`` has no index, so that the nightly run updates rows in place).
    return qs.order_by("-id")


def with_subjects(qs: QuerySet[Alert]) -> QuerySet[Alert]:
    """What a list row shows of the person, premises and assignee, in the same query."""
    return qs.select_related("person", "premises", "assigned_agency", "assigned_to").only(
        *(f.name for f in Alert._meta.concrete_fields if f.name != "facts"),
        "facts",
        "person__id",
        "person__full_name",
        "premises__id",
        "premises__name",
        "assigned_agency__id",
        "assigned_agency__name",
        "assigned_to__id",
        "assigned_to__username",
        "assigned_to__first_name",
        "assigned_to__last_name",
    )


def subject_name(alert: Alert) -> str:
    if alert.person_id:
        return alert.person.full_name
    if alert.premises_id:
        return alert.premises.name
    return alert.subject


def assignee_label(alert: Alert) -> str:
    parts = []
    if alert.assigned_agency_id:
        parts.append(alert.assigned_agency.name)
    if alert.assigned_to_id:
        parts.append(alert.assigned_to.get_full_name() or alert.assigned_to.username)
    return " · ".join(parts)


def describe(alert: Alert, language: str | None = None) -> dict[str, Any]:
    """The alert as the UI, the API and the exports show it, explained in ``language``
    (default: the active one)."""
    language = language or translation.get_language()
    with translation.override(language):
        rule = RULES.get(alert.rule)
        return {
            "alert": alert,
            "rule_title": str(rule_title(alert.rule)),
            "law": rule.law if rule else "",
            "explanation": explanation(alert.rule, alert.facts, alert.as_of, language),
            "subject_name": subject_name(alert),
            "assignee": assignee_label(alert),
            "area_code": alert_area(alert),
        }


# ---------------------------------------------------------------------------- workflow


def allowed_transitions(alert: Alert) -> tuple[str, ...]:
    """Where a person may move the alert next (the engine alone sets "resolved")."""
    return TRANSITIONS.get(alert.status, ())


def _roles_with(perm: str) -> list[str]:
    return [role for role, perms in ROLE_PERMISSIONS.items() if perm in perms]


def assignable_officers(alert: Alert) -> QuerySet[User]:
    """Active users who may see alerts and whose scope covers the alert's area: office-wide
    users, and users scoped to the alert's area or any area above it."""
    code = alert_area(alert)
    parts = code.split(".") if code else []
    covering = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return (
        User.objects.filter(is_active=True, role__in=_roles_with("alert.view"))
        .filter(Q(scope_area__isnull=True) | Q(scope_area__code__in=covering))
        .select_related("agency", "scope_area")
        .order_by("agency__name", "username")
    )


def assignable_agencies(alert: Alert) -> QuerySet[Agency]:
    """Agencies with at least one officer who may take the alert."""
    return Agency.objects.filter(
        pk__in=assignable_officers(alert).exclude(agency=None).values("agency")
    ).order_by("name")


def events_of(alert: Alert) -> QuerySet[AlertEvent]:
    return alert.events.select_related("actor").order_by("created_at", "id")


# ---------------------------------------------------------------------------- sources


@dataclass
class SourceReports:
    """The reports about the alert's person that the user may read, newest first."""

    accommodation: list[AccommodationReport]
    employer: list[EmployerReport]
    findings: list[FieldFinding]

    def __bool__(self) -> bool:
        return bool(self.accommodation or self.employer or self.findings)


def source_reports(user, alert: Alert, limit: int = 20) -> SourceReports:
    """Accommodation reports, employer reports and field findings of the alert's person (or
    the premises' reports for a premises alert), within the user's scope and only for users
    who may read reports."""
    if not can(user, "report.view") or not (alert.person_id or alert.premises_id):
        return SourceReports([], [], [])

    def scoped(qs):
        if alert.person_id:
            qs = qs.filter(person_id=alert.person_id)
        else:
            qs = qs.filter(premises_id=alert.premises_id)
        if not _office_wide(user):
            qs = qs.filter(area_columns_q(scope_of(user).prefixes))
        return qs

    accommodation = scoped(AccommodationReport.objects.select_related("premises")).order_by(
        "-check_in", "-id"
    )
    employer = scoped(EmployerReport.objects.select_related("premises")).order_by(
        "-event_date", "-id"
    )
    findings = (
        scoped(FieldFinding.objects.all()).order_by("-found_at", "-id")
        if alert.person_id
        else FieldFinding.objects.none()
    )
    return SourceReports(
        list(accommodation[:limit]), list(employer[:limit]), list(findings[:limit])
    )


# ---------------------------------------------------------------------------- summaries


def open_counts_by_severity(user) -> dict[str, int]:
    """Open alerts in the user's scope per severity (``high``, ``medium``, ``low``)."""
    if not can(user, "alert.view"):
        return {}
    rows = (
        alerts_for(user).filter(is_open=True).order_by().values("severity").annotate(n=Count("id"))
    )
    counts = dict.fromkeys(reversed(Severity.values), 0)
    counts.update({row["severity"]: row["n"] for row in rows})
    return counts


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first (nobody reads another's)."""
    return (
        Notification.objects.filter(user=user)
        .select_related("alert")
        .order_by("-created_at", "-id")
    )


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def is_open_status(status: str) -> bool:
    return status in OPEN_STATUSES
