"""What a detection run writes: only alerts whose findings changed.

A run raises new findings, updates open alerts whose facts, severity or key changed, closes
those no longer found and leaves the others untouched; that it confirmed them is the one
``RuleEvaluation`` row of the rule. These tests fail if unchanged alerts are rewritten, if
changed ones are not, or if the confirmation gets lost on the way (API, closing, map stamp).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.test import Client

from timpora.accounts.actions import create_api_token
from timpora.detection import actions, queries
from timpora.detection.models import Alert, RuleEvaluation
from timpora.registry import actions as registry
from timpora.registry.actions import DocumentInput, PermitInput, PersonInput, StayInput
from timpora.riskmap.indicators import data_version

AS_OF = date(2026, 11, 23)


def overstayer(personas, passport: str, *, days: int):
    """A person whose permit ended ``days`` days before ``AS_OF``."""
    return registry.register_person(
        PersonInput(surname="RUN", given_names=passport, nationality="VNM"),
        actor=personas.officer,
        document=DocumentInput(number=passport, issuing_state="VNM"),
        permit=PermitInput(category="visit", index_code="C1", valid_until=AS_OF - timedelta(days)),
        stay=StayInput(area_code="36.73.02.1007", date_from=AS_OF - timedelta(days=200)),
    )


def run(as_of: date = AS_OF, **kwargs) -> actions.RuleRun:
    [result] = actions.run_detection(as_of, rules=["overstay"], notify=False, **kwargs)
    return result


def evaluation() -> RuleEvaluation:
    return RuleEvaluation.objects.get(rule="overstay")


def alert_of(person) -> Alert:
    return Alert.objects.get(rule="overstay", person=person)


def test_it_leaves_an_unchanged_alert_as_it_is_and_confirms_it_once_per_rule(personas):
    person = overstayer(personas, "RUN000001", days=5)
    first = run()
    assert (first.hits, first.raised, first.updated) == (1, 1, 0)
    raised = alert_of(person)
    first_evaluation = evaluation()
    assert first_evaluation.as_of == AS_OF and first_evaluation.raised == 1

    again = run()
    assert (again.hits, again.raised, again.updated, again.closed) == (1, 0, 0, 0)
    row = alert_of(person)
    # The row was not written: same stamp, same facts, same as-of.
    assert (row.last_seen, row.facts, row.as_of) == (raised.last_seen, raised.facts, AS_OF)
    # The rule's evaluation was, and it is the alert's latest confirmation.
    confirmed = evaluation()
    assert confirmed.evaluated_at > first_evaluation.evaluated_at
    assert (confirmed.hits, confirmed.raised, confirmed.updated) == (1, 0, 0)
    assert confirmed.changed_at == first_evaluation.changed_at  # nothing changed
    assert queries.last_confirmed(row) == confirmed.evaluated_at > row.last_seen


def test_it_updates_an_alert_whose_facts_changed_and_only_that_one(personas):
    growing = overstayer(personas, "RUN000002", days=60)
    steady = registry.register_person(
        PersonInput(surname="RUN", given_names="STEADY", nationality="VNM"),
        actor=personas.officer,
        document=DocumentInput(number="RUN000003", issuing_state="VNM"),
        stay=StayInput(area_code="36.73.02.1007", date_from=AS_OF - timedelta(days=20)),
    )
    actions.run_detection(AS_OF, rules=["overstay", "no_permit"], notify=False)
    before = alert_of(growing)
    assert (before.severity, before.facts["days"], before.facts["fee"]) == (
        "medium",
        60,
        60_000_000,
    )
    steady_before = Alert.objects.get(rule="no_permit", person=steady)

    next_day = AS_OF + timedelta(days=1)
    overstay, no_permit = actions.run_detection(
        next_day, rules=["overstay", "no_permit"], notify=False
    )
    assert (overstay.raised, overstay.updated, overstay.closed) == (0, 1, 0)
    assert (no_permit.raised, no_permit.updated, no_permit.closed) == (0, 0, 0)
    after = alert_of(growing)
    # Day 61: a day longer, no fee any more, deportation, and a higher severity.
    assert after.pk == before.pk
    expected = {"valid_until": str(AS_OF - timedelta(60)), "days": 61}
    assert after.facts == {**expected, "recommendation": "deportation"}
    assert after.severity == "high" and after.as_of == next_day
    assert after.last_seen > before.last_seen
    steady_after = Alert.objects.get(rule="no_permit", person=steady)
    assert (steady_after.last_seen, steady_after.as_of) == (steady_before.last_seen, AS_OF)
    assert evaluation().changed_at == after.last_seen


def test_a_closed_alert_keeps_its_last_confirmation(personas):
    person = overstayer(personas, "RUN000004", days=3)
    run()
    raised = alert_of(person)
    run()
    confirmed_at = evaluation().evaluated_at
    registry.extend_permit(person.permits.get(), AS_OF + timedelta(days=30), actor=personas.officer)
    result = run()
    assert result.closed == 1
    closed = alert_of(person)
    assert not closed.is_open and closed.closed_at > confirmed_at
    # Confirmed last by the second run, not when it was raised, nor when it closed.
    assert closed.last_seen == confirmed_at > raised.last_seen
    assert queries.last_confirmed(closed) == confirmed_at
    assert evaluation().changed_at == closed.closed_at


def test_a_dismissed_alert_keeps_its_last_confirmation(personas):
    person = overstayer(personas, "RUN000005", days=3)
    run()
    run()
    confirmed_at = evaluation().evaluated_at
    alert = actions.change_status(
        alert_of(person), "dismissed", actor=personas.officer, reason="left on 2026-11-22"
    )
    run()  # a later evaluation no longer confirms a closed alert
    assert alert_of(person).last_seen == confirmed_at
    assert queries.last_confirmed(alert_of(person)) == confirmed_at == alert.last_seen


def test_an_incremental_run_moves_the_change_stamp_but_confirms_nothing_else(personas):
    known = overstayer(personas, "RUN000006", days=3)
    run()
    full = evaluation()
    newcomer = overstayer(personas, "RUN000007", days=2)
    result = run(person_ids=[newcomer.pk])
    assert (result.hits, result.raised) == (1, 1)
    after = evaluation()
    # Only the newcomer was evaluated: the rule's confirmation stays the full run's.
    assert (after.evaluated_at, after.as_of, after.hits) == (full.evaluated_at, AS_OF, 1)
    assert after.changed_at > full.changed_at
    assert queries.last_confirmed(alert_of(known)) == full.evaluated_at
    idle = run(person_ids=[newcomer.pk])
    assert (idle.raised, idle.updated, idle.closed) == (0, 0, 0)
    assert evaluation().changed_at == after.changed_at


def test_the_map_stamp_moves_when_alerts_change_and_only_then(personas):
    person = overstayer(personas, "RUN000008", days=3)
    stamps = [data_version()]
    run()  # raised
    stamps.append(data_version())
    run()  # nothing changed
    stamps.append(data_version())
    run(AS_OF + timedelta(days=1))  # a day longer: updated
    stamps.append(data_version())
    registry.extend_permit(person.permits.get(), AS_OF + timedelta(days=30), actor=personas.officer)
    run(AS_OF + timedelta(days=1))  # closed
    stamps.append(data_version())
    assert stamps[1] != stamps[0]
    assert stamps[2] == stamps[1]
    assert stamps[3] != stamps[2]
    assert stamps[4] != stamps[3]


def test_the_api_and_the_page_show_the_last_confirmation(personas):
    person = overstayer(personas, "RUN000009", days=3)
    run()
    run()
    alert = alert_of(person)
    confirmed_at = evaluation().evaluated_at
    assert confirmed_at > alert.last_seen
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(personas.officer)}")
    listed = client.get("/api/v1/alerts", {"person": person.pk}).json()["items"]
    shown = client.get(f"/api/v1/alerts/{alert.pk}").json()
    assert [item["last_seen"] for item in listed] == [shown["last_seen"]]
    # The API writes milliseconds.
    in_ms = confirmed_at.replace(microsecond=confirmed_at.microsecond // 1000 * 1000)
    assert datetime.fromisoformat(shown["last_seen"]) == in_ms
    page = personas.client("officer").get(f"/detection/alerts/{alert.pk}/")
    assert page.context["last_confirmed"] == confirmed_at
