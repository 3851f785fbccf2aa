"""Nationality codes: ISO 3166-1 alpha-3 plus the ICAO Doc 9303 special codes.

Codes are normalised to ISO 3166-1 alpha-3 (``"DEU"``), except for the ICAO-only codes
that have no ISO country (``"XXA"`` stateless, ``"UNO"`` United Nations, ``"GBN"``
British National (Overseas), ``"RKS"`` Kosovo, ...), which are kept as they are.
ICAO codes that stand for an ISO country are translated (``"D"`` → ``"DEU"``).

pycountry is imported lazily: importing it costs tens of milliseconds, and most
importers of this module only need the constants. ``NATIONALITY_CHOICES`` is built
on first access (module ``__getattr__``); ``nationality_choices`` is the same list as a
callable, usable directly as Django ``choices=``.
"""

import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Any

__all__ = [
    "ICAO_SPECIAL_CODES",
    "ICAO_TO_ISO",
    "NATIONALITY_CHOICES",
    "UnknownNationality",
    "nationality_choices",
    "nationality_name",
    "normalize_nationality",
]

#: ICAO 9303 codes that stand for an ISO 3166-1 country under a different code.
ICAO_TO_ISO: dict[str, str] = {"D": "DEU"}

#: ICAO 9303 (Part 3) codes without an ISO 3166-1 country, with their English names.
ICAO_SPECIAL_CODES: dict[str, str] = {
    "EUE": "European Union",
    "GBD": "British Overseas Territories Citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas Citizen",
    "GBP": "British Protected Person",
    "GBS": "British Subject",
    "RKS": "Kosovo",
    "UNA": "United Nations specialized agency",
    "UNK": "Resident of Kosovo (UNMIK travel document)",
    "UNO": "United Nations",
    "XXA": "Stateless person",
    "XXB": "Refugee (1951 Convention)",
    "XXC": "Refugee (other)",
    "XXX": "Unspecified nationality",
}

# Common English names that pycountry does not know (keys as produced by _name_key).
_ENGLISH_ALIASES: dict[str, str] = {
    "america": "USA",
    "britain": "GBR",
    "burma": "MMR",
    "cape verde": "CPV",
    "czech republic": "CZE",
    "democratic republic of the congo": "COD",
    "dr congo": "COD",
    "east timor": "TLS",
    "england": "GBR",
    "great britain": "GBR",
    "holland": "NLD",
    "ivory coast": "CIV",
    "macau": "MAC",
    "macedonia": "MKD",
    "northern ireland": "GBR",
    "palestine": "PSE",
    "republic of the congo": "COG",
    "russia": "RUS",
    "scotland": "GBR",
    "stateless": "XXA",
    "swaziland": "SWZ",
    "turkey": "TUR",
    "uk": "GBR",
    "united states of america": "USA",
    "vatican": "VAT",
    "wales": "GBR",
}

# Country names as written on Indonesian forms (keys as produced by _name_key).
_INDONESIAN_NAMES: dict[str, str] = {
    "afganistan": "AFG",
    "afrika selatan": "ZAF",
    "aljazair": "DZA",
    "amerika": "USA",
    "amerika serikat": "USA",
    "arab saudi": "SAU",
    "australia": "AUS",
    "bangladesh": "BGD",
    "belanda": "NLD",
    "belgia": "BEL",
    "brasil": "BRA",
    "britania raya": "GBR",
    "brunei": "BRN",
    "brunei darussalam": "BRN",
    "ceko": "CZE",
    "cina": "CHN",
    "denmark": "DNK",
    "etiopia": "ETH",
    "filipina": "PHL",
    "finlandia": "FIN",
    "hongaria": "HUN",
    "hongkong": "HKG",
    "india": "IND",
    "inggris": "GBR",
    "irak": "IRQ",
    "iran": "IRN",
    "irlandia": "IRL",
    "italia": "ITA",
    "jepang": "JPN",
    "jerman": "DEU",
    "kamboja": "KHM",
    "kamerun": "CMR",
    "kanada": "CAN",
    "katar": "QAT",
    "korea selatan": "KOR",
    "korea utara": "PRK",
    "libanon": "LBN",
    "makau": "MAC",
    "malaysia": "MYS",
    "maroko": "MAR",
    "mesir": "EGY",
    "meksiko": "MEX",
    "myanmar": "MMR",
    "nigeria": "NGA",
    "norwegia": "NOR",
    "pakistan": "PAK",
    "palestina": "PSE",
    "pantai gading": "CIV",
    "papua nugini": "PNG",
    "perancis": "FRA",
    "polandia": "POL",
    "prancis": "FRA",
    "republik rakyat tiongkok": "CHN",
    "rusia": "RUS",
    "selandia baru": "NZL",
    "singapura": "SGP",
    "spanyol": "ESP",
    "suriah": "SYR",
    "swedia": "SWE",
    "swiss": "CHE",
    "taiwan": "TWN",
    "thailand": "THA",
    "timor leste": "TLS",
    "tiongkok": "CHN",
    "turki": "TUR",
    "ukraina": "UKR",
    "uni emirat arab": "ARE",
    "vietnam": "VNM",
    "yaman": "YEM",
    "yordania": "JOR",
    "yunani": "GRC",
}

if TYPE_CHECKING:
    NATIONALITY_CHOICES: list[tuple[str, str]]


class UnknownNationality(ValueError):
    """Raised when a value cannot be recognised as a nationality."""

    def __init__(self, value: object) -> None:
        self.value = value
        super().__init__(f"unknown nationality: {value!r}")


def normalize_nationality(value: str) -> str:
    """Return the alpha-3 code (ISO 3166-1, or ICAO-only) for a nationality.

    Accepts, case- and space-insensitively: ISO alpha-3 (``"deu"``), ISO alpha-2
    (``"DE"``), ICAO 9303 codes with or without ``<`` fillers (``"D<<"`` → ``"DEU"``;
    special codes such as ``"XXA"`` are returned unchanged), English country names
    (exact official, short or common names, plus a few everyday aliases such as
    ``"Russia"``) and common Indonesian names (``"Jerman"``, ``"Tiongkok"``).
    Raises :class:`UnknownNationality` otherwise.
    """
    if not isinstance(value, str):
        raise UnknownNationality(value)
    code = "".join(value.split()).upper().rstrip("<")
    if 1 <= len(code) <= 3 and code.isascii() and code.isalpha():
        if code in ICAO_SPECIAL_CODES:
            return code
        if code in ICAO_TO_ISO:
            return ICAO_TO_ISO[code]
        found = _codes_index().get(code)
        if found:
            return found
    key = _name_key(value)
    if not key:
        raise UnknownNationality(value)
    found = _INDONESIAN_NAMES.get(key) or _ENGLISH_ALIASES.get(key) or _names_index().get(key)
    if found:
        return found
    import pycountry

    try:
        return str(pycountry.countries.lookup(" ".join(value.split())).alpha_3)
    except LookupError:
        raise UnknownNationality(value) from None


def nationality_name(code: str) -> str:
    """Return the English name for a nationality code (any input accepted by
    :func:`normalize_nationality`), e.g. ``"Germany"`` or ``"Stateless person"``.

    The common name is preferred where pycountry has one (``"South Korea"`` rather
    than ``"Korea, Republic of"``). Raises :class:`UnknownNationality`.
    """
    normalized = normalize_nationality(code)
    if normalized in ICAO_SPECIAL_CODES:
        return ICAO_SPECIAL_CODES[normalized]
    return _country_names()[normalized]


@cache
def _choices() -> list[tuple[str, str]]:
    pairs = list(_country_names().items()) + list(ICAO_SPECIAL_CODES.items())
    return sorted(pairs, key=lambda pair: (_name_key(pair[1]), pair[0]))


def nationality_choices() -> list[tuple[str, str]]:
    """Return ``NATIONALITY_CHOICES`` (built on first call): ``(code, name)`` pairs for
    every pycountry country and every ICAO special code, sorted by name."""
    return _choices()


def __getattr__(name: str) -> Any:
    if name == "NATIONALITY_CHOICES":
        return _choices()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _name_key(value: str) -> str:
    """Case-, accent- and whitespace-insensitive key for a name."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split())


@cache
def _country_names() -> dict[str, str]:
    import pycountry

    return {
        str(country.alpha_3): str(getattr(country, "common_name", None) or country.name)
        for country in pycountry.countries
    }


@cache
def _codes_index() -> dict[str, str]:
    import pycountry

    index: dict[str, str] = {}
    for country in pycountry.countries:
        index[str(country.alpha_2)] = str(country.alpha_3)
        index[str(country.alpha_3)] = str(country.alpha_3)
    return index


@cache
def _names_index() -> dict[str, str]:
    import pycountry

    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                index.setdefault(_name_key(str(name)), str(country.alpha_3))
    for code, name in ICAO_SPECIAL_CODES.items():
        index.setdefault(_name_key(name), code)
    return index
