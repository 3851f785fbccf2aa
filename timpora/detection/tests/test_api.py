"""The alerts API: shape, language, filters, scope, workflow, errors with field names, audit."""

from __future__ import annotations

import pytest
from django.test import Client

from timpora.accounts.actions import create_api_token
from timpora.audit.models import AuditRecord
from timpora.detection.explain import explanation
from timpora.detection.models import Alert
from timpora.detection.tests.matrix import KEL_BANTEN, KEL_TAKTAKAN, overstay_alert


def api_client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user)}")


@pytest.fixture
def kasemen_alert(personas) -> Alert:
    return overstay_alert(personas, KEL_BANTEN, passport="AKASEMEN01")


@pytest.fixture
def taktakan_alert(personas) -> Alert:
    return overstay_alert(personas, KEL_TAKTAKAN, passport="ATAKTAK01")


def test_the_list_has_count_and_items_with_the_explanation(personas, kasemen_alert):
    response = api_client(personas.officer).get("/api/v1/alerts", {"lang": "en"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "items"}
    item = next(i for i in body["items"] if i["id"] == kasemen_alert.pk)
    assert item["rule"] == "overstay" and item["severity"] == "high"
    assert item["status"] == "new" and item["is_open"] is True
    assert item["person_id"] == kasemen_alert.person_id
    assert item["subject"] == f"person:{kasemen_alert.person_id}"
    assert item["subject_name"] == kasemen_alert.person.full_name
    assert item["kelurahan_code"] == KEL_BANTEN and item["area_code"] == KEL_BANTEN
    assert item["facts"]["days"] == 70
    assert item["law"] == "UU 6/2011 Pasal 78"
    assert item["explanation"] == explanation(
        "overstay", kasemen_alert.facts, kasemen_alert.as_of, "en"
    )
    assert "70 day(s)" in item["explanation"]


def test_the_explanation_defaults_to_indonesian(personas, kasemen_alert):
    item = api_client(personas.officer).get("/api/v1/alerts").json()["items"][0]
    assert item["explanation"] == explanation(
        "overstay", kasemen_alert.facts, kasemen_alert.as_of, "id"
    )
    assert item["explanation"] != explanation(
        "overstay", kasemen_alert.facts, kasemen_alert.as_of, "en"
    )


def test_an_unknown_language_is_a_422_naming_the_parameter(personas, kasemen_alert):
    response = api_client(personas.officer).get("/api/v1/alerts", {"lang": "fr"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "lang"]
    detail = api_client(personas.officer).get(f"/api/v1/alerts/{kasemen_alert.pk}?lang=xx")
    assert detail.status_code == 422


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"area": "Kasemen"}, "area"),
        ({"rule": "nonsense"}, "rule"),
        ({"severity": "urgent"}, "severity"),
        ({"status": "maybe"}, "status"),
        ({"as_of_from": "2026-02-01", "as_of_to": "2026-01-01"}, "as_of_to"),
    ],
)
def test_bad_filters_are_422s_naming_the_parameter(personas, params, field):
    response = api_client(personas.officer).get("/api/v1/alerts", params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]


def test_filters_and_paging(personas, kasemen_alert, taktakan_alert):
    client = api_client(personas.analyst)
    by_area = client.get("/api/v1/alerts", {"area": "36.73.06"}).json()
    assert [i["id"] for i in by_area["items"]] == [taktakan_alert.pk]
    page = client.get("/api/v1/alerts", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    by_person = client.get("/api/v1/alerts", {"person": kasemen_alert.person_id}).json()
    assert [i["id"] for i in by_person["items"]] == [kasemen_alert.pk]


def test_the_list_is_scoped_and_audited(personas, kasemen_alert, taktakan_alert):
    body = api_client(personas.police_kasemen).get("/api/v1/alerts").json()
    assert [i["id"] for i in body["items"]] == [kasemen_alert.pk]
    entry = AuditRecord.objects.filter(object_repr="alert search").latest("id")
    assert entry.actor_username == "police_kasemen" and entry.action == "view"
    assert entry.fields["ids"] == [kasemen_alert.pk]
    assert entry.fields["persons"] == [kasemen_alert.person_id]


def test_one_alert_with_its_history(personas, kasemen_alert):
    response = api_client(personas.lurah_banten).get(f"/api/v1/alerts/{kasemen_alert.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["allowed_transitions"] == ["triaged", "assigned", "dismissed"]
    assert body["events"] == []
    assert AuditRecord.objects.filter(
        action="view", object_type="detection.alert", object_id=str(kasemen_alert.pk)
    ).exists()


def test_an_alert_outside_the_scope_is_a_404(personas, taktakan_alert):
    client = api_client(personas.police_kasemen)
    assert client.get(f"/api/v1/alerts/{taktakan_alert.pk}").status_code == 404
    response = client.post(
        f"/api/v1/alerts/{taktakan_alert.pk}/comments",
        {"text": "hi"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_the_workflow_through_the_api(personas, kasemen_alert):
    client = api_client(personas.officer)
    url = f"/api/v1/alerts/{kasemen_alert.pk}"
    response = client.post(url + "/status", {"status": "triaged"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "triaged"
    response = client.post(
        url + "/assign",
        {"officer_id": personas.police_kasemen.pk},
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "assigned" and body["assigned_to"] == "police_kasemen"
    assert body["assigned_agency_id"] == personas.police_kasemen.agency_id
    response = client.post(
        url + "/comments", {"text": "Visited, not at home."}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "comment" and response.json()["actor"] == "officer"
    events = client.get(url).json()["events"]
    assert [e["kind"] for e in events] == ["status", "assign", "comment"]


def test_dismissing_without_a_reason_is_a_422_on_reason(personas, kasemen_alert):
    response = api_client(personas.officer).post(
        f"/api/v1/alerts/{kasemen_alert.pk}/status",
        {"status": "dismissed"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "reason"]
    kasemen_alert.refresh_from_db()
    assert kasemen_alert.status == "new"


def test_a_transition_that_is_not_allowed_is_a_422_on_status(personas, kasemen_alert):
    response = api_client(personas.officer).post(
        f"/api/v1/alerts/{kasemen_alert.pk}/status",
        {"status": "resolved"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "status"]


def test_assigning_outside_the_officers_area_is_a_422_on_officer_id(personas, taktakan_alert):
    response = api_client(personas.analyst).post(
        f"/api/v1/alerts/{taktakan_alert.pk}/assign",
        {"officer_id": personas.police_kasemen.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "officer_id"]
    taktakan_alert.refresh_from_db()
    assert taktakan_alert.assigned_to_id is None


def test_unknown_ids_and_empty_assignments_are_422s(personas, kasemen_alert):
    client = api_client(personas.officer)
    url = f"/api/v1/alerts/{kasemen_alert.pk}/assign"
    unknown = client.post(
        url, {"officer_id": 999_999, "agency_id": 999_999}, content_type="application/json"
    )
    assert unknown.status_code == 422
    assert {tuple(d["loc"]) for d in unknown.json()["detail"]} == {
        ("body", "officer_id"),
        ("body", "agency_id"),
    }
    empty = client.post(url, {}, content_type="application/json")
    assert empty.status_code == 422


def test_team_members_comment_but_do_not_run_the_workflow(personas, kasemen_alert):
    client = api_client(personas.police_kasemen)
    url = f"/api/v1/alerts/{kasemen_alert.pk}"
    forbidden = client.post(url + "/status", {"status": "triaged"}, content_type="application/json")
    assert forbidden.status_code == 403
    comment = client.post(url + "/comments", {"text": "Seen"}, content_type="application/json")
    assert comment.status_code == 201
    assert AuditRecord.objects.filter(
        action="create", object_type="detection.alertevent", actor_username="police_kasemen"
    ).exists()
