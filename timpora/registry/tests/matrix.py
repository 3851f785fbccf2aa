"""The registry in the permission matrix: views here (VIEWS), API operations in
``matrix_api.py`` (API), URL values from both."""

from timpora.registry.tests.matrix_api import API  # noqa: F401
from timpora.registry.tests.matrix_api import URL_VALUES as API_URL_VALUES

# --- web views ---------------------------------------------------------------------------
# Persons: ``person.view`` to read (hotel reporters, auditors and strangers get 403), region
# scope answers 404; entry forms and exports need ``person.change``/``person.export``
# (office-wide immigration staff). Unmasking is for "masked" agencies (police, lurah); the
# immigration office sees identifiers in clear and has nothing to unmask (403).

ANON = 302  # to the login page
NO_PERSON_VIEW = {"hotel": 403, "auditor": 403, "stranger": 403}
VIEW = {None: ANON, **NO_PERSON_VIEW, "*": 200}
STAFF = {None: ANON, "admin": 200, "analyst": 200, "officer": 200, "*": 403}
ADMIN = {None: ANON, "admin": 200, "*": 403}
# Merging and splitting persons: immigration administrators and analysts (``registry.merge``).
MERGE = {None: ANON, "admin": 200, "analyst": 200, "*": 403}
IN_KASEMEN = {None: ANON, **NO_PERSON_VIEW, "police_taktakan": 404, "*": 200}
IN_TAKTAKAN = {
    None: ANON,
    **NO_PERSON_VIEW,
    "police_kasemen": 404,
    "lurah_banten": 404,
    "*": 200,
}
KASEMEN_PERSON = "/registry/persons/{kasemen_person}/"
TAKTAKAN_PERSON = "/registry/persons/{taktakan_person}/"

VIEWS: dict = {
    "registry:person_list": [("/registry/persons/?nationality=CHN", "get", VIEW)],
    "registry:person_export": [("/registry/persons/export/?format=csv", "get", STAFF)],
    "registry:person_create": [("/registry/persons/new/", "get", STAFF)],
    "registry:mrz_parse": [("/registry/persons/mrz/", "post", STAFF)],
    "registry:person_detail": [
        (KASEMEN_PERSON, "get", IN_KASEMEN),
        (TAKTAKAN_PERSON, "get", IN_TAKTAKAN),
    ],
    "registry:person_edit": [(KASEMEN_PERSON + "edit/", "get", STAFF)],
    "registry:person_unmask": [
        (
            KASEMEN_PERSON + "unmask/",
            "post",
            {**IN_KASEMEN, "police_kasemen": 302, "lurah_banten": 302, "*": 403},
        ),
        (
            TAKTAKAN_PERSON + "unmask/",
            "post",
            {**IN_TAKTAKAN, "police_taktakan": 302, "*": 403},
        ),
    ],
    # The matrix person has no photo: 404 once scope and identifier policy let the user in;
    # masked users who have not unmasked get 403.
    "registry:person_photo": [
        (
            KASEMEN_PERSON + "photo/",
            "get",
            {**IN_KASEMEN, "police_kasemen": 403, "lurah_banten": 403, "*": 404},
        )
    ],
    "registry:document_add": [(KASEMEN_PERSON + "documents/new/", "get", STAFF)],
    "registry:permit_add": [(KASEMEN_PERSON + "permits/new/", "get", STAFF)],
    "registry:permit_extend": [(KASEMEN_PERSON + "permits/{kasemen_permit}/extend/", "get", STAFF)],
    "registry:stay_add": [(KASEMEN_PERSON + "stays/new/", "get", STAFF)],
    "registry:employment_add": [(KASEMEN_PERSON + "employment/new/", "get", STAFF)],
    "registry:person_split": [(KASEMEN_PERSON + "split/", "get", MERGE)],
    # Posted without a reason: back to the person page with the error (302) for those who may.
    "registry:person_merge_undo": [
        (
            KASEMEN_PERSON + "merges/{kasemen_merge}/undo/",
            "post",
            {**MERGE, "admin": 302, "analyst": 302},
        )
    ],
    "registry:sponsor_list": [("/registry/sponsors/", "get", VIEW)],
    "registry:sponsor_detail": [("/registry/sponsors/{kasemen_sponsor}/", "get", IN_KASEMEN)],
    "registry:sponsor_create": [("/registry/sponsors/new/", "get", STAFF)],
    "registry:permitindex_list": [("/registry/permit-indices/", "get", ADMIN)],
    "registry:permitindex_create": [("/registry/permit-indices/new/", "get", ADMIN)],
    "registry:permitindex_edit": [("/registry/permit-indices/E23/edit/", "get", ADMIN)],
}

KEL_BANTEN = "36.73.02.1007"
KEL_TAKTAKAN = "36.73.06.1001"
KASEMEN_NIB = "9120000000001"


def _sponsor(personas):
    """A company in kelurahan Banten that sponsors the Kasemen person (created once per test)."""
    from timpora.registry import actions
    from timpora.registry.models import Sponsor

    existing = Sponsor.objects.filter(nib=KASEMEN_NIB).first()
    if existing is not None:
        return existing
    return actions.create_sponsor(
        actor=personas.officer,
        kind="company",
        name="PT Matrix Kasemen",
        nib=KASEMEN_NIB,
        area_code=KEL_BANTEN,
    )


def _view_person(personas, area_code: str, number: str):
    """A person staying only in ``area_code``, found by a fixed passport number first."""
    from datetime import date

    from timpora.registry import actions
    from timpora.registry.models import TravelDocument

    existing = TravelDocument.objects.filter(number=number).select_related("person").first()
    if existing is not None:
        return existing.person
    return actions.register_person(
        actions.PersonInput(surname="VIEWS", given_names=number, nationality="DEU"),
        actor=personas.officer,
        document=actions.DocumentInput(number=number, issuing_state="DEU"),
        permit=actions.PermitInput(
            category="limited",
            index_code="E23",
            valid_until=date(2030, 1, 1),
            sponsor_id=_sponsor(personas).pk,
        ),
        stay=actions.StayInput(area_code=area_code, date_from=date(2025, 1, 1)),
    )


def _merge(personas):
    """A second registration of the Kasemen person, merged into it."""
    from timpora.registry import actions
    from timpora.registry.models import PersonMerge

    survivor = _view_person(personas, KEL_BANTEN, "VWKASEMEN1")
    existing = PersonMerge.objects.filter(survivor=survivor).first()
    if existing is not None:
        return existing
    twin = _view_person(personas, KEL_BANTEN, "VWKASEMEN2")
    return actions.merge_persons(survivor, twin, actor=personas.analyst, reason="matrix")


URL_VALUES = {
    **API_URL_VALUES,
    "kasemen_person": lambda p: _view_person(p, KEL_BANTEN, "VWKASEMEN1").pk,
    "taktakan_person": lambda p: _view_person(p, KEL_TAKTAKAN, "VWTAKTAK1").pk,
    "kasemen_permit": lambda p: _view_person(p, KEL_BANTEN, "VWKASEMEN1").permits.get().pk,
    "kasemen_sponsor": lambda p: _sponsor(p).pk,
    "kasemen_merge": lambda p: _merge(p).pk,
}
