"""The registry's writes: validation that names fields, history, derived columns, audit."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from timpora.audit.models import AuditRecord
from timpora.conftest import KASEMEN, KEL_BANTEN
from timpora.registry import actions
from timpora.registry.models import PermitExtension, Person, Sponsor, Stay, StayPermit

KEL_TAKTAKAN = "36.73.06.1001"


def person_input(**overrides) -> actions.PersonInput:
    values = {
        "surname": "NGUYEN",
        "given_names": "VAN AN",
        "sex": "M",
        "birth_date": date(1988, 7, 4),
        "nationality": "VNM",
    }
    return actions.PersonInput(**{**values, **overrides})


def register(actor, **kwargs) -> Person:
    return actions.register_person(kwargs.pop("data", person_input()), actor=actor, **kwargs)


def error_fields(raised: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(raised.value.message_dict)


def audit_for(obj, action: str) -> list[AuditRecord]:
    return list(
        AuditRecord.objects.filter(
            action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
        )
    )


# --------------------------------------------------------------------------- validation


def test_an_unknown_nationality_is_named(personas):
    with pytest.raises(ValidationError) as raised:
        register(personas.officer, data=person_input(nationality="Atlantis"))
    assert error_fields(raised) == {"nationality"}
    assert not Person.objects.exists()


def test_an_unknown_area_code_is_named(personas):
    with pytest.raises(ValidationError) as raised:
        register(
            personas.officer,
            stay=actions.StayInput(area_code="36.73.02.9999", date_from=date(2026, 1, 1)),
        )
    assert error_fields(raised) == {"stay.area_code"}
    assert "36.73.02.9999" in raised.value.message_dict["stay.area_code"][0]


def test_a_document_registered_to_someone_else_is_refused(personas):
    document = actions.DocumentInput(number="C 1234-5678", issuing_state="VNM")
    register(personas.officer, document=document)
    with pytest.raises(ValidationError) as raised:
        register(
            personas.officer,
            data=person_input(surname="TRAN"),
            document=actions.DocumentInput(number="c12345678", issuing_state="Vietnam"),
        )
    assert error_fields(raised) == {"document.number"}
    assert Person.objects.count() == 1


def test_valid_until_before_the_issue_date_is_named(personas):
    permit = actions.PermitInput(
        category="visit", valid_until=date(2026, 1, 1), issue_date=date(2026, 2, 1)
    )
    with pytest.raises(ValidationError) as raised:
        register(personas.officer, permit=permit)
    assert error_fields(raised) == {"permit.valid_until"}


def test_an_index_of_another_category_is_named(personas):
    permit = actions.PermitInput(category="visit", index_code="E23", valid_until=date(2026, 1, 1))
    with pytest.raises(ValidationError) as raised:
        register(personas.officer, permit=permit)
    assert error_fields(raised) == {"permit.index"}
    assert "limited" in raised.value.message_dict["permit.index"][0]


def test_one_submission_reports_all_its_problems(personas):
    with pytest.raises(ValidationError) as raised:
        register(
            personas.officer,
            data=person_input(nationality="Atlantis", sex="Q"),
            document=actions.DocumentInput(number="X1", issuing_state="VNM"),
            stay=actions.StayInput(area_code="", date_from=date(2026, 1, 1)),
        )
    assert error_fields(raised) == {"nationality", "sex", "document.number", "stay.area_code"}


@pytest.mark.parametrize(
    "nik",
    [
        "367302170880000",  # 15 digits
        "9973021708800001",  # no province 99
        "3673023213800001",  # month 13
        "3673021708800000",  # serial 0000
    ],
)
def test_an_individual_sponsor_needs_a_valid_nik(personas, nik):
    with pytest.raises(ValidationError) as raised:
        actions.create_sponsor(
            actor=personas.officer, kind="individual", name="Budi Santoso", nik=nik
        )
    assert error_fields(raised) == {"nik"}
    assert not Sponsor.objects.exists()


@pytest.mark.parametrize("nib", ["123456789012", "12345678901234", "12345678901AB"])
def test_a_company_nib_has_exactly_13_digits(personas, nib):
    with pytest.raises(ValidationError) as raised:
        actions.create_sponsor(actor=personas.officer, kind="company", name="PT X", nib=nib)
    assert error_fields(raised) == {"nib"}


def test_a_sponsor_with_valid_identifiers_is_created_and_audited(personas):
    citizen = actions.create_sponsor(
        actor=personas.officer,
        kind="individual",
        name="Siti Aminah",
        nik="3673 0257 0880 0001",  # women: day + 40
        area_code=KEL_BANTEN,
    )
    assert citizen.nik == "3673025708800001"
    assert (citizen.kecamatan_code, citizen.kelurahan_code) == (KASEMEN, KEL_BANTEN)
    assert audit_for(citizen, "create")


# --------------------------------------------------------------------------- history, columns


def test_extending_keeps_the_history_and_moves_the_current_valid_until(personas):
    person = register(
        personas.officer,
        permit=actions.PermitInput(
            category="limited", index_code="E23", valid_until=date(2026, 3, 31)
        ),
    )
    permit = person.permits.get()
    actions.extend_permit(permit, date(2027, 3, 31), actor=personas.officer, reference="EXT-1")
    actions.extend_permit(permit, date(2028, 3, 31), actor=personas.officer, reference="EXT-2")
    history = list(
        PermitExtension.objects.filter(permit=permit).values_list(
            "previous_valid_until", "new_valid_until", "reference"
        )
    )
    assert history == [
        (date(2026, 3, 31), date(2027, 3, 31), "EXT-1"),
        (date(2027, 3, 31), date(2028, 3, 31), "EXT-2"),
    ]
    permit.refresh_from_db()
    person.refresh_from_db()
    assert permit.valid_until == date(2028, 3, 31)
    assert person.current_permit_valid_until == date(2028, 3, 31)
    assert person.current_permit_category == "limited"
    updates = audit_for(permit, "update")
    assert [r.fields["valid_until"] for r in updates] == [
        ["2027-03-31", "2028-03-31"],
        ["2026-03-31", "2027-03-31"],
    ]


def test_an_extension_must_end_after_the_current_date(personas):
    person = register(
        personas.officer,
        permit=actions.PermitInput(category="visit", valid_until=date(2026, 3, 31)),
    )
    with pytest.raises(ValidationError) as raised:
        actions.extend_permit(person.permits.get(), date(2026, 3, 31), actor=personas.officer)
    assert error_fields(raised) == {"new_valid_until"}
    assert not PermitExtension.objects.exists()


def test_adding_a_stay_moves_the_current_area_to_the_latest_stay(personas):
    person = register(
        personas.officer,
        stay=actions.StayInput(area_code=KEL_BANTEN, date_from=date(2025, 1, 1)),
    )
    assert person.kelurahan_code == KEL_BANTEN
    new = actions.add_stay(
        person,
        actions.StayInput(area_code=KEL_TAKTAKAN, date_from=date(2026, 2, 1)),
        actor=personas.officer,
    )
    person.refresh_from_db()
    assert (person.province_code, person.kabkota_code) == ("36", "36.73")
    assert (person.kecamatan_code, person.kelurahan_code) == ("36.73.06", KEL_TAKTAKAN)
    # An older stay learned later does not move the current area back.
    actions.add_stay(
        person,
        actions.StayInput(area_code=KEL_BANTEN, date_from=date(2024, 6, 1)),
        actor=personas.officer,
    )
    person.refresh_from_db()
    assert person.kelurahan_code == KEL_TAKTAKAN
    assert audit_for(new, "create")[0].fields["area"] == KEL_TAKTAKAN


def test_each_write_leaves_an_audit_record(personas):
    officer = personas.officer
    person = register(officer)
    doc = actions.add_document(
        person, actions.DocumentInput(number="C7654321", issuing_state="VNM"), actor=officer
    )
    permit = actions.add_permit(
        person, actions.PermitInput(category="visit", valid_until=date(2026, 5, 1)), actor=officer
    )
    stay = actions.add_stay(
        person, actions.StayInput(area_code=KEL_BANTEN, date_from=date(2026, 4, 1)), actor=officer
    )
    company = actions.create_sponsor(
        actor=officer, kind="company", name="PT Krakatau", nib="1234567890123"
    )
    job = actions.add_employment(person, actor=officer, employer=company, position="Engineer")
    actions.extend_permit(permit, date(2026, 6, 1), actor=officer)
    actions.update_person(person, person_input(place_of_birth="Hanoi"), actor=officer)
    for obj, action in [
        (person, "create"),
        (doc, "create"),
        (permit, "create"),
        (stay, "create"),
        (company, "create"),
        (job, "create"),
        (permit, "update"),
        (person, "update"),
    ]:
        [entry] = audit_for(obj, action)
        assert entry.actor_username == "officer", (obj, action)
    assert audit_for(person, "update")[0].fields["place_of_birth"] == ["", "Hanoi"]


def test_a_failed_write_leaves_no_audit_record(personas):
    before = AuditRecord.objects.count()
    with pytest.raises(ValidationError):
        register(personas.officer, data=person_input(nationality="Atlantis"))
    assert AuditRecord.objects.count() == before


def test_employment_needs_a_company_and_a_position(personas):
    person = register(personas.officer)
    citizen = actions.create_sponsor(
        actor=personas.officer, kind="individual", name="Budi", nik="3673021708800001"
    )
    with pytest.raises(ValidationError) as raised:
        actions.add_employment(person, actor=personas.officer, employer=citizen, position=" ")
    assert error_fields(raised) == {"employer", "position"}


# --------------------------------------------------------------------------- refresh_current


def test_refresh_current_recomputes_many_persons_in_one_statement(
    personas, django_assert_num_queries
):
    persons = []
    for i in range(12):
        person = register(
            personas.officer,
            data=person_input(surname=f"P{i}"),
            permit=actions.PermitInput(category="visit", valid_until=date(2026, 1, 1 + i)),
            stay=actions.StayInput(
                area_code=KEL_TAKTAKAN if i % 2 else KEL_BANTEN, date_from=date(2025, 1, 1)
            ),
        )
        persons.append(person)
    ids = [p.pk for p in persons]
    # Stale columns, as after a bulk import that wrote stays and permits directly.
    Person.objects.filter(pk__in=ids).update(
        kelurahan_code="", kecamatan_code="", current_permit_valid_until=None
    )
    with django_assert_num_queries(2):  # the ids, then one UPDATE for all of them
        assert actions.refresh_current(Person.objects.filter(pk__in=ids)) == 12
    refreshed = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    for i, pk in enumerate(ids):
        assert refreshed[pk].kelurahan_code == (KEL_TAKTAKAN if i % 2 else KEL_BANTEN)
        assert refreshed[pk].current_permit_valid_until == date(2026, 1, 1 + i)


def test_refresh_current_without_argument_covers_everyone_and_clears_what_is_gone(personas):
    person = register(
        personas.officer,
        permit=actions.PermitInput(category="visit", valid_until=date(2026, 1, 1)),
        stay=actions.StayInput(area_code=KEL_BANTEN, date_from=date(2025, 1, 1)),
    )
    other = register(personas.officer, data=person_input(surname="LE"))
    StayPermit.objects.filter(person=person).delete()
    Stay.objects.filter(person=person).delete()
    assert actions.refresh_current() >= 2
    person.refresh_from_db()
    other.refresh_from_db()
    assert person.kelurahan_code == ""
    assert person.current_permit_valid_until is None
    assert person.current_permit_category == ""
    assert other.current_permit_valid_until is None


def test_refresh_current_of_an_empty_set_does_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):  # .none() never reaches the database
        assert actions.refresh_current(Person.objects.none()) == 0
