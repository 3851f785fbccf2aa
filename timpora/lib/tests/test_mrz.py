"""Tests for timpora.lib.mrz (no Django, no database)."""

import re
import string
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from timpora.lib.mrz import (
    MrzData,
    MrzError,
    MrzFieldError,
    build_td1,
    build_td3,
    compute_check_digit,
    parse_mrz,
)

TODAY = date(2025, 6, 1)

TD3_SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD1_SPECIMEN = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)

MRZ_LINE_RE = re.compile(r"[A-Z0-9<]+")
ALNUM = string.ascii_uppercase + string.digits
MRZ_ALPHABET = ALNUM + "<"
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _char_value(char: str) -> int:
    if char == "<":
        return 0
    if char.isdigit():
        return int(char)
    return ord(char) - ord("A") + 10


def _errors(lines: tuple[str, ...] | list[str]) -> MrzError:
    with pytest.raises(MrzError) as excinfo:
        parse_mrz(lines, today=TODAY)
    return excinfo.value


def _replace(line: str, index: int, char: str) -> str:
    return line[:index] + char + line[index + 1 :]


# ------------------------------------------------------------------ check digits


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("L898902C3", "6"),
        ("740812", "2"),
        ("120415", "9"),
        ("ZE184226B<<<<<", "1"),
        ("D23145890", "7"),
        ("D23145890734", "9"),
        ("<<<<<<", "0"),
        ("", "0"),
    ],
)
def test_compute_check_digit(value: str, expected: str) -> None:
    assert compute_check_digit(value) == expected


@pytest.mark.parametrize("value", ["abc", "12-3", "É", " "])
def test_compute_check_digit_rejects_non_mrz_characters(value: str) -> None:
    with pytest.raises(ValueError, match="not allowed"):
        compute_check_digit(value)


# ------------------------------------------------------------------ specimens


def test_td3_specimen() -> None:
    data = parse_mrz(TD3_SPECIMEN, today=TODAY)
    assert data == MrzData(
        format="TD3",
        document_type="P",
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        document_number="L898902C3",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2012, 4, 15),
        optional_data="ZE184226B",
    )
    assert data.to_dict() == {
        "format": "TD3",
        "document_type": "P",
        "issuing_state": "UTO",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "document_number": "L898902C3",
        "nationality": "UTO",
        "birth_date": "1974-08-12",
        "sex": "F",
        "expiry_date": "2012-04-15",
        "optional_data": "ZE184226B",
    }


def test_td1_specimen() -> None:
    data = parse_mrz(TD1_SPECIMEN, today=TODAY)
    assert data == MrzData(
        format="TD1",
        document_type="I",
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        document_number="D23145890",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2012, 4, 15),
        optional_data="",
    )


def test_builders_reproduce_the_specimens() -> None:
    fields = {
        "issuing_state": "UTO",
        "surname": "Eriksson",
        "given_names": "Anna Maria",
        "nationality": "UTO",
        "birth_date": date(1974, 8, 12),
        "sex": "F",
        "expiry_date": date(2012, 4, 15),
    }
    assert (
        build_td3(document_number="L898902C3", optional_data="ZE184226B", **fields) == TD3_SPECIMEN
    )
    assert build_td1(document_number="D23145890", **fields) == TD1_SPECIMEN


def test_td1_long_document_number_icao_example() -> None:
    lines = build_td1(
        issuing_state="UTO",
        surname="Eriksson",
        given_names="Anna Maria",
        document_number="D23145890734",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2012, 4, 15),
        optional_data="AB12",
    )
    assert lines[0] == "I<UTOD23145890<7349<AB12<<<<<<"
    data = parse_mrz(lines, today=TODAY)
    assert data.document_number == "D23145890734"
    assert data.optional_data == "AB12"


def test_td1_long_document_number_with_wrong_check_digit() -> None:
    line1 = "I<UTOD23145890<7348<<<<<<<<<<<"
    line2 = "7408122F1204159UTO<<<<<<<<<<<"
    line2 += compute_check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    error = _errors([line1, line2, TD1_SPECIMEN[2]])
    assert error.fields == {"document_number"}
    assert "check digit is 8 but the document number D23145890734 computes to 9" in str(error)


@pytest.mark.parametrize(
    "line1",
    [
        "I<UTOD23145890<<<<<<<<<<<<<<<<",
        "I<UTOD23145890<7<<<<<<<<<<<<<<",
        "I<UTOD2314589<<7349<<<<<<<<<<<",
    ],
)
def test_td1_malformed_long_document_number(line1: str) -> None:
    line2 = "7408122F1204159UTO<<<<<<<<<<<"
    line2 += compute_check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    assert "document_number" in _errors([line1, line2, TD1_SPECIMEN[2]]).fields


# ------------------------------------------------------------------ tolerance


def test_whitespace_and_lower_case_are_tolerated() -> None:
    messy = [
        "  p<uto eriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\n",
        "\tL898902C36UTO 7408122F 1204159ZE184226B<<<<<10  ",
    ]
    assert parse_mrz(messy, today=TODAY) == parse_mrz(TD3_SPECIMEN, today=TODAY)


def test_single_string_with_line_breaks_and_blank_lines() -> None:
    text = "\n" + "\n".join(TD1_SPECIMEN) + "\n\n"
    assert parse_mrz(text, today=TODAY) == parse_mrz(TD1_SPECIMEN, today=TODAY)


def test_default_today_is_used() -> None:
    assert parse_mrz(TD3_SPECIMEN).birth_date == date(1974, 8, 12)


# ------------------------------------------------------------------ dates


def _td3_with_date(line2: str, start: int, raw: str, check: str | None = None) -> str:
    """Put ``raw`` into the date at ``start`` with a correct (or given) check digit."""
    check = compute_check_digit(raw) if check is None else check
    line2 = line2[:start] + raw + check + line2[start + 7 :]
    return line2[:43] + compute_check_digit(line2[0:10] + line2[13:20] + line2[21:43])


def _td1_with_date(line1: str, line2: str, start: int, raw: str) -> str:
    line2 = line2[:start] + raw + compute_check_digit(raw) + line2[start + 7 :]
    composite = compute_check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return line2[:29] + composite


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("250101", date(2025, 1, 1)), ("250602", date(2025, 6, 2)), ("260101", date(1926, 1, 1))],
)
def test_birth_century(raw: str, expected: date) -> None:
    line2 = _td3_with_date(TD3_SPECIMEN[1], 13, raw)
    assert parse_mrz([TD3_SPECIMEN[0], line2], today=TODAY).birth_date == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("300101", date(2030, 1, 1)), ("751231", date(2075, 12, 31)), ("980101", date(1998, 1, 1))],
)
def test_expiry_century(raw: str, expected: date) -> None:
    line2 = _td3_with_date(TD3_SPECIMEN[1], 21, raw)
    assert parse_mrz([TD3_SPECIMEN[0], line2], today=TODAY).expiry_date == expected


@pytest.mark.parametrize(
    ("raw", "check"), [("<<<<<<", "0"), ("<<<<<<", "<"), ("74<<<<", "1"), ("7408<<", "7")]
)
def test_unknown_birth_date_is_none(raw: str, check: str) -> None:
    line2 = _td3_with_date(TD3_SPECIMEN[1], 13, raw, check)
    assert parse_mrz([TD3_SPECIMEN[0], line2], today=TODAY).birth_date is None


@pytest.mark.parametrize("raw", ["74<812", "7408<2", "<40812", "74O812"])
def test_malformed_birth_date_is_rejected(raw: str) -> None:
    line2 = _td3_with_date(TD3_SPECIMEN[1], 13, raw)
    assert _errors([TD3_SPECIMEN[0], line2]).fields == {"birth_date"}


def _invalid_dates() -> st.SearchStrategy[str]:
    year = st.integers(0, 99)
    bad_month = st.tuples(year, st.sampled_from([0, *range(13, 100)]), st.integers(1, 28))
    bad_day = st.tuples(year, st.integers(1, 12), st.sampled_from([0, *range(32, 100)]))
    short_month = st.tuples(year, st.sampled_from([4, 6, 9, 11]), st.just(31))
    february = st.tuples(year, st.just(2), st.sampled_from([30, 31]))
    return st.one_of(bad_month, bad_day, short_month, february).map(
        lambda ymd: f"{ymd[0]:02d}{ymd[1]:02d}{ymd[2]:02d}"
    )


@PROPERTY
@given(raw=_invalid_dates(), field=st.sampled_from(["birth_date", "expiry_date"]))
def test_td3_invalid_date_with_correct_check_digit(raw: str, field: str) -> None:
    line2 = _td3_with_date(TD3_SPECIMEN[1], 13 if field == "birth_date" else 21, raw)
    error = _errors([TD3_SPECIMEN[0], line2])
    assert error.fields == {field}
    assert "not a real date" in str(error)


@PROPERTY
@given(raw=_invalid_dates(), field=st.sampled_from(["birth_date", "expiry_date"]))
def test_td1_invalid_date_with_correct_check_digit(raw: str, field: str) -> None:
    line1, line2, line3 = TD1_SPECIMEN
    line2 = _td1_with_date(line1, line2, 0 if field == "birth_date" else 8, raw)
    error = _errors([line1, line2, line3])
    assert error.fields == {field}
    assert "not a real date" in str(error)


# ------------------------------------------------------------------ errors


def test_all_errors_are_collected() -> None:
    line2 = "L898902C37UTO7413122Q1204158ZE184226B<<<<<11"
    error = _errors([TD3_SPECIMEN[0], line2])
    assert error.fields == {"document_number", "birth_date", "sex", "expiry_date", "composite"}
    assert all(isinstance(item, MrzFieldError) for item in error.errors)
    assert str(error) == "; ".join(f"{item.field}: {item.message}" for item in error.errors)
    assert "document_number: check digit is 7 but the document number L898902C3 computes to 6" in (
        str(error)
    )
    assert isinstance(error, ValueError)


def test_state_codes_and_sex_are_validated() -> None:
    line1 = "P<U1OERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    line2 = "L898902C36<<<7408122Z1204159ZE184226B<<<<<1"
    line2 += compute_check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    error = _errors([line1, line2])
    assert error.fields == {"issuing_state", "nationality", "sex"}


def test_optional_data_check_digit() -> None:
    line2 = _replace(TD3_SPECIMEN[1], 42, "5")
    line2 = line2[:43] + compute_check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    error = _errors([TD3_SPECIMEN[0], line2])
    assert error.fields == {"optional_data"}


def test_empty_optional_data_accepts_filler_or_zero_check_digit() -> None:
    for check in "<0":
        line2 = TD3_SPECIMEN[1][:28] + "<" * 14 + check
        line2 += compute_check_digit(line2[0:10] + line2[13:20] + line2[21:43])
        assert parse_mrz([TD3_SPECIMEN[0], line2], today=TODAY).optional_data == ""


def test_empty_document_number() -> None:
    line2 = "<<<<<<<<<0" + TD3_SPECIMEN[1][10:43]
    line2 += compute_check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    error = _errors([TD3_SPECIMEN[0], line2])
    assert error.fields == {"document_number"}


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [TD3_SPECIMEN[0]],
        [TD3_SPECIMEN[0]] * 3,
        [*TD3_SPECIMEN, TD3_SPECIMEN[1]],
        [*TD1_SPECIMEN, TD1_SPECIMEN[2]],
        [TD1_SPECIMEN[0], TD1_SPECIMEN[1]],
        [TD3_SPECIMEN[0], TD3_SPECIMEN[1][:-1]],
        [TD3_SPECIMEN[0][:36], TD3_SPECIMEN[1][:36]],
        [TD3_SPECIMEN[0], TD3_SPECIMEN[1][:-1] + "!"],
        [TD1_SPECIMEN[0], TD1_SPECIMEN[1], TD1_SPECIMEN[2] + "<"],
    ],
)
def test_line_structure_errors(lines: list[str]) -> None:
    error = _errors(lines)
    assert error.fields == {"lines"}


def test_line_errors_name_every_bad_line() -> None:
    error = _errors(["P<UTO#" + "<" * 38, "L898902C36UTO7408122F1204159ZE184226B<<<<<1"])
    messages = [item.message for item in error.errors]
    assert any("line 1 contains" in message and "'#'" in message for message in messages)
    assert any("line 2 has 43 characters" in message for message in messages)


@PROPERTY
@given(
    count=st.sampled_from([1, 4, 5, 6]),
    length=st.integers(20, 50),
    char=st.sampled_from(MRZ_ALPHABET),
)
def test_wrong_line_count_is_a_lines_error(count: int, length: int, char: str) -> None:
    assert _errors([char * length] * count).fields == {"lines"}


@PROPERTY
@given(data=st.data(), td1=st.booleans())
def test_wrong_line_length_is_a_lines_error(data: st.DataObject, td1: bool) -> None:
    count, width = (3, 30) if td1 else (2, 44)
    lengths = data.draw(st.lists(st.integers(1, 60), min_size=count, max_size=count))
    assume(any(length != width for length in lengths))
    lines = [data.draw(st.text(MRZ_ALPHABET, min_size=n, max_size=n)) for n in lengths]
    assert _errors(lines).fields == {"lines"}


BAD_CHARS = '!"#$%&()*+,-./:;=>?@[\\]^_{|}~ÄÖÜÉÑ€«»'


@PROPERTY
@given(data=st.data(), td1=st.booleans(), bad=st.sampled_from(BAD_CHARS))
def test_bad_character_is_a_lines_error(data: st.DataObject, td1: bool, bad: str) -> None:
    lines = list(TD1_SPECIMEN if td1 else TD3_SPECIMEN)
    row = data.draw(st.integers(0, len(lines) - 1))
    column = data.draw(st.integers(0, len(lines[row]) - 1))
    lines[row] = _replace(lines[row], column, bad)
    error = _errors(lines)
    assert error.fields == {"lines"}
    assert f"line {row + 1} contains" in str(error)


# ------------------------------------------------------------------ building


def test_diacritics_are_transliterated() -> None:
    line1, line2 = build_td3(
        issuing_state="D",
        surname="Müller",
        given_names="Nguyễn Văn An",
        document_number="C01X00T47",
        nationality="VNM",
        birth_date=date(1990, 2, 28),
        sex="M",
        expiry_date=date(2031, 4, 15),
    )
    assert line1 == "P<D<<MULLER<<NGUYEN<VAN<AN<<<<<<<<<<<<<<<<<<"
    data = parse_mrz([line1, line2], today=TODAY)
    assert (data.surname, data.given_names) == ("MULLER", "NGUYEN VAN AN")
    assert (data.issuing_state, data.nationality) == ("D", "VNM")


@pytest.mark.parametrize(
    ("surname", "given_names", "expected"),
    [
        ("Nguyễn", "Văn An", ("NGUYEN", "VAN AN")),
        ("Đặng", "Thị Hồng", ("DANG", "THI HONG")),
        ("O'Brien-Smith", "Seán", ("OBRIEN SMITH", "SEAN")),
        ("Straße", "Jørgen Ærø", ("STRASSE", "JOERGEN AEROE")),
        ("Wiśniewski", "Łukasz", ("WISNIEWSKI", "LUKASZ")),
        ("李", "Wei", ("", "WEI")),
    ],
)
def test_name_transliteration(surname: str, given_names: str, expected: tuple[str, str]) -> None:
    lines = build_td1(
        issuing_state="IDN",
        surname=surname,
        given_names=given_names,
        document_number="AB1234567",
        nationality="IDN",
        birth_date=date(1990, 1, 1),
        sex="F",
        expiry_date=date(2030, 1, 1),
    )
    assert all(MRZ_LINE_RE.fullmatch(line) and len(line) == 30 for line in lines)
    data = parse_mrz(lines, today=TODAY)
    assert (data.surname, data.given_names) == expected


def test_long_names_are_truncated() -> None:
    line1, _ = build_td3(
        issuing_state="IDN",
        surname="Wolfeschlegelsteinhausenbergerdorff",
        given_names="Hubert Blaine Adolph Charles",
        document_number="X1",
        nationality="IDN",
        birth_date=None,
        sex="X",
        expiry_date=date(2030, 1, 1),
    )
    assert line1 == "P<IDNWOLFESCHLEGELSTEINHAUSENBERGERDORFF<<HU"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"document_number": "L898902C3X"}, "at most 9"),
        ({"document_number": "L-898"}, "letters A-Z and digits"),
        ({"issuing_state": "DEUX"}, "1 to 3 letters"),
        ({"nationality": "1"}, "1 to 3 letters"),
        ({"sex": "Q"}, "'M', 'F' or 'X'"),
        ({"optional_data": "A" * 15}, "longer than"),
        ({"optional_data": "A-B"}, "only contain"),
        ({"document_type": "1"}, "document type"),
        ({"surname": "李", "given_names": ""}, "Latin letter"),
    ],
)
def test_build_rejects_unencodable_values(changes: dict[str, str], message: str) -> None:
    fields: dict[str, object] = {
        "issuing_state": "UTO",
        "surname": "Eriksson",
        "given_names": "Anna",
        "document_number": "L898902C3",
        "nationality": "UTO",
        "birth_date": date(1974, 8, 12),
        "sex": "F",
        "expiry_date": date(2012, 4, 15),
        **changes,
    }
    with pytest.raises(ValueError, match=re.escape(message)):
        build_td3(**fields)  # type: ignore[arg-type]


def test_td1_document_number_too_long() -> None:
    with pytest.raises(ValueError, match="at most 22"):
        build_td1(
            issuing_state="UTO",
            surname="X",
            given_names="",
            document_number="A" * 23,
            nationality="UTO",
            birth_date=None,
            sex="X",
            expiry_date=date(2030, 1, 1),
        )


# ------------------------------------------------------------------ property-based


def _words(max_words: int) -> st.SearchStrategy[str]:
    word = st.text(string.ascii_uppercase, min_size=1, max_size=6)
    return st.lists(word, min_size=1, max_size=max_words).map(" ".join)


COMMON_FIELDS = {
    "issuing_state": st.text(string.ascii_uppercase, min_size=1, max_size=3),
    "nationality": st.text(string.ascii_uppercase, min_size=1, max_size=3),
    "surname": _words(2),
    "given_names": st.one_of(st.just(""), _words(2)),
    # Birth years that the century rule maps back to themselves for TODAY.
    "birth_date": st.one_of(st.none(), st.dates(date(TODAY.year - 99, 1, 1), TODAY)),
    "sex": st.sampled_from(["M", "F", "X"]),
    "expiry_date": st.dates(date(2000, 1, 1), date(TODAY.year + 50, 12, 31)),
}


@st.composite
def td3_fields(draw: st.DrawFn) -> dict[str, object]:
    fields = {name: draw(strategy) for name, strategy in COMMON_FIELDS.items()}
    fields["document_type"] = draw(st.sampled_from(["P", "PP", "PD", "PS"]))
    fields["document_number"] = draw(st.text(ALNUM, min_size=1, max_size=9))
    fields["optional_data"] = draw(st.text(ALNUM, max_size=14))
    return fields


@st.composite
def td1_fields(draw: st.DrawFn) -> dict[str, object]:
    fields = {name: draw(strategy) for name, strategy in COMMON_FIELDS.items()}
    fields["document_type"] = draw(st.sampled_from(["I", "ID", "A", "C", "IR"]))
    number = draw(st.text(ALNUM, min_size=1, max_size=22))
    fields["document_number"] = number
    room = 15 if len(number) <= 9 else 15 - (len(number) - 9 + 2)
    fields["optional_data"] = draw(st.text(ALNUM, max_size=room))
    fields["optional_data_2"] = draw(st.text(ALNUM, max_size=11))
    return fields


def _expected(fields: dict[str, object], fmt: str) -> MrzData:
    optional = [fields["optional_data"], fields.get("optional_data_2", "")]
    return MrzData(
        format=fmt,  # type: ignore[arg-type]
        document_type=str(fields["document_type"]),
        issuing_state=str(fields["issuing_state"]),
        surname=str(fields["surname"]),
        given_names=str(fields["given_names"]),
        document_number=str(fields["document_number"]),
        nationality=str(fields["nationality"]),
        birth_date=fields["birth_date"],  # type: ignore[arg-type]
        sex=fields["sex"],  # type: ignore[arg-type]
        expiry_date=fields["expiry_date"],  # type: ignore[arg-type]
        optional_data=" ".join(str(part) for part in optional if part),
    )


@PROPERTY
@given(fields=td3_fields())
def test_td3_round_trip(fields: dict[str, object]) -> None:
    lines = build_td3(**fields)  # type: ignore[arg-type]
    assert [len(line) for line in lines] == [44, 44]
    assert all(MRZ_LINE_RE.fullmatch(line) for line in lines)
    assert parse_mrz(lines, today=TODAY) == _expected(fields, "TD3")


@PROPERTY
@given(fields=td1_fields())
def test_td1_round_trip(fields: dict[str, object]) -> None:
    lines = build_td1(**fields)  # type: ignore[arg-type]
    assert [len(line) for line in lines] == [30, 30, 30]
    assert all(MRZ_LINE_RE.fullmatch(line) for line in lines)
    assert parse_mrz(lines, today=TODAY) == _expected(fields, "TD1")


@PROPERTY
@given(surname=st.text(max_size=40), given_names=st.text(max_size=40))
def test_arbitrary_unicode_names_build_valid_lines(surname: str, given_names: str) -> None:
    try:
        lines = build_td3(
            issuing_state="IDN",
            surname=surname,
            given_names=given_names,
            document_number="B1234567",
            nationality="IDN",
            birth_date=date(1980, 5, 17),
            sex="M",
            expiry_date=date(2030, 5, 17),
        )
    except ValueError:
        assert not re.search("[A-Za-z]", surname + given_names)
        return
    assert all(MRZ_LINE_RE.fullmatch(line) and len(line) == 44 for line in lines)
    data = parse_mrz(lines, today=TODAY)
    assert re.fullmatch(r"[A-Z ]*", data.surname + data.given_names)


# Protected positions: (line index, first column, last column, field).
TD3_PROTECTED = [
    (1, 0, 8, "document_number"),
    (1, 9, 9, "document_number"),
    (1, 13, 18, "birth_date"),
    (1, 19, 19, "birth_date"),
    (1, 21, 26, "expiry_date"),
    (1, 27, 27, "expiry_date"),
    (1, 28, 41, "optional_data"),
    (1, 42, 42, "optional_data"),
    (1, 43, 43, "composite"),
]
DIGIT_ONLY_TD3 = {9, 19, 27, 43, *range(13, 19), *range(21, 27)}


def _is_detectable(original: str, replacement: str, digit_only: bool) -> bool:
    """Whether a single substitution must be caught by the rules.

    In a field that may hold letters, the ICAO check digit only sees values modulo 10,
    so 'A' (10) for '0' or '<' (0) for '0' cannot be detected by any check digit.
    In digit-only positions (dates, check digits) letters and fillers are format errors.
    """
    if replacement == original:
        return False
    if digit_only:
        return True
    return _char_value(replacement) % 10 != _char_value(original) % 10


@PROPERTY
@given(fields=td3_fields(), data=st.data())
def test_td3_single_corruption_is_rejected(fields: dict[str, object], data: st.DataObject) -> None:
    lines = list(build_td3(**fields))  # type: ignore[arg-type]
    row, first, last, field = data.draw(st.sampled_from(TD3_PROTECTED))
    column = data.draw(st.integers(first, last))
    original = lines[row][column]
    replacement = data.draw(st.sampled_from(MRZ_ALPHABET))
    assume(_is_detectable(original, replacement, column in DIGIT_ONLY_TD3))
    # Equivalent encodings of an all-filler field's check digit: '0' and '<'.
    if column in (19, 42) and {original, replacement} == {"0", "<"}:
        all_fillers = set(lines[row][column - (6 if column == 19 else 14) : column]) == {"<"}
        assume(not all_fillers)
    lines[row] = _replace(lines[row], column, replacement)
    error = _errors(lines)
    assert field in error.fields, str(error)


@PROPERTY
@given(fields=td1_fields(), data=st.data())
def test_td1_single_corruption_is_rejected(fields: dict[str, object], data: st.DataObject) -> None:
    lines = list(build_td1(**fields))  # type: ignore[arg-type]
    number = str(fields["document_number"])
    protected = [
        (0, 5, 13, "document_number", False),
        # '0' -> '<' at a TD1 line-1 check digit switches to (or from) the long-number
        # reading without changing any value modulo 10, so the modulo-10 rule applies.
        (0, 14, 14, "document_number", False),
        (1, 0, 5, "birth_date", True),
        (1, 6, 6, "birth_date", True),
        (1, 8, 13, "expiry_date", True),
        (1, 14, 14, "expiry_date", True),
        (1, 29, 29, "composite", True),
    ]
    if len(number) > 9:
        # Continuation of a long document number and its check digit.
        check_column = 15 + len(number) - 9
        protected += [
            (0, 15, check_column - 1, "document_number", False),
            (0, check_column, check_column, "document_number", False),
        ]
    row, first, last, field, digit_only = data.draw(st.sampled_from(protected))
    column = data.draw(st.integers(first, last))
    original = lines[row][column]
    replacement = data.draw(st.sampled_from(MRZ_ALPHABET))
    assume(_is_detectable(original, replacement, digit_only))
    if row == 1 and column == 6 and fields["birth_date"] is None:
        assume({original, replacement} != {"0", "<"})
    lines[row] = _replace(lines[row], column, replacement)
    error = _errors(lines)
    assert error.fields & {field, "composite"}, str(error)
