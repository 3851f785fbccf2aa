"""Receipts (tanda terima) and the public verification page."""

from __future__ import annotations

import shutil
import subprocess
import warnings
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from timpora.accounts.models import User
from timpora.intake import actions, receipts
from timpora.intake.models import AccommodationReport

PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Lookup counts live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


def wib(hours_ago: float) -> str:
    return (timezone.localtime() - timedelta(hours=hours_ago)).strftime("%Y-%m-%d %H:%M")


def file_report(premises, **values) -> AccommodationReport:
    row = {
        "surname": "MÜLLER",
        "given_names": "HANS PETER",
        "nationality": "DEU",
        "passport_number": "C01X00T47",
        "check_in": wib(2),
        "room": "204",
    }
    row.update(values)
    return actions.file_accommodation_report(premises, row, actor=None)


def pdf_text(content: bytes, tmp_path) -> str:
    if PDFTOTEXT is None:
        message = (
            "pdftotext (poppler-utils) is not installed: the receipt PDF's text is NOT "
            "checked. Install it with `apt-get install -y poppler-utils`."
        )
        warnings.warn(message, stacklevel=2)
        pytest.skip(message)
    path = tmp_path / "receipt.pdf"
    path.write_bytes(content)
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def reporter(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_receipt_pdf_names_the_guest_the_premises_and_the_code(hotels, tmp_path):
    report = file_report(hotels["HTL-BANTEN-01"])
    response = reporter("hotel_banten").get(f"/intake/reports/{report.pk}/receipt.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "TANDA TERIMA" in text
    assert "HANS PETER MÜLLER" in text
    assert "Hotel Banten Lama" in text
    assert report.verification_code in text
    assert "C01X00T47" in text  # in full for the premises that filed it
    assert "/intake/verify/" in text


def test_a_late_report_says_so_on_the_receipt(hotels, tmp_path):
    report = file_report(hotels["HTL-BANTEN-01"], check_in=wib(30))
    text = pdf_text(
        reporter("hotel_banten").get(f"/intake/reports/{report.pk}/receipt.pdf").content,
        tmp_path,
    )
    assert report.is_late and "24" in text


def test_a_police_reader_gets_the_receipt_with_the_passport_masked(personas, hotels, tmp_path):
    report = file_report(hotels["HTL-BANTEN-01"])
    response = personas.client("police_kasemen").get(f"/intake/reports/{report.pk}/receipt.pdf")
    text = pdf_text(response.content, tmp_path)
    assert "C01X00T47" not in text and "C0•••••47" in text


def test_the_public_check_shows_the_report_but_nothing_personal(hotels):
    report = file_report(hotels["HTL-BANTEN-01"], check_in=wib(26))
    response = Client().get("/intake/verify/", {"code": report.verification_code})
    text = response.content.decode()
    assert response.status_code == 200 and 'data-testid="verify-valid"' in text
    assert "Hotel Banten Lama" in text
    assert timezone.localtime(report.check_in).strftime("%Y-%m-%d") in text
    assert 'data-testid="late"' in text and 'data-testid="on-time"' not in text
    for personal in ("MÜLLER", "MULLER", "HANS", "C01X00T47", "DEU", "Germany", "Jerman", "204"):
        assert personal not in text, personal


def test_an_unknown_code_is_unknown(db):
    response = Client().get("/intake/verify/", {"code": "AAAABBBBCCCCDDDD"})
    assert 'data-testid="verify-unknown"' in response.content.decode()
    assert receipts.verify("", ip="192.0.2.1", user_agent="x") is None


def test_lookups_are_rate_limited_per_client(hotels, settings):
    settings.TIMPORA_VERIFY_LOOKUPS_PER_HOUR = 3
    report = file_report(hotels["HTL-BANTEN-01"])
    busy = Client(HTTP_USER_AGENT="prober")
    for _ in range(3):
        assert busy.get("/intake/verify/", {"code": "AAAABBBBCCCCDDDD"}).status_code == 200
    refused = busy.get("/intake/verify/", {"code": report.verification_code})
    assert refused.status_code == 429
    assert "Hotel Banten Lama" not in refused.content.decode()
    # Another client is not affected; an empty form costs no lookup.
    assert busy.get("/intake/verify/").status_code == 200
    other = Client(HTTP_USER_AGENT="patrol phone")
    assert other.get("/intake/verify/", {"code": report.verification_code}).status_code == 200


def test_a_forwarded_for_header_does_not_buy_more_lookups(hotels, settings):
    settings.TIMPORA_VERIFY_LOOKUPS_PER_HOUR = 2
    settings.TIMPORA_TRUSTED_PROXIES = []
    busy = Client(HTTP_USER_AGENT="prober")
    for n in range(2):
        forged = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
        assert (
            busy.get("/intake/verify/", {"code": "AAAABBBBCCCCDDDD"}, **forged).status_code == 200
        )
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.99"}
    assert busy.get("/intake/verify/", {"code": "AAAABBBBCCCCDDDD"}, **forged).status_code == 429


def test_the_public_registration_is_rate_limited_per_client(db, settings, monkeypatch):
    from timpora.intake import views

    monkeypatch.setattr(views, "REGISTRATIONS_PER_HOUR", 1)
    client = Client(HTTP_USER_AGENT="bot")

    def register(n: int):
        return client.post(
            "/intake/register/",
            {
                "kind": "kos",
                "name": f"Kos {n}",
                "licence_number": f"KOS-{n}",
                "address": "Jl.",
                "area_code": "36.73.02.1007",
                "person_in_charge": "Budi",
                "username": f"kos_{n}",
                "password": "a long enough password 1",
                "password_again": "a long enough password 1",
            },
        )

    assert register(1).status_code == 302
    assert register(2).status_code == 429
    assert not User.objects.filter(username="kos_2").exists()
