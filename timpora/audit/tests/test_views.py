import csv
import io

from openpyxl import load_workbook

from timpora.audit.actions import record
from timpora.audit.models import AuditRecord


def test_auditors_browse_and_filter_the_trail(personas):
    record(
        "unmask",
        actor=personas.analyst,
        object_type="registry.person",
        object_id=77,
        object_repr="=HYPERLINK(evil)",
    )
    response = personas.client("auditor").get("/audit/?action=unmask")
    assert response.status_code == 200
    page = list(response.context["page"])
    assert page and all(r.action == "unmask" for r in page)


def test_the_csv_export_is_audited_and_defuses_formulas(personas):
    record(
        "unmask",
        actor=personas.analyst,
        object_type="registry.person",
        object_id=77,
        object_repr="=HYPERLINK(evil)",
    )
    before = AuditRecord.objects.filter(action="export").count()
    response = personas.client("auditor").get("/audit/export/?format=csv&action=unmask")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "id"
    assert any(row[7] == "'=HYPERLINK(evil)" for row in rows[1:])
    assert AuditRecord.objects.filter(action="export").count() == before + 1


def test_the_xlsx_export_opens_in_openpyxl(personas):
    record("view", actor=personas.analyst, object_type="x", object_id=1)
    response = personas.client("admin").get("/audit/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "id"
    assert sheet.max_row >= 2


def test_other_roles_cannot_see_the_trail(personas):
    for name in ("analyst", "officer", "police_kasemen", "hotel"):
        assert personas.client(name).get("/audit/").status_code == 403
        assert personas.client(name).get("/audit/export/").status_code == 403
