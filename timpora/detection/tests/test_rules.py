"""Each rule at its boundaries, idempotency, self-closing and decisions that stick."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command

from timpora.detection import actions
from timpora.detection.explain import explanation
from timpora.detection.models import Alert
from timpora.intake import actions as intake
from timpora.intake.models import FieldFinding
from timpora.registry import actions as registry
from timpora.registry.actions import DocumentInput, PermitInput, PersonInput, StayInput

AS_OF = date(2026, 11, 23)
_counter = {"n": 0}


def make_person(
    personas,
    *,
    valid_until: date | None,
    category="limited",
    index="E23",
    area="36.73.02.1007",
    stay_from: date | None = None,
    nationality="CHN",
    document_expiry: date | None = date(2030, 1, 1),
):
    _counter["n"] += 1
    permit = (
        PermitInput(category=category, index_code=index, valid_until=valid_until)
        if valid_until
        else None
    )
    return registry.register_person(
        PersonInput(
            surname="WANG",
            given_names=f"LEI {_counter['n']}",
            sex="M",
            nationality=nationality,
            birth_date=date(1985, 3, 14),
        ),
        actor=personas.officer,
        document=DocumentInput(
            number=f"E{_counter['n']:08d}", issuing_state=nationality, expiry_date=document_expiry
        ),
        permit=permit,
        stay=StayInput(area_code=area, date_from=stay_from or AS_OF - timedelta(days=100)),
    )


def alerts(rule: str, **filters):
    return Alert.objects.filter(rule=rule, **filters)


def run(rule: str, as_of: date = AS_OF, **kwargs):
    return actions.run_detection(as_of, rules=[rule], notify=False, **kwargs)


@pytest.mark.parametrize(
    ("valid_until", "expected"),
    [
        (AS_OF, None),  # the last valid day itself: no overstay
        (AS_OF - timedelta(days=1), ("medium", 1, 1_000_000)),
        (AS_OF - timedelta(days=60), ("medium", 60, 60_000_000)),
        (AS_OF - timedelta(days=61), ("high", 61, None)),
    ],
)
def test_overstay_at_its_boundaries(personas, valid_until, expected):
    person = make_person(personas, valid_until=valid_until)
    run("overstay")
    found = alerts("overstay", person=person).first()
    if expected is None:
        assert found is None
        return
    severity, days, fee = expected
    assert (found.severity, found.facts["days"], found.facts.get("fee")) == (severity, days, fee)
    assert found.facts["recommendation"] == ("fee" if fee else "deportation")


def test_overstay_across_a_leap_day(personas):
    person = make_person(personas, valid_until=date(2024, 2, 28))
    run("overstay", as_of=date(2024, 3, 1))
    assert alerts("overstay", person=person).get().facts["days"] == 2


def test_the_fee_rate_is_a_setting(personas, settings):
    settings.TIMPORA_OVERSTAY_FEE_PER_DAY = 250_000
    person = make_person(personas, valid_until=AS_OF - timedelta(days=4))
    run("overstay")
    assert alerts("overstay", person=person).get().facts["fee"] == 1_000_000


@pytest.mark.parametrize(("days_left", "hit"), [(0, True), (30, True), (31, False)])
def test_expiring_window(personas, days_left, hit):
    person = make_person(personas, valid_until=AS_OF + timedelta(days=days_left))
    run("expiring")
    assert alerts("expiring", person=person).exists() is hit


def test_rerunning_is_idempotent_and_updates_facts(personas):
    person = make_person(personas, valid_until=AS_OF - timedelta(days=3))
    run("overstay")
    first = alerts("overstay", person=person).get()
    [result] = run("overstay", as_of=AS_OF + timedelta(days=1))
    assert (result.raised, result.updated) == (0, 1)
    again = alerts("overstay", person=person).get()
    assert again.pk == first.pk and again.facts["days"] == 4


def test_an_alert_closes_itself_when_the_facts_no_longer_hold(personas):
    person = make_person(personas, valid_until=AS_OF - timedelta(days=3))
    run("overstay")
    permit = person.permits.get()
    registry.extend_permit(permit, AS_OF + timedelta(days=90), actor=personas.officer)
    [result] = run("overstay")
    assert result.closed == 1
    alert = alerts("overstay", person=person).get()
    assert not alert.is_open and alert.status == "resolved"
    assert "no longer hold" in alert.close_note
    assert alert.events.filter(kind="engine", to_status="resolved").exists()


def test_a_dismissed_alert_is_not_raised_again_for_the_same_facts(personas):
    person = make_person(personas, valid_until=AS_OF - timedelta(days=3))
    run("overstay")
    alert = alerts("overstay", person=person).get()
    actions.change_status(
        alert,
        "dismissed",
        actor=personas.officer,
        reason="left Indonesia on 2026-11-21 (exit stamp seen)",
    )
    run("overstay", as_of=AS_OF + timedelta(days=1))
    assert alerts("overstay", person=person).count() == 1
    # New facts (a new permit that expired too) are a new finding.
    registry.add_permit(
        person,
        PermitInput(category="limited", index_code="E23", valid_until=AS_OF),
        actor=personas.officer,
    )
    run("overstay", as_of=AS_OF + timedelta(days=5))
    assert alerts("overstay", person=person, is_open=True).count() == 1


def test_working_on_a_visit_permit(personas, hotels_and_company):
    company = hotels_and_company
    tourist = make_person(
        personas, valid_until=AS_OF + timedelta(days=20), category="visit", index="B1"
    )
    worker = make_person(personas, valid_until=AS_OF + timedelta(days=200))
    for person in (tourist, worker):
        doc = person.documents.get()
        intake.file_employer_report(
            company,
            {
                "surname": "WANG",
                "given_names": "LEI",
                "nationality": "CHN",
                "passport_number": doc.number,
                "event": "start",
                "event_date": str(AS_OF - timedelta(days=10)),
                "position": "Welder",
            },
            actor=personas.officer,
        )
    run("activity_mismatch")
    hit = alerts("activity_mismatch").get()
    assert hit.person_id == tourist.pk and hit.severity == "high"
    assert hit.facts["employer_reports"] == 1 and hit.facts["permit_index"] == "B1"


def test_a_field_finding_of_someone_working_counts(personas):
    tourist = make_person(
        personas, valid_until=AS_OF + timedelta(days=20), category="visit", index="C1"
    )
    FieldFinding.objects.create(
        officer=personas.officer,
        found_at=datetime(2026, 11, 20, 3, 0, tzinfo=None).astimezone(),
        full_name="WANG LEI",
        name_key="WANG LEI",
        nationality="CHN",
        passport_number="X",
        person=tourist,
        observation="operating a forklift",
        working=True,
        kecamatan_code="36.73.02",
        kelurahan_code="36.73.02.1007",
    )
    run("activity_mismatch")
    assert alerts("activity_mismatch", person=tourist).get().facts["field_findings"] == 1


def test_presence_without_a_permit(personas):
    nobody = make_person(personas, valid_until=None)
    expired_doc = make_person(
        personas, valid_until=AS_OF + timedelta(days=100), document_expiry=AS_OF - timedelta(days=1)
    )
    fine = make_person(personas, valid_until=AS_OF + timedelta(days=100))
    run("no_permit")
    found = {a.person_id: a.facts["missing"] for a in alerts("no_permit")}
    assert found == {nobody.pk: ["permit"], expired_doc.pk: ["document"]}
    assert fine.pk not in found


def test_frequent_moves(personas):
    person = make_person(
        personas, valid_until=AS_OF + timedelta(days=100), stay_from=AS_OF - timedelta(days=80)
    )
    for i, code in enumerate(["36.73.02.1001", "36.73.06.1001", "36.73.01.1001"]):
        registry.add_stay(
            person,
            StayInput(area_code=code, date_from=AS_OF - timedelta(days=60 - 10 * i)),
            actor=personas.officer,
        )
    run("frequent_moves")
    assert alerts("frequent_moves", person=person).get().facts["places"] == 4


def test_incremental_runs_touch_only_the_given_persons(personas):
    a = make_person(personas, valid_until=AS_OF - timedelta(days=5))
    b = make_person(personas, valid_until=AS_OF - timedelta(days=5))
    run("overstay", person_ids=[a.pk])
    assert alerts("overstay", person=a).exists() and not alerts("overstay", person=b).exists()
    run("overstay")
    registry.extend_permit(a.permits.get(), AS_OF + timedelta(days=50), actor=personas.officer)
    run("overstay", person_ids=[a.pk])
    assert not alerts("overstay", person=a, is_open=True).exists()
    assert alerts("overstay", person=b, is_open=True).exists()  # untouched


def test_explanations_name_the_facts_and_the_law(personas):
    person = make_person(personas, valid_until=AS_OF - timedelta(days=61))
    run("overstay")
    alert = alerts("overstay", person=person).get()
    english = explanation(alert.rule, alert.facts, alert.as_of, "en")
    assert "61 day(s)" in english and "Pasal 78" in english and "deportation" in english
    indonesian = explanation(alert.rule, alert.facts, alert.as_of, "id")
    assert "61" in indonesian and indonesian != english


def test_detect_command_and_alert_export(personas, tmp_path, capsys):
    make_person(personas, valid_until=AS_OF - timedelta(days=2))
    call_command("detect", "--as-of", AS_OF.isoformat(), "--no-notify")
    assert '"overstay": {"hits": 1, "raised": 1' in capsys.readouterr().out
    out = tmp_path / "alerts.csv"
    call_command("export", "alerts", "--output", str(out), "--language", "en")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "alert_id,rule,person_id,severity,status,as_of,explanation"
    assert ",overstay," in lines[1] and "2 day(s)" in lines[1]
