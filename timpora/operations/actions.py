"""Writes for operations and TAK: atomic, validated, audited. Views, the phone page's JSON
endpoint, the API and the demo parse their input and call these; no rule lives anywhere else.

Permissions are checked here as well as at the door (views, API), because the same action is
reached from several doors and a decision on a foreigner's stay must never depend on which.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from timpora.accounts.access import can, require, scope_of
from timpora.accounts.choices import AgencyType
from timpora.accounts.models import User
from timpora.areas import geo
from timpora.areas.choices import AreaLevel
from timpora.areas.models import Area, area_columns_q
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.lib.mrz import MrzError, parse_mrz
from timpora.lib.names import passport_key
from timpora.lib.nationality import UnknownNationality, normalize_nationality
from timpora.operations import queries, rules
from timpora.operations.choices import (
    LEGAL_BASIS,
    OVERSTAY_BAN_BASIS,
    OVERSTAY_DEPORTATION_BASIS,
    STATUS_TRANSITIONS,
    ActionType,
    CaseStatus,
    CheckChannel,
    CheckResult,
    DecisionStatus,
    OperationStatus,
    ViolationType,
)
from timpora.operations.models import (
    AdministrativeAction,
    Case,
    CaseReview,
    CheckPhoto,
    Evidence,
    Examination,
    FieldCheck,
    JointOperation,
    OperationTeam,
)
from timpora.registry import actions as registry_actions
from timpora.registry import queries as registry_queries
from timpora.registry.choices import StaySource
from timpora.registry.models import Person, TravelDocument
from timpora.registry.status import today_in_jakarta

PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_COUNT = 6
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=10)
TARGET_LEVELS = (AreaLevel.KECAMATAN, AreaLevel.KELURAHAN, AreaLevel.DESA)
VILLAGE_LEVELS = (AreaLevel.KELURAHAN, AreaLevel.DESA)


class Errors(registry_actions.Errors):
    """Field errors collected so that one submission reports all its problems at once."""


def _diff(obj, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the changed values on ``obj``; return ``{name: [old, new]}`` for the audit."""
    changed = {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            changed[name] = [old, value]
            setattr(obj, name, value)
    return changed


# ------------------------------------------------------------------------------ operations


@dataclass
class OperationInput:
    """An operation plan as the form or API gives it."""

    name: str
    order_number: str
    order_date: date | None
    starts_on: date | None
    ends_on: date | None
    briefing_notes: str = ""
    area_codes: list[str] = field(default_factory=list)
    premises_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)
    alert_ids: list[int] = field(default_factory=list)


def _clean_operation(data: OperationInput, actor, errors: Errors) -> dict[str, Any]:
    name = " ".join(data.name.split())
    if not name:
        errors.add("name", _("Give the operation a name."))
    order_number = " ".join(data.order_number.split())
    if not order_number:
        errors.add("order_number", _("Field supervision needs a written order (surat perintah)."))
    if data.order_date is None:
        errors.add("order_date", _("Give the date of the order."))
    if data.starts_on is None:
        errors.add("starts_on", _("Give the first day."))
    if data.ends_on is None:
        errors.add("ends_on", _("Give the last day."))
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors.add("ends_on", _("The operation ends before it starts."))
    if data.order_date and data.starts_on and data.order_date > data.starts_on:
        errors.add("order_date", _("The order is dated after the operation starts."))
    return {
        "name": name[:200],
        "order_number": order_number[:100],
        "order_date": data.order_date,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "briefing_notes": data.briefing_notes.strip(),
    }


def _clean_targets(data: OperationInput, actor, errors: Errors) -> dict[str, list]:
    """Targets must lie in the planner's scope: one plans only where one may look."""
    from timpora.detection.models import Alert
    from timpora.intake.models import Premises

    scope = scope_of(actor)
    codes = sorted({c.strip() for c in data.area_codes if c.strip()})
    areas = list(Area.objects.filter(code__in=codes, level__in=TARGET_LEVELS))
    found = {a.code for a in areas}
    for code in codes:
        if code not in found:
            errors.add("area_codes", _("Unknown area %(code)s.") % {"code": code})
        elif not scope.contains(code):
            errors.add("area_codes", _("%(code)s is outside your area.") % {"code": code})
    premises = list(
        Premises.objects.filter(pk__in=data.premises_ids).filter(area_columns_q(scope.prefixes))
    )
    if len(premises) != len(set(data.premises_ids)):
        errors.add("premises_ids", _("Some premises are unknown or outside your area."))
    persons = list(registry_queries.persons_for(actor).filter(pk__in=data.person_ids))
    if len(persons) != len(set(data.person_ids)):
        errors.add("person_ids", _("Some persons are unknown or outside your area."))
    alerts_qs = Alert.objects.filter(pk__in=data.alert_ids, is_open=True)
    if actor.scope_area_id:
        alerts_qs = alerts_qs.filter(area_columns_q(scope.prefixes))
    alerts = list(alerts_qs)
    if len(alerts) != len(set(data.alert_ids)):
        errors.add("alert_ids", _("Some alerts are closed, unknown or outside your area."))
    return {
        "target_areas": areas,
        "target_premises": premises,
        "target_persons": persons,
        "target_alerts": alerts,
    }


def _set_targets(operation: JointOperation, targets: dict[str, list]) -> dict[str, Any]:
    changed = {}
    for name, objects in targets.items():
        manager = getattr(operation, name)
        before = set(manager.values_list("pk", flat=True))
        after = {o.pk for o in objects}
        if before != after:
            manager.set(objects)
            changed[name] = sorted(after)
    return changed


@transaction.atomic
def plan_operation(data: OperationInput, *, actor) -> JointOperation:
    """Plan a joint operation under its written order, with its targets."""
    require(actor, "operation.manage")
    errors = Errors()
    values = _clean_operation(data, actor, errors)
    targets = _clean_targets(data, actor, errors)
    errors.raise_if_any()
    operation = JointOperation.objects.create(created_by=actor, **values)
    _set_targets(operation, targets)
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=operation,
        fields={
            "order_number": operation.order_number,
            "period": [operation.starts_on, operation.ends_on],
            "areas": [a.code for a in targets["target_areas"]],
            "premises": [p.pk for p in targets["target_premises"]],
            "persons": [p.pk for p in targets["target_persons"]],
            "alerts": [a.pk for a in targets["target_alerts"]],
        },
    )
    return operation


def _lock(operation: JointOperation) -> None:
    """Lock the row and read its current state into the caller's instance (two managers
    pressing "start" and "edit" at once must not both see "planned")."""
    JointOperation.objects.select_for_update().filter(pk=operation.pk).first()
    operation.refresh_from_db()


def _require_manager(actor, operation: JointOperation) -> None:
    if not queries.may_manage(actor, operation):
        raise PermissionDenied("operation.manage")


def _require_not_finished(operation: JointOperation) -> None:
    if operation.status == OperationStatus.FINISHED:
        raise ValidationError(_("The operation is finished; its plan no longer changes."))


@transaction.atomic
def update_operation(operation: JointOperation, data: OperationInput, *, actor) -> JointOperation:
    """Change the plan (not after the operation finished: the report is final)."""
    _require_manager(actor, operation)
    _lock(operation)
    _require_not_finished(operation)
    errors = Errors()
    values = _clean_operation(data, actor, errors)
    targets = _clean_targets(data, actor, errors)
    errors.raise_if_any()
    changed = _diff(operation, values)
    if changed:
        operation.save(update_fields=[*changed, "updated_at"])
    changed.update(_set_targets(operation, targets))
    if changed:
        record(AuditAction.UPDATE, actor=actor, obj=operation, fields=changed)
    return operation


@transaction.atomic
def change_status(operation: JointOperation, status: str, *, actor) -> JointOperation:
    """planned → running (needs a team) → finished."""
    _require_manager(actor, operation)
    _lock(operation)
    if status not in STATUS_TRANSITIONS.get(operation.status, ()):
        raise ValidationError(
            _("An operation cannot go from %(old)s to %(new)s.")
            % {"old": operation.get_status_display(), "new": status}
        )
    if status == OperationStatus.RUNNING and not operation.teams.exists():
        raise ValidationError(_("Form at least one team before the operation starts."))
    old = operation.status
    operation.status = status
    now = timezone.now()
    fields = ["status", "updated_at"]
    if status == OperationStatus.RUNNING:
        operation.started_at = now
        fields.append("started_at")
    else:
        operation.finished_at = now
        fields.append("finished_at")
    operation.save(update_fields=fields)
    record(AuditAction.UPDATE, actor=actor, obj=operation, fields={"status": [old, status]})
    return operation


@transaction.atomic
def save_team(
    operation: JointOperation,
    *,
    name: str,
    leader: User,
    members: Iterable[User],
    actor,
    team: OperationTeam | None = None,
) -> OperationTeam:
    """Create or change a team. The leader is always a member; members are active users of
    TIMPORA member agencies (not reporters)."""
    _require_manager(actor, operation)
    _lock(operation)
    _require_not_finished(operation)
    errors = Errors()
    name = " ".join(name.split())[:100]
    if not name:
        errors.add("name", _("Give the team a name."))
    elif (
        OperationTeam.objects.filter(operation=operation, name=name)
        .exclude(pk=team.pk if team else None)
        .exists()
    ):
        errors.add("name", _("Another team of this operation has this name."))
    people = {u.pk: u for u in [leader, *members]}
    for user in people.values():
        if not user.is_active or user.agency_id is None or not can(user, "operation.view"):
            errors.add("members", _("%(user)s cannot join an operation.") % {"user": user})
    errors.raise_if_any()
    if team is None:
        team = OperationTeam.objects.create(operation=operation, name=name, leader=leader)
        action = AuditAction.CREATE
    else:
        team.name, team.leader = name, leader
        team.save(update_fields=["name", "leader"])
        action = AuditAction.UPDATE
    team.members.set(people.values())
    record(
        action,
        actor=actor,
        obj=team,
        fields={
            "operation": operation.pk,
            "leader": leader.pk,
            "members": sorted(people),
            "agencies": sorted({str(u.agency) for u in people.values()}),
        },
    )
    return team


# ------------------------------------------------------------------------------ field checks


@dataclass
class CheckInput:
    """One check as the phone page, its offline queue or the API sends it."""

    client_uuid: str
    result: str
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
    photos: Sequence[bytes] = ()


def _photo_suffix(content: bytes) -> str | None:
    """The file type from its first bytes (the client's name and type are its word only)."""
    if content.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return ".webp"
    return None


def _check_photos(photos: Sequence[bytes], errors: Errors) -> list[str]:
    if len(photos) > PHOTO_MAX_COUNT:
        errors.add("photos", _("At most %(n)s photos per check.") % {"n": PHOTO_MAX_COUNT})
    suffixes = []
    for number, content in enumerate(photos, start=1):
        suffix = _photo_suffix(content)
        if suffix is None:
            errors.add("photos", _("Photo %(n)s is not a JPEG, PNG or WebP image.") % {"n": number})
        if len(content) > PHOTO_MAX_BYTES:
            errors.add(
                "photos",
                _("Photo %(n)s is larger than %(mb)s MB.")
                % {"n": number, "mb": PHOTO_MAX_BYTES // (1024 * 1024)},
            )
        suffixes.append(suffix or "")
    return suffixes


def _check_area(data: CheckInput, actor, errors: Errors) -> Area | None:
    """The kelurahan/desa of the check: chosen, or located from the GPS point; inside the
    officer's scope; and the two must agree when both are given."""
    scope = scope_of(actor)
    located = None
    if (data.lon is None) != (data.lat is None):
        errors.add("lon", _("Give both longitude and latitude, or neither."))
    elif data.lon is not None and data.lat is not None:
        if not (-180 <= data.lon <= 180 and -90 <= data.lat <= 90):
            errors.add("lon", _("This is not a position on Earth."))
        else:
            located = geo.locate(data.lon, data.lat)
            if located is None:
                errors.add("lon", _("This point is not inside any kelurahan/desa we know."))
            elif not scope.contains(located.code):
                errors.add(
                    "lon",
                    _("This point lies in %(name)s (%(code)s), outside your area.")
                    % {"name": located.name, "code": located.code},
                )
                located = None
    chosen = None
    if data.area_code:
        chosen = Area.objects.filter(code=data.area_code, level__in=VILLAGE_LEVELS).first()
        if chosen is None:
            errors.add("area_code", _("Choose a kelurahan/desa."))
        elif not scope.contains(chosen.code):
            errors.add("area_code", _("This kelurahan/desa is outside your area."))
            chosen = None
        elif located is not None and located.code != chosen.code:
            errors.add(
                "area_code",
                _("The GPS point lies in %(name)s (%(code)s), not in the chosen kelurahan/desa.")
                % {"name": located.name, "code": located.code},
            )
    elif data.lon is None:
        errors.add("area_code", _("Choose the kelurahan/desa or use the GPS position."))
    return chosen or located


def _check_person(
    data: CheckInput, actor, nationality: str, passport: str, errors: Errors
) -> Person | None:
    """The registry person checked: the one picked from the lookup (within the officer's
    scope), or the holder of the passport seen (exact number, and nationality when known)."""
    if data.person_id:
        person = registry_queries.persons_for(actor).filter(pk=data.person_id).first()
        if person is None:
            errors.add("person_id", _("This person is unknown or outside your area."))
        return person
    if passport:
        docs = TravelDocument.objects.select_related("person").filter(number=passport)
        if nationality:
            docs = docs.filter(issuing_state=nationality)
        matches = {d.person_id: d.person for d in docs[:2]}
        if len(matches) == 1:
            return next(iter(matches.values()))
    return None


def _existing_check(client_uuid: uuid.UUID, operation: JointOperation, actor) -> FieldCheck | None:
    """The check already stored under this UUID (a re-sent queue entry), if it is the same
    officer's check in the same operation; any other reuse of a UUID is refused."""
    existing = FieldCheck.objects.filter(client_uuid=client_uuid).first()
    if existing is None:
        return None
    if existing.operation_id != operation.pk or existing.officer_id != actor.pk:
        raise ValidationError({"client_uuid": [_("This check identifier is already used.")]})
    return existing


def _accepts_check_at(operation: JointOperation, checked_at: datetime) -> bool:
    """A running operation takes checks; a finished one still takes those made before it
    finished, which a phone without connection could only send later."""
    if operation.status == OperationStatus.RUNNING:
        return True
    return bool(
        operation.status == OperationStatus.FINISHED
        and operation.finished_at
        and timezone.is_aware(checked_at)
        and checked_at <= operation.finished_at
    )


@transaction.atomic
def record_check(
    operation: JointOperation,
    data: CheckInput,
    *,
    actor,
    channel: str = CheckChannel.WEB,
) -> tuple[FieldCheck, bool]:
    """Record a field check; returns ``(check, created)``.

    Idempotent by ``client_uuid``: sending the same check again returns the stored one
    (``created`` False) and changes nothing, so the phone's offline queue may retry freely.
    A linked person gets a stay with source "field" where the check took place.
    """
    errors = Errors()
    try:
        client_uuid = uuid.UUID(str(data.client_uuid))
    except ValueError:
        raise ValidationError({"client_uuid": [_("Not a UUID.")]}) from None
    existing = _existing_check(client_uuid, operation, actor)
    if existing is not None:
        return existing, False
    if not queries.is_check_recorder(actor, operation):
        raise PermissionDenied("check.create")
    now = timezone.now()
    checked_at = data.checked_at or now
    if not _accepts_check_at(operation, checked_at):
        raise ValidationError(
            {"checked_at": [_("Checks are recorded only while the operation is running.")]}
        )

    if data.result not in CheckResult.values:
        errors.add("result", _("Choose the result of the check."))
    passport = passport_key(data.passport_number)
    full_name = " ".join(data.full_name.split())
    nationality = data.nationality.strip()
    mrz = ""
    if data.mrz.strip():
        try:
            parsed = parse_mrz(data.mrz)
        except MrzError as exc:
            for error in exc.errors:
                errors.add("mrz", str(error))
        else:
            mrz = "\n".join(line.strip().upper() for line in data.mrz.strip().splitlines())
            if passport and passport != parsed.document_number:
                errors.add("passport_number", _("This does not match the number in the MRZ."))
            passport = passport or parsed.document_number
            nationality = nationality or parsed.nationality
            full_name = full_name or f"{parsed.given_names} {parsed.surname}".strip()
    if nationality:
        try:
            nationality = normalize_nationality(nationality)
        except UnknownNationality as exc:
            errors.add("nationality", str(exc))
            nationality = ""
    if passport and not 5 <= len(passport) <= 20:
        errors.add("passport_number", _("A passport number has 5 to 20 letters or digits."))
    if timezone.is_naive(checked_at):
        errors.add("checked_at", _("Give the time with its time zone."))
    elif checked_at > now + CLOCK_SKEW:
        errors.add("checked_at", _("The time of the check is in the future."))
    elif timezone.localtime(checked_at).date() < operation.starts_on:
        errors.add("checked_at", _("The check is dated before the operation started."))
    area = _check_area(data, actor, errors)
    premises = None
    if data.premises_id:
        from timpora.intake.models import Premises

        premises = (
            Premises.objects.filter(pk=data.premises_id)
            .filter(area_columns_q(scope_of(actor).prefixes))
            .first()
        )
        if premises is None:
            errors.add("premises_id", _("These premises are unknown or outside your area."))
    person = _check_person(data, actor, nationality, passport, errors)
    if data.result in (CheckResult.COMPLIANT, CheckResult.VIOLATION) and not (
        person or full_name or passport
    ):
        errors.add("full_name", _("Say whom you checked: pick the person or give a name."))
    observations = data.observations.strip()
    if data.result == CheckResult.VIOLATION and not observations:
        errors.add("observations", _("Describe the violation you found."))
    suffixes = _check_photos(data.photos, errors)
    errors.raise_if_any()
    assert area is not None  # _check_area reports an error whenever it finds none

    if person is not None and not passport:
        # Picked from the lookup: the report lists the passport the registry knows.
        document = person.documents.order_by("-expiry_date", "-id").first()
        passport = document.number if document else ""
    status, overstay = ("", None)
    alerts: list[dict[str, Any]] = []
    watchlist: list[dict[str, Any]] = []
    if person is not None:
        status, overstay = queries.person_state(person, timezone.localtime(checked_at).date())
        alerts = queries.open_alerts(actor, person)
        watchlist = queries.watchlist_hits(actor, person)
    check = FieldCheck(
        operation=operation,
        team=queries.team_of(actor, operation),
        officer=actor,
        client_uuid=client_uuid,
        checked_at=checked_at,
        person=person,
        full_name=(full_name or (person.full_name if person else ""))[:250],
        nationality=nationality or (person.nationality if person else ""),
        passport_number=passport,
        mrz=mrz,
        premises=premises,
        lon=data.lon,
        lat=data.lat,
        location_note=data.location_note.strip()[:300],
        result=data.result,
        observations=observations,
        permit_status=status,
        overstay_days=overstay,
        alerts_seen=alerts,
        watchlist_hits=watchlist,
        channel=channel if channel in CheckChannel.values else CheckChannel.WEB,
    )
    check.set_area_code(area.code)
    try:
        with transaction.atomic():
            check.save()
    except IntegrityError:
        # The same UUID arrived twice at once (a retry racing its original): one wins.
        existing = _existing_check(client_uuid, operation, actor)
        if existing is None:
            raise
        return existing, False
    written = _store_photos(check, data.photos, suffixes)
    if person is not None:
        day = timezone.localtime(checked_at).date()
        registry_actions.add_stay(
            person,
            registry_actions.StayInput(
                area_code=area.code,
                date_from=day,
                date_to=day,
                address=check.location_note or (premises.address if premises else ""),
                lon=data.lon,
                lat=data.lat,
                source=StaySource.FIELD,
                source_ref=f"check:{check.pk}",
            ),
            actor=actor,
        )
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=check,
        fields={
            "operation": operation.pk,
            "client_uuid": str(client_uuid),
            "person": person.pk if person else None,
            "result": check.result,
            "area": area.code,
            "gps": data.lon is not None,
            "photos": written,
            "channel": check.channel,
        },
    )
    return check, True


def _store_photos(check: FieldCheck, photos: Sequence[bytes], suffixes: list[str]) -> int:
    """Private storage, random names; files already written are removed if a later one fails
    (the rows roll back with the transaction, the files would not)."""
    written: list[CheckPhoto] = []
    try:
        for content, suffix in zip(photos, suffixes, strict=True):
            photo = CheckPhoto(check_record=check)
            photo.image.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(content), save=True)
            written.append(photo)
    except Exception:
        for photo in written:
            photo.image.storage.delete(photo.image.name)
        raise
    return len(written)


# ------------------------------------------------------------------------------ cases


def _require_case_manager(actor) -> None:
    """Cases and decisions are the immigration office's: ``case.manage`` *and* an
    immigration-agency user. A police or local-government member never edits them."""
    require(actor, "case.manage")
    if actor.agency_id is None or actor.agency.agency_type != AgencyType.IMMIGRATION:
        raise PermissionDenied("case.manage: immigration office only")


def _clean_violations(violations: Iterable[str], errors: Errors) -> list[str]:
    chosen = list(dict.fromkeys(v for v in violations if v))
    if not chosen:
        errors.add("violations", _("Choose at least one violation."))
    for value in chosen:
        if value not in ViolationType.values:
            errors.add("violations", _("Unknown violation %(value)s.") % {"value": value})
    return [v for v in chosen if v in ViolationType.values]


def _person_from_check(check: FieldCheck, actor) -> Person:
    """Register the person seen at a check who is not in the registry yet (e.g. found without
    any document): a case is always about a registry person."""
    if not check.full_name or not check.nationality:
        raise ValidationError(
            {
                "person": [
                    _(
                        "The check names no registry person: it needs at least a name and a "
                        "nationality to register one."
                    )
                ]
            }
        )
    document = None
    if check.passport_number:
        document = registry_actions.DocumentInput(
            number=check.passport_number, issuing_state=check.nationality, mrz=check.mrz
        )
    person = registry_actions.register_person(
        registry_actions.PersonInput(full_name=check.full_name, nationality=check.nationality),
        actor=actor,
        document=document,
        stay=registry_actions.StayInput(
            area_code=check.area_code,
            date_from=timezone.localtime(check.checked_at).date(),
            source=StaySource.FIELD,
            source_ref=f"check:{check.pk}",
        ),
    )
    check.person = person
    check.save(update_fields=["person"])
    return person


@transaction.atomic
def open_case(
    *,
    actor,
    violations: Iterable[str],
    summary: str = "",
    check: FieldCheck | None = None,
    person: Person | None = None,
) -> Case:
    """Open a case from a check that found a violation (one case per check), or about a
    person directly (a finding outside an operation)."""
    _require_case_manager(actor)
    errors = Errors()
    chosen = _clean_violations(violations, errors)
    if check is None and person is None:
        errors.add("person", _("A case is about a person or comes from a check."))
    if check is not None:
        check = FieldCheck.objects.select_for_update().get(pk=check.pk)
        if check.result != CheckResult.VIOLATION:
            errors.add("check", _("Only a check that found a violation opens a case."))
        elif Case.objects.filter(check_record=check).exists():
            errors.add("check", _("This check has already opened a case."))
    errors.raise_if_any()
    if check is not None:
        person = check.person or _person_from_check(check, actor)
    assert person is not None
    case = Case(
        person=person,
        operation=check.operation if check else None,
        check_record=check,
        violations=chosen,
        summary=summary.strip() or (check.observations if check else ""),
        opened_by=actor,
    )
    case.set_area_code(check.area_code if check else person.area_code)
    case.save()
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=case,
        fields={
            "person": person.pk,
            "check": check.pk if check else None,
            "operation": case.operation_id,
            "violations": chosen,
        },
    )
    return case


@transaction.atomic
def update_case(case: Case, *, violations: Iterable[str], summary: str, actor) -> Case:
    _require_case_manager(actor)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed."))
    errors = Errors()
    chosen = _clean_violations(violations, errors)
    errors.raise_if_any()
    changed = _diff(case, {"violations": chosen, "summary": summary.strip()})
    if changed:
        case.save(update_fields=[*changed, "updated_at"])
        record(AuditAction.UPDATE, actor=actor, obj=case, fields=changed)
    return case


def _evidence_type(content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    return {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}.get(
        _photo_suffix(content) or ""
    )


_EVIDENCE_SUFFIX = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
}


@transaction.atomic
def add_examination(
    case: Case,
    *,
    examined_on: date | None,
    examiner: User | None,
    statement: str,
    actor,
    place: str = "",
    interpreter: str = "",
    evidence: Sequence[tuple[bytes, str]] = (),
) -> Examination:
    """Record the examination (BAP) with its evidence files (PDF or image, stored privately).
    The examiner is an immigration officer (*PPNS Keimigrasian*)."""
    _require_case_manager(actor)
    errors = Errors()
    if case.status != CaseStatus.OPEN:
        errors.add("case", _("The case is already decided."))
    if examined_on is None:
        errors.add("examined_on", _("Give the date of the examination."))
    elif examined_on > today_in_jakarta():
        errors.add("examined_on", _("The date is in the future."))
    if (
        examiner is None
        or examiner.agency_id is None
        or (examiner.agency.agency_type != AgencyType.IMMIGRATION)
    ):
        errors.add("examiner", _("The examiner is an officer of the immigration office."))
    if not statement.strip():
        errors.add("statement", _("Write down the statement."))
    types = []
    for number, (content, _description) in enumerate(evidence, start=1):
        kind = _evidence_type(content)
        if kind is None:
            errors.add("evidence", _("File %(n)s is not a PDF or an image.") % {"n": number})
        if len(content) > EVIDENCE_MAX_BYTES:
            errors.add(
                "evidence",
                _("File %(n)s is larger than %(mb)s MB.")
                % {"n": number, "mb": EVIDENCE_MAX_BYTES // (1024 * 1024)},
            )
        types.append(kind or "")
    errors.raise_if_any()
    examination = Examination.objects.create(
        case=case,
        examined_on=examined_on,
        examiner=examiner,
        statement=statement.strip(),
        place=place.strip()[:200],
        interpreter=interpreter.strip()[:150],
        created_by=actor,
    )
    stored: list[Evidence] = []
    try:
        for (content, description), kind in zip(evidence, types, strict=True):
            item = Evidence(
                examination=examination, description=description.strip()[:200], content_type=kind
            )
            item.file.save(f"{uuid.uuid4().hex}{_EVIDENCE_SUFFIX[kind]}", ContentFile(content))
            stored.append(item)
    except Exception:
        for item in stored:
            item.file.storage.delete(item.file.name)
        raise
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=examination,
        fields={"case": case.pk, "examiner": examiner.pk, "evidence": len(stored)},
    )
    return examination


@transaction.atomic
def hold_review(
    case: Case,
    *,
    held_on: date | None,
    chair: User | None,
    conclusion: str,
    actor,
    participants: Iterable[User] = (),
    other_participants: str = "",
) -> CaseReview:
    """Record the case review (*gelar kasus*). It follows the examination and is chaired by
    the head of office, who signs what it decides."""
    _require_case_manager(actor)
    errors = Errors()
    if case.status != CaseStatus.OPEN:
        errors.add("case", _("The case is already decided."))
    if not case.examinations.exists():
        errors.add("case", _("Examine the person (BAP) before the case review."))
    if held_on is None:
        errors.add("held_on", _("Give the date of the case review."))
    elif held_on > today_in_jakarta():
        errors.add("held_on", _("The date is in the future."))
    if chair is None or not can(chair, "decision.sign"):
        errors.add("chair", _("The case review is chaired by the head of office."))
    if not conclusion.strip():
        errors.add("conclusion", _("Write down the conclusion."))
    errors.raise_if_any()
    review = CaseReview.objects.create(
        case=case,
        held_on=held_on,
        chair=chair,
        conclusion=conclusion.strip(),
        other_participants=other_participants.strip(),
        created_by=actor,
    )
    people = list(participants)
    review.participants.set(people)
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=review,
        fields={
            "case": case.pk,
            "chair": chair.pk,
            "participants": sorted(p.pk for p in people),
        },
    )
    return review


# ------------------------------------------------------------------------------ decisions


def suggested_actions(case: Case, on: date | None = None) -> list[tuple[str, str]]:
    """What Art. 78 prescribes for the case's overstay on a day: ``(action_type, basis)``."""
    on = on or today_in_jakarta()
    if ViolationType.OVERSTAY not in case.violations:
        return []
    assessment = rules.assess_overstay(
        case.person.current_permit_valid_until, on, settings.TIMPORA_OVERSTAY_FEE_PER_DAY
    )
    if assessment.deportation:
        return [
            (ActionType.DEPORTATION, OVERSTAY_DEPORTATION_BASIS),
            (ActionType.BAN_LIST, OVERSTAY_BAN_BASIS),
        ]
    if assessment.overstaying:
        return [(ActionType.FEE, LEGAL_BASIS[ActionType.FEE])]
    return []


def _decision_values(
    case: Case,
    *,
    action_type: str,
    decision_date: date | None,
    decision_number: str,
    legal_basis: str,
    details: str,
    errors: Errors,
    exclude_pk: int | None = None,
) -> dict[str, Any]:
    """Validate a decision and compute what follows from the law: the legal basis, and for a
    fee the overstay days on the decision date and the amount (Art. 78(2), ≤ 60 days)."""
    if action_type not in ActionType.values:
        errors.add("action_type", _("Choose the action."))
        return {}
    number = " ".join(decision_number.split())[:100]
    if (
        number
        and AdministrativeAction.objects.filter(decision_number=number)
        .exclude(pk=exclude_pk)
        .exists()
    ):
        errors.add("decision_number", _("Another decision has this number."))
    if decision_date and decision_date > today_in_jakarta():
        errors.add("decision_date", _("The decision date is in the future."))
    on = decision_date or today_in_jakarta()
    assessment = rules.assess_overstay(
        case.person.current_permit_valid_until, on, settings.TIMPORA_OVERSTAY_FEE_PER_DAY
    )
    amount = None
    basis = " ".join(legal_basis.split())
    if action_type == ActionType.FEE:
        if not assessment.overstaying:
            errors.add(
                "action_type",
                _("On %(day)s the person does not overstay: no fee is due.") % {"day": on},
            )
        elif assessment.deportation:
            errors.add(
                "action_type",
                _(
                    "%(days)s days of overstay on %(day)s: more than 60 days means deportation "
                    "and an entry ban (Art. 78(3)), not a fee."
                )
                % {"days": assessment.days, "day": on},
            )
        amount = assessment.fee
    if not basis:
        if assessment.deportation and action_type == ActionType.DEPORTATION:
            basis = OVERSTAY_DEPORTATION_BASIS
        elif assessment.deportation and action_type == ActionType.BAN_LIST:
            basis = OVERSTAY_BAN_BASIS
        else:
            basis = LEGAL_BASIS[action_type]
    return {
        "action_type": action_type,
        "decision_number": number,
        "decision_date": decision_date,
        "legal_basis": basis[:300],
        "details": details.strip(),
        "overstay_days": assessment.days if assessment.overstaying else None,
        "amount": amount,
    }


@transaction.atomic
def draft_action(
    review: CaseReview,
    *,
    action_type: str,
    actor,
    decision_number: str = "",
    decision_date: date | None = None,
    legal_basis: str = "",
    details: str = "",
) -> AdministrativeAction:
    """Draft one action decided by the case review (signed later by the head of office)."""
    _require_case_manager(actor)
    case = review.case
    errors = Errors()
    if case.status == CaseStatus.CLOSED:
        errors.add("case", _("The case is closed."))
    values = _decision_values(
        case,
        action_type=action_type,
        decision_date=decision_date,
        decision_number=decision_number,
        legal_basis=legal_basis,
        details=details,
        errors=errors,
    )
    errors.raise_if_any()
    action = AdministrativeAction.objects.create(
        case=case, review=review, drafted_by=actor, **values
    )
    record(AuditAction.CREATE, actor=actor, obj=action, fields={"case": case.pk, **values})
    return action


def _require_draft(action: AdministrativeAction) -> None:
    if action.is_signed:
        raise ValidationError(_("The decision is signed: only its follow-up may change."))


@transaction.atomic
def update_action(
    action: AdministrativeAction,
    *,
    actor,
    action_type: str,
    decision_number: str,
    decision_date: date | None,
    legal_basis: str,
    details: str,
) -> AdministrativeAction:
    """Change a draft decision (the fee is computed again for the new decision date)."""
    _require_case_manager(actor)
    action = AdministrativeAction.objects.select_for_update().get(pk=action.pk)
    _require_draft(action)
    errors = Errors()
    values = _decision_values(
        action.case,
        action_type=action_type,
        decision_date=decision_date,
        decision_number=decision_number,
        legal_basis=legal_basis,
        details=details,
        errors=errors,
        exclude_pk=action.pk,
    )
    errors.raise_if_any()
    changed = _diff(action, values)
    if changed:
        action.save(update_fields=[*changed, "updated_at"])
        record(AuditAction.UPDATE, actor=actor, obj=action, fields=changed)
    return action


@transaction.atomic
def sign_action(action: AdministrativeAction, *, actor) -> AdministrativeAction:
    """The head of office signs a decision. It needs its number and date; the fee is checked
    once more for the decision date. When every action of the case is signed, the case is
    decided."""
    require(actor, "decision.sign")
    action = AdministrativeAction.objects.select_for_update().get(pk=action.pk)
    _require_draft(action)
    errors = Errors()
    if not action.decision_number:
        errors.add("decision_number", _("Give the decision number before signing."))
    if action.decision_date is None:
        errors.add("decision_date", _("Give the decision date before signing."))
    values = _decision_values(
        action.case,
        action_type=action.action_type,
        decision_date=action.decision_date,
        decision_number=action.decision_number,
        legal_basis=action.legal_basis,
        details=action.details,
        errors=errors,
        exclude_pk=action.pk,
    )
    errors.raise_if_any()
    _diff(action, values)
    action.status = DecisionStatus.SIGNED
    action.signed_by = actor
    action.signed_at = timezone.now()
    action.save()
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=action,
        fields={
            "status": [DecisionStatus.DRAFT, DecisionStatus.SIGNED],
            "decision_number": action.decision_number,
            "decision_date": action.decision_date,
            "amount": action.amount,
        },
    )
    case = action.case
    if (
        case.status == CaseStatus.OPEN
        and not case.actions.exclude(status=DecisionStatus.SIGNED).exists()
    ):
        case.status = CaseStatus.DECIDED
        case.save(update_fields=["status", "updated_at"])
        record(
            AuditAction.UPDATE,
            actor=actor,
            obj=case,
            fields={"status": [CaseStatus.OPEN, CaseStatus.DECIDED]},
        )
    return action


@dataclass
class FollowUpInput:
    paid_on: date | None = None
    deported_on: date | None = None
    flight: str = ""
    ban_until: date | None = None
    detention_place: str = ""
    detention_from: date | None = None
    detention_until: date | None = None
    follow_up_note: str = ""


@transaction.atomic
def record_follow_up(
    action: AdministrativeAction, data: FollowUpInput, *, actor
) -> AdministrativeAction:
    """What happened after a signed decision: paid, deported (date and flight), ban entered
    until a date, detained (Rudenim, dates). When every action of the case is followed up,
    the case is closed."""
    _require_case_manager(actor)
    action = AdministrativeAction.objects.select_for_update().get(pk=action.pk)
    errors = Errors()
    if not action.is_signed:
        errors.add("status", _("Only a signed decision is followed up."))
    start = action.decision_date
    today = today_in_jakarta()
    for name in ("paid_on", "deported_on", "detention_from"):
        value = getattr(data, name)
        if value and start and value < start:
            errors.add(name, _("This is before the decision date."))
        if value and value > today:
            errors.add(name, _("The date is in the future."))
    if data.ban_until and start and data.ban_until <= start:
        errors.add("ban_until", _("The ban ends before the decision date."))
    if data.detention_until and data.detention_from and data.detention_until < data.detention_from:
        errors.add("detention_until", _("Detention ends before it starts."))
    if data.deported_on and action.action_type == ActionType.DEPORTATION and not data.flight:
        errors.add("flight", _("Give the flight (or carrier) of the deportation."))
    if data.detention_from and not data.detention_place.strip():
        errors.add("detention_place", _("Name the detention house (Rudenim)."))
    errors.raise_if_any()
    changed = _diff(
        action,
        {
            "paid_on": data.paid_on,
            "deported_on": data.deported_on,
            "flight": " ".join(data.flight.split())[:40],
            "ban_until": data.ban_until,
            "detention_place": data.detention_place.strip()[:200],
            "detention_from": data.detention_from,
            "detention_until": data.detention_until,
            "follow_up_note": data.follow_up_note.strip(),
        },
    )
    if not changed:
        return action
    action.followed_up_at = timezone.now()
    action.save(update_fields=[*changed, "followed_up_at", "updated_at"])
    record(AuditAction.UPDATE, actor=actor, obj=action, fields={"follow_up": changed})
    case = action.case
    actions = list(case.actions.all())
    if (
        case.status == CaseStatus.DECIDED
        and actions
        and all(a.is_signed and a.followed_up for a in actions)
    ):
        case.status = CaseStatus.CLOSED
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "closed_at", "updated_at"])
        record(
            AuditAction.UPDATE,
            actor=actor,
            obj=case,
            fields={"status": [CaseStatus.DECIDED, CaseStatus.CLOSED]},
        )
    return action
