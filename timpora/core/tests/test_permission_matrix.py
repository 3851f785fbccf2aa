"""Every view and API endpoint joins this matrix: role × scope → allowed or denied.

A URL or API operation that is not listed here fails ``test_every_*_is_in_the_matrix``, so no
endpoint ships without an authorization test. Expected values are HTTP status codes; ``*`` is
every persona not named, ``None`` the anonymous visitor.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from timpora.accounts.actions import create_api_token
from timpora.api.api import api
from timpora.conftest import PERSONA_SPECS

PERSONAS = [None, *PERSONA_SPECS]
ANON_LOGIN = 302  # anonymous users are redirected to the login page

# url name -> list of (url, method, {persona: status}). Each app adds its own entries in
# ``timpora/<app>/tests/matrix.py`` (dicts named VIEWS and API), merged below.
VIEWS: dict[str, list[tuple[str, str, dict]]] = {
    "core:home": [("/", "get", {None: ANON_LOGIN, "*": 200})],
    "core:about": [("/about/", "get", {"*": 200})],
    "accounts:login": [("/accounts/login/", "get", {"*": 200})],
    "accounts:logout": [("/accounts/logout/", "post", {"*": 302})],
    "accounts:totp_setup": [
        (
            "/accounts/two-factor/setup/",
            "get",
            {None: ANON_LOGIN, "admin": 302, "analyst": 302, "*": 200},
        )
    ],
    "accounts:totp_verify": [
        ("/accounts/two-factor/", "get", {None: ANON_LOGIN, "admin": 200, "analyst": 200, "*": 302})
    ],
    "accounts:user_list": [("/accounts/users/", "get", {None: ANON_LOGIN, "admin": 200, "*": 403})],
    "accounts:user_create": [
        ("/accounts/users/new/", "get", {None: ANON_LOGIN, "admin": 200, "*": 403})
    ],
    "accounts:user_edit": [
        ("/accounts/users/{officer}/", "get", {None: ANON_LOGIN, "admin": 200, "*": 403})
    ],
    "accounts:user_unlock": [
        ("/accounts/users/{officer}/unlock/", "post", {None: ANON_LOGIN, "admin": 302, "*": 403})
    ],
    "areas:list": [("/areas/", "get", {None: ANON_LOGIN, "*": 200})],
    "areas:detail": [
        (
            "/areas/36.73.02/",
            "get",
            {None: ANON_LOGIN, "police_taktakan": 404, "stranger": 404, "*": 200},
        ),
        (
            "/areas/36.73.06/",
            "get",
            {
                None: ANON_LOGIN,
                "police_kasemen": 404,
                "lurah_banten": 404,
                "hotel": 404,
                "stranger": 404,
                "*": 200,
            },
        ),
        (
            "/areas/36.73.02.1001/",
            "get",
            {
                None: ANON_LOGIN,
                "lurah_banten": 404,
                "hotel": 404,
                "police_taktakan": 404,
                "stranger": 404,
                "*": 200,
            },
        ),
    ],
    "areas:geojson": [
        (
            "/areas/36.73.02/geojson/",
            "get",
            {None: ANON_LOGIN, "police_taktakan": 404, "stranger": 404, "*": 200},
        )
    ],
    "audit:list": [("/audit/", "get", {None: ANON_LOGIN, "admin": 200, "auditor": 200, "*": 403})],
    "audit:export": [
        ("/audit/export/", "get", {None: ANON_LOGIN, "admin": 200, "auditor": 200, "*": 403})
    ],
    "set_language": [("/i18n/setlang/", "post", {"*": 302})],
}

# "METHOD /api/v1/path" -> list of (url, {persona: status}); None is a request without token.
API: dict[str, list[tuple[str, dict]]] = {
    "GET /api/v1/areas": [("/api/v1/areas?parent=36.73", {None: 401, "*": 200})],
    "GET /api/v1/areas/lookup": [
        (
            "/api/v1/areas/lookup?lon={lon}&lat={lat}",
            {
                None: 401,
                "police_taktakan": 404,
                "stranger": 404,
                "lurah_banten": 404,
                "hotel": 404,
                "*": 200,
            },
        )
    ],
    "GET /api/v1/areas/{code}": [
        ("/api/v1/areas/36.73.02", {None: 401, "police_taktakan": 404, "stranger": 404, "*": 200}),
        (
            "/api/v1/areas/36.73.06",
            {
                None: 401,
                "police_kasemen": 404,
                "lurah_banten": 404,
                "hotel": 404,
                "stranger": 404,
                "*": 200,
            },
        ),
    ],
}


def _merge_app_matrices() -> None:
    """Pull in ``VIEWS``/``API`` from every ``timpora.<app>.tests.matrix`` module."""
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("timpora."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError:
            continue
        VIEWS.update(getattr(module, "VIEWS", {}))
        API.update(getattr(module, "API", {}))
        URL_VALUES.update(getattr(module, "URL_VALUES", {}))


IGNORED_URL_NAMESPACES = ("api-1",)  # the API is covered operation by operation below


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def _expected(table: dict, persona: str | None) -> int:
    return table.get(persona, table.get("*"))


def test_every_view_is_in_the_matrix():
    names = {
        n
        for n in _walk(get_resolver())
        if not n.startswith(tuple(f"{ns}:" for ns in IGNORED_URL_NAMESPACES))
    }
    missing = names - set(VIEWS)
    assert not missing, f"views without an authorization test: {sorted(missing)}"


def test_every_api_operation_is_in_the_matrix():
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = {
        f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops
    }
    missing = operations - set(API)
    assert not missing, f"API operations without an authorization test: {sorted(missing)}"


# Values an app's matrix needs in its URLs (e.g. the id of a person in Kasemen): each app's
# matrix module may define URL_VALUES = {name: callable(personas) -> value}.
URL_VALUES: dict = {}
_merge_app_matrices()


def _fill(url: str, personas) -> str:
    from timpora.areas.models import Area

    kasemen = Area.objects.get(code="36.73.02.1001")
    values = {
        "officer": personas.officer.pk,
        "lon": kasemen.centroid_lon,
        "lat": kasemen.centroid_lat,
    }
    for name, make in URL_VALUES.items():
        if "{" + name + "}" in url:
            values[name] = make(personas)
    return url.format(**values)


@pytest.mark.parametrize("name", sorted(VIEWS))
@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p or "anonymous")
def test_view_access(personas, name, persona):
    for url, method, table in VIEWS[name]:
        client = personas.client(persona)
        response = getattr(client, method)(_fill(url, personas))
        assert response.status_code == _expected(table, persona), (url, persona)


@pytest.mark.parametrize("operation", sorted(API))
@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p or "anonymous")
def test_api_access(personas, operation, persona):
    headers = {}
    if persona is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {create_api_token(getattr(personas, persona))}"
    for url, table in API[operation]:
        response = Client(**headers).generic(operation.split()[0], _fill(url, personas))
        assert response.status_code == _expected(table, persona), (url, persona)
