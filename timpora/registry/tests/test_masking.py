"""Personal identifiers on the registry's pages: masked for police and local government until
an audited unmask, never shown to "hidden" agencies, clear for the immigration office."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from timpora.accounts.choices import AgencyType, Role
from timpora.audit.models import AuditRecord
from timpora.registry.tests.test_views import (
    client_for,
    export_rows,
    make_user,
    register,
)

NUMBER = "A10293867"
MASKED = "A1•••••67"
# The signature is what the upload check reads; the rest stands in for the image.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def person(personas):
    return register(personas.officer, number=NUMBER, birth_date=date(1980, 5, 17))


@pytest.fixture
def tourism_user(db):
    """A team member of an agency whose policy is "hidden" (tourism office)."""
    return make_user("tourism", role=Role.TEAM_MEMBER, agency_type=AgencyType.TOURISM)


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def detail(client, person):
    return client.get(reverse("registry:person_detail", args=[person.pk]))


def unmask(client, person, reason: str = "field check"):
    return client.post(reverse("registry:person_unmask", args=[person.pk]), {"reason": reason})


def test_police_see_a_masked_number_and_only_the_birth_year(personas, person):
    content = detail(personas.client("police_kasemen"), person).content.decode()
    assert MASKED in content
    assert NUMBER not in content
    assert "1980" in content
    assert "1980-05-17" not in content
    assert "Hamburg" not in content  # the place of birth is an identifier too
    assert 'data-testid="unmask-form"' in content


def test_unmasking_shows_the_number_and_is_audited(personas, person):
    client = personas.client("police_kasemen")
    response = unmask(client, person, reason="joint operation 12/2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person_detail", args=[person.pk])
    content = detail(client, person).content.decode()
    assert NUMBER in content
    assert "1980-05-17" in content and "Hamburg" in content
    assert 'data-testid="unmask-form"' not in content
    record = AuditRecord.objects.get(action="unmask")
    assert (record.object_type, record.object_id) == ("registry.person", str(person.pk))
    assert record.actor_username == "police_kasemen"
    assert record.fields["reason"] == "joint operation 12/2026"


def test_an_unmask_lasts_only_for_one_person(personas, person):
    other = register(personas.officer, "Other Person", number="B20304050")
    client = personas.client("police_kasemen")
    unmask(client, person)
    assert "B20304050" not in detail(client, other).content.decode()


def test_an_unmask_expires(personas, person, settings):
    settings.TIMPORA_UNMASK_SECONDS = -1
    client = personas.client("police_kasemen")
    unmask(client, person)
    assert NUMBER not in detail(client, person).content.decode()


def test_an_unmask_outside_the_scope_is_not_found_and_not_audited(personas, person):
    response = unmask(personas.client("police_taktakan"), person)
    assert response.status_code == 404
    assert not AuditRecord.objects.filter(action="unmask").exists()


def test_a_hidden_agency_never_sees_identifiers_and_cannot_unmask(tourism_user, person):
    client = client_for(tourism_user)
    content = detail(client, person).content.decode()
    assert NUMBER not in content and MASKED not in content
    assert "1980-05-17" not in content
    assert 'data-testid="unmask-form"' not in content
    assert unmask(client, person).status_code == 403
    assert NUMBER not in detail(client, person).content.decode()
    assert not AuditRecord.objects.filter(action="unmask").exists()


def test_the_immigration_office_sees_identifiers_without_unmasking(personas, person):
    client = personas.client("officer")
    content = detail(client, person).content.decode()
    assert NUMBER in content and "1980-05-17" in content
    assert 'data-testid="unmask-form"' not in content
    # Nothing to unmask: the request is refused rather than recorded as an unmask.
    assert unmask(client, person).status_code == 403


def test_an_export_by_a_masked_agency_masks_identifiers(person):
    police_officer = make_user("polres_officer", role=Role.OFFICER, agency_type=AgencyType.POLICE)
    response = client_for(police_officer).get(reverse("registry:person_export"), {"format": "csv"})
    [row] = export_rows(response)
    assert row["documents"] == MASKED
    assert row["birth_date"] == "1980"
    assert row["place_of_birth"] == ""


def test_a_person_who_must_unmask_cannot_open_the_edit_form_first(person):
    police_officer = make_user("polres_officer", role=Role.OFFICER, agency_type=AgencyType.POLICE)
    client = client_for(police_officer)
    url = reverse("registry:person_edit", args=[person.pk])
    assert client.get(url)["Location"] == reverse("registry:person_detail", args=[person.pk])
    unmask(client, person)
    assert client.get(url).status_code == 200


def upload_photo(personas, person):
    return personas.client("officer").post(
        reverse("registry:person_edit", args=[person.pk]),
        {
            "full_name": person.full_name,
            "sex": "M",
            "birth_date": "1980-05-17",
            "birth_date_precision": "day",
            "nationality": "DEU",
            "photo": SimpleUploadedFile("hans-mueller-passport.png", PNG, "image/png"),
        },
    )


def test_the_photo_is_served_from_private_storage_only_to_those_who_see_identifiers(
    personas, person, private_storage
):
    assert upload_photo(personas, person).status_code == 302
    person.refresh_from_db()
    assert "hans" not in person.photo.name  # stored under a random name
    assert (private_storage / person.photo.name).read_bytes() == PNG
    url = reverse("registry:person_photo", args=[person.pk])
    assert f'src="{url}"' in detail(personas.client("officer"), person).content.decode()

    response = personas.client("officer").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    assert AuditRecord.objects.filter(
        action="view", object_id=str(person.pk), fields__photo=True
    ).exists()

    police = personas.client("police_kasemen")
    assert police.get(url).status_code == 403
    unmask(police, person)
    assert police.get(url).status_code == 200
    assert personas.client("police_taktakan").get(url).status_code == 404


def test_a_photo_that_is_not_an_image_is_refused(personas, person, private_storage):
    response = personas.client("officer").post(
        reverse("registry:person_edit", args=[person.pk]),
        {
            "full_name": person.full_name,
            "nationality": "DEU",
            "photo": SimpleUploadedFile("photo.png", b"<html>not an image</html>", "image/png"),
        },
    )
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    person.refresh_from_db()
    assert not person.photo
