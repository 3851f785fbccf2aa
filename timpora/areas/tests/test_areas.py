import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from timpora.areas import geo
from timpora.areas.actions import AreaDataError, load_areas
from timpora.areas.models import Area


def test_it_loads_the_real_hierarchy(db):
    assert Area.objects.filter(parent__code="36.73", level="kecamatan").count() == 6
    assert Area.objects.filter(code__startswith="36.73.", level="kelurahan").count() == 67
    assert Area.objects.filter(code__startswith="36.04.", level="desa").count() == 326
    assert Area.objects.get(code="36.73.02").name == "Kasemen"
    assert Area.objects.get(code="36.73.02.1007").parent.code == "36.73.02"


def test_loading_again_changes_nothing(db):
    before = list(Area.objects.values_list("id", "code", "parent_id", "min_lon"))
    result = load_areas(settings.TIMPORA_WILAYAH_DIR)
    assert result.created == 0
    assert list(Area.objects.values_list("id", "code", "parent_id", "min_lon")) == before


def test_a_point_in_kasemen_falls_in_kelurahan_banten(db):
    # The Banten Lama area (Masjid Agung Banten), north of Serang city.
    area = geo.locate(106.1535, -6.0357)
    assert area is not None and area.code.startswith("36.73.02")
    assert geo.locate(106.0, -7.5) is None


def test_every_kelurahan_contains_its_own_representative_point(db):
    for area in Area.objects.filter(code__startswith="36.73.", level="kelurahan"):
        found = geo.locate(area.centroid_lon, area.centroid_lat)
        assert found is not None and found.code == area.code, area.code


def test_a_malformed_file_is_named_in_the_error(db, tmp_path: Path):
    (tmp_path / "banten_regions.csv").write_text("code,name\n36,Banten\n", encoding="utf-8")
    with pytest.raises(AreaDataError, match="missing columns level, parent_code"):
        load_areas(tmp_path)
    with pytest.raises(CommandError, match="banten_regions.csv"):
        call_command("areas", "load", "--dir", str(tmp_path / "nowhere"))


def test_lookup_command_prints_the_kelurahan(db, capsys):
    kasemen = Area.objects.get(code="36.73.02.1001")
    call_command("areas", "lookup", str(kasemen.centroid_lon), str(kasemen.centroid_lat))
    assert json.loads(capsys.readouterr().out)["code"] == "36.73.02.1001"


def test_a_lurah_sees_their_kelurahan_and_its_ancestors_only(personas):
    client = personas.client("lurah_banten")
    assert client.get("/areas/36.73.02.1007/").status_code == 200
    assert client.get("/areas/36.73.02/").status_code == 200  # ancestor, for context
    assert client.get("/areas/36.73.02.1001/").status_code == 404  # sibling kelurahan
    assert client.get("/areas/36.73.06/").status_code == 404  # Taktakan
    children = client.get("/areas/36.73.02/geojson/").json()["features"]
    assert {f["properties"]["code"] for f in children} == {"36.73.02", "36.73.02.1007"}


def test_the_area_page_has_an_offline_map(personas):
    response = personas.client("police_kasemen").get("/areas/36.73.02/")
    html = response.content.decode()
    assert 'id="map"' in html and "/static/vendor/leaflet/leaflet.js" in html
    assert "http://" not in html.split("<main")[1].split("</main>")[0].replace(
        'href="http', ""
    )  # no external tiles or scripts in the page body
    fc = personas.client("police_kasemen").get("/areas/36.73.02/geojson/").json()
    assert len([f for f in fc["features"] if f["properties"]["role"] == "child"]) == 10


def test_the_about_page_keeps_the_data_attribution(db):
    from django.test import Client

    html = Client().get("/about/").content.decode()
    assert "© Cahya DSN, MIT License" in html
