"""The review queue in the permission matrix: web views (VIEWS), API operations (API), URL
values.

``matching.view`` for the queue and the pairs (immigration staff and team members; hotel
reporters, auditors, the head of office and strangers get 403), ``matching.review`` for
decisions (analysts and administrators). Region scope answers 404: a pair needs both
persons in the user's scope, so the Kasemen pair is outside Taktakan's police and the
Taktakan pair outside Kasemen's police and the lurah of Banten. A decision posted without a
body answers 400 (web) or 422 (API) once permission and scope let the caller in.
"""

from __future__ import annotations

ANON = 302  # to the login page
NO_QUEUE = {"hotel": 403, "auditor": 403, "head": 403, "stranger": 403}
VIEW = {None: ANON, **NO_QUEUE, "*": 200}
IN_KASEMEN = {None: ANON, **NO_QUEUE, "police_taktakan": 404, "*": 200}
IN_TAKTAKAN = {None: ANON, **NO_QUEUE, "police_kasemen": 404, "lurah_banten": 404, "*": 200}
DECIDE_EMPTY = {None: ANON, "admin": 400, "analyst": 400, "*": 403}
KASEMEN_PAIR = "/matching/review/{kasemen_pair}/"
TAKTAKAN_PAIR = "/matching/review/{taktakan_pair}/"

VIEWS: dict = {
    "matching:review_list": [("/matching/review/?min_probability=0.5", "get", VIEW)],
    "matching:pair_detail": [
        (KASEMEN_PAIR, "get", IN_KASEMEN),
        (TAKTAKAN_PAIR, "get", IN_TAKTAKAN),
    ],
    "matching:pair_decide": [(KASEMEN_PAIR + "decide/", "post", DECIDE_EMPTY)],
}

API_VIEW = {None: 401, **NO_QUEUE, "*": 200}
API_IN_KASEMEN = {None: 401, **NO_QUEUE, "police_taktakan": 404, "*": 200}
API_IN_TAKTAKAN = {None: 401, **NO_QUEUE, "police_kasemen": 404, "lurah_banten": 404, "*": 200}
# The body is validated after the permission check and before the scope check.
API_DECIDE = {None: 401, "admin": 422, "analyst": 422, "*": 403}

API: dict[str, list[tuple[str, dict]]] = {
    "GET /api/v1/matching/pairs": [("/api/v1/matching/pairs?lang=en", API_VIEW)],
    "GET /api/v1/matching/pairs/{pair_id}": [
        ("/api/v1/matching/pairs/{kasemen_pair}", API_IN_KASEMEN),
        ("/api/v1/matching/pairs/{taktakan_pair}", API_IN_TAKTAKAN),
    ],
    "POST /api/v1/matching/pairs/{pair_id}/decision": [
        ("/api/v1/matching/pairs/{kasemen_pair}/decision", API_DECIDE)
    ],
}

KEL_BANTEN = "36.73.02.1007"
KEL_TAKTAKAN = "36.73.06.1001"


def review_pair(personas, area_code: str, *, passport: str) -> int:
    """A pending pair of two registrations of one foreigner staying in ``area_code`` (found by
    the first one's passport, so it is made once per test)."""
    from datetime import date

    from timpora.matching.models import MatchCandidate
    from timpora.registry import actions as registry
    from timpora.registry.models import TravelDocument

    doc = TravelDocument.objects.filter(number=passport).first()
    if doc is None:
        for number, name in ((passport, "PARK JI HOON"), (passport + "9", "PAK JIHOON")):
            registry.register_person(
                registry.PersonInput(
                    full_name=name, sex="M", birth_date=date(1988, 11, 2), nationality="KOR"
                ),
                actor=personas.officer,
                document=registry.DocumentInput(number=number, issuing_state="KOR"),
                stay=registry.StayInput(area_code=area_code, date_from=date(2026, 1, 10)),
            )
        doc = TravelDocument.objects.get(number=passport)
    return MatchCandidate.objects.get(person_a=doc.person).pk


URL_VALUES = {
    "kasemen_pair": lambda p: review_pair(p, KEL_BANTEN, passport="MKASEMEN1"),
    "taktakan_pair": lambda p: review_pair(p, KEL_TAKTAKAN, passport="MTAKTAK1"),
}
