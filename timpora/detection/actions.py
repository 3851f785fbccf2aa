"""Turning rule hits into alerts, and the alert workflow: atomic and audited.

``run_detection`` is idempotent: one open alert per rule and subject; an open alert whose
facts no longer hold is closed with a note; a finding a person already decided (dismissed,
or acted on) with the same key facts is not raised again.

Each rule's hits are diffed against its open alerts in SQL: new subjects are raised, alerts
whose facts, severity or key changed are updated, the others are left as they are (not
rewritten), and alerts no longer found are closed. That the rule was evaluated — and so
confirmed every alert it left open — is one ``RuleEvaluation`` row per rule, not a stamp
on each alert: at a million persons, restamping 200,000 unchanged alerts every night was
most of the daily run.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from timpora.accounts.access import can, scope_of
from timpora.accounts.models import User
from timpora.areas.models import area_columns_q
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.detection.choices import OPEN_STATUSES, TRANSITIONS, AlertStatus
from timpora.detection.engine.base import Hit, Rule
from timpora.detection.engine.evaluate import evaluate, merged_params, rules_by_code
from timpora.detection.engine.rules import RULES
from timpora.detection.models import (
    Alert,
    AlertEvent,
    Notification,
    RuleEvaluation,
    RuleSetting,
)
from timpora.detection.queries import last_confirmed

log = logging.getLogger(__name__)

STAGE = "detection_stage"
STALE = "detection_stale"
NEW = "detection_new"
# One encoder for every hit (``json.dumps`` with options builds a new one per call).
_FACTS = json.JSONEncoder(separators=(",", ":"), default=str)


@dataclass
class RuleRun:
    """What one rule's evaluation did: ``hits`` found, of which ``raised`` new alerts and
    ``updated`` open alerts whose facts changed (the rest were confirmed as they were);
    ``closed`` open alerts no longer found."""

    rule: str
    hits: int
    raised: int
    updated: int
    closed: int
    seconds: float


def rule_params(rule: Rule) -> tuple[bool, dict[str, Any]]:
    setting = RuleSetting.objects.filter(rule=rule.code).first()
    overrides = dict(setting.params) if setting else {}
    if rule.code == "overstay":
        overrides.setdefault("fee_per_day", settings.TIMPORA_OVERSTAY_FEE_PER_DAY)
    return (setting.enabled if setting else True), merged_params(rule, overrides)


#: Raising more alerts than this in one rule refreshes the alert table's statistics.
ANALYZE_AFTER_RAISED = 5_000
#: Fewer hits than this (an incremental run, a quiet rule) are analysed once staged.
SMALL_STAGE = 1_000


def run_detection(
    as_of: date,
    *,
    rules: list[str] | None = None,
    person_ids: list[int] | None = None,
    actor=None,
    notify: bool = True,
) -> list[RuleRun]:
    """Evaluate the rules as of a date over the whole registry, or only for ``person_ids``
    (incremental, when a report arrives; rules about premises then wait for the full run)."""
    runs: list[RuleRun] = []
    before = Alert.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for rule in rules_by_code(rules, RULES):
        enabled, params = rule_params(rule)
        if not enabled or (person_ids is not None and rule.subject_kind != "person"):
            continue
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            now = timezone.now()
            evaluation = RuleEvaluation.objects.filter(rule=rule.code).first()
            person_filter = _person_filter(cursor, person_ids)
            hits = evaluate(cursor, connection.vendor, rule, params, as_of, person_filter)
            raised, updated, closed = _apply(
                cursor,
                rule,
                hits,
                as_of,
                person_filter,
                now=now,
                confirmed=evaluation.evaluated_at if evaluation else None,
            )
            run = RuleRun(
                rule.code, len(hits), raised, updated, closed, time.perf_counter() - started
            )
            _record_evaluation(run, as_of, now, full=person_ids is None)
        runs.append(run)
    record(
        AuditAction.UPDATE,
        actor=actor,
        object_type="detection.alert",
        object_repr=f"detection as of {as_of}",
        fields={
            "as_of": as_of,
            "incremental": person_ids is not None,
            "rules": {r.rule: [r.raised, r.updated, r.closed] for r in runs},
        },
    )
    if notify:
        notify_new_alerts(before)
    return runs


def _record_evaluation(run: RuleRun, as_of: date, now: datetime, *, full: bool) -> None:
    """One row per rule: a full run confirms all the rule's open alerts as of ``as_of``; any
    run that raised, updated or closed an alert moves ``changed_at``."""
    fields: dict[str, Any] = {}
    if full:
        fields.update(
            as_of=as_of,
            evaluated_at=now,
            hits=run.hits,
            raised=run.raised,
            updated=run.updated,
            closed=run.closed,
            seconds=round(run.seconds, 3),
        )
    if run.raised or run.updated or run.closed:
        fields["changed_at"] = now
    if fields:
        RuleEvaluation.objects.update_or_create(rule=run.rule, defaults=fields)


def _person_filter(cursor, person_ids: list[int] | None) -> str | None:
    if person_ids is None:
        return None
    cursor.execute("DROP TABLE IF EXISTS detection_scope")
    cursor.execute("CREATE TEMP TABLE detection_scope (person_id bigint)")
    if person_ids:
        cursor.executemany(
            "INSERT INTO detection_scope VALUES (%s)", [(int(i),) for i in person_ids]
        )
    return "SELECT person_id FROM detection_scope"


def _load_stage(cursor, hits: list[Hit]) -> None:
    postgres = connection.vendor == "postgresql"
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    cursor.execute(
        f"CREATE TEMP TABLE {STAGE} (subject varchar(40), person_id bigint, "
        f"premises_id bigint, severity varchar(8), facts {'jsonb' if postgres else 'text'}, "
        "fact_key varchar(100))"
    )
    rows = [
        (
            h.subject,
            h.person_id,
            h.premises_id,
            h.severity,
            _FACTS.encode(h.facts),
            h.fact_key[:100],
        )
        for h in hits
    ]
    if not rows:
        return
    if postgres:
        with cursor.cursor.copy(f"COPY {STAGE} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        # A large stage needs no statistics: the statements below join all of it by hash
        # (the planner sizes a never-analysed table from its pages). A small one does, so
        # that they look its few subjects up by index instead of reading every open alert.
        if len(rows) < SMALL_STAGE:
            cursor.execute(f"ANALYZE {STAGE}")
    else:
        cursor.executemany(f"INSERT INTO {STAGE} VALUES (%s, %s, %s, %s, %s, %s)", rows)
        cursor.execute(f"CREATE INDEX {STAGE}_subject ON {STAGE} (subject)")


def _apply(
    cursor,
    rule: Rule,
    hits: list[Hit],
    as_of: date,
    person_filter: str | None,
    *,
    now: datetime,
    confirmed: datetime | None,
) -> tuple[int, int, int]:
    """Diff the hits against the rule's open alerts; returns (raised, updated, closed).

    ``confirmed`` is when the rule's previous full evaluation ran: it confirmed every alert
    it left open, so an alert closed now was last confirmed then.
    """
    _load_stage(cursor, hits)
    postgres = connection.vendor == "postgresql"
    stamp = connection.ops.adapt_datetimefield_value(now)
    open_flag, closed_flag = (True, False)
    # Only what changed is written: an unchanged alert keeps its row as it is.
    differs = (
        "detection_alert.facts <> s.facts"
        if postgres
        else "json(detection_alert.facts) <> json(s.facts)"
    )
    cursor.execute(
        "UPDATE detection_alert SET facts = s.facts, severity = s.severity, "
        f"fact_key = s.fact_key, last_seen = %s, as_of = %s FROM {STAGE} s "
        "WHERE detection_alert.rule = %s AND detection_alert.is_open = %s "
        f"AND detection_alert.subject = s.subject AND ({differs} "
        "OR detection_alert.severity <> s.severity OR detection_alert.fact_key <> s.fact_key)",
        [stamp, as_of, rule.code, open_flag],
    )
    updated = cursor.rowcount
    decided = (AlertStatus.DISMISSED, AlertStatus.ACTION_TAKEN)
    # The new findings are chosen in a statement of their own, not inside the INSERT: an
    # INSERT that reads the table it writes rereads its own new rows, and on the alert
    # table's first run — empty, no statistics — PostgreSQL chose to scan it once per hit:
    # 60 s for 60,000 overstays at a million persons. Two conditions, not one with an OR:
    # each has its index (the open alerts', the decided statuses'); the OR read every
    # alert the rule ever raised.
    cursor.execute(f"DROP TABLE IF EXISTS {NEW}")
    cursor.execute(
        f"CREATE TEMP TABLE {NEW} AS SELECT s.* FROM {STAGE} s "
        "WHERE NOT EXISTS (SELECT 1 FROM detection_alert a WHERE a.rule = %s "
        "AND a.subject = s.subject AND a.is_open = %s) "
        "AND NOT EXISTS (SELECT 1 FROM detection_alert d WHERE d.rule = %s "
        "AND d.subject = s.subject AND d.fact_key = s.fact_key AND d.status IN (%s, %s))",
        [rule.code, open_flag, rule.code, *decided],
    )
    area = "COALESCE(p.{c}, pr.{c}, '')"
    columns = ", ".join(
        area.format(c=c)
        for c in ("province_code", "kabkota_code", "kecamatan_code", "kelurahan_code")
    )
    cursor.execute(
        "INSERT INTO detection_alert (province_code, kabkota_code, kecamatan_code, "
        "kelurahan_code, rule, subject, person_id, premises_id, severity, status, is_open, "
        "facts, fact_key, as_of, first_seen, last_seen, closed_at, close_note, "
        "assigned_agency_id, assigned_to_id) "
        f"SELECT {columns}, %s, s.subject, s.person_id, s.premises_id, s.severity, %s, %s, "
        f"s.facts, s.fact_key, %s, %s, %s, NULL, '', NULL, NULL FROM {NEW} s "
        "LEFT JOIN registry_person p ON p.id = s.person_id "
        "LEFT JOIN intake_premises pr ON pr.id = s.premises_id",
        [rule.code, AlertStatus.NEW, open_flag, as_of, stamp, stamp],
    )
    raised = cursor.rowcount
    if raised > ANALYZE_AFTER_RAISED:
        # Many new rows: let the planner see them before the next statements and rules.
        cursor.execute("ANALYZE detection_alert")
    scope_condition = ""
    if person_filter is not None:
        scope_condition = f"AND person_id IN ({person_filter})"
    # The alerts no longer found, once: both the history and the closing read this list.
    cursor.execute(f"DROP TABLE IF EXISTS {STALE}")
    cursor.execute(f"CREATE TEMP TABLE {STALE} (id bigint, status varchar(14))")
    cursor.execute(
        f"INSERT INTO {STALE} SELECT id, status FROM detection_alert WHERE rule = %s "
        f"AND is_open = %s {scope_condition} AND NOT EXISTS (SELECT 1 FROM {STAGE} s "
        "WHERE s.subject = detection_alert.subject)",
        [rule.code, open_flag],
    )
    if cursor.rowcount <= 0:
        return raised, updated, 0
    cursor.execute(
        "INSERT INTO detection_alertevent (alert_id, actor_id, kind, from_status, to_status, "
        f"text, created_at) SELECT id, NULL, 'engine', status, %s, %s, %s FROM {STALE}",
        [AlertStatus.RESOLVED, f"facts no longer hold as of {as_of}", stamp],
    )
    # The last confirmation was the previous full evaluation, if later than the row's own.
    last_confirmed = "last_seen"
    confirmed_params: list[Any] = []
    if confirmed is not None:
        last_confirmed = "CASE WHEN last_seen < %s THEN %s ELSE last_seen END"
        confirmed_params = [connection.ops.adapt_datetimefield_value(confirmed)] * 2
    cursor.execute(
        f"UPDATE detection_alert SET is_open = %s, status = %s, closed_at = %s, "
        f"close_note = %s, last_seen = {last_confirmed} FROM {STALE} x "
        "WHERE detection_alert.id = x.id AND detection_alert.is_open = %s",
        [
            closed_flag,
            AlertStatus.RESOLVED,
            stamp,
            f"Closed automatically: the facts no longer hold as of {as_of}.",
            *confirmed_params,
            open_flag,
        ],
    )
    closed = cursor.rowcount
    return raised, updated, closed


# --- notifications -------------------------------------------------------------------------


def notify_new_alerts(after_id: int) -> int:
    """One digest notification per user with new high-severity alerts in their scope."""
    new = Alert.objects.filter(id__gt=after_id, is_open=True, severity__in=("high", "critical"))
    if not new.exists():
        return 0
    sent = 0
    for user in User.objects.filter(is_active=True).select_related("scope_area", "agency"):
        if not can(user, "alert.manage"):
            continue
        mine = (
            new
            if user.scope_area_id is None
            else new.filter(area_columns_q(scope_of(user).prefixes))
        )
        count = mine.count()
        if not count:
            continue
        message = f"{count} new high-severity alert(s) in your area"
        Notification.objects.create(
            user=user, message=message, url="/detection/alerts/?severity=high&status=new"
        )
        if user.email:
            try:
                send_mail(
                    f"[Timpora] {message}",
                    f"{message}.\n\nOpen Timpora to review them.",
                    settings.DEFAULT_FROM_EMAIL,
                    [user.email],
                )
            except OSError:
                log.warning("could not e-mail %s about new alerts", user.username)
        sent += 1
    return sent


def notify(user: User, alert: Alert, message: str) -> Notification:
    note = Notification.objects.create(
        user=user, alert=alert, message=message[:300], url=f"/detection/alerts/{alert.pk}/"
    )
    if user.email:
        try:
            send_mail(
                f"[Timpora] {message}"[:200], message, settings.DEFAULT_FROM_EMAIL, [user.email]
            )
        except OSError:
            log.warning("could not e-mail %s about alert %s", user.username, alert.pk)
    return note


# --- the workflow --------------------------------------------------------------------------


def _require_in_scope(actor, alert: Alert) -> None:
    if not can(actor, "alert.manage"):
        raise PermissionDenied("alert.manage")
    if actor.scope_area_id is not None and not scope_of(actor).contains(
        alert.kelurahan_code or alert.kecamatan_code or alert.kabkota_code
    ):
        raise PermissionDenied("alert outside scope")


@transaction.atomic
def change_status(alert: Alert, new_status: str, *, actor, reason: str = "") -> Alert:
    """Move an alert along the workflow; dismissing needs a reason."""
    _require_in_scope(actor, alert)
    if new_status not in TRANSITIONS.get(alert.status, ()):
        raise ValidationError({"status": [f"cannot go from {alert.status} to {new_status}"]})
    if new_status == AlertStatus.DISMISSED and not reason.strip():
        raise ValidationError({"reason": ["say why the alert is dismissed"]})
    old = alert.status
    confirmed = last_confirmed(alert)
    alert.status = new_status
    alert.is_open = new_status in OPEN_STATUSES
    if not alert.is_open:
        alert.closed_at = timezone.now()
        alert.close_note = reason.strip()[:300]
        # Closed, it no longer follows its rule's evaluations: keep the last confirmation.
        alert.last_seen = confirmed
    alert.save(update_fields=["status", "is_open", "closed_at", "close_note", "last_seen"])
    AlertEvent.objects.create(
        alert=alert,
        actor=actor,
        kind="status",
        from_status=old,
        to_status=new_status,
        text=reason.strip(),
    )
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=alert,
        fields={"status": [old, new_status], "reason": reason},
    )
    return alert


@transaction.atomic
def assign(alert: Alert, *, actor, agency=None, officer: User | None = None) -> Alert:
    """Assign to an agency and/or an officer whose scope covers the alert."""
    _require_in_scope(actor, alert)
    if officer is not None:
        if not can(officer, "alert.view") or (
            officer.scope_area_id is not None
            and not scope_of(officer).contains(
                alert.kelurahan_code or alert.kecamatan_code or alert.kabkota_code
            )
        ):
            raise ValidationError({"officer": ["this officer's area does not cover the alert"]})
        agency = agency or officer.agency
    old = alert.status
    alert.assigned_agency = agency
    alert.assigned_to = officer
    if alert.status in (AlertStatus.NEW, AlertStatus.TRIAGED):
        alert.status = AlertStatus.ASSIGNED
    alert.save(update_fields=["assigned_agency", "assigned_to", "status"])
    AlertEvent.objects.create(
        alert=alert,
        actor=actor,
        kind="assign",
        from_status=old,
        to_status=alert.status,
        text=f"{agency or ''} {officer.username if officer else ''}".strip(),
    )
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=alert,
        fields={
            "assigned_agency": str(agency) if agency else None,
            "assigned_to": officer.username if officer else None,
        },
    )
    if officer is not None:
        notify(officer, alert, f"Alert #{alert.pk} ({alert.rule}) was assigned to you")
    return alert


@transaction.atomic
def comment(alert: Alert, text: str, *, actor) -> AlertEvent:
    if not can(actor, "alert.view"):
        raise PermissionDenied("alert.view")
    if not text.strip():
        raise ValidationError({"text": ["write a comment"]})
    event = AlertEvent.objects.create(
        alert=alert, actor=actor, kind="comment", text=text.strip()[:5000]
    )
    record(AuditAction.CREATE, actor=actor, obj=event, fields={"alert": alert.pk})
    return event


@transaction.atomic
def save_rule_setting(code: str, *, actor, enabled: bool, params: dict[str, Any]) -> RuleSetting:
    rule = RULES.get(code)
    if rule is None:
        raise ValidationError({"rule": [f"unknown rule {code}"]})
    unknown = set(params) - set(rule.defaults)
    if unknown:
        raise ValidationError({"params": [f"unknown parameter(s) {sorted(unknown)}"]})
    clean: dict[str, Any] = {}
    for name, value in params.items():
        default = rule.defaults[name]
        try:
            clean[name] = type(default)(value)
        except (TypeError, ValueError):
            raise ValidationError({name: [f"expected a {type(default).__name__}"]}) from None
    setting, _ = RuleSetting.objects.update_or_create(
        rule=code, defaults={"enabled": enabled, "params": clean}
    )
    record(AuditAction.UPDATE, actor=actor, obj=setting, fields={"enabled": enabled, **clean})
    return setting


@transaction.atomic
def mark_notifications_read(user: User, *, ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when ``ids`` is None);
    returns how many changed. Not audited: a notification holds no personal data beyond
    the alert it points to, whose reading is audited where it is shown."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
