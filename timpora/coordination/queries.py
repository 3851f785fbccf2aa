"""Scoped reads of the coordination app. Every page, API call and document starts here.

Region scope for coordination differs from the registry's in one way: a team member also
sees the teams *above* their area (the kelurahan lurah sees the kecamatan, kota and province
teams that their kelurahan belongs to), because those are the forums they report to. Writes
stay inside the user's own area (``may_manage``).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from timpora.accounts.access import can, require, scope_of
from timpora.areas.models import within_q
from timpora.coordination.choices import NOT_DONE, ProblemStatus, TeamRole
from timpora.coordination.models import (
    Decree,
    FollowUp,
    Invitee,
    Meeting,
    MeetingAttachment,
    Problem,
    Team,
    TeamMembership,
)
from timpora.registry.status import JAKARTA, today_in_jakarta


def _ancestors(prefixes: tuple[str, ...]) -> set[str]:
    codes: set[str] = set()
    for prefix in prefixes:
        parts = prefix.split(".")
        codes.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return codes


def visible_area_q(field: str, user) -> Q:
    """Areas inside the user's scope, or above it (the forums the user's area belongs to)."""
    prefixes = scope_of(user).prefixes
    return within_q(field, prefixes) | Q(**{f"{field}__in": _ancestors(prefixes)})


def may_manage(user, perm: str, area_code: str) -> bool:
    """Writes need the permission *and* the area inside the user's own scope (not above)."""
    return can(user, perm) and scope_of(user).contains(area_code)


# ----------------------------------------------------------------------------- teams


def current_q(on: date, prefix: str = "") -> Q:
    """Memberships serving on ``on``: started, not ended, term not over."""
    return (
        Q(**{f"{prefix}term_start__lte": on})
        & (Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": on}))
        & (Q(**{f"{prefix}term_end__isnull": True}) | Q(**{f"{prefix}term_end__gte": on}))
    )


def teams_for(user) -> QuerySet[Team]:
    require(user, "coordination.view")
    return Team.objects.filter(visible_area_q("area__code", user)).select_related("area")


def team_for(user, pk: int) -> Team:
    team = teams_for(user).filter(pk=pk).first()
    if team is None:
        raise Http404("team")
    return team


# The decree lists the chair first, then the secretary, then the members.
ROLE_ORDER = Case(
    When(role=TeamRole.CHAIR, then=Value(0)),
    When(role=TeamRole.SECRETARY, then=Value(1)),
    default=Value(2),
)


def current_members(team: Team, on: date | None = None) -> QuerySet[TeamMembership]:
    on = on or today_in_jakarta()
    return (
        team.memberships.filter(current_q(on))
        .select_related("agency", "user", "decree")
        .order_by(ROLE_ORDER, "term_start", "id")
    )


def membership_history(team: Team) -> QuerySet[TeamMembership]:
    """Every seat the team ever had, newest change first."""
    return team.memberships.select_related("agency", "user", "decree").order_by(
        "-term_start", "-id"
    )


def role_holder(team: Team, role: str, on: date | None = None) -> TeamMembership | None:
    return current_members(team, on).filter(role=role).first()


def chair_of(team: Team | None, on: date | None = None) -> TeamMembership | None:
    """The chair who signs the team's letters and reports."""
    return role_holder(team, TeamRole.CHAIR, on) if team is not None else None


def current_decree(team: Team) -> Decree | None:
    """The newest decree that forms the team (a replaced decree is history)."""
    return team.decrees.order_by("-issued_on", "-id").first()


def decree_for(user, pk: int) -> Decree:
    """A decree whose teams include one the user may see."""
    decree = (
        Decree.objects.filter(pk=pk, teams__in=teams_for(user)).distinct().first()
        if can(user, "coordination.view")
        else None
    )
    if decree is None:
        raise Http404("decree")
    return decree


def team_for_area(area_code: str) -> Team | None:
    return Team.objects.filter(area__code=area_code).select_related("area").first()


def is_team_officer(user, team: Team, on: date | None = None) -> bool:
    """The team's current chair or secretary (they run its meetings whatever their role)."""
    if user is None or not user.is_authenticated:
        return False
    return (
        current_members(team, on)
        .filter(user=user, role__in=[TeamRole.CHAIR, TeamRole.SECRETARY])
        .exists()
    )


def may_run_meeting(user, meeting: Meeting) -> bool:
    """Attendance, minutes and attachments: meeting managers of the area, or the team's
    chair and secretary."""
    return may_manage(user, "meeting.manage", meeting.team.area.code) or is_team_officer(
        user, meeting.team
    )


# --------------------------------------------------------------------------- meetings


def meetings_for(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(team__in=teams_for(user)).select_related("team", "team__area")


def meeting_for(user, pk: int) -> Meeting:
    meeting = (
        meetings_for(user)
        .prefetch_related(
            "agenda_items",
            Prefetch("invitees", queryset=Invitee.objects.select_related("membership", "agency")),
            "decisions",
            "attachments",
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404("meeting")
    return meeting


def invitee_for(user, meeting: Meeting) -> Invitee | None:
    """The user's own invitation (as a member), else their agency's; None if not invited."""
    if user is None or not user.is_authenticated:
        return None
    own = meeting.invitees.filter(membership__user=user).first()
    if own is not None:
        return own
    if user.agency_id:
        return meeting.invitees.filter(membership__isnull=True, agency_id=user.agency_id).first()
    return None


def meeting_for_check_in(user, pk: int) -> tuple[Meeting, Invitee | None]:
    """The meeting and the user's invitation. An invitee may check in whatever their region
    scope (an agency delegate from elsewhere); others see the meeting only if in scope."""
    meeting = Meeting.objects.select_related("team", "team__area").filter(pk=pk).first()
    if meeting is None:
        raise Http404("meeting")
    invitee = invitee_for(user, meeting)
    if invitee is None and not (
        can(user, "coordination.view") and meetings_for(user).filter(pk=pk).exists()
    ):
        raise Http404("meeting")
    return meeting, invitee


def attachment_for(user, meeting_pk: int, pk: int) -> MeetingAttachment:
    meeting = meeting_for(user, meeting_pk)
    attachment = meeting.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404("attachment")
    return attachment


def upcoming_meetings(user, *, now: datetime | None = None, limit: int = 5) -> list[Meeting]:
    now = now or timezone.now()
    return list(
        meetings_for(user)
        .filter(starts_at__gte=now, status="planned")
        .order_by("starts_at")[:limit]
    )


# --------------------------------------------------------------------------- problems


def problems_for(user) -> QuerySet[Problem]:
    require(user, "coordination.view")
    return Problem.objects.filter(visible_area_q("area__code", user)).select_related("area", "team")


def problem_for(user, pk: int) -> Problem:
    problem = (
        problems_for(user)
        .prefetch_related("agencies", "solutions", "decisions__meeting")
        .filter(pk=pk)
        .first()
    )
    if problem is None:
        raise Http404("problem")
    return problem


def follow_ups_for(user) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(problem__in=problems_for(user)).select_related(
        "problem", "problem__area", "owner_agency", "owner_user"
    )


def follow_up_for(user, pk: int) -> FollowUp:
    follow_up = follow_ups_for(user).filter(pk=pk).first()
    if follow_up is None:
        raise Http404("follow-up")
    return follow_up


def overdue_q(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": NOT_DONE, f"{prefix}due_date__lt": today})


def overdue_follow_ups(user, today: date | None = None) -> QuerySet[FollowUp]:
    """Follow-ups past their due date and not done, oldest due first."""
    today = today or today_in_jakarta()
    return follow_ups_for(user).filter(overdue_q(today)).order_by("due_date", "id")


def with_days_overdue(follow_ups, today: date) -> list[FollowUp]:
    """The follow-ups with ``days_overdue`` set, for the lists that highlight them."""
    items = list(follow_ups)
    for item in items:
        item.days_overdue = (today - item.due_date).days
    return items


def may_update_follow_up(user, follow_up: FollowUp) -> bool:
    """Its owner (the user, or anyone of the owner agency) or a problem manager of the area."""
    if user is None or not user.is_authenticated:
        return False
    if follow_up.owner_user_id == user.pk:
        return True
    if follow_up.owner_agency_id and follow_up.owner_agency_id == user.agency_id:
        return can(user, "coordination.view")
    return may_manage(user, "problem.manage", follow_up.problem.area.code)


def open_problem_count(user) -> int:
    return problems_for(user).filter(status=ProblemStatus.OPEN).count()


# --------------------------------------------------------------------------- calendar


@dataclass
class CalendarEntry:
    """One line in a calendar day: a meeting, or a joint operation (``kind``)."""

    kind: str
    title: str
    url: str
    when: str = ""


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    entries: list[CalendarEntry]


def operations_model():
    """The joint-operation model of ``timpora.operations``, if that app is installed.

    The coordination app works without it; its calendar and evaluation then leave
    operations out (they are not zero, they are unknown here).
    """
    if not apps.is_installed("timpora.operations"):
        return None
    try:
        return apps.get_model("operations", "JointOperation")
    except LookupError:
        return None


def operation_dates(model) -> tuple[str, str | None]:
    """The names of the operation model's start and end date fields (the model is another
    team's; read what it has rather than assume)."""
    names = {f.name for f in model._meta.get_fields()}
    start = next(
        (n for n in ("start_date", "starts_on", "date_from", "start", "starts_at") if n in names),
        None,
    )
    end = next(
        (n for n in ("end_date", "ends_on", "date_to", "end", "ends_at") if n in names), None
    )
    if start is None:
        raise LookupError("JointOperation has no start date field")
    return start, end


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return (
            timezone.localtime(value, JAKARTA).date() if timezone.is_aware(value) else value.date()
        )
    return value


def operations_for(user, first: date, last: date) -> list[Any]:
    """Joint operations overlapping ``first``…``last`` that the user may open (the
    operations app's own scoped query decides), or [] without that app or permission."""
    model = operations_model()
    if model is None or not can(user, "operation.view"):
        return []
    try:
        scoped = import_module("timpora.operations.queries").operations_for
    except (ImportError, AttributeError):
        return []
    start, end = operation_dates(model)
    qs = scoped(user).filter(**{f"{start}__lte": last})
    if end is not None:
        qs = qs.filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first}))
    else:
        qs = qs.filter(**{f"{start}__gte": first})
    return list(qs.order_by(start))


def _operation_url(op) -> str:
    try:
        return reverse("operations:operation_detail", args=[op.pk])
    except NoReverseMatch:
        return ""


def month_calendar(
    user, year: int, month: int, *, today: date | None = None
) -> list[list[CalendarDay]]:
    """A month grid (weeks from Monday) of the user's meetings and joint operations."""
    today = today or today_in_jakarta()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    entries: dict[date, list[CalendarEntry]] = defaultdict(list)
    start = datetime.combine(first, time.min, tzinfo=JAKARTA)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=JAKARTA)
    for meeting in (
        meetings_for(user).filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at")
    ):
        local = timezone.localtime(meeting.starts_at, JAKARTA)
        entries[local.date()].append(
            CalendarEntry(
                kind="meeting",
                title=meeting.title,
                url=reverse("coordination:meeting_detail", args=[meeting.pk]),
                when=local.strftime("%H.%M"),
            )
        )
    model = operations_model()
    if model is not None:
        start_field, end_field = operation_dates(model)
        for op in operations_for(user, first, last):
            op_start = _day(getattr(op, start_field)) or first
            op_end = _day(getattr(op, end_field)) if end_field else None
            op_end = op_end or op_start
            day = max(op_start, first)
            while day <= min(op_end, last):
                entries[day].append(
                    CalendarEntry(
                        kind="operation",
                        title=str(getattr(op, "name", None) or op),
                        url=_operation_url(op),
                    )
                )
                day += timedelta(days=1)
    return [
        [
            CalendarDay(day=d, in_month=d.month == month, is_today=d == today, entries=entries[d])
            for d in week
        ]
        for week in weeks
    ]
