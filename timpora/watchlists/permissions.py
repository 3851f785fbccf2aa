"""Watch-list permissions, granted to roles (see ``timpora.accounts.access``).

Lists and hits are the immigration office's: other agencies of the team see only the alert
a hit raises. ``queries`` also requires the user's agency to be the immigration office.
"""

from timpora.accounts.access import grant
from timpora.accounts.choices import Role

grant(
    {
        Role.ADMINISTRATOR: {"watchlists.view", "watchlists.decide", "watchlists.manage"},
        Role.ANALYST: {"watchlists.view", "watchlists.decide", "watchlists.manage"},
        Role.OFFICER: {"watchlists.view", "watchlists.decide"},
    }
)
