"""Detection permissions, granted to roles (see ``timpora.accounts.access``)."""

from timpora.accounts.access import grant
from timpora.accounts.choices import Role

grant(
    {
        Role.ADMINISTRATOR: {
            "alert.view",
            "alert.manage",
            "alert.export",
            "rule.manage",
            "detect.run",
        },
        Role.ANALYST: {"alert.view", "alert.manage", "alert.export", "detect.run"},
        Role.OFFICER: {"alert.view", "alert.manage", "alert.export"},
        Role.TEAM_MEMBER: {"alert.view"},
    }
)
