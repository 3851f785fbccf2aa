"""Browser-test fixtures: Debian Chromium via Playwright against the live server.

Drives Debian's Chromium (``/usr/bin/chromium``) through Playwright; ``make test`` installs it
when missing (``scripts/ensure-chromium.sh``). Without it these tests are skipped, loudly.
With ``TIMPORA_SCREENSHOTS=1`` they also refresh the screenshots under ``docs/images/``.
"""

from __future__ import annotations

import importlib
import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from django.conf import settings
from django.db import connection

from timpora.accounts.models import User
from timpora.conftest import PASSWORD, ensure_base_data

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SCREENSHOT_DIR = settings.BASE_DIR / "docs" / "images"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} is missing: browser tests SKIPPED. Install Debian's chromium "
            "(make browser, or apt-get install chromium) to run them."
        )
        warnings.warn(reason, stacklevel=1)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which makes Django
    # refuse ORM calls from the test ("async unsafe"). The test thread does not share its
    # connection with that loop, so allow it while the browser is alive.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as p:
            instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield instance
            instance.close()


# The append-only audit table refuses DELETE (a trigger), and Django flushes a transactional
# SQLite database with DELETE after each live-server test (PostgreSQL uses TRUNCATE, which
# row triggers do not see). So on SQLite the audit records are removed, triggers lifted for
# that moment only, before the flush.
_audit_triggers = importlib.import_module("timpora.audit.migrations.0002_append_only_triggers")


def _empty_audit_table_for_flush() -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for sql in _audit_triggers.SQLITE_DOWN:
            cursor.execute(sql)
        cursor.execute("DELETE FROM audit_auditrecord")
        for sql in _audit_triggers.SQLITE_UP:
            cursor.execute(sql)


@pytest.fixture
def base_data(live_server) -> Iterator[None]:
    # live_server runs on a transactional database that is flushed after each test.
    ensure_base_data()
    yield
    _empty_audit_table_for_flush()


class OffsiteRequests:
    """Every request a page makes to a host other than the live server (the UI is offline)."""

    def __init__(self, base_url: str):
        self.netloc = urlsplit(base_url).netloc
        self.urls: list[str] = []

    def __call__(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.netloc:
            self.urls.append(request.url)


def _new_page(browser, live_server, **context_args):
    # Officers' browsers ask for Indonesian; the app then speaks it until the user switches.
    context = browser.new_context(base_url=live_server.url, locale="id-ID", **context_args)
    context.set_default_timeout(TIMEOUT_MS)
    offsite = OffsiteRequests(live_server.url)
    context.on("request", offsite)
    return context, context.new_page(), offsite


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state()
    user = User.objects.get(username=username)
    if user.requires_second_factor:
        page.wait_for_url(re.compile(r"/accounts/two-factor/"))
        page.fill("input[name=code]", pyotp.TOTP(user.totp_secret).now())
        page.click("[data-testid=totp-submit]")
    page.wait_for_url(re.compile(r"/$"))


def _wait_for_map(page) -> None:
    page.wait_for_selector("#map[data-loaded]", state="attached")


def _screenshot(page, name: str) -> None:
    if os.environ.get("TIMPORA_SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / name), full_page=False)


# A point inside a polygon (not covered by a neighbour), from a grid over its bounding box.
FIND_HIT_POINT_JS = """
(path) => {
  const box = path.getBoundingClientRect();
  for (let i = 1; i < 12; i++) {
    for (let j = 1; j < 12; j++) {
      const x = box.left + box.width * i / 12, y = box.top + box.height * j / 12;
      if (document.elementFromPoint(x, y) === path) { return {x, y}; }
    }
  }
  return null;
}
"""
