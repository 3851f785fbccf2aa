"""The factors page: administrators keep the standing factors that feed the risk score."""

import pytest

from timpora.audit.models import AuditRecord
from timpora.riskmap.demo import seed_factors
from timpora.riskmap.models import VulnerabilityFactor


@pytest.fixture(autouse=True)
def _english_pages(settings):
    """These tests read English labels; the Indonesian default is tested in core."""
    settings.LANGUAGE_CODE = "en"


def _kasemen_risk(client) -> int:
    response = client.get("/map/data/", {"parent": "36.73", "level": "kecamatan"})
    assert response.status_code == 200
    features = {f["properties"]["code"]: f["properties"] for f in response.json()["features"]}
    return features["36.73.02"]["risk"]


def test_it_lists_the_seeded_factors_as_still_to_be_confirmed(personas):
    seed_factors()
    page = personas.client("admin").get("/map/factors/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Long coastline of Kasemen" in text
    seeded = VulnerabilityFactor.objects.count()
    assert f"{seeded} factors were seeded from public sources" in text


def test_confirming_a_factor_is_audited_and_leaves_the_list_of_unconfirmed(personas):
    seed_factors()
    factor = VulnerabilityFactor.objects.get(area__code="36.73.02", kind="coastline")
    client = personas.client("admin")
    response = client.post(
        f"/map/factors/{factor.pk}/",
        {"area": "36.73.02", "kind": "coastline", "weight": "20", "note": "Confirmed in SK 12",
         "confirmed": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    factor.refresh_from_db()
    assert (factor.weight, factor.confirmed, factor.note) == (20, True, "Confirmed in SK 12")
    audit = AuditRecord.objects.filter(object_type="riskmap.vulnerabilityfactor").last()
    assert audit.action == "update"
    assert audit.fields["before"]["weight"] == 15 and audit.fields["after"]["weight"] == 20
    unconfirmed = client.get("/map/factors/", {"unconfirmed": "1"}).content.decode()
    assert "Confirmed in SK 12" not in unconfirmed


def test_a_new_factor_raises_the_score_and_removing_it_lowers_it_again(personas):
    client = personas.client("analyst")
    before = _kasemen_risk(client)
    response = client.post(
        "/map/factors/new/",
        {"area": "36.73.02", "kind": "transit", "weight": "12", "note": "Boat landing"},
    )
    assert response.status_code == 302, response.content.decode()
    assert _kasemen_risk(client) == before + 12
    factor = VulnerabilityFactor.objects.get(area__code="36.73.02", kind="transit")
    assert client.post(f"/map/factors/{factor.pk}/delete/").status_code == 302
    assert not VulnerabilityFactor.objects.filter(pk=factor.pk).exists()
    assert _kasemen_risk(client) == before  # the cached snapshot noticed the deletion
    assert AuditRecord.objects.filter(
        object_type="riskmap.vulnerabilityfactor", action="delete"
    ).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"weight": "0"}, "weight", "greater than or equal to 1"),
        ({"weight": "51"}, "weight", "less than or equal to 50"),
        ({"area": "99.99"}, "area", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(personas, data, field, message):
    post = {"area": "36.73.02", "kind": "port", "weight": "10", **data}
    response = personas.client("admin").post("/map/factors/new/", post)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not VulnerabilityFactor.objects.filter(kind="port", area__code="36.73.02").exists()


def test_a_second_factor_of_the_same_kind_is_refused(personas):
    seed_factors()
    response = personas.client("admin").post(
        "/map/factors/new/", {"area": "36.73.02", "kind": "coastline", "weight": "10"}
    )
    assert response.status_code == 200
    assert "already has a factor of this kind" in response.context["form"].errors["kind"][0]
    assert VulnerabilityFactor.objects.filter(area__code="36.73.02", kind="coastline").count() == 1


def test_members_of_other_agencies_cannot_edit_factors(personas):
    seed_factors()
    factor = VulnerabilityFactor.objects.first()
    for name in ("officer", "police_kasemen", "lurah_banten"):
        client = personas.client(name)
        assert client.get("/map/factors/").status_code == 403
        post = {"area": factor.area.code, "kind": factor.kind, "weight": "1"}
        assert client.post(f"/map/factors/{factor.pk}/", post).status_code == 403
    factor.refresh_from_db()
    assert factor.weight != 1
