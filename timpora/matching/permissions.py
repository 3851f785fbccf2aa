"""Entity-resolution permissions, granted to roles (see ``timpora.accounts.access``).

``matching.view``: see the review pairs in one's region scope, with identifiers masked as on
the person page (team members too). ``matching.review``: decide pairs, undo merges and split
persons, which changes the registry for everyone (immigration analysts and administrators).
"""

from timpora.accounts.access import grant
from timpora.accounts.choices import Role

grant(
    {
        Role.ADMINISTRATOR: {"matching.view", "matching.review"},
        Role.ANALYST: {"matching.view", "matching.review"},
        Role.OFFICER: {"matching.view"},
        Role.TEAM_MEMBER: {"matching.view"},
    }
)
