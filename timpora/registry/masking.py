"""Which personal identifiers a user sees, per agency type (settings), and audited unmasking.

Identifiers are the travel-document numbers, the full date of birth, the place of birth and
the photo. "masked" users see ``A12•••••78`` and the birth year until they unmask one person;
the unmask is written to the audit trail and lasts ``TIMPORA_UNMASK_SECONDS`` in the session.
"""

from __future__ import annotations

import time

from django.conf import settings

from timpora.accounts.access import can

CLEAR, MASKED, HIDDEN = "clear", "masked", "hidden"
_SESSION_KEY = "unmasked_persons"


def identifier_policy(user) -> str:
    if not can(user, "person.view"):
        return HIDDEN
    agency_type = user.agency.agency_type if user.agency_id else "other"
    return settings.TIMPORA_IDENTIFIER_POLICY.get(agency_type, HIDDEN)


def may_unmask(user) -> bool:
    return identifier_policy(user) == MASKED and can(user, "person.unmask")


def remember_unmask(session, person_id: int) -> None:
    unmasked = dict(session.get(_SESSION_KEY, {}))
    unmasked[str(person_id)] = time.time() + settings.TIMPORA_UNMASK_SECONDS
    session[_SESSION_KEY] = unmasked


def identifiers_visible(user, person_id: int, session=None) -> bool:
    policy = identifier_policy(user)
    if policy == CLEAR:
        return True
    if policy == MASKED and session is not None:
        expires = session.get(_SESSION_KEY, {}).get(str(person_id))
        return bool(expires and expires > time.time())
    return False


def mask_number(number: str) -> str:
    """Keep the first and last two characters: enough to tell documents apart in a list."""
    if len(number) <= 4:
        return "•" * len(number)
    return number[:2] + "•" * (len(number) - 4) + number[-2:]
