"""The registry's API: scope, masking, audit and writes through the actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from timpora.accounts.actions import create_agency, create_api_token, create_user
from timpora.accounts.choices import AgencyType, Role
from timpora.areas.models import Area
from timpora.audit.models import AuditRecord
from timpora.conftest import KASEMEN, KEL_BANTEN
from timpora.lib.mrz import build_td3
from timpora.registry import actions
from timpora.registry.models import (
    Employment,
    PermitExtension,
    Person,
    Stay,
    StayPermit,
    TravelDocument,
)
from timpora.registry.status import today_in_jakarta

KEL_TAKTAKAN = "36.73.06.1001"


def api_client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user)}")


def make_person(
    actor,
    *,
    area_code: str = KEL_BANTEN,
    surname: str = "WANG",
    given_names: str = "LEI",
    number: str = "E12345678",
    nationality: str = "CHN",
    valid_until: date | None = None,
    birth_date: date = date(1985, 3, 14),
    sponsor_id: int | None = None,
) -> Person:
    return actions.register_person(
        actions.PersonInput(
            surname=surname,
            given_names=given_names,
            sex="M",
            birth_date=birth_date,
            place_of_birth="Fuzhou",
            nationality=nationality,
        ),
        actor=actor,
        document=actions.DocumentInput(number=number, issuing_state=nationality),
        permit=actions.PermitInput(
            category="limited",
            index_code="E23",
            valid_until=valid_until or date(2030, 1, 31),
            sponsor_id=sponsor_id,
        ),
        stay=actions.StayInput(area_code=area_code, date_from=date(2025, 1, 1)),
    )


def make_company(actor, *, name: str = "PT Baja Serang", area_code: str = "36.73.02.1001"):
    return actions.create_sponsor(
        actor=actor, kind="company", name=name, nib="1234567890123", area_code=area_code
    )


def scoped_officer(area_code: str = KASEMEN):
    """An officer (person.change) limited to one kecamatan: no persona is both."""
    agency = create_agency(name="Imigrasi pos Kasemen", agency_type=AgencyType.IMMIGRATION)
    return create_user(
        username="officer_kasemen",
        password=None,
        role=Role.OFFICER,
        agency=agency,
        scope_area=Area.objects.get(code=area_code),
    )


def audit(action: str, **filters) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(action=action, **filters).order_by("id"))


# --------------------------------------------------------------------------- list


def test_it_lists_persons_as_count_and_items(personas):
    make_person(personas.officer)
    response = api_client(personas.officer).get("/api/v1/persons")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["full_name"] == "LEI WANG"
    assert item["nationality"] == "CHN"
    assert item["current_permit_category"] == "limited"
    assert item["current_permit_valid_until"] == "2030-01-31"
    assert item["permit_status"] == "valid"
    assert item["overstay_days"] == 0
    assert item["kelurahan_code"] == KEL_BANTEN
    assert item["kecamatan_code"] == KASEMEN
    assert item["birth_year"] == 1985
    assert item["birth_date"] == "1985-03-14"


def test_it_pages_with_limit_and_offset_and_counts_all_matches(personas):
    for i, surname in enumerate(["ABDI", "BAKER", "CHEN"]):
        make_person(personas.officer, surname=surname, number=f"P000000{i}")
    client = api_client(personas.officer)
    first = client.get("/api/v1/persons", {"limit": 2, "sort": "name"}).json()
    rest = client.get("/api/v1/persons", {"limit": 2, "offset": 2, "sort": "name"}).json()
    assert first["count"] == rest["count"] == 3
    assert [p["surname"] for p in first["items"]] == ["ABDI", "BAKER"]
    assert [p["surname"] for p in rest["items"]] == ["CHEN"]


def test_it_refuses_a_limit_above_500_naming_the_parameter(personas):
    response = api_client(personas.officer).get("/api/v1/persons", {"limit": 501})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "limit"


def test_it_filters_by_nationality_status_and_sponsor(personas):
    today = today_in_jakarta()
    company = make_company(personas.officer)
    make_person(personas.officer, surname="KIM", nationality="KOR", number="M11111111")
    make_person(
        personas.officer,
        surname="LI",
        number="E22222222",
        valid_until=today - timedelta(days=3),
        sponsor_id=company.pk,
    )
    make_person(
        personas.officer, surname="ZHANG", number="E33333333", valid_until=today + timedelta(days=5)
    )
    client = api_client(personas.officer)

    def surnames(**params):
        return [p["surname"] for p in client.get("/api/v1/persons", params).json()["items"]]

    assert surnames(nationality="Korea, Republic of") == ["KIM"]
    assert surnames(permit_status="expired") == ["LI"]
    assert surnames(permit_status="expiring") == ["ZHANG"]
    assert surnames(sponsor=company.pk) == ["LI"]
    assert surnames(sponsor="") == ["KIM", "LI", "ZHANG"]
    expired = client.get("/api/v1/persons", {"permit_status": "expired"}).json()["items"][0]
    assert expired["permit_status"] == "expired"
    assert expired["overstay_days"] == 3


def test_the_status_shown_follows_a_wider_expiring_window(personas):
    make_person(personas.officer, valid_until=today_in_jakarta() + timedelta(days=45))
    client = api_client(personas.officer)
    assert client.get("/api/v1/persons").json()["items"][0]["permit_status"] == "valid"
    wide = client.get("/api/v1/persons", {"permit_status": "expiring", "expiring_days": 60})
    assert wide.json()["items"][0]["permit_status"] == "expiring"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"nationality": "Atlantis"}, "nationality"),
        ({"permit_status": "forever"}, "permit_status"),
        ({"area": "Kasemen"}, "area"),
        ({"sort": "age"}, "sort"),
    ],
)
def test_a_bad_filter_is_a_422_naming_the_query_parameter(personas, params, field):
    response = api_client(personas.officer).get("/api/v1/persons", params)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", field]
    assert error["msg"]


def test_each_list_call_writes_one_view_record_with_filter_and_ids(personas):
    person = make_person(personas.officer)
    client = api_client(personas.officer)  # creating the token is itself audited
    before = AuditRecord.objects.count()
    client.get("/api/v1/persons", {"nationality": "CHN"})
    records = audit("view", object_type="registry.person")
    assert AuditRecord.objects.count() == before + 1
    assert records[-1].actor_username == "officer"
    assert records[-1].fields["ids"] == [person.pk]
    assert records[-1].fields["filter"]["nationality"] == "CHN"
    assert records[-1].origin["channel"] == "api"


# --------------------------------------------------------------------------- scope


def test_police_of_kasemen_neither_lists_nor_fetches_a_person_staying_only_in_taktakan(
    personas,
):
    taktakan = make_person(personas.officer, area_code=KEL_TAKTAKAN, number="T00000001")
    kasemen = make_person(personas.officer, surname="SMITH", number="K00000001")
    client = api_client(personas.police_kasemen)
    listed = client.get("/api/v1/persons").json()
    assert [p["id"] for p in listed["items"]] == [kasemen.pk]
    assert listed["count"] == 1
    assert client.get(f"/api/v1/persons/{taktakan.pk}").status_code == 404
    assert client.get(f"/api/v1/persons/{kasemen.pk}").status_code == 200


def test_a_person_who_once_stayed_in_kasemen_stays_visible_to_its_police(personas):
    person = make_person(personas.officer, area_code=KEL_TAKTAKAN)
    actions.add_stay(
        person,
        actions.StayInput(area_code=KEL_BANTEN, date_from=date(2024, 1, 1)),
        actor=personas.officer,
    )
    response = api_client(personas.police_kasemen).get(f"/api/v1/persons/{person.pk}")
    assert response.status_code == 200
    assert {s["area_code"] for s in response.json()["stays"]} == {KEL_TAKTAKAN, KEL_BANTEN}


@pytest.mark.parametrize("persona", ["hotel", "auditor", "stranger"])
def test_callers_without_person_view_get_403(personas, persona):
    person = make_person(personas.officer)
    client = api_client(getattr(personas, persona))
    assert client.get("/api/v1/persons").status_code == 403
    assert client.get(f"/api/v1/persons/{person.pk}").status_code == 403
    assert client.post("/api/v1/persons", {}, content_type="application/json").status_code == 403


def test_without_a_token_the_persons_endpoint_is_401(db):
    assert Client().get("/api/v1/persons").status_code == 401


# --------------------------------------------------------------------------- masking


def test_police_see_masked_document_numbers_and_no_full_birth_date(personas):
    person = make_person(personas.officer, number="E98765432")
    client = api_client(personas.police_kasemen)
    detail = client.get(f"/api/v1/persons/{person.pk}").json()
    assert detail["identifiers"] == "masked"
    assert detail["documents"][0]["number"] == "E9•••••32"
    assert "mrz" not in detail["documents"][0]
    assert "birth_date" not in detail
    assert "place_of_birth" not in detail
    assert detail["birth_year"] == 1985
    item = client.get("/api/v1/persons").json()["items"][0]
    assert "birth_date" not in item
    assert item["birth_year"] == 1985


def test_immigration_officers_see_identifiers_in_clear(personas):
    person = make_person(personas.officer, number="E98765432")
    detail = api_client(personas.officer).get(f"/api/v1/persons/{person.pk}").json()
    assert detail["identifiers"] == "clear"
    assert detail["documents"][0]["number"] == "E98765432"
    assert detail["birth_date"] == "1985-03-14"
    assert detail["place_of_birth"] == "Fuzhou"


def test_the_detail_carries_permits_with_status_extensions_and_sponsor(personas):
    company = make_company(personas.officer)
    person = make_person(personas.officer, sponsor_id=company.pk, valid_until=date(2020, 1, 31))
    actions.extend_permit(person.permits.get(), date(2020, 3, 1), actor=personas.officer)
    detail = api_client(personas.officer).get(f"/api/v1/persons/{person.pk}").json()
    [permit] = detail["permits"]
    assert permit["index_code"] == "E23"
    assert permit["sponsor_id"] == company.pk
    assert permit["sponsor_name"] == "PT Baja Serang"
    assert permit["valid_until"] == "2020-03-01"
    assert permit["status"] == "expired"
    assert permit["overstay_days"] == (today_in_jakarta() - date(2020, 3, 1)).days
    assert [e["previous_valid_until"] for e in permit["extensions"]] == ["2020-01-31"]
    assert detail["permit_status"] == "expired"


def test_reading_a_person_is_audited(personas):
    person = make_person(personas.officer)
    api_client(personas.police_kasemen).get(f"/api/v1/persons/{person.pk}")
    [entry] = audit("view", object_type="registry.person", object_id=str(person.pk))
    assert entry.actor_username == "police_kasemen"
    assert entry.fields == {"identifiers": "masked"}


# --------------------------------------------------------------------------- unmask


def test_unmasking_returns_clear_identifiers_and_is_audited(personas):
    person = make_person(personas.officer, number="E98765432")
    response = api_client(personas.police_kasemen).post(f"/api/v1/persons/{person.pk}/unmask")
    assert response.status_code == 200
    body = response.json()
    assert body["documents"][0]["number"] == "E98765432"
    assert body["birth_date"] == "1985-03-14"
    assert body["place_of_birth"] == "Fuzhou"
    [entry] = audit("unmask", object_id=str(person.pk))
    assert entry.actor_username == "police_kasemen"
    assert entry.origin["channel"] == "api"


def test_a_user_of_a_hidden_agency_cannot_unmask(personas):
    person = make_person(personas.officer)
    tourism = create_user(
        username="tourism",
        password=None,
        role=Role.TEAM_MEMBER,
        agency=create_agency(name="Dinas Pariwisata", agency_type=AgencyType.TOURISM),
    )
    client = api_client(tourism)
    detail = client.get(f"/api/v1/persons/{person.pk}").json()
    assert detail["identifiers"] == "hidden"
    assert detail["documents"][0]["number"] is None
    assert client.post(f"/api/v1/persons/{person.pk}/unmask").status_code == 403
    assert client.post("/api/v1/persons/999999/unmask").status_code == 403
    assert not audit("unmask")


def test_immigration_staff_have_nothing_to_unmask(personas):
    person = make_person(personas.officer)
    response = api_client(personas.officer).post(f"/api/v1/persons/{person.pk}/unmask")
    assert response.status_code == 403
    assert not audit("unmask")


def test_unmasking_a_person_outside_the_scope_is_404(personas):
    person = make_person(personas.officer, area_code=KEL_TAKTAKAN)
    response = api_client(personas.police_kasemen).post(f"/api/v1/persons/{person.pk}/unmask")
    assert response.status_code == 404
    assert not audit("unmask")


# --------------------------------------------------------------------------- writes


def test_registering_a_person_with_document_permit_and_stay(personas):
    client = api_client(personas.officer)
    response = client.post(
        "/api/v1/persons",
        {
            "surname": "Müller",
            "given_names": "Jonas",
            "sex": "M",
            "birth_date": "1990-02-01",
            "nationality": "Jerman",
            "document": {"number": "c01x00t47", "issuing_state": "D"},
            "permit": {"category": "visit", "index_code": "b1", "valid_until": "2026-05-01"},
            "stay": {"area_code": KEL_BANTEN, "date_from": "2026-04-01", "address": "Jl. Raya"},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert person.nationality == "DEU"
    assert person.kelurahan_code == KEL_BANTEN
    assert person.current_permit_valid_until == date(2026, 5, 1)
    assert body["documents"][0]["number"] == "C01X00T47"
    assert body["permits"][0]["index_code"] == "B1"
    [created] = audit("create", object_type="registry.person", object_id=str(person.pk))
    assert created.actor_username == "officer"
    assert created.origin["channel"] == "api"


def test_registering_from_an_mrz_fills_identity_and_document(personas):
    lines = build_td3(
        issuing_state="DEU",
        surname="MUELLER",
        given_names="JONAS",
        document_number="C01X00T47",
        nationality="DEU",
        birth_date=date(1990, 2, 1),
        sex="M",
        expiry_date=date(2031, 1, 31),
    )
    client = api_client(personas.officer)
    response = client.post(
        "/api/v1/persons",
        {"mrz": list(lines), "surname": "Müller", "place_of_birth": "Köln"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert (person.surname, person.given_names) == ("Müller", "JONAS")  # explicit field wins
    assert person.birth_date == date(1990, 2, 1)
    assert person.sex == "M"
    assert person.nationality == "DEU"
    assert person.place_of_birth == "Köln"
    doc = person.documents.get()
    assert (doc.number, doc.issuing_state, doc.doc_type) == ("C01X00T47", "DEU", "P")
    assert doc.expiry_date == date(2031, 1, 31)
    assert doc.mrz == "\n".join(lines)


def test_a_corrupted_mrz_is_a_422_naming_the_mrz_fields(personas):
    line1, line2 = build_td3(
        issuing_state="DEU",
        surname="MUELLER",
        given_names="JONAS",
        document_number="C01X00T47",
        nationality="DEU",
        birth_date=date(1990, 2, 1),
        sex="M",
        expiry_date=date(2031, 1, 31),
    )
    corrupted = line2[:13] + "900301" + line2[19:]  # birth date changed, check digits not
    response = api_client(personas.officer).post(
        "/api/v1/persons", {"mrz": [line1, corrupted]}, content_type="application/json"
    )
    assert response.status_code == 422
    locs = [e["loc"] for e in response.json()["detail"]]
    assert ["body", "mrz.birth_date"] in locs
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"surname": "X", "nationality": "Atlantis"}, "nationality"),
        ({"nationality": "CHN"}, "full_name"),
        (
            {
                "surname": "X",
                "nationality": "CHN",
                "permit": {"category": "visit", "index_code": "E23", "valid_until": "2026-01-01"},
            },
            "permit.index_code",
        ),
        (
            {
                "surname": "X",
                "nationality": "CHN",
                "stay": {"area_code": "36.73.99.9999", "date_from": "2026-01-01"},
            },
            "stay.area_code",
        ),
    ],
)
def test_a_rejected_registration_is_a_422_naming_the_field(personas, payload, field):
    response = api_client(personas.officer).post(
        "/api/v1/persons", payload, content_type="application/json"
    )
    assert response.status_code == 422
    assert ["body", field] in [e["loc"] for e in response.json()["detail"]]
    assert not Person.objects.exists()


def test_adding_a_document_and_a_duplicate_is_refused(personas):
    person = make_person(personas.officer, number="E11111111")
    client = api_client(personas.officer)
    url = f"/api/v1/persons/{person.pk}/documents"
    created = client.post(
        url, {"number": "E22222222", "issuing_state": "CHN"}, content_type="application/json"
    )
    assert created.status_code == 201
    assert TravelDocument.objects.filter(person=person).count() == 2
    assert audit("create", object_type="registry.traveldocument", object_id=created.json()["id"])
    again = client.post(
        url, {"number": "E22222222", "issuing_state": "CHN"}, content_type="application/json"
    )
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["body", "number"]


def test_adding_and_extending_a_permit_updates_the_person(personas):
    person = make_person(personas.officer, valid_until=date(2026, 1, 31))
    client = api_client(personas.officer)
    added = client.post(
        f"/api/v1/persons/{person.pk}/permits",
        {"category": "limited", "index_code": "E33", "valid_until": "2026-06-30"},
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    permit_id = added.json()["id"]
    extended = client.post(
        f"/api/v1/permits/{permit_id}/extensions",
        {"new_valid_until": "2027-06-30", "reference": "W.11-IMI.2/123"},
        content_type="application/json",
    )
    assert extended.status_code == 201, extended.content
    assert extended.json()["valid_until"] == "2027-06-30"
    assert extended.json()["extensions"][0]["previous_valid_until"] == "2026-06-30"
    person.refresh_from_db()
    assert person.current_permit_valid_until == date(2027, 6, 30)
    assert PermitExtension.objects.filter(permit_id=permit_id).count() == 1
    assert audit("update", object_type="registry.staypermit", object_id=str(permit_id))
    backwards = client.post(
        f"/api/v1/permits/{permit_id}/extensions",
        {"new_valid_until": "2027-01-01"},
        content_type="application/json",
    )
    assert backwards.status_code == 422
    assert backwards.json()["detail"][0]["loc"] == ["body", "new_valid_until"]


def test_a_permit_with_an_index_of_another_category_names_index_code(personas):
    person = make_person(personas.officer)
    response = api_client(personas.officer).post(
        f"/api/v1/persons/{person.pk}/permits",
        {"category": "visit", "index_code": "E23", "valid_until": "2026-06-30"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "index_code"]
    assert StayPermit.objects.filter(person=person).count() == 1


def test_adding_a_stay_moves_the_current_area(personas):
    person = make_person(personas.officer)
    response = api_client(personas.officer).post(
        f"/api/v1/persons/{person.pk}/stays",
        {"area_code": KEL_TAKTAKAN, "date_from": "2026-03-01", "source": "field"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    person.refresh_from_db()
    assert person.kecamatan_code == "36.73.06"
    assert Stay.objects.filter(person=person).count() == 2
    assert audit("create", object_type="registry.stay", object_id=str(response.json()["id"]))


def test_adding_employment_with_a_company_sponsor(personas):
    person = make_person(personas.officer)
    company = make_company(personas.officer)
    client = api_client(personas.officer)
    url = f"/api/v1/persons/{person.pk}/employments"
    response = client.post(
        url,
        {"employer_id": company.pk, "position": "Welder", "work_area_code": "36.73.02.1001"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["employer_name"] == "PT Baja Serang"
    assert Employment.objects.get(person=person).kecamatan_code == KASEMEN
    unknown = client.post(
        url, {"employer_id": 999999, "position": "Welder"}, content_type="application/json"
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "employer_id"]


def test_a_write_to_a_person_outside_the_scope_is_404(personas):
    person = make_person(personas.officer, area_code=KEL_TAKTAKAN)
    client = api_client(scoped_officer())
    response = client.post(
        f"/api/v1/persons/{person.pk}/stays",
        {"area_code": KEL_BANTEN, "date_from": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 404
    extension = client.post(
        f"/api/v1/permits/{person.permits.get().pk}/extensions",
        {"new_valid_until": "2040-01-01"},
        content_type="application/json",
    )
    assert extension.status_code == 404
    assert Stay.objects.filter(person=person).count() == 1


def test_team_members_cannot_write(personas):
    person = make_person(personas.officer)
    response = api_client(personas.police_kasemen).post(
        f"/api/v1/persons/{person.pk}/stays",
        {"area_code": KEL_BANTEN, "date_from": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 403


# --------------------------------------------------------------------------- sponsors, indices


def test_sponsors_are_listed_within_the_scope_with_masked_nik(personas):
    make_company(personas.officer, name="PT Kasemen", area_code="36.73.02.1001")
    make_company(personas.officer, name="PT Taktakan", area_code=KEL_TAKTAKAN)
    actions.create_sponsor(
        actor=personas.officer,
        kind="individual",
        name="Budi Santoso",
        nik="3673021708800001",
        area_code=KEL_BANTEN,
    )
    police = api_client(personas.police_kasemen).get("/api/v1/sponsors").json()
    assert police["count"] == 2
    assert [s["name"] for s in police["items"]] == ["Budi Santoso", "PT Kasemen"]
    assert police["items"][0]["nik"] == "36••••••••••••01"
    officer = api_client(personas.officer).get("/api/v1/sponsors", {"limit": 1}).json()
    assert officer["count"] == 3
    assert officer["items"][0]["nik"] == "3673021708800001"


def test_registering_a_sponsor_validates_the_nib(personas):
    client = api_client(personas.officer)
    bad = client.post(
        "/api/v1/sponsors",
        {"kind": "company", "name": "PT X", "nib": "12AB"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "nib"]
    good = client.post(
        "/api/v1/sponsors",
        {"kind": "company", "name": "PT X", "nib": "1234567890123", "area_code": KEL_BANTEN},
        content_type="application/json",
    )
    assert good.status_code == 201
    assert good.json()["area_code"] == KEL_BANTEN
    assert audit("create", object_type="registry.sponsor", object_id=str(good.json()["id"]))


def test_permit_indices_are_reference_data_for_every_caller(personas):
    response = api_client(personas.hotel).get("/api/v1/permit-indices")
    assert response.status_code == 200
    codes = {i["code"]: i for i in response.json()}
    assert codes["E23"]["category"] == "limited"
    assert codes["E23"]["allows_work"] is True
