"""Field findings and public tips in the permission matrix (merged by ``matrix.py``).

Findings: ``finding.create`` records (administrators, officers, team members; not analysts),
``report.view`` reads the findings in scope; region scope answers 404 (the matrix finding is
in kelurahan Banten, outside Taktakan's police). A finding's photo is an identifier: the
"masked" police and lurah get 403 unless they recorded it; the matrix photo has no file, so
users who pass every check get 404. Public tip pages are open to everyone; the office's tip
pages need ``tip.view`` (``tip.manage`` to answer: immigration office staff only).
"""

from __future__ import annotations

from timpora.conftest import KEL_BANTEN

# ``matrix.py`` star-imports this module: only the three tables, never the helper names.
__all__ = ["API", "URL_VALUES", "VIEWS"]

ANON = 302  # to the login page
# Roles without any intake permission (the head of office holds none of them either).
NOT_INTAKE = {"hotel": 403, "auditor": 403, "stranger": 403, "head": 403}
RECORD = {None: ANON, **NOT_INTAKE, "analyst": 403, "*": 200}
READ = {None: ANON, **NOT_INTAKE, "*": 200}
IN_BANTEN = {None: ANON, **NOT_INTAKE, "police_taktakan": 404, "*": 200}
PUBLIC = {"*": 200}

FINDING = "/intake/findings/{fieldwork_finding}/"
TIP = "/intake/tips/{fieldwork_tip}/"

VIEWS: dict[str, list[tuple[str, str, dict]]] = {
    "intake:finding_list": [
        ("/intake/findings/", "get", READ),
        ("/intake/findings/?show=area", "get", READ),
    ],
    "intake:finding_create": [("/intake/findings/new/", "get", RECORD)],
    # The point is the centroid of kelurahan 36.73.02.1001 (Kasemen, not Banten).
    "intake:finding_locate": [
        (
            "/intake/findings/locate/?lon={lon}&lat={lat}",
            "get",
            {**RECORD, "police_taktakan": 404, "lurah_banten": 404},
        )
    ],
    "intake:finding_detail": [(FINDING, "get", IN_BANTEN)],
    "intake:finding_photo": [
        (
            FINDING + "photos/{fieldwork_photo}/",
            "get",
            {**IN_BANTEN, "police_kasemen": 403, "lurah_banten": 403, "*": 404},
        )
    ],
    "intake:tip_create": [("/intake/tips/new/", "get", PUBLIC)],
    # Nothing was filed in this session: back to the status page.
    "intake:tip_filed": [("/intake/tips/filed/", "get", {"*": 302})],
    "intake:tip_status": [("/intake/tips/status/", "get", PUBLIC)],
    "intake:tip_list": [("/intake/tips/", "get", READ)],
    "intake:tip_detail": [(TIP, "get", IN_BANTEN)],
    # An empty form: 400 for those who may answer tips.
    "intake:tip_update": [
        (
            TIP + "update/",
            "post",
            {None: ANON, "admin": 400, "analyst": 400, "officer": 400, "*": 403},
        )
    ],
}

# The matrix sends no body: a caller who passes the permission check gets 422.
NO_FINDING = {**NOT_INTAKE, "analyst": 403}
API: dict[str, list[tuple[str, dict]]] = {
    "POST /api/v1/field-findings": [
        ("/api/v1/field-findings", {None: 401, **NO_FINDING, "*": 422}),
    ],
    "GET /api/v1/field-findings": [
        ("/api/v1/field-findings", {None: 401, **NOT_INTAKE, "*": 200}),
    ],
    # Only the recording officer adds photos; others who see the finding get 403.
    "POST /api/v1/field-findings/{finding_id}/photos": [
        (
            "/api/v1/field-findings/{fieldwork_finding}/photos",
            {None: 401, **NO_FINDING, "police_taktakan": 404, "officer": 422, "*": 403},
        ),
    ],
    "GET /api/v1/tips": [("/api/v1/tips", {None: 401, **NOT_INTAKE, "*": 200})],
}

MATRIX_PASSPORT = "FWMATRIX1"


def _finding(personas):
    """The officer's finding in kelurahan Banten (created once per test)."""
    from timpora.intake import actions
    from timpora.intake.models import FieldFinding

    existing = FieldFinding.objects.filter(passport_number=MATRIX_PASSPORT).first()
    if existing is not None:
        return existing
    return actions.record_field_finding(
        actions.FindingInput(
            observation="Matrix: seen at a construction site.",
            surname="MATRIX",
            given_names="FIELD",
            nationality="CHN",
            passport_number=MATRIX_PASSPORT,
            area_code=KEL_BANTEN,
        ),
        actor=personas.officer,
    )


def _photo(personas):
    """A photo row whose file is not in storage (no test writes into var/private)."""
    from timpora.intake.models import FindingPhoto

    finding = _finding(personas)
    photo = finding.photos.first()
    if photo is None:
        photo = FindingPhoto.objects.create(finding=finding, image="findings/matrix/none.jpg")
    return photo


def _tip(personas):
    from timpora.intake import actions
    from timpora.intake.models import PublicTip

    existing = PublicTip.objects.filter(kelurahan_code=KEL_BANTEN).first()
    if existing is not None:
        return existing
    return actions.file_public_tip(
        area_code=KEL_BANTEN,
        description="Matrix: foreigners working at the fish market every morning.",
        ip="192.0.2.10",
        user_agent="matrix",
    )


URL_VALUES = {
    "fieldwork_finding": lambda p: _finding(p).pk,
    "fieldwork_photo": lambda p: _photo(p).pk,
    "fieldwork_tip": lambda p: _tip(p).pk,
}
