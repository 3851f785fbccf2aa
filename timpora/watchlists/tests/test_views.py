"""Who sees watch lists and hits (the immigration office) and who sees only the alert; every
view of entries and hits is audited; decisions through the page and the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from timpora.accounts.actions import create_agency, create_api_token, create_user
from timpora.accounts.choices import AgencyType, Role
from timpora.audit.models import AuditRecord
from timpora.detection.models import Alert
from timpora.watchlists import actions, queries
from timpora.watchlists.models import WatchListHit
from timpora.watchlists.tests.conftest import import_rows, make_list, write_csv

AS_OF = date(2026, 11, 23)
ROW = ["DJI-1", "AL GHAMDI, MOHAMMED", "1980-05-01", "SAU", "E1234S678", "", "", ""]


@pytest.fixture
def hit(people, tmp_path):
    watchlist = make_list()
    import_rows(watchlist, [ROW], tmp_path)
    actions.screen_everyone(AS_OF)
    return WatchListHit.objects.get(person=people["ghamdi"])


def api(personas, name: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(getattr(personas, name))}")


def test_the_police_sees_the_alert_but_not_the_list_or_the_hit(personas, hit):
    police = personas.client("police_kasemen")
    assert police.get("/watchlists/").status_code == 403
    assert police.get(f"/watchlists/hits/{hit.pk}/").status_code == 403
    alert = Alert.objects.get(rule="watchlist_hit", person=hit.person)
    page = police.get(f"/detection/alerts/{alert.pk}/")
    assert page.status_code == 200
    assert "Daftar Penangkalan" in page.content.decode()


def test_an_analyst_of_another_agency_does_not_see_the_lists(db, hit):
    agency = create_agency(name="Polda analysts", agency_type=AgencyType.POLICE)
    user = create_user(
        username="polda_analyst", password="x" * 20, role=Role.ANALYST, agency=agency
    )
    assert not queries.allowed(user)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_verified"] = True
    session.save()
    assert client.get("/watchlists/").status_code == 403
    token = create_api_token(user)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/watchlists").status_code == 403


def test_the_person_page_shows_hits_to_immigration_staff_only(personas, hit):
    url = f"/registry/persons/{hit.person_id}/"
    officer = personas.client("officer").get(url).content.decode()
    assert 'data-testid="watchlist-hits"' in officer
    assert "AL GHAMDI, MOHAMMED" in officer
    assert AuditRecord.objects.filter(
        object_type="watchlists.watchlisthit", fields__person=hit.person_id
    ).exists()
    police = personas.client("police_kasemen").get(url).content.decode()
    assert 'data-testid="watchlist-hits"' not in police


def test_every_view_of_entries_and_hits_is_audited(personas, hit):
    client = personas.client("officer")
    before = AuditRecord.objects.filter(action="view").count()
    for url in (
        f"/watchlists/{hit.entry.watchlist_id}/",
        f"/watchlists/entries/{hit.entry_id}/",
        "/watchlists/hits/?status=open",
        f"/watchlists/hits/{hit.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    assert AuditRecord.objects.filter(action="view").count() == before + 4
    api(personas, "officer").get(f"/api/v1/watchlists/{hit.entry.watchlist_id}/entries")
    api(personas, "officer").get("/api/v1/watchlists/hits")
    assert AuditRecord.objects.filter(action="view").count() == before + 6


def test_the_hit_page_shows_both_records_and_the_evidence(personas, hit):
    page = personas.client("analyst").get(f"/watchlists/hits/{hit.pk}/").content.decode()
    assert "E12345678" in page and "E1234S678" in page
    assert "OCR-equivalent" in page
    assert 'data-testid="decision-form"' in page


def test_an_officer_dismisses_a_hit_with_a_reason_and_the_alert_closes(personas, hit):
    client = personas.client("officer")
    url = f"/watchlists/hits/{hit.pk}/decide/"
    refused = client.post(url, {"status": "dismissed", "reason": ""})
    assert refused.status_code == 400
    assert "Say why the hit is dismissed." in refused.content.decode()
    assert client.post(url, {"status": "dismissed", "reason": "twin brother"}).status_code == 302
    hit.refresh_from_db()
    assert (hit.status, hit.decision_reason, hit.decided_by) == (
        "dismissed",
        "twin brother",
        personas.officer,
    )
    assert not Alert.objects.filter(rule="watchlist_hit", person=hit.person, is_open=True).exists()


def test_officers_decide_but_do_not_manage_lists(personas, hit):
    officer = personas.client("officer")
    assert officer.get("/watchlists/new/").status_code == 403
    assert officer.post("/watchlists/screen/").status_code == 403
    assert personas.client("analyst").post("/watchlists/screen/").status_code == 302


# ---------------------------------------------------------------------------- the API


def test_the_api_lists_lists_entries_and_hits(personas, hit):
    client = api(personas, "analyst")
    lists = client.get("/api/v1/watchlists").json()
    assert lists[0]["name"] == "Daftar Penangkalan" and lists[0]["open_hits"] == 1
    entries = client.get(f"/api/v1/watchlists/{hit.entry.watchlist_id}/entries?q=ghamdi").json()
    assert entries["count"] == 1 and entries["items"][0]["passport_number"] == "E1234S678"
    hits = client.get("/api/v1/watchlists/hits?lang=en").json()
    assert hits["count"] == 1
    assert "OCR-equivalent" in hits["items"][0]["explanation"]
    assert client.get("/api/v1/watchlists/hits?status=maybe").status_code == 422
    wrong = client.get("/api/v1/watchlists/hits?lang=fr")
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["query", "lang"]
    assert "OCR" in client.get("/api/v1/watchlists/hits").json()["items"][0]["explanation"]


def test_the_api_imports_a_file_and_decides_a_hit(personas, hit, tmp_path):
    client = api(personas, "admin")
    path = write_csv(
        tmp_path / "more.csv",
        [
            ["DJI-2", "KIM MIN JUN", "1979-11-02", "KOR", "", "", "", ""],
            ["", "X", "", "", "", "", "", ""],
        ],
    )
    with path.open("rb") as handle:
        response = client.post(
            f"/api/v1/watchlists/{hit.entry.watchlist_id}/imports", {"file": handle}
        )
    assert response.status_code == 201
    body = response.json()
    assert (body["added"], body["rejected"], body["errors"]) == (1, 1, [[3, "list_id", "required"]])
    decided = client.post(
        f"/api/v1/watchlists/hits/{hit.pk}/decision",
        {"status": "confirmed", "reason": "same passport"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "confirmed"
    refused = client.post(
        f"/api/v1/watchlists/hits/{hit.pk}/decision",
        {"status": "dismissed"},
        content_type="application/json",
    )
    assert refused.status_code == 422
