"""Intake in the permission matrix: registration, reports, receipts, exports, imports.

Reporter pages need ``report.file`` *and* an approved premises of the right kind; the matrix
personas ``hotel`` and ``stranger`` are reporters without premises, so they get 403 on every
intake page (reporters with premises are tested in ``test_views.py``/``test_api.py``). Team
pages need ``report.view``; a report outside the reader's region scope answers 404. Imports
need ``report.import`` (immigration office staff) or an approved premises. Public pages
(registration, verification) are open to everyone. Field findings and public tips add their
entries from ``matrix_fieldwork.py`` (merged at the end).
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from timpora.conftest import KEL_BANTEN

KEL_TAKTAKAN = "36.73.06.1001"
ANON = 302  # to the login page

PUBLIC = {"*": 200}
REPORTER_ONLY = {None: ANON, "*": 403}  # no matrix persona has premises
# The head of office has no intake permission (yet): 403 like the auditor.
NOT_READERS = {"hotel": 403, "auditor": 403, "stranger": 403, "head": 403}
READ = {None: ANON, **NOT_READERS, "*": 200}
IN_KASEMEN = {None: ANON, **NOT_READERS, "police_taktakan": 404, "*": 200}
IN_TAKTAKAN = {
    None: ANON,
    **NOT_READERS,
    "police_kasemen": 404,
    "lurah_banten": 404,
    "*": 200,
}
APPROVERS = {None: ANON, "admin": 200, "analyst": 200, "*": 403}
IMPORTERS = {None: ANON, "admin": 200, "analyst": 200, "officer": 200, "*": 403}

KASEMEN_REPORT = "/intake/reports/{intake_report_kasemen}/"
TAKTAKAN_REPORT = "/intake/reports/{intake_report_taktakan}/"
OFFICE_IMPORT = "/intake/imports/{intake_office_import}/"

VIEWS: dict[str, list[tuple[str, str, dict]]] = {
    "intake:premises_register": [("/intake/register/", "get", PUBLIC)],
    "intake:premises_registered": [("/intake/register/done/", "get", PUBLIC)],
    "intake:verify": [
        ("/intake/verify/", "get", PUBLIC),
        ("/intake/verify/?code=UNKNOWNCODE23456", "get", PUBLIC),
    ],
    "intake:premises_list": [
        ("/intake/premises/", "get", APPROVERS),
        ("/intake/premises/?status=approved", "get", APPROVERS),
    ],
    "intake:premises_detail": [("/intake/premises/{intake_pending_premises}/", "get", APPROVERS)],
    "intake:report_list": [("/intake/reports/", "get", REPORTER_ONLY)],
    "intake:report_create": [("/intake/reports/new/", "get", REPORTER_ONLY)],
    "intake:report_mrz": [("/intake/reports/mrz/", "post", REPORTER_ONLY)],
    "intake:report_detail": [
        (KASEMEN_REPORT, "get", IN_KASEMEN),
        (TAKTAKAN_REPORT, "get", IN_TAKTAKAN),
    ],
    "intake:report_check_out": [(KASEMEN_REPORT + "check-out/", "get", REPORTER_ONLY)],
    "intake:report_receipt": [
        (KASEMEN_REPORT + "receipt.pdf", "get", IN_KASEMEN),
        (TAKTAKAN_REPORT + "receipt.pdf", "get", IN_TAKTAKAN),
    ],
    "intake:worker_list": [("/intake/workers/", "get", REPORTER_ONLY)],
    "intake:employer_report_create": [("/intake/workers/new/", "get", REPORTER_ONLY)],
    "intake:office_report_list": [
        ("/intake/office/reports/", "get", READ),
        ("/intake/office/reports/?late=on&nationality=DEU", "get", READ),
    ],
    "intake:office_report_export": [
        ("/intake/office/reports/export/?format=csv", "get", READ),
        ("/intake/office/reports/export/?format=xlsx", "get", READ),
    ],
    "intake:office_employer_list": [("/intake/office/employer-reports/", "get", READ)],
    "intake:import_list": [("/intake/imports/", "get", IMPORTERS)],
    "intake:import_create": [("/intake/imports/new/", "get", IMPORTERS)],
    "intake:import_template": [
        ("/intake/imports/template/accommodation.csv", "get", IMPORTERS),
        ("/intake/imports/template/employer.xlsx", "get", IMPORTERS),
    ],
    "intake:import_detail": [
        (OFFICE_IMPORT, "get", IMPORTERS),
        ("/intake/imports/{intake_kasemen_import}/", "get", IMPORTERS),
    ],
    "intake:import_progress": [(OFFICE_IMPORT + "progress/", "get", IMPORTERS)],
    "intake:import_errors": [(OFFICE_IMPORT + "errors.csv", "get", IMPORTERS)],
    "intake:import_summary": [(OFFICE_IMPORT + "summary.json", "get", IMPORTERS)],
}

# The API: reporters' writes need premises (403 for everyone in the matrix, before the body
# is read); reads follow the pages' rules with 401 for a request without token.
API_REPORTER_ONLY = {None: 401, "*": 403}
API_READ = {None: 401, **NOT_READERS, "*": 200}
API_IN_KASEMEN = {**IN_KASEMEN, None: 401}
API_IN_TAKTAKAN = {**IN_TAKTAKAN, None: 401}
API_IMPORTERS = {**IMPORTERS, None: 401}
API_REPORT = "/api/v1/accommodation-reports/{intake_report_kasemen}"

API: dict[str, list[tuple[str, dict]]] = {
    "POST /api/v1/accommodation-reports": [("/api/v1/accommodation-reports", API_REPORTER_ONLY)],
    "GET /api/v1/accommodation-reports": [
        ("/api/v1/accommodation-reports?late=true&limit=5", API_READ)
    ],
    "GET /api/v1/accommodation-reports/{report_id}": [
        (API_REPORT, API_IN_KASEMEN),
        ("/api/v1/accommodation-reports/{intake_report_taktakan}", API_IN_TAKTAKAN),
    ],
    "POST /api/v1/accommodation-reports/{report_id}/check-out": [
        (API_REPORT + "/check-out", API_REPORTER_ONLY)
    ],
    "GET /api/v1/accommodation-reports/{report_id}/receipt.pdf": [
        (API_REPORT + "/receipt.pdf", API_IN_KASEMEN),
        ("/api/v1/accommodation-reports/{intake_report_taktakan}/receipt.pdf", API_IN_TAKTAKAN),
    ],
    "POST /api/v1/employer-reports": [("/api/v1/employer-reports", API_REPORTER_ONLY)],
    "GET /api/v1/employer-reports": [("/api/v1/employer-reports?event=start", API_READ)],
    "GET /api/v1/imports/{import_id}": [
        ("/api/v1/imports/{intake_office_import}", API_IMPORTERS),
        ("/api/v1/imports/{intake_kasemen_import}", API_IMPORTERS),
    ],
}

PASSWORD = "a long enough password 1"


def _premises(licence: str, name: str, area_code: str, *, approve: bool = True):
    """A premises registered (and approved) through the actions, once per test."""
    from timpora.intake import actions
    from timpora.intake.models import Premises

    existing = Premises.objects.filter(licence_number=licence).first()
    if existing is not None:
        return existing
    premises = actions.register_premises(
        kind="hotel",
        name=name,
        licence_number=licence,
        address=f"Jl. {name}",
        area_code=area_code,
        person_in_charge="Matrix",
        username=licence.lower(),
        password=PASSWORD,
    )
    if approve:
        actions.decide_premises(premises, approve=True, actor=None)
    return premises


def _report(area_code: str, licence: str, passport: str):
    """A guest report of a hotel in ``area_code``, filed two hours after check-in."""
    from django.utils import timezone

    from timpora.intake import actions
    from timpora.intake.models import AccommodationReport

    existing = AccommodationReport.objects.filter(passport_number=passport).first()
    if existing is not None:
        return existing
    premises = _premises(licence, f"Matrix Hotel {licence}", area_code)
    check_in = timezone.localtime() - timedelta(hours=2)
    return actions.file_accommodation_report(
        premises,
        {
            "surname": "MATRIX",
            "given_names": passport,
            "nationality": "DEU",
            "passport_number": passport,
            "check_in": check_in.strftime("%Y-%m-%d %H:%M"),
        },
        actor=None,
    )


def _batch(personas, *, premises=None):
    """A finished import (no file in private storage: the error file is a temp file)."""
    import tempfile
    from pathlib import Path

    from django.utils import timezone

    from timpora.intake.models import ImportBatch

    name = "matrix-kasemen.csv" if premises else "matrix-office.csv"
    existing = ImportBatch.objects.filter(file_name=name).first()
    if existing is not None:
        return existing
    errors = Path(tempfile.gettempdir()) / "timpora-matrix-import-errors.csv"
    if not errors.exists():
        errors.write_text("row,field,reason\n", encoding="utf-8")
    return ImportBatch.objects.create(
        kind="accommodation",
        premises=premises,
        file_name=name,
        file_path="",
        sha256="0" * 64,
        status="done",
        total_rows=1,
        processed_rows=1,
        imported=1,
        errors_path=str(errors),
        created_by=personas.officer,
        finished_at=timezone.now(),
    )


URL_VALUES = {
    "intake_report_kasemen": lambda p: _report(KEL_BANTEN, "MTX-KASEMEN", "MTXKASEMEN1").pk,
    "intake_report_taktakan": lambda p: _report(KEL_TAKTAKAN, "MTX-TAKTAKAN", "MTXTAKTAK1").pk,
    "intake_pending_premises": lambda p: (
        _premises("MTX-PENDING", "Matrix Pending", KEL_BANTEN, approve=False).pk
    ),
    "intake_office_import": lambda p: _batch(p).pk,
    "intake_kasemen_import": lambda p: (
        _batch(p, premises=_premises("MTX-KASEMEN", "Matrix Hotel MTX-KASEMEN", KEL_BANTEN)).pk
    ),
}

# Field findings and public tips (another part of intake) keep their entries in
# ``matrix_fieldwork.py``; the star import brings its VIEWS/API/URL_VALUES, merged here
# with ours rather than replacing them.
_OWN = {"VIEWS": VIEWS, "API": API, "URL_VALUES": URL_VALUES}
with contextlib.suppress(ImportError):  # that part may not be installed (yet)
    from timpora.intake.tests.matrix_fieldwork import *  # noqa: F403
for _name, _own in _OWN.items():
    _theirs = globals()[_name]
    if _theirs is not _own:
        globals()[_name] = {**_own, **_theirs}
