"""Form helpers every app shares."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError


def apply_action_errors(
    form: forms.Form, exc: ValidationError, *, field_prefixes: Iterable[str] = ()
) -> None:
    """Put an action's ``ValidationError`` on the form fields it names.

    ``"document.number"`` lands on ``document_number`` (or ``number`` on a form without the
    prefix); ``field_prefixes`` name other spellings a form uses (the detection settings
    form has ``param_<name>`` for the action's ``<name>``). Keys that match no field become
    form-wide errors that still name the field.
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        candidates = [key.replace(".", "_"), key.rsplit(".", 1)[-1]]
        candidates += [prefix + key for prefix in field_prefixes]
        target = next((name for name in candidates if name in form.fields), None)
        if target is None:
            form.add_error(None, [f"{key}: {message}" for message in messages])
        else:
            form.add_error(target, messages)
