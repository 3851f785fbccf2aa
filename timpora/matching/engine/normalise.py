"""Keys that make records of the same foreign national comparable.

The same person reaches Timpora through a passport scan, a hotel clerk, a police notebook
and a foreign watch list. Each writes the name differently: transliterated from Arabic,
Chinese, Korean or Japanese by different conventions, family name first or last, with or
without particles (AL-, BIN, VAN DER), with diacritics or not. Passport numbers come from
OCR that confuses O and 0, B and 8. Dates of birth are partial ("1980") or have day and
month swapped by a clerk who reads 05/01 the other way round.

Everything here is pure Python and deterministic: the same functions feed the bulk
features (``features.py``, through a DuckDB function) and the single-record scorer, so a
record gets the same keys whichever path it takes. The rules are deliberately
context-free (they do not look at the nationality): a key must not change because one
record of a person has a nationality and another has not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from timpora.lib.names import fold

__all__ = [
    "NameKeys",
    "PartialDate",
    "canonical_tokens",
    "compare_dates",
    "name_keys",
    "name_similarity",
    "normalise_nationality",
    "normalise_sex",
    "parse_partial_date",
    "passport_clean",
    "passport_keys",
    "passport_ocr_key",
]

# --- names -------------------------------------------------------------------------------

# Transliteration variants, canonical form first. Lookups are exact on whole tokens; the
# regular expressions below cover the long tails (MUHAMMAD, HUSSEIN, ABDUL-...).
_VARIANT_GROUPS: dict[str, tuple[str, ...]] = {
    # Arabic (also as written in Malaysia, Pakistan, West Africa)
    "AHMAD": ("AHMED", "AHAMED", "AHAMAD", "AHMET"),
    "HASAN": ("HASSAN", "HASSEN"),
    "HUSAYN": ("HUSEYIN", "HUSSEYN", "HOSSAIN", "HOSSAN"),
    "ABD": ("ABDUL", "ABDEL", "ABDAL", "ABDOL", "ABDOUL", "ABDU", "ABDUR", "ABDUS"),
    "ABDULLAH": ("ABDALLAH", "ABDULLA", "ABDOULLAH", "ABDELLAH", "ABDALA", "ABDULAH"),
    "ABU": ("ABOU", "ABO"),
    "AL": ("EL",),
    "ABUBAKR": ("ABUBAKAR", "ABUBAKER", "ABUBAKARR", "ABOUBAKAR", "ABUBAKIR"),
    "YUSUF": ("YOUSEF", "YOUSSEF", "YOUSUF", "YUSOF", "JUSUF", "YOUSIF", "YUSSUF", "YOUSOF"),
    "IBRAHIM": ("EBRAHIM", "IBRAHEEM", "IBRAHIMA", "EBRAHEEM"),
    "UMAR": ("OMAR", "OMER", "UMER"),
    "UTHMAN": ("OTHMAN", "USMAN", "OSMAN", "OUSMANE", "OTHMANE", "USMAAN"),
    "KHALID": ("KHALED", "KHALEED", "CHALID"),
    "MAHMUD": ("MAHMOUD", "MAHMOOD", "MEHMOOD", "MAHMOD"),
    "MUSTAFA": ("MOSTAFA", "MUSTAPHA", "MOSTAPHA", "MUSTAFAH"),
    "HAMID": ("HAMEED", "HAMED"),
    "RASHID": ("RASHEED", "RACHID", "RASHED"),
    "SAID": ("SAEED", "SAYED", "SAYYID", "SAEID", "SAYEED", "SAYYED"),
    "FATIMA": ("FATIMAH", "FATEMA", "FATMA", "FATEMAH"),
    "AISHA": ("AISHAH", "AYSHA", "AYESHA", "AICHA", "AISYAH"),
    "NUR": ("NOOR", "NOUR", "NOER"),
    "ZAYNAB": ("ZAINAB", "ZEINAB"),
    "YAHYA": ("YAHIA", "YEHIA", "JAHJA"),
    # Chinese: Wade-Giles, Cantonese and Hokkien spellings to Hanyu Pinyin
    "ZHANG": ("CHANG", "CHEUNG", "JANG"),
    "XU": ("HSU", "TSUI"),
    "ZHOU": ("CHOU", "CHOW", "CHAU"),
    "HUANG": ("WONG", "HWANG", "WHANG"),
    "CAI": ("TSAI", "CHUA"),
    "CHEN": ("CHAN", "TAN", "CHERN"),  # TAN: Hokkien, as in Singapore and Malaysia
    "LIN": ("LAM", "LIM", "IM", "RIM"),  # IM, RIM: Korean 임
    "WU": ("NG", "GOH"),
    "GUO": ("KUO", "KWOK"),
    "LUO": ("LO", "LAW", "LOH"),
    "LIU": ("LAU", "LEW", "LIEW"),
    "YANG": ("YEUNG", "YEONG"),
    "LIANG": ("LEUNG", "LEONG"),
    "JIANG": ("CHIANG",),
    "DENG": ("TENG",),
    "XIE": ("HSIEH", "TSE"),
    "QIU": ("CHIU",),
    "ZHAO": ("CHAO",),
    "GAO": ("KAO",),
    "ZHU": ("CHU", "CHOO"),
    "ZENG": ("TSENG", "TSANG"),
    "GU": ("KU", "KOO"),
    "MA": ("MAH",),
    "XIAO": ("HSIAO", "SIU"),
    "XIN": ("HSIN",),
    "XIANG": ("HSIANG",),
    "XIU": ("HSIU",),
    "XUE": ("HSUEH",),
    "ZHI": ("CHIH",),
    "ZI": ("TZU", "TSZ"),
    "ZHENG": ("CHENG", "CHEANG"),
    # Korean (and Chinese LI, the same character as Korean LEE)
    "LI": ("LEE", "YI", "RHEE", "RI", "RHIE"),
    "PARK": ("PAK", "BAK", "BARK", "PAHK"),
    "CHOI": ("CHOE", "CHOY", "CHWE"),
    "JUNG": ("CHUNG", "JEONG", "CHEONG", "JOUNG"),
    "KIM": ("GIM",),
    "YUN": ("YOON", "YOUN"),
    "KANG": ("GANG",),
    "CHO": ("JO",),
    "SHIN": ("SIN", "SHINN"),
    "YU": ("RYU", "YOO", "RYOO", "YOU"),
    "KWON": ("GWON", "KWEON"),
    "SEO": ("SUH",),
    "BAE": ("PAE",),
    "KO": ("GO", "KOH"),
    "JEON": ("CHUN", "JUN"),
    # Russian and Ukrainian, as transliterated by different passport offices
    "ALEKSANDR": ("ALEXANDER", "ALEKSANDER", "OLEKSANDR", "ALEXANDR"),
    "SERGEY": ("SERGEI", "SERGIY", "SERHIY"),
    "DMITRIY": ("DMITRY", "DMITRI", "DMYTRO"),
    "ANDREY": ("ANDREI", "ANDRII", "ANDRIY"),
    "ALEKSEY": ("ALEXEI", "ALEKSEI", "ALEXEY"),
    "YEVGENIY": ("EVGENY", "EVGENII", "YEVGENY", "EVGENIY"),
    "MIKHAIL": ("MIKHAYL", "MYKHAILO"),
    "YURIY": ("YURI", "IURII", "YURY"),
    "NATALYA": ("NATALIA", "NATALIYA"),
    "TATYANA": ("TATIANA", "TATJANA"),
    "MARIYA": ("MARIA",),
    "YULIYA": ("JULIA", "IULIIA", "YULIA"),
    # Vietnamese (diacritics are folded before this table applies)
    "NGUYEN": ("NGUYN", "NGYUEN", "NGUEN"),
}
_VARIANTS: dict[str, str] = {
    variant: canonical for canonical, variants in _VARIANT_GROUPS.items() for variant in variants
}
_VARIANTS.update({canonical: canonical for canonical in _VARIANT_GROUPS})

_MUHAMMAD = re.compile(r"^(?:M(?:O|U|OU|E)H?A?M{1,2}[AEIOU]D{1,2}(?:O?U)?|MOHD|MUHD|MHD)$")
_HUSAYN = re.compile(r"^H[OU]S{1,2}[AE][IY]N$")
# ABDUL-RAHMAN written as one word, with the article assimilated or not (ABDURRAHMAN).
_ABD_JOINED = re.compile(r"^ABD(?:OUL|UL|EL|AL|OL|OU|U|E|A|O|I)?(?P<rest>[A-Z]{3,})$")
# EL-SAYED written as one word. A consonant must follow so that ELENA is left alone.
_EL_JOINED = re.compile(r"^EL(?P<rest>[B-DF-HJ-NP-TV-Z][A-Z]{3,})$")
_EL_NAMES = frozenset(
    [
        "ELBERT",
        "ELDRIDGE",
        "ELFRIEDE",
        "ELLIOT",
        "ELLIOTT",
        "ELLISON",
        "ELSBETH",
        "ELMIRA",
        "ELVIRA",
        "ELSTON",
        "ELSWORTH",
        "ELWOOD",
        "ELKHAN",
        "ELCHIN",
        "ELNUR",
        "ELMIR",
        "ELSHAN",
        "ELZBIETA",
        "ELSPETH",
        "ELMORE",
        "ELNARA",
        "ELVIRA",
    ]
)
# AR-RASHID, ASH-SHAMSI: the Arabic article assimilated to a "sun letter" before it.
_ASSIMILATED_ARTICLE = re.compile(r"\bA(SH|TH|DH|D|R|S|T|Z|N)-(?=\1)")
_DUTCH_JOINED = re.compile(r"^V[AO]ND[EI][NR](?P<rest>[A-Z]{3,})$")
# Hanyu Pinyin syllables ending in OU: the Japanese long-vowel rule must not touch them.
_PINYIN_OU = frozenset(
    [
        "ZHOU",
        "ZOU",
        "GOU",
        "KOU",
        "HOU",
        "LOU",
        "MOU",
        "DOU",
        "TOU",
        "NOU",
        "ROU",
        "SHOU",
        "CHOU",
        "SOU",
        "POU",
        "FOU",
        "OU",
        "COU",
    ]
)
_LONG_OH = re.compile(r"OH(?=[^AEIOUY]|$)")
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
_NO_APOSTROPHES = str.maketrans("", "", "'’‘`ʼʻ")

#: Tokens that carry little identity and are written or left out inconsistently: Arabic
#: and Malay filiation (BIN, BINTI), the Urdu UL, European nobiliary and toponymic
#: particles. Dropped from the key when at least two other tokens remain.
PARTICLES = frozenset(
    [
        "AL",
        "EL",
        "UL",
        "BIN",
        "BINTI",
        "BINT",
        "BINTE",
        "BTE",
        "BT",
        "BN",
        "IBN",
        "VAN",
        "VON",
        "DE",
        "DER",
        "DEN",
        "DI",
        "DA",
        "DEL",
        "DELLA",
        "DELA",
        "DOS",
        "DAS",
        "DU",
        "LE",
        "LA",
        "TER",
        "TEN",
        "ZU",
        "Y",
        # Vietnamese: THI marks a woman's middle name (NGUYEN THI LAN) and is left out as
        # often as VAN, a man's, which is already here for the Dutch.
        "THI",
    ]
)
#: Tokens that are joined to the token that follows: ABD AL-RAHMAN is one given name.
_JOINING = frozenset({"ABD", "ABU"})


def _long_vowels(token: str) -> str:
    """Japanese long vowels as Hepburn without macrons: SATOU/SATOH/SATŌ → SATO."""
    if token in _PINYIN_OU:
        return token
    token = token.replace("OU", "O").replace("OO", "O").replace("UU", "U")
    return _LONG_OH.sub("O", token)


@lru_cache(maxsize=500_000)
def canonical_tokens(token: str) -> tuple[str, ...]:
    """The canonical spelling of one folded token, possibly split in two.

    ``ABDULRAHMAN`` becomes ``("ABD", "RAHMAN")`` and ``ELSAYED`` ``("AL", "SAID")`` so that
    the joining and particle passes of :func:`name_keys` treat them like their spaced
    spellings (ABDRAHMAN; SAID, the article dropped as in records that omit it).
    """
    if token in _VARIANTS:
        return (_VARIANTS[token],)
    if _MUHAMMAD.match(token):
        return ("MUHAMMAD",)
    if _HUSAYN.match(token):
        return ("HUSAYN",)
    if match := _ABD_JOINED.match(token):
        rest = match["rest"]
        if rest[0] == rest[1] and rest[0] not in "AEIOU":
            rest = rest[1:]  # ABDURRAHMAN: the assimilated article doubles the letter
        return ("ABD", *canonical_tokens(rest))
    # ALGHAMDI: the article written together. Western names starting with AL and a
    # consonant are either short (ALBERT is 6) or in the exception list.
    if (
        token.startswith("AL")
        and len(token) >= 7
        and token[2] not in "AEIOU"
        and token not in _AL_NAMES
    ):
        return ("AL", *canonical_tokens(token[2:]))
    if (match := _EL_JOINED.match(token)) and token not in _EL_NAMES:
        return ("AL", *canonical_tokens(match["rest"]))
    if match := _DUTCH_JOINED.match(token):
        return canonical_tokens(match["rest"])
    folded = _long_vowels(token)
    if folded in _VARIANTS:
        return (_VARIANTS[folded],)
    return (_canonical_syllables(folded),)


# --- romanised syllables ------------------------------------------------------------------
#
# A Chinese or Korean given name is two syllables, written joined (XIAOMING, MINJUN),
# hyphenated (HSIAO-MING, MIN-JUN) or spaced (YEONG HYEOK). Spaced and hyphenated, each
# syllable is a token and gets its canonical spelling (HSIAO → XIAO, YEONG → YANG, HWANG →
# HUANG); joined, the token must get the same, or the two spellings of one name part ways
# (WANG JUEHWANG against WANG JUE HWANG). The inventory is generous (pinyin, Wade-Giles,
# Cantonese and Korean spellings as onset + vowel + coda): a token is only rewritten when it
# splits wholly into syllables of two letters or more *and* one of them has another
# canonical spelling, so ROBERT or MICHAEL are never touched, and a name that happens to
# split (PAOLO → PAO + LUO) is rewritten the same way in every record.
_ONSETS = (
    "", "B", "P", "M", "F", "D", "T", "N", "L", "G", "K", "H", "J", "Q", "X", "R", "Z", "C",
    "S", "Y", "W", "ZH", "CH", "SH", "HS", "TS", "TZ", "KW", "GW", "NG", "KK", "DD", "BB",
    "SS", "JJ", "PP", "RH",
)  # fmt: skip
_NUCLEI = (
    "A", "AE", "AI", "AO", "AU", "E", "EE", "EI", "EO", "EU", "I", "IA", "IAO", "IE", "IO",
    "IU", "O", "OE", "OI", "OO", "OU", "OY", "U", "UA", "UAI", "UE", "UI", "UO", "WA", "WAE",
    "WE", "WI", "WO", "YA", "YAE", "YE", "YEO", "YO", "YOO", "YU",
)  # fmt: skip
#: Wade-Giles syllables the pattern above does not make (a generic EH or IH vowel would let
#: JUEHWANG split as JUEH-WANG instead of JUE-HWANG).
_WADE_GILES = (
    "CHIH", "SHIH", "JIH", "SSU", "SZU", "TZU", "TSU", "YEH", "HSIEH", "CHIEH", "TIEH", "LIEH",
    "NIEH", "PIEH", "MIEH", "HSUEH", "CHUEH", "YUEH", "LUEH", "NUEH",
)  # fmt: skip
_CODAS = ("", "N", "NG", "K", "L", "M", "P", "T")
_SYLLABLES = frozenset(
    onset + nucleus + coda
    for onset in _ONSETS
    for nucleus in _NUCLEI
    for coda in _CODAS
    if 2 <= len(onset + nucleus + coda) <= 6
).union(_WADE_GILES)
_LONGEST_SYLLABLE = max(len(s) for s in _SYLLABLES)


def _split_syllables(token: str) -> tuple[str, ...] | None:
    """``token`` as the fewest syllables of :data:`_SYLLABLES`, the longer syllable first
    where two splits tie (the way pinyin is read: XIANGEN is XIANG-EN, SANGWON is
    SANG-WON); None when it does not split wholly into two or more."""
    n = len(token)
    # best[i]: the split of token[i:] with the fewest syllables.
    best: list[tuple[str, ...] | None] = [None] * n + [()]
    for i in range(n - 2, -1, -1):
        for size in range(min(_LONGEST_SYLLABLE, n - i), 1, -1):
            rest = best[i + size]
            if rest is None or token[i : i + size] not in _SYLLABLES:
                continue
            current = best[i]
            if current is None or len(rest) + 1 < len(current):
                best[i] = (token[i : i + size], *rest)
    split = best[0]
    return split if split is not None and len(split) >= 2 else None


#: Syllables with another canonical spelling; a token containing none is left as it is
#: without being split (most tokens: the split is the costly part).
_VARIANT_SYLLABLE = re.compile(
    "|".join(sorted((v for v in _VARIANTS if v in _SYLLABLES and _VARIANTS[v] != v), key=len))
)


def _canonical_syllables(token: str) -> str:
    """A joined given name with each romanised syllable in its canonical spelling
    (JUEHWANG → JUEHUANG, YEONGHYEOK → YANGHYEOK), joined again; ``token`` otherwise."""
    if len(token) < 4 or not _VARIANT_SYLLABLE.search(token):
        return token
    split = _split_syllables(token)
    if split is None:
        return token
    return "".join(_VARIANTS.get(s, s) for s in split)


_AL_NAMES = frozenset(
    [
        "ALBERTO",
        "ALBERTA",
        "ALBRECHT",
        "ALFREDO",
        "ALFONSO",
        "ALPHONSE",
        "ALPHONSO",
        "ALBINA",
        "ALBANO",
        "ALDRICH",
        "ALMEIDA",
        "ALVARO",
        "ALVAREZ",
        "ALVARADO",
        "ALTMANN",
        "ALSTON",
        "ALCANTARA",
        "ALBUQUERQUE",
        "ALFARO",
        "ALMIRA",
        "ALLISON",
        "ALLEGRA",
        "ALTHEA",
        "ALMODOVAR",
        "ALBRIGHT",
        "ALDRIDGE",
        "ALDERSON",
        "ALFONSINA",
        "ALMAGRO",
        "ALLENDE",
        "ALLISTER",
        "ALPASLAN",
        "ALPARSLAN",
        "ALPTEKIN",
        "ALTINTAS",
        "ALPEREN",
        "ALBERS",
        "ALDERS",
        "ALBINO",
        "ALBURY",
        "ALCOTT",
        "ALLMAN",
        "ALPERT",
        "ALTIERI",
        "ALVEAR",
        "ALDANA",
        "ALFRED",
        "ALBERT",
        "ALTMAN",
        "ALFIERI",
        "ALMASI",
        "ALSOP",
        "ALSTROM",
        "ALVES",
        "ALBAN",
        "ALDEN",
        "ALTON",
        "ALVIN",
        "ALLEN",
        "ALLAN",
        "ALMAZ",
        "ALDO",
    ]
)


class NameKeys(NamedTuple):
    """Comparable forms of one full name.

    ``tokens`` are canonical spellings in written order, particles removed; ``key`` joins
    them; ``sorted_key`` sorts them (family name first or last no longer matters);
    ``cycle_key`` is the smallest rotation of all tokens (particles included) written
    without spaces, which is the same for KIM MIN JUN, MINJUN KIM and MIN-JUN KIM, and for
    VAN LEEUWEN ISABELLE and ISABELLE VANLEEUWEN; ``phonetic_key`` is a coarse
    consonant skeleton of each token, sorted, for blocking and a weak comparison level.
    """

    tokens: tuple[str, ...]
    key: str
    sorted_key: str
    cycle_key: str
    phonetic_key: str

    @property
    def is_empty(self) -> bool:
        return not self.tokens


_EMPTY = NameKeys((), "", "", "", "")


def _join_prefixes(tokens: list[str]) -> list[str]:
    """ABD + RAHMAN → ABDRAHMAN, ABU + BAKR → ABUBAKR.

    A particle between the prefix and the name is swallowed (ABD AL-RAHMAN), so that every
    spacing and hyphenation of the same compound ends up as one token.
    """
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _JOINING:
            j = i + 1
            while j < len(tokens) and tokens[j] in PARTICLES:
                j += 1
            if j < len(tokens) and tokens[j] not in _JOINING and tokens[j] not in PARTICLES:
                joined = token + tokens[j]
                out.append(_VARIANTS.get(joined, joined))
                i = j + 1
                continue
        out.append(token)
        i += 1
    return out


def _least_rotation(text: str) -> str:
    """The lexicographically smallest rotation of ``text``.

    Only rotations starting with the smallest letter can win, which leaves a handful of
    candidates for a name.
    """
    if not text:
        return text
    first = min(text)
    doubled = text + text
    n = len(text)
    return min(doubled[i : i + n] for i, c in enumerate(text) if c == first)


_PHONETIC_PAIRS = (
    ("PH", "F"),
    ("KH", "K"),
    ("GH", "G"),
    ("TH", "T"),
    ("DH", "D"),
    ("SH", "S"),
    ("ZH", "J"),
    ("CH", "C"),
    ("CK", "K"),
    ("Q", "K"),
    ("Z", "S"),
    ("W", "V"),
    ("Y", "I"),
    ("X", "S"),
    ("H", ""),
)
_VOWEL_RUN = re.compile(r"[AEIOU]+")
_REPEAT = re.compile(r"(.)\1+")


@lru_cache(maxsize=500_000)
def _skeleton(token: str) -> str:
    """A coarse sound skeleton: spelling-system digraphs merged, vowel runs collapsed."""
    for old, new in _PHONETIC_PAIRS:
        token = token.replace(old, new)
    token = _REPEAT.sub(r"\1", _VOWEL_RUN.sub("A", token))
    return token.rstrip("A") or token


@lru_cache(maxsize=100_000)
def name_keys(full_name: str | None) -> NameKeys:
    """All comparable forms of a full name (see :class:`NameKeys`); empty for no name."""
    if not full_name:
        return _EMPTY
    text = full_name.upper().translate(_NO_APOSTROPHES)
    if "-" in text:
        text = _ASSIMILATED_ARTICLE.sub("AL ", text)
    # fold() on plain ASCII is only the punctuation pass: skip its Unicode work.
    tokens: list[str] = []
    for token in (_NON_ALNUM.sub(" ", text) if text.isascii() else fold(text)).split():
        tokens.extend(canonical_tokens(token))
    written = _join_prefixes(tokens) if _JOINING.intersection(tokens) else tokens
    core = [t for t in written if t not in PARTICLES]
    tokens = core if len(core) >= 2 else written
    if not tokens:
        return _EMPTY
    return NameKeys(
        tuple(tokens),
        " ".join(tokens),
        " ".join(sorted(tokens)),
        _least_rotation("".join(written)),
        " ".join(sorted([_skeleton(t) for t in tokens])),
    )


def name_similarity(a: str | None, b: str | None) -> float:
    """Similarity of two full names in [0, 1], order- and spelling-tolerant.

    The best of Jaro-Winkler on the canonical keys in written and in sorted order; 1.0 when
    the keys are equal up to order or to spacing. Used for explanations; the model itself
    computes the same measure in SQL.
    """
    from rapidfuzz.distance import JaroWinkler

    ka, kb = name_keys(a), name_keys(b)
    if ka.is_empty or kb.is_empty:
        return 0.0
    if ka.sorted_key == kb.sorted_key or ka.cycle_key == kb.cycle_key:
        return 1.0
    return max(
        JaroWinkler.similarity(ka.key, kb.key),
        JaroWinkler.similarity(ka.sorted_key, kb.sorted_key),
    )


# --- passports ---------------------------------------------------------------------------

# Letters that OCR and tired eyes read as digits (and back): all mapped to the digit.
_OCR = str.maketrans({"O": "0", "Q": "0", "I": "1", "S": "5", "B": "8", "Z": "2", "G": "6"})
#: Values that clerks type when there is no number.
_NO_NUMBER = frozenset({"NA", "NIL", "NONE", "NULL", "UNKNOWN", "TIDAKADA", "0", "00", "000"})


def passport_clean(number: str | None) -> str:
    """A travel-document number as printed: upper-case, no spaces or punctuation.

    Empty for placeholders (``N/A``, ``-``) and for anything shorter than five characters,
    which cannot identify a document.
    """
    cleaned = _NON_ALNUM.sub("", fold(number or ""))
    if cleaned in _NO_NUMBER or len(cleaned) < 5:
        return ""
    return cleaned


def passport_ocr_key(number: str | None) -> str:
    """The number with OCR-confusable characters merged: O/0, I/1, S/5, B/8, Z/2, G/6.

    Every confusable letter becomes its digit (also Q → 0), so that
    ``E1234567B`` and ``E12345678`` share a key. The letter prefix that many passports
    have (``E``, ``P``, ``AB``) survives unless it is itself confusable, which only
    matters for equality, and equality is what the key is for.
    """
    return passport_clean(number).translate(_OCR)


def passport_keys(number: str | None) -> tuple[str, str]:
    """``(passport_clean(number), passport_ocr_key(number))`` in one pass."""
    cleaned = passport_clean(number)
    return cleaned, cleaned.translate(_OCR)


# --- dates -------------------------------------------------------------------------------

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date of birth known to the year, the month or the day.

    Day and month are not checked against a calendar: ``1980-13-05`` is kept because it is
    most likely ``1980-05-13`` written the other way round, which :func:`compare_dates`
    recognises as a swap.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def is_full(self) -> bool:
        return self.day is not None

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


def parse_partial_date(text: str | None) -> PartialDate | None:
    """``1980``, ``1980-05`` or ``1980-05-01`` (ISO, possibly partial); None if unusable.

    A zero month or day ("1980-00-00", as some registers write unknown parts) counts as
    unknown.
    """
    match = _DATE.match(text or "")
    if not match:
        return None
    year = int(match[1])
    month = int(match[2]) if match[2] else None
    day = int(match[3]) if match[3] else None
    if year < 1000:
        return None
    if not month:
        return PartialDate(year)
    if not day:
        return PartialDate(year, month)
    return PartialDate(year, month, day)


#: Comparison levels of two dates of birth, strongest first (same names as in the model).
DATE_LEVELS = ("exact", "swapped", "partial", "one_edit", "same_year", "different")


def compare_dates(a: PartialDate | None, b: PartialDate | None) -> str | None:
    """The comparison level of two dates of birth, or None when either is unknown.

    ``swapped``: day and month exchanged; ``partial``: one side is only a year or year and
    month and agrees with the other; ``one_edit``: a single digit differs between full
    dates; ``same_year``: full dates of the same year.
    """
    if a is None or b is None:
        return None
    if a == b and a.is_full:
        return "exact"
    if a.year == b.year and a.is_full and b.is_full and (a.month, a.day) == (b.day, b.month):
        return "swapped"
    if (
        a.year == b.year
        and not (a.is_full and b.is_full)
        and (a.month is None or b.month is None or a.month == b.month)
    ):
        return "partial"
    if a.is_full and b.is_full:
        if sum(x != y for x, y in zip(str(a), str(b), strict=True)) <= 1:
            return "one_edit"
        if a.year == b.year:
            return "same_year"
    return "different"


# --- sex and nationality -------------------------------------------------------------------

_SEX = {
    "M": "M",
    "MALE": "M",
    "L": "M",
    "LAKILAKI": "M",
    "PRIA": "M",
    "F": "F",
    "FEMALE": "F",
    "P": "F",
    "W": "F",
    "PEREMPUAN": "F",
    "WANITA": "F",
}


def normalise_sex(text: str | None) -> str:
    """``M`` or ``F`` from English, Indonesian or passport codes; empty when unknown."""
    return _SEX.get(_NON_ALNUM.sub("", fold(text or "")), "")


def normalise_nationality(text: str | None) -> str:
    """An alpha-3 code as given, upper-cased; ICAO ``D`` (Germany) becomes ``DEU``."""
    code = _NON_ALNUM.sub("", fold(text or ""))
    return "DEU" if code == "D" else code
