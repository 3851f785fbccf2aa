"""Teams, meetings and problems for the tests and the permission matrix, made through the
real actions (``actor=None``: the system, as the demo seeds them)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from timpora.accounts.actions import create_agency
from timpora.accounts.choices import AgencyType
from timpora.accounts.models import Agency, User
from timpora.areas.models import Area
from timpora.coordination import actions
from timpora.coordination.choices import ProblemCategory, TeamRole
from timpora.coordination.models import FollowUp, Meeting, Problem, Team
from timpora.registry.status import JAKARTA, today_in_jakarta

KOTA_SERANG = "36.73"
KEL_BANTEN = "36.73.02.1007"
KEL_TAKTAKAN = "36.73.06.1001"


def agency(name: str, kind: str = AgencyType.POLICE) -> Agency:
    return Agency.objects.filter(name=name).first() or create_agency(name=name, agency_type=kind)


def team(code: str, *, decree_number: str | None = None, on: date = date(2025, 1, 6)) -> Team:
    """The team of an area with a decree (no scanned document)."""
    existing = Team.objects.filter(area__code=code).first()
    if existing is not None:
        return existing
    created = actions.create_team(area=Area.objects.get(code=code), actor=None)
    actions.issue_decree(
        teams=[created],
        number=decree_number or f"SK-TEST-{code}",
        issued_on=on,
        issuer="Kepala Kantor Imigrasi Kelas I Non TPI Serang",
        term_start=on,
        actor=None,
    )
    return created


def member(
    t: Team,
    name: str,
    *,
    role: str = TeamRole.MEMBER,
    user: User | None = None,
    agency_name: str = "Polsek Uji",
    start: date = date(2025, 1, 6),
    email: str = "",
):
    return actions.add_member(
        t,
        actions.MemberInput(
            person_name=name,
            role=role,
            user=user,
            agency=agency(agency_name),
            position="Anggota",
            term_start=start,
            email=email,
            decree=t.decrees.first(),
        ),
        actor=None,
    )


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=JAKARTA)


def meeting(
    t: Team,
    *,
    day: date | None = None,
    title: str = "Rapat Koordinasi Tim PORA",
    agencies: list[Agency] | None = None,
    letter_number: str = "",
    hour: int = 9,
) -> Meeting:
    day = day or today_in_jakarta() - timedelta(days=3)
    return actions.schedule_meeting(
        t,
        actions.MeetingInput(
            title=title,
            starts_at=at(day, hour),
            ends_at=at(day, hour + 3),
            place="Aula Kantor Imigrasi Kelas I Non TPI Serang",
            agenda=["Paparan situasi orang asing", "Evaluasi pelaporan penginapan"],
            agencies=agencies or [],
            letter_number=letter_number,
        ),
        actor=None,
    )


def problem(
    code: str,
    *,
    title: str = "Pelaporan tamu asing belum tertib",
    category: str = ProblemCategory.ACCOMMODATION_REPORTING,
    opened_on: date | None = None,
    raised_at: Meeting | None = None,
) -> Problem:
    return actions.raise_problem(
        actions.ProblemInput(
            title=title,
            category=category,
            area=Area.objects.get(code=code),
            opened_on=opened_on,
            raised_at=raised_at,
        ),
        actor=None,
    )


def follow_up(
    p: Problem,
    *,
    due: date,
    owner_user: User | None = None,
    owner_agency: Agency | None = None,
    description: str = "Sosialisasi pelaporan orang asing",
) -> FollowUp:
    return actions.add_follow_up(
        p,
        description=description,
        due_date=due,
        owner_user=owner_user,
        owner_agency=owner_agency or (None if owner_user else agency("Polsek Uji")),
        actor=None,
    )
