import pytest

from timpora.intake import actions as intake
from timpora.registry import actions as registry


@pytest.fixture
def hotels_and_company(db):
    """An approved company in Kab. Serang whose sponsor record is a steel maker."""
    sponsor = registry.create_sponsor(
        actor=None, kind="company", name="PT Baja Demo", nib="1234567890123", area_code="36.04.20"
    )
    company = intake.register_premises(
        kind="company",
        name="PT Baja Demo",
        licence_number="1234567890123",
        address="Kawasan Industri",
        area_code="36.04.20.2001",
        person_in_charge="HRD",
        username="ptbaja",
        password="a long enough password 1",
    )
    intake.decide_premises(company, approve=True, actor=None)
    company.sponsor = sponsor
    company.save(update_fields=["sponsor"])
    return company
