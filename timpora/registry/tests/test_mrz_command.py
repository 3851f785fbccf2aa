"""``timpora mrz check``: JSON out, exit status 0 for a valid zone and exactly 1 otherwise."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from timpora.lib.mrz import build_td3

# The ICAO 9303 specimens (fictional state Utopia, "UTO").
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
# Birth date 740812 → 740813 without touching the check digits.
CORRUPTED_TD3 = (TD3[0], TD3[1].replace("7408122F", "7408132F"))

# The console script installed next to the interpreter running the tests (.venv/bin).
TIMPORA = Path(sys.executable).parent / "timpora"


def run_cli(*lines: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TIMPORA), "mrz", "check", *lines],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        check=False,
    )


def call(*lines: str) -> dict:
    out = StringIO()
    call_command("mrz", "check", *lines, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_the_fields_of_the_passport_specimen():
    fields = call(*TD3)
    assert fields["valid"] is True
    assert fields["format"] == "TD3"
    assert fields["surname"] == "ERIKSSON"
    assert fields["given_names"] == "ANNA MARIA"
    assert fields["document_number"] == "L898902C3"
    assert fields["birth_date"] == "1974-08-12"
    assert fields["expiry_date"] == "2012-04-15"
    assert fields["sex"] == "F"
    assert fields["nationality"] == "UTO"
    assert fields["nationality_iso"] is None  # Utopia is no ISO country


def test_it_reads_an_identity_card_given_as_one_multi_line_argument():
    fields = call("\n".join(TD1))
    assert fields["format"] == "TD1"
    assert fields["document_number"] == "D23145890"


def test_it_adds_the_iso_code_of_an_icao_nationality():
    lines = build_td3(
        issuing_state="D",
        surname="MUELLER",
        given_names="JONAS",
        document_number="C01X00T47",
        nationality="D",
        birth_date=date(1990, 2, 1),
        sex="M",
        expiry_date=date(2031, 1, 31),
    )
    fields = call(*lines)
    assert fields["nationality"] == "D"
    assert fields["nationality_iso"] == "DEU"


def test_a_corrupted_zone_raises_with_exit_status_1_and_names_the_field():
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("mrz", "check", *CORRUPTED_TD3, stdout=out)
    assert raised.value.returncode == 1
    report = json.loads(out.getvalue())
    assert report["valid"] is False
    assert {e["field"] for e in report["errors"]} == {"birth_date", "composite"}
    assert all(e["message"] for e in report["errors"])


def test_the_console_script_exits_0_with_json_for_a_valid_zone():
    result = run_cli(*TD3)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["document_number"] == "L898902C3"


def test_the_console_script_exits_exactly_1_naming_the_failing_field():
    result = run_cli(*CORRUPTED_TD3)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert "birth_date" in {e["field"] for e in report["errors"]}
    assert "invalid machine-readable zone" in result.stderr


def test_the_console_script_reports_a_wrong_line_length_as_lines():
    result = run_cli(TD3[0], TD3[1][:-1])
    assert result.returncode == 1
    [error] = json.loads(result.stdout)["errors"]
    assert error["field"] == "lines"
    assert "line 2 has 43 characters" in error["message"]
