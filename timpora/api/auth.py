"""Bearer-token authentication for the API."""

from __future__ import annotations

from ninja.security import HttpBearer

from timpora.accounts.actions import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; the token's user becomes ``request.user``."""

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user
