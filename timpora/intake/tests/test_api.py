"""Intake through the API: filing, listing, check-out, receipts, employer reports, imports,
reporter isolation and region scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from timpora.accounts.actions import create_api_token
from timpora.accounts.models import User
from timpora.audit.models import AuditRecord
from timpora.intake import actions, importer
from timpora.intake.models import AccommodationReport, EmployerReport
from timpora.intake.tests.conftest import guest, write_rows
from timpora.registry.models import Stay

BASE = "/api/v1/accommodation-reports"


def wib(hours_ago: float) -> str:
    return (timezone.localtime() - timedelta(hours=hours_ago)).strftime("%Y-%m-%d %H:%M")


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user)}")


def as_user(username: str) -> Client:
    return api(User.objects.get(username=username))


def body(**values: str) -> dict[str, str]:
    data = {
        "surname": "KIM",
        "given_names": "MIN JUN",
        "nationality": "KOR",
        "passport_number": "M87654321",
        "check_in": wib(2),
        "room": "301",
    }
    data.update(values)
    return data


def file_report(premises, **values) -> AccommodationReport:
    return actions.file_accommodation_report(premises, body(**values), actor=None)


def test_a_hotel_files_a_report_and_gets_it_back(hotels):
    client = as_user("hotel_banten")
    response = client.post(BASE, body(), content_type="application/json")
    assert response.status_code == 201, response.content
    out = response.json()
    report = AccommodationReport.objects.get(pk=out["id"])
    assert report.channel == "api" and report.premises == hotels["HTL-BANTEN-01"]
    assert out["passport_number"] == "M87654321" and out["full_name"] == "MIN JUN KIM"
    assert out["verification_code"] == report.verification_code and out["is_late"] is False
    assert out["receipt_url"].endswith(f"{BASE}/{report.pk}/receipt.pdf")
    # The same guest and check-in again is the same report.
    again = client.post(BASE, body(), content_type="application/json")
    assert again.json()["id"] == report.pk and AccommodationReport.objects.count() == 1


def test_bad_values_come_back_as_422_naming_the_column(hotels):
    response = as_user("hotel_banten").post(
        BASE,
        body(nationality="Narnia", check_in=wib(1), check_out=wib(3)),
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {tuple(item["loc"]): item["msg"] for item in response.json()["detail"]}
    assert "Narnia" in fields[("body", "nationality")]
    assert "before check-in" in fields[("body", "check_out")]
    missing = as_user("hotel_banten").post(BASE, {"surname": "X"}, content_type="application/json")
    assert missing.status_code == 422
    assert any("passport_number" in item["loc"] for item in missing.json()["detail"])
    unknown = as_user("hotel_banten").post(
        BASE, body(colour="blue"), content_type="application/json"
    )
    assert unknown.status_code == 422 and not AccommodationReport.objects.exists()


@pytest.mark.parametrize(("hours", "late"), [(25, True), (23, False)])
def test_the_late_flag_follows_the_24_hour_rule(hotels, hours, late):
    response = as_user("hotel_banten").post(
        BASE, body(check_in=wib(hours)), content_type="application/json"
    )
    assert response.json()["is_late"] is late


def test_a_hotel_cannot_list_open_check_out_or_print_another_hotels_reports(hotels):
    ours = file_report(hotels["HTL-BANTEN-01"], passport_number="OURS00001")
    theirs = file_report(hotels["HTL-TAKTAKAN-01"], passport_number="THEIRS001")
    client = as_user("hotel_banten")
    listed = client.get(BASE).json()
    assert listed["count"] == 1 and [item["id"] for item in listed["items"]] == [ours.pk]
    assert client.get(f"{BASE}?premises={theirs.premises_id}").json()["count"] == 0
    assert client.get(f"{BASE}/{theirs.pk}").status_code == 404
    assert client.get(f"{BASE}/{theirs.pk}/receipt.pdf").status_code == 404
    response = client.post(f"{BASE}/{theirs.pk}/check-out", {}, content_type="application/json")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.check_out is None
    assert client.get("/api/v1/employer-reports").status_code == 403  # a hotel is no employer


def test_a_hotel_checks_a_guest_out_and_prints_the_receipt(hotels):
    report = file_report(hotels["HTL-BANTEN-01"], check_in=wib(30))
    client = as_user("hotel_banten")
    leaving = (timezone.localtime() - timedelta(hours=1)).replace(tzinfo=None, microsecond=0)
    response = client.post(
        f"{BASE}/{report.pk}/check-out",
        {"check_out": leaving.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert timezone.localtime(report.check_out).replace(tzinfo=None) == leaving  # WIB
    stay = Stay.objects.get(source_ref=f"accommodation:{report.verification_code}")
    assert stay.date_to == leaving.date()
    before = client.post(
        f"{BASE}/{report.pk}/check-out",
        {"check_out": (leaving - timedelta(days=5)).isoformat()},
        content_type="application/json",
    )
    assert before.status_code == 422
    assert before.json()["detail"][0]["loc"] == ["body", "check_out"]
    pdf = client.get(f"{BASE}/{report.pk}/receipt.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_team_members_read_reports_in_their_scope_with_masked_passports(personas, hotels):
    kasemen = file_report(hotels["HTL-BANTEN-01"], passport_number="KASEMEN01")
    taktakan = file_report(hotels["HTL-TAKTAKAN-01"], passport_number="TAKTAKAN1")
    police = api(personas.police_kasemen)
    listed = police.get(BASE).json()
    assert [item["id"] for item in listed["items"]] == [kasemen.pk]
    item = listed["items"][0]
    assert item["passport_number"] == "KA•••••01" and item["birth_date"] is None
    assert item["verification_code"] is None
    assert police.get(f"{BASE}/{taktakan.pk}").status_code == 404
    assert police.get(f"{BASE}/{kasemen.pk}").status_code == 200
    officer = api(personas.officer).get(f"{BASE}?nationality=Korea Selatan").json()
    assert {i["passport_number"] for i in officer["items"]} == {"KASEMEN01", "TAKTAKAN1"}
    bad = api(personas.officer).get(f"{BASE}?nationality=Narnia")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "nationality"]
    # Reading is processing: the list and the detail are in the audit trail.
    views = AuditRecord.objects.filter(action="view", object_type="intake.accommodationreport")
    assert any(kasemen.pk in entry.fields.get("ids", []) for entry in views)
    assert views.filter(object_id=str(kasemen.pk), actor=personas.police_kasemen).exists()


def test_the_office_filters_late_reports_and_staying_guests(personas, hotels):
    late = file_report(hotels["HTL-BANTEN-01"], passport_number="LATE00001", check_in=wib(40))
    on_time = file_report(hotels["HTL-BANTEN-01"], passport_number="ONTIME001")
    actions.check_out(on_time, timezone.now(), actor=None)
    client = api(personas.officer)
    assert [i["id"] for i in client.get(f"{BASE}?late=true").json()["items"]] == [late.pk]
    assert [i["id"] for i in client.get(f"{BASE}?staying=true").json()["items"]] == [late.pk]


def test_reporters_cannot_file_for_another_kind_and_team_members_cannot_file(personas, hotels):
    assert (
        as_user("hotel_banten")
        .post("/api/v1/employer-reports", {}, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        api(personas.officer).post(BASE, body(), content_type="application/json").status_code == 403
    )


@pytest.fixture
def company(db):
    premises = actions.register_premises(
        kind="company",
        name="PT Baja Serang",
        licence_number="9120000000777",
        address="Cikande",
        area_code="36.73.06.1001",
        person_in_charge="HRD",
        username="pt_baja",
        password="a long enough password 1",
    )
    return actions.decide_premises(premises, approve=True, actor=None)


def test_a_company_files_and_lists_employer_reports(company, personas):
    client = as_user("pt_baja")
    payload = {
        "surname": "WANG",
        "given_names": "LEI",
        "nationality": "CHN",
        "passport_number": "E12345678",
        "event": "start",
        "event_date": timezone.localdate().isoformat(),
        "position": "Welding supervisor",
        "permit_index": "E23",
    }
    response = client.post("/api/v1/employer-reports", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    report = EmployerReport.objects.get(pk=response.json()["id"])
    assert report.channel == "api" and report.kecamatan_code == "36.73.06"
    bad = client.post(
        "/api/v1/employer-reports", {**payload, "event": "hired"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "event"]
    assert client.get("/api/v1/employer-reports").json()["count"] == 1
    assert api(personas.police_taktakan).get("/api/v1/employer-reports").json()["count"] == 1
    assert api(personas.police_kasemen).get("/api/v1/employer-reports").json()["count"] == 0
    assert client.get(BASE).status_code == 403  # a company has no guest book


def test_an_import_shows_its_progress_to_its_premises_only(personas, hotels, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    banten = User.objects.get(username="hotel_banten")
    path = write_rows(tmp_path / "g.csv", [guest(), guest(passport_number="Q")])
    batch = importer.start_import(
        kind="accommodation", path=path, actor=banten, premises=hotels["HTL-BANTEN-01"]
    )
    queued = as_user("hotel_banten").get(f"/api/v1/imports/{batch.pk}").json()
    assert queued["status"] == "queued" and queued["errors"] is None
    importer.run_import(batch)
    done = as_user("hotel_banten").get(f"/api/v1/imports/{batch.pk}").json()
    assert (done["status"], done["rows"], done["imported"], done["rejected"]) == ("done", 2, 1, 1)
    assert done["processed_rows"] == done["total_rows"] == 2 and done["percent"] == 100
    assert done["errors"].endswith(f"/intake/imports/{batch.pk}/errors.csv")
    assert as_user("hotel_taktakan").get(f"/api/v1/imports/{batch.pk}").status_code == 404
    assert api(personas.officer).get(f"/api/v1/imports/{batch.pk}").status_code == 200
    assert api(personas.police_kasemen).get(f"/api/v1/imports/{batch.pk}").status_code == 403
