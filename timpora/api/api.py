"""The versioned API root: ``/api/v1/``. Each app contributes a router from its ``api.py``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI

from timpora.api.auth import BearerToken

api = NinjaAPI(
    title="Timpora API",
    version="1",
    description="Foreigner supervision data for TIMPORA teams. Every endpoint needs "
    "`Authorization: Bearer <token>` (create one with `timpora token create USERNAME`) and "
    "answers within the token owner's role and region scope.",
    auth=BearerToken(),
    urls_namespace="api-1",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "Forbidden"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found"}, status=404)


def register_routers() -> None:
    """Import each app's router here so the URLconf stays one line."""
    from timpora.areas.api import router as areas_router

    api.add_router("/areas", areas_router)


register_routers()
