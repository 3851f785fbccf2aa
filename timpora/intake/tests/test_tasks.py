"""File imports from the web: upload, the background task, progress, error file access,
templates, and the column documentation."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from timpora.accounts.models import User
from timpora.intake import importer, tasks
from timpora.intake.models import AccommodationReport, ImportBatch
from timpora.intake.pipeline import ACCOMMODATION_COLUMNS, EMPLOYER_COLUMNS, Column
from timpora.intake.tests.conftest import HEADER, guest, write_rows

DOC = Path(__file__).resolve().parents[3] / "docs" / "import-format.md"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploaded files and error files go to a temporary private directory."""
    settings.VAR_DIR = tmp_path / "var"
    (tmp_path / "var").mkdir()
    return tmp_path / "var"


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def reporter(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def csv_upload(rows, name: str = "guests.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row.get(h, "") for h in HEADER])
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), "text/csv")


# ------------------------------------------------------------------------- the task


def test_the_task_imports_a_registered_file(hotels, tmp_path):
    path = write_rows(tmp_path / "g.csv", [guest(), guest(passport_number="Q")])
    batch = importer.start_import(kind="accommodation", path=path, actor=None)
    result = tasks.import_file.call(batch.pk)
    assert result["status"] == "done"
    assert (result["rows"], result["imported"], result["rejected"]) == (2, 1, 1)
    batch.refresh_from_db()
    assert batch.status == "done" and batch.processed_rows == 2
    # Running the job again (a retried job) imports nothing more.
    again = tasks.import_file.call(batch.pk)
    assert again["imported"] == 1 and AccommodationReport.objects.count() == 1


def test_the_task_ends_an_unreadable_file_as_failed_without_raising(hotels, tmp_path):
    path = write_rows(tmp_path / "m.csv", [guest()], header=[h for h in HEADER if h != "check_in"])
    batch = importer.start_import(kind="accommodation", path=path, actor=None)
    result = tasks.import_file.call(batch.pk)
    assert result["status"] == "failed" and "check_in" in result["message"]


def test_the_task_is_queued_on_the_configured_backend(hotels, tmp_path, settings):
    settings.TASKS = DUMMY
    from django_tasks import default_task_backend

    path = write_rows(tmp_path / "g.csv", [guest()])
    batch = tasks.start_import(
        kind="accommodation",
        path=path,
        actor=None,
        premises=hotels["HTL-BANTEN-01"],
        file_name="g.csv",
    )
    queued = default_task_backend.results
    assert [(r.task.name, r.args) for r in queued] == [("import_file", [batch.pk])]
    assert batch.status == "queued" and not AccommodationReport.objects.exists()
    # The same file again while it waits: the same batch, no second job.
    again = tasks.start_import(
        kind="accommodation",
        path=path,
        actor=None,
        premises=hotels["HTL-BANTEN-01"],
        file_name="g.csv",
    )
    assert again.pk == batch.pk and len(default_task_backend.results) == 1
    # A failed batch is resumed by a new job.
    ImportBatch.objects.filter(pk=batch.pk).update(status="failed")
    tasks.start_import(
        kind="accommodation",
        path=path,
        actor=None,
        premises=hotels["HTL-BANTEN-01"],
        file_name="g.csv",
    )
    assert len(default_task_backend.results) == 2


# ----------------------------------------------------------------------- the web import


def test_an_upload_runs_in_the_background_and_the_progress_shows_done(hotels, immediate):
    client = reporter("hotel_banten")
    rows = [
        guest(passport_number="GOOD0001"),
        # A reporter's file is for its own premises, whatever the licence column says.
        guest(passport_number="GOOD0002", premises_licence="HTL-TAKTAKAN-01"),
        guest(passport_number="BAD00003", nationality="Narnia"),
    ]
    response = client.post(
        "/intake/imports/new/", {"kind": "accommodation", "file": csv_upload(rows)}
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/intake/imports/{batch.pk}/"
    assert batch.premises == hotels["HTL-BANTEN-01"] and batch.file_name == "guests.csv"
    assert set(
        AccommodationReport.objects.values_list("passport_number", "premises__licence_number")
    ) == {("GOOD0001", "HTL-BANTEN-01"), ("GOOD0002", "HTL-BANTEN-01")}

    progress = client.get(f"/intake/imports/{batch.pk}/progress/")
    html = progress.content.decode()
    assert 'data-status="done"' in html and "hx-trigger" not in html  # polling stops
    assert re.search(r'data-testid="imported">2<', html)
    assert re.search(r'data-testid="rejected">1<', html)
    # ... and where the time went, phase by phase (Indonesian by default).
    assert re.search(r"Penyimpanan laporan [0-9]+,[0-9] s", html)

    summary = client.get(f"/intake/imports/{batch.pk}/summary.json").json()
    assert (summary["status"], summary["rows"], summary["imported"], summary["rejected"]) == (
        "done",
        3,
        2,
        1,
    )
    assert summary["errors"] == f"/intake/imports/{batch.pk}/errors.csv"
    errors = client.get(summary["errors"])
    lines = b"".join(errors.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "row,field,reason" and lines[1].startswith("4,nationality,")


def test_the_progress_polls_every_second_until_the_import_ends(hotels, settings, tmp_path):
    settings.TASKS = DUMMY
    client = reporter("hotel_banten")
    client.post("/intake/imports/new/", {"kind": "accommodation", "file": csv_upload([guest()])})
    batch = ImportBatch.objects.get()
    html = client.get(f"/intake/imports/{batch.pk}/progress/").content.decode()
    assert 'data-status="queued"' in html and 'hx-trigger="every 1s"' in html
    assert "error-file" not in html
    assert client.get(f"/intake/imports/{batch.pk}/errors.csv").status_code == 404


def test_an_office_file_names_the_premises_of_each_row(personas, hotels, immediate):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in (
        guest(passport_number="XL000001"),
        guest(passport_number="XL000002", premises_licence="HTL-TAKTAKAN-01"),
    ):
        sheet.append([row[h] for h in HEADER])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("office.xlsx", buffer.getvalue())
    officer = personas.client("officer")
    response = officer.post("/intake/imports/new/", {"kind": "accommodation", "file": upload})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.premises is None and batch.status == "done" and batch.imported == 2
    assert dict(
        AccommodationReport.objects.values_list("passport_number", "premises__licence_number")
    ) == {"XL000001": "HTL-BANTEN-01", "XL000002": "HTL-TAKTAKAN-01"}


def test_a_reporter_imports_only_its_kind_of_report_and_only_csv_or_xlsx(hotels, immediate):
    client = reporter("hotel_banten")
    response = client.post(
        "/intake/imports/new/", {"kind": "employer", "file": csv_upload([guest()])}
    )
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    response = client.post(
        "/intake/imports/new/",
        {"kind": "accommodation", "file": csv_upload([guest()], name="guests.txt")},
    )
    assert "file" in response.context["form"].errors
    assert not ImportBatch.objects.exists()


# ----------------------------------------------------------------- error file access


def _done_batch(premises, actor, tmp_path) -> ImportBatch:
    path = write_rows(tmp_path / f"{actor.username}.csv", [guest(), guest(passport_number="Q")])
    batch = importer.start_import(kind="accommodation", path=path, actor=actor, premises=premises)
    importer.run_import(batch)
    batch.refresh_from_db()
    return batch


def test_the_error_file_is_for_the_uploader_and_the_office_in_scope(personas, hotels, tmp_path):
    banten = User.objects.get(username="hotel_banten")
    batch = _done_batch(hotels["HTL-BANTEN-01"], banten, tmp_path)
    url = f"/intake/imports/{batch.pk}/errors.csv"
    response = reporter("hotel_banten").get(url)
    assert response.status_code == 200
    assert b"passport_number" in b"".join(response.streaming_content)
    expected = {
        "officer": 200,
        "analyst": 200,
        "police_kasemen": 403,  # reads reports, does not import
        "hotel": 403,  # a reporter without premises
        "auditor": 403,
    }
    for persona, status in expected.items():
        assert personas.client(persona).get(url).status_code == status, persona
    other = reporter("hotel_taktakan")
    for suffix in ("", "progress/", "errors.csv", "summary.json"):
        assert other.get(f"/intake/imports/{batch.pk}/{suffix}").status_code == 404, suffix
    assert f"/intake/imports/{batch.pk}/" not in other.get("/intake/imports/").content.decode()


def test_an_office_wide_import_is_not_shown_to_reporters(personas, hotels, tmp_path):
    batch = _done_batch(None, personas.officer, tmp_path)
    assert reporter("hotel_banten").get(f"/intake/imports/{batch.pk}/").status_code == 404
    assert personas.client("analyst").get(f"/intake/imports/{batch.pk}/").status_code == 200


# ---------------------------------------------------------------------- templates


@pytest.mark.parametrize(
    ("kind", "spec"), [("accommodation", ACCOMMODATION_COLUMNS), ("employer", EMPLOYER_COLUMNS)]
)
def test_the_templates_hold_the_header_and_an_example_row(personas, kind, spec):
    client = personas.client("officer")
    response = client.get(f"/intake/imports/template/{kind}.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [[c.name for c in spec], [c.example for c in spec]]
    response = client.get(f"/intake/imports/template/{kind}.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values == rows


def test_a_hotel_can_download_the_template_and_team_members_cannot(personas, hotels):
    assert (
        reporter("hotel_banten").get("/intake/imports/template/accommodation.csv").status_code
        == 200
    )
    police = personas.client("police_kasemen")
    assert police.get("/intake/imports/template/accommodation.csv").status_code == 403
    assert personas.client("officer").get("/intake/imports/template/other.csv").status_code == 404


# -------------------------------------------------------------- the column documentation


def column_table(spec: tuple[Column, ...]) -> str:
    """The Markdown table of a column specification, as docs/import-format.md holds it."""
    lines = ["| Column | Required | Description | Example |", "|---|---|---|---|"]
    for c in spec:
        example = f"`{c.example}`" if c.example else ""
        description = c.description.replace("|", "\\|")
        lines.append(
            f"| `{c.name}` | {'yes' if c.required else 'no'} | {description} | {example} |"
        )
    return "\n".join(lines)


def _section(kind: str) -> re.Pattern:
    return re.compile(rf"(<!-- columns:{kind} -->\n)(.*?)(\n<!-- /columns:{kind} -->)", re.DOTALL)


def test_the_import_format_doc_lists_every_column_as_the_spec_says():
    """The tables in docs/import-format.md are generated from the column specification;
    run with UPDATE_IMPORT_DOC=1 to rewrite them after changing the spec."""
    text = DOC.read_text(encoding="utf-8")
    for kind, spec in (("accommodation", ACCOMMODATION_COLUMNS), ("employer", EMPLOYER_COLUMNS)):
        pattern = _section(kind)
        match = pattern.search(text)
        assert match, f"docs/import-format.md lost its <!-- columns:{kind} --> markers"
        if os.environ.get("UPDATE_IMPORT_DOC"):
            text = pattern.sub(lambda m, s=spec: m.group(1) + column_table(s) + m.group(3), text)
            continue
        assert match.group(2) == column_table(spec), (
            f"the {kind} columns in docs/import-format.md are out of date: "
            "run UPDATE_IMPORT_DOC=1 pytest timpora/intake/tests/test_tasks.py -k doc"
        )
    if os.environ.get("UPDATE_IMPORT_DOC"):
        DOC.write_text(text, encoding="utf-8")
