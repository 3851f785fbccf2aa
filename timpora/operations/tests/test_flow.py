"""The whole path of issue 9, through the pages a team uses: plan → field checks (phone
endpoint and API) → case → examination → case review → decision signed by the head → follow-up
→ report PDF and XLSX whose figures are the recorded ones."""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import uuid
import warnings

import pytest
from django.conf import settings
from django.test import override_settings
from openpyxl import load_workbook

from timpora.accounts.actions import create_api_token
from timpora.audit.models import AuditRecord
from timpora.operations.choices import CaseStatus, CheckResult, DecisionStatus, OperationStatus
from timpora.operations.models import AdministrativeAction, Case, FieldCheck, JointOperation
from timpora.operations.tests import factories
from timpora.registry.status import today_in_jakarta

RATE = 1_000_000


def pdf_text(content: bytes) -> str:
    """The PDF's text (poppler's pdftotext), one line per printed line."""
    if shutil.which("pdftotext") is None:
        reason = "pdftotext is missing (apt-get install poppler-utils): report text NOT checked"
        warnings.warn(reason, stacklevel=2)
        pytest.skip(reason)
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def submit(client, op, **body):
    body.setdefault("client_uuid", str(uuid.uuid4()))
    return client.post(
        f"/operations/{op.pk}/check/submit/", json.dumps(body), content_type="application/json"
    )


def assert_report(content: bytes, *, order_number: str, fee: str) -> None:
    text = pdf_text(content)
    assert "LAPORAN HASIL OPERASI GABUNGAN" in text
    assert order_number in text
    for figure in (
        "Places visited: 2",
        "Checks: 3",
        "Persons checked: 2",
        "Compliant: 1",
        "Violations found: 1",
        "Not found: 1",
        "Cases opened: 1",
        "Administrative actions: 1",
    ):
        assert figure in text, figure
    assert "China (CHN)" in text
    assert fee in text
    assert "Kepala" in text  # the signature block


@override_settings(TIMPORA_OVERSTAY_FEE_PER_DAY=RATE)
def test_it_goes_from_plan_to_the_report(personas):
    officer, head, police = personas.officer, personas.head, personas.police_kasemen
    overstayer = factories.overstayer(officer, 10, number="FLOWOVR01")
    compliant = factories.person(officer, number="FLOWOK001", nationality="DEU", index_code="C1")
    staff = english(personas.client("officer"))
    today = today_in_jakarta().isoformat()

    # 1. The plan, its team, the start.
    response = staff.post(
        "/operations/new/",
        {
            "name": "Operasi Pesisir Kasemen",
            "order_number": "PRINT-77/OPSGAB/2025",
            "order_date": today,
            "starts_on": today,
            "ends_on": today,
            "area_codes": [factories.KEL_BANTEN, factories.KEL_SAWAH_LUHUR],
            "briefing_notes": "Harbour lodgings.",
        },
    )
    op = JointOperation.objects.get(order_number="PRINT-77/OPSGAB/2025")
    assert response.status_code == 302 and response.url == f"/operations/{op.pk}/"
    response = staff.post(
        f"/operations/{op.pk}/teams/new/",
        {"name": "Tim 1", "leader": officer.pk, "members": [police.pk]},
    )
    assert response.status_code == 302
    staff.post(f"/operations/{op.pk}/status/", {"status": OperationStatus.RUNNING})
    op.refresh_from_db()
    assert op.status == OperationStatus.RUNNING

    # 2. Field checks: a police member's phone, and one through the API (sent twice).
    phone = personas.client("police_kasemen")
    lookup = phone.get(f"/operations/{op.pk}/check/lookup/?passport=FLOWOVR01").json()
    assert lookup["candidates"][0]["overstay_days"] == 10
    violation = submit(
        phone,
        op,
        result=CheckResult.VIOLATION,
        person_id=lookup["candidates"][0]["id"],
        area_code=factories.KEL_BANTEN,
        observations="Permit expired ten days ago.",
        photos=["data:image/jpeg;base64," + base64.b64encode(factories.jpeg()).decode()],
    )
    assert violation.status_code == 201, violation.content
    assert (
        submit(
            phone,
            op,
            result=CheckResult.COMPLIANT,
            person_id=compliant.pk,
            area_code=factories.KEL_BANTEN,
        ).status_code
        == 201
    )
    token = create_api_token(police)
    body = {
        "client_uuid": str(uuid.uuid4()),
        "result": CheckResult.NOT_FOUND,
        "area_code": factories.KEL_SAWAH_LUHUR,
        "location_note": "Moved out",
    }
    api = personas.client(None)
    url = f"/api/v1/operations/{op.pk}/checks"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    first = api.post(url, json.dumps(body), content_type="application/json", **headers)
    again = api.post(url, json.dumps(body), content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert FieldCheck.objects.filter(operation=op).count() == 3

    assert FieldCheck.objects.get(pk=violation.json()["id"]).photos.count() == 1

    # 3. The finding becomes a case: examination (BAP), review, decision.
    check = FieldCheck.objects.get(pk=violation.json()["id"])
    response = staff.post(
        f"/operations/checks/{check.pk}/case/",
        {"violations": ["overstay"], "summary": "Overstay found in the operation."},
    )
    case = Case.objects.get(check_record=check)
    assert response.status_code == 302 and case.person == overstayer
    evidence = io.BytesIO(b"%PDF-1.4\n% statement scan\n")
    evidence.name = "statement.pdf"
    response = staff.post(
        f"/operations/cases/{case.pk}/examinations/new/",
        {
            "examined_on": today,
            "examiner": officer.pk,
            "statement": "I stayed to finish my work.",
            "evidence": evidence,
            "evidence_description": "Signed statement",
        },
    )
    assert response.status_code == 302, response.content
    assert case.examinations.get().evidence.count() == 1
    response = staff.post(
        f"/operations/cases/{case.pk}/reviews/new/",
        {"held_on": today, "chair": head.pk, "participants": [officer.pk], "conclusion": "Fee."},
    )
    assert response.status_code == 302
    response = staff.post(
        f"/operations/cases/{case.pk}/decisions/new/",
        {
            "review": case.reviews.get().pk,
            "action_type": "fee",
            "decision_number": "W9.IMI.6-GR.01.01-77",
            "decision_date": today,
        },
    )
    assert response.status_code == 302
    decision = AdministrativeAction.objects.get(case=case)
    assert (decision.overstay_days, decision.amount) == (10, 10 * RATE)

    # 4. Only the head signs; then the follow-up closes the case.
    assert staff.post(f"/operations/decisions/{decision.pk}/sign/").status_code == 403
    boss = personas.client("head")
    assert boss.post(f"/operations/decisions/{decision.pk}/sign/").status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED and decision.signed_by == head
    staff.post(f"/operations/decisions/{decision.pk}/follow-up/", {"paid_on": today})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    staff.post(f"/operations/{op.pk}/status/", {"status": OperationStatus.FINISHED})

    # 5. The report says what happened.
    pdf = staff.get(f"/operations/{op.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert_report(pdf.content, order_number="PRINT-77/OPSGAB/2025", fee="10,000,000")
    xlsx = staff.get(f"/operations/{op.pk}/report.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book["Checks"].max_row == 1 + 3
    assert book["Actions"]["H2"].value == 10 * RATE
    # Every step is in the audit trail.
    for object_type in (
        "operations.jointoperation",
        "operations.operationteam",
        "operations.fieldcheck",
        "operations.case",
        "operations.examination",
        "operations.casereview",
        "operations.administrativeaction",
    ):
        assert AuditRecord.objects.filter(object_type=object_type).exists(), object_type
    assert (
        AuditRecord.objects.filter(
            object_type="operations.jointoperation", action="export", actor=officer
        ).count()
        == 2
    )
