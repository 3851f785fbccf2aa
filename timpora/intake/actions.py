"""Writes for intake: premises registration and approval, reports filed one by one, tips.

Reports filed through a form or the API go through the same validation and write path as
file imports (``pipeline`` + ``importer``), so one set of rules decides what is accepted.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from timpora.accounts import actions as account_actions
from timpora.accounts.access import scope_of
from timpora.accounts.choices import AgencyType, Role
from timpora.accounts.models import Agency, User
from timpora.areas import geo
from timpora.areas.choices import AreaLevel
from timpora.areas.models import Area
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.intake import importer, pipeline
from timpora.intake.choices import PremisesKind, PremisesStatus, ReportChannel, TipStatus
from timpora.intake.models import (
    AccommodationReport,
    EmployerReport,
    FieldFinding,
    FindingPhoto,
    Premises,
    PublicTip,
)
from timpora.lib.mrz import MrzError, parse_mrz
from timpora.lib.names import name_key, passport_key
from timpora.lib.nationality import UnknownNationality, normalize_nationality
from timpora.registry import actions as registry_actions
from timpora.registry.choices import StaySource
from timpora.registry.models import Person
from timpora.registry.status import today_in_jakarta


@transaction.atomic
def register_premises(
    *,
    kind: str,
    name: str,
    licence_number: str,
    address: str,
    area_code: str,
    person_in_charge: str,
    phone: str = "",
    email: str = "",
    username: str,
    password: str,
    actor=None,
) -> Premises:
    """Self-registration: the premises, its agency and an inactive reporter account that the
    immigration office activates on approval."""
    errors: dict[str, list[str]] = {}
    if kind not in PremisesKind.values:
        errors.setdefault("kind", []).append(f"unknown kind {kind!r}")
    area = Area.objects.filter(code=area_code).first()
    if area is None or area.level not in ("kelurahan", "desa"):
        errors.setdefault("area_code", []).append("choose the kelurahan/desa of the premises")
    if Premises.objects.filter(kind=kind, licence_number=licence_number.strip()).exists():
        errors.setdefault("licence_number", []).append(
            "premises with this licence number are already registered"
        )
    if User.objects.filter(username=username).exists():
        errors.setdefault("username", []).append("this username is taken")
    if Agency.objects.filter(name=name.strip()).exists():
        errors.setdefault("name", []).append("an organisation with this name is registered")
    if errors:
        raise ValidationError(errors)
    agency = account_actions.create_agency(
        name=name.strip(),
        short_name=name.strip()[:60],
        agency_type=AgencyType.ACCOMMODATION,
        area=area,
        actor=actor,
    )
    premises = Premises(
        kind=kind,
        name=name.strip(),
        licence_number=licence_number.strip(),
        address=address.strip(),
        person_in_charge=person_in_charge.strip(),
        phone=phone,
        email=email,
        agency=agency,
    )
    premises.set_area_code(area_code)
    premises.save()
    user = account_actions.create_user(
        username=username,
        password=password,
        role=Role.REPORTER,
        agency=agency,
        scope_area=area,
        first_name=person_in_charge.strip()[:150],
        email=email,
        actor=actor,
    )
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=premises,
        fields={"kind": kind, "licence_number": licence_number, "area": area_code},
    )
    return premises


@transaction.atomic
def decide_premises(premises: Premises, *, approve: bool, actor, note: str = "") -> Premises:
    """Approve (activating its reporter accounts) or reject a registration."""
    premises.status = PremisesStatus.APPROVED if approve else PremisesStatus.REJECTED
    premises.decided_by = actor
    premises.decided_at = timezone.now()
    premises.decision_note = note[:300]
    premises.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    User.objects.filter(agency=premises.agency, role=Role.REPORTER).update(is_active=approve)
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=premises,
        fields={"status": premises.status, "note": note},
    )
    return premises


def _one_row(values: dict[str, str], spec) -> tuple[pa.Table, array]:
    names = [c.name for c in spec]
    unknown = set(values) - set(names)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    table = pa.table({n: pa.array([str(values.get(n) or "")], pa.string()) for n in names})
    return table, array("l", [1])


def _raise_row_errors(chunk: pipeline.Chunk) -> None:
    if chunk.errors:
        errors: dict[str, list[str]] = {}
        for error in chunk.errors:
            errors.setdefault(error.field or "__all__", []).append(error.reason)
        raise ValidationError(errors)


@transaction.atomic
def file_accommodation_report(
    premises: Premises, values: dict[str, Any], *, actor, channel: str = ReportChannel.FORM
) -> AccommodationReport:
    """File one guest report for ``premises`` (form or API) and return it.

    ``values`` uses the import column names; the same rules as a file import apply. Filing
    the same guest and check-in again returns the report already filed.
    """
    if premises.status != PremisesStatus.APPROVED:
        raise ValidationError({"__all__": ["the premises is not approved for reporting yet"]})
    table, numbers = _one_row(
        {k: v for k, v in values.items() if k != "premises_licence"}, pipeline.ACCOMMODATION_COLUMNS
    )
    chunk = pipeline.validate_accommodation(
        table,
        numbers,
        now_utc=pipeline.now_utc(),
        premises_by_licence=None,
        default_premises=premises.pk,
        late_hours=settings.TIMPORA_REPORT_LATE_HOURS,
    )
    _raise_row_errors(chunk)
    stage = importer._stage_table(chunk, importer.ACCOMMODATION_STAGE)
    importer._load_stage(stage, importer.ACCOMMODATION_STAGE)
    importer._write_accommodation(None, actor, channel=channel)
    report = AccommodationReport.objects.get(dedup_key=chunk.table["dedup_key"][0].as_py())
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=report,
        fields={"premises": premises.pk, "late": report.is_late, "channel": channel},
    )
    return report


@transaction.atomic
def check_out(report: AccommodationReport, when, *, actor) -> AccommodationReport:
    """Record the guest's check-out (and end the stay that the report opened)."""
    from timpora.registry.models import Stay

    if when < report.check_in:
        raise ValidationError({"check_out": ["check-out is before check-in"]})
    report.check_out = when
    report.save(update_fields=["check_out"])
    local_day = timezone.localtime(when).date()
    # The import write path names the stay after the report's receipt code (set-based SQL
    # inserts stays before report ids are known).
    Stay.objects.filter(source_ref=f"accommodation:{report.verification_code}").update(
        date_to=local_day
    )
    record(AuditAction.UPDATE, actor=actor, obj=report, fields={"check_out": when})
    return report


@transaction.atomic
def file_employer_report(
    premises: Premises, values: dict[str, Any], *, actor, channel: str = ReportChannel.FORM
) -> EmployerReport:
    """File one employer report (start, confirm, change, transfer, end of work)."""
    if premises.status != PremisesStatus.APPROVED:
        raise ValidationError({"__all__": ["the company is not approved for reporting yet"]})
    table, numbers = _one_row(
        {k: v for k, v in values.items() if k != "premises_licence"}, pipeline.EMPLOYER_COLUMNS
    )
    known = set(
        Area.objects.filter(code=str(values.get("work_area_code") or "")).values_list(
            "code", flat=True
        )
    )
    chunk = pipeline.validate_employer(
        table,
        numbers,
        now_utc=pipeline.now_utc(),
        premises_by_licence=None,
        default_premises=premises.pk,
        known_areas=known,
    )
    _raise_row_errors(chunk)
    stage = importer._stage_table(chunk, importer.EMPLOYER_STAGE)
    importer._load_stage(stage, importer.EMPLOYER_STAGE)
    inserted = importer._write_employer(None, actor)
    report = EmployerReport.objects.get(dedup_key=chunk.table["dedup_key"][0].as_py())
    if inserted and report.channel != channel:
        # ``_write_employer`` knows only "form" and "import": an API report says so.
        report.channel = channel
        report.save(update_fields=["channel"])
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=report,
        fields={"premises": premises.pk, "event": report.event},
    )
    return report


def _client_hash(ip: str, user_agent: str) -> str:
    """A salted hash: enough to rate-limit a sender, never to identify the tipster."""
    salt = settings.SECRET_KEY.encode("utf-8")
    return hashlib.sha256(salt + ip.encode() + b"|" + user_agent.encode()).hexdigest()


class TooManyTips(Exception):
    """The sender has filed too many tips recently."""


@transaction.atomic
def file_public_tip(
    *, area_code: str, description: str, ip: str, user_agent: str, max_per_hour: int = 3
) -> PublicTip:
    area = Area.objects.filter(code=area_code).first()
    errors: dict[str, list[str]] = {}
    if area is None:
        errors["area_code"] = ["choose the kelurahan/desa"]
    if len(description.strip()) < 20:
        errors["description"] = ["describe what you saw in at least 20 characters"]
    if errors:
        raise ValidationError(errors)
    sender = _client_hash(ip, user_agent)
    hour_ago = timezone.now() - timezone.timedelta(hours=1)
    if (
        PublicTip.objects.filter(client_hash=sender, created_at__gte=hour_ago).count()
        >= max_per_hour
    ):
        raise TooManyTips()
    tip = PublicTip(
        tracking_code=_tracking_code(),
        description=description.strip()[:5000],
        client_hash=sender,
        status=TipStatus.RECEIVED,
    )
    tip.set_area_code(area_code)
    tip.save()
    record(
        AuditAction.CREATE,
        actor=None,
        obj=tip,
        object_repr=tip.tracking_code,
        fields={"area": area_code},
    )
    return tip


def _tracking_code() -> str:
    alphabet = importer._CODE_ALPHABET
    return "".join(secrets.choice(alphabet) for _ in range(10))


# --------------------------------------------------------------------------- field findings

FINDING_PHOTO_MAX_BYTES = 10 * 1024 * 1024
FINDING_PHOTO_MAX_COUNT = 10
# A finding may be written up after the fact, but not dated in the future; the allowance
# covers a phone whose clock runs a little ahead of the server's.
_CLOCK_SKEW = timedelta(minutes=10)

_MRZ_FIELD_LABELS = {
    "lines": _("line layout"),
    "document_type": _("document type"),
    "issuing_state": _("issuing country"),
    "document_number": _("document number"),
    "nationality": _("nationality"),
    "birth_date": _("date of birth"),
    "sex": _("sex"),
    "expiry_date": _("expiry date"),
    "optional_data": _("optional data"),
    "composite": _("composite check digit"),
}
# MRZ field → the finding field it fills (its errors are shown there too).
_MRZ_TARGETS = {
    "document_number": "passport_number",
    "nationality": "nationality",
    "birth_date": "birth_date",
    "sex": "sex",
    "expiry_date": "passport_expiry",
}


@dataclass
class FindingInput:
    """What an officer records about a person met in the field (web form or API).

    Identity comes typed, from a pasted MRZ, or both (typed values win, the MRZ fills the
    rest); the place is a kelurahan/desa, a GPS point, or both (they must agree).
    """

    observation: str
    surname: str = ""
    given_names: str = ""
    full_name: str = ""
    sex: str = ""
    birth_date: date | None = None
    nationality: str = ""
    passport_number: str = ""
    passport_expiry: date | None = None
    mrz: str = ""
    area_code: str = ""
    lon: float | None = None
    lat: float | None = None
    location_note: str = ""
    working: bool = False
    found_at: datetime | None = None


def identity_from_mrz(text: str, *, today: date | None = None) -> dict[str, Any]:
    """The identity fields a pasted MRZ gives, keyed like ``FindingInput``.

    Raises ``ValidationError`` whose messages name the failing MRZ field, on ``mrz`` and on
    the finding field the MRZ field would have filled (a bad birth-date check digit also
    shows at the date of birth).
    """
    try:
        parsed = parse_mrz(text, today=today or today_in_jakarta())
    except MrzError as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            label = _MRZ_FIELD_LABELS.get(error.field, error.field)
            message = str(
                _("MRZ %(field)s: %(message)s") % {"field": label, "message": error.message}
            )
            errors.setdefault("mrz", []).append(message)
            target = _MRZ_TARGETS.get(error.field)
            if target:
                errors.setdefault(target, []).append(message)
        raise ValidationError(errors) from exc
    return {
        "surname": parsed.surname,
        "given_names": parsed.given_names,
        "sex": parsed.sex,
        "birth_date": parsed.birth_date,
        "nationality": _nationality_or_as_given(parsed.nationality),
        "passport_number": parsed.document_number,
        "passport_expiry": parsed.expiry_date,
        "mrz": "\n".join(
            "".join(line.split()).upper() for line in text.splitlines() if line.strip()
        ),
    }


def _nationality_or_as_given(code: str) -> str:
    """ICAO codes such as ``D`` become ISO ``DEU``; an unknown code is left for the
    nationality check to report."""
    try:
        return normalize_nationality(code)
    except UnknownNationality:
        return code


def _merge_mrz(data: FindingInput, errors: registry_actions.Errors) -> tuple[FindingInput, bool]:
    """Fill the fields left empty from the MRZ; a typed passport number must match it.

    Returns the merged input and whether the MRZ (if any) could be read.
    """
    if not data.mrz.strip():
        return data, True
    try:
        mrz = identity_from_mrz(data.mrz)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                errors.add(name, message)
        return data, False
    typed = passport_key(data.passport_number)
    if typed and typed != mrz["passport_number"]:
        errors.add(
            "passport_number",
            str(
                _("This does not match the number in the MRZ (%(number)s).")
                % {"number": mrz["passport_number"]}
            ),
        )
    merged = replace(data, mrz=mrz["mrz"])
    if not (data.surname or data.given_names or data.full_name):
        merged.surname, merged.given_names = mrz["surname"], mrz["given_names"]
    for name in ("sex", "birth_date", "nationality", "passport_number", "passport_expiry"):
        if not getattr(data, name):
            setattr(merged, name, mrz[name])
    return merged, True


def _finding_area(data: FindingInput, actor, errors: registry_actions.Errors) -> Area | None:
    """The kelurahan/desa of the finding: chosen, or located from the GPS point.

    Both must lie inside the officer's scope: an officer records findings in the area they
    work in, and the finding becomes visible to that area's team. When both are given they
    must agree, so a wrong pick in the list is caught rather than silently overridden.
    """
    scope = scope_of(actor)
    located = None
    if (data.lon is None) != (data.lat is None):
        errors.add("lon", str(_("Give both longitude and latitude, or neither.")))
    elif data.lon is not None and data.lat is not None:
        if not (-180 <= data.lon <= 180 and -90 <= data.lat <= 90):
            errors.add("lon", str(_("This is not a position on Earth.")))
        else:
            located = geo.locate(data.lon, data.lat)
            if located is None:
                errors.add("lon", str(_("This point is not inside any kelurahan/desa we know.")))
            elif not scope.contains(located.code):
                errors.add(
                    "lon",
                    str(
                        _("This point lies in %(name)s (%(code)s), outside your area.")
                        % {"name": located.name, "code": located.code}
                    ),
                )
                located = None
    chosen = None
    if data.area_code:
        chosen = Area.objects.filter(
            code=data.area_code, level__in=(AreaLevel.KELURAHAN, AreaLevel.DESA)
        ).first()
        if chosen is None:
            errors.add("area_code", str(_("Choose a kelurahan/desa.")))
        elif not scope.contains(chosen.code):
            errors.add("area_code", str(_("This kelurahan/desa is outside your area.")))
            chosen = None
        elif located is not None and located.code != chosen.code:
            errors.add(
                "area_code",
                str(
                    _(
                        "The GPS point lies in %(name)s (%(code)s), not in the chosen "
                        "kelurahan/desa. Correct the choice or clear the position."
                    )
                    % {"name": located.name, "code": located.code}
                ),
            )
    elif data.lon is None and data.lat is None:
        errors.add("area_code", str(_("Choose the kelurahan/desa or use the GPS position.")))
    return chosen or located


def _photo_suffix(upload) -> str | None:
    """The file type from the upload's first bytes (its name and content type are the
    client's word, its content is not)."""
    head = upload.read(12)
    upload.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    return None


def _check_photos(
    photos: Sequence[Any], errors: registry_actions.Errors, *, already: int = 0
) -> list[str]:
    if len(photos) + already > FINDING_PHOTO_MAX_COUNT:
        errors.add(
            "photos",
            str(_("At most %(count)s photos per finding.") % {"count": FINDING_PHOTO_MAX_COUNT}),
        )
    suffixes = []
    for upload in photos:
        name = getattr(upload, "name", "") or "?"
        suffix = _photo_suffix(upload)
        if suffix is None:
            errors.add(
                "photos",
                str(_("%(name)s is not a JPEG, PNG or WebP image.") % {"name": name}),
            )
        if upload.size > FINDING_PHOTO_MAX_BYTES:
            errors.add(
                "photos",
                str(
                    _("%(name)s is larger than %(mb)s MB.")
                    % {"name": name, "mb": FINDING_PHOTO_MAX_BYTES // (1024 * 1024)}
                ),
            )
        suffixes.append(suffix or "")
    return suffixes


def _store_photos(finding: FieldFinding, photos: Sequence[Any], suffixes: list[str]) -> int:
    """Save the photos in private storage under random names (an uploaded file name may
    itself be personal data). Files already written are removed if a later one fails."""
    written: list[FindingPhoto] = []
    try:
        for upload, suffix in zip(photos, suffixes, strict=True):
            photo = FindingPhoto(finding=finding)
            photo.image.save(f"{uuid.uuid4().hex}{suffix}", upload, save=True)
            written.append(photo)
    except Exception:
        for photo in written:
            photo.image.storage.delete(photo.image.name)
        raise
    return len(written)


def _link_person(
    data: FindingInput, nationality: str, passport: str, *, actor, area_code: str
) -> tuple[Person, bool]:
    """The registry person of the finding, by entity resolution: the holder of a travel
    document with the same nationality and number, else the person the matching engine
    finds at or above the auto threshold, else a new person (with that document when a
    number was seen), queued for review with a close candidate
    (``timpora.matching.actions.resolve_person``)."""
    from timpora.matching.actions import PersonRecord, resolve_person
    from timpora.matching.choices import PairSource

    resolution = resolve_person(
        PersonRecord(
            surname=data.surname,
            given_names=data.given_names,
            full_name=data.full_name,
            sex=data.sex or "X",
            birth_date=data.birth_date,
            nationality=nationality,
            passport_number=passport,
            passport_expiry=data.passport_expiry,
            mrz=data.mrz,
        ),
        actor=actor,
        source=PairSource.FINDING,
        source_ref="field finding",
        area_code=area_code,
    )
    return resolution.person, resolution.created


@transaction.atomic
def record_field_finding(
    data: FindingInput, *, actor, photos: Sequence[Any] = (), channel: str = ReportChannel.FORM
) -> FieldFinding:
    """Record a person met in the field: link (or register) the registry person, add a stay
    with source "field", save the finding and its photos, and audit it.

    Every problem of the submission is reported at once (``ValidationError`` keyed by the
    ``FindingInput`` field names, ``photos`` for the uploads).
    """
    errors = registry_actions.Errors()
    data, mrz_read = _merge_mrz(data, errors)
    nationality = ""
    try:
        nationality = normalize_nationality(data.nationality)
    except UnknownNationality:
        # With an unreadable MRZ the identity is still to come from it: its errors suffice.
        if data.nationality.strip():
            errors.add(
                "nationality",
                str(_("Not a nationality we know: %(value)s.") % {"value": data.nationality}),
            )
        elif mrz_read:
            errors.add(
                "nationality",
                str(_("The nationality is required (a code or a name; XXX if unknown).")),
            )
    passport = passport_key(data.passport_number)
    if passport and not 5 <= len(passport) <= 20:
        errors.add("passport_number", str(_("A passport number has 5 to 20 letters or digits.")))
    full_name = " ".join((data.full_name or f"{data.given_names} {data.surname}").split())
    if not full_name and mrz_read:
        errors.add(
            "full_name", str(_("A name is required (full name, or surname and given names)."))
        )
    if data.sex not in {"", "M", "F", "X"}:
        errors.add("sex", str(_("Sex must be M, F or X.")))
    today = today_in_jakarta()
    if data.birth_date and data.birth_date > today:
        errors.add("birth_date", str(_("The date of birth is in the future.")))
    now = timezone.now()
    found_at = data.found_at or now
    if timezone.is_naive(found_at):
        errors.add("found_at", str(_("Give the time with its time zone.")))
    elif found_at > now + _CLOCK_SKEW:
        errors.add("found_at", str(_("The time of the finding is in the future.")))
    observation = data.observation.strip()
    if not observation:
        errors.add("observation", str(_("Describe what was observed.")))
    area = _finding_area(data, actor, errors)
    suffixes = _check_photos(photos, errors)
    errors.raise_if_any()
    assert area is not None  # _finding_area reports an error whenever it finds none

    person, new_person = _link_person(data, nationality, passport, actor=actor, area_code=area.code)
    finding = FieldFinding(
        officer=actor,
        person=person,
        surname=" ".join(data.surname.split())[:100],
        given_names=" ".join(data.given_names.split())[:150],
        full_name=full_name[:250],
        name_key=name_key(data.surname, data.given_names) if data.surname else name_key(full_name),
        sex=data.sex or "X",
        birth_date=data.birth_date,
        nationality=nationality,
        passport_number=passport,
        passport_expiry=data.passport_expiry,
        found_at=found_at,
        lon=data.lon,
        lat=data.lat,
        location_note=data.location_note.strip()[:300],
        observation=observation,
        working=data.working,
        mrz=data.mrz,
    )
    finding.set_area_code(area.code)
    finding.save()
    day = timezone.localtime(found_at).date()
    registry_actions.add_stay(
        person,
        registry_actions.StayInput(
            area_code=area.code,
            date_from=day,
            date_to=day,
            address=finding.location_note,
            lon=data.lon,
            lat=data.lat,
            source=StaySource.FIELD,
            source_ref=f"field:{finding.pk}",
        ),
        actor=actor,
    )
    stored = _store_photos(finding, photos, suffixes)
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=finding,
        fields={
            "person": person.pk,
            "new_person": new_person,
            "area": area.code,
            "gps": data.lon is not None,
            "working": data.working,
            "photos": stored,
            "channel": channel,
        },
    )
    return finding


@transaction.atomic
def add_finding_photos(finding: FieldFinding, photos: Sequence[Any], *, actor) -> int:
    """Add photos to a finding afterwards (the API takes them separately from the JSON)."""
    errors = registry_actions.Errors()
    if not photos:
        errors.add("photos", str(_("Choose at least one photo.")))
    suffixes = _check_photos(photos, errors, already=finding.photos.count())
    errors.raise_if_any()
    stored = _store_photos(finding, photos, suffixes)
    record(AuditAction.UPDATE, actor=actor, obj=finding, fields={"photos_added": stored})
    return stored


# ------------------------------------------------------------------------------ public tips


@transaction.atomic
def update_tip(tip: PublicTip, *, status: str, public_note: str, actor) -> PublicTip:
    """Change a tip's status and the note the tipster sees on the public status page."""
    if status not in TipStatus.values:
        raise ValidationError({"status": [str(_("Unknown status."))]})
    note = " ".join(public_note.split())
    if len(note) > 300:
        raise ValidationError({"public_note": [str(_("At most 300 characters."))]})
    diff = {}
    for name, value in (("status", status), ("public_note", note)):
        old = getattr(tip, name)
        if old != value:
            diff[name] = [old, value]
            setattr(tip, name, value)
    if diff:
        tip.save(update_fields=[*diff, "updated_at"])
        record(
            AuditAction.UPDATE,
            actor=actor,
            obj=tip,
            object_repr=tip.tracking_code,
            fields=diff,
        )
    return tip
