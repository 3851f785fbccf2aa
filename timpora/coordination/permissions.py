"""Coordination permissions, granted to roles (see ``timpora.accounts.access``).

- ``coordination.view``: read teams, meetings and the problem inventory (region scope: the
  user's area, below it, and the teams above it that the user's area belongs to).
- ``team.manage``: decrees and members. The immigration office forms the teams by decree and
  keeps their rosters, so office staff hold it; region scope still limits where.
- ``meeting.manage`` / ``problem.manage``: schedule meetings, record minutes and attendance,
  keep the inventory. Team members hold them too, inside their own area.
- ``evaluation.view``: the routine evaluation (aggregate figures only, no personal data).
"""

from timpora.accounts.access import grant
from timpora.accounts.choices import Role

OFFICE = {
    "coordination.view",
    "team.manage",
    "meeting.manage",
    "problem.manage",
    "evaluation.view",
}

# The head of office (Kakanim) chairs the city/regency team and signs its letters.
_HEAD = getattr(Role, "HEAD_OF_OFFICE", None)

grant(
    {
        **({_HEAD: OFFICE} if _HEAD is not None else {}),
        Role.ADMINISTRATOR: OFFICE,
        Role.ANALYST: OFFICE,
        Role.OFFICER: OFFICE,
        Role.TEAM_MEMBER: {
            "coordination.view",
            "meeting.manage",
            "problem.manage",
            "evaluation.view",
        },
    }
)
