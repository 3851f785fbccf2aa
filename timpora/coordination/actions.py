"""Writes of the coordination app: atomic, validated, audited.

Views, the API, the demo and the ``timpora coordination`` command parse their input and call
these. ``actor=None`` is the system (demo seeding, the reminder job): it skips the permission
check, never the validation. Nothing is deleted: members end, decrees are replaced, problems
close.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from timpora.accounts.access import can
from timpora.accounts.models import Agency, User
from timpora.areas.models import Area
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.coordination import queries
from timpora.coordination.choices import (
    SINGLE_HOLDER_ROLES,
    TEAM_LEVEL_OF_AREA,
    CheckInMethod,
    FollowUpStatus,
    LetterNature,
    MeetingStatus,
    ProblemCategory,
    ProblemStatus,
    TeamRole,
)
from timpora.coordination.models import (
    AgendaItem,
    Decision,
    Decree,
    FollowUp,
    FollowUpReminder,
    Invitee,
    Meeting,
    MeetingAttachment,
    Problem,
    Solution,
    Team,
    TeamMembership,
)
from timpora.registry.status import today_in_jakarta

log = logging.getLogger(__name__)

# Scans and meeting files: documents and pictures only, never anything a browser would run.
ALLOWED_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".odt", ".ods", ".pptx"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass
class Errors:
    """Field errors of one submission, raised together."""

    items: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.items.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)


def _require(actor, perm: str, area_code: str) -> None:
    if actor is not None and not queries.may_manage(actor, perm, area_code):
        raise PermissionDenied(perm)


def _check_upload(upload, errors: Errors, name: str) -> None:
    if upload is None:
        return
    suffix = os.path.splitext(getattr(upload, "name", "") or "")[1].lower()
    if suffix not in ALLOWED_SUFFIXES:
        errors.add(name, "upload a PDF, an image or an office document")
    if getattr(upload, "size", 0) > MAX_UPLOAD_BYTES:
        errors.add(name, "the file is larger than 20 MB")


# ----------------------------------------------------------------------------- teams

AREA_PREFIX = {
    "provinsi": "Provinsi",
    "kecamatan": "Kecamatan",
    "kelurahan": "Kelurahan",
    "desa": "Desa",
}


def default_team_name(area: Area) -> str:
    """``Tim PORA Kelurahan Banten`` / ``Tim PORA Kota Serang`` (kota/kabupaten names
    already carry their kind)."""
    prefix = AREA_PREFIX.get(area.level, "")
    return f"Tim PORA {prefix} {area.name}".replace("  ", " ").strip()


@transaction.atomic
def create_team(*, area: Area, name: str = "", actor) -> Team:
    """Register the team of an area (one per area)."""
    _require(actor, "team.manage", area.code)
    level = TEAM_LEVEL_OF_AREA.get(area.level)
    if level is None:
        raise ValidationError(
            {"area": ["teams are formed for a province, city/regency, kecamatan or kelurahan/desa"]}
        )
    if Team.objects.filter(area=area).exists():
        raise ValidationError({"area": ["this area already has a team"]})
    team = Team.objects.create(
        area=area, level=level, name=(name.strip() or default_team_name(area))[:200]
    )
    record(AuditAction.CREATE, actor=actor, obj=team, fields={"area": area.code, "level": level})
    return team


@transaction.atomic
def issue_decree(
    *,
    teams: list[Team],
    number: str,
    issued_on: date,
    issuer: str,
    title: str = "",
    term_start: date | None = None,
    term_end: date | None = None,
    document=None,
    replaces: Decree | None = None,
    end_current_members: bool = False,
    actor,
) -> Decree:
    """Record a decree (SK) forming ``teams``; it may replace an earlier one.

    With ``end_current_members`` the members serving under the team's previous decree end
    on the new decree's date (reason: replaced by this decree), so the new roster starts
    clean and the old one stays in the history.
    """
    for team in teams:
        _require(actor, "team.manage", team.area.code)
    errors = Errors()
    number = " ".join(number.split())
    issuer = " ".join(issuer.split())
    if not teams:
        errors.add("teams", "a decree forms at least one team")
    if not number:
        errors.add("number", "the decree number is required")
    if not issuer:
        errors.add("issuer", "say who issued the decree")
    if term_start and term_end and term_end < term_start:
        errors.add("term_end", "the term ends before it starts")
    if number and issuer and Decree.objects.filter(number=number, issuer=issuer).exists():
        errors.add("number", "a decree with this number from this issuer is already recorded")
    if replaces is not None and replaces.issued_on > issued_on:
        errors.add("replaces", "a decree cannot replace a newer one")
    _check_upload(document, errors, "document")
    errors.raise_if_any()
    decree = Decree(
        number=number[:100],
        issued_on=issued_on,
        issuer=issuer[:200],
        title=title.strip()[:300],
        term_start=term_start,
        term_end=term_end,
        replaces=replaces,
        created_by=actor if actor is not None and actor.pk else None,
    )
    if document is not None:
        decree.document.save(os.path.basename(document.name), document, save=False)
    decree.save()
    decree.teams.set(teams)
    ended = 0
    if end_current_members:
        reason = f"Replaced by decree {number}"
        for team in teams:
            for membership in queries.current_members(team, issued_on):
                if membership.decree_id == decree.pk:
                    continue
                membership.ended_on = issued_on
                membership.end_reason = reason[:300]
                membership.save(update_fields=["ended_on", "end_reason"])
                ended += 1
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=decree,
        fields={
            "number": number,
            "issued_on": issued_on,
            "teams": [t.pk for t in teams],
            "replaces": replaces.pk if replaces else None,
            "members_ended": ended,
            "document": bool(document),
        },
    )
    return decree


@dataclass
class MemberInput:
    """A seat in a team as a form, the API or the demo describes it."""

    person_name: str
    role: str = TeamRole.MEMBER
    agency: Agency | None = None
    user: User | None = None
    position: str = ""
    phone: str = ""
    email: str = ""
    term_start: date | None = None
    term_end: date | None = None
    decree: Decree | None = None


def _clean_member(team: Team, data: MemberInput, errors: Errors, *, ignore: int | None = None):
    name = " ".join(data.person_name.split())
    if not name and data.user is not None:
        name = data.user.get_full_name() or data.user.username
    if not name:
        errors.add("person_name", "the member's name is required")
    if data.role not in TeamRole.values:
        errors.add("role", f"unknown role {data.role!r}")
    start = data.term_start or today_in_jakarta()
    if data.term_end and data.term_end < start:
        errors.add("term_end", "the term ends before it starts")
    if data.decree is not None and not data.decree.teams.filter(pk=team.pk).exists():
        errors.add("decree", "this decree does not form this team")
    if data.role in SINGLE_HOLDER_ROLES:
        holder = queries.current_members(team, start).filter(role=data.role)
        if ignore is not None:
            holder = holder.exclude(pk=ignore)
        if holder.exists():
            errors.add(
                "role",
                "the team already has a current holder of this role: end or replace them first",
            )
    return name, start


@transaction.atomic
def add_member(team: Team, data: MemberInput, *, actor) -> TeamMembership:
    """Seat a new member; a team has one chair and one secretary at a time."""
    _require(actor, "team.manage", team.area.code)
    errors = Errors()
    name, start = _clean_member(team, data, errors)
    errors.raise_if_any()
    membership = TeamMembership.objects.create(
        team=team,
        decree=data.decree,
        person_name=name[:150],
        user=data.user,
        agency=data.agency,
        position=data.position.strip()[:200],
        role=data.role,
        phone=data.phone.strip()[:30],
        email=data.email.strip(),
        term_start=start,
        term_end=data.term_end,
    )
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=membership,
        fields={
            "team": team.pk,
            "role": data.role,
            "agency": str(data.agency) if data.agency else None,
            "user": data.user.username if data.user else None,
            "term_start": start,
        },
    )
    return membership


@transaction.atomic
def end_membership(
    membership: TeamMembership, *, ended_on: date, reason: str, actor
) -> TeamMembership:
    """End a seat: from ``ended_on`` the person no longer serves. The row stays, with why."""
    _require(actor, "team.manage", membership.team.area.code)
    errors = Errors()
    reason = " ".join(reason.split())
    if not reason:
        errors.add("reason", "say why the membership ends")
    if membership.ended_on is not None:
        errors.add("ended_on", "this membership has already ended")
    if ended_on < membership.term_start:
        errors.add("ended_on", "the membership cannot end before it started")
    errors.raise_if_any()
    membership.ended_on = ended_on
    membership.end_reason = reason[:300]
    membership.save(update_fields=["ended_on", "end_reason"])
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=membership,
        fields={"ended_on": ended_on, "reason": reason},
    )
    return membership


@transaction.atomic
def replace_member(
    membership: TeamMembership, data: MemberInput, *, ended_on: date, reason: str, actor
) -> TeamMembership:
    """End ``membership`` on ``ended_on`` and seat the successor from that day, in the same
    role unless ``data`` says otherwise."""
    team = membership.team
    _require(actor, "team.manage", team.area.code)
    data.term_start = ended_on
    if not data.role:
        data.role = membership.role
    if data.term_end is None:
        data.term_end = membership.term_end
    if data.decree is None:
        data.decree = membership.decree
    end_membership(membership, ended_on=ended_on, reason=reason, actor=actor)
    return add_member(team, data, actor=actor)


# --------------------------------------------------------------------------- meetings


@dataclass
class MeetingInput:
    title: str
    starts_at: datetime
    place: str
    ends_at: datetime | None = None
    agenda: list[str] = field(default_factory=list)
    invite_members: bool = True
    agencies: list[Agency] = field(default_factory=list)
    letter_number: str = ""
    letter_nature: str = LetterNature.ORDINARY
    letter_attachment: str = ""
    letter_subject: str = ""
    letter_date: date | None = None


@transaction.atomic
def schedule_meeting(team: Team, data: MeetingInput, *, actor) -> Meeting:
    """Plan a meeting: its agenda and invitees (the team's current members and, optionally,
    agencies that send a delegate)."""
    if actor is not None and not (
        queries.may_manage(actor, "meeting.manage", team.area.code)
        or queries.is_team_officer(actor, team)
    ):
        raise PermissionDenied("meeting.manage")
    errors = Errors()
    title = " ".join(data.title.split())
    place = " ".join(data.place.split())
    if not title:
        errors.add("title", "the meeting needs a title")
    if not place:
        errors.add("place", "say where the meeting takes place")
    if data.starts_at is None or timezone.is_naive(data.starts_at):
        errors.add("starts_at", "the start needs a date and time")
    elif data.ends_at is not None and data.ends_at <= data.starts_at:
        errors.add("ends_at", "the meeting ends before it starts")
    if data.letter_nature not in LetterNature.values:
        errors.add("letter_nature", f"unknown letter nature {data.letter_nature!r}")
    agenda = [" ".join(item.split()) for item in data.agenda if item and item.strip()]
    if not agenda:
        errors.add("agenda", "the agenda needs at least one item")
    errors.raise_if_any()
    meeting = Meeting.objects.create(
        team=team,
        title=title[:200],
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        place=place[:200],
        letter_number=data.letter_number.strip()[:100],
        letter_nature=data.letter_nature,
        letter_attachment=data.letter_attachment.strip()[:100],
        letter_subject=(data.letter_subject.strip() or "Undangan Rapat Koordinasi Tim PORA")[:200],
        letter_date=data.letter_date,
        created_by=actor if actor is not None and actor.pk else None,
    )
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, position=i, title=t[:300]) for i, t in enumerate(agenda, 1)]
    )
    invitees: list[Invitee] = []
    if data.invite_members:
        day = timezone.localtime(data.starts_at).date()
        for m in queries.current_members(team, day):
            label = m.person_name
            if m.position:
                label = f"{m.person_name}, {m.position}"
            invitees.append(
                Invitee(meeting=meeting, membership=m, agency=m.agency, name=label[:250])
            )
    seen_agencies: set[int] = set()
    for agency in data.agencies:
        if agency.pk in seen_agencies:
            continue
        seen_agencies.add(agency.pk)
        invitees.append(Invitee(meeting=meeting, agency=agency, name=agency.name[:250]))
    Invitee.objects.bulk_create(invitees)
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=meeting,
        fields={
            "team": team.pk,
            "starts_at": data.starts_at,
            "agenda": len(agenda),
            "invitees": len(invitees),
        },
    )
    return meeting


@transaction.atomic
def check_in(meeting: Meeting, *, user, now: datetime | None = None) -> Invitee:
    """The invitee checks themself in on a phone (their own invitation, or their agency's:
    the delegate's name is kept). Checking in twice keeps the first time."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"__all__": ["the meeting was cancelled"]})
    invitee = queries.invitee_for(user, meeting)
    if invitee is None:
        raise PermissionDenied("not invited")
    invitee = Invitee.objects.select_for_update().get(pk=invitee.pk)
    if invitee.attended:
        return invitee
    invitee.attended = True
    invitee.checked_in_at = now or timezone.now()
    invitee.check_in_method = CheckInMethod.SELF
    invitee.checked_in_by = user
    invitee.attendee_name = (user.get_full_name() or user.username)[:150]
    invitee.save(
        update_fields=[
            "attended",
            "checked_in_at",
            "check_in_method",
            "checked_in_by",
            "attendee_name",
        ]
    )
    record(AuditAction.UPDATE, actor=user, obj=meeting, fields={"check_in": invitee.pk})
    return invitee


@transaction.atomic
def mark_attendance(
    meeting: Meeting,
    *,
    present: set[int],
    attendee_names: dict[int, str] | None = None,
    actor,
    now: datetime | None = None,
) -> int:
    """The secretary's attendance list: exactly the invitees in ``present`` attended.

    Self check-ins stay as they are (only an unticked box removes them); returns how many
    rows changed.
    """
    if actor is not None and not queries.may_run_meeting(actor, meeting):
        raise PermissionDenied("meeting.manage")
    now = now or timezone.now()
    attendee_names = attendee_names or {}
    changed = 0
    # A fresh query: the meeting's prefetched invitees carry outer joins, which PostgreSQL
    # cannot lock.
    for invitee in Invitee.objects.select_for_update().filter(meeting=meeting).order_by("id"):
        should = invitee.pk in present
        name = " ".join(attendee_names.get(invitee.pk, "").split())[:150]
        if should and not invitee.attended:
            invitee.attended = True
            invitee.checked_in_at = now
            invitee.check_in_method = CheckInMethod.SECRETARY
            invitee.checked_in_by = actor if actor is not None and actor.pk else None
            invitee.attendee_name = name or invitee.attendee_name
        elif should and name and name != invitee.attendee_name:
            invitee.attendee_name = name
        elif not should and invitee.attended:
            invitee.attended = False
            invitee.checked_in_at = None
            invitee.check_in_method = ""
            invitee.checked_in_by = None
            invitee.attendee_name = ""
        else:
            continue
        invitee.save()
        changed += 1
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=meeting,
        fields={"attendance": sorted(present), "changed": changed},
    )
    return changed


@dataclass
class DecisionInput:
    text: str
    problem: Problem | None = None


@transaction.atomic
def record_minutes(
    meeting: Meeting, *, minutes: str, decisions: list[DecisionInput], actor
) -> list[Decision]:
    """Write the minutes and add the decisions taken; the meeting is then held.

    Decisions already recorded stay (follow-ups point at them); new ones are numbered after
    them.
    """
    if actor is not None and not queries.may_run_meeting(actor, meeting):
        raise PermissionDenied("meeting.manage")
    errors = Errors()
    text = minutes.strip()
    if not text:
        errors.add("minutes", "the minutes are empty")
    if meeting.status == MeetingStatus.CANCELLED:
        errors.add("__all__", "the meeting was cancelled")
    if meeting.starts_at > timezone.now():
        errors.add("__all__", "minutes are recorded after the meeting has started")
    errors.raise_if_any()
    meeting.minutes = text
    meeting.status = MeetingStatus.HELD
    meeting.minutes_recorded_at = timezone.now()
    meeting.minutes_recorded_by = actor if actor is not None and actor.pk else None
    meeting.save(update_fields=["minutes", "status", "minutes_recorded_at", "minutes_recorded_by"])
    last = meeting.decisions.order_by("-position").values_list("position", flat=True).first() or 0
    created = []
    for offset, item in enumerate((d for d in decisions if d.text.strip()), 1):
        created.append(
            Decision.objects.create(
                meeting=meeting,
                position=last + offset,
                text=item.text.strip(),
                problem=item.problem,
            )
        )
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=meeting,
        fields={"minutes": len(text), "decisions": [d.pk for d in created]},
    )
    return created


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, reason: str, actor) -> Meeting:
    if actor is not None and not queries.may_run_meeting(actor, meeting):
        raise PermissionDenied("meeting.manage")
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError({"__all__": ["only a planned meeting can be cancelled"]})
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])
    record(AuditAction.UPDATE, actor=actor, obj=meeting, fields={"cancelled": reason})
    return meeting


@transaction.atomic
def add_attachment(meeting: Meeting, *, title: str, upload, actor) -> MeetingAttachment:
    """Keep a file of the meeting in private storage (served only through a scoped view)."""
    if actor is not None and not queries.may_run_meeting(actor, meeting):
        raise PermissionDenied("meeting.manage")
    errors = Errors()
    if upload is None:
        errors.add("file", "choose a file")
    _check_upload(upload, errors, "file")
    errors.raise_if_any()
    attachment = MeetingAttachment(
        meeting=meeting,
        title=(" ".join(title.split()) or os.path.basename(upload.name))[:200],
        uploaded_by=actor if actor is not None and actor.pk else None,
    )
    attachment.file.save(os.path.basename(upload.name), upload, save=False)
    attachment.save()
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=attachment,
        fields={"meeting": meeting.pk, "file": attachment.file.name},
    )
    return attachment


# --------------------------------------------------------------------------- problems


@dataclass
class ProblemInput:
    title: str
    category: str
    area: Area
    description: str = ""
    agencies: list[Agency] = field(default_factory=list)
    team: Team | None = None
    raised_at: Meeting | None = None
    opened_on: date | None = None


@transaction.atomic
def raise_problem(data: ProblemInput, *, actor) -> Problem:
    """Put a problem on the team's inventory."""
    _require(actor, "problem.manage", data.area.code)
    errors = Errors()
    title = " ".join(data.title.split())
    if not title:
        errors.add("title", "the problem needs a title")
    if data.category not in ProblemCategory.values:
        errors.add("category", f"unknown category {data.category!r}")
    opened_on = data.opened_on or today_in_jakarta()
    if opened_on > today_in_jakarta():
        errors.add("opened_on", "a problem cannot be raised in the future")
    errors.raise_if_any()
    team = data.team or queries.team_for_area(data.area.code)
    problem = Problem.objects.create(
        title=title[:200],
        description=data.description.strip(),
        category=data.category,
        area=data.area,
        team=team,
        raised_at=data.raised_at,
        opened_on=opened_on,
        created_by=actor if actor is not None and actor.pk else None,
    )
    problem.agencies.set(data.agencies)
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=problem,
        fields={
            "category": data.category,
            "area": data.area.code,
            "agencies": [a.pk for a in data.agencies],
        },
    )
    return problem


@transaction.atomic
def agree_solution(
    problem: Problem, *, text: str, agreed_on: date | None = None, meeting=None, actor
) -> Solution:
    _require(actor, "problem.manage", problem.area.code)
    if not text.strip():
        raise ValidationError({"text": ["describe the agreed solution"]})
    solution = Solution.objects.create(
        problem=problem,
        text=text.strip(),
        agreed_on=agreed_on or today_in_jakarta(),
        meeting=meeting,
    )
    record(AuditAction.CREATE, actor=actor, obj=solution, fields={"problem": problem.pk})
    return solution


@transaction.atomic
def add_follow_up(
    problem: Problem,
    *,
    description: str,
    due_date: date,
    owner_agency: Agency | None = None,
    owner_user: User | None = None,
    solution: Solution | None = None,
    decision: Decision | None = None,
    actor,
) -> FollowUp:
    """Agree a follow-up action with an owner (agency and/or user) and a due date."""
    _require(actor, "problem.manage", problem.area.code)
    errors = Errors()
    description = " ".join(description.split())
    if not description:
        errors.add("description", "describe the action")
    if owner_agency is None and owner_user is None:
        errors.add("owner_agency", "a follow-up needs an owner: an agency, a user or both")
    if due_date is None:
        errors.add("due_date", "set a due date")
    if solution is not None and solution.problem_id != problem.pk:
        errors.add("solution", "this solution belongs to another problem")
    if problem.status == ProblemStatus.CLOSED:
        errors.add("__all__", "the problem is closed; reopen it first")
    errors.raise_if_any()
    follow_up = FollowUp.objects.create(
        problem=problem,
        solution=solution,
        decision=decision,
        description=description[:300],
        owner_agency=owner_agency,
        owner_user=owner_user,
        due_date=due_date,
        created_by=actor if actor is not None and actor.pk else None,
    )
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=follow_up,
        fields={
            "problem": problem.pk,
            "due_date": due_date,
            "owner_agency": owner_agency.pk if owner_agency else None,
            "owner_user": owner_user.username if owner_user else None,
        },
    )
    return follow_up


@transaction.atomic
def update_follow_up(
    follow_up: FollowUp, *, status: str, note: str = "", actor, today: date | None = None
) -> FollowUp:
    """Report progress: the owner or a problem manager of the area."""
    if actor is not None and not queries.may_update_follow_up(actor, follow_up):
        raise PermissionDenied("follow-up")
    if status not in FollowUpStatus.values:
        raise ValidationError({"status": [f"unknown status {status!r}"]})
    before = follow_up.status
    follow_up.status = status
    follow_up.done_on = (today or today_in_jakarta()) if status == FollowUpStatus.DONE else None
    if note.strip():
        follow_up.note = " ".join(note.split())[:300]
    follow_up.save(update_fields=["status", "done_on", "note", "updated_at"])
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=follow_up,
        fields={"status": [before, status], "note": note},
    )
    return follow_up


@transaction.atomic
def close_problem(problem: Problem, *, note: str, closed_on: date | None = None, actor) -> Problem:
    """The problem is solved; follow-ups still open stay visible on the problem page."""
    _require(actor, "problem.manage", problem.area.code)
    if problem.status == ProblemStatus.CLOSED:
        raise ValidationError({"__all__": ["the problem is already closed"]})
    closed_on = closed_on or today_in_jakarta()
    if closed_on < problem.opened_on:
        raise ValidationError({"closed_on": ["a problem cannot close before it was raised"]})
    problem.status = ProblemStatus.CLOSED
    problem.closed_on = closed_on
    problem.close_note = " ".join(note.split())[:300]
    problem.save(update_fields=["status", "closed_on", "close_note"])
    record(
        AuditAction.UPDATE, actor=actor, obj=problem, fields={"closed_on": closed_on, "note": note}
    )
    return problem


@transaction.atomic
def reopen_problem(problem: Problem, *, actor) -> Problem:
    _require(actor, "problem.manage", problem.area.code)
    if problem.status != ProblemStatus.CLOSED:
        raise ValidationError({"__all__": ["the problem is open"]})
    problem.status = ProblemStatus.OPEN
    problem.closed_on = None
    problem.save(update_fields=["status", "closed_on"])
    record(AuditAction.UPDATE, actor=actor, obj=problem, fields={"reopened": True})
    return problem


# -------------------------------------------------------------------------- reminders


@dataclass
class ReminderRun:
    day: date
    overdue: int = 0
    reminded: int = 0
    notifications: int = 0
    emails: int = 0


def _recipients(follow_up: FollowUp) -> list[User]:
    """The owner user, or the active users of the owner agency who can open the problem."""
    if follow_up.owner_user_id and follow_up.owner_user.is_active:
        return [follow_up.owner_user]
    if follow_up.owner_agency_id:
        return [
            u
            for u in User.objects.filter(agency_id=follow_up.owner_agency_id, is_active=True)
            if can(u, "coordination.view")
        ]
    return []


def send_overdue_reminders(*, today: date | None = None) -> ReminderRun:
    """Remind the owners of every overdue follow-up, once per follow-up per day.

    Idempotent: a ``FollowUpReminder`` row (unique per follow-up and day) is written in the
    same transaction as that follow-up's notifications, so a second run on the same day — or
    two workers at once — finds it and sends nothing. E-mail is best effort and sent after
    the commit.
    """
    from timpora.detection.models import Notification

    today = today or today_in_jakarta()
    run = ReminderRun(day=today)
    overdue = (
        FollowUp.objects.filter(queries.overdue_q(today))
        .select_related("problem", "owner_user", "owner_agency")
        .order_by("due_date", "id")
    )
    run.overdue = overdue.count()
    pending = overdue.exclude(reminders__day=today)
    for follow_up in pending:
        users = _recipients(follow_up)
        days = (today - follow_up.due_date).days
        message = (
            f"Overdue follow-up ({days} days): {follow_up.description} — "
            f"problem: {follow_up.problem.title}"
        )[:300]
        url = f"/coordination/problems/{follow_up.problem_id}/#follow-up-{follow_up.pk}"
        emails = [u.email for u in users if u.email]
        try:
            with transaction.atomic():
                FollowUpReminder.objects.create(
                    follow_up=follow_up, day=today, recipients=len(users), emails=len(emails)
                )
                Notification.objects.bulk_create(
                    [Notification(user=u, message=message, url=url) for u in users]
                )
        except IntegrityError:
            continue  # another run reminded this follow-up today
        run.reminded += 1
        run.notifications += len(users)
        for address in emails:
            try:
                send_mail(
                    f"[Timpora] {message}"[:200],
                    f"{message}\n\nDue: {follow_up.due_date:%d-%m-%Y}. "
                    f"Update its status in Timpora: {url}",
                    settings.DEFAULT_FROM_EMAIL,
                    [address],
                )
                run.emails += 1
            except OSError:
                log.warning("could not e-mail %s about follow-up %s", address, follow_up.pk)
    if run.reminded:
        record(
            AuditAction.CREATE,
            actor=None,
            object_type="coordination.followupreminder",
            object_repr=f"overdue reminders {today}",
            fields={
                "day": today,
                "reminded": run.reminded,
                "notifications": run.notifications,
                "emails": run.emails,
            },
        )
    return run
