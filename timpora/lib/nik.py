"""Validation of the Indonesian citizen number (NIK, Nomor Induk Kependudukan).

Format (Permendagri on population administration): 16 digits — 6 for the region of first
registration (province, regency/city, kecamatan), 6 for the date of birth as DDMMYY with 40
added to the day for women, 4 for a serial number that is never 0000.
"""

from __future__ import annotations

from datetime import date


class InvalidNIK(ValueError):
    """The NIK is malformed; the message says which part and why."""


def validate_nik(value: str) -> str:
    """Return the NIK without spaces, or raise ``InvalidNIK``."""
    nik = (value or "").replace(" ", "").replace(".", "")
    if len(nik) != 16 or not nik.isdigit():
        raise InvalidNIK("a NIK has exactly 16 digits")
    province = int(nik[:2])
    if not 11 <= province <= 96:
        raise InvalidNIK(f"the province code {nik[:2]} does not exist")
    if nik[2:4] == "00" or nik[4:6] == "00":
        raise InvalidNIK("the regency/city and kecamatan codes cannot be 00")
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    try:
        date(2000 + year, month, day)
    except ValueError:
        raise InvalidNIK(
            f"digits 7-12 ({nik[6:12]}) are not a date of birth (DDMMYY, day + 40 for women)"
        ) from None
    if nik[12:] == "0000":
        raise InvalidNIK("the serial number (last 4 digits) cannot be 0000")
    return nik
