"""Intake permissions, granted to roles (see ``timpora.accounts.access``)."""

from timpora.accounts.access import grant
from timpora.accounts.choices import Role

grant(
    {
        Role.ADMINISTRATOR: {
            "report.view",
            "report.import",
            "premises.approve",
            "finding.create",
            "tip.view",
            "tip.manage",
        },
        Role.ANALYST: {
            "report.view",
            "report.import",
            "premises.approve",
            "tip.view",
            "tip.manage",
        },
        Role.OFFICER: {"report.view", "report.import", "finding.create", "tip.view", "tip.manage"},
        Role.TEAM_MEMBER: {"report.view", "finding.create", "tip.view"},
        Role.REPORTER: {"report.file"},
    }
)
