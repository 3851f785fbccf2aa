"""Name normalisation shared by search and (later) the matching engine.

Passports, hotel clerks and field officers write the same name differently: accents or not,
commas and hyphens, upper or lower case, extra spaces. ``name_key`` folds all of that into one
comparable form (upper-case ASCII words separated by single spaces).
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
# Letters that NFKD does not decompose into ASCII.
_SPECIAL = str.maketrans(
    {
        "ß": "SS",
        "Æ": "AE",
        "æ": "AE",
        "Ø": "O",
        "ø": "O",
        "Đ": "D",
        "đ": "D",
        "Ł": "L",
        "ł": "L",
        "Œ": "OE",
        "œ": "OE",
        "ı": "I",
        "Þ": "TH",
        "þ": "TH",
    }
)


def fold(text: str) -> str:
    """Diacritics off, upper-case ASCII, anything else a space, spaces collapsed."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_SPECIAL))
    ascii_text = text.encode("ascii", "ignore").decode("ascii").upper()
    return _NON_ALNUM.sub(" ", ascii_text).strip()


def name_key(*parts: str) -> str:
    """The searchable key of a name given as one or more parts (surname, given names)."""
    return " ".join(p for p in (fold(part) for part in parts) if p)


def passport_key(number: str) -> str:
    """A travel-document number as stored: upper-case, no spaces or punctuation."""
    return _NON_ALNUM.sub("", (number or "").upper())
