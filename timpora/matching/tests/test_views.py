"""The review queue pages and API: scope, the side-by-side evidence, masking, decisions."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from timpora.accounts.actions import create_api_token
from timpora.audit.models import AuditRecord
from timpora.matching.choices import PairStatus
from timpora.matching.models import MatchCandidate
from timpora.matching.tests.conftest import KEL_TAKTAKAN, register
from timpora.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairs(personas, thresholds):
    """A pending pair in Kasemen and one in Taktakan."""
    kasemen = [
        register(personas.officer, "WANG XIU YING", date(1979, 8, 21), "CHN", "E11223344", sex="F"),
        register(personas.officer, "WANG XIUYING", date(1979, 8, 21), "CHN", "E99887766", sex="F"),
    ]
    taktakan = [
        register(personas.officer, name, date(1985, 6, 30), "IND", number, area=KEL_TAKTAKAN)
        for name, number in (("RAHUL SHARMA", "Z1234567"), ("SHARMA RAHUL", "Z7654321"))
    ]
    return {
        "kasemen": MatchCandidate.objects.get(person_a=kasemen[0], person_b=kasemen[1]),
        "taktakan": MatchCandidate.objects.get(person_a=taktakan[0], person_b=taktakan[1]),
    }


def _api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user)}")


def test_a_police_member_sees_only_the_pairs_of_his_kecamatan(personas, pairs):
    page = personas.client("police_taktakan").get("/matching/review/")
    assert page.status_code == 200
    shown = {p.pk for p in page.context["pairs"]}
    assert shown == {pairs["taktakan"].pk}
    assert (
        personas.client("police_taktakan")
        .get(f"/matching/review/{pairs['kasemen'].pk}/")
        .status_code
        == 404
    )
    listed = _api(personas.police_taktakan).get("/api/v1/matching/pairs").json()
    assert [item["id"] for item in listed["items"]] == [pairs["taktakan"].pk]
    analyst = personas.client("analyst").get("/matching/review/")
    assert {p.pk for p in analyst.context["pairs"]} == {pairs["kasemen"].pk, pairs["taktakan"].pk}


def test_it_filters_the_queue_by_area_score_and_source(personas, pairs):
    client = personas.client("analyst")
    by_area = client.get("/matching/review/?area=36.73.06")
    assert {p.pk for p in by_area.context["pairs"]} == {pairs["taktakan"].pk}
    assert not client.get("/matching/review/?min_probability=1.0").context["pairs"]
    assert not client.get("/matching/review/?source=import").context["pairs"]
    bad = client.get("/matching/review/?area=Kasemen")
    assert bad.status_code == 200 and "area" in bad.context["form"].errors


def test_it_shows_both_records_side_by_side_with_the_evidence(personas, pairs):
    pair = pairs["kasemen"]
    page = personas.client("analyst").get(f"/matching/review/{pair.pk}/")
    html = page.content.decode()
    assert "WANG XIU YING" in html and "WANG XIUYING" in html
    assert "E11223344" in html and "E99887766" in html
    rows = {row["code"]: row for row in page.context["evidence"]}
    assert rows["name"]["agreed"] is True
    assert rows["dob"]["level"] == "same birth date"
    assert rows["passport"]["agreed"] is False
    assert rows["passport"]["verdict"] == "disagrees"
    assert "born 1979-08-21 = 1979-08-21" in page.context["sentence"]
    assert 'data-testid="decide-form"' in html
    assert AuditRecord.objects.filter(
        action="view", object_type="matching.matchcandidate", object_id=str(pair.pk)
    ).exists()


def test_it_masks_identifiers_for_agencies_that_see_them_masked(personas, pairs):
    pair = pairs["kasemen"]
    page = personas.client("police_kasemen").get(f"/matching/review/{pair.pk}/")
    html = page.content.decode()
    assert "E11223344" not in html and "E1•••••44" in html
    assert "1979-08-21" not in html
    rows = {row["code"]: row for row in page.context["evidence"]}
    assert (rows["dob"]["left"], rows["passport"]["left"]) == ("1979", "E1•••••44")
    assert 'data-testid="decide-form"' not in html  # seeing is not deciding
    detail = _api(personas.police_kasemen).get(f"/api/v1/matching/pairs/{pair.pk}?lang=en")
    assert "E11223344" not in detail.content.decode()


def test_accepting_merges_into_the_older_person_and_opens_the_next_pair(personas, pairs):
    pair = pairs["kasemen"]
    client = personas.client("analyst")
    response = client.post(
        f"/matching/review/{pair.pk}/decide/", {"verdict": "same", "reason": "same photo"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/matching/review/{pairs['taktakan'].pk}/"
    absorbed = Person.objects.get(pk=pair.person_b_id)
    assert absorbed.merged_into_id == pair.person_a_id
    # The absorbed person's address leads to the survivor.
    old_page = client.get(f"/registry/persons/{absorbed.pk}/")
    assert old_page.status_code == 302
    assert old_page["Location"] == f"/registry/persons/{pair.person_a_id}/"
    shown = client.get(f"/matching/review/{pair.pk}/")
    assert 'data-testid="decision"' in shown.content.decode()


def test_rejecting_takes_the_pair_out_of_the_queue_for_good(personas, pairs):
    pair = pairs["taktakan"]
    client = personas.client("analyst")
    client.post(f"/matching/review/{pair.pk}/decide/", {"verdict": "different"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.REJECTED
    assert pair.pk not in {p.pk for p in client.get("/matching/review/").context["pairs"]}
    again = client.post(f"/matching/review/{pair.pk}/decide/", {"verdict": "same"})
    assert again.status_code == 302
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_the_person_page_names_its_pending_pairs(personas, pairs):
    pair = pairs["kasemen"]
    page = personas.client("officer").get(f"/registry/persons/{pair.person_a_id}/")
    html = page.content.decode()
    assert 'data-testid="review-pairs"' in html
    assert f"/matching/review/{pair.pk}/" in html


def test_the_api_lists_explains_and_decides(personas, pairs):
    pair = pairs["taktakan"]
    client = _api(personas.analyst)
    listed = client.get("/api/v1/matching/pairs?area=36.73.06&lang=en").json()
    assert listed["count"] == 1
    assert listed["items"][0]["person_a"]["full_name"] == "RAHUL SHARMA"
    detail = client.get(f"/api/v1/matching/pairs/{pair.pk}?lang=en").json()
    name = next(e for e in detail["evidence"] if e["field"] == "name")
    assert (name["agreed"], name["level"]) == (True, "same name")
    assert detail["decision"] is None
    wrong = client.post(
        f"/api/v1/matching/pairs/{pair.pk}/decision",
        {"verdict": "maybe"},
        content_type="application/json",
    )
    assert wrong.status_code == 422
    decided = client.post(
        f"/api/v1/matching/pairs/{pair.pk}/decision?lang=en",
        {"verdict": "different", "reason": "two brothers"},
        content_type="application/json",
    )
    assert decided.status_code == 200
    assert decided.json()["decision"]["verdict"] == "different"
    assert decided.json()["status"] == "rejected"
    twice = client.post(
        f"/api/v1/matching/pairs/{pair.pk}/decision",
        {"verdict": "same"},
        content_type="application/json",
    )
    assert twice.status_code == 422
