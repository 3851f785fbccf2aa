"""Enforce the second factor and the absolute session lifetime on every request."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

OPEN_PREFIXES = (
    "/static/",
    "/i18n/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/api/",
    "/favicon",
)


class SecondFactorMiddleware:
    """Until an administrator or analyst has passed TOTP, only the 2FA pages are reachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get("login_at")
            if started and time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(reverse("accounts:login"))
            if (
                user.requires_second_factor
                and not request.session.get("otp_verified")
                and not request.path.startswith(OPEN_PREFIXES)
            ):
                name = "accounts:totp_verify" if user.totp_confirmed_at else "accounts:totp_setup"
                return redirect(reverse(name) + "?next=" + request.get_full_path())
        return self.get_response(request)
