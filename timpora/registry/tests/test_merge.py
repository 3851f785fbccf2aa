"""Merging two registrations of one foreigner, taking the merge back, and splitting a
person whose records belong to two: every row moves, and exactly those rows move back."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from timpora.accounts.access import can
from timpora.audit.models import AuditRecord
from timpora.detection.engine.evaluate import evaluate, merged_params
from timpora.detection.engine.rules import RULES
from timpora.detection.models import Alert
from timpora.intake import actions as intake_actions
from timpora.intake.models import AccommodationReport
from timpora.operations.models import JointOperation
from timpora.registry import actions, queries
from timpora.registry.actions import DocumentInput, PermitInput, PersonInput, StayInput
from timpora.registry.models import (
    Employment,
    Person,
    PersonMerge,
    Sponsor,
    Stay,
    StayPermit,
    TravelDocument,
)
from timpora.registry.queries import PersonFilter, search_persons

KEL_BANTEN = "36.73.02.1007"  # Kasemen
KEL_TAKTAKAN = "36.73.06.1001"
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _register(officer, full_name: str, number: str, *, valid_until: date, stay_from: date):
    return actions.register_person(
        PersonInput(full_name=full_name, nationality="SAU", sex="M", birth_date=date(1985, 3, 2)),
        actor=officer,
        document=DocumentInput(number=number, issuing_state="SAU"),
        permit=PermitInput(category="visit", index_code="B1", valid_until=valid_until),
        stay=StayInput(area_code=KEL_BANTEN, date_from=stay_from),
    )


def _hotel():
    premises = intake_actions.register_premises(
        kind="hotel",
        name="Hotel Banten Lama",
        licence_number="HTL-MERGE-01",
        address="Jl. Banten",
        area_code=KEL_BANTEN,
        person_in_charge="Penanggung Jawab",
        username="hotel_merge",
        password="a long enough password 1",
    )
    intake_actions.decide_premises(premises, approve=True, actor=None)
    return premises


def _guest_report(premises, number: str) -> AccommodationReport:
    return intake_actions.file_accommodation_report(
        premises,
        {
            "surname": "ALGHAMDI",
            "given_names": "MOHAMED",
            "sex": "M",
            "date_of_birth": "1985-03-02",
            "nationality": "SAU",
            "passport_number": number,
            "permit_category": "visit",
            "check_in": "2026-11-20 14:05",
            "check_out": "2026-11-22 11:00",
        },
        actor=None,
    )


def _alert(person: Person) -> Alert:
    now = timezone.now()
    return Alert.objects.create(
        rule="overstay",
        subject=f"person:{person.pk}",
        person=person,
        severity="high",
        facts={"valid_until": "2026-01-01", "days": 300},
        as_of=TODAY,
        first_seen=now,
        last_seen=now,
    )


def _owned(person: Person) -> dict[str, set[int]]:
    """Every row that points at the person, by model: what a merge must move."""
    owned: dict[str, set[int]] = {}
    for link in actions.person_links():
        ids = set(
            link.model._base_manager.filter(**{link.field.attname: person.pk}).values_list(
                "pk", flat=True
            )
        )
        if ids:
            owned.setdefault(link.label, set()).update(ids)
    return owned


@pytest.fixture
def twins(personas):
    """One Saudi guest registered twice: the older record (Kasemen, 2024) and a newer one
    with another passport, a job, a hotel report, an alert and an operation target."""
    officer = personas.officer
    older = _register(
        officer,
        "Muhammad Al-Ghamdi",
        "A1234567",
        valid_until=TODAY + timedelta(days=200),
        stay_from=date(2024, 1, 10),
    )
    newer = _register(
        officer,
        "Mohamed Alghamdi",
        "B7654321",
        valid_until=TODAY - timedelta(days=20),
        stay_from=date(2026, 6, 1),
    )
    company = actions.create_sponsor(
        actor=officer, kind="company", name="PT Baja", nib="1234567890123"
    )
    actions.add_employment(newer, actor=officer, employer=company, position="Welder")
    report = _guest_report(_hotel(), "B7654321")
    alert = _alert(newer)
    operation = JointOperation.objects.create(
        name="Operasi Kasemen",
        order_number="SPRIN/1/2026",
        order_date=TODAY,
        starts_on=TODAY,
        ends_on=TODAY,
        created_by=officer,
    )
    operation.target_persons.add(older, newer)
    return older, newer, report, alert, operation


def test_it_moves_every_row_of_the_absorbed_person_to_the_survivor(twins, personas):
    older, newer, report, alert, operation = twins
    assert report.person_id == newer.pk
    before_older, before_newer = _owned(older), _owned(newer)

    merge = actions.merge_persons(
        older, newer, actor=personas.analyst, reason="same passport holder"
    )

    assert _owned(newer) == {}
    after = _owned(older)
    for label, ids in before_newer.items():
        if label == "operations.jointoperation_target_persons":
            continue  # the survivor was a target already: the duplicate link was dropped
        assert ids <= after[label], label
    for label, ids in before_older.items():
        assert ids <= after[label], label
    report.refresh_from_db()
    alert.refresh_from_db()
    assert report.person_id == older.pk
    assert alert.person_id == older.pk
    assert set(operation.target_persons.values_list("pk", flat=True)) == {older.pk}
    assert Employment.objects.get().person_id == older.pk
    newer.refresh_from_db()
    assert newer.merged_into_id == older.pk
    assert merge.rows.filter(model="intake.accommodationreport").count() == 1
    assert merge.rows.filter(dropped__isnull=False).count() == 1


def test_it_recomputes_the_survivors_current_stay_and_permit(twins, personas):
    older, newer, *_ = twins
    actions.merge_persons(older, newer, actor=personas.analyst, reason="same person")
    older.refresh_from_db()
    newer.refresh_from_db()
    latest = Stay.objects.filter(person=older).order_by("-date_from", "-id").first()
    assert older.current_stay_from == latest.date_from
    assert older.kelurahan_code == latest.kelurahan_code
    assert older.current_permit_valid_until == TODAY + timedelta(days=200)
    # The tombstone has nothing current left.
    assert newer.current_permit_valid_until is None
    assert newer.kecamatan_code == ""


def test_it_restores_exactly_the_moved_rows_when_a_merge_is_undone(twins, personas):
    older, newer, *_ = twins
    before_older, before_newer = _owned(older), _owned(newer)
    merge = actions.merge_persons(older, newer, actor=personas.analyst, reason="same person")
    # A row added to the survivor after the merge stays with it.
    later = actions.add_stay(
        older, StayInput(area_code=KEL_TAKTAKAN, date_from=TODAY), actor=personas.officer
    )

    revived = actions.undo_merge(merge, actor=personas.analyst, reason="different fathers")

    assert revived.pk == newer.pk and revived.merged_into_id is None
    assert _owned(newer) == before_newer
    after_older = _owned(older)
    assert after_older.pop("registry.stay") == before_older.pop("registry.stay") | {later.pk}
    assert after_older == before_older
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undo_reason == "different fathers"
    assert PersonMerge.objects.count() == 1  # the history is kept
    newer.refresh_from_db()
    assert newer.current_permit_valid_until == TODAY - timedelta(days=20)


def test_it_writes_the_merge_and_its_undo_to_the_audit_trail(twins, personas):
    older, newer, *_ = twins
    merge = actions.merge_persons(older, newer, actor=personas.analyst, reason="same person")
    actions.undo_merge(merge, actor=personas.analyst, reason="not the same")
    entries = AuditRecord.objects.filter(object_type="registry.personmerge", object_id=merge.pk)
    assert [e.action for e in entries.order_by("id")] == ["create", "update"]
    created = entries.order_by("id").first()
    assert created.fields["absorbed"] == newer.pk
    assert created.fields["moved"]["intake.accommodationreport"] == 1


def test_it_refuses_to_merge_a_person_with_itself_or_into_a_tombstone(twins, personas):
    older, newer, *_ = twins
    with pytest.raises(ValidationError):
        actions.merge_persons(older, older, actor=personas.analyst, reason="oops")
    actions.merge_persons(older, newer, actor=personas.analyst, reason="same person")
    third = _register(
        personas.officer, "Muhammad Ghamdi", "C1111111", valid_until=TODAY, stay_from=TODAY
    )
    with pytest.raises(ValidationError):
        actions.merge_persons(newer, third, actor=personas.analyst, reason="again")
    with pytest.raises(ValidationError):
        actions.merge_persons(older, third, actor=personas.analyst, reason="")


def test_the_tombstone_is_left_out_of_search_lists_and_counts(twins, personas):
    older, newer, *_ = twins
    actions.merge_persons(older, newer, actor=personas.analyst, reason="same person")
    for user in (personas.officer, personas.police_kasemen):
        found = list(search_persons(user, PersonFilter(name="ghamdi")))
        assert found == [older]
        assert not queries.persons_for(user).filter(pk=newer.pk).exists()
        # The shortcut for an area inside the user's scope leaves tombstones out too.
        assert newer not in search_persons(user, PersonFilter(area="36.73.02"))


def _overstayed() -> set[str]:
    rule = RULES["overstay"]
    with connection.cursor() as cursor:
        hits = evaluate(cursor, connection.vendor, rule, merged_params(rule, None), TODAY)
    return {hit.subject for hit in hits}


def test_a_detection_rule_ignores_the_tombstone(twins, personas):
    older, newer, *_ = twins
    # Make the tombstone look overstayed even after the merge cleared it: the rule itself
    # must leave merged persons out.
    actions.merge_persons(older, newer, actor=personas.analyst, reason="same person")
    Person.objects.filter(pk=newer.pk).update(current_permit_valid_until=date(2026, 1, 1))
    assert f"person:{newer.pk}" not in _overstayed()
    Person.objects.filter(pk=newer.pk).update(merged_into=None)
    assert f"person:{newer.pk}" in _overstayed()


def test_it_splits_a_document_with_its_permits_into_a_new_person(twins, personas):
    older, newer, report, *_ = twins
    merge = actions.merge_persons(older, newer, actor=personas.analyst, reason="same person")
    document = TravelDocument.objects.get(number="B7654321")
    stay = Stay.objects.filter(person=older, source="accommodation").get()

    created = actions.split_person(
        older,
        record_refs=[
            ("registry.traveldocument", document.pk),
            ("registry.stay", stay.pk),
            ("intake.accommodationreport", report.pk),
        ],
        actor=personas.analyst,
        reason="two different men",
    )

    assert created.pk not in (older.pk, newer.pk)
    assert created.full_name == "MOHAMED ALGHAMDI"  # as the hotel report wrote it
    assert set(TravelDocument.objects.filter(person=created).values_list("number", flat=True)) == {
        "B7654321"
    }
    # The permit issued on that passport went with it.
    assert StayPermit.objects.filter(person=created, travel_document=document).exists()
    report.refresh_from_db()
    assert report.person_id == created.pk
    split = PersonMerge.objects.exclude(pk=merge.pk).get()
    assert (split.kind, split.survivor_id, split.absorbed_id) == ("split", older.pk, created.pk)
    created.refresh_from_db()
    assert created.kecamatan_code == "36.73.02"  # its own current stay


def test_undoing_a_split_gives_the_records_back_and_retires_the_new_person(twins, personas):
    _older, newer, report, *_ = twins
    before = _owned(newer)
    created = actions.split_person(
        newer,
        record_refs=[("intake.accommodationreport", report.pk)],
        actor=personas.analyst,
        reason="someone else",
    )
    assert _owned(created) == {"intake.accommodationreport": {report.pk}}
    split = PersonMerge.objects.get(kind="split")
    back = actions.undo_merge(split, actor=personas.analyst, reason="the same after all")
    assert back.pk == newer.pk
    assert _owned(newer) == before
    assert _owned(created) == {}
    created.refresh_from_db()
    assert created.merged_into_id == newer.pk


def test_merge_then_split_then_undo_restores_the_original_persons(twins, personas):
    older, newer, *_ = twins
    before_older, before_newer = _owned(older), _owned(newer)
    merge = actions.merge_persons(older, newer, actor=personas.analyst, reason="same person")
    actions.undo_merge(merge, actor=personas.analyst, reason="wrong")
    assert (_owned(older), _owned(newer)) == (before_older, before_newer)


def test_split_refuses_records_of_another_person(twins, personas):
    older, _newer, *_ = twins
    document = TravelDocument.objects.get(number="B7654321")
    with pytest.raises(ValidationError) as exc:
        actions.split_person(
            older,
            record_refs=[("registry.traveldocument", document.pk)],
            actor=personas.analyst,
            reason="mistake",
        )
    assert "records" in exc.value.message_dict


# --------------------------------------------------------------------------- web pages


def test_the_merged_persons_address_redirects_to_the_survivor(twins, personas):
    older, newer, *_ = twins
    actions.merge_persons(older, newer, actor=personas.analyst, reason="same person")
    client = personas.client("officer")
    response = client.get(reverse("registry:person_detail", args=[newer.pk]), follow=True)
    assert response.redirect_chain == [(reverse("registry:person_detail", args=[older.pk]), 302)]
    assert f"Person no. {newer.pk} was merged into this person" in response.content.decode()
    # Out of the survivor's scope: as for any person out of scope.
    other = personas.client("police_taktakan")
    assert other.get(reverse("registry:person_detail", args=[newer.pk])).status_code == 404


def test_the_person_page_shows_the_history_and_undoes_a_merge(twins, personas):
    older, newer, *_ = twins
    merge = actions.merge_persons(older, newer, actor=personas.analyst, reason="same passport")
    client = personas.client("analyst")
    page = client.get(reverse("registry:person_detail", args=[older.pk])).content.decode()
    assert 'data-testid="merges"' in page and "same passport" in page
    assert f'data-testid="undo-merge-{merge.pk}"' in page
    url = reverse("registry:person_merge_undo", args=[older.pk, merge.pk])
    assert client.post(url, {"reason": ""}).status_code == 302
    merge.refresh_from_db()
    assert merge.undone_at is None  # no reason, no undo
    client.post(url, {"reason": "two persons"})
    merge.refresh_from_db()
    assert merge.undone_at is not None
    newer.refresh_from_db()
    assert newer.merged_into_id is None


def test_the_split_form_moves_the_selected_records(twins, personas):
    older, _newer, report, *_ = twins
    client = personas.client("analyst")
    url = reverse("registry:person_split", args=[older.pk])
    page = client.get(url).content.decode()
    assert f'value="intake.accommodationreport:{report.pk}"' not in page  # not older's yet
    document = older.documents.get()
    assert f'value="registry.traveldocument:{document.pk}"' in page
    response = client.post(
        url, {"records": [f"registry.traveldocument:{document.pk}"], "reason": "other man"}
    )
    created = Person.objects.order_by("-pk").first()
    assert response["Location"] == reverse("registry:person_detail", args=[created.pk])
    document.refresh_from_db()
    assert document.person_id == created.pk


def test_a_police_member_can_neither_merge_nor_split(twins, personas):
    older, newer, *_ = twins
    police = personas.police_kasemen
    assert not can(police, "registry.merge")
    assert can(personas.analyst, "registry.merge") and can(personas.admin, "registry.merge")
    assert not can(personas.officer, "registry.merge")
    client = personas.client("police_kasemen")
    assert client.get(reverse("registry:person_split", args=[older.pk])).status_code == 403
    merge = actions.merge_persons(older, newer, actor=personas.analyst, reason="same person")
    url = reverse("registry:person_merge_undo", args=[older.pk, merge.pk])
    assert client.post(url, {"reason": "no"}).status_code == 403
    page = client.get(reverse("registry:person_detail", args=[older.pk])).content.decode()
    assert "undo-merge" not in page and "split-link" not in page
    with pytest.raises(PermissionDenied):
        queries.person_for(police, older.pk, perm="registry.merge")


def test_every_foreign_key_to_a_person_is_a_merge_link():
    labels = {link.label for link in actions.person_links()}
    assert {
        "registry.traveldocument",
        "registry.staypermit",
        "registry.stay",
        "registry.employment",
        "intake.accommodationreport",
        "intake.employerreport",
        "intake.fieldfinding",
        "detection.alert",
        "operations.fieldcheck",
        "operations.case",
        "operations.jointoperation_target_persons",
    } <= labels
    assert "registry.personmerge" not in labels
    assert Sponsor._meta.label_lower not in labels


def test_the_demo_seeds_one_merge_once(twins):
    from timpora.registry.demo import seed_merge

    older, *_ = twins
    Person.objects.filter(pk=older.pk).update(surname="AL-GHAMDI", given_names="MUHAMMAD")
    survivor = seed_merge()
    assert survivor == older.pk
    merge = PersonMerge.objects.get()
    assert merge.absorbed.full_name == "AL-GHAMDI, MUHAMMAD"
    assert merge.absorbed.merged_into_id == older.pk
    assert seed_merge() == survivor
    assert PersonMerge.objects.count() == 1
