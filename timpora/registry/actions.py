"""Writes to the registry: atomic, validated, audited. Views, API, importers and commands
parse their input and call these; no business rule lives anywhere else."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet

from timpora.areas.models import Area
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.lib.names import name_key, passport_key
from timpora.lib.nationality import UnknownNationality, normalize_nationality
from timpora.lib.nik import InvalidNIK, validate_nik
from timpora.registry.choices import DatePrecision, PermitCategory, SponsorKind, StaySource
from timpora.registry.models import (
    Employment,
    PermitExtension,
    PermitIndex,
    Person,
    Sponsor,
    Stay,
    StayPermit,
    TravelDocument,
)


@dataclass
class PersonInput:
    """What a source tells us about a person (registry form, API, report)."""

    surname: str = ""
    given_names: str = ""
    full_name: str = ""
    sex: str = "X"
    birth_date: date | None = None
    birth_date_precision: str = DatePrecision.DAY
    place_of_birth: str = ""
    nationality: str = ""


@dataclass
class DocumentInput:
    number: str
    issuing_state: str
    doc_type: str = "P"
    issue_date: date | None = None
    expiry_date: date | None = None
    mrz: str = ""


@dataclass
class PermitInput:
    category: str
    valid_until: date
    index_code: str = ""
    number: str = ""
    issue_date: date | None = None
    issuing_office: str = ""
    sponsor_id: int | None = None
    purpose: str = ""


@dataclass
class StayInput:
    area_code: str
    date_from: date
    date_to: date | None = None
    address: str = ""
    lon: float | None = None
    lat: float | None = None
    source: str = StaySource.REGISTRY
    source_ref: str = ""


@dataclass
class Errors:
    """Collects field errors so that one submission reports all its problems at once."""

    items: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.items.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)


def _clean_person(data: PersonInput, errors: Errors, prefix: str = "") -> dict[str, Any]:
    full_name = " ".join((data.full_name or f"{data.given_names} {data.surname}").split())
    if not full_name:
        errors.add(
            prefix + "full_name", "a name is required (full name, or surname and given names)"
        )
    nationality = ""
    try:
        nationality = normalize_nationality(data.nationality)
    except UnknownNationality as exc:
        errors.add(prefix + "nationality", str(exc))
    if data.sex not in {"M", "F", "X"}:
        errors.add(prefix + "sex", "sex must be M, F or X")
    if data.birth_date and data.birth_date > date.today():
        errors.add(prefix + "birth_date", "the date of birth is in the future")
    precision = data.birth_date_precision if data.birth_date else DatePrecision.UNKNOWN
    return {
        "surname": " ".join(data.surname.split())[:100],
        "given_names": " ".join(data.given_names.split())[:150],
        "full_name": full_name[:250],
        "name_key": name_key(data.surname, data.given_names)
        if data.surname
        else name_key(full_name),
        "sex": data.sex,
        "birth_date": data.birth_date,
        "birth_date_precision": precision,
        "place_of_birth": data.place_of_birth.strip()[:100],
        "nationality": nationality,
    }


def _area(code: str, errors: Errors, name: str) -> Area | None:
    area = Area.objects.filter(code=code).first() if code else None
    if area is None:
        errors.add(name, f"unknown area code {code!r}" if code else "an area is required")
    return area


def _clean_document(doc: DocumentInput, errors: Errors) -> dict[str, Any]:
    number = passport_key(doc.number)
    if not 5 <= len(number) <= 20:
        errors.add("document.number", "a document number has 5 to 20 letters or digits")
    state = ""
    try:
        state = normalize_nationality(doc.issuing_state)
    except UnknownNationality as exc:
        errors.add("document.issuing_state", str(exc))
    if doc.issue_date and doc.expiry_date and doc.expiry_date <= doc.issue_date:
        errors.add("document.expiry_date", "the expiry date is not after the issue date")
    return {
        "number": number,
        "issuing_state": state,
        "doc_type": doc.doc_type,
        "issue_date": doc.issue_date,
        "expiry_date": doc.expiry_date,
        "mrz": doc.mrz,
    }


def _clean_permit(permit: PermitInput, errors: Errors) -> dict[str, Any]:
    index = None
    if permit.index_code:
        index = PermitIndex.objects.filter(code__iexact=permit.index_code.strip()).first()
        if index is None:
            errors.add("permit.index", f"unknown visa/permit index {permit.index_code!r}")
        elif index.category != permit.category:
            errors.add(
                "permit.index",
                f"index {index.code} belongs to category {index.category}, not {permit.category}",
            )
    if permit.category not in PermitCategory.values:
        errors.add("permit.category", f"unknown permit category {permit.category!r}")
    if permit.issue_date and permit.valid_until < permit.issue_date:
        errors.add("permit.valid_until", "valid-until is before the issue date")
    sponsor = None
    if permit.sponsor_id:
        sponsor = Sponsor.objects.filter(pk=permit.sponsor_id).first()
        if sponsor is None:
            errors.add("permit.sponsor", "unknown sponsor")
    return {
        "category": permit.category,
        "index": index,
        "number": permit.number.strip(),
        "issue_date": permit.issue_date,
        "valid_until": permit.valid_until,
        "issuing_office": permit.issuing_office.strip(),
        "sponsor": sponsor,
        "purpose": permit.purpose.strip(),
    }


def _clean_stay(stay: StayInput, errors: Errors) -> dict[str, Any]:
    _area(stay.area_code, errors, "stay.area_code")
    if stay.date_to and stay.date_to < stay.date_from:
        errors.add("stay.date_to", "the end of the stay is before its start")
    if (stay.lon is None) != (stay.lat is None):
        errors.add("stay.lon", "give both longitude and latitude, or neither")
    return {
        "address": stay.address.strip()[:300],
        "lon": stay.lon,
        "lat": stay.lat,
        "date_from": stay.date_from,
        "date_to": stay.date_to,
        "source": stay.source,
        "source_ref": stay.source_ref,
    }


@transaction.atomic
def register_person(
    data: PersonInput,
    *,
    actor,
    document: DocumentInput | None = None,
    permit: PermitInput | None = None,
    stay: StayInput | None = None,
) -> Person:
    """Create a person with, optionally, a first travel document, permit and stay."""
    errors = Errors()
    values = _clean_person(data, errors)
    doc_values = _clean_document(document, errors) if document else None
    permit_values = _clean_permit(permit, errors) if permit else None
    stay_values = _clean_stay(stay, errors) if stay else None
    if (
        doc_values
        and not errors.items
        and TravelDocument.objects.filter(
            issuing_state=doc_values["issuing_state"], number=doc_values["number"]
        ).exists()
    ):
        errors.add("document.number", "this document is already registered to a person")
    errors.raise_if_any()
    person = Person.objects.create(**values)
    travel_document = None
    if doc_values:
        travel_document = TravelDocument.objects.create(person=person, **doc_values)
    if permit_values:
        StayPermit.objects.create(person=person, travel_document=travel_document, **permit_values)
    if stay_values:
        new_stay = Stay(person=person, **stay_values)
        new_stay.set_area_code(stay.area_code)
        new_stay.save()
    refresh_current(Person.objects.filter(pk=person.pk))
    person.refresh_from_db()
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=person,
        fields={
            "nationality": person.nationality,
            "document": bool(document),
            "permit": bool(permit),
            "stay": stay.area_code if stay else None,
        },
    )
    return person


@transaction.atomic
def update_person(person: Person, data: PersonInput, *, actor) -> Person:
    errors = Errors()
    values = _clean_person(data, errors)
    errors.raise_if_any()
    diff = {}
    for name, value in values.items():
        old = getattr(person, name)
        if old != value:
            diff[name] = [
                str(old) if old is not None else None,
                str(value) if value is not None else None,
            ]
            setattr(person, name, value)
    if diff:
        person.save()
        record(AuditAction.UPDATE, actor=actor, obj=person, fields=diff)
    return person


@transaction.atomic
def add_document(person: Person, document: DocumentInput, *, actor) -> TravelDocument:
    errors = Errors()
    values = _clean_document(document, errors)
    if (
        not errors.items
        and TravelDocument.objects.filter(
            issuing_state=values["issuing_state"], number=values["number"]
        ).exists()
    ):
        errors.add("document.number", "this document is already registered")
    errors.raise_if_any()
    doc = TravelDocument.objects.create(person=person, **values)
    record(AuditAction.CREATE, actor=actor, obj=doc, fields={"person": person.pk})
    return doc


@transaction.atomic
def add_permit(person: Person, permit: PermitInput, *, actor) -> StayPermit:
    errors = Errors()
    values = _clean_permit(permit, errors)
    errors.raise_if_any()
    created = StayPermit.objects.create(person=person, **values)
    refresh_current(Person.objects.filter(pk=person.pk))
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=created,
        fields={"person": person.pk, "valid_until": permit.valid_until},
    )
    return created


@transaction.atomic
def extend_permit(
    permit: StayPermit,
    new_valid_until: date,
    *,
    actor,
    decided_on: date | None = None,
    reference: str = "",
) -> PermitExtension:
    """Extend a permit; the history of extensions is kept."""
    if new_valid_until <= permit.valid_until:
        raise ValidationError(
            {
                "new_valid_until": "an extension must end after the current "
                f"valid-until date ({permit.valid_until})"
            }
        )
    extension = PermitExtension.objects.create(
        permit=permit,
        previous_valid_until=permit.valid_until,
        new_valid_until=new_valid_until,
        decided_on=decided_on,
        reference=reference,
    )
    permit.valid_until = new_valid_until
    permit.save(update_fields=["valid_until"])
    refresh_current(Person.objects.filter(pk=permit.person_id))
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=permit,
        fields={"valid_until": [extension.previous_valid_until, new_valid_until]},
    )
    return extension


@transaction.atomic
def add_stay(person: Person, stay: StayInput, *, actor) -> Stay:
    errors = Errors()
    values = _clean_stay(stay, errors)
    errors.raise_if_any()
    created = Stay(person=person, **values)
    created.set_area_code(stay.area_code)
    created.save()
    refresh_current(Person.objects.filter(pk=person.pk))
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=created,
        fields={"person": person.pk, "area": stay.area_code, "source": stay.source},
    )
    return created


@transaction.atomic
def create_sponsor(
    *,
    actor,
    kind: str,
    name: str,
    area_code: str = "",
    nib: str = "",
    nik: str = "",
    sector: str = "",
    address: str = "",
    contact_name: str = "",
    phone: str = "",
    email: str = "",
) -> Sponsor:
    errors = Errors()
    if kind not in SponsorKind.values:
        errors.add("kind", f"unknown sponsor kind {kind!r}")
    if not name.strip():
        errors.add("name", "a name is required")
    if kind == SponsorKind.COMPANY and nib and not (len(nib) == 13 and nib.isdigit()):
        errors.add("nib", "a business ID (NIB) has exactly 13 digits")
    if kind == SponsorKind.INDIVIDUAL:
        try:
            nik = validate_nik(nik)
        except InvalidNIK as exc:
            errors.add("nik", str(exc))
    if area_code:
        _area(area_code, errors, "area_code")
    errors.raise_if_any()
    sponsor = Sponsor(
        kind=kind,
        name=name.strip(),
        nib=nib,
        nik=nik,
        sector=sector,
        address=address,
        contact_name=contact_name,
        phone=phone,
        email=email,
    )
    sponsor.set_area_code(area_code)
    sponsor.save()
    record(AuditAction.CREATE, actor=actor, obj=sponsor, fields={"kind": kind})
    return sponsor


@transaction.atomic
def add_employment(
    person: Person,
    *,
    actor,
    employer: Sponsor,
    position: str,
    work_area_code: str = "",
    work_plan_reference: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
) -> Employment:
    errors = Errors()
    if employer.kind != SponsorKind.COMPANY:
        errors.add("employer", "the employer must be a company sponsor")
    if not position.strip():
        errors.add("position", "a position is required")
    if work_area_code:
        _area(work_area_code, errors, "work_area_code")
    if start_date and end_date and end_date < start_date:
        errors.add("end_date", "the end is before the start")
    errors.raise_if_any()
    job = Employment(
        person=person,
        employer=employer,
        position=position.strip(),
        work_plan_reference=work_plan_reference,
        start_date=start_date,
        end_date=end_date,
    )
    job.set_area_code(work_area_code)
    job.save()
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=job,
        fields={"person": person.pk, "employer": employer.pk},
    )
    return job


@transaction.atomic
def save_permit_index(
    *,
    actor,
    code: str,
    name: str,
    category: str,
    max_stay_days: int | None = None,
    allows_work: bool = False,
    notes: str = "",
    active: bool = True,
) -> PermitIndex:
    """Create or update a visa/permit index (administrators maintain the list)."""
    if category not in PermitCategory.values:
        raise ValidationError({"category": f"unknown permit category {category!r}"})
    index, created = PermitIndex.objects.update_or_create(
        code=code.strip().upper(),
        defaults={
            "name": name,
            "category": category,
            "max_stay_days": max_stay_days,
            "allows_work": allows_work,
            "notes": notes,
            "active": active,
        },
    )
    record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        obj=index,
        fields={"category": category, "active": active},
    )
    return index


PHOTO_MAX_BYTES = 5 * 1024 * 1024
# File signatures of the accepted photo formats: the upload's name and content type are the
# client's word, its first bytes are not.
_PHOTO_SIGNATURES = {b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png"}


@transaction.atomic
def set_photo(person: Person, upload, *, actor) -> Person:
    """Store a person's photo in private storage under a random name (the uploaded name may
    itself be personal data); it is served only through the scoped, audited photo view."""
    head = upload.read(8)
    upload.seek(0)
    suffix = next((ext for sig, ext in _PHOTO_SIGNATURES.items() if head.startswith(sig)), None)
    errors = Errors()
    if suffix is None:
        errors.add("photo", "the photo must be a JPEG or PNG image")
    if upload.size > PHOTO_MAX_BYTES:
        errors.add("photo", "the photo is larger than 5 MB")
    errors.raise_if_any()
    old_name = person.photo.name
    person.photo.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    person.save(update_fields=["photo", "updated_at"])
    if old_name:
        # The replaced photo is personal data with no further purpose: remove it once the
        # change is committed.
        storage = person.photo.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    record(AuditAction.UPDATE, actor=actor, obj=person, fields={"photo": True})
    return person


def refresh_current(persons: QuerySet[Person] | None = None) -> int:
    """Recompute the denormalised "current" columns (latest stay's area, latest permit) in one
    set-based UPDATE, for the given persons or for everyone."""
    where = ""
    params: list[Any] = []
    if persons is not None:
        ids = list(persons.values_list("pk", flat=True))
        if not ids:
            return 0
        where = f"WHERE id IN ({', '.join(['%s'] * len(ids))})"
        params = ids
    latest_stay = (
        "(SELECT s.{col} FROM registry_stay s WHERE s.person_id = registry_person.id "
        "ORDER BY s.date_from DESC, s.id DESC LIMIT 1)"
    )
    columns = ", ".join(
        f"{col} = COALESCE({latest_stay.format(col=col)}, '')"
        for col in ("province_code", "kabkota_code", "kecamatan_code", "kelurahan_code")
    )
    sql = (
        f"UPDATE registry_person SET {columns}, "
        "current_permit_valid_until = (SELECT MAX(p.valid_until) FROM registry_staypermit p "
        "WHERE p.person_id = registry_person.id), "
        "current_permit_category = COALESCE((SELECT p.category FROM registry_staypermit p "
        "WHERE p.person_id = registry_person.id ORDER BY p.valid_until DESC, p.id DESC LIMIT 1), "
        f"'') {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
