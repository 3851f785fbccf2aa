"""Public tips: anonymous filing with spam resistance (rate limit, honeypot, minimum fill
time, length), a status page that shows nothing but status and note, scoped office lists."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.utils import translation

from timpora.accounts.actions import create_api_token
from timpora.audit.models import AuditRecord
from timpora.conftest import KEL_BANTEN
from timpora.intake import actions
from timpora.intake.forms_fieldwork import TIP_DESCRIPTION_MAX, tip_form_token
from timpora.intake.models import PublicTip

KEL_TAKTAKAN = "36.73.06.1001"
DESCRIPTION = "Five foreigners work every night at the karaoke place near the harbour."


@pytest.fixture(autouse=True)
def english(settings):
    """The assertions read English messages; the app speaks Indonesian by default."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def tip_data(**values) -> dict:
    """A valid submission whose form was opened ten seconds ago."""
    data = {
        "area_code": KEL_BANTEN,
        "description": DESCRIPTION,
        "website": "",
        "started": tip_form_token(time.time() - 10),
    }
    data.update(values)
    return data


def public(ip: str = "198.51.100.7") -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT="Mozilla/5.0 (Android 14)")


def file_tip(area_code: str, description: str = DESCRIPTION) -> PublicTip:
    return actions.file_public_tip(
        area_code=area_code, description=description, ip="203.0.113.5", user_agent="test"
    )


def test_it_files_a_tip_and_shows_the_tracking_code_once(db):
    client = public()

    response = client.post("/intake/tips/new/", tip_data())
    shown = client.get("/intake/tips/filed/")
    again = client.get("/intake/tips/filed/")

    tip = PublicTip.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/intake/tips/filed/"
    assert tip.tracking_code not in response["Location"]
    assert shown.context["tracking_code"] == tip.tracking_code
    assert tip.tracking_code in shown.content.decode()
    assert again.status_code == 302
    assert (tip.kelurahan_code, tip.kecamatan_code) == (KEL_BANTEN, "36.73.02")


def test_the_audit_record_of_a_tip_does_not_identify_the_tipster(db):
    public("198.51.100.99").post("/intake/tips/new/", tip_data())

    tip = PublicTip.objects.get()
    audit = AuditRecord.objects.get(object_type="intake.publictip", object_id=str(tip.pk))
    assert audit.action == "create"
    assert "198.51.100.99" not in str(audit.origin)
    assert "Android" not in str(audit.origin)
    assert "198.51.100.99" not in tip.client_hash


def test_the_fourth_tip_within_an_hour_from_one_client_gets_429(db):
    client = public()
    for _ in range(3):
        assert client.post("/intake/tips/new/", tip_data()).status_code == 302

    fourth = client.post("/intake/tips/new/", tip_data())
    elsewhere = public("198.51.100.8").post("/intake/tips/new/", tip_data())

    assert fourth.status_code == 429
    assert "try again later" in fourth.content.decode().lower()
    assert elsewhere.status_code == 302
    assert PublicTip.objects.count() == 4


def test_a_filled_honeypot_pretends_success_and_stores_nothing(db):
    client = public()

    response = client.post("/intake/tips/new/", tip_data(website="http://spam.example"))
    shown = client.get("/intake/tips/filed/")
    status = client.post("/intake/tips/status/", {"tracking_code": shown.context["tracking_code"]})

    assert response.status_code == 302
    assert response["Location"] == "/intake/tips/filed/"
    assert len(shown.context["tracking_code"]) == 10
    assert not PublicTip.objects.exists()
    assert status.context["result"] is None


def test_the_honeypot_is_in_the_page_but_hidden_by_css(db):
    page = public().get("/intake/tips/new/").content.decode()

    assert 'class="hp-field"' in page
    assert 'name="website"' in page
    assert 'name="started"' in page


def test_a_submission_faster_than_three_seconds_is_rejected(db):
    response = public().post("/intake/tips/new/", tip_data(started=tip_form_token(time.time())))

    assert response.status_code == 200
    assert "very fast" in str(response.context["form"].errors["started"])
    assert not PublicTip.objects.exists()
    # The form shown again carries a new start time, so a person can simply send it again.
    assert response.context["form"]["started"].value() != tip_data()["started"]


def test_a_forged_or_expired_start_time_is_rejected(db):
    forged = public().post("/intake/tips/new/", tip_data(started="1700000000"))
    expired = public().post(
        "/intake/tips/new/", tip_data(started=tip_form_token(time.time() - 7 * 3600))
    )
    missing = public().post("/intake/tips/new/", tip_data(started=""))

    for response in (forged, expired, missing):
        assert "expired" in str(response.context["form"].errors["started"])
    assert not PublicTip.objects.exists()


def test_the_description_has_a_minimum_and_a_maximum_length(db):
    short = public().post("/intake/tips/new/", tip_data(description="foreigners"))
    long = public().post("/intake/tips/new/", tip_data(description="x" * (TIP_DESCRIPTION_MAX + 1)))

    assert "description" in short.context["form"].errors
    assert "description" in long.context["form"].errors
    assert not PublicTip.objects.exists()


def test_a_tip_names_a_kelurahan_of_the_working_area(db):
    response = public().post("/intake/tips/new/", tip_data(area_code="31.71.01.1001"))

    assert "area_code" in response.context["form"].errors
    assert not PublicTip.objects.exists()


def test_the_status_page_shows_status_and_public_note_only(personas):
    tip = file_tip(KEL_BANTEN, "Mr Zhang Wei from passport E99887766 works at the harbour.")
    actions.update_tip(
        tip, status="in_review", public_note="Our team is checking.", actor=personas.officer
    )

    response = public().post("/intake/tips/status/", {"tracking_code": tip.tracking_code.lower()})

    page = response.content.decode()
    assert response.context["result"] == {
        "status": "Being checked",
        "public_note": "Our team is checking.",
    }
    assert "Being checked" in page and "Our team is checking." in page
    for secret in ("Zhang", "E99887766", "harbour", KEL_BANTEN, "Banten"):
        assert secret not in page


def test_the_status_page_says_when_a_code_is_unknown(db):
    response = public().post("/intake/tips/status/", {"tracking_code": "ABCDEFGHJK"})

    assert response.context["result"] is None
    assert "No tip has this tracking code" in str(response.context["form"].errors)


def test_tip_lists_and_pages_are_scoped(personas):
    banten = file_tip(KEL_BANTEN)
    taktakan = file_tip(KEL_TAKTAKAN)

    def listed(persona: str) -> set[int]:
        response = personas.client(persona).get("/intake/tips/")
        return {row["tip"].pk for row in response.context["rows"]}

    assert listed("police_kasemen") == {banten.pk}
    assert listed("lurah_banten") == {banten.pk}
    assert listed("police_taktakan") == {taktakan.pk}
    assert listed("analyst") == {banten.pk, taktakan.pk}
    assert personas.client("police_kasemen").get(f"/intake/tips/{taktakan.pk}/").status_code == 404
    assert personas.client("hotel").get("/intake/tips/").status_code == 403


def test_office_staff_answer_a_tip_and_it_is_audited(personas):
    tip = file_tip(KEL_BANTEN)

    response = personas.client("officer").post(
        f"/intake/tips/{tip.pk}/update/",
        {"status": "followed_up", "public_note": "  A team   visited the place. "},
    )
    police = personas.client("police_kasemen").post(
        f"/intake/tips/{tip.pk}/update/", {"status": "closed", "public_note": ""}
    )

    tip.refresh_from_db()
    assert response.status_code == 302
    assert police.status_code == 403
    assert (tip.status, tip.public_note) == ("followed_up", "A team visited the place.")
    audit = AuditRecord.objects.filter(action="update", object_id=str(tip.pk)).get()
    assert audit.actor_username == "officer"
    assert audit.fields["status"] == ["received", "followed_up"]


def test_the_api_lists_tips_in_scope(personas):
    banten = file_tip(KEL_BANTEN)
    file_tip(KEL_TAKTAKAN)
    token = create_api_token(personas.police_kasemen)

    body = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/tips").json()

    assert body["count"] == 1
    assert body["items"][0]["tracking_code"] == banten.tracking_code
