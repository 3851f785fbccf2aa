"""The coordination API: teams with their history, creating meetings and problems within
scope, and the problem inventory with overdue follow-ups."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from timpora.accounts.actions import create_api_token
from timpora.coordination import actions
from timpora.coordination.choices import TeamRole
from timpora.coordination.models import Meeting, Problem
from timpora.coordination.tests import factories as f
from timpora.registry.status import today_in_jakarta

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user)}")


def test_a_team_lists_current_members_and_the_history(personas):
    team = f.team(f.KEL_BANTEN)
    old = f.member(team, "Lurah Lama", role=TeamRole.CHAIR, start=date(2021, 10, 12))
    actions.replace_member(
        old,
        actions.MemberInput(person_name="Lurah Baru", role=TeamRole.CHAIR),
        ended_on=date(2026, 1, 2),
        reason="Pensiun",
        actor=None,
    )
    data = _api(personas.lurah_banten).get(f"/api/v1/coordination/teams/{team.pk}").json()
    assert [m["person_name"] for m in data["current_members"]] == ["Lurah Baru"]
    history = {m["person_name"]: m for m in data["history"]}
    assert history["Lurah Lama"]["ended_on"] == "2026-01-02"
    assert history["Lurah Lama"]["end_reason"] == "Pensiun"
    assert data["decree"]["number"] == f"SK-TEST-{f.KEL_BANTEN}"
    listed = _api(personas.police_taktakan).get("/api/v1/coordination/teams").json()
    assert team.pk not in {t["id"] for t in listed}


def test_a_meeting_is_scheduled_through_the_api(personas):
    team = f.team(f.KEL_BANTEN)
    f.member(team, "Siti Lurah", role=TeamRole.CHAIR, user=personas.lurah_banten)
    payload = {
        "team_id": team.pk,
        "title": "Rapat Tim PORA Kelurahan Banten",
        "starts_at": f"{today_in_jakarta() + timedelta(days=7)}T09:00:00+07:00",
        "place": "Kantor Kelurahan Banten",
        "agenda": ["Pendataan orang asing"],
        "agency_ids": [personas.police_kasemen.agency_id],
    }
    response = _api(personas.police_kasemen).post(
        "/api/v1/coordination/meetings", payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["agenda"] == ["Pendataan orang asing"] and body["invitees"] == 2
    assert Meeting.objects.get(pk=body["id"]).created_by == personas.police_kasemen
    # Out of scope: the team does not exist for Taktakan's police.
    outside = _api(personas.police_taktakan).post(
        "/api/v1/coordination/meetings", payload, content_type="application/json"
    )
    assert outside.status_code == 404
    invalid = _api(personas.officer).post(
        "/api/v1/coordination/meetings",
        {**payload, "agenda": []},
        content_type="application/json",
    )
    assert invalid.status_code == 422


def test_a_problem_is_recorded_within_scope_and_listed_with_overdue_follow_ups(personas):
    api = _api(personas.police_kasemen)
    created = api.post(
        "/api/v1/coordination/problems",
        {
            "title": "Orang asing di perahu nelayan",
            "category": "coastline",
            "area_code": f.KEL_BANTEN,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    problem = Problem.objects.get(pk=created.json()["id"])
    f.follow_up(problem, due=today_in_jakarta() - timedelta(days=3))
    listed = api.get("/api/v1/coordination/problems?status=open").json()
    assert [(p["id"], p["overdue_follow_ups"]) for p in listed] == [(problem.pk, 1)]
    detail = api.get(f"/api/v1/coordination/problems/{problem.pk}").json()
    assert detail["follow_ups"][0]["overdue"] is True
    outside = api.post(
        "/api/v1/coordination/problems",
        {"title": "Di Taktakan", "category": "other", "area_code": f.KEL_TAKTAKAN},
        content_type="application/json",
    )
    assert outside.status_code == 403
    unknown = api.post(
        "/api/v1/coordination/problems",
        {"title": "x", "category": "nonsense", "area_code": f.KEL_BANTEN},
        content_type="application/json",
    )
    assert unknown.status_code == 422
