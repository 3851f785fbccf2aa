"""Name, passport and date keys: one behaviour per culture and per clerk's habit."""

from __future__ import annotations

import duckdb
import pytest

from timpora.matching.engine.data import generate_records
from timpora.matching.engine.features import build_features, record_features
from timpora.matching.engine.normalise import (
    PartialDate,
    compare_dates,
    name_keys,
    name_similarity,
    normalise_nationality,
    normalise_sex,
    parse_partial_date,
    passport_clean,
    passport_ocr_key,
)


def key(name: str) -> str:
    return name_keys(name).key


def same_person_keys(a: str, b: str) -> bool:
    """What the model's strongest name level tests: equal up to order or spacing."""
    ka, kb = name_keys(a), name_keys(b)
    return ka.sorted_key == kb.sorted_key or ka.cycle_key == kb.cycle_key


# --- Arabic -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", ["MOHAMMED", "Mohamed", "MUHAMMAD", "MOHAMAD", "MUHAMMED", "MOHAMMAD", "MOHD"]
)
def test_it_gives_every_transliteration_of_muhammad_one_key(spelling: str) -> None:
    assert key(f"{spelling} ALI") == "MUHAMMAD ALI"


@pytest.mark.parametrize(
    "spelling",
    ["ABDUL RAHMAN", "ABD AL-RAHMAN", "ABDEL RAHMAN", "ABDULRAHMAN", "ABDURRAHMAN", "Abdel-Rahman"],
)
def test_it_joins_abdul_and_the_name_it_belongs_to(spelling: str) -> None:
    assert key(f"{spelling} ISMAIL") == "ABDRAHMAN ISMAIL"


@pytest.mark.parametrize("spelling", ["HUSSEIN", "HUSSAIN", "HUSEIN", "HOSSEIN", "HUSAYN"])
def test_it_merges_hussein_spellings(spelling: str) -> None:
    assert key(f"{spelling} AHMED") == key("HUSSEIN AHMAD")


@pytest.mark.parametrize(
    "written",
    ["MUHAMMAD AL-GHAMDI", "Mohamed Alghamdi", "MOHAMMED EL GHAMDI", "MUHAMMAD GHAMDI"],
)
def test_it_drops_the_arabic_article_however_it_is_written(written: str) -> None:
    assert key(written) == "MUHAMMAD GHAMDI"


def test_it_reads_an_assimilated_article_as_al() -> None:
    assert key("AR-RASHID OMAR") == key("AL RASHID UMAR") == "RASHID UMAR"


def test_it_drops_bin_and_binti_but_keeps_the_fathers_name() -> None:
    assert key("AHMAD BIN ISMAIL") == key("Ahmad Ismail") == "AHMAD ISMAIL"
    assert key("SITI BINTI HASSAN") == "SITI HASAN"


def test_it_joins_abu_to_the_following_name() -> None:
    assert key("ABU BAKR AL-BAGHDADI") == key("ABUBAKAR BAGHDADI")


# --- Chinese ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wade_giles", "pinyin"),
    [("CHANG", "ZHANG"), ("HSU", "XU"), ("CHOU", "ZHOU"), ("WONG", "HUANG"), ("TSAI", "CAI")],
)
def test_it_maps_wade_giles_and_cantonese_surnames_to_pinyin(wade_giles: str, pinyin: str) -> None:
    assert key(f"{wade_giles} WEI") == key(f"{pinyin} WEI")


def test_it_matches_a_hyphenated_wade_giles_given_name_with_joined_pinyin() -> None:
    assert same_person_keys("CHANG HSIAO-MING", "Zhang Xiaoming")


@pytest.mark.parametrize(
    ("joined", "apart"),
    [
        ("WANG JUEHWANG", "jue huang wang"),  # HWANG → HUANG inside the joined name too
        ("GANGHUAN WANG", "Wang Gang-Huan"),
        ("Tsang Hsiangda", "ZENG XIANG-DA"),  # DA is a particle elsewhere, not here
        ("ZHANG HSUEHMING", "CHANG XUE MING"),  # a Wade-Giles syllable inside
    ],
)
def test_it_spells_the_syllables_of_a_joined_chinese_given_name_as_if_apart(
    joined: str, apart: str
) -> None:
    assert same_person_keys(joined, apart)


@pytest.mark.parametrize("name", ["ROBERT", "MICHAEL", "ALEKSANDR", "HANNEKE", "LINDA"])
def test_it_leaves_names_that_are_not_romanised_syllables_alone(name: str) -> None:
    assert key(f"{name} SMITH") == f"{name} SMITH"


def test_it_reads_a_joined_name_the_way_pinyin_is_read_longer_syllable_first() -> None:
    # SANG-WON, not SAN-GWON (GWON would become KWON).
    assert same_person_keys("OH SANGWON", "OH SANG WON")
    assert key("OH SANGWON") == "O SANGWON"


@pytest.mark.parametrize(
    ("hokkien", "pinyin"), [("TAN", "CHEN"), ("GOH", "WU"), ("LAW", "LUO"), ("SIU", "XIAO")]
)
def test_it_maps_hokkien_and_cantonese_spellings_to_pinyin(hokkien: str, pinyin: str) -> None:
    assert key(f"{hokkien} MEI LING") == key(f"{pinyin} MEI LING")


def test_it_leaves_pinyin_ou_syllables_alone() -> None:
    assert key("ZHOU LOU") == "ZHOU LOU"


# --- Korean -------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["LEE", "YI", "RHEE", "RI"])
def test_it_merges_the_spellings_of_lee(spelling: str) -> None:
    assert key(f"{spelling} MIN HO") == "LI MIN HO"


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [("PAK", "PARK"), ("BAK", "PARK"), ("CHOE", "CHOI"), ("CHUNG", "JUNG"), ("JEONG", "JUNG")],
)
def test_it_merges_korean_surname_romanisations(variant: str, canonical: str) -> None:
    assert key(f"{variant} SOO JIN") == key(f"{canonical} SOO JIN")


def test_it_matches_a_korean_name_in_either_order_and_spacing() -> None:
    assert same_person_keys("Kim Min-jun", "MINJUN KIM")
    assert same_person_keys("KIM MIN JUN", "MIN-JUN KIM")


def test_it_matches_a_joined_korean_given_name_with_its_syllables_apart() -> None:
    assert same_person_keys("Kim Yeonghyeok", "GIM YEONG-HYEOK")  # YEONG has variants
    assert same_person_keys("YI, WOONGKYUNG", "YI WOONG-KYUNG")
    assert same_person_keys("KIM JOOJAE", "JOO-JAE KIM")


def test_it_keeps_different_korean_given_names_apart() -> None:
    assert not same_person_keys("KIM MIN JUN", "KIM MIN SEO")


# --- Vietnamese ---------------------------------------------------------------------------


def test_it_folds_vietnamese_diacritics() -> None:
    assert key("Nguyễn Thị Lan") == key("NGUYEN THI LAN")
    assert key("Trần Đức Anh") == "TRAN DUC ANH"


def test_it_leaves_out_thi_as_records_often_do() -> None:
    # THI marks a woman's middle name; clerks drop it as they drop VAN.
    assert key("NGUYEN THI LAN") == key("Nguyễn Lan") == "NGUYEN LAN"
    assert same_person_keys("TRAN THI HOA", "HOA TRAN")


def test_it_keeps_vietnamese_names_made_only_of_particle_like_words() -> None:
    # LE and VAN are particles elsewhere; with nothing else left they are the name.
    assert key("LE VAN THANH") == "LE VAN THANH"


# --- Russian and Ukrainian ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("YULIYA GROMOVA", "Gromova Julia"),
        ("ALEXANDER IVANOV", "OLEKSANDR IVANOV"),
        ("DMITRY SOKOLOV", "DMITRIY SOKOLOV"),
        ("YEVGENIY POPOV", "EVGENII POPOV"),
    ],
)
def test_it_merges_transliterations_of_russian_and_ukrainian_given_names(a: str, b: str) -> None:
    assert same_person_keys(a, b)


# --- Japanese -----------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["SATOU", "SATOH", "Satō", "SATO", "SATOO"])
def test_it_writes_japanese_long_vowels_one_way(spelling: str) -> None:
    assert key(f"{spelling} KENJI") == "SATO KENJI"


def test_it_folds_long_u() -> None:
    assert key("YUUKI OHNO") == key("Yūki Ōno") == "YUKI ONO"


# --- European particles and name order ----------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["Pieter van der Berg", "BERG, PIETER VAN DER", "Pieter Vanderberg", "PIETER BERG"],
)
def test_it_drops_dutch_particles(written: str) -> None:
    assert name_keys(written).sorted_key == "BERG PIETER"


def test_it_compares_family_name_first_and_last_as_the_same_name() -> None:
    assert same_person_keys("SMITH, JOHN", "John Smith")
    assert same_person_keys("WANG XIAO LI", "LI WANG XIAO")


@pytest.mark.parametrize("name", ["ALBERT EINSTEIN", "ELENA ALVAREZ", "ALEXANDRA ALLEN"])
def test_it_does_not_mistake_western_names_for_an_arabic_article(name: str) -> None:
    assert key(name) == name


def test_it_strips_apostrophes_without_splitting_the_name() -> None:
    assert key("John O'Brien") == "JON OBRIEN"


def test_it_gives_nothing_for_an_empty_name() -> None:
    assert name_keys("").is_empty
    assert name_keys(" - ").is_empty
    assert name_keys(None).is_empty


def test_name_similarity_is_one_for_the_same_name_and_lower_for_typos() -> None:
    assert name_similarity("MUHAMMAD AL GHAMDI", "MOHAMED ALGHAMDI") == 1.0
    assert 0.9 < name_similarity("NAKAMURA TAKESHI", "NAKAMUR TAKESHI") < 1.0
    assert name_similarity("JOHN SMITH", "WANG WEI") < 0.7


# --- passports ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("E12345678", "E1234567B"),  # 8 / B
        ("P0123456", "PO123456"),  # 0 / O
        ("A1234567", "AI234567"),  # 1 / I
        ("K5512345", "KS512345"),  # 5 / S
        ("X2345678", "XZ345678"),  # 2 / Z
        ("N6123456", "NG123456"),  # 6 / G
        ("E 1234 5678", "e1234-5678"),  # spacing, case, punctuation
    ],
)
def test_it_gives_ocr_confusable_passport_numbers_one_key(a: str, b: str) -> None:
    assert passport_ocr_key(a) == passport_ocr_key(b)


def test_it_keeps_really_different_passport_numbers_apart() -> None:
    assert passport_ocr_key("E12345678") != passport_ocr_key("E12345679")


@pytest.mark.parametrize("placeholder", ["", "N/A", "-", "none", "0", "AB1"])
def test_it_treats_placeholders_and_stubs_as_no_passport(placeholder: str) -> None:
    assert passport_clean(placeholder) == ""
    assert passport_ocr_key(placeholder) == ""


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1980-05-01", PartialDate(1980, 5, 1)),
        ("1980-5-1", PartialDate(1980, 5, 1)),
        ("1980-05", PartialDate(1980, 5)),
        ("1980", PartialDate(1980)),
        ("1980-00-00", PartialDate(1980)),
        ("1980-13-05", PartialDate(1980, 13, 5)),  # kept: most likely a swap
        ("", None),
        ("05/01/1980", None),
        ("0980-01-01", None),
    ],
)
def test_it_parses_partial_iso_dates(text: str, expected: PartialDate | None) -> None:
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("1980-05-01", "1980-05-01", "exact"),
        ("1980-05-01", "1980-01-05", "swapped"),
        ("1980-13-05", "1980-05-13", "swapped"),
        ("1980", "1980-05-01", "partial"),
        ("1980-05", "1980-05-01", "partial"),
        ("1980-05", "1980-05", "partial"),
        ("1980-06", "1980-05-01", "different"),
        ("1980-05-01", "1980-05-07", "one_edit"),
        ("1980-05-01", "1981-05-01", "one_edit"),
        ("1980-05-01", "1980-09-23", "same_year"),
        ("1980-05-01", "1975-11-30", "different"),
        ("1980", "1981", "different"),
        ("", "1980-05-01", None),
    ],
)
def test_it_compares_dates_with_swaps_and_partial_dates(a: str, b: str, level: str | None) -> None:
    assert compare_dates(parse_partial_date(a), parse_partial_date(b)) == level


# --- sex and nationality ------------------------------------------------------------------


def test_it_reads_sex_in_english_indonesian_and_passport_codes() -> None:
    assert [normalise_sex(s) for s in ["m", "Male", "L", "Laki-laki", "F", "P", "Perempuan"]] == [
        "M",
        "M",
        "M",
        "M",
        "F",
        "F",
        "F",
    ]
    assert normalise_sex("X") == ""


def test_it_keeps_alpha3_and_translates_icao_d() -> None:
    assert normalise_nationality(" chn ") == "CHN"
    assert normalise_nationality("D") == "DEU"


# --- the SQL features are the Python features ---------------------------------------------


def test_the_bulk_sql_features_equal_the_single_record_features() -> None:
    records = list(generate_records(3000, seed=11))
    records += [
        {"record_id": "x1", "full_name": "Dr. Muhammad al-Ghamdi", "sex": "m",
         "date_of_birth": "1980-5-1", "nationality": "sa", "passport_number": "e 123 45678"},
        {"record_id": "x2", "full_name": "", "sex": "", "date_of_birth": "1980-00-00",
         "nationality": "d", "passport_number": "N/A"},
        {"record_id": "x3", "full_name": None, "sex": "perempuan", "date_of_birth": "0980-01-01",
         "nationality": "", "passport_number": None},
        {"record_id": "x4", "full_name": "Nguyễn", "sex": "L", "date_of_birth": " 1980-13-05 ",
         "nationality": "IDN", "passport_number": "ab12"},
    ]  # fmt: skip
    con = duckdb.connect()
    columns = ["record_id", "source", "full_name", "sex", "date_of_birth", "nationality",
               "passport_number"]  # fmt: skip
    con.execute(f"create table src ({', '.join(c + ' varchar' for c in columns)})")
    con.executemany(
        f"insert into src values ({', '.join('?' for _ in columns)})",
        [[r.get(c) for c in columns] for r in records],
    )
    build_features(con, "src", "features")
    result = con.execute("select * from features order by unique_id")
    names = [d[0] for d in result.description]
    bulk = {row[0]: dict(zip(names, row, strict=True)) for row in result.fetchall()}
    for record in records:
        assert bulk[record["record_id"]] == record_features(record), record
