"""The whole path with a real phone browser in the middle: a check recorded while the
connection is lost waits in the browser's queue, says so, and is sent when the connection
returns; it then becomes a case, a decision signed by the head, and a line in the report.

Debian's Chromium through Playwright against pytest-django's live server, with the shared
fixtures of ``timpora.testing.browser``. Skipped, loudly, without ``/usr/bin/chromium``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client, override_settings

from timpora.accounts.models import User
from timpora.operations import actions
from timpora.operations.choices import ActionType, CheckChannel, CheckResult, OperationStatus
from timpora.operations.models import FieldCheck
from timpora.operations.tests import factories
from timpora.operations.tests.test_flow import english, pdf_text
from timpora.registry.status import today_in_jakarta
from timpora.testing.browser import _log_in, _new_page

pytestmark = pytest.mark.browser

RATE = 1_000_000
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def _count(page) -> str:
    return page.locator("[data-testid=outbox-count]").inner_text().strip()


def _wait_count(page, value: str) -> None:
    page.wait_for_function(
        "n => document.querySelector('[data-testid=outbox-count]').textContent.trim() === n",
        arg=value,
    )


@override_settings(TIMPORA_OVERSTAY_FEE_PER_DAY=RATE)
def test_a_check_queued_offline_is_sent_later_and_ends_in_the_report(
    browser, live_server, base_data, private_storage, tmp_path
):
    officer = User.objects.get(username="officer")
    head = User.objects.get(username="head")
    police = User.objects.get(username="police_kasemen")
    person = factories.overstayer(officer, 12, number="BRWOVR001")
    op = factories.operation(officer, members=[police], name="Operasi Browser")
    photo = tmp_path / "harbour.jpg"
    photo.write_bytes(factories.jpeg())

    context, page, offsite = _new_page(browser, live_server, **PHONE)
    try:
        _log_in(page, "police_kasemen")
        page.goto(f"/operations/{op.pk}/check/")
        page.wait_for_selector("[data-testid=net-state][data-online='1']", state="attached")
        assert _count(page) == "0"

        # Online: the lookup shows the permit status at once.
        page.fill("#id_passport_number", "BRWOVR001")
        page.click("[data-testid=check-lookup]")
        candidate = page.locator(".candidate").first
        candidate.wait_for()
        assert "12" in candidate.inner_text() and "expired" in candidate.inner_text()
        candidate.locator("input[type=radio]").check()

        # The connection drops; the officer records the check anyway.
        context.set_offline(True)
        page.wait_for_selector("[data-testid=net-state][data-online='0']", state="attached")
        page.select_option("[data-testid=check-area]", factories.KEL_BANTEN)
        page.check("[data-testid=result-violation]")
        page.fill("[data-testid=check-observations]", "Works at the harbour, permit expired.")
        page.set_input_files("#id_photos", str(photo))
        page.click("[data-testid=check-submit]")
        _wait_count(page, "1")
        assert page.locator("[data-testid=outbox]").get_attribute("data-count") == "1"
        assert FieldCheck.objects.filter(operation=op).count() == 0

        # The connection returns: the queue is sent by itself.
        context.set_offline(False)
        _wait_count(page, "0")
        page.wait_for_selector("[data-testid=sent-list] li", state="attached")
        check = FieldCheck.objects.get(operation=op)
        assert check.person == person and check.officer == police
        assert check.result == CheckResult.VIOLATION
        assert check.channel == CheckChannel.OFFLINE
        assert check.photos.count() == 1
        assert offsite.urls == [], f"requests left the server: {offsite.urls}"
    finally:
        context.close()

    # The finding becomes a case, decided in a review and signed by the head.
    case = actions.open_case(actor=officer, check=check, violations=["overstay"])
    actions.add_examination(
        case, examined_on=today_in_jakarta(), examiner=officer, statement="x", actor=officer
    )
    review = actions.hold_review(
        case, held_on=today_in_jakarta(), chair=head, conclusion="Fee.", actor=officer
    )
    decision = actions.draft_action(
        review,
        action_type=ActionType.FEE,
        decision_number="BRW/TAK/001",
        decision_date=today_in_jakarta(),
        actor=officer,
    )
    actions.sign_action(decision, actor=head)
    actions.record_check(
        op,
        actions.CheckInput(
            client_uuid=str(uuid.uuid4()),
            result=CheckResult.NOT_FOUND,
            area_code=factories.KEL_BANTEN,
            checked_at=op.started_at + timedelta(seconds=1),
        ),
        actor=officer,
    )
    actions.change_status(op, OperationStatus.FINISHED, actor=officer)

    client = english(Client())
    client.force_login(officer)
    response = client.get(f"/operations/{op.pk}/report.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    for figure in (
        "Checks: 2",
        "Persons checked: 1",
        "Violations found: 1",
        "Not found: 1",
        "Cases opened: 1",
        "Administrative actions: 1",
        "12,000,000",
        "BRWOVR001",
    ):
        assert figure in text, figure


def test_the_plan_map_picks_target_kelurahan(browser, live_server, base_data):
    context, page, offsite = _new_page(
        browser, live_server, viewport={"width": 1280, "height": 900}
    )
    try:
        _log_in(page, "officer")
        page.goto("/operations/new/")
        page.wait_for_selector("#plan-map[data-loaded]", state="attached")
        page.select_option("#plan-map-root", "36.73")
        # Open Kasemen among the kecamatan of Kota Serang, then pick one of its kelurahan.
        page.wait_for_function(
            "document.querySelectorAll('#plan-map path.leaflet-interactive').length === 6"
        )
        _click_feature(page, page.locator("#plan-map path.leaflet-interactive"), "Kasemen")
        page.wait_for_function(
            "document.querySelectorAll('#plan-map path.leaflet-interactive').length === 10"
        )
        picked = _click_feature(page, page.locator("#plan-map path.leaflet-interactive"), None)
        selected = page.eval_on_selector(
            "#id_area_codes", "s => Array.from(s.selectedOptions).map(o => o.value)"
        )
        assert selected == [picked]
        assert picked.startswith("36.73.02.")
        assert offsite.urls == [], f"requests left the server: {offsite.urls}"
    finally:
        context.close()


def _click_feature(page, paths, name: str | None) -> str:
    """Click the polygon whose tooltip names ``name`` (or the first one that can be hit);
    returns the area code from its tooltip."""
    from timpora.testing.browser import FIND_HIT_POINT_JS

    for index in range(paths.count()):
        point = paths.nth(index).evaluate(FIND_HIT_POINT_JS)
        if point is None:
            continue
        page.mouse.move(point["x"], point["y"])
        # The newest tooltip is the polygon under the mouse (an older one may still fade).
        tooltip = page.locator(".leaflet-tooltip").last
        tooltip.wait_for(state="visible")
        label = tooltip.inner_text()
        if name is None or label.startswith(name + " ("):
            page.mouse.click(point["x"], point["y"])
            return label.rsplit("(", 1)[1].rstrip(")")
    raise AssertionError(f"no polygon {name or ''} could be clicked")
