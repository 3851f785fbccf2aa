"""Watch lists in the permission matrix: web views (VIEWS), API operations (API), URL values.

Lists, entries and hits are the immigration office's: ``watchlists.view`` and
``watchlists.decide`` for its administrators, analysts and officers, ``watchlists.manage``
(lists, imports, screening) for administrators and analysts. Every other persona (police,
lurah, hotel, auditor, head of office, stranger) gets 403: they see only the alerts that
hits raise. Forms posted without a body answer 400 (web) or 422 (API) once the permission
lets the caller in.
"""

from __future__ import annotations

from datetime import date

ANON = 302  # to the login page
VIEW = {None: ANON, "admin": 200, "analyst": 200, "officer": 200, "*": 403}
MANAGE = {None: ANON, "admin": 200, "analyst": 200, "*": 403}
DECIDE_EMPTY = {None: ANON, "admin": 400, "analyst": 400, "officer": 400, "*": 403}
SCREEN = {None: ANON, "admin": 302, "analyst": 302, "*": 403}

LIST = "/watchlists/{watchlist}/"

VIEWS: dict = {
    "watchlists:watchlist_list": [("/watchlists/", "get", VIEW)],
    "watchlists:watchlist_create": [("/watchlists/new/", "get", MANAGE)],
    "watchlists:watchlist_detail": [(LIST, "get", VIEW)],
    "watchlists:watchlist_edit": [(LIST + "edit/", "get", MANAGE)],
    "watchlists:import_create": [(LIST + "import/", "get", MANAGE)],
    "watchlists:import_detail": [("/watchlists/imports/{watchlist_import}/", "get", VIEW)],
    "watchlists:import_errors": [
        ("/watchlists/imports/{watchlist_import}/errors.csv", "get", VIEW)
    ],
    "watchlists:import_template": [
        ("/watchlists/template.csv", "get", VIEW),
        ("/watchlists/template.xlsx", "get", VIEW),
    ],
    "watchlists:entry_detail": [("/watchlists/entries/{watchlist_entry}/", "get", VIEW)],
    "watchlists:hit_list": [("/watchlists/hits/?status=open", "get", VIEW)],
    "watchlists:hit_detail": [("/watchlists/hits/{watchlist_hit}/", "get", VIEW)],
    "watchlists:hit_decide": [("/watchlists/hits/{watchlist_hit}/decide/", "post", DECIDE_EMPTY)],
    "watchlists:screen_now": [("/watchlists/screen/", "post", SCREEN)],
}

API_VIEW = {None: 401, "admin": 200, "analyst": 200, "officer": 200, "*": 403}
# The body is validated after the permission check (403 first, then 422).
API_DECIDE = {None: 401, "admin": 422, "analyst": 422, "officer": 422, "*": 403}
API_MANAGE = {None: 401, "admin": 422, "analyst": 422, "*": 403}

API: dict[str, list[tuple[str, dict]]] = {
    "GET /api/v1/watchlists": [("/api/v1/watchlists", API_VIEW)],
    "GET /api/v1/watchlists/hits": [("/api/v1/watchlists/hits?status=open&lang=en", API_VIEW)],
    "POST /api/v1/watchlists/hits/{hit_id}/decision": [
        ("/api/v1/watchlists/hits/{watchlist_hit}/decision", API_DECIDE)
    ],
    "GET /api/v1/watchlists/{watchlist_id}/entries": [
        ("/api/v1/watchlists/{watchlist}/entries?limit=10", API_VIEW)
    ],
    "POST /api/v1/watchlists/{watchlist_id}/imports": [
        ("/api/v1/watchlists/{watchlist}/imports", API_MANAGE)
    ],
}

MATRIX_LIST = "Matrix entry-ban list"


def matrix_objects(personas) -> dict[str, int]:
    """A list with one imported entry (and one rejected row), a hit on a Kasemen person."""
    import tempfile
    from pathlib import Path

    from django.utils import timezone

    from timpora.registry import actions as registry
    from timpora.registry.models import TravelDocument
    from timpora.watchlists import actions
    from timpora.watchlists.models import WatchList, WatchListHit

    watchlist = WatchList.objects.filter(name=MATRIX_LIST).first()
    if watchlist is None:
        watchlist = actions.create_watchlist(
            name=MATRIX_LIST, list_type="penangkalan", source="Ditjen Imigrasi", actor=None
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "list.csv"
            path.write_text(
                "list_id,full_name,date_of_birth,nationality,passport_number\n"
                "M-1,MATRIX WANG LEI,1985-03-14,CHN,E99887766\n"
                ",NO ID,1985,CHN,\n",
                encoding="utf-8",
            )
            actions.import_entries(watchlist, path, actor=None, screen=False)
    entry = watchlist.entries.get()
    doc = TravelDocument.objects.filter(number="E99887766").select_related("person").first()
    person = doc.person if doc else None
    if person is None:
        person = registry.register_person(
            registry.PersonInput(
                surname="WANG", given_names="LEI", nationality="CHN", birth_date=date(1985, 3, 14)
            ),
            actor=personas.officer,
            document=registry.DocumentInput(number="E99887766", issuing_state="CHN"),
            stay=registry.StayInput(area_code="36.73.02.1007", date_from=date(2026, 1, 1)),
        )
    now = timezone.now()
    hit, _ = WatchListHit.objects.get_or_create(
        entry=entry,
        person=person,
        defaults={"score": 0.99, "first_seen": now, "last_seen": now, "evidence": []},
    )
    return {
        "watchlist": watchlist.pk,
        "watchlist_import": watchlist.imports.first().pk,
        "watchlist_entry": entry.pk,
        "watchlist_hit": hit.pk,
    }


URL_VALUES = {
    name: (lambda key: lambda personas: matrix_objects(personas)[key])(name)
    for name in ("watchlist", "watchlist_import", "watchlist_entry", "watchlist_hit")
}
