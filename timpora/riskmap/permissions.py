"""Map permissions, granted to roles (see ``timpora.accounts.access``)."""

from timpora.accounts.access import grant
from timpora.accounts.choices import Role

grant(
    {
        Role.ADMINISTRATOR: {"map.view", "factor.manage"},
        Role.ANALYST: {"map.view", "factor.manage"},
        Role.OFFICER: {"map.view"},
        Role.TEAM_MEMBER: {"map.view"},
        Role.AUDITOR: set(),
    }
)
