"""Operations and TAK in the permission matrix (merged by the core matrix test).

The matrix operation runs in kelurahan Banten (Kasemen) with one team: the officer leads it,
``police_kasemen`` is a member. So office-wide staff (admin, analyst, officer, head) and that
member see it; ``police_taktakan`` and ``lurah_banten`` are no members (404); reporters,
auditors and strangers have no operation permission (403). Cases follow region scope instead:
the case in Banten is seen by ``police_kasemen`` and ``lurah_banten``, not by Taktakan.
Only immigration staff manage cases; only the head of office signs.
"""

from __future__ import annotations

ANON = 302
NO_OPS = {"hotel": 403, "auditor": 403, "stranger": 403}
VIEW = {None: ANON, **NO_OPS, "*": 200}
MEMBER = {None: ANON, **NO_OPS, "police_taktakan": 404, "lurah_banten": 404, "*": 200}
STAFF = {None: ANON, "admin": 200, "analyst": 200, "officer": 200, "head": 200, "*": 403}
IN_BANTEN = {None: ANON, **NO_OPS, "police_taktakan": 404, "*": 200}

OP = "/operations/{ops_operation}"
CHECK = "/operations/checks/{ops_check}"
CASE = "/operations/cases/{ops_case}"
DECISION = "/operations/decisions/{ops_decision}"

VIEWS: dict = {
    "operations:operation_list": [("/operations/", "get", VIEW)],
    "operations:operation_create": [("/operations/new/", "get", STAFF)],
    "operations:statistics": [("/operations/statistics/?date_from=2024-01-01", "get", VIEW)],
    "operations:operation_detail": [(OP + "/", "get", MEMBER)],
    "operations:operation_edit": [(OP + "/edit/", "get", STAFF)],
    # No status in the body: staff are sent back to the page with a message.
    "operations:operation_status": [
        (
            OP + "/status/",
            "post",
            {None: ANON, "admin": 302, "analyst": 302, "officer": 302, "head": 302, "*": 403},
        )
    ],
    "operations:operation_targets": [(OP + "/targets/", "get", STAFF)],
    "operations:team_create": [(OP + "/teams/new/", "get", STAFF)],
    "operations:team_edit": [(OP + "/teams/{ops_team}/", "get", STAFF)],
    "operations:report_pdf": [(OP + "/report.pdf", "get", STAFF)],
    "operations:report_xlsx": [(OP + "/report.xlsx", "get", STAFF)],
    "operations:check_page": [(OP + "/check/", "get", MEMBER)],
    # JSON endpoints: 401 without a session (the phone keeps its queue); the matrix posts a
    # form, not JSON, so members who pass the checks get 400.
    "operations:check_lookup": [(OP + "/check/lookup/?name=matrix", "get", {**MEMBER, None: 401})],
    "operations:check_submit": [(OP + "/check/submit/", "post", {**MEMBER, None: 401, "*": 400})],
    "operations:check_detail": [(CHECK + "/", "get", MEMBER)],
    "operations:check_photo": [(CHECK + "/photos/{ops_photo}/", "get", MEMBER)],
    "operations:case_open": [(CHECK + "/case/", "get", STAFF)],
    "operations:case_list": [("/operations/cases/", "get", VIEW)],
    "operations:case_detail": [(CASE + "/", "get", IN_BANTEN)],
    "operations:case_edit": [(CASE + "/edit/", "get", STAFF)],
    "operations:examination_create": [(CASE + "/examinations/new/", "get", STAFF)],
    "operations:review_create": [(CASE + "/reviews/new/", "get", STAFF)],
    "operations:action_create": [(CASE + "/decisions/new/", "get", STAFF)],
    "operations:evidence_file": [("/operations/evidence/{ops_evidence}/", "get", IN_BANTEN)],
    "operations:action_edit": [(DECISION + "/edit/", "get", STAFF)],
    "operations:action_sign": [(DECISION + "/sign/", "post", {None: ANON, "head": 302, "*": 403})],
    "operations:action_follow_up": [(DECISION + "/follow-up/", "get", STAFF)],
}

A_VIEW = {None: 401, **NO_OPS, "*": 200}
A_MEMBER = {None: 401, **NO_OPS, "police_taktakan": 404, "lurah_banten": 404, "*": 200}
A_IN_BANTEN = {None: 401, **NO_OPS, "police_taktakan": 404, "*": 200}
# Writers pass the permission check; the matrix sends no body, so they get 422.
A_STAFF_WRITE = {
    None: 401,
    "admin": 422,
    "analyst": 422,
    "officer": 422,
    "head": 422,
    "*": 403,
}
A_OP = "/api/v1/operations/{ops_operation}"
A_DECISION = "/api/v1/decisions/{ops_decision}"

API: dict = {
    "GET /api/v1/operations": [("/api/v1/operations?status=running", A_VIEW)],
    "GET /api/v1/operations/statistics": [("/api/v1/operations/statistics", A_VIEW)],
    "GET /api/v1/operations/{operation_id}": [(A_OP, A_MEMBER)],
    "POST /api/v1/operations/{operation_id}/checks": [
        (A_OP + "/checks", {None: 401, **NO_OPS, "*": 422})
    ],
    "GET /api/v1/operations/{operation_id}/checks": [(A_OP + "/checks", A_MEMBER)],
    "GET /api/v1/cases": [("/api/v1/cases?status=open", A_VIEW)],
    "GET /api/v1/cases/{case_id}": [("/api/v1/cases/{ops_case}", A_IN_BANTEN)],
    "GET /api/v1/decisions": [("/api/v1/decisions", A_VIEW)],
    "GET /api/v1/decisions/{decision_id}": [(A_DECISION, A_IN_BANTEN)],
    "PATCH /api/v1/decisions/{decision_id}": [(A_DECISION, A_STAFF_WRITE)],
    "POST /api/v1/decisions/{decision_id}/sign": [
        (A_DECISION + "/sign", {None: 401, "head": 200, "*": 403})
    ],
    "POST /api/v1/decisions/{decision_id}/follow-up": [(A_DECISION + "/follow-up", A_STAFF_WRITE)],
}

MATRIX_ORDER = "MATRIX/OPS/01"
PHOTO_NAME = "operations/checks/matrix-photo.jpg"
EVIDENCE_NAME = "operations/evidence/matrix-evidence.pdf"


def _fixture(personas) -> dict:
    """The matrix's operation, check, case and draft decision (made once per test)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from timpora.operations import actions
    from timpora.operations.choices import ActionType
    from timpora.operations.models import (
        CheckPhoto,
        Evidence,
        FieldCheck,
        JointOperation,
    )
    from timpora.operations.tests import factories
    from timpora.registry.status import today_in_jakarta

    op = JointOperation.objects.filter(order_number=MATRIX_ORDER).first()
    if op is None:
        officer = personas.officer
        op = factories.operation(
            officer, members=[personas.police_kasemen], order_number=MATRIX_ORDER
        )
        person = factories.overstayer(officer, 7, number="MTXOPS001")
        check = factories.check(op, officer, person_obj=person)
        # One small file in private storage, reused by every matrix test.
        if not default_storage.exists(PHOTO_NAME):
            default_storage.save(PHOTO_NAME, ContentFile(factories.jpeg()))
        if not default_storage.exists(EVIDENCE_NAME):
            default_storage.save(EVIDENCE_NAME, ContentFile(b"%PDF-1.4\n%matrix\n"))
        CheckPhoto.objects.create(check_record=check, image=PHOTO_NAME)
        case = actions.open_case(actor=officer, check=check, violations=["overstay"])
        examination = actions.add_examination(
            case,
            examined_on=today_in_jakarta(),
            examiner=officer,
            statement="Matrix.",
            actor=officer,
        )
        Evidence.objects.create(
            examination=examination, file=EVIDENCE_NAME, content_type="application/pdf"
        )
        review = actions.hold_review(
            case, held_on=today_in_jakarta(), chair=personas.head, conclusion="x", actor=officer
        )
        actions.draft_action(
            review,
            action_type=ActionType.FEE,
            decision_number="MATRIX/TAK/01",
            decision_date=today_in_jakarta(),
            actor=officer,
        )
    check = FieldCheck.objects.filter(operation=op).first()
    case = check.case
    return {
        "ops_operation": op.pk,
        "ops_team": op.teams.first().pk,
        "ops_check": check.pk,
        "ops_photo": check.photos.first().pk,
        "ops_case": case.pk,
        "ops_evidence": Evidence.objects.filter(examination__case=case).first().pk,
        "ops_decision": case.actions.first().pk,
    }


URL_VALUES = {
    name: (lambda key: lambda personas: _fixture(personas)[key])(name)
    for name in (
        "ops_operation",
        "ops_team",
        "ops_check",
        "ops_photo",
        "ops_case",
        "ops_evidence",
        "ops_decision",
    )
}
