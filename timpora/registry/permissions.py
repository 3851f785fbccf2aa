"""The registry's permissions, granted to roles (see ``timpora.accounts.access``)."""

from timpora.accounts.access import grant
from timpora.accounts.choices import Role

grant(
    {
        Role.ADMINISTRATOR: {
            "person.view",
            "person.change",
            "person.export",
            "person.unmask",
            "permitindex.manage",
            "registry.merge",
        },
        # Merging and splitting persons (entity resolution) is for the immigration office's
        # analysts and administrators: it rewrites whose records are whose.
        Role.ANALYST: {
            "person.view",
            "person.change",
            "person.export",
            "person.unmask",
            "registry.merge",
        },
        Role.OFFICER: {"person.view", "person.change", "person.export", "person.unmask"},
        # Team members of "masked" agencies (police, local government, ...) may unmask one
        # person at a time, audited; "hidden" agencies never can (masking.may_unmask).
        Role.TEAM_MEMBER: {"person.view", "person.unmask"},
        Role.AUDITOR: set(),
    }
)
