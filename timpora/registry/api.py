"""The registry through the API: persons, their documents, permits, stays and employment,
sponsors and the permit indices.

Handlers parse and call: reads go through ``queries`` (scope), writes through ``actions``
(validation, audit), identifiers through ``masking``. Permissions are checked with the
token (``BearerToken(perm)``), before the body is validated, so a caller without the
permission gets 403 whatever it sent; region scope is checked in the handler and answers
404, as for a person that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from timpora.api.auth import BearerToken
from timpora.api.common import query_error
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.lib.mrz import MrzError, parse_mrz
from timpora.registry import actions, masking, queries
from timpora.registry.choices import DocumentType
from timpora.registry.models import (
    Employment,
    Person,
    Sponsor,
    StayPermit,
    TravelDocument,
)
from timpora.registry.schemas import (
    DocumentIn,
    DocumentOut,
    EmploymentIn,
    EmploymentOut,
    ErrorOut,
    ExtensionIn,
    PermitIn,
    PermitIndexOut,
    PermitOut,
    PersonDetailOut,
    PersonIn,
    PersonListOut,
    PersonQuery,
    SponsorIn,
    SponsorListOut,
    SponsorOut,
    SponsorQuery,
    StayIn,
    StayOut,
    UnmaskOut,
)
from timpora.registry.status import overstay_days, permit_status, today_in_jakarta

# The permission is checked with the token, before the body is validated (403, not 422).
VIEW = BearerToken("person.view")
CHANGE = BearerToken("person.change")

persons_router = Router(tags=["persons"])
permits_router = Router(tags=["persons"])
sponsors_router = Router(tags=["sponsors"])
permit_indices_router = Router(tags=["permit indices"])


# --------------------------------------------------------------------------- helpers


def _days() -> int:
    return settings.TIMPORA_EXPIRING_DAYS


def _status(valid_until: date | None, today: date, days: int) -> str:
    if valid_until is None:
        return "none"
    return str(permit_status(valid_until, today, days))


def _overstay(valid_until: date | None, today: date) -> int | None:
    return None if valid_until is None else overstay_days(valid_until, today)


def _number(number: str, policy: str) -> str | None:
    if policy == masking.CLEAR:
        return number
    if policy == masking.MASKED:
        return masking.mask_number(number)
    return None


def _list_item(person: Person, policy: str, today: date, days: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": person.pk,
        "full_name": person.full_name,
        "surname": person.surname,
        "given_names": person.given_names,
        "sex": person.sex,
        "birth_year": person.birth_year,
        "nationality": person.nationality,
        "current_permit_category": person.current_permit_category,
        "current_permit_valid_until": person.current_permit_valid_until,
        "permit_status": _status(person.current_permit_valid_until, today, days),
        "overstay_days": _overstay(person.current_permit_valid_until, today),
        "kelurahan_code": person.kelurahan_code,
        "kecamatan_code": person.kecamatan_code,
    }
    if policy == masking.CLEAR:
        item["birth_date"] = person.birth_date
    return item


def _document(doc: TravelDocument, policy: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": doc.pk,
        "doc_type": doc.doc_type,
        "number": _number(doc.number, policy),
        "issuing_state": doc.issuing_state,
        "issue_date": doc.issue_date,
        "expiry_date": doc.expiry_date,
    }
    if policy == masking.CLEAR:
        out["mrz"] = doc.mrz
    return out


def _permit(permit: StayPermit, today: date) -> dict[str, Any]:
    return {
        "id": permit.pk,
        "category": permit.category,
        "index_code": permit.index.code if permit.index_id else None,
        "number": permit.number,
        "issue_date": permit.issue_date,
        "valid_until": permit.valid_until,
        "issuing_office": permit.issuing_office,
        "sponsor_id": permit.sponsor_id,
        "sponsor_name": permit.sponsor.name if permit.sponsor_id else None,
        "purpose": permit.purpose,
        "travel_document_id": permit.travel_document_id,
        "status": str(permit_status(permit.valid_until, today, _days())),
        "overstay_days": overstay_days(permit.valid_until, today),
        "extensions": [
            {
                "id": ext.pk,
                "previous_valid_until": ext.previous_valid_until,
                "new_valid_until": ext.new_valid_until,
                "decided_on": ext.decided_on,
                "reference": ext.reference,
            }
            for ext in permit.extensions.all()
        ],
    }


def _stay(stay) -> dict[str, Any]:
    return {
        "id": stay.pk,
        "area_code": stay.area_code,
        "kelurahan_code": stay.kelurahan_code,
        "kecamatan_code": stay.kecamatan_code,
        "kabkota_code": stay.kabkota_code,
        "address": stay.address,
        "lon": stay.lon,
        "lat": stay.lat,
        "date_from": stay.date_from,
        "date_to": stay.date_to,
        "source": stay.source,
        "source_ref": stay.source_ref,
    }


def _employment(job: Employment) -> dict[str, Any]:
    return {
        "id": job.pk,
        "employer_id": job.employer_id,
        "employer_name": job.employer.name,
        "position": job.position,
        "work_area_code": job.area_code,
        "work_plan_reference": job.work_plan_reference,
        "start_date": job.start_date,
        "end_date": job.end_date,
    }


def _detail(person: Person, policy: str) -> dict[str, Any]:
    today = today_in_jakarta()
    permits = person.permits.select_related("index", "sponsor").prefetch_related("extensions")
    out: dict[str, Any] = {
        **_list_item(person, masking.HIDDEN, today, _days()),
        "birth_date_precision": person.birth_date_precision,
        "province_code": person.province_code,
        "kabkota_code": person.kabkota_code,
        "identifiers": policy,
        "documents": [_document(doc, policy) for doc in person.documents.all()],
        "permits": [_permit(permit, today) for permit in permits],
        "stays": [_stay(stay) for stay in person.stays.all()],
        "employments": [_employment(job) for job in person.employments.select_related("employer")],
    }
    if policy == masking.CLEAR:
        out["birth_date"] = person.birth_date
        out["place_of_birth"] = person.place_of_birth
    return out


def _sponsor(sponsor: Sponsor, policy: str) -> dict[str, Any]:
    return {
        "id": sponsor.pk,
        "kind": sponsor.kind,
        "name": sponsor.name,
        "nib": sponsor.nib,
        # An individual sponsor's NIK is a citizen's identifier: same policy as passports.
        "nik": _number(sponsor.nik, policy) if sponsor.nik else "",
        "sector": sponsor.sector,
        "address": sponsor.address,
        "area_code": sponsor.area_code,
        "contact_name": sponsor.contact_name,
        "phone": sponsor.phone,
        "email": sponsor.email,
    }


_API_FIELD_NAMES = {"index": "index_code", "sponsor": "sponsor_id", "employer": "employer_id"}


@contextmanager
def _body_fields(prefix: str = "") -> Iterator[None]:
    """Rename an action's error keys to the body fields this endpoint takes.

    Actions name fields as forms do (``permit.index``); the API body says ``index_code``, and
    an endpoint whose body *is* the permit drops the ``permit.`` prefix.
    """
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renamed: dict[str, list[str]] = {}
        for key, messages in exc.message_dict.items():
            parts = key.split(".")
            parts[-1] = _API_FIELD_NAMES.get(parts[-1], parts[-1])
            name = ".".join(parts)
            if prefix and name.startswith(prefix):
                name = name[len(prefix) :]
            renamed.setdefault(name, []).extend(messages)
        raise ValidationError(renamed) from exc


def _changeable_person(user, pk: int) -> Person:
    """A person the user may change: 404 outside the user's scope, as for reads."""
    return queries.person_for(user, pk, perm="person.change")


# --------------------------------------------------------------------------- persons


@persons_router.get(
    "",
    response={200: PersonListOut, 422: ErrorOut},
    auth=VIEW,
    exclude_unset=True,
    summary="Search persons",
)
def list_persons(request, params: Query[PersonQuery]):
    """Persons in the caller's scope matching the filter, ``{"count", "items"}``.

    Identifiers stay out of the list (the birth date only for callers who see them in
    clear); the call is audited with the filter and the ids returned.
    """
    user = request.user
    values = params.model_dump()
    limit, offset = values.pop("limit"), values.pop("offset")
    flt = queries.PersonFilter(**values)
    try:
        qs = queries.search_persons(user, flt)
        count = qs.count()
    except queries.FilterError as exc:
        return query_error(exc.field, exc.message)
    persons = list(qs[offset : offset + limit])
    # The status shown agrees with the filter: ``expiring_days`` widens "expiring" for both.
    days = _days() if flt.expiring_days is None else flt.expiring_days
    today = today_in_jakarta()
    policy = masking.identifier_policy(user)
    record(
        AuditAction.VIEW,
        actor=user,
        object_type="registry.person",
        object_repr="person search",
        fields={
            "filter": asdict(flt),
            "limit": limit,
            "offset": offset,
            "count": count,
            "ids": [p.pk for p in persons],
        },
    )
    return Status(
        200, {"count": count, "items": [_list_item(p, policy, today, days) for p in persons]}
    )


@persons_router.get(
    "/{person_id}",
    response=PersonDetailOut,
    auth=VIEW,
    exclude_unset=True,
    summary="One person with documents, permits, stays and employment",
)
def get_person(request, person_id: int):
    user = request.user
    person = queries.person_for(user, person_id)
    policy = masking.identifier_policy(user)
    record(AuditAction.VIEW, actor=user, obj=person, fields={"identifiers": policy})
    return _detail(person, policy)


@persons_router.post(
    "/{person_id}/unmask",
    response=UnmaskOut,
    auth=VIEW,
    summary="The person's identifiers in clear (audited)",
)
def unmask_person(request, person_id: int):
    """Document numbers, full date and place of birth; every call is an audit record.

    For "masked" users with ``person.unmask`` (``masking.may_unmask``, the UI's rule too);
    "clear" users have nothing to unmask and "hidden" users never may: 403, before the scope
    check, so a refusal says nothing about whether the person exists.
    """
    user = request.user
    if not masking.may_unmask(user):
        raise PermissionDenied("person.unmask")
    person = queries.person_for(user, person_id)
    docs = list(person.documents.all())
    record(
        AuditAction.UNMASK,
        actor=user,
        obj=person,
        fields={"documents": [d.pk for d in docs], "birth_date": True, "place_of_birth": True},
    )
    return {
        "id": person.pk,
        "birth_date": person.birth_date,
        "birth_date_precision": person.birth_date_precision,
        "place_of_birth": person.place_of_birth,
        "documents": [
            {
                "id": d.pk,
                "doc_type": d.doc_type,
                "number": d.number,
                "issuing_state": d.issuing_state,
                "mrz": d.mrz,
            }
            for d in docs
        ],
    }


def _mrz_document_type(code: str) -> str:
    """ICAO document code (P, PD, I, ID, AC, ...) → our document type."""
    first = code[:1]
    if first == DocumentType.PASSPORT:
        return DocumentType.PASSPORT
    if first in {"I", "A", "C"}:
        return DocumentType.ID_CARD
    return DocumentType.OTHER


def _apply_mrz(payload: PersonIn) -> tuple[actions.PersonInput, actions.DocumentInput | None]:
    """Identity and document from the MRZ; fields the caller gave explicitly are kept."""
    given = payload.model_fields_set
    person = actions.PersonInput(
        surname=payload.surname,
        given_names=payload.given_names,
        full_name=payload.full_name,
        sex=payload.sex,
        birth_date=payload.birth_date,
        birth_date_precision=payload.birth_date_precision,
        place_of_birth=payload.place_of_birth,
        nationality=payload.nationality,
    )
    document = actions.DocumentInput(**payload.document.model_dump()) if payload.document else None
    if not payload.mrz:
        return person, document
    try:
        data = parse_mrz(payload.mrz)
    except MrzError as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(f"mrz.{error.field}", []).append(error.message)
        raise ValidationError(errors) from exc
    if document is not None:
        raise ValidationError({"document": _("give either the MRZ or the document, not both")})
    if "surname" not in given and "full_name" not in given:
        person.surname = data.surname
    if "given_names" not in given and "full_name" not in given:
        person.given_names = data.given_names
    if "sex" not in given:
        person.sex = data.sex
    if "birth_date" not in given:
        person.birth_date = data.birth_date
    if "nationality" not in given:
        person.nationality = data.nationality
    document = actions.DocumentInput(
        number=data.document_number,
        issuing_state=data.issuing_state,
        doc_type=_mrz_document_type(data.document_type),
        expiry_date=data.expiry_date,
        mrz="\n".join("".join(line.split()).upper() for line in payload.mrz if line.strip()),
    )
    return person, document


@persons_router.post(
    "",
    response={201: PersonDetailOut},
    auth=CHANGE,
    exclude_unset=True,
    summary="Register a person (optionally with MRZ, document, permit and stay)",
)
def create_person(request, payload: PersonIn):
    user = request.user
    with _body_fields():
        person_input, document = _apply_mrz(payload)
        person = actions.register_person(
            person_input,
            actor=user,
            document=document,
            permit=actions.PermitInput(**payload.permit.model_dump()) if payload.permit else None,
            stay=actions.StayInput(**payload.stay.model_dump()) if payload.stay else None,
        )
    return Status(201, _detail(person, masking.identifier_policy(user)))


@persons_router.post(
    "/{person_id}/documents",
    response={201: DocumentOut},
    auth=CHANGE,
    exclude_unset=True,
    summary="Add a travel document",
)
def add_document(request, person_id: int, payload: DocumentIn):
    user = request.user
    person = _changeable_person(user, person_id)
    with _body_fields("document."):
        doc = actions.add_document(
            person, actions.DocumentInput(**payload.model_dump()), actor=user
        )
    return Status(201, _document(doc, masking.identifier_policy(user)))


@persons_router.post(
    "/{person_id}/permits",
    response={201: PermitOut},
    auth=CHANGE,
    summary="Add a stay permit",
)
def add_permit(request, person_id: int, payload: PermitIn):
    user = request.user
    person = _changeable_person(user, person_id)
    with _body_fields("permit."):
        permit = actions.add_permit(person, actions.PermitInput(**payload.model_dump()), actor=user)
    return Status(201, _permit(permit, today_in_jakarta()))


@persons_router.post(
    "/{person_id}/stays",
    response={201: StayOut},
    auth=CHANGE,
    summary="Add a stay (where the person lives or stays)",
)
def add_stay(request, person_id: int, payload: StayIn):
    user = request.user
    person = _changeable_person(user, person_id)
    with _body_fields("stay."):
        stay = actions.add_stay(person, actions.StayInput(**payload.model_dump()), actor=user)
    return Status(201, _stay(stay))


@persons_router.post(
    "/{person_id}/employments",
    response={201: EmploymentOut},
    auth=CHANGE,
    summary="Add employment with a company sponsor",
)
def add_employment(request, person_id: int, payload: EmploymentIn):
    user = request.user
    person = _changeable_person(user, person_id)
    employer = queries.sponsors_for(user).filter(pk=payload.employer_id).first()
    if employer is None:
        raise ValidationError({"employer_id": _("unknown employer")})
    values = payload.model_dump(exclude={"employer_id"})
    with _body_fields():
        job = actions.add_employment(person, actor=user, employer=employer, **values)
    return Status(201, _employment(job))


@permits_router.post(
    "/{permit_id}/extensions",
    response={201: PermitOut},
    auth=CHANGE,
    summary="Extend a stay permit (the history of extensions is kept)",
)
def extend_permit(request, permit_id: int, payload: ExtensionIn):
    user = request.user
    permit = (
        StayPermit.objects.filter(
            pk=permit_id, person__in=queries.persons_for(user, "person.change")
        )
        .select_related("person")
        .first()
    )
    if permit is None:
        raise Http404("permit")
    with _body_fields():
        actions.extend_permit(
            permit,
            payload.new_valid_until,
            actor=user,
            decided_on=payload.decided_on,
            reference=payload.reference,
        )
    permit = (
        StayPermit.objects.select_related("index", "sponsor")
        .prefetch_related("extensions")
        .get(pk=permit.pk)
    )
    return Status(201, _permit(permit, today_in_jakarta()))


# --------------------------------------------------------------------------- sponsors


@sponsors_router.get("", response=SponsorListOut, auth=VIEW, summary="Sponsors in scope")
def list_sponsors(request, params: Query[SponsorQuery]):
    user = request.user
    qs = queries.sponsors_for(user)
    if params.name:
        qs = qs.filter(name__icontains=params.name.strip())
    if params.kind:
        qs = qs.filter(kind=params.kind)
    count = qs.count()
    sponsors = list(qs.order_by("name", "id")[params.offset : params.offset + params.limit])
    # Individual sponsors are citizens: reading them is processing personal data.
    record(
        AuditAction.VIEW,
        actor=user,
        object_type="registry.sponsor",
        object_repr="sponsor search",
        fields={"name": params.name, "kind": params.kind, "ids": [s.pk for s in sponsors]},
    )
    policy = masking.identifier_policy(user)
    return {"count": count, "items": [_sponsor(s, policy) for s in sponsors]}


@sponsors_router.post("", response={201: SponsorOut}, auth=CHANGE, summary="Register a sponsor")
def create_sponsor(request, payload: SponsorIn):
    user = request.user
    with _body_fields():
        sponsor = actions.create_sponsor(actor=user, **payload.model_dump())
    return Status(201, _sponsor(sponsor, masking.identifier_policy(user)))


# --------------------------------------------------------------------------- permit indices


@permit_indices_router.get(
    "", response=list[PermitIndexOut], summary="Visa and stay-permit indices"
)
def list_permit_indices(request, include_inactive: bool = False):
    """Reference data, like areas: every authenticated caller (reporters need the indices to
    describe a guest's permit). Active indices unless ``include_inactive``."""
    return list(queries.permit_indices(include_inactive=include_inactive))
