"""The vulnerability map in a real browser: open, switch layer and level, drill down."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from timpora.detection.actions import run_detection
from timpora.registry import actions as registry
from timpora.registry.actions import PermitInput, PersonInput, StayInput
from timpora.registry.status import today_in_jakarta
from timpora.riskmap.demo import seed_factors
from timpora.testing.browser import FIND_HIT_POINT_JS, _log_in, _new_page, _screenshot

pytestmark = pytest.mark.browser


def _seed_overstayers() -> None:
    from timpora.accounts.models import User

    officer = User.objects.get(username="officer")
    today = today_in_jakarta()
    for i, area in enumerate(["36.73.02.1007", "36.73.02.1001", "36.73.06.1001"]):
        registry.register_person(
            PersonInput(surname="TRAN", given_names=f"MINH {i}", nationality="VNM", sex="M"),
            actor=officer,
            permit=PermitInput(
                category="visit", index_code="B1", valid_until=today - timedelta(days=5)
            ),
            stay=StayInput(area_code=area, date_from=today - timedelta(days=20)),
        )
    run_detection(today, notify=False)


def test_it_opens_the_map_switches_layer_and_level_and_drills_down(browser, live_server, base_data):
    seed_factors()
    _seed_overstayers()
    context, page, offsite = _new_page(
        browser, live_server, viewport={"width": 1280, "height": 1000}
    )
    try:
        _log_in(page, "analyst")
        page.goto("/map/?parent=36.73&level=kecamatan&metric=risk")
        page.wait_for_selector("#riskmap[data-loaded='6']", state="attached")
        assert page.locator("#riskmap path.leaflet-interactive").count() == 6
        assert page.locator("#legend").inner_text().strip() != ""
        rows = page.locator("#ranking tbody tr")
        assert rows.count() == 6
        assert "Kasemen" in rows.first.inner_text()  # the riskiest kecamatan is listed first

        page.check("[data-testid=layer-density]")
        page.wait_for_selector("#riskmap[data-metric='density'][data-loaded='6']", state="attached")
        page.select_option("[data-testid=map-level]", "kelurahan")
        page.wait_for_selector("#riskmap[data-loaded='67']", state="attached")
        _screenshot(page, "peta-kerawanan.png")

        page.select_option("[data-testid=map-level]", "kecamatan")
        page.wait_for_selector("#riskmap[data-loaded='6']", state="attached")
        paths = page.locator("#riskmap path.leaflet-interactive")
        data = page.request.get("/map/data/?parent=36.73&level=kecamatan").json()
        # Leaflet draws the features in GeoJSON order.
        index = [f["properties"]["code"] for f in data["features"]].index("36.73.02")
        point = paths.nth(index).evaluate(FIND_HIT_POINT_JS)
        assert point is not None, "Kasemen cannot be pointed at"
        page.mouse.click(point["x"], point["y"])
        page.wait_for_url(re.compile(r"/map/area/36\.73\.02/"))
        assert page.locator("[data-testid=risk-card]").is_visible()
        assert offsite.urls == [], f"requests left the server: {offsite.urls}"
    finally:
        context.close()
