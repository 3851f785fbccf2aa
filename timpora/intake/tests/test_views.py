"""The intake web pages: registration and approval, guest reports, isolation between
premises, region scope of team members, audit of reads, employer reports and exports."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from timpora.accounts.models import User
from timpora.audit.models import AuditRecord
from timpora.intake import actions
from timpora.intake.models import AccommodationReport, EmployerReport, Premises
from timpora.lib.mrz import build_td3
from timpora.registry.forms import MRZ_FIELD_LABELS
from timpora.registry.models import Stay


@pytest.fixture(autouse=True)
def _english_pages(settings):
    """These tests read English labels; the Indonesian default is tested in core."""
    settings.LANGUAGE_CODE = "en"


PASSWORD = "a long enough password 1"


def wib(hours_ago: float) -> str:
    """A check-in ``hours_ago`` before now, written as reporters write it (WIB)."""
    return (timezone.localtime() - timedelta(hours=hours_ago)).strftime("%Y-%m-%d %H:%M")


def reporter(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def guest_values(**values: str) -> dict[str, str]:
    row = {
        "surname": "MÜLLER",
        "given_names": "HANS PETER",
        "nationality": "DEU",
        "passport_number": "C01X00T47",
        "check_in": wib(2),
    }
    row.update(values)
    return row


def file_report(premises: Premises, **values: str) -> AccommodationReport:
    return actions.file_accommodation_report(premises, guest_values(**values), actor=None)


def mrz_lines(number: str = "C01X00T47") -> tuple[str, str]:
    return build_td3(
        issuing_state="DEU",
        surname="MÜLLER",
        given_names="HANS PETER",
        document_number=number,
        nationality="DEU",
        birth_date=date(1980, 5, 1),
        sex="M",
        expiry_date=date(2031, 5, 1),
    )


def form_data(**values: str) -> dict[str, str]:
    """Every field of the report form, empty unless given."""
    from timpora.intake.forms import ACCOMMODATION_FIELDS

    data = dict.fromkeys(ACCOMMODATION_FIELDS, "")
    data["mrz"] = ""
    data.update(values)
    return data


def audited(object_type: str, ids) -> bool:
    """Whether a VIEW record names all these ids for this kind of object."""
    wanted = set(ids)
    for entry in AuditRecord.objects.filter(action="view", object_type=object_type):
        if wanted <= set(entry.fields.get("ids", [])):
            return True
    return False


# ------------------------------------------------------------------------ the whole walk


def test_it_walks_from_registration_to_check_out(personas, settings, tmp_path):
    """Register → approve → log in → file a report from the MRZ → receipt → public check
    without personal data → check-out (which ends the registry stay)."""
    public = Client()
    response = public.post(
        "/intake/register/",
        {
            "kind": "guest_house",
            "name": "Wisma Kasemen Indah",
            "licence_number": "GH-3673-77",
            "address": "Jl. Pelabuhan Karangantu 7",
            "area_code": "36.73.02.1007",
            "person_in_charge": "Siti Rahma",
            "phone": "0254 123456",
            "email": "wisma@example.org",
            "username": "wisma_kasemen",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/intake/register/done/"
    premises = Premises.objects.get(licence_number="GH-3673-77")
    assert premises.status == "pending" and premises.kecamatan_code == "36.73.02"
    login = {"username": "wisma_kasemen", "password": PASSWORD}
    assert public.post("/accounts/login/", login).status_code == 200  # inactive: refused

    analyst = personas.client("analyst")
    pending = analyst.get("/intake/premises/")
    assert "Wisma Kasemen Indah" in pending.content.decode()
    response = analyst.post(
        f"/intake/premises/{premises.pk}/", {"decision": "approve", "note": "licence checked"}
    )
    assert response.status_code == 302
    premises.refresh_from_db()
    assert premises.status == "approved" and premises.decided_by == personas.analyst

    client = Client()
    assert client.post("/accounts/login/", login).status_code == 302
    line1, line2 = mrz_lines()
    # Pasting the MRZ (htmx) fills the identity and passport fields.
    filled = client.post("/intake/reports/mrz/", form_data(mrz=f"{line1}\n{line2}"))
    page = filled.content.decode()
    assert filled.status_code == 200 and 'value="C01X00T47"' in page
    assert 'value="MULLER"' in page and 'value="1980-05-01"' in page
    response = client.post(
        "/intake/reports/new/",
        form_data(mrz=f"{line1}\n{line2}", check_in=wib(3).replace(" ", "T"), room="12"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = AccommodationReport.objects.get(premises=premises)
    assert response["Location"] == f"/intake/reports/{report.pk}/"
    assert report.passport_number == "C01X00T47" and report.nationality == "DEU"
    assert report.mrz == f"{line1}\n{line2}" and not report.is_late
    assert report.created_by.username == "wisma_kasemen" and report.channel == "form"

    receipt = client.get(f"/intake/reports/{report.pk}/receipt.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")

    check = Client().get("/intake/verify/", {"code": report.verification_code.lower()})
    text = check.content.decode()
    assert 'data-testid="verify-valid"' in text and "Wisma Kasemen Indah" in text
    for secret in ("MULLER", "HANS", "C01X00T47", "DEU", "Jerman", "Germany"):
        assert secret not in text

    leaving = timezone.localtime() - timedelta(minutes=5)
    response = client.post(
        f"/intake/reports/{report.pk}/check-out/",
        {"check_out": leaving.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.check_out is not None
    stay = Stay.objects.get(source_ref=f"accommodation:{report.verification_code}")
    assert stay.date_to == leaving.date()


def test_a_registration_names_each_problem_at_its_field(hotels):
    response = Client().post(
        "/intake/register/",
        {
            "kind": "hotel",
            "name": "Hotel Baru",
            "licence_number": "HTL-BANTEN-01",  # registered by the fixture
            "address": "Jl. Baru 1",
            "area_code": "36.73.02.1007",
            "person_in_charge": "Budi",
            "username": "hotel_banten",  # taken
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "licence_number" in errors and "username" in errors
    assert not Premises.objects.filter(name="Hotel Baru").exists()


def test_a_registration_with_differing_passwords_is_refused(db):
    response = Client().post(
        "/intake/register/",
        {
            "kind": "hotel",
            "name": "Hotel Dua",
            "licence_number": "HTL-2",
            "address": "Jl. Dua",
            "area_code": "36.73.02.1007",
            "person_in_charge": "Budi",
            "username": "hotel_dua",
            "password": PASSWORD,
            "password_again": PASSWORD + "x",
        },
    )
    assert "password_again" in response.context["form"].errors
    assert not User.objects.filter(username="hotel_dua").exists()


def test_a_rejection_needs_a_note_and_keeps_the_account_inactive(personas):
    premises = actions.register_premises(
        kind="villa",
        name="Villa Anyer",
        licence_number="VL-1",
        address="Anyer",
        area_code="36.73.02.1007",
        person_in_charge="Budi",
        username="villa_anyer",
        password=PASSWORD,
    )
    analyst = personas.client("analyst")
    response = analyst.post(f"/intake/premises/{premises.pk}/", {"decision": "reject"})
    assert response.status_code == 200 and "note" in response.context["form"].errors
    analyst.post(f"/intake/premises/{premises.pk}/", {"decision": "reject", "note": "no licence"})
    premises.refresh_from_db()
    assert premises.status == "rejected" and premises.decision_note == "no licence"
    assert not User.objects.get(username="villa_anyer").is_active


def test_approvers_see_only_registrations_in_their_scope(personas, area):
    from timpora.accounts.actions import create_user

    for licence, code in (("KS-1", "36.73.02.1007"), ("TK-1", "36.73.06.1001")):
        actions.register_premises(
            kind="kos",
            name=f"Kos {licence}",
            licence_number=licence,
            address="Jl.",
            area_code=code,
            person_in_charge="Budi",
            username=f"kos_{licence.lower().replace('-', '')}",
            password=PASSWORD,
        )
    analyst = create_user(
        username="analyst_taktakan",
        password=PASSWORD,
        role="analyst",
        agency=personas.analyst.agency,
        scope_area=area("36.73.06"),
    )
    client = Client()
    client.force_login(analyst)
    session = client.session
    session["otp_verified"] = True
    session.save()
    page = client.get("/intake/premises/").content.decode()
    assert "Kos TK-1" in page and "Kos KS-1" not in page
    kasemen = Premises.objects.get(licence_number="KS-1")
    assert client.get(f"/intake/premises/{kasemen.pk}/").status_code == 404


# ------------------------------------------------------------------------ guest reports


@pytest.mark.parametrize(("hours", "late"), [(25, True), (23, False)])
def test_a_report_more_than_24_hours_after_check_in_is_late(hotels, hours, late):
    client = reporter("hotel_banten")
    response = client.post(
        "/intake/reports/new/",
        form_data(**guest_values(check_in=wib(hours), surname="LATE", given_names="TEST")),
    )
    assert response.status_code == 302
    report = AccommodationReport.objects.get(surname="LATE")
    assert report.is_late is late
    detail = client.get(response["Location"]).content.decode()
    assert ('data-testid="late"' in detail) is late


def test_a_bad_mrz_check_digit_is_named_at_the_mrz_and_the_passport(hotels):
    line1, line2 = mrz_lines()
    broken = line2[:9] + ("0" if line2[9] != "0" else "1") + line2[10:]
    response = reporter("hotel_banten").post(
        "/intake/reports/mrz/", form_data(mrz=f"{line1}\n{broken}")
    )
    form = response.context["form"]
    # The message names the MRZ field in the page's language (Indonesian by default).
    with translation.override(response.headers["Content-Language"]):
        named = str(_("MRZ %(field)s: %(message)s")).split("%")[0] + str(
            MRZ_FIELD_LABELS["document_number"]
        )
    assert any(str(e).startswith(named) for e in form.errors["mrz"]), form.errors
    assert any(str(e).startswith(named) for e in form.errors["passport_number"])


def test_the_action_errors_land_on_the_fields_named_by_their_columns(hotels):
    response = reporter("hotel_banten").post(
        "/intake/reports/new/",
        form_data(
            **guest_values(nationality="Narnia", check_in=wib(5), check_out=wib(6)),
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Narnia" in str(errors["nationality"])
    assert "before check-in" in str(errors["check_out"])
    assert not AccommodationReport.objects.exists()


def test_an_mrz_that_differs_from_the_typed_passport_is_refused(hotels):
    line1, line2 = mrz_lines("X9999999")
    response = reporter("hotel_banten").post(
        "/intake/reports/new/", form_data(**guest_values(), mrz=f"{line1}\n{line2}")
    )
    assert response.status_code == 200
    assert "differs from passport_number" in str(response.context["form"].errors["mrz"])


def test_a_check_out_before_check_in_is_refused_at_the_field(hotels):
    report = file_report(hotels["HTL-BANTEN-01"], check_in=wib(3))
    earlier = (timezone.localtime() - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    response = reporter("hotel_banten").post(
        f"/intake/reports/{report.pk}/check-out/", {"check_out": earlier}
    )
    assert response.status_code == 200
    assert "before check-in" in str(response.context["form"].errors["check_out"])
    report.refresh_from_db()
    assert report.check_out is None


def test_the_reporter_list_is_newest_first_filtered_and_audited(hotels):
    banten = hotels["HTL-BANTEN-01"]
    old = file_report(banten, passport_number="OLD00001", check_in=wib(30))
    new = file_report(banten, passport_number="NEW00001", check_in=wib(1))
    actions.check_out(old, timezone.now(), actor=None)
    client = reporter("hotel_banten")
    rows = client.get("/intake/reports/").context["rows"]
    assert [row["report"].pk for row in rows] == [new.pk, old.pk]
    staying = client.get("/intake/reports/", {"staying": "on"}).context["rows"]
    assert [row["report"].pk for row in staying] == [new.pk]
    # 30 hours apart: always different days in WIB.
    day = timezone.localtime(new.check_in).date()
    dated = client.get("/intake/reports/", {"date_from": day.isoformat()}).context["rows"]
    assert [row["report"].pk for row in dated] == [new.pk]
    until = client.get("/intake/reports/", {"date_to": str(day - timedelta(days=1))})
    assert [row["report"].pk for row in until.context["rows"]] == [old.pk]
    assert audited("intake.accommodationreport", [new.pk, old.pk])


# -------------------------------------------------------------------- reporter isolation


def test_one_hotel_cannot_see_open_or_change_another_hotels_reports(hotels):
    theirs = file_report(hotels["HTL-TAKTAKAN-01"], passport_number="THEIRS001")
    ours = file_report(hotels["HTL-BANTEN-01"], passport_number="OURS00001")
    client = reporter("hotel_banten")
    listed = client.get("/intake/reports/").content.decode()
    assert "OURS00001" in listed and "THEIRS001" not in listed
    assert client.get(f"/intake/reports/{ours.pk}/").status_code == 200
    assert client.get(f"/intake/reports/{theirs.pk}/").status_code == 404
    assert client.get(f"/intake/reports/{theirs.pk}/receipt.pdf").status_code == 404
    assert client.get(f"/intake/reports/{theirs.pk}/check-out/").status_code == 404
    response = client.post(
        f"/intake/reports/{theirs.pk}/check-out/",
        {"check_out": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.check_out is None
    # Office lists and exports are for team members only.
    for url in (
        "/intake/office/reports/",
        "/intake/office/reports/export/?format=csv",
        "/intake/office/employer-reports/",
        "/intake/premises/",
    ):
        assert client.get(url).status_code == 403, url
    # A hotel is no employer: the workers pages are not for it.
    assert client.get("/intake/workers/").status_code == 403


def test_a_reporter_without_premises_sees_no_report_pages(personas, hotels):
    client = personas.client("hotel")
    report = file_report(hotels["HTL-BANTEN-01"])
    for url in ("/intake/reports/", "/intake/reports/new/", f"/intake/reports/{report.pk}/"):
        assert client.get(url).status_code == 403, url


# ------------------------------------------------------------------ team members' scope


def test_police_of_kasemen_see_the_kasemen_hotel_but_not_taktakan(personas, hotels):
    kasemen = file_report(hotels["HTL-BANTEN-01"], passport_number="KASEMEN01")
    taktakan = file_report(hotels["HTL-TAKTAKAN-01"], passport_number="TAKTAKAN1")
    client = personas.client("police_kasemen")
    rows = client.get("/intake/office/reports/").context["rows"]
    assert [row["report"].pk for row in rows] == [kasemen.pk]
    assert client.get(f"/intake/reports/{kasemen.pk}/").status_code == 200
    assert client.get(f"/intake/reports/{taktakan.pk}/").status_code == 404
    # Police see identifiers masked (agency policy), the immigration office in clear.
    assert rows[0]["passport"] == "KA•••••01"
    officer_rows = personas.client("officer").get("/intake/office/reports/").context["rows"]
    assert {row["passport"] for row in officer_rows} == {"KASEMEN01", "TAKTAKAN1"}
    assert audited("intake.accommodationreport", [kasemen.pk])
    assert AuditRecord.objects.filter(
        action="view", object_type="intake.accommodationreport", object_id=str(kasemen.pk)
    ).exists()


def test_the_office_filters_by_premises_late_and_nationality(personas, hotels):
    banten, taktakan = hotels["HTL-BANTEN-01"], hotels["HTL-TAKTAKAN-01"]
    late = file_report(banten, passport_number="LATE00001", check_in=wib(30))
    on_time = file_report(banten, passport_number="ONTIME001", nationality="KOR")
    other = file_report(taktakan, passport_number="OTHER0001")
    client = personas.client("officer")

    def ids(**params):
        return {
            row["report"].pk
            for row in client.get("/intake/office/reports/", params).context["rows"]
        }

    assert ids() == {late.pk, on_time.pk, other.pk}
    assert ids(late="on") == {late.pk}
    assert ids(nationality="Korea Selatan") == {on_time.pk}
    assert ids(premises=str(taktakan.pk)) == {other.pk}
    response = client.get("/intake/office/reports/", {"nationality": "Narnia"})
    assert "nationality" in response.context["form"].errors and response.context["rows"] == []


# --------------------------------------------------------------------------- exports


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "@SUM(A1)"]


def _formula_reports(premises):
    for i, name in enumerate(FORMULAS):
        file_report(
            premises, full_name=name, surname="", given_names="", passport_number=f"FRM0000{i}"
        )


def test_a_csv_export_neutralises_formulas_in_guest_names(personas, hotels):
    _formula_reports(hotels["HTL-BANTEN-01"])
    response = personas.client("officer").get("/intake/office/reports/export/?format=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = {row["full_name"] for row in rows}
    assert names == {"'" + name for name in FORMULAS}
    assert AuditRecord.objects.filter(
        action="export", object_type="intake.accommodationreport"
    ).exists()


def test_an_xlsx_export_neutralises_formulas_in_guest_names(personas, hotels):
    _formula_reports(hotels["HTL-BANTEN-01"])
    response = personas.client("officer").get("/intake/office/reports/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("full_name")
    names = {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"'" + name for name in FORMULAS}
    # Nothing in the sheet is stored as a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows(min_row=2) for cell in row)


def test_an_export_holds_only_the_scope_and_masks_passports_for_police(personas, hotels):
    file_report(hotels["HTL-BANTEN-01"], passport_number="KASEMEN01")
    file_report(hotels["HTL-TAKTAKAN-01"], passport_number="TAKTAKAN1")
    response = personas.client("police_kasemen").get("/intake/office/reports/export/")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["passport_number"] for row in rows] == ["KA•••••01"]


# ------------------------------------------------------------------ employer reports


@pytest.fixture
def company(db):
    premises = actions.register_premises(
        kind="company",
        name="PT Baja Serang",
        licence_number="9120000000777",
        address="Kawasan Industri Cikande",
        area_code="36.73.02.1007",
        person_in_charge="HRD",
        username="pt_baja",
        password=PASSWORD,
    )
    return actions.decide_premises(premises, approve=True, actor=None)


def employer_data(**values: str) -> dict[str, str]:
    data = {
        "event": "start",
        "event_date": timezone.localdate().isoformat(),
        "surname": "WANG",
        "given_names": "LEI",
        "full_name": "",
        "sex": "M",
        "date_of_birth": "1985-03-14",
        "nationality": "CHN",
        "passport_number": "E12345678",
        "permit_category": "limited",
        "permit_index": "E23",
        "permit_number": "2C11AB1234",
        "permit_valid_until": "2027-06-30",
        "position": "Welding supervisor",
        "work_area_code": "36.73.06.1001",
        "work_plan_reference": "RPTKA-2026-0042",
    }
    data.update(values)
    return data


def test_a_company_reports_a_worker_and_ends_the_work(company, personas):
    client = reporter("pt_baja")
    assert client.post("/intake/workers/new/", employer_data()).status_code == 302
    start = EmployerReport.objects.get(event="start")
    assert start.kecamatan_code == "36.73.06" and start.premises == company
    workers = client.get("/intake/workers/").context["workers"]
    assert [row["report"].pk for row in workers] == [start.pk]
    # The next event starts from the worker's data.
    page = client.get(f"/intake/workers/new/?worker={start.pk}&event=end")
    assert page.context["form"].initial["passport_number"] == "E12345678"
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    ended = client.post("/intake/workers/new/", employer_data(event="end", event_date=tomorrow))
    assert ended.status_code == 302
    assert list(client.get("/intake/workers/").context["workers"]) == []
    # The work location decides who in the team sees it.
    office = personas.client("police_taktakan").get("/intake/office/employer-reports/")
    assert {row["report"].event for row in office.context["rows"]} == {"start", "end"}
    assert (
        personas.client("police_kasemen").get("/intake/office/employer-reports/").context["rows"]
        == []
    )


def test_employer_errors_land_on_their_fields_and_companies_have_no_guest_book(company):
    client = reporter("pt_baja")
    response = client.post("/intake/workers/new/", employer_data(position="", event="hired"))
    assert response.status_code == 200
    assert {"position", "event"} <= set(response.context["form"].errors)
    assert client.get("/intake/reports/").status_code == 403


def test_a_company_cannot_prefill_another_companys_worker(company, hotels):
    other = actions.register_premises(
        kind="company",
        name="PT Lain",
        licence_number="9120000000888",
        address="Cikande",
        area_code="36.73.02.1007",
        person_in_charge="HRD",
        username="pt_lain",
        password=PASSWORD,
    )
    actions.decide_premises(other, approve=True, actor=None)
    report = actions.file_employer_report(other, employer_data(), actor=None)
    response = reporter("pt_baja").get(f"/intake/workers/new/?worker={report.pk}")
    assert response.status_code == 404


def test_the_menu_and_home_lead_each_user_to_their_intake_pages(personas, hotels, company):
    anonymous = Client().get("/accounts/login/").content.decode()
    assert "/intake/register/" in anonymous and "/intake/verify/" in anonymous
    hotel = reporter("hotel_banten").get("/").content.decode()
    assert "/intake/reports/new/" in hotel and "/intake/workers/" not in hotel
    employer = reporter("pt_baja").get("/").content.decode()
    assert "/intake/workers/" in employer and "/intake/reports/new/" not in employer
    office = personas.client("police_kasemen").get("/").content.decode()
    assert "/intake/office/reports/" in office and "/intake/premises/" not in office
    assert "/intake/office/reports/" not in personas.client("auditor").get("/").content.decode()
