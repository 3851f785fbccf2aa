"""The engine's comparison levels in the user's language.

The engine (free of Django) names each level of its model in English (``label_for_charts``
of the Splink settings); the review page shows them translated. A label the engine adds
later and this table does not know yet is shown as the engine wrote it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LEVEL_LABELS = {
    "name unknown": _("name unknown"),
    "same name": _("same name"),
    "same name, carried by 2 people": _("same name, carried by 2 people"),
    "same name, carried by up to 4 people": _("same name, carried by up to 4 people"),
    "same name, carried by up to 8 people": _("same name, carried by up to 8 people"),
    "same name, carried by up to 16 people": _("same name, carried by up to 16 people"),
    "same name, carried by up to 32 people": _("same name, carried by up to 32 people"),
    "same name, carried by up to 64 people": _("same name, carried by up to 64 people"),
    "same name, carried by more than 64 people": _("same name, carried by more than 64 people"),
    # Levels of earlier models, still named in stored evidence.
    "same name, shared by a few records": _("same name, shared by a few records"),
    "same common name": _("same common name"),
    "different name": _("different name"),
    "nearly the same name": _("nearly the same name"),
    "one name contains the other or sounds alike": _("one name contains the other or sounds alike"),
    "contains or sounds like a common name": _("contains or sounds like a common name"),
    "similar name": _("similar name"),
    "dissimilar name": _("dissimilar name"),
    "birth date unknown": _("birth date unknown"),
    "same birth date": _("same birth date"),
    "birth day and month swapped": _("birth day and month swapped"),
    "birth year and month agree, day unknown": _("birth year and month agree, day unknown"),
    "birth year agrees, month unknown": _("birth year agrees, month unknown"),
    "birth year agrees, month as the other's day": _(
        "birth year agrees, month written as the other record's day"
    ),
    "partial birth date agrees": _("partial birth date agrees"),
    "birth date one digit apart": _("birth date one digit apart"),
    "same birth year": _("same birth year only"),
    "different birth date": _("different birth date"),
    "passport unknown": _("passport unknown"),
    "same passport": _("same passport"),
    "OCR-equivalent passport": _("same passport up to OCR confusions (O/0, I/1, S/5, B/8)"),
    "passport one character apart": _("passport one character apart"),
    "passport one character apart or two swapped": _(
        "passport one character apart or two characters swapped"
    ),
    "nationality unknown": _("nationality unknown"),
    "same nationality": _("same nationality"),
    "same nationality, as the shared name suggests": _(
        "same nationality (already suggested by the shared name)"
    ),
    "same nationality, as the same name implies": _(
        "same nationality (already implied by the same name)"
    ),
    "different nationality despite a shared name": _("different nationality despite a shared name"),
    "different nationality": _("different nationality"),
    "sex unknown": _("sex unknown"),
    "same sex": _("same sex"),
    "different sex": _("different sex"),
}


def level_label(level: str) -> str:
    """The level's name in the active language."""
    label = LEVEL_LABELS.get(level)
    return str(label) if label is not None else level
