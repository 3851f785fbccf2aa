"""Fuzzy name search: the matching engine's normalisation finds a foreigner however the
name was transliterated, ordered, spaced or mistyped, best matches first."""

from __future__ import annotations

from datetime import date

import pytest

from timpora.accounts.actions import create_api_token
from timpora.intake import actions as intake_actions
from timpora.registry import actions, bulk
from timpora.registry.actions import PersonInput, StayInput
from timpora.registry.models import Person
from timpora.registry.names import parse_query, person_search_key, search_key
from timpora.registry.queries import PersonFilter, search_persons

KEL_BANTEN = "36.73.02.1007"


def register(officer, full_name: str = "", *, surname: str = "", given: str = "", nat="SAU"):
    return actions.register_person(
        PersonInput(full_name=full_name, surname=surname, given_names=given, nationality=nat),
        actor=officer,
        stay=StayInput(area_code=KEL_BANTEN, date_from=date(2026, 1, 1)),
    )


def names(user, text: str, **filters) -> list[str]:
    return [p.full_name for p in search_persons(user, PersonFilter(name=text, **filters))]


@pytest.fixture
def officer(personas):
    return personas.officer


def test_it_finds_al_ghamdi_muhammad_as_mohamed_al_ghamdi(officer):
    register(officer, "AL-GHAMDI, MUHAMMAD")
    register(officer, "Ahmad Al-Ghamdi")
    assert names(officer, "Mohamed Al Ghamdi") == ["AL-GHAMDI, MUHAMMAD"]
    assert names(officer, "muhammad alghamdi") == ["AL-GHAMDI, MUHAMMAD"]


def test_it_finds_mohamed_al_ghamdi_as_passport_order(officer):
    register(officer, surname="AL-GHAMDI", given="MUHAMMAD")
    register(officer, "Mohamed Al Ghamdi")
    found = names(officer, "AL-GHAMDI, MUHAMMAD")
    assert sorted(found) == ["MUHAMMAD AL-GHAMDI", "Mohamed Al Ghamdi"]


def test_it_finds_a_name_written_family_name_first(officer):
    register(officer, "Nguyễn Văn An", nat="VNM")
    register(officer, "Tran Thi Mai", nat="VNM")
    assert names(officer, "An Nguyen") == ["Nguyễn Văn An"]
    assert names(officer, "Van An Nguyen") == ["Nguyễn Văn An"]
    assert names(officer, "NGUYEN VAN") == ["Nguyễn Văn An"]


def test_it_finds_a_korean_name_whatever_the_spacing(officer):
    register(officer, "KIM MIN JUN", nat="KOR")
    assert names(officer, "Minjun Kim") == ["KIM MIN JUN"]
    assert names(officer, "Min-Jun Kim") == ["KIM MIN JUN"]


@pytest.mark.parametrize(
    "typed", ["Muhamad Al Ghamdy", "Mohammed Alghamdy", "GHAMDEE MUHAMMED", "muhamed ghamdi"]
)
def test_it_forgives_a_typo(officer, typed):
    register(officer, "AL-GHAMDI, MUHAMMAD")
    register(officer, "Hamdi Muhammad")
    assert names(officer, typed) == ["AL-GHAMDI, MUHAMMAD"]


def test_it_finds_transliteration_variants(officer):
    register(officer, "Hassan Yousef Abdullah")
    register(officer, "ZHANG WEI", nat="CHN")
    register(officer, "Satou Hiroshi", nat="JPN")
    assert names(officer, "Hasan Yusuf") == ["Hassan Yousef Abdullah"]
    assert names(officer, "Cheung Wei") == ["ZHANG WEI"]
    assert names(officer, "Sato Hiroshi") == ["Satou Hiroshi"]


def test_it_puts_the_very_name_before_longer_and_misspelt_ones(officer):
    register(officer, "Ghamdy Muhamad")
    register(officer, "Muhammad Saleh Al-Ghamdi")
    register(officer, "Muhammad Al-Ghamdi")
    assert names(officer, "Mohamed Al Ghamdi") == [
        "Muhammad Al-Ghamdi",
        "Muhammad Saleh Al-Ghamdi",
        "Ghamdy Muhamad",
    ]
    # Sorted by name on request.
    assert names(officer, "Mohamed Al Ghamdi", sort="name") == [
        "Ghamdy Muhamad",
        "Muhammad Al-Ghamdi",
        "Muhammad Saleh Al-Ghamdi",
    ]


def test_it_still_finds_part_of_a_word(officer):
    register(officer, "Hans Peter Müller", nat="DEU")
    assert names(officer, "mull") == ["Hans Peter Müller"]
    assert names(officer, "nobody by this name") == []


def test_the_api_searches_names_the_same_way(personas, client, officer):
    person = register(officer, "AL-GHAMDI, MUHAMMAD")
    register(officer, "Ahmad Al-Ghamdi")
    token = create_api_token(personas.officer)
    body = client.get(
        "/api/v1/persons",
        {"name": "Mohamed Al Ghamdi"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    ).json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == person.pk


def test_the_search_key_uses_the_engine_normalisation():
    assert search_key("AL-GHAMDI, MUHAMMAD") == search_key("Mohamed Al Ghamdi")
    assert " GHAMDI MUHAMMAD |" in search_key("Mohamed Al Ghamdi")
    assert person_search_key("AL-GHAMDI", "MUHAMMAD", "whatever") == search_key(
        "AL-GHAMDI MUHAMMAD"
    )
    query = parse_query("Nguyen Van")
    assert query.tokens == ("NGUYEN",)  # the particle is optional
    assert search_key("") == ""


def test_a_person_created_by_a_hotel_report_gets_the_search_key(officer):
    premises = intake_actions.register_premises(
        kind="hotel",
        name="Hotel Fuzzy",
        licence_number="HTL-FUZZY-01",
        address="Jl. Fuzzy",
        area_code=KEL_BANTEN,
        person_in_charge="Penanggung Jawab",
        username="hotel_fuzzy",
        password="a long enough password 1",
    )
    intake_actions.decide_premises(premises, approve=True, actor=None)
    report = intake_actions.file_accommodation_report(
        premises,
        {
            "surname": "AL-GHAMDI",
            "given_names": "MUHAMMAD",
            "nationality": "SAU",
            "passport_number": "X9876543",
            "check_in": "2026-11-20 14:05",
        },
        actor=None,
    )
    person = Person.objects.get(pk=report.person_id)
    assert person.name_search == person_search_key("AL-GHAMDI", "MUHAMMAD", "")
    assert person in search_persons(officer, PersonFilter(name="Mohamed Al Ghamdi"))


def test_the_bulk_loader_writes_the_search_key(officer):
    result = bulk.load(30, today=date(2026, 11, 23), progress=False)
    persons = Person.objects.filter(pk__gte=result.first_person_id)
    assert persons.count() == 30
    for person in persons:
        expected = person_search_key(person.surname, person.given_names, person.full_name)
        assert person.name_search == expected != ""


def test_it_recomputes_stale_search_keys(officer):
    person = register(officer, "AL-GHAMDI, MUHAMMAD")
    register(officer, "Hans Peter Müller", nat="DEU")
    Person.objects.filter(pk=person.pk).update(name_search=" OLD |")
    assert actions.refresh_name_search() == 1
    person.refresh_from_db()
    assert person.name_search == search_key("AL-GHAMDI, MUHAMMAD")
    assert actions.refresh_name_search() == 0
