"""The record generator: realistic name frequencies by default, the crowded pools on request,
both deterministic for a seed."""

from __future__ import annotations

from collections import Counter

import pytest

from timpora.matching.engine import data
from timpora.matching.engine.name_frequencies import HEADS


def _people(n_records: int, *, crowded: bool) -> dict[int, data.Person]:
    """The true persons behind ``n_records`` generated records (seen through the writer)."""
    people: dict[int, data.Person] = {}
    written = data._written_name

    def spy(rng, person, clean):  # type: ignore[no-untyped-def]
        people.setdefault(person.person_id, person)
        return written(rng, person, clean)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(data, "_written_name", spy)
        for _ in data.generate_records(n_records, seed=3, crowded=crowded):
            pass
    return people


def _share_sharing_a_name(people: dict[int, data.Person]) -> float:
    names = Counter((tuple(p.given), tuple(p.family)) for p in people.values())
    return sum(count for count in names.values() if count > 1) / len(people)


def test_a_seed_gives_the_same_records_in_either_mode() -> None:
    for crowded in (False, True):
        first = list(data.generate_records(2_000, seed=5, crowded=crowded))
        assert first == list(data.generate_records(2_000, seed=5, crowded=crowded))
    assert list(data.generate_records(2_000, seed=5)) != list(
        data.generate_records(2_000, seed=5, crowded=True)
    )


def test_the_commonest_family_names_come_out_at_their_documented_shares() -> None:
    people = _people(60_000, crowded=False)
    for culture, key, name in (
        ("korean", "korean_family", "KIM"),
        ("vietnamese", "vietnamese_family", "NGUYỄN"),
        ("chinese", "chinese_family", "WANG"),
    ):
        family = Counter(p.family[0] for p in people.values() if p.culture == culture)
        tokens = HEADS[key].split()
        documented = float(tokens[tokens.index(name) + 1]) / 100
        share = family[name] / sum(family.values())
        # Relatives copy a family name and small pools scale up: within a few points.
        assert documented - 0.02 < share < documented + 0.04, (culture, share)


def test_realistic_pools_have_far_fewer_namesakes_than_the_crowded_ones() -> None:
    realistic = _share_sharing_a_name(_people(60_000, crowded=False))
    crowded = _share_sharing_a_name(_people(60_000, crowded=True))
    assert realistic < 0.15
    assert crowded > 2 * realistic
