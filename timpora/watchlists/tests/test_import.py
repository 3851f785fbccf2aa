"""Importing watch lists from CSV and XLSX: row errors, idempotency, the CLI and the page."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from timpora.audit.models import AuditRecord
from timpora.watchlists import actions, importer
from timpora.watchlists.models import WatchList, WatchListEntry
from timpora.watchlists.tests.conftest import HEADER, import_rows, make_list, write_csv

GOOD = [
    ["W-1", "AL-GHAMDI, Muhammad", "1980-05-01", "SAU", "E 1234 5678", "", "2035-12-31", "ban"],
    ["W-2", "Chang Hsiao-ming", "1985", "TW", "", "wanted", "", ""],
    ["W-3", "NGUYEN THI LAN", "1990-07", "Viet Nam", "", "", "", ""],
]
BAD = [
    ["", "NO ID", "1980", "SAU", "", "", "", ""],  # row 5: list_id
    ["W-5", "", "1980", "SAU", "", "", "", ""],  # row 6: full_name
    ["W-6", "A B", "1980-13-01", "XYZ", "", "ban-ish", "31/12/2030", ""],  # row 7: four fields
    ["W-1", "DUPLICATE", "1980", "SAU", "", "", "", ""],  # row 8: list_id already on row 2
]


def test_it_keeps_the_good_rows_and_names_row_field_and_reason_of_the_bad(db, tmp_path):
    watchlist = make_list()
    batch = import_rows(watchlist, GOOD + BAD, tmp_path)
    assert (batch.rows, batch.added, batch.rejected) == (7, 3, 4)
    errors = {(row, field) for row, field, _reason in batch.errors}
    assert errors == {
        (5, "list_id"),
        (6, "full_name"),
        (7, "date_of_birth"),
        (7, "nationality"),
        (7, "list_type"),
        (7, "valid_until"),
        (8, "list_id"),
    }
    reasons = {(row, field): reason for row, field, reason in batch.errors}
    assert "already on row 2" in reasons[(8, "list_id")]
    assert "XYZ" in reasons[(7, "nationality")]


def test_it_normalises_what_it_keeps(db, tmp_path):
    watchlist = make_list(list_type="penangkalan")
    import_rows(watchlist, GOOD, tmp_path)
    entries = {e.list_id: e for e in WatchListEntry.objects.filter(watchlist=watchlist)}
    assert entries["W-1"].passport_number == "E12345678"
    assert entries["W-1"].valid_until == date(2035, 12, 31)
    assert entries["W-1"].list_type == "penangkalan"  # empty: the list's type
    assert entries["W-2"].nationality == "TWN"  # alpha-2 made alpha-3
    assert entries["W-2"].date_of_birth == "1985"  # partial dates stay partial
    assert entries["W-2"].list_type == "wanted"
    assert entries["W-3"].nationality == "VNM"  # a country name
    assert entries["W-3"].date_of_birth == "1990-07"


def test_importing_the_same_file_twice_adds_nothing(db, tmp_path):
    watchlist = make_list()
    first = import_rows(watchlist, GOOD, tmp_path)
    second = import_rows(watchlist, GOOD, tmp_path)
    assert first.added == 3
    assert (second.added, second.updated, second.unchanged) == (0, 0, 3)
    assert WatchListEntry.objects.filter(watchlist=watchlist).count() == 3


def test_a_changed_row_updates_its_entry_instead_of_adding_one(db, tmp_path):
    watchlist = make_list()
    import_rows(watchlist, GOOD, tmp_path)
    changed = [list(GOOD[0]), *GOOD[1:]]
    changed[0][6] = "2040-01-01"
    batch = import_rows(watchlist, changed, tmp_path)
    assert (batch.added, batch.updated, batch.unchanged) == (0, 1, 2)
    assert WatchListEntry.objects.get(list_id="W-1").valid_until == date(2040, 1, 1)


def test_the_same_id_in_two_lists_is_two_entries(db, tmp_path):
    import_rows(make_list("A"), GOOD[:1], tmp_path)
    import_rows(make_list("B"), GOOD[:1], tmp_path)
    assert WatchListEntry.objects.filter(list_id="W-1").count() == 2


def test_it_reads_xlsx_with_date_cells_and_numeric_passports(db, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["X-1", "Kim Min-jun", date(1979, 11, 2), "KOR", 123456789, "", None, ""])
    sheet.append(["X-2", "Park Ji-hoon", 1988, "KOR", "M12345678", "pencegahan", "", ""])
    path = tmp_path / "list.xlsx"
    book.save(path)
    batch = actions.import_entries(make_list(), path, actor=None, screen=False)
    assert (batch.added, batch.rejected) == (2, 0)
    entries = {e.list_id: e for e in WatchListEntry.objects.all()}
    assert entries["X-1"].date_of_birth == "1979-11-02"
    assert entries["X-1"].passport_number == "123456789"
    assert entries["X-2"].date_of_birth == "1988"
    assert entries["X-2"].list_type == "pencegahan"


def test_it_reads_semicolon_separated_csv_from_indonesian_spreadsheets(db, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(
        "\ufefflist_id;full_name;date_of_birth;nationality\nS-1;WANG LEI;1985-03-14;CHN\n",
        encoding="utf-8",
    )
    batch = actions.import_entries(make_list(), path, actor=None, screen=False)
    assert batch.added == 1


def test_a_file_without_the_required_columns_is_refused_as_a_whole(db, tmp_path):
    path = write_csv(tmp_path / "list.csv", [["1", "x"]], header=["id", "name"])
    with pytest.raises(importer.FileError, match="list_id, full_name"):
        actions.import_entries(make_list(), path, actor=None, screen=False)


def test_unknown_columns_are_reported_and_ignored(db, tmp_path):
    path = write_csv(
        tmp_path / "list.csv",
        [["U-1", "A B", "remark"]],
        header=["list_id", "full_name", "remarks"],
    )
    batch = actions.import_entries(make_list(), path, actor=None, screen=False)
    assert (batch.added, batch.ignored_columns) == (1, ["remarks"])


def test_an_import_is_audited_and_queues_the_screening_of_new_entries(
    db, tmp_path, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    watchlist = make_list()
    with django_capture_on_commit_callbacks(execute=True):
        batch = actions.import_entries(watchlist, write_csv(tmp_path / "l.csv", GOOD), actor=None)
    assert AuditRecord.objects.filter(
        object_type="watchlists.watchlistimport", object_id=str(batch.pk)
    ).exists()
    job = DBTaskResult.objects.get(task_path="timpora.watchlists.tasks.screen_entries")
    assert sorted(job.args_kwargs["args"][0]) == sorted(batch.entries.values_list("pk", flat=True))


# ---------------------------------------------------------------------------- the CLI


def test_the_cli_creates_the_list_imports_and_prints_one_json_line(db, tmp_path):
    path = write_csv(tmp_path / "dji.csv", GOOD + BAD[:1])
    out = io.StringIO()
    call_command(
        "watchlist",
        "import",
        str(path),
        "--list",
        "DJI 2026",
        "--type",
        "penangkalan",
        "--source",
        "Direktorat Jenderal Imigrasi",
        "--reference",
        "IMI-1234",
        "--valid-until",
        "2030-12-31",
        stdout=out,
    )
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    summary = json.loads(lines[0])
    assert summary["added"] == 3 and summary["rejected"] == 1
    with Path(summary["errors"]).open(encoding="utf-8-sig") as handle:
        assert list(csv.reader(handle)) == [
            ["row", "field", "reason"],
            ["5", "list_id", "required"],
        ]
    watchlist = WatchList.objects.get(name="DJI 2026")
    assert (watchlist.reference, watchlist.valid_until) == ("IMI-1234", date(2030, 12, 31))
    again = io.StringIO()
    call_command("watchlist", "import", str(path), "--list", "DJI 2026", stdout=again)
    assert json.loads(again.getvalue())["added"] == 0


def test_the_cli_needs_type_and_source_for_a_new_list(db, tmp_path):
    path = write_csv(tmp_path / "dji.csv", GOOD)
    with pytest.raises(CommandError, match="--type and --source"):
        call_command("watchlist", "import", str(path), "--list", "New")
    with pytest.raises(CommandError, match="unknown list type"):
        call_command("watchlist", "import", str(path), "--list", "New", "--type", "blacklist")


# ---------------------------------------------------------------------------- the page


def test_an_analyst_uploads_a_file_and_downloads_the_error_file(personas, tmp_path):
    watchlist = make_list()
    client = personas.client("analyst")
    path = write_csv(tmp_path / "upload.csv", GOOD + BAD)
    with path.open("rb") as handle:
        response = client.post(f"/watchlists/{watchlist.pk}/import/", {"file": handle})
    assert response.status_code == 302
    batch = watchlist.imports.get()
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="rejected">4<' in page
    errors = client.get(f"/watchlists/imports/{batch.pk}/errors.csv")
    rows = list(csv.reader(io.StringIO(errors.content.decode("utf-8-sig"))))
    assert rows[0] == ["row", "field", "reason"]
    assert rows[-1][:2] == ["8", "list_id"]
    assert AuditRecord.objects.filter(action="export", object_id=str(batch.pk)).exists()


def test_a_new_list_can_be_created_with_its_first_file(personas, tmp_path):
    path = write_csv(tmp_path / "first.csv", GOOD)
    with path.open("rb") as handle:
        response = personas.client("admin").post(
            "/watchlists/new/",
            {
                "name": "DPO Polda Banten",
                "list_type": "wanted",
                "source": "Polda Banten",
                "valid_from": "2026-01-01",
                "valid_until": "2026-12-31",
                "active": "on",
                "file": handle,
            },
        )
    assert response.status_code == 302
    watchlist = WatchList.objects.get(name="DPO Polda Banten")
    assert watchlist.entries.count() == 3


def test_the_page_refuses_other_files(personas, tmp_path):
    watchlist = make_list()
    path = tmp_path / "list.txt"
    path.write_text("list_id,full_name\n", encoding="utf-8")
    with path.open("rb") as handle:
        response = personas.client("analyst").post(
            f"/watchlists/{watchlist.pk}/import/", {"file": handle}
        )
    assert response.status_code == 200
    assert "Use a .csv or .xlsx file." in response.content.decode()
