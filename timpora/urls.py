"""Root URLconf: one include per app, the API under /api/v1/."""

from django.urls import include, path

from timpora.api.api import api

urlpatterns = [
    path("", include("timpora.core.urls")),
    path("accounts/", include("timpora.accounts.urls")),
    path("areas/", include("timpora.areas.urls")),
    path("audit/", include("timpora.audit.urls")),
    path("registry/", include("timpora.registry.urls")),
    path("intake/", include("timpora.intake.urls")),
    path("detection/", include("timpora.detection.urls")),
    path("matching/", include("timpora.matching.urls")),
    path("watchlists/", include("timpora.watchlists.urls")),
    path("map/", include("timpora.riskmap.urls")),
    path("coordination/", include("timpora.coordination.urls")),
    path("operations/", include("timpora.operations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
