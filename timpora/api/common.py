"""What every app's API shares: the language parameter and the shape of a query error."""

from __future__ import annotations

from typing import Annotated

from django.conf import settings
from ninja import Field, Schema
from ninja.responses import Status
from pydantic import AfterValidator


def _known_language(value: str) -> str:
    codes = sorted(code for code, _ in settings.LANGUAGES)
    if value not in codes:
        raise ValueError(f"use one of {', '.join(codes)}")
    return value


#: A language code the site is translated into (``settings.LANGUAGES``); anything else is
#: django-ninja's own 422 naming the parameter, before the endpoint runs.
Language = Annotated[str, AfterValidator(_known_language)]


class LangQuery(Schema):
    lang: Language = Field("id", description="Language of labels and explanations: id or en")


def query_error(field: str, message: str) -> Status:
    """A 422 for a query parameter the endpoint itself found wrong, shaped like ninja's."""
    return Status(422, {"detail": [{"loc": ["query", field], "msg": message}]})
