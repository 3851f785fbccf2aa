"""The versioned API root: ``/api/v1/``. Each app contributes a router from its ``api.py``."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
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


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    """Business-rule errors from actions, shaped like django-ninja's own 422s."""
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body"] if field == NON_FIELD_ERRORS else ["body", field], "msg": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        detail = [{"loc": ["body"], "msg": message} for message in exc.messages]
    return api.create_response(request, {"detail": detail}, status=422)


def register_routers() -> None:
    """Import each app's router here so the URLconf stays one line."""
    from timpora.areas.api import router as areas_router
    from timpora.intake import api_fieldwork
    from timpora.registry import api as registry_api

    api.add_router("/areas", areas_router)
    from timpora.riskmap.api import router as map_router

    api.add_router("/map", map_router)
    api.add_router("/persons", registry_api.persons_router)
    api.add_router("/permits", registry_api.permits_router)
    api.add_router("/sponsors", registry_api.sponsors_router)
    api.add_router("/permit-indices", registry_api.permit_indices_router)

    from timpora.intake import api as intake_api

    api.add_router("/accommodation-reports", intake_api.accommodation_router)
    api.add_router("/employer-reports", intake_api.employer_router)
    api.add_router("/imports", intake_api.imports_router)
    api.add_router("/field-findings", api_fieldwork.findings_router)
    api.add_router("/tips", api_fieldwork.tips_router)

    from timpora.detection.api import router as alerts_router

    api.add_router("/alerts", alerts_router)

    from timpora.matching.api import router as matching_router

    api.add_router("/matching", matching_router)

    from timpora.watchlists.api import router as watchlists_router

    api.add_router("/watchlists", watchlists_router)

    from timpora.operations import api as operations_api

    api.add_router("/operations", operations_api.operations_router)
    api.add_router("/cases", operations_api.cases_router)
    api.add_router("/decisions", operations_api.decisions_router)

    from timpora.coordination.api import router as coordination_router

    api.add_router("/coordination", coordination_router)


register_routers()
