"""Operations and TAK permissions, granted to roles (see ``timpora.accounts.access``).

- ``operation.view``: open the operations one belongs to (members of a team);
  ``operation.view_all``: office-wide staff see every operation, member or not.
- ``operation.manage``: plan, staff and run operations; ``check.create``: record field checks
  (only in a running operation one belongs to, or as office-wide ``operation.manage`` staff).
- ``operation.report``: the operation report (PDF/XLSX, personal data at scale).
- ``case.view``: cases in one's scope; ``case.manage``: open and edit cases, examinations,
  reviews and decisions (the actions also require an immigration-agency user: a police
  member never edits an immigration decision).
- ``decision.sign``: sign a decision. Only the head of office (*Kakanim*) who chairs the
  case review holds it.
- ``tak.stats``: statistics of the actions taken (aggregates, scoped).
"""

from timpora.accounts.access import grant
from timpora.accounts.choices import Role

STAFF = {
    "operation.view",
    "operation.view_all",
    "operation.manage",
    "operation.report",
    "check.create",
    "case.view",
    "case.manage",
    "tak.stats",
}

grant(
    {
        Role.ADMINISTRATOR: STAFF,
        Role.ANALYST: STAFF,
        Role.OFFICER: STAFF,
        Role.TEAM_MEMBER: {"operation.view", "check.create", "case.view", "tak.stats"},
        # The head of office reads what the office reads and signs the decisions.
        Role.HEAD_OF_OFFICE: {
            *STAFF,
            "decision.sign",
            "area.view",
            "person.view",
            "alert.view",
            "map.view",
        },
    }
)
