"""Marking the engine's user-visible phrases for translation, without Django.

The engine must not import Django, yet its error messages and explanations reach users
of the application. Phrases are marked with :func:`gettext_noop` (a name Django's
``makemessages`` extracts) and carry named placeholders; the application translates the
template with its own ``gettext`` and fills the placeholders afterwards.
"""

from __future__ import annotations

__all__ = ["gettext_noop"]


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation and return it untranslated."""
    return message
