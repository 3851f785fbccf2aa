import json
import subprocess
from datetime import date, timedelta

import pytest

from timpora.detection.actions import run_detection
from timpora.registry import actions as registry
from timpora.registry.actions import PermitInput, PersonInput, StayInput
from timpora.registry.status import today_in_jakarta
from timpora.riskmap.demo import seed_factors
from timpora.riskmap.models import IndicatorSnapshot


@pytest.fixture(autouse=True)
def _english_pages(settings):
    """These tests read English labels; the Indonesian default is tested in core."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def kasemen_data(personas):
    """Factors, and two overstayers in kelurahan Banten and one in Taktakan."""
    seed_factors()
    today = today_in_jakarta()
    for i, area in enumerate(["36.73.02.1007", "36.73.02.1007", "36.73.06.1001"]):
        registry.register_person(
            PersonInput(surname="NGUYEN", given_names=f"VAN {i}", nationality="VNM", sex="M"),
            actor=personas.officer,
            permit=PermitInput(
                category="visit", index_code="B1", valid_until=today - timedelta(days=10 + i)
            ),
            stay=StayInput(area_code=area, date_from=today - timedelta(days=40)),
        )
    run_detection(today, notify=False)
    return today


def _features(response):
    assert response.status_code == 200, response.content
    return {f["properties"]["code"]: f["properties"] for f in response.json()["features"]}


def test_the_api_returns_geojson_with_metric_and_explanation(personas, kasemen_data):
    from django.test import Client

    from timpora.accounts.actions import create_api_token

    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(personas.analyst)}")
    response = client.get(
        "/api/v1/map/areas", {"parent": "36.73", "level": "kelurahan", "metric": "risk"}
    )
    features = _features(response)
    assert len(features) == 67
    banten = features["36.73.02.1007"]
    # coastline (15, from Kasemen) + port (10) + tourist (5) + 2 overstays (6) + 2 serious
    # alerts (8: no travel document known for either)
    assert banten["risk"] == 44 and banten["value"] == 44
    assert banten["explanation"].startswith("Banten: 44 — coastline (15)")
    assert "2 overstay(s) (6)" in banten["explanation"]
    assert "2 serious alert(s) (8)" in banten["explanation"]
    assert response.json()["type"] == "FeatureCollection"
    assert features["36.73.06.1001"]["risk"] == 3 + 4  # one overstay, one serious, no factors


def test_a_lurah_sees_indicators_only_for_their_kelurahan(personas, kasemen_data):
    features = _features(
        personas.client("lurah_banten").get(
            "/map/data/", {"parent": "36.73.02", "level": "kelurahan", "metric": "density"}
        )
    )
    assert features["36.73.02.1007"]["value"] == 2
    others = [p for code, p in features.items() if code != "36.73.02.1007"]
    assert others and all(p["value"] is None and "explanation" not in p for p in others)
    assert (
        personas.client("lurah_banten").get("/map/data/", {"parent": "36.73.06"}).status_code == 404
    )
    assert personas.client("lurah_banten").get("/map/area/36.73.02.1001/").status_code == 404


def test_bad_parameters_are_named(personas, kasemen_data):
    response = personas.client("analyst").get("/map/data/", {"metric": "nonsense"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "metric"]


def test_trend_compares_with_the_previous_period(personas, kasemen_data):
    today = kasemen_data
    features = _features(
        personas.client("analyst").get(
            "/map/data/",
            {
                "parent": "36.73",
                "level": "kecamatan",
                "metric": "alerts",
                "from": str(today - timedelta(days=29)),
                "to": str(today),
            },
        )
    )
    kasemen = features["36.73.02"]
    assert kasemen["value"] >= 2
    assert kasemen["trend"] == kasemen["risk"] - kasemen["indicators"]["risk_previous"]


def test_snapshots_are_reused_until_the_data_changes(personas, kasemen_data):
    client = personas.client("analyst")
    client.get("/map/data/", {"parent": "36.73", "level": "kecamatan"})
    first = IndicatorSnapshot.objects.get(parent_code="36.73", level="kecamatan")
    client.get("/map/data/", {"parent": "36.73", "level": "kecamatan"})
    assert IndicatorSnapshot.objects.get(pk=first.pk).computed_at == first.computed_at
    registry.register_person(
        PersonInput(full_name="NEW ARRIVAL", nationality="AUS"),
        actor=personas.officer,
        stay=StayInput(area_code="36.73.02.1001", date_from=date.today() - timedelta(days=1)),
    )
    data = _features(
        client.get("/map/data/", {"parent": "36.73", "level": "kecamatan", "metric": "density"})
    )
    assert IndicatorSnapshot.objects.get(pk=first.pk).computed_at > first.computed_at
    assert data["36.73.02"]["value"] == 3


def test_printable_exports(personas, kasemen_data, tmp_path):
    client = personas.client("analyst")
    png = client.get("/map/export.png", {"parent": "36.73", "level": "kecamatan"})
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = client.get("/map/export.pdf", {"parent": "36.73", "level": "kecamatan"})
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    path = tmp_path / "map.pdf"
    path.write_bytes(pdf.content)
    try:
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    except FileNotFoundError:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert "Kasemen" in text and "Cahya DSN" in text


def test_the_map_page_renders_for_members(personas):
    response = personas.client("police_kasemen").get("/map/")
    assert response.status_code == 200
    assert b"riskmap/map.js" in response.content
    assert personas.client("hotel").get("/map/").status_code == 403


def test_geojson_is_valid_json_for_the_regency(personas, kasemen_data):
    body = (
        personas.client("officer")
        .get("/map/data/", {"parent": "36.04", "level": "kecamatan"})
        .content
    )
    assert len(json.loads(body)["features"]) == 29
