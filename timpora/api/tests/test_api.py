import json

import pytest
from django.core.management import call_command
from django.test import Client

from timpora.accounts.actions import create_api_token
from timpora.accounts.models import ApiToken


def _client_for(user) -> Client:
    token = create_api_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_schema_is_public_and_lists_the_areas_endpoint(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/areas" in response.json()["paths"]


def test_every_endpoint_needs_a_token(db):
    schema = Client().get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        url = path.replace("{code}", "36.73") + "?lon=106.1&lat=-6.1"
        for method in operations:
            anonymous = Client().generic(method.upper(), url)
            assert anonymous.status_code == 401, (method, url)
            bad = Client(HTTP_AUTHORIZATION="Bearer not-a-token").generic(method.upper(), url)
            assert bad.status_code == 401, (method, url)


def test_areas_of_kota_serang_are_its_six_kecamatan(personas):
    response = _client_for(personas.analyst).get("/api/v1/areas?parent=36.73")
    assert response.status_code == 200
    items = response.json()
    assert [a["code"] for a in items] == [f"36.73.0{i}" for i in range(1, 7)]
    assert {"code", "name"} <= set(items[0])
    assert items[1]["name"] == "Kasemen"


def test_the_api_applies_the_same_scope_as_the_ui(personas):
    client = _client_for(personas.police_kasemen)
    codes = [a["code"] for a in client.get("/api/v1/areas?parent=36.73").json()]
    assert codes == ["36.73.02"]
    assert client.get("/api/v1/areas/36.73.06").status_code == 404
    detail = client.get("/api/v1/areas/36.73.02").json()
    assert detail["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_point_lookup_through_the_api(personas):
    client = _client_for(personas.officer)
    from timpora.areas.models import Area

    banten = Area.objects.get(code="36.73.02.1007")
    response = client.get(
        "/api/v1/areas/lookup", {"lon": banten.centroid_lon, "lat": banten.centroid_lat}
    )
    assert response.json()["code"] == "36.73.02.1007"


def test_a_revoked_token_or_inactive_user_is_refused(personas):
    user = personas.officer
    token = create_api_token(user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/areas").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/api/v1/areas").status_code == 401


def test_token_create_command_prints_a_working_token(personas, capsys):
    call_command("token", "create", "officer")
    token = capsys.readouterr().out.strip()
    assert token.startswith("tp_")
    assert not ApiToken.objects.filter(token_hash=token).exists()  # only the hash is stored
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/areas")
    assert response.status_code == 200
    assert json.loads(response.content)


def test_token_create_for_an_unknown_user_fails(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nobody"):
        call_command("token", "create", "nobody")


def test_area_items_name_their_parent(personas):
    items = _client_for(personas.analyst).get("/api/v1/areas?parent=36.73").json()
    assert {a["parent_code"] for a in items} == {"36.73"}
