"""The registry's web pages: scope, search, the person page, exports, entry forms with the
MRZ, sponsors and the permit indices. Data is created through the real actions."""

from __future__ import annotations

import csv
import io
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from timpora.accounts.actions import create_agency, create_user
from timpora.accounts.choices import AgencyType, Role
from timpora.audit.models import AuditRecord
from timpora.conftest import KASEMEN, KEL_BANTEN, PASSWORD
from timpora.lib.mrz import build_td3
from timpora.registry import actions
from timpora.registry.models import PermitIndex, Person, Sponsor
from timpora.registry.status import today_in_jakarta
from timpora.registry.views import CappedPaginator


@pytest.fixture(autouse=True)
def _english_pages(settings):
    """These tests read English labels; the Indonesian default is tested in core."""
    settings.LANGUAGE_CODE = "en"


KEL_KASEMEN = "36.73.02.1001"  # kelurahan Kasemen, in kecamatan Kasemen
KEL_TAKTAKAN = "36.73.06.1001"

TD3_SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)

# ------------------------------------------------------------------------------ helpers


def register(
    actor,
    full_name: str = "Hans Peter Müller",
    *,
    nationality: str = "DEU",
    number: str | None = None,
    area: str | None = KEL_BANTEN,
    valid_until: date | None = None,
    index: str = "E23",
    birth_date: date | None = date(1980, 5, 17),
    sponsor: Sponsor | None = None,
) -> Person:
    """A person with a passport, a permit (if ``valid_until``) and a stay (if ``area``)."""
    return actions.register_person(
        actions.PersonInput(
            full_name=full_name,
            nationality=nationality,
            birth_date=birth_date,
            place_of_birth="Hamburg",
            sex="M",
        ),
        actor=actor,
        document=actions.DocumentInput(number=number, issuing_state=nationality)
        if number
        else None,
        permit=actions.PermitInput(
            category=PermitIndex.objects.get(code=index).category,
            index_code=index,
            valid_until=valid_until,
            sponsor_id=sponsor.pk if sponsor else None,
        )
        if valid_until
        else None,
        stay=actions.StayInput(area_code=area, date_from=date(2025, 1, 1)) if area else None,
    )


def client_for(user) -> Client:
    """A logged-in client for a user made in the test (the personas have their own)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_verified"] = True
    session["login_at"] = time.time()
    session.save()
    return client


def make_user(username: str, *, role: str, agency_type: str, scope=None):
    agency = create_agency(name=f"Agency of {username}", agency_type=agency_type)
    return create_user(
        username=username, password=PASSWORD, role=role, agency=agency, scope_area=scope
    )


def listed(response) -> set[str]:
    return {row["person"].full_name for row in response.context["rows"]}


def person_list(client, **params):
    response = client.get(reverse("registry:person_list"), params)
    assert response.status_code == 200
    return response


def export_rows(response) -> list[dict[str, str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def officer(personas):
    return personas.officer


# -------------------------------------------------------------------------------- scope


def test_it_keeps_a_taktakan_person_from_kasemen_police(personas, officer):
    outside = register(officer, "Li Wei", nationality="CHN", area=KEL_TAKTAKAN, number="E1234567")
    inside = register(officer, "Kim Minjun", nationality="KOR", area=KEL_KASEMEN)
    client = personas.client("police_kasemen")

    assert listed(person_list(client)) == {"Kim Minjun"}
    assert client.get(reverse("registry:person_detail", args=[outside.pk])).status_code == 404
    assert client.get(reverse("registry:person_detail", args=[inside.pk])).status_code == 200
    # Not in the list searched by its passport number either.
    assert listed(person_list(client, passport_number="E1234567")) == set()


def test_it_leaves_a_taktakan_person_out_of_a_kasemen_scoped_export(officer, area):
    register(officer, "Li Wei", nationality="CHN", area=KEL_TAKTAKAN)
    register(officer, "Kim Minjun", nationality="KOR", area=KEL_KASEMEN)
    scoped = make_user(
        "imm_kasemen", role=Role.OFFICER, agency_type=AgencyType.IMMIGRATION, scope=area(KASEMEN)
    )
    response = client_for(scoped).get(reverse("registry:person_export"), {"format": "csv"})
    assert response.status_code == 200
    assert [row["full_name"] for row in export_rows(response)] == ["Kim Minjun"]


def test_it_shows_the_lurah_only_persons_who_stayed_in_the_kelurahan(personas, officer):
    register(officer, "Banten Resident", area=KEL_BANTEN)
    register(officer, "Kasemen Resident", area=KEL_KASEMEN)
    moved = register(officer, "Moved Away", area=KEL_BANTEN)
    actions.add_stay(
        moved,
        actions.StayInput(area_code=KEL_TAKTAKAN, date_from=date(2025, 6, 1)),
        actor=officer,
    )
    client = personas.client("lurah_banten")
    # A person who ever stayed in the kelurahan stays visible to its team.
    assert listed(person_list(client)) == {"Banten Resident", "Moved Away"}
    assert listed(person_list(personas.client("police_kasemen"))) == {
        "Banten Resident",
        "Kasemen Resident",
        "Moved Away",
    }


def test_it_shows_an_office_wide_officer_everyone(personas, officer):
    register(officer, "Banten Resident", area=KEL_BANTEN)
    register(officer, "Taktakan Resident", area=KEL_TAKTAKAN)
    register(officer, "Nowhere Yet", area=None)
    assert listed(person_list(personas.client("officer"))) == {
        "Banten Resident",
        "Taktakan Resident",
        "Nowhere Yet",
    }


def test_it_forbids_the_list_to_roles_without_person_view(personas):
    for name in ("hotel", "auditor", "stranger"):
        assert personas.client(name).get(reverse("registry:person_list")).status_code == 403


# ------------------------------------------------------------------------------- search


def test_it_finds_a_name_ignoring_accents_case_and_spacing(personas, officer):
    register(officer, "Hans Peter Müller")
    register(officer, "Hans Schmidt")
    found = person_list(personas.client("officer"), name="muller  HANS")
    assert listed(found) == {"Hans Peter Müller"}


def test_it_finds_a_passport_number_typed_with_spaces(personas, officer):
    register(officer, "Hans Peter Müller", number="C01X00T47")
    register(officer, "Hans Schmidt", number="C01X99T47")
    found = person_list(personas.client("officer"), passport_number="c01x 00t4 7")
    assert listed(found) == {"Hans Peter Müller"}


@pytest.mark.parametrize("value", ["DEU", "Jerman", "germany", "de"])
def test_it_finds_a_nationality_by_code_or_name(personas, officer, value):
    register(officer, "Hans Peter Müller", nationality="DEU")
    register(officer, "Li Wei", nationality="CHN")
    assert listed(person_list(personas.client("officer"), nationality=value)) == {
        "Hans Peter Müller"
    }


def test_it_shows_an_unknown_nationality_as_a_field_error(personas, officer):
    register(officer)
    response = person_list(personas.client("officer"), nationality="Atlantis")
    assert "nationality" in response.context["form"].errors
    assert response.context["rows"] == []


def test_it_finds_everything_under_a_kecamatan(personas, officer):
    register(officer, "In Banten", area=KEL_BANTEN)
    register(officer, "In Kasemen", area=KEL_KASEMEN)
    register(officer, "In Taktakan", area=KEL_TAKTAKAN)
    client = personas.client("officer")
    assert listed(person_list(client, area=KASEMEN)) == {"In Banten", "In Kasemen"}
    assert listed(person_list(client, area=KEL_BANTEN)) == {"In Banten"}


def test_it_offers_only_areas_in_the_users_scope(personas):
    form = person_list(personas.client("police_kasemen")).context["form"]
    codes = {code for code, _label in form.fields["area"].choices if code}
    assert KASEMEN in codes and KEL_BANTEN in codes
    assert not any(code.startswith("36.73.06") for code in codes)
    assert "36.73" not in codes  # an ancestor shown for context elsewhere, not searchable here


def test_it_finds_permits_expiring_within_30_days_in_kasemen(personas, officer):
    today = today_in_jakarta()
    register(officer, "Expiring Kasemen", area=KEL_KASEMEN, valid_until=today + timedelta(10))
    register(officer, "Expiring Today", area=KEL_BANTEN, valid_until=today)
    register(officer, "Expiring Taktakan", area=KEL_TAKTAKAN, valid_until=today + timedelta(10))
    register(officer, "Valid Kasemen", area=KEL_KASEMEN, valid_until=today + timedelta(60))
    register(officer, "Expired Kasemen", area=KEL_KASEMEN, valid_until=today - timedelta(3))
    register(officer, "No Permit Kasemen", area=KEL_KASEMEN)
    client = personas.client("officer")
    found = person_list(
        client, permit_status="expiring", expiring_days=30, area=KASEMEN, sort="valid_until"
    )
    assert [row["person"].full_name for row in found.context["rows"]] == [
        "Expiring Today",
        "Expiring Kasemen",
    ]
    assert listed(person_list(client, permit_status="expired", area=KASEMEN)) == {"Expired Kasemen"}
    assert listed(person_list(client, permit_status="none", area=KASEMEN)) == {"No Permit Kasemen"}


def test_it_shows_status_badges_and_overstay_days(personas, officer):
    today = today_in_jakarta()
    register(officer, "Overstayer", valid_until=today - timedelta(3))
    register(officer, "Soon", valid_until=today + timedelta(5))
    response = person_list(personas.client("officer"))
    rows = {row["person"].full_name: row for row in response.context["rows"]}
    assert rows["Overstayer"]["status"] == "expired"
    assert rows["Overstayer"]["overstay"] == 3
    assert rows["Soon"]["status"] == "expiring"
    content = response.content.decode()
    assert "badge-expired" in content and "badge-expiring" in content
    assert "overstay 3 days" in content
    assert "Banten" in content  # the current kelurahan by name
    assert "Germany" in content  # the nationality by name


def test_it_sorts_by_a_column_and_reverses_on_a_second_click(personas, officer):
    for name in ("Bravo Person", "Alpha Person", "Charlie Person"):
        register(officer, name)
    client = personas.client("officer")
    ascending = person_list(client, sort="name")
    assert [r["person"].full_name for r in ascending.context["rows"]] == [
        "Alpha Person",
        "Bravo Person",
        "Charlie Person",
    ]
    reverse_link = ascending.context["sort_links"]["name"]["url"]
    assert "sort=-name" in reverse_link
    descending = client.get(reverse("registry:person_list") + reverse_link)
    assert [r["person"].full_name for r in descending.context["rows"]] == [
        "Charlie Person",
        "Bravo Person",
        "Alpha Person",
    ]


def test_it_pages_fifty_persons_at_a_time(personas, officer):
    for n in range(51):
        register(officer, f"Person {n:02d}", birth_date=None)
    client = personas.client("officer")
    first = person_list(client)
    assert len(first.context["rows"]) == 50
    second = person_list(client, page=2)
    assert listed(second) == {"Person 50"}


def test_the_paginator_counts_no_further_than_its_cap(officer):
    for name in ("A One", "B Two", "C Three"):
        register(officer, name)
    paginator = CappedPaginator(Person.objects.order_by("id"), 1, cap=2)
    assert paginator.count == 2
    assert paginator.capped
    assert not CappedPaginator(Person.objects.order_by("id"), 1, cap=3).capped


def test_the_list_costs_the_same_queries_for_few_or_many_persons(personas, officer):
    client = personas.client("police_kasemen")

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            person_list(client)
        return len(captured)

    register(officer, "First Person", valid_until=date(2027, 1, 1))
    few = queries_for_list()
    for n in range(6):
        register(officer, f"More Person {n}", area=KEL_KASEMEN, valid_until=date(2027, 1, 1))
    assert queries_for_list() == few


def test_a_list_that_shows_persons_writes_one_audit_record(personas, officer):
    shown = register(officer, "Hans Peter Müller")
    register(officer, "Li Wei", nationality="CHN")
    before = AuditRecord.objects.filter(action="view").count()
    person_list(personas.client("police_kasemen"), nationality="DEU")
    records = list(AuditRecord.objects.filter(action="view").order_by("id")[before:])
    assert len(records) == 1
    assert records[0].object_type == "registry.person"
    assert records[0].actor_username == "police_kasemen"
    assert records[0].fields["ids"] == [shown.pk]
    assert records[0].fields["filter"]["nationality"] == "DEU"


def test_an_empty_result_writes_no_audit_record(personas, officer):
    register(officer)
    before = AuditRecord.objects.filter(action="view").count()
    person_list(personas.client("officer"), name="nobody by this name")
    assert AuditRecord.objects.filter(action="view").count() == before


# -------------------------------------------------------------------------- person page


def test_the_person_page_shows_permits_stays_employment_and_timeline(personas, officer):
    today = today_in_jakarta()
    sponsor = actions.create_sponsor(
        actor=officer, kind="company", name="PT Baja Kasemen", nib="1234567890123"
    )
    person = register(
        officer, number="C01X00T47", valid_until=today - timedelta(4), sponsor=sponsor
    )
    permit = person.permits.get()
    actions.extend_permit(permit, today + timedelta(200), actor=officer, reference="EXT-1")
    actions.add_employment(person, actor=officer, employer=sponsor, position="Welder")
    response = personas.client("officer").get(reverse("registry:person_detail", args=[person.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "C01X00T47" in content
    assert "PT Baja Kasemen" in content
    assert "EXT-1" in content
    assert "Welder" in content
    assert "Banten" in content and "Registry entry" in content
    assert "badge-valid" in content
    kinds = [event["kind"] for event in response.context["events"]]
    assert sorted(set(kinds)) == ["document", "employment", "extension", "permit", "stay"]
    record = AuditRecord.objects.filter(action="view", object_id=str(person.pk)).get()
    assert record.object_type == "registry.person"
    assert record.actor_username == "officer"


def test_the_person_page_shows_the_overstay_of_an_expired_permit(personas, officer):
    person = register(officer, valid_until=today_in_jakarta() - timedelta(12))
    response = personas.client("officer").get(reverse("registry:person_detail", args=[person.pk]))
    assert response.context["permits"][0]["overstay"] == 12
    assert "overstay 12 days" in response.content.decode()


# ------------------------------------------------------------------------------- export


def test_it_exports_the_filtered_list_as_csv(personas, officer):
    today = today_in_jakarta()
    register(officer, "Hans Peter Müller", number="C01X00T47", valid_until=today + timedelta(90))
    register(officer, "Li Wei", nationality="CHN", number="E1234567")
    response = personas.client("officer").get(
        reverse("registry:person_export"), {"format": "csv", "nationality": "Jerman"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    [row] = export_rows(response)
    assert row["full_name"] == "Hans Peter Müller"
    assert row["documents"] == "C01X00T47"
    assert row["birth_date"] == "1980-05-17"
    assert row["nationality"] == "DEU"
    assert row["permit_category"] == "limited"
    assert row["permit_valid_until"] == (today + timedelta(90)).isoformat()
    assert row["permit_status"] == "valid"
    assert row["area_code"] == KEL_BANTEN
    assert row["area_name"] == "Banten"


def test_it_exports_xlsx_that_reads_back(personas, officer):
    register(officer, "Hans Peter Müller", number="C01X00T47")
    register(officer, "Nguyễn Văn An", nationality="VNM")
    response = personas.client("officer").get(reverse("registry:person_export"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    names = {row[header.index("full_name")] for row in rows[1:]}
    assert names == {"Hans Peter Müller", "Nguyễn Văn An"}


def test_an_export_defuses_formulas(personas, officer):
    register(officer, "=cmd|' /C calc'!A0")
    client = personas.client("officer")
    [row] = export_rows(client.get(reverse("registry:person_export"), {"format": "csv"}))
    assert row["full_name"] == "'=cmd|' /C calc'!A0"
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("registry:person_export"), {"format": "xlsx"}).content)
    ).active
    assert sheet.cell(row=2, column=2).value == "'=cmd|' /C calc'!A0"


def test_an_export_is_audited_with_its_filter_and_row_count(personas, officer):
    register(officer, "Hans Peter Müller")
    register(officer, "Li Wei", nationality="CHN")
    personas.client("officer").get(
        reverse("registry:person_export"), {"format": "xlsx", "nationality": "CHN"}
    )
    record = AuditRecord.objects.get(action="export", object_type="registry.person")
    assert record.fields["rows"] == 1
    assert record.fields["format"] == "xlsx"
    assert record.fields["filter"]["nationality"] == "CHN"


@pytest.mark.parametrize("persona", ["police_kasemen", "lurah_banten", "hotel", "auditor"])
def test_roles_without_person_export_cannot_export(personas, persona):
    response = personas.client(persona).get(reverse("registry:person_export"), {"format": "csv"})
    assert response.status_code == 403


def test_an_export_over_the_limit_is_refused_with_a_message(personas, officer, settings):
    settings.TIMPORA_EXPORT_MAX_ROWS = 1
    register(officer, "One Person")
    register(officer, "Two Person")
    client = personas.client("officer")
    response = client.get(reverse("registry:person_export"), {"format": "csv", "sort": "name"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("registry:person_list"))
    assert "sort=name" in response["Location"]
    page = client.get(response["Location"])
    assert "more than 1 persons" in page.content.decode()
    assert not AuditRecord.objects.filter(action="export").exists()


# ------------------------------------------------------------------- create and the MRZ


def person_form_data(**overrides) -> dict[str, str]:
    data = {
        "surname": "",
        "given_names": "",
        "full_name": "",
        "sex": "",
        "birth_date": "",
        "birth_date_precision": "day",
        "place_of_birth": "",
        "nationality": "",
        "document_type": "P",
        "document_number": "",
        "document_issuing_state": "",
        "stay_source": "registry",
        "mrz": "",
    }
    return {**data, **overrides}


def test_the_icao_specimen_fills_the_form(personas):
    response = personas.client("officer").post(
        reverse("registry:mrz_parse"), person_form_data(mrz=TD3_SPECIMEN)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["surname"].value() == "ERIKSSON"
    assert form["given_names"].value() == "ANNA MARIA"
    assert form["document_number"].value() == "L898902C3"
    assert form["birth_date"].value() == "1974-08-12"
    assert form["sex"].value() == "F"
    assert form["document_expiry_date"].value() == "2012-04-15"
    assert form["nationality"].value() == "UTO"
    assert not form.errors
    content = response.content.decode()
    assert 'value="ERIKSSON"' in content
    # htmx swaps this fragment into the page: the form body, not a whole page.
    assert content.lstrip().startswith('<div id="entry-form-body">')


def test_a_corrupted_check_digit_names_the_mrz_field(personas):
    corrupted = TD3_SPECIMEN.replace("L898902C36", "L898902C37")
    response = personas.client("officer").post(
        reverse("registry:mrz_parse"), person_form_data(mrz=corrupted)
    )
    form = response.context["form"]
    assert "document number" in form.errors["document_number"][0]
    assert any("document number" in message for message in form.errors["mrz"])
    assert form["surname"].value() == ""  # nothing filled from a zone that does not check out


def german_mrz() -> str:
    return "\n".join(
        build_td3(
            issuing_state="D",
            surname="Müller",
            given_names="Hans Peter",
            document_number="C01X00T47",
            nationality="D",
            birth_date=date(1980, 5, 17),
            sex="M",
            expiry_date=date(2031, 3, 1),
        )
    )


def test_without_javascript_the_mrz_fills_the_form_then_a_second_submit_saves(personas):
    client = personas.client("officer")
    url = reverse("registry:person_create")
    data = person_form_data(
        mrz=german_mrz(), stay_area_code=KEL_BANTEN, stay_date_from="2026-01-05"
    )
    first = client.post(url, data)
    assert first.status_code == 200
    assert not Person.objects.exists()
    form = first.context["form"]
    assert form["surname"].value() == "MULLER"
    assert form["nationality"].value() == "DEU"
    assert form["document_issuing_state"].value() == "DEU"
    assert "Filled from the MRZ" in first.content.decode()

    second = client.post(url, {name: form[name].value() or "" for name in form.fields})
    person = Person.objects.get()
    assert second.status_code == 302
    assert second["Location"] == reverse("registry:person_detail", args=[person.pk])
    assert person.full_name == "HANS PETER MULLER"
    assert person.birth_date == date(1980, 5, 17)
    document = person.documents.get()
    assert (document.number, document.issuing_state) == ("C01X00T47", "DEU")
    assert document.mrz.splitlines()[1].startswith("C01X00T47")
    assert person.kelurahan_code == KEL_BANTEN


def test_a_number_typed_differently_from_the_mrz_is_refused(personas):
    data = person_form_data(
        mrz=german_mrz(),
        surname="MULLER",
        given_names="HANS PETER",
        sex="M",
        birth_date="1980-05-17",
        nationality="DEU",
        document_number="C01X00T48",
        document_issuing_state="DEU",
        document_expiry_date="2031-03-01",
    )
    response = personas.client("officer").post(reverse("registry:person_create"), data)
    assert "C01X00T47" in response.context["form"].errors["document_number"][0]
    assert not Person.objects.exists()


def test_action_errors_land_on_the_form_fields(personas, officer):
    register(officer, number="C01X00T47")
    client = personas.client("officer")
    url = reverse("registry:person_create")
    base = person_form_data(full_name="Someone Else", nationality="DEU")
    duplicate = client.post(url, {**base, "document_number": "C01X 00T47"})
    assert "already registered" in duplicate.context["form"].errors["document_number"][0]
    wrong_index = client.post(
        url,
        {
            **base,
            "permit_index": PermitIndex.objects.get(code="C1").pk,
            "permit_category": "limited",
            "permit_valid_until": "2026-12-31",
        },
    )
    # C1 is a visit index, not a limited-stay one: the message lands on the index select.
    assert "C1" in wrong_index.context["form"].errors["permit_index"][0]
    assert Person.objects.count() == 1


def test_team_members_cannot_register_persons(personas):
    response = personas.client("police_kasemen").post(
        reverse("registry:person_create"), person_form_data(full_name="X", nationality="DEU")
    )
    assert response.status_code == 403
    assert not Person.objects.exists()


# ------------------------------------------------------------------ the smaller forms


def test_an_officer_edits_a_person(personas, officer):
    person = register(officer)
    url = reverse("registry:person_edit", args=[person.pk])
    client = personas.client("officer")
    assert client.get(url).context["form"]["place_of_birth"].value() == "Hamburg"
    response = client.post(
        url,
        {
            "full_name": "Hans Peter Mueller",
            "sex": "M",
            "birth_date": "1980-05-17",
            "birth_date_precision": "day",
            "place_of_birth": "Bremen",
            "nationality": "Jerman",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.place_of_birth) == ("Hans Peter Mueller", "Bremen")
    assert AuditRecord.objects.filter(action="update", object_id=str(person.pk)).exists()


def test_a_permit_takes_its_category_from_the_index(personas, officer):
    person = register(officer)
    sponsor = actions.create_sponsor(
        actor=officer, kind="company", name="PT Sponsor", nib="1234567890123"
    )
    response = personas.client("officer").post(
        reverse("registry:permit_add", args=[person.pk]),
        {
            "permit_index": PermitIndex.objects.get(code="E23").pk,
            "permit_valid_until": "2027-06-30",
            "permit_sponsor": sponsor.pk,
            "permit_number": "2C21AB0001",
        },
    )
    assert response.status_code == 302
    permit = person.permits.get()
    assert (permit.category, permit.sponsor, permit.index.code) == ("limited", sponsor, "E23")
    person.refresh_from_db()
    assert person.current_permit_valid_until == date(2027, 6, 30)


def test_an_extension_before_the_current_end_is_refused_on_its_field(personas, officer):
    person = register(officer, valid_until=date(2026, 12, 31))
    permit = person.permits.get()
    url = reverse("registry:permit_extend", args=[person.pk, permit.pk])
    client = personas.client("officer")
    refused = client.post(url, {"new_valid_until": "2026-06-30"})
    assert "new_valid_until" in refused.context["form"].errors
    accepted = client.post(url, {"new_valid_until": "2027-12-31", "reference": "EXT-9"})
    assert accepted.status_code == 302
    permit.refresh_from_db()
    assert permit.valid_until == date(2027, 12, 31)
    assert permit.extensions.get().reference == "EXT-9"


def test_a_permit_of_another_person_cannot_be_extended_through_this_one(personas, officer):
    person = register(officer)
    other = register(officer, "Other Person", valid_until=date(2026, 12, 31))
    url = reverse("registry:permit_extend", args=[person.pk, other.permits.get().pk])
    assert personas.client("officer").get(url).status_code == 404


def test_a_stay_moves_the_current_area(personas, officer):
    person = register(officer, area=KEL_BANTEN)
    response = personas.client("officer").post(
        reverse("registry:stay_add", args=[person.pk]),
        {
            "stay_area_code": KEL_TAKTAKAN,
            "stay_date_from": "2026-02-01",
            "stay_source": "field",
            "stay_address": "Jl. Raya Taktakan 1",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.kelurahan_code == KEL_TAKTAKAN


def test_a_document_is_added_from_its_mrz(personas, officer):
    person = register(officer)
    client = personas.client("officer")
    url = reverse("registry:document_add", args=[person.pk])
    filled = client.post(url, {"mrz": german_mrz(), "document_type": "P"})
    form = filled.context["form"]
    assert form["document_number"].value() == "C01X00T47"
    saved = client.post(url, {name: form[name].value() or "" for name in form.fields})
    assert saved.status_code == 302
    assert person.documents.get().number == "C01X00T47"


def test_employment_needs_a_company_and_a_position(personas, officer):
    person = register(officer)
    company = actions.create_sponsor(
        actor=officer, kind="company", name="PT Kerja", nib="1234567890123"
    )
    url = reverse("registry:employment_add", args=[person.pk])
    client = personas.client("officer")
    missing = client.post(url, {"employer": company.pk})
    assert "position" in missing.context["form"].errors
    client.post(url, {"employer": company.pk, "position": "Engineer", "start_date": "2026-01-01"})
    assert person.employments.get().position == "Engineer"


# ----------------------------------------------------------------------------- sponsors


def test_a_company_sponsor_needs_a_13_digit_nib(personas):
    client = personas.client("officer")
    url = reverse("registry:sponsor_create")
    refused = client.post(url, {"kind": "company", "name": "PT Tanpa NIB", "nib": "12345"})
    assert "nib" in refused.context["form"].errors
    created = client.post(url, {"kind": "company", "name": "PT Ada NIB", "nib": "1234567890123"})
    sponsor = Sponsor.objects.get(name="PT Ada NIB")
    assert created["Location"] == reverse("registry:sponsor_detail", args=[sponsor.pk])


def test_an_individual_sponsor_needs_a_valid_nik(personas):
    client = personas.client("officer")
    url = reverse("registry:sponsor_create")
    refused = client.post(url, {"kind": "individual", "name": "Budi", "nik": "3673020000000000"})
    assert "nik" in refused.context["form"].errors
    client.post(url, {"kind": "individual", "name": "Budi", "nik": "3673 0217 0885 0001"})
    assert Sponsor.objects.get(name="Budi").nik == "3673021708850001"


def test_sponsor_counts_and_persons_follow_the_users_scope(personas, officer):
    sponsor = actions.create_sponsor(
        actor=officer, kind="company", name="PT Dua Wilayah", nib="1234567890123", area_code=KASEMEN
    )
    valid = date(2027, 1, 1)
    register(officer, "Sponsored Kasemen", area=KEL_KASEMEN, valid_until=valid, sponsor=sponsor)
    register(officer, "Sponsored Taktakan", area=KEL_TAKTAKAN, valid_until=valid, sponsor=sponsor)
    office = personas.client("officer").get(reverse("registry:sponsor_list"))
    assert [(s.name, s.sponsored_count) for s in office.context["page"]] == [("PT Dua Wilayah", 2)]
    police = personas.client("police_kasemen")
    assert [
        s.sponsored_count for s in police.get(reverse("registry:sponsor_list")).context["page"]
    ] == [1]
    detail = police.get(reverse("registry:sponsor_detail", args=[sponsor.pk]))
    assert listed(detail) == {"Sponsored Kasemen"}
    record = AuditRecord.objects.filter(action="view", actor_username="police_kasemen").get()
    assert len(record.fields["ids"]) == 1
    # A sponsor registered in Kasemen is outside Taktakan's police scope.
    taktakan = personas.client("police_taktakan")
    assert taktakan.get(reverse("registry:sponsor_detail", args=[sponsor.pk])).status_code == 404


# ------------------------------------------------------------------------ permit indices


def test_an_administrator_edits_and_adds_permit_indices(personas):
    client = personas.client("admin")
    edited = client.post(
        reverse("registry:permitindex_edit", args=["C7"]),
        {"code": "XX", "name": "Seni dan budaya", "category": "visit", "max_stay_days": 60},
    )
    assert edited.status_code == 302
    index = PermitIndex.objects.get(code="C7")  # the code is not renamed
    assert (index.name, index.active) == ("Seni dan budaya", False)
    assert not PermitIndex.objects.filter(code="XX").exists()
    client.post(
        reverse("registry:permitindex_create"),
        {"code": "e35", "name": "ITAS baru", "category": "limited", "active": "on"},
    )
    assert PermitIndex.objects.get(code="E35").active
    duplicate = client.post(
        reverse("registry:permitindex_create"),
        {"code": "E23", "name": "Again", "category": "limited"},
    )
    assert "code" in duplicate.context["form"].errors
    assert PermitIndex.objects.get(code="E23").name != "Again"


def test_inactive_indices_are_not_offered_for_new_permits(personas, officer):
    actions.save_permit_index(
        actor=officer, code="C2", name="Retired", category="visit", active=False
    )
    person = register(officer)
    form = personas.client("officer").get(reverse("registry:permit_add", args=[person.pk]))
    codes = {index.code for index in form.context["form"].fields["permit_index"].queryset}
    assert "C2" not in codes and "E23" in codes
