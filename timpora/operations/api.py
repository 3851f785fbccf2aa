"""Operations and TAK through the API: operations (member-scoped), field checks (the same
action as the phone page, idempotent by ``client_uuid``), cases, decisions and statistics.

Handlers parse and call: reads through ``queries``, writes through ``actions``. The permission
is checked with the token (``BearerToken(perm)``) before the body is validated (403, not 422);
membership and region scope answer 404 in the handler.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Query, Router, Schema, Status

from timpora.api.auth import BearerToken
from timpora.api.common import query_error
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.operations import actions, queries
from timpora.operations.choices import CheckChannel, OperationStatus
from timpora.operations.models import AdministrativeAction, Case, JointOperation
from timpora.operations.views import BadPayload, check_input, check_json

VIEW = BearerToken("operation.view")
CHECK = BearerToken("check.create")
CASE_VIEW = BearerToken("case.view")
CASE_MANAGE = BearerToken("case.manage")
SIGN = BearerToken("decision.sign")
STATS = BearerToken("tak.stats")

operations_router = Router(tags=["operations"])
cases_router = Router(tags=["cases (TAK)"])
decisions_router = Router(tags=["cases (TAK)"])


# ------------------------------------------------------------------------------ schemas


class ErrorItem(Schema):
    loc: list[str]
    msg: str


class ErrorOut(Schema):
    detail: list[ErrorItem] | str


class Paging(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class OperationQuery(Paging):
    status: str = Field("", description="planned, running or finished")


class OperationOut(Schema):
    id: int
    name: str
    order_number: str
    order_date: date
    starts_on: date
    ends_on: date
    status: str
    area_codes: list[str]


class OperationListOut(Schema):
    count: int
    items: list[OperationOut]


class MemberOut(Schema):
    id: int
    name: str
    agency: str | None


class TeamOut(Schema):
    id: int
    name: str
    leader: MemberOut
    members: list[MemberOut]


class OperationDetailOut(OperationOut):
    briefing_notes: str
    teams: list[TeamOut]
    premises_ids: list[int]
    person_ids: list[int]
    alert_ids: list[int]
    check_counts: dict[str, int]


class CheckIn(Schema):
    """The check as the phone page sends it; ``photos`` are base64 (or ``data:`` URLs)."""

    client_uuid: str
    result: str = Field(description="compliant, violation or not_found")
    checked_at: datetime | None = None
    person_id: int | None = None
    mrz: str = ""
    passport_number: str = ""
    full_name: str = ""
    nationality: str = ""
    area_code: str = ""
    lon: float | None = None
    lat: float | None = None
    location_note: str = ""
    premises_id: int | None = None
    observations: str = ""
    photos: list[str] = []


class CheckOut(Schema):
    id: int
    client_uuid: str
    created: bool
    operation_id: int
    result: str
    checked_at: str
    person_id: int | None
    full_name: str
    nationality: str
    area_code: str
    permit_status: str
    overstay_days: int | None
    alerts_seen: list[dict[str, Any]]
    watchlist_hits: list[dict[str, Any]]
    photos: int
    channel: str
    url: str


class CaseOut(Schema):
    id: int
    person_id: int
    person_name: str
    nationality: str
    operation_id: int | None
    check_id: int | None
    violations: list[str]
    status: str
    area_code: str
    opened_at: datetime


class CaseListOut(Schema):
    count: int
    items: list[CaseOut]


class DecisionOut(Schema):
    id: int
    case_id: int
    review_id: int
    action_type: str
    legal_basis: str
    details: str
    decision_number: str
    decision_date: date | None
    overstay_days: int | None
    amount: int | None
    status: str
    signed_by: str | None
    signed_at: datetime | None
    paid_on: date | None
    deported_on: date | None
    flight: str
    ban_until: date | None
    detention_place: str
    detention_from: date | None
    detention_until: date | None
    follow_up_note: str


class DecisionListOut(Schema):
    count: int
    items: list[DecisionOut]


class CaseDetailOut(CaseOut):
    summary: str
    examinations: list[dict[str, Any]]
    reviews: list[dict[str, Any]]
    decisions: list[DecisionOut]


class DecisionIn(Schema):
    action_type: str
    decision_number: str = ""
    decision_date: date | None = None
    legal_basis: str = ""
    details: str = ""


class FollowUpIn(Schema):
    paid_on: date | None = None
    deported_on: date | None = None
    flight: str = ""
    ban_until: date | None = None
    detention_place: str = ""
    detention_from: date | None = None
    detention_until: date | None = None
    follow_up_note: str = ""


class StatsQuery(Schema):
    date_from: date | None = None
    date_to: date | None = None
    area: str = Field("", description="Area code at any level, e.g. 36.73.02")
    signed_only: bool = True


class CountOut(Schema):
    key: str
    count: int


class StatsOut(Schema):
    total: int
    by_type: list[CountOut]
    by_nationality: list[CountOut]
    by_area: list[CountOut]
    by_month: list[CountOut]


# ------------------------------------------------------------------------------ helpers


def _operation(op: JointOperation) -> dict[str, Any]:
    return {
        "id": op.pk,
        "name": op.name,
        "order_number": op.order_number,
        "order_date": op.order_date,
        "starts_on": op.starts_on,
        "ends_on": op.ends_on,
        "status": op.status,
        "area_codes": sorted(a.code for a in op.target_areas.all()),
    }


def _member(user) -> dict[str, Any]:
    return {
        "id": user.pk,
        "name": str(user),
        "agency": str(user.agency) if user.agency_id else None,
    }


def _case(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "person_id": case.person_id,
        "person_name": case.person.full_name,
        "nationality": case.person.nationality,
        "operation_id": case.operation_id,
        "check_id": case.check_record_id,
        "violations": case.violations,
        "status": case.status,
        "area_code": case.area_code,
        "opened_at": case.opened_at,
    }


def _decision(a: AdministrativeAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "case_id": a.case_id,
        "review_id": a.review_id,
        "action_type": a.action_type,
        "legal_basis": a.legal_basis,
        "details": a.details,
        "decision_number": a.decision_number,
        "decision_date": a.decision_date,
        "overstay_days": a.overstay_days,
        "amount": a.amount,
        "status": a.status,
        "signed_by": str(a.signed_by) if a.signed_by_id else None,
        "signed_at": a.signed_at,
        "paid_on": a.paid_on,
        "deported_on": a.deported_on,
        "flight": a.flight,
        "ban_until": a.ban_until,
        "detention_place": a.detention_place,
        "detention_from": a.detention_from,
        "detention_until": a.detention_until,
        "follow_up_note": a.follow_up_note,
    }


# ------------------------------------------------------------------------------ operations


@operations_router.get(
    "", response=OperationListOut, auth=VIEW, summary="Operations the caller belongs to"
)
def list_operations(request, params: Query[OperationQuery]):
    qs = queries.operations_for(request.user).prefetch_related("target_areas")
    if params.status in OperationStatus.values:
        qs = qs.filter(status=params.status)
    count = qs.count()
    items = qs[params.offset : params.offset + params.limit]
    return {"count": count, "items": [_operation(op) for op in items]}


@operations_router.get(
    "/statistics",
    response={200: StatsOut, 422: ErrorOut},
    auth=STATS,
    summary="Administrative actions by type, nationality, kecamatan and month",
)
def action_statistics(request, params: Query[StatsQuery]):
    """Counts only (no person is named), within the caller's region scope."""
    if params.area and not params.area.replace(".", "").isdigit():
        return query_error("area", "not an area code")
    stats = queries.statistics(
        request.user,
        queries.StatsFilter(
            date_from=params.date_from,
            date_to=params.date_to,
            area=params.area,
            signed_only=params.signed_only,
        ),
    )

    def rows(name: str) -> list[dict[str, Any]]:
        return [{"key": str(k or ""), "count": n} for k, n in stats[name]]

    return {
        "total": stats["total"][0][1],
        "by_type": rows("type"),
        "by_nationality": rows("nationality"),
        "by_area": rows("area"),
        "by_month": rows("month"),
    }


@operations_router.get(
    "/{operation_id}",
    response=OperationDetailOut,
    auth=VIEW,
    summary="One operation with its teams and targets",
)
def get_operation(request, operation_id: int):
    op = queries.operation_for(request.user, operation_id)
    teams = op.teams.select_related("leader__agency").prefetch_related("members__agency")
    return {
        **_operation(op),
        "briefing_notes": op.briefing_notes,
        "teams": [
            {
                "id": t.pk,
                "name": t.name,
                "leader": _member(t.leader),
                "members": [_member(u) for u in t.members.all()],
            }
            for t in teams
        ],
        "premises_ids": list(op.target_premises.values_list("pk", flat=True)),
        "person_ids": list(op.target_persons.values_list("pk", flat=True)),
        "alert_ids": list(op.target_alerts.values_list("pk", flat=True)),
        "check_counts": queries.check_counts(op),
    }


@operations_router.post(
    "/{operation_id}/checks",
    response={200: CheckOut, 201: CheckOut, 400: ErrorOut, 422: ErrorOut},
    auth=CHECK,
    summary="Record a field check (idempotent by client_uuid)",
)
def create_check(request, operation_id: int, payload: CheckIn):
    """The phone page's action: 201 with the stored check, or 200 with the check stored
    earlier under the same ``client_uuid`` (a retry changes nothing)."""
    op = queries.operation_for(request.user, operation_id)
    try:
        data = check_input(payload.model_dump(mode="json"))
    except BadPayload as exc:
        return Status(400, {"detail": str(exc)})
    check, created = actions.record_check(op, data, actor=request.user, channel=CheckChannel.API)
    return Status(201 if created else 200, check_json(check, created=created))


@operations_router.get(
    "/{operation_id}/checks",
    response=list[CheckOut],
    auth=VIEW,
    summary="Checks of an operation (scoped)",
)
def list_checks(request, operation_id: int, params: Query[Paging]):
    user = request.user
    op = queries.operation_for(user, operation_id)
    checks = list(
        queries.checks_for(user)
        .filter(operation=op)
        .order_by("-checked_at", "-id")[params.offset : params.offset + params.limit]
    )
    if checks:
        record(
            AuditAction.VIEW,
            actor=user,
            object_type="operations.fieldcheck",
            object_repr="check list",
            fields={"operation": op.pk, "ids": [c.pk for c in checks]},
        )
    return [check_json(c, created=False) for c in checks]


# ------------------------------------------------------------------------------ cases


class CaseQuery(Paging):
    status: str = ""
    operation: int | None = None


@cases_router.get("", response=CaseListOut, auth=CASE_VIEW, summary="Cases in the caller's scope")
def list_cases(request, params: Query[CaseQuery]):
    user = request.user
    qs = queries.cases_for(user).select_related("person")
    if params.status:
        qs = qs.filter(status=params.status)
    if params.operation:
        qs = qs.filter(operation_id=params.operation)
    count = qs.count()
    cases = list(qs[params.offset : params.offset + params.limit])
    if cases:
        record(
            AuditAction.VIEW,
            actor=user,
            object_type="operations.case",
            object_repr="case list",
            fields={"ids": [c.pk for c in cases]},
        )
    return {"count": count, "items": [_case(c) for c in cases]}


@cases_router.get(
    "/{case_id}",
    response=CaseDetailOut,
    auth=CASE_VIEW,
    summary="One case with its examinations, reviews and decisions",
)
def get_case(request, case_id: int):
    user = request.user
    case = queries.case_for(user, case_id)
    record(AuditAction.VIEW, actor=user, obj=case, fields={"person": case.person_id})
    return {
        **_case(case),
        "summary": case.summary,
        "examinations": [
            {
                "id": e.pk,
                "examined_on": e.examined_on.isoformat(),
                "examiner": str(e.examiner),
                "place": e.place,
                "statement": e.statement,
                "evidence": e.evidence.count(),
            }
            for e in case.examinations.select_related("examiner")
        ],
        "reviews": [
            {
                "id": r.pk,
                "held_on": r.held_on.isoformat(),
                "chair": str(r.chair),
                "conclusion": r.conclusion,
            }
            for r in case.reviews.select_related("chair")
        ],
        "decisions": [_decision(a) for a in case.actions.select_related("signed_by")],
    }


# ------------------------------------------------------------------------------ decisions


@decisions_router.get(
    "", response=DecisionListOut, auth=CASE_VIEW, summary="Decisions of the caller's cases"
)
def list_decisions(request, params: Query[Paging]):
    qs = queries.actions_for(request.user).select_related("signed_by").order_by("-id")
    return {
        "count": qs.count(),
        "items": [_decision(a) for a in qs[params.offset : params.offset + params.limit]],
    }


@decisions_router.get("/{decision_id}", response=DecisionOut, auth=CASE_VIEW)
def get_decision(request, decision_id: int):
    return _decision(queries.action_for(request.user, decision_id))


@decisions_router.patch(
    "/{decision_id}",
    response={200: DecisionOut, 422: ErrorOut},
    auth=CASE_MANAGE,
    summary="Change a draft decision (immigration office only; not once signed)",
)
def update_decision(request, decision_id: int, payload: DecisionIn):
    action = queries.action_for(request.user, decision_id)
    action = actions.update_action(action, actor=request.user, **payload.model_dump())
    return _decision(action)


@decisions_router.post(
    "/{decision_id}/sign",
    response={200: DecisionOut, 422: ErrorOut},
    auth=SIGN,
    summary="Sign a decision (head of office only)",
)
def sign_decision(request, decision_id: int):
    action = queries.action_for(request.user, decision_id)
    return _decision(actions.sign_action(action, actor=request.user))


@decisions_router.post(
    "/{decision_id}/follow-up",
    response={200: DecisionOut, 422: ErrorOut},
    auth=CASE_MANAGE,
    summary="Record the follow-up of a signed decision",
)
def follow_up_decision(request, decision_id: int, payload: FollowUpIn):
    action = queries.action_for(request.user, decision_id)
    action = actions.record_follow_up(
        action, actions.FollowUpInput(**payload.model_dump()), actor=request.user
    )
    return _decision(action)
