"""The synthetic population: deterministic, realistic, valid, and loadable in bulk."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.conf import settings
from django.db.models import F

from timpora.areas.models import Area
from timpora.audit.models import AuditRecord
from timpora.conftest import KASEMEN, KEL_BANTEN, TAKTAKAN
from timpora.lib.mrz import parse_mrz
from timpora.lib.names import name_key
from timpora.lib.nik import validate_nik
from timpora.registry import bulk, demo, synth
from timpora.registry.actions import refresh_current
from timpora.registry.models import (
    Employment,
    PermitExtension,
    Person,
    Sponsor,
    Stay,
    StayPermit,
    TravelDocument,
)
from timpora.registry.queries import PersonFilter, search_persons

TODAY = date(2026, 11, 23)
INDEX_CODES = ("A1", "B1", "C1", "D1", "E23", "E28A", "E31A", "E32", "E33", "ITAP")


def offline_setup(**overrides) -> synth.Setup:
    """A setup without a database: villages from the reference CSV, made-up ids."""
    villages = synth.villages_from_csv(settings.TIMPORA_WILAYAH_DIR / "banten_regions.csv")
    companies = [
        synth.Company(100 + n, spec, synth.company_village(spec, villages))
        for n, spec in enumerate(synth.COMPANIES)
    ]
    values = {
        "villages": villages,
        "companies": companies,
        "index_ids": {code: n + 1 for n, code in enumerate(INDEX_CODES)},
        "first_ids": dict.fromkeys(synth.TABLE_ORDER, 1000),
        "today": TODAY,
        "batch_size": 5000,
    }
    return synth.Setup(**{**values, **overrides})


def rows_of(persons: int, **overrides) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {table: [] for table in synth.TABLE_ORDER}
    for batch in synth.generate(persons, offline_setup(**overrides)):
        for table, batch_rows in batch.rows.items():
            rows[table] += batch_rows
    return rows


def column(table: str, name: str) -> int:
    return synth.COLUMNS[table].index(name)


@pytest.fixture(scope="module")
def population() -> dict[str, list[tuple]]:
    return rows_of(20_000)


# --------------------------------------------------------------------------- the generator


def test_it_generates_the_same_rows_for_the_same_seed():
    first = rows_of(3000, seed=7)
    assert first == rows_of(3000, seed=7)
    other = rows_of(3000, seed=8)
    assert first["registry_person"] != other["registry_person"]


def test_it_follows_the_nationality_mix(population):
    persons = population["registry_person"]
    counts = Counter(row[column("registry_person", "nationality")] for row in persons)
    for nationality, expected in zip(synth.NAT_CODES, synth.NAT_SHARES, strict=True):
        observed = counts[nationality] / len(persons)
        assert abs(observed - expected) < 0.01 + 0.1 * expected, nationality
    assert counts["CHN"] > counts["KOR"] > counts["USA"] > counts["NGA"]


def test_names_follow_each_countrys_conventions(population):
    persons = population["registry_person"]
    i_surname, i_given, i_full, i_key, i_nat = (
        column("registry_person", c)
        for c in ("surname", "given_names", "full_name", "name_key", "nationality")
    )
    by_nationality: dict[str, list[tuple]] = {}
    for row in persons:
        by_nationality.setdefault(row[i_nat], []).append(row)
    # Surname first in the full name for East Asians, last for Westerners.
    assert all(r[i_full].startswith(r[i_surname] + " ") for r in by_nationality["KOR"])
    assert all(r[i_full].endswith(" " + r[i_surname]) for r in by_nationality["AUS"])
    # Vietnamese names keep their diacritics; the search key folds them.
    assert any(r[i_full].startswith("Nguyễn ") for r in by_nationality["VNM"])
    assert all(r[i_key].isascii() for r in persons)
    # Malay patronymic names, Dutch particles, Russian female surnames.
    malay = [r[i_full] for r in by_nationality["MYS"]]
    assert any(" bin " in n for n in malay) and any(" binti " in n for n in malay)
    assert any(r[i_surname].startswith(("van ", "de ")) for r in by_nationality["NLD"])
    assert any(r[i_surname].endswith(("ova", "eva", "skaya")) for r in by_nationality["RUS"])
    assert any("ü" in r[i_full] or "ö" in r[i_full] for r in by_nationality["DEU"])
    # Chinese surnames are common without being everyone's.
    wang = sum(r[i_surname] == "Wang" for r in by_nationality["CHN"])
    assert 0.03 < wang / len(by_nationality["CHN"]) < 0.15
    for row in persons[:500]:
        expected = name_key(row[i_surname], row[i_given]) if row[i_surname] else row[i_key]
        assert row[i_key] == expected


def test_permits_expire_and_expire_soon_in_the_expected_shares(population):
    persons = population["registry_person"]
    until = column("registry_person", "current_permit_valid_until")
    days = [
        (date.fromisoformat(row[until]) - TODAY).days for row in persons if row[until] is not None
    ]
    expired = [-d for d in days if d < 0]
    expiring = [d for d in days if 0 <= d <= 30]
    assert 0.055 < len(expired) / len(persons) < 0.07
    assert 0.045 < len(expiring) / len(persons) < 0.06
    assert min(expired) >= 1 and max(expired) <= 200
    short, long = sum(d <= 60 for d in expired), sum(d > 60 for d in expired)
    assert short > 0.3 * len(expired) and long > 0.3 * len(expired)
    without_permit = len(persons) - len(days)
    assert 0.005 < without_permit / len(persons) < 0.05


def test_permits_and_stays_have_a_consistent_history(population):
    persons = population["registry_person"]
    permits = population["registry_staypermit"]
    stays = population["registry_stay"]
    i_issue, i_until = (
        column("registry_staypermit", "issue_date"),
        column("registry_staypermit", "valid_until"),
    )
    assert 1.5 < len(permits) / len(persons) < 1.9
    assert 1.7 < len(stays) / len(persons) < 2.3
    cutoff = (TODAY - timedelta(days=synth.HISTORY_DAYS)).isoformat()
    assert all(cutoff <= p[i_issue] <= TODAY.isoformat() for p in permits)
    assert all(p[i_issue] <= p[i_until] for p in permits)
    extensions = population["registry_permitextension"]
    assert extensions
    for ext in extensions:
        _, _, before, after, decided, _ = ext
        assert decided <= before < after and decided <= TODAY.isoformat()
    # Stays of a person follow each other; only the last is open.
    by_person: dict[int, list[tuple]] = {}
    for stay in stays:
        by_person.setdefault(stay[1], []).append(stay)
    i_from, i_to = column("registry_stay", "date_from"), column("registry_stay", "date_to")
    for person_stays in by_person.values():
        assert [s[i_to] is None for s in person_stays].count(True) == 1
        assert person_stays[-1][i_to] is None
        for earlier, later in pairwise(person_stays):
            assert earlier[i_from] <= earlier[i_to] < later[i_from] <= TODAY.isoformat()


def test_some_birth_dates_are_year_only(population):
    persons = population["registry_person"]
    i_birth = column("registry_person", "birth_date")
    i_precision = column("registry_person", "birth_date_precision")
    year_only = [row for row in persons if row[i_precision] == "year"]
    assert 0.005 < len(year_only) / len(persons) < 0.05
    assert all(row[i_birth].endswith("-01-01") for row in year_only)


def test_every_stored_mrz_is_valid_and_matches_the_document(population):
    persons = {row[0]: row for row in population["registry_person"]}
    documents = [row for row in population["registry_traveldocument"] if row[-1]]
    assert 0.05 < len(documents) / len(persons) < 0.2
    i_birth, i_precision = (
        column("registry_person", c) for c in ("birth_date", "birth_date_precision")
    )
    for _, person_id, _, number, state, _, expiry, mrz in documents:
        parsed = parse_mrz(mrz.split("\n"), today=TODAY)
        person = persons[person_id]
        assert (parsed.document_number, parsed.issuing_state, parsed.nationality) == (
            number,
            state,
            state,
        )
        assert parsed.expiry_date == date.fromisoformat(expiry)
        if person[i_precision] == "day":
            assert parsed.birth_date == date.fromisoformat(person[i_birth])
        else:
            assert parsed.birth_date is None


def test_passport_numbers_are_unique_per_country_even_across_loads(population):
    numbers = Counter((row[4], row[3]) for row in population["registry_traveldocument"])
    assert max(numbers.values()) == 1
    later = rows_of(3000, first_ids=dict.fromkeys(synth.TABLE_ORDER, 50_000), seed=99)
    assert not numbers.keys() & {(row[4], row[3]) for row in later["registry_traveldocument"]}
    chinese = [number for state, number in numbers if state == "CHN"]
    assert all(len(n) == 9 and n[0] == "E" and n[1:].isdigit() for n in chinese)


def test_every_citizen_sponsor_has_a_valid_nik(population):
    sponsors = population["registry_sponsor"]
    assert sponsors
    for row in sponsors:
        assert row[column("registry_sponsor", "kind")] == "individual"
        nik = row[column("registry_sponsor", "nik")]
        assert validate_nik(nik) == nik
        # The NIK starts with the sponsor's kecamatan.
        assert nik[:6] == row[column("registry_sponsor", "kecamatan_code")].replace(".", "")


def test_workers_are_employed_and_sponsored_by_industrial_estate_companies(population):
    permits = population["registry_staypermit"]
    jobs = population["registry_employment"]
    company_ids = {c.id for c in offline_setup().companies}
    e23 = offline_setup().index_ids["E23"]
    work_permits = [p for p in permits if p[column("registry_staypermit", "index_id")] == e23]
    assert work_permits
    assert all(p[column("registry_staypermit", "sponsor_id")] in company_ids for p in work_permits)
    industrial = set(synth.INDUSTRIAL_KECAMATAN)
    assert all(job[2] in company_ids for job in jobs)
    assert all(job[column("registry_employment", "kecamatan_code")] in industrial for job in jobs)
    assert any(job[column("registry_employment", "work_plan_reference")] for job in jobs)


def test_kasemen_coast_holds_more_foreigners_than_the_rest_of_kota_serang(population):
    stays = population["registry_stay"]
    kelurahan = Counter(row[column("registry_stay", "kelurahan_code")] for row in stays)
    coastal = sum(kelurahan[code] for code in synth.KASEMEN_COASTAL) / 4
    elsewhere = [
        n
        for code, n in kelurahan.items()
        if code.startswith("36.73.0") and not code.startswith(KASEMEN)
    ]
    assert coastal > 2 * (sum(elsewhere) / len(elsewhere))
    tourists_coast = sum(n for code, n in kelurahan.items() if code[:8] in synth.TOURIST_KECAMATAN)
    assert tourists_coast > 0.1 * len(stays)


# --------------------------------------------------------------------------- with the database


def test_every_area_code_exists_in_the_loaded_areas(db):
    villages = bulk.villages()
    setup = offline_setup(villages=villages)
    setup.companies = [
        synth.Company(c.id, c.spec, synth.company_village(c.spec, villages))
        for c in setup.companies
    ]
    known = set(Area.objects.values_list("code", flat=True)) | {""}
    for batch in synth.generate(5000, setup):
        for table in ("registry_person", "registry_stay", "registry_sponsor"):
            for row in batch.rows[table]:
                codes = [row[column(table, c)] for c in synth.STAY_COLUMNS[2:6]]
                assert set(codes) <= known, (table, codes)
                assert codes[3], table  # down to the kelurahan/desa
        for row in batch.rows["registry_employment"]:
            assert row[column("registry_employment", "kelurahan_code")] in known
    # Stays get a point inside their village.
    assert all(v.points for v in villages if v.code.startswith(("36.73.", "36.04.")))


@pytest.fixture
def loaded(db):
    before = {model: model.objects.count() for model in MODELS.values()}
    result = bulk.load(2000, scenarios=synth.DEMO_SCENARIOS, progress=False)
    return result, before


MODELS = {
    "registry_person": Person,
    "registry_sponsor": Sponsor,
    "registry_traveldocument": TravelDocument,
    "registry_staypermit": StayPermit,
    "registry_permitextension": PermitExtension,
    "registry_stay": Stay,
    "registry_employment": Employment,
}
CURRENT = (
    "id",
    "province_code",
    "kabkota_code",
    "kecamatan_code",
    "kelurahan_code",
    "current_permit_category",
    "current_permit_valid_until",
)


def test_a_bulk_load_writes_consistent_rows(loaded):
    result, before = loaded
    companies = len(synth.COMPANIES)
    for table, model in MODELS.items():
        added = model.objects.count() - before[model]
        expected = result.rows[table] + (companies if table == "registry_sponsor" else 0)
        assert added == expected, table
    assert result.rows["registry_person"] == 2000
    persons = Person.objects.filter(id__gte=result.first_person_id)
    assert persons.count() == 2000
    assert not StayPermit.objects.filter(
        person__in=persons, valid_until__lt=F("issue_date")
    ).exists()
    records = AuditRecord.objects.filter(object_type="registry.person", fields__source=bulk.SOURCE)
    assert [r.fields["persons"] for r in records] == [2000]


def test_the_current_columns_equal_what_refresh_current_computes(loaded):
    result, _ = loaded
    persons = Person.objects.filter(id__gte=result.first_person_id).order_by("id")
    generated = list(persons.values_list(*CURRENT))
    refresh_current(persons)
    assert list(persons.values_list(*CURRENT)) == generated
    for person in persons.filter(id__lt=result.first_person_id + 200):
        latest = person.stays.order_by("-date_from", "-id").first()
        assert person.current_stay_from == latest.date_from


def test_loaded_persons_are_found_by_the_officer(loaded, personas):
    result, _ = loaded
    person = Person.objects.filter(id__gte=result.first_person_id).order_by("id")[20]
    found = search_persons(personas.officer, PersonFilter(name=person.full_name))
    assert person in found
    number = person.documents.order_by("-id").first().number
    found = search_persons(personas.officer, PersonFilter(passport_number=number[:6]))
    assert person in found
    everyone = search_persons(personas.officer, PersonFilter())
    assert everyone.filter(id__gte=result.first_person_id).count() == 2000


def test_the_kasemen_police_see_kasemen_and_not_taktakan(loaded, personas):
    result, _ = loaded
    ours = Person.objects.filter(id__gte=result.first_person_id)
    in_kasemen = set(
        Stay.objects.filter(person__in=ours, kecamatan_code=KASEMEN).values_list(
            "person_id", flat=True
        )
    )
    seen = set(
        search_persons(personas.police_kasemen, PersonFilter())
        .filter(id__gte=result.first_person_id)
        .values_list("id", flat=True)
    )
    assert seen == in_kasemen and len(seen) > 20
    # The demo's Taktakan persons (all their stays there) stay hidden from the Kasemen police.
    taktakan_only = [
        result.first_person_id + n
        for n, sc in enumerate(synth.DEMO_SCENARIOS)
        if sc.area.startswith(TAKTAKAN)
    ]
    assert taktakan_only and not seen & set(taktakan_only)
    assert set(taktakan_only) <= set(
        search_persons(personas.police_taktakan, PersonFilter()).values_list("id", flat=True)
    )


def test_the_demo_shows_overstays_and_expiring_permits_in_kelurahan_banten(loaded, personas):
    banten = search_persons(personas.lurah_banten, PersonFilter(area=KEL_BANTEN))
    expired = search_persons(
        personas.lurah_banten, PersonFilter(area=KEL_BANTEN, permit_status="expired")
    )
    expiring = search_persons(
        personas.lurah_banten, PersonFilter(area=KEL_BANTEN, permit_status="expiring")
    )
    assert banten.count() >= 7 and expired.count() >= 3 and expiring.count() >= 2


def test_the_demo_seeder_is_idempotent(db):
    first = demo.seed_registry(persons=300)
    assert first == {"registry": {"persons": 300, "added": 300}}
    counts = {model: model.objects.count() for model in MODELS.values()}
    assert demo.seed_registry(persons=300) == {"registry": {"persons": 300, "added": 0}}
    assert {model: model.objects.count() for model in MODELS.values()} == counts
    more = demo.seed_registry(persons=350)
    assert more == {"registry": {"persons": 350, "added": 50}}
    assert Person.objects.count() == counts[Person] + 50


def schema_of(tables) -> set[tuple[str, str]]:
    """(table, index or foreign-key name) of the registry tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tablename, indexname FROM pg_indexes WHERE tablename = ANY(%s) "
                "UNION SELECT conrelid::regclass::text, conname FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
                [list(tables), list(tables)],
            )
        else:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                f"SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' "
                f"AND tbl_name IN ({marks})",
                list(tables),
            )
        return set(cursor.fetchall())


def test_a_load_that_rebuilds_the_indexes_leaves_the_same_indexes_and_keys(db, personas):
    before = schema_of(synth.TABLE_ORDER)
    result = bulk.load(600, rebuild_indexes=True, batch_size=200, progress=False)
    assert schema_of(synth.TABLE_ORDER) == before
    assert Person.objects.filter(id__gte=result.first_person_id).count() == 600
    person = Person.objects.filter(id__gte=result.first_person_id).first()
    assert person in search_persons(personas.officer, PersonFilter(name=person.full_name))


def test_a_load_that_fails_half_way_claims_nothing(db, monkeypatch):
    generate = synth._Generator.batch

    def failing(self, position, n, first):
        if not first:
            raise RuntimeError("generator broke")
        return generate(self, position, n, first)

    monkeypatch.setattr(synth._Generator, "batch", failing)
    persons_before = Person.objects.count()
    with pytest.raises(RuntimeError, match="generator broke"):
        bulk.load(1000, batch_size=400, progress=False)
    # The first batch was committed on its own; no audit record claims the load finished.
    assert Person.objects.count() == persons_before + 400
    assert not AuditRecord.objects.filter(fields__source=bulk.SOURCE).exists()
    assert demo.synthetic_persons() == 0
