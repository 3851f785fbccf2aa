"""The demo: the Kota Serang city team and a team in each of its 67 kelurahan, a past
meeting, problems with one overdue follow-up; a second run adds nothing."""

from __future__ import annotations

import pytest

from timpora.coordination import queries
from timpora.coordination.choices import MeetingStatus, TeamLevel, TeamRole
from timpora.coordination.demo import seed_coordination
from timpora.coordination.models import (
    Decree,
    FollowUp,
    Invitee,
    Meeting,
    Problem,
    Team,
    TeamMembership,
)
from timpora.core import demo as core_demo

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Team, Decree, TeamMembership, Meeting, Invitee, Problem, FollowUp)
    }


def test_it_seeds_the_teams_of_kota_serang_once(personas):
    summary = seed_coordination()["coordination"]
    first = _counts()

    city = Team.objects.get(area__code="36.73")
    assert city.level == TeamLevel.KABKOTA
    chair = queries.chair_of(city)
    assert chair.position == "Kepala Kantor Imigrasi Kelas I Non TPI Serang"
    assert chair.agency.name == core_demo.OFFICE
    assert queries.current_decree(city).issuer.startswith("Kepala Kantor Imigrasi")
    agencies = set(queries.current_members(city).values_list("agency__name", flat=True))
    assert agencies == {name for name, *_ in core_demo.AGENCIES[:12]}

    kelurahan = Team.objects.filter(level=TeamLevel.KELURAHAN, area__code__startswith="36.73.")
    assert kelurahan.count() == 67
    for team in kelurahan:
        roles = sorted(queries.current_members(team).values_list("role", flat=True))
        assert roles == [TeamRole.CHAIR, TeamRole.MEMBER, TeamRole.MEMBER]
        assert queries.chair_of(team).position == f"Lurah {team.area.name}"
    banten = kelurahan.get(area__code=core_demo.KELURAHAN_BANTEN)
    assert queries.chair_of(banten).user == personas.lurah_banten
    positions = set(queries.current_members(banten).values_list("position", flat=True))
    assert "Babinsa Kelurahan Banten" in positions
    assert "Bhabinkamtibmas Kelurahan Banten" in positions

    meeting = Meeting.objects.get(team=city)
    assert meeting.status == MeetingStatus.HELD and meeting.decisions.count() == 3
    assert 0 < meeting.invitees.filter(attended=True).count() < meeting.invitees.count()
    assert Problem.objects.filter(raised_at=meeting).count() == 3
    assert queries.overdue_follow_ups(personas.officer).count() == 1
    assert summary["teams_added"] == 68 and summary["meetings_added"] == 1

    again = seed_coordination()["coordination"]
    assert _counts() == first
    assert again["teams_added"] == again["members_added"] == again["meetings_added"] == 0
