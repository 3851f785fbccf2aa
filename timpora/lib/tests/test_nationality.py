"""Tests for timpora.lib.nationality (no Django, no database)."""

import subprocess
import sys
import unicodedata

import pycountry
import pytest

from timpora.lib import nationality
from timpora.lib.nationality import (
    ICAO_SPECIAL_CODES,
    ICAO_TO_ISO,
    NATIONALITY_CHOICES,
    UnknownNationality,
    nationality_choices,
    nationality_name,
    normalize_nationality,
)


@pytest.mark.parametrize(
    "value",
    ["D", "deu", "DE", "Germany", "Jerman", " jerman ", "D<<", "GERMANY", "d e u", "276"],
)
def test_germany(value: str) -> None:
    assert normalize_nationality(value) == "DEU"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tiongkok", "CHN"),
        ("Cina", "CHN"),
        ("Korea Selatan", "KOR"),
        ("Jepang", "JPN"),
        ("Amerika Serikat", "USA"),
        ("Inggris", "GBR"),
        ("Jerman", "DEU"),
        ("Belanda", "NLD"),
        ("Prancis", "FRA"),
        ("Arab Saudi", "SAU"),
        ("India", "IND"),
        ("Malaysia", "MYS"),
        ("Vietnam", "VNM"),
        ("Filipina", "PHL"),
        ("Australia", "AUS"),
        ("Rusia", "RUS"),
        ("Taiwan", "TWN"),
        ("Nigeria", "NGA"),
        ("Thailand", "THA"),
        ("Singapura", "SGP"),
        ("Pakistan", "PAK"),
        ("Bangladesh", "BGD"),
        ("Korea Utara", "PRK"),
        ("Turki", "TUR"),
        ("Mesir", "EGY"),
        ("Yaman", "YEM"),
        ("Iran", "IRN"),
        ("Irak", "IRQ"),
        ("KOREA  SELATAN", "KOR"),
        ("amerika serikat", "USA"),
    ],
)
def test_indonesian_names(value: str, expected: str) -> None:
    assert normalize_nationality(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("United States", "USA"),
        ("United States of America", "USA"),
        ("South Korea", "KOR"),
        ("Korea, Republic of", "KOR"),
        ("Viet Nam", "VNM"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("turkiye", "TUR"),
        ("Cote d'Ivoire", "CIV"),
        ("UK", "GBR"),
        ("GB", "GBR"),
        ("Czech Republic", "CZE"),
        ("Kosovo", "RKS"),
        ("Stateless", "XXA"),
    ],
)
def test_english_names(value: str, expected: str) -> None:
    assert normalize_nationality(value) == expected


@pytest.mark.parametrize("code", sorted(ICAO_SPECIAL_CODES))
def test_icao_special_codes_are_kept(code: str) -> None:
    assert normalize_nationality(code) == code
    assert normalize_nationality(code.lower() + "<") == code
    assert nationality_name(code) == ICAO_SPECIAL_CODES[code]


def test_icao_special_code_set() -> None:
    assert set(ICAO_SPECIAL_CODES) >= {
        "XXA",
        "XXB",
        "XXC",
        "XXX",
        "UNO",
        "UNA",
        "UNK",
        "EUE",
        "GBD",
        "GBN",
        "GBO",
        "GBP",
        "GBS",
        "RKS",
    }
    assert nationality_name("XXA") == "Stateless person"


def test_icao_to_iso() -> None:
    assert ICAO_TO_ISO["D"] == "DEU"
    assert all(pycountry.countries.get(alpha_3=iso) for iso in ICAO_TO_ISO.values())


def test_every_iso_code_normalizes() -> None:
    for country in pycountry.countries:
        assert normalize_nationality(country.alpha_3) == country.alpha_3
        assert normalize_nationality(country.alpha_2.lower()) == country.alpha_3
        assert normalize_nationality(country.name) == country.alpha_3


@pytest.mark.parametrize("value", ["Narnia", "", "   ", "XY", "Korea", "Germany!", "ZZZ", "<<<"])
def test_unknown_values_raise(value: str) -> None:
    with pytest.raises(UnknownNationality) as excinfo:
        normalize_nationality(value)
    assert repr(value) in str(excinfo.value)
    assert excinfo.value.value == value
    assert isinstance(excinfo.value, ValueError)


def test_non_string_raises() -> None:
    with pytest.raises(UnknownNationality):
        normalize_nationality(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("DEU", "Germany"),
        ("D", "Germany"),
        ("KOR", "South Korea"),
        ("IDN", "Indonesia"),
        ("GBR", "United Kingdom"),
        ("XXB", "Refugee (1951 Convention)"),
    ],
)
def test_nationality_name(code: str, name: str) -> None:
    assert nationality_name(code) == name


def test_nationality_name_unknown() -> None:
    with pytest.raises(UnknownNationality, match="QQQ"):
        nationality_name("QQQ")


def _sort_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def test_choices() -> None:
    codes = [code for code, _ in NATIONALITY_CHOICES]
    names = [name for _, name in NATIONALITY_CHOICES]
    assert len(codes) == len(set(codes)) == len(pycountry.countries) + len(ICAO_SPECIAL_CODES)
    assert names == sorted(names, key=_sort_key)
    assert ("DEU", "Germany") in NATIONALITY_CHOICES
    assert ("XXA", "Stateless person") in NATIONALITY_CHOICES
    assert nationality_choices() == NATIONALITY_CHOICES
    assert nationality.NATIONALITY_CHOICES is NATIONALITY_CHOICES
    for code, name in NATIONALITY_CHOICES:
        assert normalize_nationality(code) == code
        assert normalize_nationality(name) == code
        assert nationality_name(code) == name


def test_missing_module_attribute() -> None:
    with pytest.raises(AttributeError):
        _ = nationality.NO_SUCH_THING  # type: ignore[attr-defined]


def test_import_is_cheap() -> None:
    """Importing the module must not import pycountry (it costs tens of milliseconds)."""
    code = "import sys, timpora.lib.nationality; print('pycountry' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
