"""A real browser against a live server: login with TOTP, language switch, the offline map.

Drives Debian's Chromium (``/usr/bin/chromium``) through Playwright; ``make test`` installs it
when missing (``scripts/ensure-chromium.sh``). Without it these tests are skipped, loudly.
With ``TIMPORA_SCREENSHOTS=1`` they also refresh the screenshots under ``docs/images/``.
The fixtures (``browser``, ``base_data``) live in ``timpora.testing.browser``.
"""

from __future__ import annotations

import re

import pytest

from timpora.conftest import KASEMEN
from timpora.testing.browser import (
    FIND_HIT_POINT_JS,
    _log_in,
    _new_page,
    _screenshot,
    _wait_for_map,
)

pytestmark = pytest.mark.browser


def test_it_logs_in_switches_language_and_opens_a_kelurahan_from_the_map(
    browser, live_server, base_data
):
    context, page, offsite = _new_page(
        browser, live_server, viewport={"width": 1280, "height": 900}
    )
    try:
        page.goto("/accounts/login/")
        assert page.get_attribute("html", "lang") == "id"
        assert page.locator("[data-testid=login-submit]").is_visible()
        assert page.locator("[data-testid=lang-id][aria-current=true]").count() == 1

        _log_in(page, "analyst")
        assert page.locator("[data-testid=logout]").is_visible()

        page.click("[data-testid=lang-en]")
        page.wait_for_load_state()
        assert page.get_attribute("html", "lang") == "en"
        assert "Areas" in page.locator("header nav").inner_text()

        page.goto(f"/areas/{KASEMEN}/")
        _wait_for_map(page)
        response = page.request.get(f"/areas/{KASEMEN}/geojson/")
        assert response.ok
        features = response.json()["features"]
        children = [f for f in features if f["properties"]["role"] == "child"]
        assert len(children) == 10  # Kasemen's kelurahan
        paths = page.locator("#map path.leaflet-interactive")
        assert paths.count() == len(features)
        _screenshot(page, "kasemen-map.png")

        # Leaflet draws the outline first, then the kelurahan in GeoJSON order.
        child_codes = [f["properties"]["code"] for f in children]
        for index in range(1, paths.count()):
            point = paths.nth(index).evaluate(FIND_HIT_POINT_JS)
            if point is not None:
                break
        assert point is not None, "no kelurahan polygon can be pointed at"
        code = child_codes[index - 1]
        page.mouse.move(point["x"], point["y"])
        tooltip = page.locator(".leaflet-tooltip")
        tooltip.wait_for(state="visible")
        assert f"({code})" in tooltip.inner_text()
        page.mouse.click(point["x"], point["y"])
        page.wait_for_url(re.compile(rf"/areas/{re.escape(code)}/$"))
        name = children[index - 1]["properties"]["name"]
        assert page.locator("h1").inner_text().strip() == name

        assert offsite.urls == [], f"requests left the server: {offsite.urls}"
    finally:
        context.close()


def test_the_map_fits_a_phone(browser, live_server, base_data):
    context, page, offsite = _new_page(
        browser,
        live_server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        _log_in(page, "police_kasemen")
        page.goto(f"/areas/{KASEMEN}/")
        _wait_for_map(page)
        map_box = page.locator("#map").bounding_box()
        assert map_box is not None and map_box["width"] >= 300
        assert page.locator("#map path.leaflet-interactive").count() > 1
        # Nothing sticks out sideways: no horizontal scrolling on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        _screenshot(page, "kasemen-map-phone.png")
        assert offsite.urls == [], f"requests left the server: {offsite.urls}"
    finally:
        context.close()
