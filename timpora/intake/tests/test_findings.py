"""Field findings: identity from the MRZ linked to the registry, place by kelurahan or GPS
inside the officer's scope, photos in private storage behind a scoped, audited view."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from timpora.accounts.actions import create_api_token
from timpora.areas.models import Area
from timpora.audit.models import AuditRecord
from timpora.conftest import KEL_BANTEN
from timpora.intake import actions
from timpora.intake.models import FieldFinding, FindingPhoto
from timpora.lib.mrz import build_td3
from timpora.registry import actions as registry_actions
from timpora.registry.models import Person, Stay, TravelDocument

KEL_TAKTAKAN = "36.73.06.1001"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def english(settings):
    """The assertions read English messages; the app speaks Indonesian by default."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Photos go to a temporary directory, never into the checkout's var/private."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    return tmp_path / "private"


def mrz_lines(number: str = "E12345678", nationality: str = "CHN") -> tuple[str, str]:
    return build_td3(
        issuing_state=nationality,
        surname="WANG",
        given_names="XIAO MING",
        document_number=number,
        nationality=nationality,
        birth_date=date(1988, 3, 14),
        sex="M",
        expiry_date=date(2031, 6, 30),
    )


def centroid(code: str) -> tuple[float, float]:
    area = Area.objects.get(code=code)
    return area.centroid_lon, area.centroid_lat


def form_data(**values) -> dict:
    data = {"observation": "Working as a welder at a workshop on Jl. Kasemen Raya."}
    data.update(values)
    return data


def test_it_records_a_finding_from_the_mrz_and_registers_the_person(personas):
    client = personas.client("officer")
    line1, line2 = mrz_lines()

    response = client.post(
        "/intake/findings/new/",
        form_data(mrz=f"{line1}\n{line2}", area_code=KEL_BANTEN, working="on"),
    )

    finding = FieldFinding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/intake/findings/{finding.pk}/"
    assert (finding.surname, finding.given_names) == ("WANG", "XIAO MING")
    assert (finding.nationality, finding.passport_number) == ("CHN", "E12345678")
    assert finding.birth_date == date(1988, 3, 14)
    assert finding.working is True
    assert finding.kelurahan_code == KEL_BANTEN
    assert finding.kecamatan_code == "36.73.02"
    document = TravelDocument.objects.get(number="E12345678")
    assert document.issuing_state == "CHN"
    assert finding.person_id == document.person_id
    stay = Stay.objects.get(person=finding.person)
    assert (stay.source, stay.source_ref) == ("field", f"field:{finding.pk}")
    assert stay.kelurahan_code == KEL_BANTEN
    assert stay.date_from == timezone.localtime(finding.found_at).date()
    assert AuditRecord.objects.filter(
        action="create", object_type="intake.fieldfinding", object_id=str(finding.pk)
    ).exists()


def test_it_links_a_finding_to_the_person_holding_the_same_passport(personas):
    person = registry_actions.register_person(
        registry_actions.PersonInput(surname="WANG", given_names="XIAO MING", nationality="CHN"),
        actor=personas.officer,
        document=registry_actions.DocumentInput(number="E12345678", issuing_state="CHN"),
    )
    line1, line2 = mrz_lines()

    finding = actions.record_field_finding(
        actions.FindingInput(
            observation="Selling goods at the market.",
            mrz=f"{line1}\n{line2}",
            area_code=KEL_BANTEN,
        ),
        actor=personas.police_kasemen,
    )

    assert finding.person_id == person.pk
    assert Person.objects.count() == 1
    person.refresh_from_db()
    assert person.kelurahan_code == KEL_BANTEN  # the field stay is the person's latest


def test_a_passport_of_another_nationality_is_another_person(personas):
    registry_actions.register_person(
        registry_actions.PersonInput(surname="WANG", nationality="TWN"),
        actor=personas.officer,
        document=registry_actions.DocumentInput(number="E12345678", issuing_state="TWN"),
    )

    finding = actions.record_field_finding(
        actions.FindingInput(
            observation="Seen at a karaoke bar.",
            surname="WANG",
            nationality="China",
            passport_number="e1234 5678",
            area_code=KEL_BANTEN,
        ),
        actor=personas.officer,
    )

    assert finding.passport_number == "E12345678"
    assert finding.person.documents.get().issuing_state == "CHN"
    assert Person.objects.count() == 2


def test_a_person_without_a_passport_is_registered_without_a_document(personas):
    finding = actions.record_field_finding(
        actions.FindingInput(
            observation="Could not show a passport.",
            full_name="Unknown Man",
            nationality="NGA",
            area_code=KEL_BANTEN,
        ),
        actor=personas.officer,
    )

    assert finding.passport_number == ""
    assert finding.person.documents.count() == 0
    assert finding.person.nationality == "NGA"


def test_it_names_the_failing_mrz_field_and_stores_nothing(personas):
    client = personas.client("officer")
    line1, line2 = mrz_lines()
    broken = line2[:19] + str((int(line2[19]) + 1) % 10) + line2[20:]  # birth-date check digit

    response = client.post(
        "/intake/findings/new/", form_data(mrz=f"{line1}\n{broken}", area_code=KEL_BANTEN)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any("date of birth" in message for message in errors["mrz"])
    assert any("date of birth" in message for message in errors["birth_date"])
    assert "nationality" not in errors and "full_name" not in errors  # the MRZ was to give them
    assert not FieldFinding.objects.exists()
    assert not Person.objects.exists()


def test_a_typed_passport_number_must_match_the_mrz(personas):
    line1, line2 = mrz_lines()
    with pytest.raises(ValidationError) as caught:
        actions.record_field_finding(
            actions.FindingInput(
                observation="Seen at the harbour.",
                mrz=f"{line1}\n{line2}",
                passport_number="E12345679",
                area_code=KEL_BANTEN,
            ),
            actor=personas.officer,
        )
    assert "E12345678" in str(caught.value.message_dict["passport_number"])


def test_read_the_mrz_fills_the_empty_fields_for_checking(personas):
    client = personas.client("police_kasemen")
    line1, line2 = mrz_lines()

    response = client.post(
        "/intake/findings/new/",
        {"mrz": f"{line1}\n{line2}", "read_mrz": "1", "given_names": "XIAOMING"},
    )

    form = response.context["form"]
    assert form["surname"].value() == "WANG"
    assert form["given_names"].value() == "XIAOMING"  # typed: kept
    assert form["passport_number"].value() == "E12345678"
    assert form["birth_date"].value() == "1988-03-14"
    assert not form.errors
    assert not FieldFinding.objects.exists()


def test_typed_identity_rejects_an_unknown_nationality_and_a_future_birth_date(personas):
    client = personas.client("officer")

    response = client.post(
        "/intake/findings/new/",
        form_data(
            surname="DOE",
            nationality="Atlantis",
            birth_date=(date.today() + timedelta(days=2)).isoformat(),
            passport_number="X1",
            area_code=KEL_BANTEN,
        ),
    )

    errors = response.context["form"].errors
    assert set(errors) >= {"nationality", "birth_date", "passport_number"}
    assert not FieldFinding.objects.exists()


# ------------------------------------------------------------------------------- place


def test_a_gps_point_in_kasemen_resolves_to_its_kelurahan(personas):
    lon, lat = centroid(KEL_BANTEN)
    client = personas.client("police_kasemen")

    response = client.post(
        "/intake/findings/new/",
        form_data(surname="LEE", nationality="KOR", lon=lon, lat=lat),
    )

    assert response.status_code == 302
    finding = FieldFinding.objects.get()
    assert finding.kelurahan_code == KEL_BANTEN
    assert (finding.lon, finding.lat) == (lon, lat)
    stay = Stay.objects.get(person=finding.person)
    assert (stay.kelurahan_code, stay.lon, stay.lat) == (KEL_BANTEN, lon, lat)


def test_a_gps_point_in_taktakan_is_refused_for_the_kasemen_police(personas):
    lon, lat = centroid(KEL_TAKTAKAN)
    client = personas.client("police_kasemen")

    response = client.post(
        "/intake/findings/new/",
        form_data(surname="LEE", nationality="KOR", lon=lon, lat=lat),
    )

    assert response.status_code == 200
    (message,) = response.context["form"].errors["lon"]
    assert "outside your area" in message
    assert KEL_TAKTAKAN in message
    assert not FieldFinding.objects.exists()
    assert not Person.objects.exists()


def test_the_kelurahan_list_holds_only_the_users_scope(personas):
    response = personas.client("police_kasemen").get("/intake/findings/new/")

    codes = [code for code, _ in response.context["form"].fields["area_code"].choices if code]
    assert KEL_BANTEN in codes
    assert all(code.startswith("36.73.02.") for code in codes)


def test_a_chosen_kelurahan_must_agree_with_the_gps_point(personas):
    lon, lat = centroid(KEL_BANTEN)
    with pytest.raises(ValidationError) as caught:
        actions.record_field_finding(
            actions.FindingInput(
                observation="Seen at the harbour.",
                surname="LEE",
                nationality="KOR",
                area_code="36.73.02.1001",
                lon=lon,
                lat=lat,
            ),
            actor=personas.officer,
        )
    assert KEL_BANTEN in str(caught.value.message_dict["area_code"])


def test_the_locate_helper_names_the_kelurahan_or_refuses(personas):
    lon, lat = centroid(KEL_BANTEN)
    url = f"/intake/findings/locate/?lon={lon}&lat={lat}"

    mine = personas.client("lurah_banten").get(url)
    other = personas.client("police_taktakan").get(url)

    assert mine.json()["code"] == KEL_BANTEN
    assert other.status_code == 404
    assert "outside your area" in other.json()["error"]


# ------------------------------------------------------------------------------ photos


def _finding_with_photo(personas, private_storage) -> tuple[FieldFinding, FindingPhoto]:
    client = personas.client("police_kasemen")
    response = client.post(
        "/intake/findings/new/",
        form_data(
            surname="LEE",
            nationality="KOR",
            area_code=KEL_BANTEN,
            photos=[
                SimpleUploadedFile("lee at the shop.png", PNG, content_type="image/png"),
                SimpleUploadedFile("second.jpg", JPEG, content_type="image/jpeg"),
            ],
        ),
    )
    assert response.status_code == 302
    finding = FieldFinding.objects.get()
    return finding, finding.photos.order_by("pk").first()


def test_photos_are_stored_privately_under_random_names(personas, private_storage):
    finding, photo = _finding_with_photo(personas, private_storage)

    names = sorted(p.image.name for p in finding.photos.all())
    assert len(names) == 2
    assert all(name.startswith("findings/") for name in names)
    assert not any("lee" in name or "second" in name for name in names)
    assert (private_storage / photo.image.name).read_bytes() == PNG


def test_photos_are_served_only_to_logged_in_users_of_the_scope(personas, private_storage):
    finding, photo = _finding_with_photo(personas, private_storage)
    url = f"/intake/findings/{finding.pk}/photos/{photo.pk}/"

    anonymous = personas.client(None).get(url)
    other_scope = personas.client("police_taktakan").get(url)
    hotel = personas.client("hotel").get(url)
    masked_colleague = personas.client("lurah_banten").get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert other_scope.status_code == 404
    assert hotel.status_code == 403
    assert masked_colleague.status_code == 403
    assert not AuditRecord.objects.filter(action="view", fields__photo=photo.pk).exists()


def test_viewing_a_photo_is_audited(personas, private_storage):
    finding, photo = _finding_with_photo(personas, private_storage)
    url = f"/intake/findings/{finding.pk}/photos/{photo.pk}/"

    own = personas.client("police_kasemen").get(url)
    office = personas.client("officer").get(url)

    assert own.status_code == 200 and office.status_code == 200
    assert b"".join(office.streaming_content) == PNG
    assert office["Content-Type"] == "image/png"
    assert "no-store" in office["Cache-Control"]
    viewers = set(
        AuditRecord.objects.filter(
            action="view", object_id=str(finding.pk), fields__photo=photo.pk
        ).values_list("actor_username", flat=True)
    )
    assert viewers == {"police_kasemen", "officer"}


def test_a_photo_of_another_finding_is_not_found(personas, private_storage):
    _, photo = _finding_with_photo(personas, private_storage)
    other = actions.record_field_finding(
        actions.FindingInput(
            observation="Another one.", surname="KIM", nationality="KOR", area_code=KEL_BANTEN
        ),
        actor=personas.police_kasemen,
    )

    response = personas.client("police_kasemen").get(
        f"/intake/findings/{other.pk}/photos/{photo.pk}/"
    )

    assert response.status_code == 404


def test_only_images_up_to_ten_megabytes_are_accepted(personas, private_storage):
    client = personas.client("officer")
    too_big = SimpleUploadedFile(
        "big.jpg", JPEG + b"\x00" * (10 * 1024 * 1024), content_type="image/jpeg"
    )
    not_an_image = SimpleUploadedFile("notes.png", b"%PDF-1.7 ...", content_type="image/png")

    response = client.post(
        "/intake/findings/new/",
        form_data(
            surname="LEE", nationality="KOR", area_code=KEL_BANTEN, photos=[too_big, not_an_image]
        ),
    )

    errors = response.context["form"].errors["photos"]
    assert any("big.jpg" in e and "10 MB" in e for e in errors)
    assert any("notes.png" in e and "image" in e for e in errors)
    assert not FieldFinding.objects.exists()
    assert not private_storage.exists() or not any(p.is_file() for p in private_storage.rglob("*"))


# ------------------------------------------------------------------------------- lists


def _finding(personas, officer: str, area_code: str, number: str) -> FieldFinding:
    return actions.record_field_finding(
        actions.FindingInput(
            observation="Seen.",
            surname="P" + number,
            nationality="CHN",
            passport_number=number,
            area_code=area_code,
        ),
        actor=getattr(personas, officer),
    )


def test_lists_show_own_findings_and_findings_in_scope(personas):
    in_banten = _finding(personas, "officer", KEL_BANTEN, "LST000001")
    in_taktakan = _finding(personas, "officer", KEL_TAKTAKAN, "LST000002")
    own = _finding(personas, "police_kasemen", KEL_BANTEN, "LST000003")

    def ids(persona: str, show: str) -> set[int]:
        response = personas.client(persona).get(f"/intake/findings/?show={show}")
        return {row["finding"].pk for row in response.context["rows"]}

    assert ids("police_kasemen", "mine") == {own.pk}
    assert ids("police_kasemen", "area") == {own.pk, in_banten.pk}
    assert ids("police_taktakan", "area") == {in_taktakan.pk}
    assert ids("officer", "mine") == {in_banten.pk, in_taktakan.pk}
    assert ids("analyst", "area") == {in_banten.pk, in_taktakan.pk, own.pk}


def test_the_detail_is_scoped_masked_and_audited(personas):
    finding = _finding(personas, "officer", KEL_BANTEN, "DTL000001")

    police = personas.client("police_kasemen").get(f"/intake/findings/{finding.pk}/")
    office = personas.client("analyst").get(f"/intake/findings/{finding.pk}/")
    outside = personas.client("police_taktakan").get(f"/intake/findings/{finding.pk}/")

    assert police.context["passport_shown"] == "DT•••••01"
    assert office.context["passport_shown"] == "DTL000001"
    assert outside.status_code == 404
    viewers = set(
        AuditRecord.objects.filter(
            action="view", object_type="intake.fieldfinding", object_id=str(finding.pk)
        ).values_list("actor_username", flat=True)
    )
    assert viewers == {"police_kasemen", "analyst"}


# --------------------------------------------------------------------------------- API


def _api(personas, persona: str):
    from django.test import Client

    token = create_api_token(getattr(personas, persona))
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_api_records_a_finding_from_mrz_lines_and_a_gps_point(personas):
    lon, lat = centroid(KEL_BANTEN)
    line1, line2 = mrz_lines()

    response = _api(personas, "police_kasemen").post(
        "/api/v1/field-findings",
        json.dumps(
            {
                "observation": "Working at a restaurant kitchen.",
                "mrz": [line1, line2],
                "lon": lon,
                "lat": lat,
                "working": True,
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kelurahan_code"] == KEL_BANTEN
    assert body["passport_number"] == "E12345678"
    finding = FieldFinding.objects.get(pk=body["id"])
    assert Stay.objects.get(person=finding.person).source == "field"
    assert AuditRecord.objects.filter(
        action="create", object_id=str(finding.pk), fields__channel="api"
    ).exists()


def test_the_api_refuses_a_point_outside_the_scope_on_the_lon_field(personas):
    lon, lat = centroid(KEL_TAKTAKAN)

    response = _api(personas, "police_kasemen").post(
        "/api/v1/field-findings",
        json.dumps(
            {"observation": "x", "surname": "LEE", "nationality": "KOR", "lon": lon, "lat": lat}
        ),
        content_type="application/json",
    )

    assert response.status_code == 422
    locs = [item["loc"] for item in response.json()["detail"]]
    assert ["body", "lon"] in locs
    assert not FieldFinding.objects.exists()


def test_the_api_lists_findings_in_scope_and_audits_it(personas):
    in_banten = _finding(personas, "officer", KEL_BANTEN, "API000001")
    _finding(personas, "officer", KEL_TAKTAKAN, "API000002")

    body = _api(personas, "police_kasemen").get("/api/v1/field-findings").json()

    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == in_banten.pk
    assert item["passport_number"] == "AP•••••01"
    assert item["birth_date"] is None
    audit = AuditRecord.objects.filter(object_repr="field finding list").latest("id")
    assert audit.fields["ids"] == [in_banten.pk]


def test_the_api_adds_photos_to_the_officers_own_finding(personas, private_storage):
    own = _finding(personas, "police_kasemen", KEL_BANTEN, "PHO000001")
    client = _api(personas, "police_kasemen")

    added = client.post(
        f"/api/v1/field-findings/{own.pk}/photos",
        {"photos": [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.jpg", JPEG)]},
    )
    refused = _api(personas, "lurah_banten").post(
        f"/api/v1/field-findings/{own.pk}/photos", {"photos": [SimpleUploadedFile("c.png", PNG)]}
    )

    assert added.status_code == 201, added.content
    assert added.json()["photos"] == 2
    assert refused.status_code == 403
    assert own.photos.count() == 2
