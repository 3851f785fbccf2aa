"""Fuzzy name search keys, built on the matching engine's normalisation.

The registry finds "Mohamed Al Ghamdi" under "AL-GHAMDI, MUHAMMAD" the way the matching
engine links them: canonical spellings of each token (MOHAMED → MUHAMMAD, transliteration
variants, Japanese long vowels), particles left out (AL-, BIN, VAN), order ignored. Each
person stores one ``name_search`` string that a plain ``LIKE`` can look into, so one
trigram index serves every part of it on PostgreSQL::

    " GHAMDI MUHAMMAD | ~GAMD ~MAMAD @ADALGHAMDIMUHAMM "

- the canonical tokens, sorted, each between spaces (whole-token match: ``% GHAMDI %``);
- after ``|``, each token's sound skeleton marked with ``~`` (vowels, doubled letters and
  spelling-system digraphs merged), which forgives the typos that do not change the
  consonants (GHAMDY, MUHAMED, HASAN/HASSAN);
- after ``@``, the smallest rotation of the whole name written without spaces, equal for
  KIM MIN JUN and MINJUN KIM whatever the spacing or order.

Nothing here changes the engine: it only reads ``name_keys``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from timpora.lib.names import name_key
from timpora.matching.engine.normalise import PARTICLES, name_keys

SEARCH_KEY_LENGTH = 500


def name_source(surname: str, given_names: str, full_name: str) -> str:
    """The name a person's keys are made from: as in the passport when a surname is known,
    as written otherwise (the same choice as ``name_key``)."""
    return f"{surname} {given_names}" if (surname or "").strip() else full_name or ""


@lru_cache(maxsize=200_000)
def search_key(name: str) -> str:
    """The ``Person.name_search`` value of a name (see the module docstring); empty when the
    name has no letters or digits."""
    keys = name_keys(name)
    if keys.is_empty:
        return ""
    sounds = " ".join("~" + sound for sound in keys.phonetic_key.split())
    key = f" {keys.sorted_key} | {sounds} @{keys.cycle_key} "
    if len(key) > SEARCH_KEY_LENGTH:
        # Only absurdly long names get here: keep the tokens, which search needs most.
        key = f" {keys.sorted_key} | {sounds} "
        key = key[: SEARCH_KEY_LENGTH - 1].rsplit(" ", 1)[0] + " "
    return key


def person_search_key(surname: str, given_names: str, full_name: str) -> str:
    return search_key(name_source(surname, given_names, full_name))


@dataclass(frozen=True)
class NameQuery:
    """A name typed into a search, in the forms the search compares.

    ``folded`` are the typed words folded as ``name_key`` (substring search, as before the
    matching engine); ``tokens`` the canonical tokens that must all be found (particles
    dropped when anything else is left), ``sounds`` their skeletons in the same order;
    ``sorted_key`` and ``cycle_key`` recognise the whole name in any order or spacing.
    """

    folded: tuple[str, ...]
    tokens: tuple[str, ...]
    sounds: tuple[str, ...]
    sorted_key: str
    cycle_key: str

    @property
    def is_empty(self) -> bool:
        return not self.folded and not self.tokens


#: Shorter skeletons (WEI → V, LI → L) sound like a large part of the registry: matching
#: them would find everyone whose name has a V in it, and cost a scan of those.
MIN_SOUND_LENGTH = 3


def _sound(token: str) -> str:
    """The skeleton of one canonical token, as ``name_keys`` computes it for a stored name;
    empty if too short to narrow a search, or if the engine would split the token again."""
    sounds = name_keys(token).phonetic_key.split()
    if len(sounds) != 1 or len(sounds[0]) < MIN_SOUND_LENGTH:
        return ""
    return sounds[0]


def parse_query(text: str) -> NameQuery:
    """Turn what a user typed into the forms ``search_persons`` looks for."""
    keys = name_keys(text)
    tokens = tuple(t for t in keys.tokens if t not in PARTICLES) or keys.tokens
    return NameQuery(
        folded=tuple(name_key(text).split()),
        tokens=tokens,
        sounds=tuple(_sound(t) for t in tokens),
        sorted_key=" ".join(sorted(tokens)),
        cycle_key=keys.cycle_key,
    )
