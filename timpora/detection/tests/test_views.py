"""The alert pages: scope, the workflow, assignment within scope, comments, audit, export,
rule settings and the "run detection now" button."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from timpora.audit.models import AuditRecord
from timpora.detection import actions
from timpora.detection.explain import explanation
from timpora.detection.models import Alert, RuleSetting
from timpora.detection.tests.matrix import KEL_BANTEN, KEL_TAKTAKAN, overstay_alert
from timpora.intake import actions as intake
from timpora.registry.status import today_in_jakarta


@pytest.fixture
def kasemen_alert(personas) -> Alert:
    return overstay_alert(personas, KEL_BANTEN, passport="VKASEMEN01")


@pytest.fixture
def taktakan_alert(personas) -> Alert:
    return overstay_alert(personas, KEL_TAKTAKAN, passport="VTAKTAK01")


def _shown_ids(response) -> set[int]:
    return {row["alert"].pk for row in response.context["rows"]}


# ---------------------------------------------------------------------------- scope


def test_it_shows_a_police_member_only_the_alerts_of_their_kecamatan(
    personas, kasemen_alert, taktakan_alert
):
    response = personas.client("police_kasemen").get("/detection/alerts/")
    assert response.status_code == 200
    assert kasemen_alert.pk in _shown_ids(response)
    assert taktakan_alert.pk not in _shown_ids(response)
    other = personas.client("police_kasemen").get(f"/detection/alerts/{taktakan_alert.pk}/")
    assert other.status_code == 404


def test_it_shows_office_wide_staff_every_alert(personas, kasemen_alert, taktakan_alert):
    response = personas.client("analyst").get("/detection/alerts/")
    assert {kasemen_alert.pk, taktakan_alert.pk} <= _shown_ids(response)


def test_it_filters_by_rule_severity_status_area_and_assignee(
    personas, kasemen_alert, taktakan_alert
):
    client = personas.client("officer")
    by_area = client.get("/detection/alerts/", {"area": "36.73.06"})
    assert _shown_ids(by_area) == {taktakan_alert.pk}
    assert _shown_ids(client.get("/detection/alerts/", {"severity": "low"})) == set()
    high = _shown_ids(client.get("/detection/alerts/", {"severity": "high", "rule": "overstay"}))
    assert {kasemen_alert.pk, taktakan_alert.pk} <= high
    assert _shown_ids(client.get("/detection/alerts/", {"status": "closed"})) == set()
    actions.assign(kasemen_alert, actor=personas.officer, officer=personas.officer)
    assert _shown_ids(client.get("/detection/alerts/", {"mine": "on"})) == {kasemen_alert.pk}
    today = today_in_jakarta()
    future = client.get("/detection/alerts/", {"as_of_from": str(today + timedelta(days=1))})
    assert _shown_ids(future) == set()


def test_it_says_which_filter_value_is_wrong(personas):
    response = personas.client("officer").get("/detection/alerts/", {"area": "Kasemen"})
    assert response.status_code == 200
    assert "area" in response.context["form"].errors


def test_it_shows_the_rule_subject_explanation_and_a_link_to_the_person(personas, kasemen_alert):
    response = personas.client("officer").get("/detection/alerts/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert f'href="/registry/persons/{kasemen_alert.person_id}/"' in html
    assert 'class="badge severity-high"' in html
    row = next(r for r in response.context["rows"] if r["alert"].pk == kasemen_alert.pk)
    assert row["subject_name"] == kasemen_alert.person.full_name
    assert "Pasal 78" in row["explanation"]


def test_it_explains_in_the_language_of_the_request(personas, kasemen_alert):
    client = personas.client("officer")
    shown = {}
    for language in ("en", "id"):
        client.post("/i18n/setlang/", {"language": language})
        response = client.get(f"/detection/alerts/{kasemen_alert.pk}/")
        assert response["Content-Language"] == language
        shown[language] = response.context["explanation"]
        assert shown[language] == explanation(
            "overstay", kasemen_alert.facts, kasemen_alert.as_of, language
        )
    assert "day(s) of overstay" in shown["en"]
    assert shown["id"] != shown["en"] and "Pasal 78" in shown["id"]


# ---------------------------------------------------------------------------- audit


def test_it_audits_the_list_with_the_alerts_and_persons_shown(personas, kasemen_alert):
    personas.client("police_kasemen").get("/detection/alerts/")
    entry = AuditRecord.objects.filter(action="view", object_repr="alert list").latest("id")
    assert entry.actor_username == "police_kasemen"
    assert kasemen_alert.pk in entry.fields["ids"]
    assert kasemen_alert.person_id in entry.fields["persons"]


def test_it_audits_the_detail_page(personas, kasemen_alert):
    personas.client("lurah_banten").get(f"/detection/alerts/{kasemen_alert.pk}/")
    entry = AuditRecord.objects.filter(
        action="view", object_type="detection.alert", object_id=str(kasemen_alert.pk)
    ).latest("id")
    assert entry.actor_username == "lurah_banten"
    assert entry.fields["person"] == kasemen_alert.person_id


# ---------------------------------------------------------------------------- detail


def test_it_links_the_source_reports_of_the_person(personas, kasemen_alert):
    premises = intake.register_premises(
        kind="hotel",
        name="Hotel Sumber",
        licence_number="HTL-SRC-1",
        address="Jl. Sumber",
        area_code=KEL_BANTEN,
        person_in_charge="Ibu Sumber",
        username="hotelsumber",
        password="a long enough password 1",
    )
    intake.decide_premises(premises, approve=True, actor=None)
    doc = kasemen_alert.person.documents.get()
    report = intake.file_accommodation_report(
        premises,
        {
            "surname": "ALERT",
            "given_names": doc.number,
            "nationality": "CHN",
            "passport_number": doc.number,
            "check_in": (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M"),
        },
        actor=None,
    )
    assert report.person_id == kasemen_alert.person_id
    response = personas.client("police_kasemen").get(f"/detection/alerts/{kasemen_alert.pk}/")
    assert [r.pk for r in response.context["sources"].accommodation] == [report.pk]
    assert "Hotel Sumber" in response.content.decode()
    # Readers without report.view (none of the alert readers today) would see no reports;
    # the Taktakan police does not even see the alert.
    assert (
        personas.client("police_taktakan").get(f"/detection/alerts/{kasemen_alert.pk}/").status_code
        == 404
    )


# ---------------------------------------------------------------------------- workflow


def test_it_walks_an_alert_through_the_workflow(personas, kasemen_alert):
    client = personas.client("officer")
    url = f"/detection/alerts/{kasemen_alert.pk}/"
    assert client.post(url + "status/", {"status": "triaged"}).status_code == 302
    response = client.post(url + "assign/", {"officer": personas.police_kasemen.pk})
    assert response.status_code == 302
    assert client.post(url + "status/", {"status": "action_taken", "reason": "fee paid"})
    kasemen_alert.refresh_from_db()
    assert (kasemen_alert.status, kasemen_alert.is_open) == ("action_taken", False)
    assert kasemen_alert.assigned_to == personas.police_kasemen
    assert kasemen_alert.assigned_agency == personas.police_kasemen.agency
    kinds = list(kasemen_alert.events.values_list("kind", "to_status"))
    assert kinds[-3:] == [("status", "triaged"), ("assign", "assigned"), ("status", "action_taken")]


def test_it_refuses_a_transition_the_workflow_does_not_allow(personas, kasemen_alert):
    response = personas.client("officer").post(
        f"/detection/alerts/{kasemen_alert.pk}/status/", {"status": "action_taken"}
    )
    assert response.status_code == 400
    assert "status" in response.context["status_form"].errors
    kasemen_alert.refresh_from_db()
    assert kasemen_alert.status == "new"


def test_dismissing_needs_a_reason(personas, kasemen_alert):
    url = f"/detection/alerts/{kasemen_alert.pk}/status/"
    client = personas.client("analyst")
    refused = client.post(url, {"status": "dismissed", "reason": "  "})
    assert refused.status_code == 400
    assert "reason" in refused.context["status_form"].errors
    assert client.post(url, {"status": "dismissed", "reason": "left on 20 Nov"}).status_code == 302
    kasemen_alert.refresh_from_db()
    assert kasemen_alert.status == "dismissed" and not kasemen_alert.is_open
    assert kasemen_alert.close_note == "left on 20 Nov"


def test_team_members_may_not_change_the_status(personas, kasemen_alert):
    response = personas.client("police_kasemen").post(
        f"/detection/alerts/{kasemen_alert.pk}/status/", {"status": "triaged"}
    )
    assert response.status_code == 403


# ---------------------------------------------------------------------------- assignment


def test_it_offers_only_officers_whose_area_covers_the_alert(personas, taktakan_alert):
    response = personas.client("officer").get(f"/detection/alerts/{taktakan_alert.pk}/")
    officers = set(response.context["assign_form"].fields["officer"].queryset)
    assert personas.police_taktakan in officers and personas.officer in officers
    assert personas.police_kasemen not in officers
    assert personas.lurah_banten not in officers
    assert personas.hotel not in officers


def test_it_refuses_to_assign_a_taktakan_alert_to_the_kasemen_police(personas, taktakan_alert):
    response = personas.client("officer").post(
        f"/detection/alerts/{taktakan_alert.pk}/assign/", {"officer": personas.police_kasemen.pk}
    )
    assert response.status_code == 400
    assert "officer" in response.context["assign_form"].errors
    taktakan_alert.refresh_from_db()
    assert taktakan_alert.assigned_to is None and taktakan_alert.status == "new"


def test_the_action_refuses_it_too(personas, taktakan_alert):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        actions.assign(taktakan_alert, actor=personas.officer, officer=personas.police_kasemen)
    assert "officer" in exc.value.message_dict


def test_it_assigns_a_kasemen_alert_to_the_kasemen_police(personas, kasemen_alert):
    response = personas.client("officer").post(
        f"/detection/alerts/{kasemen_alert.pk}/assign/", {"officer": personas.police_kasemen.pk}
    )
    assert response.status_code == 302
    kasemen_alert.refresh_from_db()
    assert kasemen_alert.assigned_to == personas.police_kasemen
    assert kasemen_alert.status == "assigned"


def test_assigning_needs_an_agency_or_an_officer(personas, kasemen_alert):
    response = personas.client("officer").post(f"/detection/alerts/{kasemen_alert.pk}/assign/")
    assert response.status_code == 400
    assert response.context["assign_form"].non_field_errors()


# ---------------------------------------------------------------------------- comments


def test_a_comment_is_kept_in_the_history_and_audited(personas, kasemen_alert):
    response = personas.client("police_kasemen").post(
        f"/detection/alerts/{kasemen_alert.pk}/comments/", {"text": "Checked the address today."}
    )
    assert response.status_code == 302
    event = kasemen_alert.events.get(kind="comment")
    assert event.text == "Checked the address today."
    assert event.actor == personas.police_kasemen
    entry = AuditRecord.objects.filter(
        action="create", object_type="detection.alertevent", object_id=str(event.pk)
    ).get()
    assert entry.actor_username == "police_kasemen"
    assert entry.fields["alert"] == kasemen_alert.pk
    page = personas.client("officer").get(f"/detection/alerts/{kasemen_alert.pk}/")
    assert "Checked the address today." in page.content.decode()


def test_an_empty_comment_is_refused(personas, kasemen_alert):
    response = personas.client("officer").post(
        f"/detection/alerts/{kasemen_alert.pk}/comments/", {"text": ""}
    )
    assert response.status_code == 400
    assert not kasemen_alert.events.filter(kind="comment").exists()


def test_nobody_comments_on_an_alert_outside_their_scope(personas, taktakan_alert):
    response = personas.client("police_kasemen").post(
        f"/detection/alerts/{taktakan_alert.pk}/comments/", {"text": "hello"}
    )
    assert response.status_code == 404
    assert not taktakan_alert.events.filter(kind="comment").exists()


# ---------------------------------------------------------------------------- export


def _late_report_alert_of_a_hostile_premises(personas) -> Alert:
    """A premises whose name is a spreadsheet formula, with a report filed 30 h late."""
    premises = intake.register_premises(
        kind="hotel",
        name='=HYPERLINK("http://evil.example","x")',
        licence_number="HTL-EVIL-1",
        address="Jl. Evil",
        area_code=KEL_BANTEN,
        person_in_charge="Evil",
        username="hotelevil",
        password="a long enough password 1",
    )
    intake.decide_premises(premises, approve=True, actor=None)
    report = intake.file_accommodation_report(
        premises,
        {
            "surname": "LATE",
            "given_names": "GUEST",
            "nationality": "DEU",
            "passport_number": "C0LATE001",
            "check_in": (timezone.localtime() - timedelta(hours=30)).strftime("%Y-%m-%d %H:%M"),
        },
        actor=None,
    )
    assert report.is_late
    actions.run_detection(today_in_jakarta(), rules=["late_report"], notify=False)
    return Alert.objects.get(rule="late_report", premises=premises)


def test_the_csv_export_holds_the_filtered_alerts_with_formulas_defused(
    personas, kasemen_alert, taktakan_alert
):
    hostile = _late_report_alert_of_a_hostile_premises(personas)
    response = personas.client("officer").get(
        "/detection/alerts/export/", {"format": "csv", "area": "36.73.02"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0])[:7] == [
        "alert_id",
        "rule",
        "person_id",
        "severity",
        "status",
        "as_of",
        "explanation",
    ]
    assert {"subject", "area_code", "assigned_agency", "assigned_to"} <= set(rows[0])
    by_id = {int(r["alert_id"]): r for r in rows}
    assert set(by_id) == {kasemen_alert.pk, hostile.pk}  # Taktakan filtered out
    assert by_id[kasemen_alert.pk]["person_id"] == str(kasemen_alert.person_id)
    assert by_id[kasemen_alert.pk]["area_code"] == KEL_BANTEN
    for column in ("explanation", "subject"):
        assert by_id[hostile.pk][column].startswith("'=HYPERLINK")
    entry = AuditRecord.objects.filter(action="export", object_type="detection.alert").latest("id")
    assert entry.fields["rows"] == 2 and entry.fields["format"] == "csv"
    assert entry.fields["filter"] == {"area": "36.73.02"}


def test_the_xlsx_export_defuses_formulas_too(personas):
    hostile = _late_report_alert_of_a_hostile_premises(personas)
    response = personas.client("analyst").get("/detection/alerts/export/", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    row = next(r for r in rows[1:] if r[0] == hostile.pk)
    assert row[header.index("subject")].startswith("'=HYPERLINK")
    assert row[header.index("explanation")].startswith("'=")


def test_the_export_refuses_unknown_formats(personas):
    assert (
        personas.client("officer").get("/detection/alerts/export/", {"format": "pdf"}).status_code
        == 400
    )


# ---------------------------------------------------------------------------- rules


def test_an_administrator_switches_a_rule_off_and_sets_its_parameters(personas):
    response = personas.client("admin").post(
        "/detection/rules/expiring/", {"expiring-param_days": "45"}
    )
    assert response.status_code == 302
    setting = RuleSetting.objects.get(rule="expiring")
    assert (setting.enabled, setting.params) == (False, {"days": 45})
    assert AuditRecord.objects.filter(
        object_type="detection.rulesetting", object_id=str(setting.pk)
    ).exists()
    page = personas.client("admin").get("/detection/rules/")
    row = next(r for r in page.context["rows"] if r["rule"].code == "expiring")
    assert row["enabled"] is False and row["form"].initial["param_days"] == 45


def test_a_disabled_rule_raises_nothing(personas):
    overstay_alert(personas, KEL_BANTEN, passport="VDISABLED1")
    actions.save_rule_setting("no_permit", actor=personas.admin, enabled=False, params={})
    runs = actions.run_detection(today_in_jakarta(), notify=False)
    assert "no_permit" not in {r.rule for r in runs}


def test_a_bad_parameter_is_shown_on_its_field(personas):
    response = personas.client("admin").post(
        "/detection/rules/overstay/",
        {
            "overstay-enabled": "on",
            "overstay-param_fee_per_day": "-5",
            "overstay-param_fee_max_days": "60",
        },
    )
    assert response.status_code == 400
    assert not RuleSetting.objects.filter(rule="overstay").exists()


def test_run_detection_now_queues_the_task(personas):
    from django_tasks_db.models import DBTaskResult

    response = personas.client("analyst").post("/detection/run/", {"next": "/detection/alerts/"})
    assert response.status_code == 302 and response["Location"] == "/detection/alerts/"
    job = DBTaskResult.objects.get(task_path="timpora.detection.tasks.run_detection_now")
    assert job.args_kwargs["args"] == [personas.analyst.pk]


def test_run_detection_now_never_redirects_off_site(personas):
    response = personas.client("admin").post("/detection/run/", {"next": "https://evil.example/"})
    assert response["Location"] == "/detection/alerts/"


# ---------------------------------------------------------------------------- home


def test_the_home_page_counts_open_alerts_by_severity_in_scope(
    personas, kasemen_alert, taktakan_alert
):
    response = personas.client("police_taktakan").get("/")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="alerts-card"' in html
    assert 'severity=high" data-severity="high">' in html
    high = html.split('data-severity="high">', 1)[1].split("</a>", 1)[0]
    assert high.endswith("<strong>1</strong>")  # only the Taktakan alert
    assert 'data-testid="alerts-card"' not in personas.client("hotel").get("/").content.decode()
