"""Writes to the registry: atomic, validated, audited. Views, API, importers and commands
parse their input and call these; no business rule lives anywhere else."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import ForeignKey, Model, Q, QuerySet, UniqueConstraint
from django.utils import timezone

from timpora.areas.models import Area
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.lib.names import name_key, passport_key
from timpora.lib.nationality import UnknownNationality, normalize_nationality
from timpora.lib.nik import InvalidNIK, validate_nik
from timpora.registry.choices import (
    DatePrecision,
    MergeKind,
    PermitCategory,
    SponsorKind,
    StaySource,
)
from timpora.registry.models import (
    Employment,
    PermitExtension,
    PermitIndex,
    Person,
    PersonMerge,
    PersonMergeRow,
    Sponsor,
    Stay,
    StayPermit,
    TravelDocument,
)
from timpora.registry.names import person_search_key


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
        "name_search": person_search_key(data.surname, data.given_names, full_name),
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
    _matching().person_registered(person, actor=actor)
    return person


def _matching():
    """Entity resolution keys every person and queues likely duplicates (imported lazily:
    the matching app builds on the registry)."""
    from timpora.matching import actions as matching

    return matching


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
        _matching().persons_changed([person.pk])
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
    _matching().persons_changed([person.pk])
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


def refresh_name_search(persons: QuerySet[Person] | None = None, *, batch: int = 5000) -> int:
    """Recompute ``Person.name_search`` where it differs from what the matching engine's
    normalisation gives now (after a change of its rules); returns how many changed.
    Derived data, like ``refresh_current``: no audit record."""
    qs = (persons if persons is not None else Person.objects.all()).order_by("pk")
    changed = 0
    last = 0
    while True:
        rows = list(
            qs.filter(pk__gt=last).only("pk", "surname", "given_names", "full_name", "name_search")[
                :batch
            ]
        )
        if not rows:
            return changed
        stale = []
        for person in rows:
            key = person_search_key(person.surname, person.given_names, person.full_name)
            if key != person.name_search:
                person.name_search = key
                stale.append(person)
        with transaction.atomic():
            Person.objects.bulk_update(stale, ["name_search"], batch_size=1000)
        changed += len(stale)
        last = rows[-1].pk


def refresh_current(persons: QuerySet[Person] | None = None) -> int:
    """Recompute the denormalised "current" columns (latest stay's area and start, latest
    permit) in one set-based UPDATE, for the given persons or for everyone."""
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
        f"current_stay_from = {latest_stay.format(col='date_from')}, "
        "current_permit_valid_until = (SELECT MAX(p.valid_until) FROM registry_staypermit p "
        "WHERE p.person_id = registry_person.id), "
        "current_permit_category = COALESCE((SELECT p.category FROM registry_staypermit p "
        "WHERE p.person_id = registry_person.id ORDER BY p.valid_until DESC, p.id DESC LIMIT 1), "
        f"'') {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# ------------------------------------------------------------------ merge, undo, split


@dataclass(frozen=True)
class PersonLink:
    """A foreign key to ``Person`` on some model: a row kind that a merge moves."""

    model: type[Model]
    field: ForeignKey

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def person_links() -> list[PersonLink]:
    """Every foreign key to ``Person`` in every installed app, found from the model graph so
    that a new app's rows are moved without touching this code.

    Hidden relations count too (``related_name="+"``, as on intake reports), and so do the
    link tables of many-to-many fields (operation targets). Left out: the ``merged_into``
    chain of earlier tombstones, and models that declare ``merge_keeps_person = True``
    (merge history, or a review queue whose pairs must keep naming the records compared).
    """
    links = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete or rel.many_to_many:
            continue
        model = rel.related_model
        if model is Person or getattr(model, "merge_keeps_person", False):
            continue
        links.append(PersonLink(model, rel.field))
    return links


def _unique_groups(link: PersonLink) -> list[tuple[list[str], Q | None]]:
    """The unique constraints that include the link's column (with their condition)."""
    meta, name = link.model._meta, link.field.name
    groups: list[tuple[list[str], Q | None]] = []
    if link.field.unique:
        groups.append(([name], None))
    for fields in meta.unique_together:
        if name in fields:
            groups.append((list(fields), None))
    for constraint in meta.constraints:
        if isinstance(constraint, UniqueConstraint) and name in (constraint.fields or ()):
            groups.append((list(constraint.fields), constraint.condition))
    return groups


def _row_values(obj: Model) -> dict[str, Any]:
    """A row's column values, JSON-safe, to insert it again (link tables: ids only)."""
    values = {}
    for f in obj._meta.concrete_fields:
        value = f.value_from_object(obj)
        values[f.attname] = value if value is None or isinstance(value, int) else str(value)
    return values


def _move_rows(
    merge: PersonMerge,
    source: Person,
    target: Person,
    *,
    only: dict[str, set[Any]] | None = None,
) -> dict[str, int]:
    """Point the rows of ``source`` (all, or ``only`` {model label: pks}) at ``target``,
    recording each in ``merge.rows``; returns rows moved per model.

    A link-table row that would duplicate one ``target`` already has (both persons are
    targets of the same operation) is deleted and kept in the record to be put back. Any
    other unique clash stops the merge: it would lose a record.
    """
    moved: dict[str, int] = {}
    records: list[PersonMergeRow] = []
    for link in person_links():
        if only is not None and link.label not in only:
            continue
        manager = link.model._base_manager
        rows = manager.filter(**{link.field.attname: source.pk})
        if only is not None:
            rows = rows.filter(pk__in=only[link.label])
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            continue
        dropped: set[Any] = set()
        for fields, condition in _unique_groups(link):
            others = [f for f in fields if f != link.field.name]
            clashing = manager.filter(pk__in=ids)
            if condition is not None:
                clashing = clashing.filter(condition)
            for obj in clashing:
                existing = manager.filter(
                    **{link.field.name: target.pk},
                    **{f: getattr(obj, link.model._meta.get_field(f).attname) for f in others},
                )
                if condition is not None:
                    existing = existing.filter(condition)
                if not existing.exists():
                    continue
                if not link.model._meta.auto_created:
                    raise ValidationError(
                        {
                            "__all__": [
                                f"both persons have a {link.model._meta.verbose_name} that "
                                "may exist only once per person: resolve it first"
                            ]
                        }
                    )
                records.append(
                    PersonMergeRow(
                        merge=merge,
                        model=link.label,
                        field=link.field.name,
                        object_id=str(obj.pk),
                        dropped=_row_values(obj),
                    )
                )
                dropped.add(obj.pk)
        if dropped:
            manager.filter(pk__in=dropped).delete()
        kept = [pk for pk in ids if pk not in dropped]
        manager.filter(pk__in=kept).update(**{link.field.attname: target.pk})
        records.extend(
            PersonMergeRow(merge=merge, model=link.label, field=link.field.name, object_id=str(pk))
            for pk in kept
        )
        moved[link.label] = moved.get(link.label, 0) + len(ids)
    PersonMergeRow.objects.bulk_create(records, batch_size=1000)
    return moved


def _refresh(*persons: Person) -> None:
    refresh_current(Person.objects.filter(pk__in=[p.pk for p in persons]))
    for person in persons:
        person.refresh_from_db()


def _locked(*persons: Person) -> dict[int, Person]:
    """The persons' rows, locked until the transaction ends (two analysts merging the same
    person at once wait for each other instead of both moving its rows)."""
    ids = sorted(p.pk for p in persons)
    return {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": ["give the reason (evidence, case, review decision)"]})
    return reason[:1000]


@transaction.atomic
def merge_persons(survivor: Person, absorbed: Person, *, actor, reason: str) -> PersonMerge:
    """Merge ``absorbed`` into ``survivor``: the same foreigner registered twice.

    Every row that points to ``absorbed`` (documents, permits, stays, employment, intake
    reports and findings, alerts, field checks, cases, and any later app's rows: see
    ``person_links``) then points to ``survivor``; ``absorbed`` stays as a tombstone
    (``merged_into``) so that old links to it lead to ``survivor``, and the survivor's
    current area, stay and permit are recomputed. The caller chooses the survivor (the
    review queue passes the older person, the lower id, so that ids people have written
    down keep working). ``PersonMerge.rows`` records exactly what moved, for ``undo_merge``.
    """
    reason = _reason(reason)
    if survivor.pk == absorbed.pk:
        raise ValidationError({"__all__": ["a person cannot be merged with itself"]})
    locked = _locked(survivor, absorbed)
    if len(locked) != 2:
        raise ValidationError({"__all__": ["one of the persons does not exist"]})
    survivor, absorbed = locked[survivor.pk], locked[absorbed.pk]
    if survivor.merged_into_id or absorbed.merged_into_id:
        raise ValidationError({"__all__": ["one of the persons was already merged into another"]})
    merge = PersonMerge.objects.create(
        kind=MergeKind.MERGE,
        survivor=survivor,
        absorbed=absorbed,
        reason=reason,
        created_by=actor if actor is not None and actor.pk else None,
    )
    moved = _move_rows(merge, absorbed, survivor)
    absorbed.merged_into = survivor
    absorbed.save(update_fields=["merged_into", "updated_at"])
    _refresh(survivor, absorbed)
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=merge,
        fields={
            "kind": MergeKind.MERGE,
            "survivor": survivor.pk,
            "absorbed": absorbed.pk,
            "reason": reason,
            "moved": moved,
        },
    )
    _matching().persons_merged(merge, actor=actor)
    return merge


@transaction.atomic
def undo_merge(merge: PersonMerge, *, actor, reason: str) -> Person:
    """Take back a merge (or a split): move exactly the recorded rows back and return the
    person that comes back.

    For a merge, the absorbed person is revived and gets back its rows; for a split, the
    selected records return to the person they came from and the person made of them
    becomes a tombstone of it. Rows that moved again since (a later split) stay where they
    are and are counted in the audit record; rows added since stay with their person. The
    merge stays in the history, marked undone. Undoing a split says the two were one
    person after all: whatever the split-off person received since goes back too.
    """
    reason = _reason(reason)
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError({"__all__": ["this was undone already"]})
    locked = _locked(merge.survivor, merge.absorbed)
    survivor, absorbed = locked[merge.survivor_id], locked[merge.absorbed_id]
    if merge.kind == MergeKind.MERGE:
        if absorbed.merged_into_id != survivor.pk or survivor.merged_into_id:
            raise ValidationError(
                {"__all__": ["the persons were merged again since: undo the later merge first"]}
            )
        holder, owner = survivor, absorbed
    else:
        if absorbed.merged_into_id or survivor.merged_into_id:
            raise ValidationError(
                {"__all__": ["a person of this split was merged since: undo that merge first"]}
            )
        holder, owner = absorbed, survivor
    restored: dict[str, int] = {}
    skipped = 0
    rows = list(merge.rows.all())
    for (label, field_name), group in _grouped(rows).items():
        model = apps.get_model(label)
        link = model._meta.get_field(field_name)
        manager = model._base_manager
        to_pk = model._meta.pk.to_python
        moved_ids = [to_pk(r.object_id) for r in group if r.dropped is None]
        back = manager.filter(pk__in=moved_ids, **{link.attname: holder.pk}).update(
            **{link.attname: owner.pk}
        )
        skipped += len(moved_ids) - back
        for row in group:
            if row.dropped is not None:
                values = dict(row.dropped)
                values[link.attname] = owner.pk
                manager.create(**values)
                back += 1
        restored[label] = back
    added_since: dict[str, int] = {}
    if merge.kind == MergeKind.MERGE:
        absorbed.merged_into = None
    else:
        # A tombstone owns nothing: rows linked to the split-off person since go back too.
        for link in person_links():
            count = link.model._base_manager.filter(**{link.field.attname: holder.pk}).update(
                **{link.field.attname: owner.pk}
            )
            if count:
                added_since[link.label] = added_since.get(link.label, 0) + count
        absorbed.merged_into = survivor
    absorbed.save(update_fields=["merged_into", "updated_at"])
    merge.undone_at = timezone.now()
    merge.undone_by = actor if actor is not None and actor.pk else None
    merge.undo_reason = reason
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    _refresh(survivor, absorbed)
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=merge,
        fields={
            "undone": True,
            "kind": merge.kind,
            "survivor": survivor.pk,
            "absorbed": absorbed.pk,
            "reason": reason,
            "restored": restored,
            "not_restored": skipped,
            "added_since": added_since,
        },
    )
    _matching().merge_undone(merge, actor=actor)
    return owner


def _grouped(rows: list[PersonMergeRow]) -> dict[tuple[str, str], list[PersonMergeRow]]:
    groups: dict[tuple[str, str], list[PersonMergeRow]] = {}
    for row in rows:
        groups.setdefault((row.model, row.field), []).append(row)
    return groups


#: Fields of a person's identity, copied to the person a split creates.
_IDENTITY = (
    "surname",
    "given_names",
    "full_name",
    "name_key",
    "name_search",
    "sex",
    "birth_date",
    "birth_date_precision",
    "place_of_birth",
    "nationality",
)


def _identity_of(obj: Model) -> PersonInput | None:
    """A person's identity as a record wrote it (an intake report, a field finding)."""
    if not (getattr(obj, "full_name", "") and getattr(obj, "nationality", "")):
        return None
    return PersonInput(
        surname=getattr(obj, "surname", "") or "",
        given_names=getattr(obj, "given_names", "") or "",
        full_name=obj.full_name,
        sex=getattr(obj, "sex", "") or "X",
        birth_date=getattr(obj, "birth_date", None),
        place_of_birth=getattr(obj, "place_of_birth", "") or "",
        nationality=obj.nationality,
    )


@transaction.atomic
def split_person(
    person: Person,
    *,
    record_refs: list[tuple[str, int]],
    actor,
    reason: str,
    identity: PersonInput | None = None,
) -> Person:
    """Take the selected records (``("registry.traveldocument", 12)``, ...) away from
    ``person`` to a new person: two foreigners had been registered as one.

    The permits issued on a selected travel document go with it. The new person's identity
    is ``identity`` if given, else the one written on the first selected record that has
    one (a hotel or employer report, a field finding), else a copy of ``person``'s. The
    split is recorded like a merge (``PersonMerge`` of kind split, ``survivor`` the person
    split) and ``undo_merge`` takes it back.
    """
    reason = _reason(reason)
    person = _locked(person)[person.pk]
    if person.merged_into_id:
        raise ValidationError({"__all__": ["this person was merged into another"]})
    links: dict[str, list[PersonLink]] = {}
    for link in person_links():
        links.setdefault(link.label, []).append(link)
    selected: dict[str, set[Any]] = {}
    objects: list[Model] = []
    errors = Errors()
    for label, pk in record_refs:
        label = label.lower()
        found = None
        for link in links.get(label, []):
            found = link.model._base_manager.filter(
                pk=pk, **{link.field.attname: person.pk}
            ).first()
            if found is not None:
                break
        if found is None:
            errors.add("records", f"{label} {pk} is not a record of this person")
            continue
        selected.setdefault(label, set()).add(found.pk)
        objects.append(found)
    if not record_refs:
        errors.add("records", "select the records that belong to the other person")
    errors.raise_if_any()
    documents = selected.get(TravelDocument._meta.label_lower)
    if documents:
        permits = StayPermit.objects.filter(person=person, travel_document_id__in=documents)
        selected.setdefault(StayPermit._meta.label_lower, set()).update(
            permits.values_list("pk", flat=True)
        )
    if identity is None:
        identity = next((i for i in map(_identity_of, objects) if i is not None), None)
    if identity is not None:
        errors = Errors()
        values = _clean_person(identity, errors)
        errors.raise_if_any()
    else:
        values = {name: getattr(person, name) for name in _IDENTITY}
    created = Person.objects.create(**values)
    split = PersonMerge.objects.create(
        kind=MergeKind.SPLIT,
        survivor=person,
        absorbed=created,
        reason=reason,
        created_by=actor if actor is not None and actor.pk else None,
    )
    moved = _move_rows(split, person, created, only=selected)
    _refresh(person, created)
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=split,
        fields={
            "kind": MergeKind.SPLIT,
            "person": person.pk,
            "new_person": created.pk,
            "reason": reason,
            "moved": moved,
        },
    )
    _matching().person_split(split, actor=actor)
    return created
