"""ICAO Doc 9303 machine-readable zone (MRZ): parsing, validation and building.

Why this module exists: the popular ``mrz`` package on PyPI is licensed under the
GPLv3. Depending on it would make the combined work subject to the GPLv3's copyleft
terms, which is incompatible with distributing Timpora under Apache-2.0. The
algorithm is short and fully specified in ICAO Doc 9303 (Part 3 for the common rules,
Part 4 for TD3 passports, Part 5 for TD1 cards), so it is implemented here directly
from the specification. Do not replace it with ``mrz``.

Supported formats
    * TD3 (passports): 2 lines of 44 characters.
    * TD1 (identity cards): 3 lines of 30 characters.

Two-digit years
    * Birth date: ``YY`` greater than today's ``YY`` means ``19YY``, otherwise ``20YY``.
    * Expiry date: ``20YY``, unless that year lies more than 50 years after today,
      in which case ``19YY`` (so an old document expired in 1998 reads as 1998).

Unknown dates
    A date field made only of fillers (``<<<<<<``), or a partially unknown date
    (``YY<<<<`` or ``YYMM<<``), parses to ``None``. For an all-filler field the check
    digit may be ``0`` (the computed value) or ``<``; fillers anywhere else are an
    error. So are letters in a date (usually an OCR confusion such as ``O`` for
    ``0``), because a letter can slip past the check digit: ``A`` and ``0`` have the
    same value modulo 10.

Long TD1 document numbers
    When position 15 of TD1 line 1 is ``<``, the document number continues in the
    optional data (positions 16 onwards) up to the check digit that precedes the next
    ``<``. The check digit is computed over the full document number (the 9 principal
    characters followed by the continuation, without the ``<`` at position 15).

Optional data
    Returned with fillers turned into single spaces and trimmed. For TD1 the two
    optional fields (line 1 after the document number, line 2 positions 19-29) are
    joined with a single space.
"""

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "MrzData",
    "MrzError",
    "MrzFieldError",
    "build_td1",
    "build_td3",
    "compute_check_digit",
    "parse_mrz",
]

TD3_LINE_LENGTH = 44
TD1_LINE_LENGTH = 30

_CHAR_VALUES: dict[str, int] = {
    **{str(digit): digit for digit in range(10)},
    **{chr(ord("A") + offset): 10 + offset for offset in range(26)},
    "<": 0,
}
_WEIGHTS = (7, 3, 1)
_STATE_CODE_RE = re.compile(r"[A-Z]{1,3}<*")
_DOCUMENT_TYPE_RE = re.compile(r"[A-Z][A-Z<]?")
_DOCUMENT_NUMBER_RE = re.compile(r"[A-Z0-9]+")
_OPTIONAL_RE = re.compile(r"[A-Z0-9<]*")
_PARTIAL_DATE_RE = re.compile(r"<{6}|[0-9]{2}<{4}|[0-9]{4}<{2}")

# Letters that Unicode decomposition does not reduce to A-Z (ICAO 9303 Part 3, table).
_SPECIAL_LETTERS = {
    "ß": "SS",
    "Æ": "AE",
    "æ": "AE",
    "Ø": "OE",
    "ø": "OE",
    "Œ": "OE",
    "œ": "OE",
    "Đ": "D",
    "đ": "D",
    "Ð": "D",
    "ð": "D",
    "Þ": "TH",
    "þ": "TH",
    "Ł": "L",
    "ł": "L",
    "Ħ": "H",
    "ħ": "H",
    "\u0131": "I",  # dotless i
}
_APOSTROPHES = "'\u2019\u02bc`"


@dataclass(frozen=True)
class MrzFieldError:
    """One problem found in an MRZ, attached to the field it concerns."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class MrzError(ValueError):
    """Raised by :func:`parse_mrz` with every problem found, not only the first."""

    def __init__(self, errors: Sequence[MrzFieldError]) -> None:
        self.errors: list[MrzFieldError] = list(errors)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "; ".join(str(error) for error in self.errors)

    @property
    def fields(self) -> set[str]:
        """Names of the fields that have at least one error."""
        return {error.field for error in self.errors}


@dataclass(frozen=True)
class MrzData:
    """The decoded content of a valid machine-readable zone."""

    format: Literal["TD3", "TD1"]
    document_type: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date | None
    sex: Literal["M", "F", "X"]
    expiry_date: date | None
    optional_data: str

    def to_dict(self) -> dict[str, str | None]:
        """Return a JSON-safe dict; dates are ISO 8601 strings or ``None``."""
        return {
            "format": self.format,
            "document_type": self.document_type,
            "issuing_state": self.issuing_state,
            "surname": self.surname,
            "given_names": self.given_names,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "expiry_date": self.expiry_date.isoformat() if self.expiry_date else None,
            "optional_data": self.optional_data,
        }


def compute_check_digit(s: str) -> str:
    """Return the ICAO 9303 check digit of ``s`` as a one-character string.

    Each character is valued (digits as themselves, ``A``-``Z`` as 10-35, ``<`` as 0),
    multiplied by the repeating weights 7, 3, 1, and the sum is taken modulo 10.
    Raises ``ValueError`` for any other character (including lower case).
    """
    total = 0
    for index, char in enumerate(s):
        value = _CHAR_VALUES.get(char)
        if value is None:
            raise ValueError(f"character {char!r} is not allowed in a machine-readable zone")
        total += value * _WEIGHTS[index % 3]
    return str(total % 10)


# --------------------------------------------------------------------------- parsing


def parse_mrz(lines: Sequence[str], *, today: date | None = None) -> MrzData:
    """Parse and fully validate a TD3 (2 x 44) or TD1 (3 x 30) machine-readable zone.

    ``lines`` may also be a single string with line breaks. Surrounding and internal
    whitespace is removed, letters are upper-cased and blank lines are ignored.
    ``today`` (default: ``date.today()``) anchors the two-digit-year century rules.

    Raises :class:`MrzError` listing every failing field. Line-structure problems
    (field ``"lines"``) are reported alone, since fields cannot be located without a
    valid structure.
    """
    today = today or date.today()
    cleaned = _clean_lines(lines)
    line_errors = _check_lines(cleaned)
    if line_errors:
        raise MrzError(line_errors)
    if len(cleaned) == 2:
        return _parse_td3(cleaned[0], cleaned[1], today)
    return _parse_td1(cleaned[0], cleaned[1], cleaned[2], today)


def _clean_lines(lines: Sequence[str]) -> list[str]:
    raw_lines = lines.splitlines() if isinstance(lines, str) else list(lines)
    cleaned = []
    for line in raw_lines:
        compact = "".join(str(line).split()).upper()
        if compact:
            cleaned.append(compact)
    return cleaned


def _check_lines(lines: list[str]) -> list[MrzFieldError]:
    count = len(lines)
    if count == 2:
        expected, name = TD3_LINE_LENGTH, "TD3"
    elif count == 3:
        expected, name = TD1_LINE_LENGTH, "TD1"
    else:
        return [
            MrzFieldError(
                "lines",
                "expected 2 lines of 44 characters (TD3 passport) or 3 lines of 30 "
                f"characters (TD1 identity card), but got {count} line(s)",
            )
        ]
    errors = []
    for number, line in enumerate(lines, start=1):
        if len(line) != expected:
            hint = ""
            if count == 2 and len(line) == 36:
                hint = " (2 lines of 36 characters would be TD2, which is not supported)"
            errors.append(
                MrzFieldError(
                    "lines",
                    f"line {number} has {_characters(len(line))} but each line of a "
                    f"{name} MRZ must have {expected}{hint}",
                )
            )
        bad = sorted({char for char in line if char not in _CHAR_VALUES})
        if bad:
            listed = ", ".join(repr(char) for char in bad)
            errors.append(
                MrzFieldError(
                    "lines",
                    f"line {number} contains characters that are not allowed in an MRZ "
                    f"({listed}); only A-Z, 0-9 and '<' are allowed",
                )
            )
    return errors


def _characters(count: int) -> str:
    return f"{count} character" if count == 1 else f"{count} characters"


def _parse_td3(line1: str, line2: str, today: date) -> MrzData:
    errors: list[MrzFieldError] = []
    issuing_state = _parse_state_code(errors, "issuing_state", "issuing state", line1[2:5])
    surname, given_names = _parse_names(line1[5:44])

    number_field = line2[0:9]
    document_number = _parse_document_number(errors, number_field, line2[9])
    nationality = _parse_state_code(errors, "nationality", "nationality", line2[10:13])
    birth_date = _parse_date_field(
        errors, "birth_date", "birth date", line2[13:19], line2[19], _birth_year, today
    )
    sex = _parse_sex(errors, line2[20])
    expiry_date = _parse_date_field(
        errors, "expiry_date", "expiry date", line2[21:27], line2[27], _expiry_year, today
    )
    optional_field = line2[28:42]
    _verify_check_digit(
        errors,
        "optional_data",
        "the personal number / optional data",
        optional_field,
        line2[42],
        filler_allowed=True,
    )
    _verify_check_digit(
        errors,
        "composite",
        "the composite of line 2 (positions 1-10, 14-20 and 22-43)",
        line2[0:10] + line2[13:20] + line2[21:43],
        line2[43],
        show_value=False,
    )
    if errors:
        raise MrzError(errors)
    return MrzData(
        format="TD3",
        document_type=line1[0:2].replace("<", ""),
        issuing_state=issuing_state,
        surname=surname,
        given_names=given_names,
        document_number=document_number,
        nationality=nationality,
        birth_date=birth_date,
        sex=sex,
        expiry_date=expiry_date,
        optional_data=_fillers_to_spaces(optional_field),
    )


def _parse_td1(line1: str, line2: str, line3: str, today: date) -> MrzData:
    errors: list[MrzFieldError] = []
    issuing_state = _parse_state_code(errors, "issuing_state", "issuing state", line1[2:5])

    number_field, number_check, optional_1 = line1[5:14], line1[14], line1[15:30]
    if number_check == "<":
        # Long document number: continuation + check digit, then '<', in the optional data.
        head, _, optional_1 = optional_1.partition("<")
        if "<" in number_field:
            errors.append(
                MrzFieldError(
                    "document_number",
                    "position 15 is '<', which marks a document number longer than 9 "
                    f"characters, but positions 6-14 ({number_field}) are not filled; "
                    "the check digit is missing",
                )
            )
            document_number = number_field.replace("<", "")
        elif len(head) < 2:
            errors.append(
                MrzFieldError(
                    "document_number",
                    "position 15 is '<', which marks a document number longer than 9 "
                    "characters, but positions 16 onwards do not hold its remaining "
                    "characters followed by a check digit",
                )
            )
            document_number = number_field.replace("<", "")
        else:
            document_number = _parse_document_number(errors, number_field + head[:-1], head[-1])
    else:
        document_number = _parse_document_number(errors, number_field, number_check)

    birth_date = _parse_date_field(
        errors, "birth_date", "birth date", line2[0:6], line2[6], _birth_year, today
    )
    sex = _parse_sex(errors, line2[7])
    expiry_date = _parse_date_field(
        errors, "expiry_date", "expiry date", line2[8:14], line2[14], _expiry_year, today
    )
    nationality = _parse_state_code(errors, "nationality", "nationality", line2[15:18])
    optional_2 = line2[18:29]
    _verify_check_digit(
        errors,
        "composite",
        "the composite of line 1 (positions 6-30) and line 2 (positions 1-7, 9-15 and 19-29)",
        line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29],
        line2[29],
        show_value=False,
    )
    if errors:
        raise MrzError(errors)
    surname, given_names = _parse_names(line3)
    optional_parts = (_fillers_to_spaces(optional_1), _fillers_to_spaces(optional_2))
    return MrzData(
        format="TD1",
        document_type=line1[0:2].replace("<", ""),
        issuing_state=issuing_state,
        surname=surname,
        given_names=given_names,
        document_number=document_number,
        nationality=nationality,
        birth_date=birth_date,
        sex=sex,
        expiry_date=expiry_date,
        optional_data=" ".join(part for part in optional_parts if part),
    )


def _verify_check_digit(
    errors: list[MrzFieldError],
    field: str,
    label: str,
    value: str,
    check: str,
    *,
    filler_allowed: bool = False,
    show_value: bool = True,
) -> None:
    """Append an error to ``errors`` unless ``check`` is the check digit of ``value``.

    With ``filler_allowed``, a ``<`` check digit is accepted for an all-filler value.
    """
    if filler_allowed and check == "<" and set(value) <= {"<"}:
        return
    if check not in "0123456789":
        errors.append(
            MrzFieldError(field, f"check digit of {label} must be a digit but is {check!r}")
        )
        return
    expected = compute_check_digit(value)
    if check != expected:
        shown = f" {value}" if show_value else ""
        errors.append(
            MrzFieldError(
                field, f"check digit is {check} but {label}{shown} computes to {expected}"
            )
        )


def _parse_document_number(errors: list[MrzFieldError], value: str, check: str) -> str:
    number = value.replace("<", "")
    if not number:
        errors.append(MrzFieldError("document_number", "the document number is empty"))
        return number
    _verify_check_digit(errors, "document_number", "the document number", value, check)
    return number


def _parse_state_code(errors: list[MrzFieldError], field: str, label: str, raw: str) -> str:
    if not _STATE_CODE_RE.fullmatch(raw):
        errors.append(
            MrzFieldError(
                field,
                f"the {label} code {raw!r} must be 1 to 3 letters followed by '<' fillers",
            )
        )
    return raw.replace("<", "")


def _parse_sex(errors: list[MrzFieldError], raw: str) -> Literal["M", "F", "X"]:
    if raw == "M":
        return "M"
    if raw == "F":
        return "F"
    if raw != "<":
        errors.append(
            MrzFieldError("sex", f"sex must be 'M', 'F' or '<' (unspecified) but is {raw!r}")
        )
    return "X"


def _birth_year(two_digits: int, today: date) -> int:
    return 1900 + two_digits if two_digits > today.year % 100 else 2000 + two_digits


def _expiry_year(two_digits: int, today: date) -> int:
    year = 2000 + two_digits
    return year - 100 if year > today.year + 50 else year


def _parse_date_field(
    errors: list[MrzFieldError],
    field: str,
    label: str,
    raw: str,
    check: str,
    century: Callable[[int, date], int],
    today: date,
) -> date | None:
    if _PARTIAL_DATE_RE.fullmatch(raw):
        # Unknown (all fillers) or partially unknown (YY<<<< or YYMM<<) date.
        _verify_check_digit(errors, field, f"the {label}", raw, check, filler_allowed=True)
        return None
    if "<" in raw and all(char in "0123456789<" for char in raw):
        _verify_check_digit(errors, field, f"the {label}", raw, check)
        errors.append(
            MrzFieldError(
                field,
                f"the {label} {raw} has '<' in the wrong place; an unknown date is "
                "<<<<<<, YY<<<< or YYMM<<",
            )
        )
        return None
    _verify_check_digit(errors, field, f"the {label}", raw, check)
    if not all(char in "0123456789" for char in raw):
        errors.append(
            MrzFieldError(
                field,
                f"the {label} {raw} contains letters; a date must be YYMMDD digits, "
                "or '<' where unknown",
            )
        )
        return None
    year, month, day = century(int(raw[0:2]), today), int(raw[2:4]), int(raw[4:6])
    if not 1 <= month <= 12:
        errors.append(
            MrzFieldError(
                field, f"the {label} {raw} is not a real date: there is no month {month:02d}"
            )
        )
        return None
    try:
        return date(year, month, day)
    except ValueError:
        errors.append(
            MrzFieldError(
                field,
                f"the {label} {raw} is not a real date: {year}-{month:02d} has no day {day:02d}",
            )
        )
        return None


def _parse_names(raw: str) -> tuple[str, str]:
    surname, _, given_names = raw.partition("<<")
    return _fillers_to_spaces(surname), _fillers_to_spaces(given_names)


def _fillers_to_spaces(raw: str) -> str:
    return " ".join(raw.replace("<", " ").split())


# -------------------------------------------------------------------------- building


def build_td3(
    *,
    document_type: str = "P",
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | None,
    sex: str,
    expiry_date: date,
    optional_data: str = "",
) -> tuple[str, str]:
    """Build the two 44-character lines of a valid TD3 (passport) MRZ.

    Names are transliterated to A-Z (diacritics stripped, other characters turned into
    ``<``) and truncated to fit. ``sex`` is ``"M"``, ``"F"`` or ``"X"``/``"<"``;
    ``birth_date=None`` writes an unknown date. The document number has at most 9
    characters and the optional data (personal number) at most 14.
    Raises ``ValueError`` for values that cannot be encoded.
    """
    number = _document_number_field(document_number)
    if len(number) > 9:
        raise ValueError(
            f"document number {number!r} has {len(number)} characters; a TD3 MRZ holds at most 9"
        )
    number = number.ljust(9, "<")
    optional = _optional_field(optional_data, 14)
    line1 = (
        _document_type_field(document_type)
        + _state_code_field(issuing_state, "issuing_state")
        + _name_field(surname, given_names, TD3_LINE_LENGTH - 5)
    )
    number_part = number + compute_check_digit(number)
    birth = _date_field(birth_date)
    birth_part = birth + compute_check_digit(birth)
    expiry = _date_field(expiry_date)
    expiry_part = expiry + compute_check_digit(expiry)
    optional_check = "<" if set(optional) == {"<"} else compute_check_digit(optional)
    optional_part = optional + optional_check
    composite = compute_check_digit(number_part + birth_part + expiry_part + optional_part)
    line2 = (
        number_part
        + _state_code_field(nationality, "nationality")
        + birth_part
        + _sex_field(sex)
        + expiry_part
        + optional_part
        + composite
    )
    return line1, line2


def build_td1(
    *,
    document_type: str = "I",
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | None,
    sex: str,
    expiry_date: date,
    optional_data: str = "",
    optional_data_2: str = "",
) -> tuple[str, str, str]:
    """Build the three 30-character lines of a valid TD1 (identity card) MRZ.

    ``optional_data`` goes into line 1 (15 characters, fewer when the document number
    is longer than 9 characters and overflows into that field; at most 22 characters
    in total), ``optional_data_2`` into line 2 (11 characters). Parsing joins both
    into ``MrzData.optional_data`` with a space. Other rules as in :func:`build_td3`.
    Raises ``ValueError`` for values that cannot be encoded.
    """
    number = _document_number_field(document_number)
    if len(number) <= 9:
        padded = number.ljust(9, "<")
        number_part = padded + compute_check_digit(padded)
        optional_1 = _optional_field(optional_data, 15)
    else:
        overflow = number[9:] + compute_check_digit(number) + "<"
        if len(overflow) > 15:
            raise ValueError(
                f"document number {number!r} has {len(number)} characters; "
                "a TD1 MRZ holds at most 22"
            )
        number_part = number[:9] + "<"
        optional_1 = overflow + _optional_field(optional_data, 15 - len(overflow))
    line1 = (
        _document_type_field(document_type)
        + _state_code_field(issuing_state, "issuing_state")
        + number_part
        + optional_1
    )
    birth = _date_field(birth_date)
    birth_part = birth + compute_check_digit(birth)
    expiry = _date_field(expiry_date)
    expiry_part = expiry + compute_check_digit(expiry)
    optional_2 = _optional_field(optional_data_2, 11)
    line2_body = (
        birth_part
        + _sex_field(sex)
        + expiry_part
        + _state_code_field(nationality, "nationality")
        + optional_2
    )
    composite = compute_check_digit(line1[5:30] + birth_part + expiry_part + optional_2)
    line3 = _name_field(surname, given_names, TD1_LINE_LENGTH)
    return line1, line2_body + composite, line3


def _document_type_field(value: str) -> str:
    code = value.strip().upper()
    if not _DOCUMENT_TYPE_RE.fullmatch(code):
        raise ValueError(f"document type {value!r} must be 1 or 2 letters, e.g. 'P' or 'ID'")
    return code.ljust(2, "<")


def _state_code_field(value: str, name: str) -> str:
    code = value.strip().upper().rstrip("<")
    if not re.fullmatch(r"[A-Z]{1,3}", code):
        raise ValueError(f"{name} {value!r} must be a code of 1 to 3 letters, e.g. 'D' or 'IDN'")
    return code.ljust(3, "<")


def _document_number_field(value: str) -> str:
    number = "".join(value.split()).upper()
    if not _DOCUMENT_NUMBER_RE.fullmatch(number):
        raise ValueError(f"document number {value!r} must consist of letters A-Z and digits")
    return number


def _optional_field(value: str, width: int) -> str:
    text = "<".join(value.upper().split())
    if not _OPTIONAL_RE.fullmatch(text):
        raise ValueError(f"optional data {value!r} may only contain letters A-Z and digits")
    if len(text) > width:
        raise ValueError(f"optional data {value!r} is longer than the {width} characters available")
    return text.ljust(width, "<")


def _sex_field(value: str) -> str:
    code = value.strip().upper()
    if code in ("M", "F"):
        return code
    if code in ("X", "<", ""):
        return "<"
    raise ValueError(f"sex {value!r} must be 'M', 'F' or 'X'")


def _date_field(value: date | None) -> str:
    if value is None:
        return "<<<<<<"
    return f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"


def _transliterate(name: str) -> str:
    """Turn a name into MRZ characters: A-Z with single ``<`` between words."""
    text = "".join(_SPECIAL_LETTERS.get(char, char) for char in name)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = "".join(char for char in text if char not in _APOSTROPHES).upper()
    return re.sub(r"[^A-Z]+", "<", text).strip("<")


def _name_field(surname: str, given_names: str, width: int) -> str:
    primary, secondary = _transliterate(surname), _transliterate(given_names)
    if not primary and not secondary:
        raise ValueError("a name with at least one Latin letter is required")
    field = primary + ("<<" + secondary if secondary else "")
    return field[:width].ljust(width, "<")
