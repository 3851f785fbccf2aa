"""Choices for watch lists: the kinds of list and the decisions on a hit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListType(models.TextChoices):
    """What being on the list means (UU 6/2011 Art. 75(2)(a) for the first two)."""

    ENTRY_BAN = "penangkalan", _("Entry ban (penangkalan)")
    EXIT_PREVENTION = "pencegahan", _("Exit prevention (pencegahan)")
    WANTED = "wanted", _("Wanted notice (DPO / red notice)")
    LOCAL = "local", _("Local list")


#: Other spellings accepted in files and on the command line, folded to lower case.
LIST_TYPE_ALIASES: dict[str, str] = {
    "entry_ban": ListType.ENTRY_BAN,
    "entry ban": ListType.ENTRY_BAN,
    "ban": ListType.ENTRY_BAN,
    "tangkal": ListType.ENTRY_BAN,
    "exit_prevention": ListType.EXIT_PREVENTION,
    "exit prevention": ListType.EXIT_PREVENTION,
    "cegah": ListType.EXIT_PREVENTION,
    "dpo": ListType.WANTED,
    "red_notice": ListType.WANTED,
    "red notice": ListType.WANTED,
    "wanted_notice": ListType.WANTED,
    "local_list": ListType.LOCAL,
    "lokal": ListType.LOCAL,
}


def parse_list_type(text: str | None) -> str | None:
    """The list type a file or command means by ``text``; None when it is unknown."""
    value = (text or "").strip().lower()
    if value in ListType.values:
        return value
    return LIST_TYPE_ALIASES.get(value)


class HitStatus(models.TextChoices):
    """A hit waits for a decision (open); a person confirms or dismisses it. A dismissed
    pair is never asked again; an open hit that no longer matches is cleared by the
    screening (and opens again if it matches again)."""

    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    CLEARED = "cleared", _("No longer matches")


#: Hits that raise an alert (see ``timpora.detection.engine.rules.watchlist``).
ALERTING_STATUSES = (HitStatus.OPEN, HitStatus.CONFIRMED)
