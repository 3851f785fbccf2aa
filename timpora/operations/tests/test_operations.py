"""Planning, membership and field checks (the action behind the phone page and the API)."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from timpora.accounts.actions import create_user
from timpora.accounts.choices import Role
from timpora.areas.models import Area
from timpora.audit.models import AuditRecord
from timpora.operations import actions, queries
from timpora.operations.choices import CheckChannel, CheckResult, OperationStatus
from timpora.operations.models import CheckPhoto, FieldCheck
from timpora.operations.tests import factories
from timpora.registry.models import Stay
from timpora.registry.status import today_in_jakarta


def plan_input(**changes) -> actions.OperationInput:
    today = today_in_jakarta()
    values = {
        "name": "Operasi Pesisir",
        "order_number": "PRINT/01",
        "order_date": today,
        "starts_on": today,
        "ends_on": today + timedelta(days=1),
        "area_codes": [factories.KEL_BANTEN],
    }
    values.update(changes)
    return actions.OperationInput(**values)


def test_it_plans_an_operation_under_a_written_order(personas):
    op = actions.plan_operation(plan_input(), actor=personas.officer)
    assert op.status == OperationStatus.PLANNED
    assert list(op.target_areas.values_list("code", flat=True)) == [factories.KEL_BANTEN]
    assert AuditRecord.objects.filter(
        object_type="operations.jointoperation", object_id=str(op.pk), action="create"
    ).exists()


def test_a_plan_needs_an_order_and_a_sane_period(personas):
    today = today_in_jakarta()
    with pytest.raises(ValidationError) as exc:
        actions.plan_operation(
            plan_input(order_number=" ", ends_on=today - timedelta(days=1)), actor=personas.officer
        )
    assert set(exc.value.message_dict) == {"order_number", "ends_on"}


def test_team_members_cannot_plan(personas):
    with pytest.raises(PermissionDenied):
        actions.plan_operation(plan_input(), actor=personas.police_kasemen)


def test_targets_must_lie_in_the_planners_scope(personas, area):
    """Scoped staff plan only in their area: Taktakan is not Kasemen's."""
    kasemen_officer = create_user(
        username="officer_kasemen",
        password=None,
        role=Role.OFFICER,
        agency=personas.officer.agency,
        scope_area=area("36.73.02"),
    )
    taktakan = factories.person(
        personas.officer, number="TAKTAK001", area_code=factories.KEL_TAKTAKAN
    )
    with pytest.raises(ValidationError) as exc:
        actions.plan_operation(
            plan_input(area_codes=[factories.KEL_TAKTAKAN], person_ids=[taktakan.pk]),
            actor=kasemen_officer,
        )
    assert set(exc.value.message_dict) == {"area_codes", "person_ids"}
    op = actions.plan_operation(plan_input(), actor=kasemen_officer)
    assert op.target_areas.get().code == factories.KEL_BANTEN


def test_an_operation_starts_only_with_a_team_and_never_reopens(personas):
    op = actions.plan_operation(plan_input(), actor=personas.officer)
    with pytest.raises(ValidationError):
        actions.change_status(op, OperationStatus.RUNNING, actor=personas.officer)
    actions.save_team(op, name="A", leader=personas.officer, members=[], actor=personas.officer)
    actions.change_status(op, OperationStatus.RUNNING, actor=personas.officer)
    actions.change_status(op, OperationStatus.FINISHED, actor=personas.officer)
    with pytest.raises(ValidationError):
        actions.change_status(op, OperationStatus.RUNNING, actor=personas.officer)
    with pytest.raises(ValidationError):
        actions.update_operation(op, plan_input(name="Later"), actor=personas.officer)


def test_reporters_cannot_join_a_team(personas):
    op = actions.plan_operation(plan_input(), actor=personas.officer)
    with pytest.raises(ValidationError):
        actions.save_team(
            op, name="A", leader=personas.officer, members=[personas.hotel], actor=personas.officer
        )


def test_members_see_only_their_operations(personas):
    mine = factories.operation(personas.officer, members=[personas.police_kasemen], name="Mine")
    other = factories.operation(personas.officer, members=[], name="Other")
    police = personas.police_kasemen
    assert list(queries.operations_for(police)) == [mine]
    assert set(queries.operations_for(personas.analyst)) == {mine, other}
    assert list(queries.operations_for(personas.police_taktakan)) == []
    client = personas.client("police_kasemen")
    assert client.get(f"/operations/{mine.pk}/").status_code == 200
    assert client.get(f"/operations/{other.pk}/").status_code == 404
    listing = client.get("/operations/").content.decode()
    assert "Mine" in listing and "Other" not in listing


# ------------------------------------------------------------------------------ checks


@pytest.fixture
def running(personas):
    return factories.operation(personas.officer, members=[personas.police_kasemen])


def test_a_check_is_stored_once_per_client_uuid(personas, running):
    person = factories.overstayer(personas.officer, 12, number="IDEMP0001")
    data = actions.CheckInput(
        client_uuid=str(uuid.uuid4()),
        result=CheckResult.VIOLATION,
        person_id=person.pk,
        area_code=factories.KEL_BANTEN,
        observations="Overstay.",
        photos=[factories.jpeg()],
    )
    first, created = actions.record_check(running, data, actor=personas.police_kasemen)
    again, created_again = actions.record_check(running, data, actor=personas.police_kasemen)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert FieldCheck.objects.filter(client_uuid=data.client_uuid).count() == 1
    assert CheckPhoto.objects.filter(check_record=first).count() == 1
    assert (first.permit_status, first.overstay_days) == ("expired", 12)
    # The person was seen there: a stay with source "field".
    assert Stay.objects.filter(person=person, source="field", source_ref=f"check:{first.pk}")
    # Another officer cannot reuse the UUID (no overwriting someone else's check).
    with pytest.raises(ValidationError):
        actions.record_check(running, data, actor=personas.officer)


def test_a_check_outside_the_officers_scope_is_refused(personas, running):
    with pytest.raises(ValidationError) as exc:
        factories.check(
            running,
            personas.police_kasemen,
            result=CheckResult.NOT_FOUND,
            area_code=factories.KEL_TAKTAKAN,
        )
    assert "area_code" in exc.value.message_dict


def test_the_gps_point_locates_the_kelurahan(personas, running):
    banten = Area.objects.get(code=factories.KEL_BANTEN)
    check = factories.check(
        running,
        personas.police_kasemen,
        result=CheckResult.NOT_FOUND,
        area_code="",
        lon=banten.centroid_lon,
        lat=banten.centroid_lat,
    )
    assert check.kelurahan_code == factories.KEL_BANTEN


def test_only_members_record_checks_and_only_while_running(personas, running):
    with pytest.raises(PermissionDenied):
        factories.check(running, personas.police_taktakan, result=CheckResult.NOT_FOUND)
    actions.change_status(running, OperationStatus.FINISHED, actor=personas.officer)
    # A check made before the operation finished may still arrive from the offline queue…
    before = running.finished_at - timedelta(minutes=5)
    late = factories.check(
        running, personas.police_kasemen, result=CheckResult.NOT_FOUND, checked_at=before
    )
    assert late.pk
    # …but a new one is refused.
    with pytest.raises(ValidationError):
        factories.check(
            running, personas.police_kasemen, result=CheckResult.NOT_FOUND, checked_at=None
        )


def test_a_violation_needs_observations_and_photos_must_be_images(personas, running):
    with pytest.raises(ValidationError) as exc:
        factories.check(
            running,
            personas.officer,
            full_name="X",
            observations="",
            photos=[b"%PDF-1.4 not an image"],
        )
    assert {"observations", "photos"} <= set(exc.value.message_dict)


def test_the_mrz_fills_the_identity(personas, running):
    from timpora.lib.mrz import build_td3

    person = factories.overstayer(personas.officer, 4, number="L898902C3", nationality="DEU")
    lines = build_td3(
        issuing_state="D",
        surname="TEST",
        given_names="L898902C3",
        document_number="L898902C3",
        nationality="D",
        birth_date=None,
        sex="M",
        expiry_date=today_in_jakarta() + timedelta(days=900),
    )
    check = factories.check(
        running,
        personas.officer,
        result=CheckResult.COMPLIANT,
        mrz="\n".join(lines),
        observations="ok",
    )
    assert check.passport_number == "L898902C3"
    assert check.nationality == "DEU"
    assert check.person == person


def test_the_lookup_shows_status_and_alerts_within_scope(personas, running):
    person = factories.overstayer(personas.officer, 9, number="LOOKUP001")
    client = personas.client("police_kasemen")
    response = client.get(f"/operations/{running.pk}/check/lookup/?passport=lookup001")
    assert response.status_code == 200
    found = response.json()["candidates"]
    assert [c["id"] for c in found] == [person.pk]
    assert found[0]["permit_status"] == "expired" and found[0]["overstay_days"] == 9
    # Police see the passport number masked (identifier policy "masked").
    assert found[0]["passport"] != "LOOKUP001" and found[0]["passport"].startswith("LO")
    assert AuditRecord.objects.filter(
        actor=personas.police_kasemen, object_repr="field check lookup"
    ).exists()


def test_the_phone_endpoint_takes_json_and_answers_the_stored_check(personas, running):
    client = personas.client("police_kasemen")
    body = {
        "client_uuid": str(uuid.uuid4()),
        "result": "not_found",
        "area_code": factories.KEL_BANTEN,
        "checked_at": timezone.now().isoformat(),
        "queued": True,
        "photos": ["data:image/jpeg;base64," + base64.b64encode(factories.jpeg()).decode()],
    }
    url = f"/operations/{running.pk}/check/submit/"
    first = client.post(url, json.dumps(body), content_type="application/json")
    assert first.status_code == 201, first.content
    again = client.post(url, json.dumps(body), content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    stored = FieldCheck.objects.get(pk=first.json()["id"])
    assert stored.channel == CheckChannel.OFFLINE and stored.photos.count() == 1
    bad = client.post(
        url, json.dumps({**body, "client_uuid": "nope"}), content_type="application/json"
    )
    assert bad.status_code == 422
    # An expired session gets 401 (not a login page), so the phone keeps its queue.
    anonymous = personas.client(None).post(url, json.dumps(body), content_type="application/json")
    assert anonymous.status_code == 401


def test_the_phone_endpoint_needs_the_csrf_token(personas, running):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.police_kasemen)
    body = {"client_uuid": str(uuid.uuid4()), "result": "not_found", "area_code": "36.73.02.1007"}
    url = f"/operations/{running.pk}/check/submit/"
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 403
    page = client.get(f"/operations/{running.pk}/check/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        url, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201
