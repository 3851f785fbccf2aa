"""Alerts through the API: the filtered list, one alert with its history, and the workflow
(status, assignment, comments).

Handlers parse and call: reads go through ``queries`` (region scope), writes through
``actions`` (workflow rules, audit). The permission is checked with the token, before the
body is validated (403, not 422); region scope answers 404, as for an alert that does not
exist. Explanations are rendered in ``lang`` (``id`` by default, or ``en``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Query, Router, Status

from timpora.accounts.models import Agency, User
from timpora.api.auth import BearerToken
from timpora.api.common import LangQuery, query_error
from timpora.detection import actions, queries
from timpora.detection.models import Alert, AlertEvent
from timpora.detection.schemas import (
    AlertDetailOut,
    AlertListOut,
    AlertQuery,
    AssignIn,
    CommentIn,
    EventOut,
    StatusIn,
)
from timpora.registry.schemas import ErrorOut

VIEW = BearerToken("alert.view")
MANAGE = BearerToken("alert.manage")

router = Router(tags=["alerts"])

_FIELD_NAMES = {"officer": "officer_id", "agency": "agency_id"}


def _alert(alert: Alert, language: str) -> dict[str, Any]:
    shown = queries.describe(alert, language)
    return {
        "id": alert.pk,
        "rule": alert.rule,
        "rule_title": shown["rule_title"],
        "law": shown["law"],
        "subject": alert.subject,
        "subject_name": shown["subject_name"],
        "person_id": alert.person_id,
        "premises_id": alert.premises_id,
        "severity": alert.severity,
        "status": alert.status,
        "is_open": alert.is_open,
        "as_of": alert.as_of,
        "first_seen": alert.first_seen,
        "last_seen": queries.last_confirmed(alert),
        "closed_at": alert.closed_at,
        "close_note": alert.close_note,
        "explanation": shown["explanation"],
        "facts": alert.facts,
        "area_code": shown["area_code"],
        "kecamatan_code": alert.kecamatan_code,
        "kelurahan_code": alert.kelurahan_code,
        "assigned_agency_id": alert.assigned_agency_id,
        "assigned_agency": alert.assigned_agency.name if alert.assigned_agency_id else None,
        "assigned_to": alert.assigned_to.username if alert.assigned_to_id else None,
    }


def _event(event: AlertEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "text": event.text,
        "actor": event.actor.username if event.actor_id else None,
        "created_at": event.created_at,
    }


def _detail(alert: Alert, language: str) -> dict[str, Any]:
    return {
        **_alert(alert, language),
        "allowed_transitions": list(queries.allowed_transitions(alert)),
        "events": [_event(e) for e in queries.events_of(alert)],
    }


@contextmanager
def _body_fields() -> Iterator[None]:
    """Name an action's error keys as this API's body fields (``officer`` → ``officer_id``)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {_FIELD_NAMES.get(k, k): v for k, v in exc.message_dict.items()}
        ) from exc


# ---------------------------------------------------------------------------- reads


@router.get(
    "",
    response={200: AlertListOut, 422: ErrorOut},
    auth=VIEW,
    summary="Search alerts",
)
def list_alerts(request, params: Query[AlertQuery]):
    """Alerts in the caller's scope matching the filter, newest first, ``{"count", "items"}``
    with each explanation in ``lang``. Audited with the filter and the ids returned."""
    user = request.user
    values = params.model_dump()
    limit, offset, language = values.pop("limit"), values.pop("offset"), values.pop("lang")
    flt = queries.AlertFilter(**values)
    try:
        qs = queries.search_alerts(user, flt)
        count = qs.count()
    except queries.FilterError as exc:
        return query_error(exc.field, exc.message)
    alerts = list(queries.with_rule_evaluation(queries.with_subjects(qs))[offset : offset + limit])
    queries.record_alerts_read(
        user,
        alerts,
        "alert search",
        filter=flt.as_fields(),
        limit=limit,
        offset=offset,
        count=count,
    )
    return Status(200, {"count": count, "items": [_alert(a, language) for a in alerts]})


@router.get(
    "/{alert_id}",
    response={200: AlertDetailOut, 422: ErrorOut},
    auth=VIEW,
    summary="One alert with its explanation, facts and history",
)
def get_alert(request, alert_id: int, params: Query[LangQuery]):
    alert = queries.alert_for(request.user, alert_id)
    queries.record_alert_read(request.user, alert)
    return Status(200, _detail(alert, params.lang))


# ---------------------------------------------------------------------------- workflow


@router.post(
    "/{alert_id}/status",
    response={200: AlertDetailOut, 422: ErrorOut},
    auth=MANAGE,
    summary="Move the alert along the workflow (dismissing needs a reason)",
)
def change_status(request, alert_id: int, payload: StatusIn, params: Query[LangQuery]):
    alert = queries.alert_for(request.user, alert_id, perm="alert.manage")
    actions.change_status(alert, payload.status, actor=request.user, reason=payload.reason)
    return Status(200, _detail(alert, params.lang))


@router.post(
    "/{alert_id}/assign",
    response={200: AlertDetailOut, 422: ErrorOut},
    auth=MANAGE,
    summary="Assign to an agency and/or an officer whose area covers the alert",
)
def assign_alert(request, alert_id: int, payload: AssignIn, params: Query[LangQuery]):
    alert = queries.alert_for(request.user, alert_id, perm="alert.manage")
    if payload.agency_id is None and payload.officer_id is None:
        raise ValidationError({"__all__": ["give agency_id, officer_id or both"]})
    errors: dict[str, list[str]] = {}
    agency = officer = None
    if payload.agency_id is not None:
        agency = Agency.objects.filter(pk=payload.agency_id).first()
        if agency is None:
            errors["agency_id"] = ["no such agency"]
    if payload.officer_id is not None:
        officer = (
            User.objects.select_related("scope_area", "agency")
            .filter(pk=payload.officer_id, is_active=True)
            .first()
        )
        if officer is None:
            errors["officer_id"] = ["no such officer"]
    if errors:
        raise ValidationError(errors)
    with _body_fields():
        actions.assign(alert, actor=request.user, agency=agency, officer=officer)
    return Status(200, _detail(alert, params.lang))


@router.post(
    "/{alert_id}/comments",
    response={201: EventOut, 422: ErrorOut},
    auth=VIEW,
    summary="Comment on an alert (audited)",
)
def comment_alert(request, alert_id: int, payload: CommentIn):
    alert = queries.alert_for(request.user, alert_id)
    event = actions.comment(alert, payload.text, actor=request.user)
    return Status(201, _event(event))
