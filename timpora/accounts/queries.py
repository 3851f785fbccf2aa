"""Scoped reads of users and agencies."""

from __future__ import annotations

from django.db.models import QuerySet

from timpora.accounts.access import can, scope_of
from timpora.accounts.models import Agency, User
from timpora.areas.models import within_q


def users_for(viewer) -> QuerySet[User]:
    """Users an administrator may manage: those whose scope lies inside the viewer's scope.

    A user without a scope area works over the whole working area, so only an administrator
    whose own scope is the whole working area manages them.
    """
    if not can(viewer, "user.manage"):
        return User.objects.none()
    qs = User.objects.select_related("agency", "scope_area").order_by("username")
    if viewer.scope_area_id is None:
        return qs
    return qs.filter(within_q("scope_area__code", scope_of(viewer).prefixes))


def agencies() -> QuerySet[Agency]:
    return Agency.objects.select_related("area").order_by("name")
