"""The coordination app through the API: teams (read), meetings and problems (read and
create) and the routine evaluation's figures.

Handlers parse and call: reads through ``queries``/``reports`` (region scope answers 404),
writes through ``actions``. The permission is checked with the token, before the body is
validated, so a caller without it gets 403 whatever it sent.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from timpora.accounts.models import Agency
from timpora.api.auth import BearerToken
from timpora.areas.models import Area
from timpora.coordination import actions, queries, reports
from timpora.coordination.choices import EvaluationLevel
from timpora.coordination.models import Meeting, Problem, Team, TeamMembership
from timpora.registry.status import today_in_jakarta

VIEW = BearerToken("coordination.view")
MEETING = BearerToken("meeting.manage")
PROBLEM = BearerToken("problem.manage")
EVALUATION = BearerToken("evaluation.view")

router = Router(tags=["coordination"])


# ---------------------------------------------------------------------------- schemas


class MemberOut(Schema):
    id: int
    person_name: str
    role: str
    agency: str | None
    agency_id: int | None
    position: str
    phone: str
    email: str
    user: str | None
    term_start: date
    term_end: date | None
    ended_on: date | None
    end_reason: str
    decree_id: int | None


class DecreeOut(Schema):
    id: int
    number: str
    issued_on: date
    issuer: str
    title: str
    term_start: date | None
    term_end: date | None
    has_document: bool
    replaces_id: int | None


class TeamOut(Schema):
    id: int
    name: str
    level: str
    area_code: str
    area_name: str
    members: int


class TeamDetailOut(TeamOut):
    decree: DecreeOut | None
    decrees: list[DecreeOut]
    current_members: list[MemberOut]
    history: list[MemberOut]


class TeamQuery(Schema):
    level: str = ""
    area: str = Field("", description="Teams at or below this area code")


class InviteeOut(Schema):
    id: int
    name: str
    membership_id: int | None
    agency_id: int | None
    attended: bool
    attendee_name: str
    checked_in_at: datetime | None
    check_in_method: str


class DecisionOut(Schema):
    id: int
    position: int
    text: str
    problem_id: int | None


class MeetingOut(Schema):
    id: int
    team_id: int
    team_name: str
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    status: str
    letter_number: str
    invitees: int
    present: int


class MeetingDetailOut(MeetingOut):
    agenda: list[str]
    invitee_list: list[InviteeOut]
    minutes: str
    decisions: list[DecisionOut]


class MeetingList(Schema):
    count: int
    items: list[MeetingOut]


class MeetingQuery(Schema):
    team: int | None = None
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class MeetingIn(Schema):
    team_id: int
    title: str
    starts_at: datetime = Field(description="With a time zone, e.g. 2026-11-12T09:00:00+07:00")
    ends_at: datetime | None = None
    place: str
    agenda: list[str]
    invite_members: bool = True
    agency_ids: list[int] = []
    letter_number: str = ""
    letter_nature: str = "biasa"
    letter_attachment: str = ""
    letter_subject: str = ""
    letter_date: date | None = None


class FollowUpOut(Schema):
    id: int
    description: str
    owner_agency: str | None
    owner_user: str | None
    due_date: date
    status: str
    done_on: date | None
    overdue: bool


class SolutionOut(Schema):
    id: int
    text: str
    agreed_on: date
    meeting_id: int | None


class ProblemOut(Schema):
    id: int
    title: str
    category: str
    area_code: str
    area_name: str
    status: str
    opened_on: date
    closed_on: date | None
    agencies: list[str]
    open_follow_ups: int
    overdue_follow_ups: int


class ProblemDetailOut(ProblemOut):
    description: str
    team_id: int | None
    raised_at_meeting_id: int | None
    close_note: str
    solutions: list[SolutionOut]
    follow_ups: list[FollowUpOut]


class ProblemQuery(Schema):
    status: str = ""
    category: str = ""
    area: str = ""


class ProblemIn(Schema):
    title: str
    category: str
    area_code: str
    description: str = ""
    agency_ids: list[int] = []
    opened_on: date | None = None
    raised_at_meeting_id: int | None = None


class EvaluationQuery(Schema):
    period: str = Field("", description="2026-11, 2026-Q4 or 2026; empty: the current one")
    level: str = Field(EvaluationLevel.MONTHLY, description="monthly, quarterly or yearly")
    area: str = Field("", description="An area code inside the caller's scope")


# ---------------------------------------------------------------------------- helpers


def _member(m: TeamMembership) -> dict[str, Any]:
    return {
        "id": m.pk,
        "person_name": m.person_name,
        "role": m.role,
        "agency": str(m.agency) if m.agency_id else None,
        "agency_id": m.agency_id,
        "position": m.position,
        "phone": m.phone,
        "email": m.email,
        "user": m.user.username if m.user_id else None,
        "term_start": m.term_start,
        "term_end": m.term_end,
        "ended_on": m.ended_on,
        "end_reason": m.end_reason,
        "decree_id": m.decree_id,
    }


def _decree(d) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "id": d.pk,
        "number": d.number,
        "issued_on": d.issued_on,
        "issuer": d.issuer,
        "title": d.title,
        "term_start": d.term_start,
        "term_end": d.term_end,
        "has_document": bool(d.document),
        "replaces_id": d.replaces_id,
    }


def _team(team: Team, members: int) -> dict[str, Any]:
    return {
        "id": team.pk,
        "name": team.name,
        "level": team.level,
        "area_code": team.area.code,
        "area_name": team.area.name,
        "members": members,
    }


def _meeting(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "team_id": m.team_id,
        "team_name": m.team.name,
        "title": m.title,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "place": m.place,
        "status": m.status,
        "letter_number": m.letter_number,
        "invitees": getattr(m, "n_invitees", None) or m.invitees.count(),
        "present": getattr(m, "n_present", None) or m.invitees.filter(attended=True).count(),
    }


def _problem(p: Problem, today: date) -> dict[str, Any]:
    follow_ups = list(p.follow_ups.all())
    return {
        "id": p.pk,
        "title": p.title,
        "category": p.category,
        "area_code": p.area.code,
        "area_name": p.area.name,
        "status": p.status,
        "opened_on": p.opened_on,
        "closed_on": p.closed_on,
        "agencies": [str(a) for a in p.agencies.all()],
        "open_follow_ups": sum(1 for f in follow_ups if f.status != "done"),
        "overdue_follow_ups": sum(1 for f in follow_ups if f.is_overdue(today)),
    }


# ------------------------------------------------------------------------------ teams


@router.get("/teams", response=list[TeamOut], auth=VIEW, summary="Teams in scope")
def list_teams(request, params: Query[TeamQuery]):
    """Teams of the caller's area, below it, and the teams above it."""
    today = today_in_jakarta()
    teams = queries.teams_for(request.user).annotate(
        n=Count("memberships", filter=queries.current_q(today, "memberships__"))
    )
    if params.level:
        teams = teams.filter(level=params.level)
    if params.area:
        code = params.area.strip()
        teams = teams.filter(Q(area__code=code) | Q(area__code__startswith=code + "."))
    return [_team(t, t.n) for t in teams.order_by("area__code")]


@router.get(
    "/teams/{team_id}", response=TeamDetailOut, auth=VIEW, summary="A team: decree and members"
)
def get_team(request, team_id: int):
    team = queries.team_for(request.user, team_id)
    current = list(queries.current_members(team))
    return {
        **_team(team, len(current)),
        "decree": _decree(queries.current_decree(team)),
        "decrees": [_decree(d) for d in team.decrees.order_by("-issued_on", "-id")],
        "current_members": [_member(m) for m in current],
        "history": [_member(m) for m in queries.membership_history(team)],
    }


# --------------------------------------------------------------------------- meetings


@router.get("/meetings", response=MeetingList, auth=VIEW, summary="Meetings in scope")
def list_meetings(request, params: Query[MeetingQuery]):
    meetings = queries.meetings_for(request.user).annotate(
        n_invitees=Count("invitees", distinct=True),
        n_present=Count("invitees", filter=Q(invitees__attended=True), distinct=True),
    )
    if params.team:
        meetings = meetings.filter(team_id=params.team)
    if params.status:
        meetings = meetings.filter(status=params.status)
    if params.date_from:
        meetings = meetings.filter(starts_at__date__gte=params.date_from)
    if params.date_to:
        meetings = meetings.filter(starts_at__date__lte=params.date_to)
    meetings = meetings.order_by("-starts_at", "-id")
    count = meetings.count()
    page = meetings[params.offset : params.offset + params.limit]
    return {"count": count, "items": [_meeting(m) for m in page]}


@router.post("/meetings", response={201: MeetingDetailOut}, auth=MEETING, summary="Schedule")
def create_meeting(request, payload: MeetingIn):
    team = queries.team_for(request.user, payload.team_id)
    agencies = list(Agency.objects.filter(pk__in=payload.agency_ids))
    if len(agencies) != len(set(payload.agency_ids)):
        raise ValidationError({"agency_ids": ["unknown agency"]})
    meeting = actions.schedule_meeting(
        team,
        actions.MeetingInput(
            title=payload.title,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            place=payload.place,
            agenda=payload.agenda,
            invite_members=payload.invite_members,
            agencies=agencies,
            letter_number=payload.letter_number,
            letter_nature=payload.letter_nature,
            letter_attachment=payload.letter_attachment,
            letter_subject=payload.letter_subject,
            letter_date=payload.letter_date,
        ),
        actor=request.user,
    )
    return Status(201, _meeting_detail(queries.meeting_for(request.user, meeting.pk)))


def _meeting_detail(meeting: Meeting) -> dict[str, Any]:
    invitees = list(meeting.invitees.all())
    return {
        **_meeting(meeting),
        "invitees": len(invitees),
        "present": sum(1 for i in invitees if i.attended),
        "agenda": [a.title for a in meeting.agenda_items.all()],
        "invitee_list": [
            {
                "id": i.pk,
                "name": i.name,
                "membership_id": i.membership_id,
                "agency_id": i.agency_id,
                "attended": i.attended,
                "attendee_name": i.attendee_name,
                "checked_in_at": i.checked_in_at,
                "check_in_method": i.check_in_method,
            }
            for i in invitees
        ],
        "minutes": meeting.minutes,
        "decisions": [
            {"id": d.pk, "position": d.position, "text": d.text, "problem_id": d.problem_id}
            for d in meeting.decisions.all()
        ],
    }


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, auth=VIEW, summary="A meeting")
def get_meeting(request, meeting_id: int):
    return _meeting_detail(queries.meeting_for(request.user, meeting_id))


# --------------------------------------------------------------------------- problems


@router.get("/problems", response=list[ProblemOut], auth=VIEW, summary="Problem inventory")
def list_problems(request, params: Query[ProblemQuery]):
    problems = queries.problems_for(request.user).prefetch_related("agencies", "follow_ups")
    if params.status:
        problems = problems.filter(status=params.status)
    if params.category:
        problems = problems.filter(category=params.category)
    if params.area:
        code = params.area.strip()
        problems = problems.filter(Q(area__code=code) | Q(area__code__startswith=code + "."))
    today = today_in_jakarta()
    return [_problem(p, today) for p in problems.order_by("-opened_on", "-id")[:500]]


def _problem_detail(problem: Problem, today: date) -> dict[str, Any]:
    return {
        **_problem(problem, today),
        "description": problem.description,
        "team_id": problem.team_id,
        "raised_at_meeting_id": problem.raised_at_id,
        "close_note": problem.close_note,
        "solutions": [
            {"id": s.pk, "text": s.text, "agreed_on": s.agreed_on, "meeting_id": s.meeting_id}
            for s in problem.solutions.all()
        ],
        "follow_ups": [
            {
                "id": f.pk,
                "description": f.description,
                "owner_agency": str(f.owner_agency) if f.owner_agency_id else None,
                "owner_user": f.owner_user.username if f.owner_user_id else None,
                "due_date": f.due_date,
                "status": f.status,
                "done_on": f.done_on,
                "overdue": f.is_overdue(today),
            }
            for f in problem.follow_ups.select_related("owner_agency", "owner_user")
        ],
    }


@router.post("/problems", response={201: ProblemDetailOut}, auth=PROBLEM, summary="Record")
def create_problem(request, payload: ProblemIn):
    area = Area.objects.filter(code=payload.area_code.strip()).first()
    if area is None:
        raise ValidationError({"area_code": ["unknown area code"]})
    meeting = None
    if payload.raised_at_meeting_id is not None:
        try:
            meeting = queries.meeting_for(request.user, payload.raised_at_meeting_id)
        except Http404:
            raise ValidationError({"raised_at_meeting_id": ["unknown meeting"]}) from None
    agencies = list(Agency.objects.filter(pk__in=payload.agency_ids))
    if len(agencies) != len(set(payload.agency_ids)):
        raise ValidationError({"agency_ids": ["unknown agency"]})
    problem = actions.raise_problem(
        actions.ProblemInput(
            title=payload.title,
            category=payload.category,
            area=area,
            description=payload.description,
            agencies=agencies,
            raised_at=meeting,
            opened_on=payload.opened_on,
        ),
        actor=request.user,
    )
    return Status(
        201, _problem_detail(queries.problem_for(request.user, problem.pk), today_in_jakarta())
    )


@router.get("/problems/{problem_id}", response=ProblemDetailOut, auth=VIEW, summary="A problem")
def get_problem(request, problem_id: int):
    return _problem_detail(queries.problem_for(request.user, problem_id), today_in_jakarta())


# ------------------------------------------------------------------------- evaluation


@router.get("/evaluation", response=dict, auth=EVALUATION, summary="Evaluation figures")
def get_evaluation(request, params: Query[EvaluationQuery]):
    """The routine evaluation of a period (``period=2026-11&level=monthly``) for the caller's
    scope or one area inside it: the same figures as the dashboard and the PDF report."""
    level = params.level or EvaluationLevel.MONTHLY
    try:
        period = (
            reports.parse_period(params.period, level)
            if params.period
            else reports.period_containing(level, today_in_jakarta())
        )
    except reports.PeriodError as exc:
        raise ValidationError({"period": [str(exc)]}) from None
    region = reports.region_for(request.user, params.area)
    return reports.evaluate(region, period).as_dict()
