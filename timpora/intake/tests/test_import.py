import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from timpora.intake import importer
from timpora.intake.models import AccommodationReport, ImportBatch, ImportRowError
from timpora.intake.tests.conftest import HEADER, guest, write_rows
from timpora.registry.models import Person, Stay, TravelDocument


def _import(path: Path, **kwargs):
    batch = importer.start_import(kind="accommodation", path=path, actor=None, **kwargs)
    return batch, importer.run_import(batch)


def _errors(batch) -> list[tuple[int, str, str]]:
    return list(ImportRowError.objects.filter(batch=batch).values_list("row", "field", "reason"))


def test_it_imports_good_rows_links_persons_and_adds_stays(hotels, tmp_path):
    path = write_rows(
        tmp_path / "guests.csv",
        [
            guest(),
            guest(
                passport_number="E12345678",
                nationality="Tiongkok",
                surname="WANG",
                given_names="LEI",
                check_in="2026-11-21T09:00",
                check_out="",
            ),
            guest(
                premises_licence="HTL-TAKTAKAN-01",
                passport_number="M87654321",
                nationality="KR",
                surname="KIM",
                given_names="MIN JUN",
            ),
        ],
    )
    _batch, summary = _import(path)
    assert (summary.rows, summary.imported, summary.duplicates, summary.rejected) == (3, 3, 0, 0)
    wang = AccommodationReport.objects.get(passport_number="E12345678")
    assert wang.nationality == "CHN" and wang.full_name == "LEI WANG"
    assert wang.kelurahan_code == "36.73.02.1007" and wang.is_late
    assert wang.check_in.isoformat() == "2026-11-21T02:00:00+00:00"  # 09:00 WIB
    person = Person.objects.get(pk=wang.person_id)
    assert person.name_key == "WANG LEI" and person.kelurahan_code == "36.73.02.1007"
    assert TravelDocument.objects.filter(person=person, number="E12345678").exists()
    stay = Stay.objects.get(person=person)
    assert stay.source == "accommodation" and str(stay.date_from) == "2026-11-21"
    kim = AccommodationReport.objects.get(passport_number="M87654321")
    assert kim.kecamatan_code == "36.73.06"


def test_a_returning_guest_is_the_same_person_and_moves(hotels, tmp_path):
    _import(
        write_rows(
            tmp_path / "a.csv", [guest(check_in="2026-10-01 10:00", check_out="2026-10-03 10:00")]
        )
    )
    _import(
        write_rows(
            tmp_path / "b.csv",
            [
                guest(
                    premises_licence="HTL-TAKTAKAN-01",
                    passport_number="C01X 00T47",
                    check_in="2026-11-01 10:00",
                )
            ],
        )
    )
    assert Person.objects.filter(nationality="DEU").count() == 1
    person = Person.objects.get(nationality="DEU")
    assert person.stays.count() == 2
    assert person.kecamatan_code == "36.73.06"  # the later stay is the current one


def test_importing_the_same_file_twice_imports_nothing_new(hotels, tmp_path):
    path = write_rows(tmp_path / "g.csv", [guest(), guest(passport_number="X1234567")])
    _import(path)
    _batch, summary = _import(path)
    assert (summary.imported, summary.duplicates) == (0, 2)
    assert AccommodationReport.objects.count() == 2
    assert Stay.objects.count() == 2


@pytest.mark.parametrize(
    ("values", "field", "reason"),
    [
        (
            {"check_in": "2026-11-21 10:00", "check_out": "2026-11-20 10:00"},
            "check_out",
            "before check-in",
        ),
        ({"check_in": "21/11/2026"}, "check_in", "YYYY-MM-DD"),
        ({"date_of_birth": "1980-02-30"}, "date_of_birth", "not a date"),
        ({"nationality": "Narnia"}, "nationality", "Narnia"),
        ({"passport_number": "12"}, "passport_number", "5 to 20"),
        ({"premises_licence": "NOPE"}, "premises_licence", "NOPE"),
        ({"permit_category": "tourist"}, "permit_category", "visit, limited"),
        ({"sex": "Q"}, "sex", "M or F"),
        ({"check_in": "2099-01-01 10:00"}, "check_in", "future"),
        (
            {
                "mrz_line1": "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "mrz_line2": "L898902C36UTO7408122F1204159ZE184226B<<<<<19",
            },
            "mrz",
            "composite",
        ),
    ],
)
def test_each_bad_value_is_named_and_good_rows_are_kept(hotels, tmp_path, values, field, reason):
    path = write_rows(
        tmp_path / "bad.csv",
        [guest(passport_number="GOOD0001"), guest(**{"passport_number": "BAD00002", **values})],
    )
    batch, summary = _import(path)
    assert (summary.imported, summary.rejected) == (1, 1)
    errors = _errors(batch)
    assert any(row == 3 and f == field and reason in text for row, f, text in errors), errors
    assert AccommodationReport.objects.filter(passport_number="GOOD0001").exists()
    lines = Path(summary.errors).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "row,field,reason" and lines[1].startswith("3,")


def test_a_wrong_encoding_loses_only_the_undecodable_rows(hotels, tmp_path):
    path = write_rows(tmp_path / "utf8.csv", [guest(passport_number="GOOD0001")])
    latin = "\n".join(
        [",".join(guest(passport_number="LATIN001", surname="MÜLLER")[h] for h in HEADER)]
    ).encode("latin-1")
    path.write_bytes(path.read_bytes() + latin + b"\n")
    batch, summary = _import(path)
    assert (summary.imported, summary.rejected) == (1, 1)
    assert any(row == 3 and "UTF-8" in reason for row, _, reason in _errors(batch))


def test_a_row_with_the_wrong_number_of_fields_is_rejected(hotels, tmp_path):
    path = write_rows(tmp_path / "f.csv", [guest(passport_number="GOOD0001")])
    path.write_text(
        path.read_text()
        + "only,three,fields\n"
        + ",".join(guest(passport_number="GOOD0002")[h] for h in HEADER)
        + "\n"
    )
    batch, summary = _import(path)
    assert (summary.imported, summary.rejected) == (2, 1)
    assert _errors(batch)[0][0] == 3 and "expected 20 fields" in _errors(batch)[0][2]


def test_missing_columns_fail_the_whole_file_clearly(hotels, tmp_path):
    path = write_rows(tmp_path / "m.csv", [guest()], header=[h for h in HEADER if h != "check_in"])
    with pytest.raises(CommandError, match="missing required column.*check_in"):
        call_command("import", "accommodation", str(path), "--no-progress")


def test_an_oversized_file_is_refused(hotels, tmp_path, settings):
    settings.TIMPORA_IMPORT_MAX_MB = 0
    path = write_rows(tmp_path / "big.csv", [guest()])
    with pytest.raises(CommandError, match="limit"):
        call_command("import", "accommodation", str(path), "--no-progress")


def test_xlsx_files_import_like_csv(hotels, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in (guest(), guest(passport_number="E7654321", check_in="2026-11-02 08:30")):
        sheet.append([row[h] for h in HEADER])
    sheet.append([guest()[h] if h != "nationality" else "Atlantis" for h in HEADER])
    path = tmp_path / "guests.xlsx"
    workbook.save(path)
    batch, summary = _import(path)
    assert (summary.imported, summary.rejected) == (2, 1)
    assert _errors(batch)[0][:2] == (4, "nationality")


def test_the_command_prints_a_one_line_json_summary(hotels, tmp_path, capsys):
    path = write_rows(tmp_path / "c.csv", [guest(), guest(passport_number="Q")])
    call_command("import", "accommodation", str(path), "--no-progress")
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["rows"] == 2 and summary["imported"] == 1 and summary["rejected"] == 1
    assert Path(summary["errors"]).exists()


def test_a_crash_mid_import_leaves_whole_chunks_and_resumes(hotels, tmp_path, monkeypatch):
    rows = [
        guest(passport_number=f"P{i:07d}", check_in=f"2026-11-{1 + i % 20:02d} 10:00")
        for i in range(25)
    ]
    path = write_rows(tmp_path / "crash.csv", rows)
    batch = importer.start_import(kind="accommodation", path=path, actor=None)
    real_write = importer._write_accommodation
    calls = {"n": 0}

    def crash_on_third(*args, **kwargs):
        calls["n"] += 1
        inserted = real_write(*args, **kwargs)
        if calls["n"] == 3:
            # The third chunk's rows are written, then the process dies before its commit.
            raise KeyboardInterrupt("killed")
        return inserted

    monkeypatch.setattr(importer, "_write_accommodation", crash_on_third)
    with pytest.raises(KeyboardInterrupt):
        importer.run_import(batch, chunk_rows=10)
    batch.refresh_from_db()
    assert batch.status == "failed"
    stored = AccommodationReport.objects.count()
    assert stored % 10 == 0 and stored == batch.imported  # whole chunks only
    assert stored == 20
    monkeypatch.setattr(importer, "_write_accommodation", real_write)
    again = importer.start_import(kind="accommodation", path=path, actor=None)
    assert again.pk == batch.pk  # the unfinished batch is resumed, not restarted
    summary = importer.run_import(again, chunk_rows=10)
    assert summary.imported == 25 and summary.duplicates == 0
    assert AccommodationReport.objects.count() == 25
    assert ImportBatch.objects.get(pk=batch.pk).status == "done"


def test_the_batch_records_seconds_per_phase_across_chunks(hotels, tmp_path):
    rows = [guest(passport_number=f"T{i:07d}") for i in range(30)]
    batch = importer.start_import(
        kind="accommodation", path=write_rows(tmp_path / "t.csv", rows), actor=None
    )
    importer.run_import(batch, chunk_rows=10)
    batch.refresh_from_db()
    assert set(batch.timings) == {"validate", "store", "link", "stays"}
    assert all(seconds > 0 for seconds in batch.timings.values())
