"""Alerts in the permission matrix: web views (VIEWS), API operations (API), URL values.

``alert.view`` for reading and commenting (team members too; hotel reporters, auditors and
strangers get 403), ``alert.manage`` for the workflow (office-wide immigration staff),
``alert.export``, ``rule.manage`` (administrators) and ``detect.run`` (administrators and
analysts). Region scope answers 404: the Kasemen alert is outside Taktakan's police, the
Taktakan alert outside Kasemen's police and the lurah of Banten. Forms posted without a
body answer 400 (web) or 422 (API) once permission and scope let the caller in.
"""

from __future__ import annotations

from datetime import timedelta

ANON = 302  # to the login page
NO_ALERTS = {"hotel": 403, "auditor": 403, "stranger": 403}
VIEW = {None: ANON, **NO_ALERTS, "*": 200}
STAFF = {None: ANON, "admin": 200, "analyst": 200, "officer": 200, "*": 403}
IN_KASEMEN = {None: ANON, **NO_ALERTS, "police_taktakan": 404, "*": 200}
IN_TAKTAKAN = {None: ANON, **NO_ALERTS, "police_kasemen": 404, "lurah_banten": 404, "*": 200}
MANAGE_EMPTY = {None: ANON, "admin": 400, "analyst": 400, "officer": 400, "*": 403}
COMMENT_KASEMEN = {None: ANON, **NO_ALERTS, "police_taktakan": 404, "*": 400}
COMMENT_TAKTAKAN = {
    None: ANON,
    **NO_ALERTS,
    "police_kasemen": 404,
    "lurah_banten": 404,
    "*": 400,
}
KASEMEN_ALERT = "/detection/alerts/{kasemen_alert}/"
TAKTAKAN_ALERT = "/detection/alerts/{taktakan_alert}/"

VIEWS: dict = {
    "detection:alert_list": [("/detection/alerts/?status=open", "get", VIEW)],
    "detection:alert_export": [("/detection/alerts/export/?format=csv", "get", STAFF)],
    "detection:alert_detail": [
        (KASEMEN_ALERT, "get", IN_KASEMEN),
        (TAKTAKAN_ALERT, "get", IN_TAKTAKAN),
    ],
    "detection:alert_status": [(KASEMEN_ALERT + "status/", "post", MANAGE_EMPTY)],
    "detection:alert_assign": [(TAKTAKAN_ALERT + "assign/", "post", MANAGE_EMPTY)],
    "detection:alert_comment": [
        (KASEMEN_ALERT + "comments/", "post", COMMENT_KASEMEN),
        (TAKTAKAN_ALERT + "comments/", "post", COMMENT_TAKTAKAN),
    ],
    "detection:rule_settings": [("/detection/rules/", "get", {None: ANON, "admin": 200, "*": 403})],
    "detection:rule_setting_save": [
        ("/detection/rules/overstay/", "post", {None: ANON, "admin": 400, "*": 403})
    ],
    "detection:run_now": [
        ("/detection/run/", "post", {None: ANON, "admin": 302, "analyst": 302, "*": 403})
    ],
    # Everyone signed in has a (possibly empty) notification list of their own.
    "detection:notification_list": [("/detection/notifications/", "get", {None: ANON, "*": 200})],
    "detection:notification_read_all": [
        ("/detection/notifications/read/", "post", {None: ANON, "*": 302})
    ],
    "detection:notification_read": [
        ("/detection/notifications/{kasemen_notification}/read/", "post", {None: ANON, "*": 302})
    ],
}

API_VIEW = {None: 401, **NO_ALERTS, "*": 200}
API_IN_KASEMEN = {None: 401, **NO_ALERTS, "police_taktakan": 404, "*": 200}
API_IN_TAKTAKAN = {None: 401, **NO_ALERTS, "police_kasemen": 404, "lurah_banten": 404, "*": 200}
# The body is validated after the permission check and before the scope check.
API_MANAGE = {None: 401, "admin": 422, "analyst": 422, "officer": 422, "*": 403}
API_COMMENT = {None: 401, **NO_ALERTS, "*": 422}

API: dict[str, list[tuple[str, dict]]] = {
    "GET /api/v1/alerts": [("/api/v1/alerts?status=open&lang=en", API_VIEW)],
    "GET /api/v1/alerts/{alert_id}": [
        ("/api/v1/alerts/{kasemen_alert}", API_IN_KASEMEN),
        ("/api/v1/alerts/{taktakan_alert}", API_IN_TAKTAKAN),
    ],
    "POST /api/v1/alerts/{alert_id}/status": [
        ("/api/v1/alerts/{kasemen_alert}/status", API_MANAGE)
    ],
    "POST /api/v1/alerts/{alert_id}/assign": [
        ("/api/v1/alerts/{taktakan_alert}/assign", API_MANAGE)
    ],
    "POST /api/v1/alerts/{alert_id}/comments": [
        ("/api/v1/alerts/{kasemen_alert}/comments", API_COMMENT)
    ],
}

KEL_BANTEN = "36.73.02.1007"
KEL_TAKTAKAN = "36.73.06.1001"


def overstay_alert(personas, area_code: str, *, passport: str, days: int = 70):
    """An overstay alert about a person staying in ``area_code``, raised by the engine
    (found by the person's passport number first, so it is made once per test)."""
    from timpora.detection import actions
    from timpora.detection.models import Alert
    from timpora.registry import actions as registry
    from timpora.registry.models import TravelDocument
    from timpora.registry.status import today_in_jakarta

    today = today_in_jakarta()
    doc = TravelDocument.objects.filter(number=passport).select_related("person").first()
    if doc is not None:
        person = doc.person
    else:
        person = registry.register_person(
            registry.PersonInput(surname="ALERT", given_names=passport, nationality="CHN"),
            actor=personas.officer,
            document=registry.DocumentInput(number=passport, issuing_state="CHN"),
            permit=registry.PermitInput(
                category="visit", index_code="C1", valid_until=today - timedelta(days=days)
            ),
            stay=registry.StayInput(area_code=area_code, date_from=today - timedelta(days=200)),
        )
    alert = Alert.objects.filter(rule="overstay", person=person, is_open=True).first()
    if alert is None:
        actions.run_detection(today, rules=["overstay"], person_ids=[person.pk], notify=False)
        alert = Alert.objects.get(rule="overstay", person=person, is_open=True)
    return alert


def _notification(personas) -> int:
    from timpora.detection.models import Notification

    alert = overstay_alert(personas, KEL_BANTEN, passport="ALKASEMEN1")
    note = Notification.objects.filter(alert=alert, user=personas.officer).first()
    if note is None:
        note = Notification.objects.create(
            user=personas.officer,
            alert=alert,
            message="matrix",
            url=f"/detection/alerts/{alert.pk}/",
        )
    return note.pk


URL_VALUES = {
    "kasemen_alert": lambda p: overstay_alert(p, KEL_BANTEN, passport="ALKASEMEN1").pk,
    "taktakan_alert": lambda p: overstay_alert(p, KEL_TAKTAKAN, passport="ALTAKTAK1").pk,
    "kasemen_notification": _notification,
}
