"""Bearer-token authentication for the API."""

from __future__ import annotations

from ninja.security import HttpBearer

from timpora.accounts.access import require
from timpora.accounts.actions import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; the token's user becomes ``request.user``.

    ``BearerToken("person.view")`` also requires a permission (403 without it), checked
    before the request body is validated, so an unauthorised caller gets 403, not 422.
    """

    def __init__(self, perm: str | None = None) -> None:
        super().__init__()
        self.perm = perm

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        if self.perm is not None:
            require(user, self.perm)  # PermissionDenied → 403 (see timpora.api.api)
        return user
