"""The one place that decides what a user may see (scope) and do (permissions).

Every view, API endpoint, export and command asks here: ``can(user, perm)`` for the action
and ``scope_of(user)`` for the region. Models that hold regional data expose a
``restrict(user)`` queryset method built on ``scope_of`` (NetBox's RestrictedQuerySet idea).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied

from timpora.accounts.choices import Role

# Permission matrix: role -> permissions. A new capability adds its permissions here.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(
        {
            "area.view",
            "audit.view",
            "audit.export",
            "user.manage",
            "agency.manage",
        }
    ),
    Role.ANALYST: frozenset({"area.view"}),
    Role.OFFICER: frozenset({"area.view"}),
    Role.TEAM_MEMBER: frozenset({"area.view"}),
    Role.REPORTER: frozenset({"area.view"}),
    Role.AUDITOR: frozenset({"area.view", "audit.view", "audit.export"}),
}


def grant(perms: dict[str, set[str]]) -> None:
    """Let a capability (app) add its permissions to roles at import time."""
    for role, extra in perms.items():
        ROLE_PERMISSIONS[role] = ROLE_PERMISSIONS.get(role, frozenset()) | frozenset(extra)


def can(user, perm: str) -> bool:
    """Whether the (active, authenticated) user's role carries ``perm``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return perm in ROLE_PERMISSIONS.get(user.role, frozenset())


def require(user, perm: str) -> None:
    """Raise ``PermissionDenied`` unless ``can(user, perm)``."""
    if not can(user, perm):
        raise PermissionDenied(perm)


@dataclass(frozen=True)
class Scope:
    """The area codes a user may see data in; data below any of them is in scope."""

    prefixes: tuple[str, ...]

    def contains(self, area_code: str | None) -> bool:
        if not area_code:
            return False
        return any(area_code == p or area_code.startswith(p + ".") for p in self.prefixes)

    def overlaps(self, area_code: str) -> bool:
        """In scope, or an ancestor of a scope root (visible for context)."""
        return self.contains(area_code) or any(p.startswith(area_code + ".") for p in self.prefixes)


def scope_of(user) -> Scope:
    """The region scope: the user's own area, or the office's whole working area."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope(())
    if user.scope_area_id:
        return Scope((user.scope_area.code,))
    return Scope(tuple(settings.TIMPORA_WORKING_AREA))


def permission_required(perm: str | None = None):
    """View decorator: a logged-in user whose role carries ``perm`` (or any role if None).

    Anonymous users are sent to the login page; logged-in users without the permission get 403.
    """
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if perm is not None:
                require(request.user, perm)
            return view(request, *args, **kwargs)

        wrapper.required_permission = perm  # type: ignore[attr-defined]
        return wrapper

    return decorator
