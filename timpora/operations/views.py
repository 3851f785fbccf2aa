"""The operations pages: plans, teams and targets; the phone check page and its JSON
endpoints; cases, examinations, reviews and decisions; the report and the statistics.

Views parse and call: reads through ``queries`` (membership and region scope), writes through
``actions`` (rules, audit). Pages that show foreigners write an audit record naming them.
"""

from __future__ import annotations

import base64
import binascii
import json
import mimetypes
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from timpora.accounts.access import can, permission_required, require, scope_of
from timpora.areas.models import Area, area_columns_q
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.core.forms import apply_action_errors
from timpora.lib.nationality import nationality_choices
from timpora.operations import actions, queries, reports
from timpora.operations.choices import (
    ActionType,
    CaseStatus,
    CheckChannel,
    CheckResult,
    OperationStatus,
    ViolationType,
)
from timpora.operations.forms import (
    ActionForm,
    CaseForm,
    ExaminationForm,
    FollowUpForm,
    OperationForm,
    ReviewForm,
    StatsForm,
    TeamForm,
)
from timpora.operations.models import Case, CheckPhoto, Evidence, FieldCheck, OperationTeam
from timpora.registry import queries as registry_queries

# The phone page posts a check with its photos as JSON; photos are made smaller in the
# browser, but several of them still exceed Django's 2.5 MB default for a request body.
CHECK_BODY_MAX_BYTES = 40 * 1024 * 1024

VIOLATION_LABELS = dict(ViolationType.choices)


def json_permission_required(perm: str):
    """For the phone page's JSON endpoints: 401 (not a login redirect) when the session has
    expired, so the page keeps its queue and asks the officer to log in again."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return JsonResponse({"detail": _("Log in again to send the checks.")}, status=401)
            require(request.user, perm)
            return view(request, *args, **kwargs)

        wrapper.required_permission = perm  # type: ignore[attr-defined]
        return wrapper

    return decorator


def _errors_json(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {key: [str(m) for m in msgs] for key, msgs in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


# ------------------------------------------------------------------------------ operations


@permission_required("operation.view")
def operation_list(request):
    status = request.GET.get("status", "")
    qs = queries.operations_for(request.user).annotate(
        check_count=Count("checks", distinct=True), team_count=Count("teams", distinct=True)
    )
    if status in OperationStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "operations/operation_list.html",
        {
            "operations": qs[:200],
            "status": status,
            "statuses": OperationStatus.choices,
            "may_plan": can(request.user, "operation.manage"),
        },
    )


def _plan_map_context(request) -> dict[str, Any]:
    roots = Area.objects.filter(code__in=scope_of(request.user).prefixes).order_by("code")
    return {"map_roots": roots}


@permission_required("operation.manage")
def operation_create(request):
    form = OperationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            operation = actions.plan_operation(form.operation_input(), actor=request.user)
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The operation is planned. Now form its teams."))
            return redirect("operations:operation_detail", pk=operation.pk)
    return render(
        request,
        "operations/operation_form.html",
        {"form": form, "operation": None, **_plan_map_context(request)},
    )


def _managed_operation(request, pk: int):
    operation = queries.operation_for(request.user, pk)
    if not queries.may_manage(request.user, operation):
        raise PermissionDenied("operation.manage")
    return operation


@permission_required("operation.manage")
def operation_edit(request, pk: int):
    operation = _managed_operation(request, pk)
    form = OperationForm(
        request.POST or None, user=request.user, initial=OperationForm.initial_for(operation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_operation(operation, form.operation_input(operation), actor=request.user)
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("operations:operation_detail", pk=operation.pk)
    return render(
        request,
        "operations/operation_form.html",
        {"form": form, "operation": operation, **_plan_map_context(request)},
    )


@permission_required("operation.view")
def operation_detail(request, pk: int):
    user = request.user
    operation = queries.operation_for(user, pk)
    teams = operation.teams.select_related("leader", "leader__agency").prefetch_related(
        Prefetch("members", queryset=_members_queryset())
    )
    checks = list(
        queries.checks_for(user)
        .filter(operation=operation)
        .select_related("officer", "person", "team")
        .prefetch_related("photos")[:100]
    )
    cases = (
        list(queries.cases_for(user).filter(operation=operation).select_related("person"))
        if can(user, "case.view")
        else []
    )
    if checks or cases:
        record(
            AuditAction.VIEW,
            actor=user,
            obj=operation,
            fields={"checks": [c.pk for c in checks], "cases": [c.pk for c in cases]},
        )
    area_names = registry_queries.area_names({c.kelurahan_code for c in checks})
    return render(
        request,
        "operations/operation_detail.html",
        {
            "operation": operation,
            "teams": teams,
            "checks": [
                {"check": c, "area_name": area_names.get(c.kelurahan_code, "")} for c in checks
            ],
            "counts": queries.check_counts(operation),
            "cases": cases,
            "target_areas": operation.target_areas.all(),
            "target_premises": operation.target_premises.all(),
            "target_persons": registry_queries.persons_for(user).filter(
                pk__in=operation.target_persons.values("pk")
            )
            if can(user, "person.view")
            else [],
            "target_alerts": operation.target_alerts.select_related("person"),
            "may_manage": queries.may_manage(user, operation)
            and operation.status != OperationStatus.FINISHED,
            "may_check": queries.may_record_checks(user, operation),
            "may_report": can(user, "operation.report"),
            "next_status": {
                OperationStatus.PLANNED: OperationStatus.RUNNING,
                OperationStatus.RUNNING: OperationStatus.FINISHED,
            }.get(operation.status),
        },
    )


def _members_queryset():
    from timpora.accounts.models import User

    return User.objects.select_related("agency").order_by("agency__name", "username")


@permission_required("operation.manage")
@require_POST
def operation_status(request, pk: int):
    operation = _managed_operation(request, pk)
    try:
        actions.change_status(operation, request.POST.get("status", ""), actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The operation is now %(status)s.") % {"status": operation.get_status_display()},
        )
    return redirect("operations:operation_detail", pk=operation.pk)


@permission_required("operation.manage")
def team_create(request, pk: int):
    return _team_form(request, pk, None)


@permission_required("operation.manage")
def team_edit(request, pk: int, team_pk: int):
    return _team_form(request, pk, team_pk)


def _team_form(request, pk: int, team_pk: int | None):
    operation = _managed_operation(request, pk)
    team = None
    initial = {}
    if team_pk is not None:
        team = OperationTeam.objects.filter(operation=operation, pk=team_pk).first()
        if team is None:
            raise Http404("team")
        initial = {
            "name": team.name,
            "leader": team.leader_id,
            "members": list(team.members.values_list("pk", flat=True)),
        }
    form = TeamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_team(
                operation,
                name=form.cleaned_data["name"],
                leader=form.cleaned_data["leader"],
                members=form.cleaned_data["members"],
                actor=request.user,
                team=team,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The team is saved."))
            return redirect("operations:operation_detail", pk=operation.pk)
    return render(
        request,
        "operations/team_form.html",
        {"form": form, "operation": operation, "team": team},
    )


def _int_list(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


@permission_required("operation.manage")
def operation_targets(request, pk: int):
    """Targets from the open alerts and premises of the target areas, and from the registry
    (searched by name within the planner's scope)."""
    from timpora.detection.models import Alert
    from timpora.intake.models import Premises

    user = request.user
    operation = _managed_operation(request, pk)
    codes = tuple(operation.target_areas.values_list("code", flat=True))
    if request.method == "POST":
        data = actions.OperationInput(
            name=operation.name,
            order_number=operation.order_number,
            order_date=operation.order_date,
            starts_on=operation.starts_on,
            ends_on=operation.ends_on,
            briefing_notes=operation.briefing_notes,
            area_codes=list(codes),
            premises_ids=_int_list(request.POST.getlist("premises_ids")),
            person_ids=_int_list(request.POST.getlist("person_ids")),
            alert_ids=_int_list(request.POST.getlist("alert_ids")),
        )
        try:
            actions.update_operation(operation, data, actor=user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The targets are saved."))
            return redirect("operations:operation_detail", pk=operation.pk)
    in_areas = area_columns_q(codes)
    alerts = Alert.objects.none()
    if can(user, "alert.view"):
        alerts = Alert.objects.filter(in_areas, is_open=True).filter(
            area_columns_q(scope_of(user).prefixes)
        )
        alerts = alerts.select_related("person", "premises").order_by("-severity", "-id")[:200]
    premises = Premises.objects.filter(in_areas).filter(area_columns_q(scope_of(user).prefixes))[
        :200
    ]
    chosen_persons = list(
        registry_queries.persons_for(user).filter(pk__in=operation.target_persons.values("pk"))
    )
    found: list = []
    q = request.GET.get("q", "").strip()
    if q:
        try:
            found = list(
                registry_queries.search_persons(user, registry_queries.PersonFilter(name=q))[:50]
            )
        except registry_queries.FilterError as exc:
            messages.error(request, exc.message)
    persons = chosen_persons + [p for p in found if p not in chosen_persons]
    if persons:
        record(
            AuditAction.VIEW,
            actor=user,
            object_type="registry.person",
            object_repr="operation targets",
            fields={"operation": operation.pk, "ids": [p.pk for p in persons]},
        )
    return render(
        request,
        "operations/targets_form.html",
        {
            "operation": operation,
            "alerts": alerts,
            "premises": premises,
            "persons": persons,
            "q": q,
            "chosen_alerts": set(operation.target_alerts.values_list("pk", flat=True)),
            "chosen_premises": set(operation.target_premises.values_list("pk", flat=True)),
            "chosen_persons": {p.pk for p in chosen_persons},
        },
    )


# ------------------------------------------------------------------------------ phone page


@never_cache
@permission_required("check.create")
def check_page(request, pk: int):
    """The phone page: look the person up, record the check; works with a weak connection
    (checks wait in the browser's queue until they are sent)."""
    from timpora.intake.models import Premises

    user = request.user
    operation = queries.operation_for(user, pk)
    if not queries.is_check_recorder(user, operation):
        raise PermissionDenied("check.create")
    codes = tuple(operation.target_areas.values_list("code", flat=True))
    premises = Premises.objects.filter(area_columns_q(codes)).filter(
        area_columns_q(scope_of(user).prefixes)
    )[:200]
    return render(
        request,
        "operations/check_page.html",
        {
            "operation": operation,
            "running": operation.status == OperationStatus.RUNNING,
            "villages": queries.village_choices(user, operation),
            "premises": premises,
            "results": CheckResult.choices,
            "nationalities": nationality_choices(),
            "recent": queries.checks_for(user)
            .filter(operation=operation, officer=user)
            .order_by("-checked_at")[:10],
        },
    )


@require_GET
@json_permission_required("check.create")
def check_lookup(request, pk: int):
    user = request.user
    operation = queries.operation_for(user, pk)
    if not queries.is_check_recorder(user, operation):
        raise PermissionDenied("check.create")
    found = queries.lookup(
        user,
        operation,
        mrz=request.GET.get("mrz", ""),
        passport_number=request.GET.get("passport", ""),
        name=request.GET.get("name", ""),
        nationality=request.GET.get("nationality", ""),
    )
    if found.candidates:
        record(
            AuditAction.VIEW,
            actor=user,
            object_type="registry.person",
            object_repr="field check lookup",
            fields={"operation": operation.pk, "ids": [c.person.pk for c in found.candidates]},
        )
    return JsonResponse(
        {
            "passport_number": found.passport_number,
            "nationality": found.nationality,
            "name": found.name,
            "mrz": found.mrz,
            "errors": found.errors,
            "candidates": [c.as_dict() for c in found.candidates],
        }
    )


class BadPayload(ValueError):
    pass


def decode_photos(values) -> list[bytes]:
    """Photos as base64 (or ``data:`` URLs) in the JSON body."""
    if values in (None, ""):
        return []
    if not isinstance(values, list):
        raise BadPayload("photos must be a list")
    photos = []
    for value in values:
        if isinstance(value, dict):
            value = value.get("data", "")
        if not isinstance(value, str):
            raise BadPayload("a photo must be base64 text")
        if value.startswith("data:"):
            value = value.partition(",")[2]
        try:
            photos.append(base64.b64decode(value, validate=True))
        except (binascii.Error, ValueError):
            raise BadPayload("a photo is not valid base64") from None
    return photos


def check_input(payload: dict[str, Any]) -> actions.CheckInput:
    """The JSON of a check (phone page and API share it) as the action's input."""
    if not isinstance(payload, dict):
        raise BadPayload("send a JSON object")

    def text(name: str) -> str:
        value = payload.get(name) or ""
        if not isinstance(value, str):
            raise BadPayload(f"{name} must be text")
        return value

    def number(name: str, kind=float):
        value = payload.get(name)
        if value in (None, ""):
            return None
        try:
            return kind(value)
        except (TypeError, ValueError):
            raise BadPayload(f"{name} must be a number") from None

    checked_at = None
    if payload.get("checked_at"):
        checked_at = parse_datetime(text("checked_at"))
        if checked_at is None:
            raise BadPayload("checked_at must be an ISO 8601 date and time")
    return actions.CheckInput(
        client_uuid=text("client_uuid"),
        result=text("result"),
        checked_at=checked_at,
        person_id=number("person_id", int),
        mrz=text("mrz"),
        passport_number=text("passport_number"),
        full_name=text("full_name"),
        nationality=text("nationality"),
        area_code=text("area_code"),
        lon=number("lon"),
        lat=number("lat"),
        location_note=text("location_note"),
        premises_id=number("premises_id", int),
        observations=text("observations"),
        photos=decode_photos(payload.get("photos")),
    )


def check_json(check: FieldCheck, *, created: bool) -> dict[str, Any]:
    return {
        "id": check.pk,
        "client_uuid": str(check.client_uuid),
        "created": created,
        "operation_id": check.operation_id,
        "result": check.result,
        "checked_at": check.checked_at.isoformat(),
        "person_id": check.person_id,
        "full_name": check.full_name,
        "nationality": check.nationality,
        "area_code": check.area_code,
        "permit_status": check.permit_status,
        "overstay_days": check.overstay_days,
        "alerts_seen": check.alerts_seen,
        "watchlist_hits": check.watchlist_hits,
        "photos": check.photos.count(),
        "channel": check.channel,
        "url": reverse("operations:check_detail", args=[check.pk]),
    }


@require_POST
@json_permission_required("check.create")
def check_submit(request, pk: int):
    """JSON in, the stored check out: 201 when new, 200 when this UUID was stored before."""
    user = request.user
    operation = queries.operation_for(user, pk)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > CHECK_BODY_MAX_BYTES:
        return JsonResponse({"detail": _("The check is too large.")}, status=413)
    try:
        payload = json.loads(request.read(CHECK_BODY_MAX_BYTES + 1) or b"{}")
        data = check_input(payload)
    except (ValueError, BadPayload) as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    channel = CheckChannel.OFFLINE if payload.get("queued") else CheckChannel.WEB
    try:
        check, created = actions.record_check(operation, data, actor=user, channel=channel)
    except ValidationError as exc:
        return JsonResponse({"errors": _errors_json(exc)}, status=422)
    return JsonResponse(check_json(check, created=created), status=201 if created else 200)


# ------------------------------------------------------------------------------ checks


@permission_required("operation.view")
def check_detail(request, pk: int):
    user = request.user
    check = queries.check_for(user, pk)
    record(AuditAction.VIEW, actor=user, obj=check, fields={"person": check.person_id})
    case = _case_of(check)
    return render(
        request,
        "operations/check_detail.html",
        {
            "check": check,
            "photos": check.photos.all(),
            "case": case if case and can(user, "case.view") else None,
            "area_name": registry_queries.area_names([check.kelurahan_code]).get(
                check.kelurahan_code, ""
            ),
            "may_open_case": can(user, "case.manage")
            and check.result == CheckResult.VIOLATION
            and case is None,
        },
    )


def _case_of(check: FieldCheck) -> Case | None:
    try:
        return check.case
    except Case.DoesNotExist:
        return None


@permission_required("operation.view")
def check_photo(request, pk: int, photo_pk: int):
    """A check photo from private storage (never a public URL), scoped and audited."""
    check = queries.check_for(request.user, pk)
    photo = CheckPhoto.objects.filter(check_record=check, pk=photo_pk).first()
    if photo is None:
        raise Http404("photo")
    try:
        handle = photo.image.storage.open(photo.image.name, "rb")
    except FileNotFoundError:
        raise Http404("photo") from None
    record(AuditAction.VIEW, actor=request.user, obj=check, fields={"photo": photo.pk})
    content_type = mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------ cases


@permission_required("case.manage")
def case_open(request, pk: int):
    check = queries.check_for(request.user, pk)
    initial = {"summary": check.observations}
    if check.person_id and check.overstay_days:
        initial["violations"] = [ViolationType.OVERSTAY]
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.open_case(
                actor=request.user,
                check=check,
                violations=form.cleaned_data["violations"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The case is opened."))
            return redirect("operations:case_detail", pk=case.pk)
    return render(request, "operations/case_form.html", {"form": form, "check": check})


@permission_required("case.view")
def case_list(request):
    user = request.user
    status = request.GET.get("status", "")
    qs = queries.cases_for(user).select_related("person", "operation")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    cases = list(qs[:200])
    if cases:
        record(
            AuditAction.VIEW,
            actor=user,
            object_type="operations.case",
            object_repr="case list",
            fields={"ids": [c.pk for c in cases]},
        )
    return render(
        request,
        "operations/case_list.html",
        {
            "cases": [
                {"case": c, "violations": [VIOLATION_LABELS.get(v, v) for v in c.violations]}
                for c in cases
            ],
            "status": status,
            "statuses": CaseStatus.choices,
        },
    )


@permission_required("case.view")
def case_detail(request, pk: int):
    user = request.user
    case = queries.case_for(user, pk)
    record(AuditAction.VIEW, actor=user, obj=case, fields={"person": case.person_id})
    manage = can(user, "case.manage") and _is_immigration(user)
    return render(
        request,
        "operations/case_detail.html",
        {
            "case": case,
            "violations": [VIOLATION_LABELS.get(v, v) for v in case.violations],
            "examinations": case.examinations.select_related("examiner").prefetch_related(
                "evidence"
            ),
            "reviews": case.reviews.select_related("chair").prefetch_related("participants"),
            "decisions": case.actions.select_related("signed_by", "review"),
            "suggested": [
                {"label": dict(ActionType.choices)[t], "basis": basis}
                for t, basis in actions.suggested_actions(case)
            ],
            "state": queries.person_state(case.person, _today()),
            "may_manage": manage and case.status != CaseStatus.CLOSED,
            "may_sign": can(user, "decision.sign"),
        },
    )


def _today():
    from timpora.registry.status import today_in_jakarta

    return today_in_jakarta()


def _is_immigration(user) -> bool:
    return bool(user.agency_id and user.agency.agency_type == "immigration")


@permission_required("case.manage")
def case_edit(request, pk: int):
    case = queries.case_for(request.user, pk)
    form = CaseForm(request.POST or None, initial=CaseForm.initial_for(case))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_case(
                case,
                violations=form.cleaned_data["violations"],
                summary=form.cleaned_data["summary"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The case is saved."))
            return redirect("operations:case_detail", pk=case.pk)
    return render(request, "operations/case_form.html", {"form": form, "case": case})


@permission_required("case.manage")
def examination_create(request, pk: int):
    case = queries.case_for(request.user, pk)
    form = ExaminationForm(
        request.POST or None,
        request.FILES or None,
        initial={"examined_on": _today(), "examiner": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        description = data["evidence_description"]
        evidence = [(upload.read(), description or upload.name) for upload in data["evidence"]]
        try:
            actions.add_examination(
                case,
                examined_on=data["examined_on"],
                examiner=data["examiner"],
                statement=data["statement"],
                place=data["place"],
                interpreter=data["interpreter"],
                evidence=evidence,
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The examination record (BAP) is saved."))
            return redirect("operations:case_detail", pk=case.pk)
    return render(
        request,
        "operations/simple_form.html",
        {
            "form": form,
            "case": case,
            "title": _("Examination record (BAP)"),
            "multipart": True,
        },
    )


@permission_required("case.view")
def evidence_file(request, pk: int):
    item = Evidence.objects.select_related("examination").filter(pk=pk).first()
    if item is None:
        raise Http404("evidence")
    case = queries.case_for(request.user, item.examination.case_id)
    try:
        handle = item.file.storage.open(item.file.name, "rb")
    except FileNotFoundError:
        raise Http404("evidence") from None
    record(AuditAction.VIEW, actor=request.user, obj=case, fields={"evidence": item.pk})
    response = FileResponse(handle, content_type=item.content_type or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("case.manage")
def review_create(request, pk: int):
    case = queries.case_for(request.user, pk)
    form = ReviewForm(request.POST or None, initial={"held_on": _today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.hold_review(
                case,
                held_on=data["held_on"],
                chair=data["chair"],
                participants=data["participants"],
                other_participants=data["other_participants"],
                conclusion=data["conclusion"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The case review (gelar kasus) is recorded."))
            return redirect("operations:case_detail", pk=case.pk)
    return render(
        request,
        "operations/simple_form.html",
        {"form": form, "case": case, "title": _("Case review (gelar kasus)")},
    )


@permission_required("case.manage")
def action_create(request, pk: int):
    case = queries.case_for(request.user, pk)
    suggested = actions.suggested_actions(case)
    initial: dict[str, Any] = {"review": case.reviews.order_by("-held_on").first()}
    if suggested:
        initial["action_type"] = suggested[0][0]
    form = ActionForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.draft_action(
                data["review"],
                action_type=data["action_type"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                legal_basis=data["legal_basis"],
                details=data["details"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The decision is drafted; the head of office signs it."))
            return redirect("operations:case_detail", pk=case.pk)
    return render(
        request,
        "operations/simple_form.html",
        {
            "form": form,
            "case": case,
            "title": _("Administrative action"),
            "suggested": [(dict(ActionType.choices)[t], basis) for t, basis in suggested],
        },
    )


@permission_required("case.manage")
def action_edit(request, pk: int):
    action = queries.action_for(request.user, pk)
    form = ActionForm(
        request.POST or None, case=action.case, initial=ActionForm.initial_for(action)
    )
    if action.is_signed:
        messages.error(request, _("The decision is signed: only its follow-up may change."))
        return redirect("operations:action_follow_up", pk=action.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_action(
                action,
                action_type=data["action_type"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                legal_basis=data["legal_basis"],
                details=data["details"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The decision is saved."))
            return redirect("operations:case_detail", pk=action.case_id)
    return render(
        request,
        "operations/simple_form.html",
        {"form": form, "case": action.case, "title": _("Administrative action")},
    )


@permission_required("decision.sign")
@require_POST
def action_sign(request, pk: int):
    action = queries.action_for(request.user, pk)
    try:
        actions.sign_action(action, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The decision is signed."))
    return redirect("operations:case_detail", pk=action.case_id)


@permission_required("case.manage")
def action_follow_up(request, pk: int):
    action = queries.action_for(request.user, pk)
    form = FollowUpForm(request.POST or None, initial=FollowUpForm.initial_for(action))
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_follow_up(action, form.follow_up_input(), actor=request.user)
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The follow-up is saved."))
            return redirect("operations:case_detail", pk=action.case_id)
    return render(
        request,
        "operations/simple_form.html",
        {
            "form": form,
            "case": action.case,
            "decision": action,
            "title": _("Follow-up"),
            "highlight": FollowUpForm.FIELDS_BY_TYPE.get(action.action_type, ()),
        },
    )


# ------------------------------------------------------------------------------ report


@permission_required("operation.report")
def report_pdf(request, pk: int):
    operation = queries.operation_for(request.user, pk)
    data = reports.report_data(operation)
    content = reports.render_pdf(data, request=request)
    record(AuditAction.EXPORT, actor=request.user, obj=operation, fields={"format": "pdf"})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{reports.file_name(operation)}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("operation.report")
def report_xlsx(request, pk: int):
    operation = queries.operation_for(request.user, pk)
    content = reports.render_xlsx(reports.report_data(operation))
    record(AuditAction.EXPORT, actor=request.user, obj=operation, fields={"format": "xlsx"})
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{reports.file_name(operation)}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------ statistics


@permission_required("tak.stats")
def statistics(request):
    form = StatsForm(request.GET or None, user=request.user)
    stats = queries.statistics(request.user, form.stats_filter())
    type_labels = dict(ActionType.choices)
    charts = [
        (
            _("By action"),
            reports.bar_chart_svg([(str(type_labels.get(k, k)), n) for k, n in stats["type"]]),
        ),
        (_("By nationality"), reports.bar_chart_svg(stats["nationality"])),
        (_("By kecamatan"), reports.bar_chart_svg(stats["area"])),
        (_("By month"), reports.bar_chart_svg(stats["month"])),
    ]
    return render(
        request,
        "operations/statistics.html",
        {"form": form, "charts": charts, "total": stats["total"][0][1]},
    )
