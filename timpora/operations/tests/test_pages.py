"""Pages and API beyond the whole path: the phone page's assets, targets from alerts,
statistics (page and API) within scope, decisions through the API, the demo."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.test import override_settings

from timpora.accounts.actions import create_api_token
from timpora.detection.actions import run_detection
from timpora.operations import actions, reports
from timpora.operations.choices import ActionType, CaseStatus, DecisionStatus
from timpora.operations.demo import FINISHED_ORDER, PLANNED_ORDER, seed_operations
from timpora.operations.models import AdministrativeAction, Case, JointOperation
from timpora.operations.tests import factories
from timpora.operations.tests.test_flow import english
from timpora.registry.status import today_in_jakarta

RATE = 1_000_000


@pytest.fixture
def running(personas):
    return factories.operation(personas.officer, members=[personas.police_kasemen])


@pytest.fixture
def signed_fee(personas, running):
    person = factories.overstayer(personas.officer, 6, number="PAGEFEE01")
    _case, review = factories.decided_case(personas.officer, personas.head, person, running)
    decision = actions.draft_action(
        review,
        action_type=ActionType.FEE,
        decision_number="PAGE/TAK/01",
        decision_date=today_in_jakarta(),
        actor=personas.officer,
    )
    return actions.sign_action(decision, actor=personas.head)


def api_client(personas, name):
    client = personas.client(None)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {create_api_token(getattr(personas, name))}"
    return client


def test_the_check_page_uses_only_local_assets(personas, running):
    page = personas.client("police_kasemen").get(f"/operations/{running.pk}/check/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/operations/check.js" in html
    assert 'data-testid="outbox-count"' in html
    external = re.findall(r'(?:src|href)="(https?:)?//', html)
    assert external == []


def test_targets_come_from_open_alerts_in_the_target_areas(personas, running):
    person = factories.overstayer(personas.officer, 20, number="ALERT0001")
    run_detection(today_in_jakarta(), rules=["overstay"], person_ids=[person.pk], notify=False)
    alert = person.alerts.get(is_open=True)
    client = personas.client("officer")
    page = client.get(f"/operations/{running.pk}/targets/?q=ALERT0001")
    assert f'value="{alert.pk}"' in page.content.decode()
    assert f'value="{person.pk}"' in page.content.decode()
    response = client.post(
        f"/operations/{running.pk}/targets/", {"alert_ids": [alert.pk], "person_ids": [person.pk]}
    )
    assert response.status_code == 302
    assert list(running.target_alerts.all()) == [alert]
    assert list(running.target_persons.all()) == [person]
    # The phone lookup shows the open alert and that the person is a target.
    found = (
        personas.client("police_kasemen")
        .get(f"/operations/{running.pk}/check/lookup/?passport=ALERT0001")
        .json()["candidates"][0]
    )
    assert [a["rule"] for a in found["alerts"]] == ["overstay"]
    assert found["targeted"] is True


def test_the_statistics_page_draws_the_signed_actions(personas, signed_fee):
    page = english(personas.client("analyst")).get("/operations/statistics/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "(e) Overstay fee" in html
    assert re.search(r'data-testid="stats-total">1<', html)
    # Taktakan's police see no action of Kasemen.
    other = personas.client("police_taktakan").get("/operations/statistics/").content.decode()
    assert re.search(r'data-testid="stats-total">0<', other)


def test_the_statistics_api_counts_within_scope(personas, signed_fee):
    body = api_client(personas, "analyst").get("/api/v1/operations/statistics").json()
    assert body["total"] == 1
    assert body["by_type"] == [{"key": "fee", "count": 1}]
    assert body["by_nationality"] == [{"key": "CHN", "count": 1}]
    assert body["by_area"] == [{"key": "Kasemen", "count": 1}]
    assert api_client(personas, "police_taktakan").get("/api/v1/operations/statistics").json()[
        "total"
    ] == (0)


def test_bar_charts_escape_their_labels():
    svg = str(reports.bar_chart_svg([("<script>alert(1)</script>", 3), ("B", 1)]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 2


@override_settings(TIMPORA_OVERSTAY_FEE_PER_DAY=RATE)
def test_decisions_through_the_api(personas, running):
    person = factories.overstayer(personas.officer, 61, number="APIDEC001")
    case, review = factories.decided_case(personas.officer, personas.head, person, running)
    decision = actions.draft_action(
        review,
        action_type=ActionType.DEPORTATION,
        decision_number="API/TAK/01",
        decision_date=today_in_jakarta(),
        actor=personas.officer,
    )
    url = f"/api/v1/decisions/{decision.pk}"
    change = {"action_type": "fee", "decision_number": "API/TAK/01"}
    police = api_client(personas, "police_kasemen")
    assert police.get(url).status_code == 200  # a case of Kasemen: readable
    assert police.patch(url, json.dumps(change), content_type="application/json").status_code == 403
    officer = api_client(personas, "officer")
    # 61 days: no fee (Art. 78(3)).
    refused = officer.patch(url, json.dumps(change), content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "action_type"]
    assert officer.post(url + "/sign").status_code == 403
    signed = api_client(personas, "head").post(url + "/sign")
    assert signed.status_code == 200 and signed.json()["status"] == DecisionStatus.SIGNED
    later = officer.patch(
        url,
        json.dumps({"action_type": "deportation", "decision_number": "OTHER"}),
        content_type="application/json",
    )
    assert later.status_code == 422
    follow = officer.post(
        url + "/follow-up",
        json.dumps({"deported_on": today_in_jakarta().isoformat(), "flight": "GA 880"}),
        content_type="application/json",
    )
    assert follow.status_code == 200 and follow.json()["flight"] == "GA 880"
    detail = police.get(f"/api/v1/cases/{case.pk}").json()
    assert detail["decisions"][0]["deported_on"] == today_in_jakarta().isoformat()


def test_the_api_lists_only_the_callers_operations(personas, running):
    other = factories.operation(personas.officer, name="Not theirs")
    ids = {
        o["id"]
        for o in api_client(personas, "police_kasemen").get("/api/v1/operations").json()["items"]
    }
    assert ids == {running.pk}
    assert (
        api_client(personas, "police_kasemen").get(f"/api/v1/operations/{other.pk}").status_code
        == 404
    )
    body = {"client_uuid": str(uuid.uuid4()), "result": "not_found", "area_code": "36.73.02.1007"}
    response = api_client(personas, "police_taktakan").post(
        f"/api/v1/operations/{running.pk}/checks", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 404


@override_settings(TIMPORA_OVERSTAY_FEE_PER_DAY=RATE)
def test_the_demo_seeds_once(personas):
    first = seed_operations()
    again = seed_operations()
    assert first["operations"]["operations"] == again["operations"]["operations"] == 2
    assert again["operations"]["added"] == []
    finished = JointOperation.objects.get(order_number=FINISHED_ORDER)
    planned = JointOperation.objects.get(order_number=PLANNED_ORDER)
    assert (finished.status, planned.status) == ("finished", "planned")
    assert finished.checks.count() >= 3
    cases = Case.objects.filter(operation=finished)
    assert cases.count() == 2 and {c.status for c in cases} == {CaseStatus.CLOSED}
    decisions = AdministrativeAction.objects.filter(case__operation=finished)
    assert all(d.is_signed and d.signed_by == personas.head for d in decisions)
    fee = decisions.get(action_type=ActionType.FEE)
    assert fee.paid_on and fee.amount == fee.overstay_days * RATE
    assert decisions.get(action_type=ActionType.DEPORTATION).flight
