"""The registry's API operations in the permission matrix (merged by ``matrix.py``).

Persons: ``person.view`` for reading (hotel reporters, auditors and strangers get 403), region
scope answers 404 (the person in kelurahan Banten is outside Taktakan's police, the person
in Taktakan outside Kasemen's police and the lurah of Banten). Writes need ``person.change``;
the matrix sends no body, so a caller who passes the permission check gets 422 (the body is
validated after authentication and permission, never before).
"""

from __future__ import annotations

from datetime import date

from timpora.conftest import KEL_BANTEN

KEL_TAKTAKAN = "36.73.06.1001"

NO_PERSON_VIEW = {"hotel": 403, "auditor": 403, "stranger": 403}
VIEW = {None: 401, **NO_PERSON_VIEW, "*": 200}
# Office-wide immigration staff may write; the empty body is then the only problem.
CHANGE = {None: 401, "admin": 422, "analyst": 422, "officer": 422, "*": 403}
IN_BANTEN = {None: 401, **NO_PERSON_VIEW, "police_taktakan": 404, "*": 200}
IN_TAKTAKAN = {
    None: 401,
    **NO_PERSON_VIEW,
    "police_kasemen": 404,
    "lurah_banten": 404,
    "*": 200,
}

CLEAR_STAFF = {"admin": 403, "analyst": 403, "officer": 403, "head": 403}

PERSON_BANTEN = "/api/v1/persons/{registry_person_banten}"
PERSON_TAKTAKAN = "/api/v1/persons/{registry_person_taktakan}"

API: dict[str, list[tuple[str, dict]]] = {
    "GET /api/v1/persons": [("/api/v1/persons?nationality=CHN&limit=10", VIEW)],
    "POST /api/v1/persons": [("/api/v1/persons", CHANGE)],
    "GET /api/v1/persons/{person_id}": [
        (PERSON_BANTEN, IN_BANTEN),
        (PERSON_TAKTAKAN, IN_TAKTAKAN),
    ],
    # Police and lurah ("masked" agencies with person.unmask); immigration sees identifiers
    # in clear and has nothing to unmask (403), as in the UI.
    "POST /api/v1/persons/{person_id}/unmask": [
        (PERSON_BANTEN + "/unmask", {**IN_BANTEN, **CLEAR_STAFF}),
        (PERSON_TAKTAKAN + "/unmask", {**IN_TAKTAKAN, **CLEAR_STAFF}),
    ],
    "POST /api/v1/persons/{person_id}/documents": [(PERSON_BANTEN + "/documents", CHANGE)],
    "POST /api/v1/persons/{person_id}/permits": [(PERSON_BANTEN + "/permits", CHANGE)],
    "POST /api/v1/persons/{person_id}/stays": [(PERSON_TAKTAKAN + "/stays", CHANGE)],
    "POST /api/v1/persons/{person_id}/employments": [(PERSON_BANTEN + "/employments", CHANGE)],
    "POST /api/v1/permits/{permit_id}/extensions": [
        ("/api/v1/permits/{registry_permit_banten}/extensions", CHANGE)
    ],
    "GET /api/v1/sponsors": [("/api/v1/sponsors?limit=5", VIEW)],
    "POST /api/v1/sponsors": [("/api/v1/sponsors", CHANGE)],
    # Reference data, like areas: every authenticated caller.
    "GET /api/v1/permit-indices": [("/api/v1/permit-indices", {None: 401, "*": 200})],
}


def _person(personas, area_code: str, number: str):
    """The matrix's person staying in ``area_code`` (created once per test)."""
    from timpora.registry import actions
    from timpora.registry.models import Person

    existing = Person.objects.filter(documents__number=number).first()
    if existing is not None:
        return existing
    return actions.register_person(
        actions.PersonInput(surname="MATRIX", given_names=number, nationality="CHN"),
        actor=personas.officer,
        document=actions.DocumentInput(number=number, issuing_state="CHN"),
        permit=actions.PermitInput(category="visit", index_code="C1", valid_until=date(2030, 1, 1)),
        stay=actions.StayInput(area_code=area_code, date_from=date(2025, 1, 1)),
    )


URL_VALUES = {
    "registry_person_banten": lambda p: _person(p, KEL_BANTEN, "MTXBANTEN").pk,
    "registry_person_taktakan": lambda p: _person(p, KEL_TAKTAKAN, "MTXTAKTAK").pk,
    "registry_permit_banten": lambda p: _person(p, KEL_BANTEN, "MTXBANTEN").permits.get().pk,
}
