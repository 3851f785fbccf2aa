"""Administrative actions (TAK): the overstay fee at its boundaries, who signs, what a signed
decision still lets change, and who may not touch a decision at all."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from timpora.accounts.actions import create_agency, create_user
from timpora.accounts.choices import AgencyType, Role
from timpora.audit.models import AuditRecord
from timpora.operations import actions, rules
from timpora.operations.choices import (
    OVERSTAY_BAN_BASIS,
    OVERSTAY_DEPORTATION_BASIS,
    ActionType,
    CaseStatus,
    DecisionStatus,
    ViolationType,
)
from timpora.operations.tests import factories
from timpora.registry.status import today_in_jakarta

RATE = 1_000_000


# ------------------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    ("days", "fee", "deport"),
    [(0, None, False), (1, RATE, False), (60, 60 * RATE, False), (61, None, True)],
)
def test_it_applies_article_78_at_the_boundaries(days, fee, deport):
    on = date(2025, 3, 1)
    result = rules.assess_overstay(on - timedelta(days=days), on, RATE)
    assert (result.days, result.fee, result.deportation) == (days, fee, deport)


def test_it_counts_no_overstay_without_a_permit_date():
    assert rules.assess_overstay(None, date(2025, 3, 1), RATE).days == 0


# ------------------------------------------------------------------------------ decisions


@pytest.fixture
def running(personas):
    return factories.operation(personas.officer, members=[personas.police_kasemen])


@pytest.mark.parametrize("days", [1, 60])
@override_settings(TIMPORA_OVERSTAY_FEE_PER_DAY=RATE)
def test_it_computes_the_fee_from_overstay_days_on_the_decision_date(personas, running, days):
    person = factories.overstayer(personas.officer, days)
    _case, review = factories.decided_case(personas.officer, personas.head, person, running)
    action = actions.draft_action(
        review,
        action_type=ActionType.FEE,
        decision_number=f"FEE/{days}",
        decision_date=today_in_jakarta(),
        actor=personas.officer,
    )
    assert (action.overstay_days, action.amount) == (days, days * RATE)
    assert "Pasal 78 ayat (2)" in action.legal_basis
    # A day earlier the overstay was a day shorter: the fee follows the decision date.
    if days > 1:
        earlier = actions.update_action(
            action,
            actor=personas.officer,
            action_type=ActionType.FEE,
            decision_number=f"FEE/{days}",
            decision_date=today_in_jakarta() - timedelta(days=1),
            legal_basis=action.legal_basis,
            details="",
        )
        assert earlier.amount == (days - 1) * RATE


@override_settings(TIMPORA_OVERSTAY_FEE_PER_DAY=RATE)
def test_it_refuses_a_fee_after_sixty_one_days_and_prescribes_deportation(personas, running):
    person = factories.overstayer(personas.officer, 61)
    case, review = factories.decided_case(personas.officer, personas.head, person, running)
    with pytest.raises(ValidationError) as exc:
        actions.draft_action(
            review,
            action_type=ActionType.FEE,
            decision_date=today_in_jakarta(),
            actor=personas.officer,
        )
    assert set(exc.value.message_dict) == {"action_type"}
    assert case.actions.count() == 0
    assert actions.suggested_actions(case) == [
        (ActionType.DEPORTATION, OVERSTAY_DEPORTATION_BASIS),
        (ActionType.BAN_LIST, OVERSTAY_BAN_BASIS),
    ]
    deport = actions.draft_action(
        review,
        action_type=ActionType.DEPORTATION,
        decision_date=today_in_jakarta(),
        actor=personas.officer,
    )
    assert (deport.amount, deport.overstay_days) == (None, 61)
    assert deport.legal_basis == OVERSTAY_DEPORTATION_BASIS


def test_it_refuses_a_fee_when_the_permit_is_still_valid(personas, running):
    person = factories.overstayer(personas.officer, 0)
    _case, review = factories.decided_case(
        personas.officer, personas.head, person, running, violations=[ViolationType.OTHER]
    )
    with pytest.raises(ValidationError):
        actions.draft_action(review, action_type=ActionType.FEE, actor=personas.officer)


@pytest.fixture
def fee_decision(personas, running):
    person = factories.overstayer(personas.officer, 10)
    _case, review = factories.decided_case(personas.officer, personas.head, person, running)
    return actions.draft_action(
        review,
        action_type=ActionType.FEE,
        decision_number="W9.IMI.6/TAK/001",
        decision_date=today_in_jakarta(),
        actor=personas.officer,
    )


@pytest.mark.parametrize("persona", ["officer", "analyst", "admin", "police_kasemen"])
def test_only_the_head_of_office_signs(personas, fee_decision, persona):
    with pytest.raises(PermissionDenied):
        actions.sign_action(fee_decision, actor=getattr(personas, persona))
    fee_decision.refresh_from_db()
    assert fee_decision.status == DecisionStatus.DRAFT


def test_the_head_signs_and_the_case_is_decided(personas, fee_decision):
    signed = actions.sign_action(fee_decision, actor=personas.head)
    assert signed.status == DecisionStatus.SIGNED
    assert signed.signed_by == personas.head
    assert signed.case.status == CaseStatus.DECIDED
    assert AuditRecord.objects.filter(
        object_type="operations.administrativeaction",
        object_id=str(signed.pk),
        actor=personas.head,
    ).exists()


def test_a_decision_without_number_and_date_cannot_be_signed(personas, running):
    person = factories.overstayer(personas.officer, 5, number="NODATE01")
    _case, review = factories.decided_case(personas.officer, personas.head, person, running)
    draft = actions.draft_action(review, action_type=ActionType.FEE, actor=personas.officer)
    with pytest.raises(ValidationError) as exc:
        actions.sign_action(draft, actor=personas.head)
    assert set(exc.value.message_dict) == {"decision_number", "decision_date"}


def test_a_signed_decision_changes_only_in_its_follow_up(personas, fee_decision):
    actions.sign_action(fee_decision, actor=personas.head)
    with pytest.raises(ValidationError):
        actions.update_action(
            fee_decision,
            actor=personas.officer,
            action_type=ActionType.DEPORTATION,
            decision_number="OTHER",
            decision_date=today_in_jakarta(),
            legal_basis="",
            details="",
        )
    with pytest.raises(ValidationError):
        actions.sign_action(fee_decision, actor=personas.head)
    followed = actions.record_follow_up(
        fee_decision, actions.FollowUpInput(paid_on=today_in_jakarta()), actor=personas.officer
    )
    assert followed.action_type == ActionType.FEE and followed.paid_on == today_in_jakarta()
    assert followed.case.status == CaseStatus.CLOSED


def test_a_draft_has_no_follow_up(personas, fee_decision):
    with pytest.raises(ValidationError):
        actions.record_follow_up(
            fee_decision, actions.FollowUpInput(paid_on=today_in_jakarta()), actor=personas.officer
        )


def test_a_police_member_cannot_change_an_immigration_decision(personas, fee_decision):
    police = personas.police_kasemen
    with pytest.raises(PermissionDenied):
        actions.update_action(
            fee_decision,
            actor=police,
            action_type=ActionType.DEPORTATION,
            decision_number="X",
            decision_date=None,
            legal_basis="",
            details="",
        )
    client = personas.client("police_kasemen")
    response = client.post(
        f"/operations/decisions/{fee_decision.pk}/edit/",
        {"review": fee_decision.review_id, "action_type": ActionType.DEPORTATION},
    )
    assert response.status_code == 403
    # The police member still sees the case of Kasemen (read-only).
    assert client.get(f"/operations/cases/{fee_decision.case_id}/").status_code == 200
    fee_decision.refresh_from_db()
    assert fee_decision.action_type == ActionType.FEE


def test_a_police_officer_role_still_cannot_manage_cases(personas, fee_decision):
    """``case.manage`` is not enough: cases belong to the immigration office."""
    agency = create_agency(name="Polres uji", agency_type=AgencyType.POLICE)
    police_officer = create_user(
        username="polres_officer", password=None, role=Role.OFFICER, agency=agency
    )
    with pytest.raises(PermissionDenied):
        actions.update_case(
            fee_decision.case, violations=["other"], summary="", actor=police_officer
        )


def test_the_review_needs_an_examination_and_the_head_in_the_chair(personas, running):
    person = factories.overstayer(personas.officer, 3, number="REVIEW01")
    check = factories.check(running, personas.officer, person_obj=person)
    case = actions.open_case(actor=personas.officer, check=check, violations=["overstay"])
    with pytest.raises(ValidationError) as exc:
        actions.hold_review(
            case,
            held_on=today_in_jakarta(),
            chair=personas.officer,
            conclusion="x",
            actor=personas.officer,
        )
    assert set(exc.value.message_dict) == {"case", "chair"}


def test_a_check_opens_one_case_only(personas, running):
    person = factories.overstayer(personas.officer, 3, number="ONECASE1")
    check = factories.check(running, personas.officer, person_obj=person)
    actions.open_case(actor=personas.officer, check=check, violations=["overstay"])
    with pytest.raises(ValidationError):
        actions.open_case(actor=personas.officer, check=check, violations=["overstay"])


def test_a_case_from_an_unregistered_person_registers_them(personas, running):
    check = factories.check(
        running,
        personas.officer,
        full_name="Ahmed Unknown",
        nationality="NGA",
        observations="No passport shown.",
    )
    assert check.person is None
    case = actions.open_case(
        actor=personas.officer, check=check, violations=[ViolationType.NO_DOCUMENT]
    )
    assert case.person.full_name == "Ahmed Unknown" and case.person.nationality == "NGA"
    assert case.kelurahan_code == factories.KEL_BANTEN


def test_follow_up_dates_are_checked(personas, fee_decision):
    actions.sign_action(fee_decision, actor=personas.head)
    with pytest.raises(ValidationError) as exc:
        actions.record_follow_up(
            fee_decision,
            actions.FollowUpInput(
                paid_on=today_in_jakarta() - timedelta(days=5),
                detention_from=today_in_jakarta(),
                detention_until=today_in_jakarta() - timedelta(days=1),
            ),
            actor=personas.officer,
        )
    assert {"paid_on", "detention_until", "detention_place"} <= set(exc.value.message_dict)
