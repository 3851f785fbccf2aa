"""Shared test base: the reference areas and the personas that matter here.

Loaded once per test database (session), then each test runs in a rolled-back transaction:
- ``analyst``: immigration analyst, whole working area (TOTP required)
- ``admin``: administrator (TOTP required)
- ``officer``: immigration officer, whole working area
- ``police_kasemen``: police team member scoped to kecamatan Kasemen
- ``police_taktakan``: police team member scoped to kecamatan Taktakan
- ``lurah_banten``: team member scoped to kelurahan Banten (Kasemen)
- ``hotel``: reporter for one hotel in kelurahan Banten
- ``auditor``: reads the audit trail
- ``head``: head of office (*Kakanim*), whole working area; signs administrative decisions
- ``stranger``: an active user with no agency and the reporter role elsewhere
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyotp
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from timpora.accounts.actions import create_agency, create_user
from timpora.accounts.choices import AgencyType, Role
from timpora.accounts.models import User
from timpora.areas.actions import load_areas
from timpora.areas.models import Area

pytest_plugins = ["timpora.testing.browser"]

PASSWORD = "correct horse battery staple"
KASEMEN = "36.73.02"
TAKTAKAN = "36.73.06"
KEL_BANTEN = "36.73.02.1007"

PERSONA_SPECS = {
    # username: (role, agency type, scope code)
    "admin": (Role.ADMINISTRATOR, AgencyType.IMMIGRATION, None),
    "analyst": (Role.ANALYST, AgencyType.IMMIGRATION, None),
    "officer": (Role.OFFICER, AgencyType.IMMIGRATION, None),
    "police_kasemen": (Role.TEAM_MEMBER, AgencyType.POLICE, KASEMEN),
    "police_taktakan": (Role.TEAM_MEMBER, AgencyType.POLICE, TAKTAKAN),
    "lurah_banten": (Role.TEAM_MEMBER, AgencyType.LOCAL_GOVERNMENT, KEL_BANTEN),
    "hotel": (Role.REPORTER, AgencyType.ACCOMMODATION, KEL_BANTEN),
    "auditor": (Role.AUDITOR, AgencyType.IMMIGRATION, None),
    "head": (Role.HEAD_OF_OFFICE, AgencyType.IMMIGRATION, None),
    "stranger": (Role.REPORTER, AgencyType.OTHER, "36.04"),
}


def ensure_base_data() -> None:
    """Areas and persona users; idempotent, so transactional tests can call it again."""
    if not Area.objects.filter(code=KEL_BANTEN).exists():
        load_areas(settings.TIMPORA_WILAYAH_DIR)
    # Data migrations' rows are gone after a transactional (live server) test's flush.
    import importlib

    from django.apps import apps as django_apps

    from timpora.registry.models import PermitIndex

    if not PermitIndex.objects.exists():
        importlib.import_module("timpora.registry.migrations.0002_seed_permit_indices").seed(
            django_apps, None
        )
    if User.objects.filter(username="stranger").exists():
        return
    areas = {
        a.code: a for a in Area.objects.filter(code__in=[KASEMEN, TAKTAKAN, KEL_BANTEN, "36.04"])
    }
    agencies = {}
    for username, (role, kind, scope) in PERSONA_SPECS.items():
        key = (kind, scope)
        if key not in agencies:
            agencies[key] = create_agency(name=f"Test {kind} {scope or 'office'}", agency_type=kind)
        user = create_user(
            username=username,
            password=PASSWORD,
            role=role,
            agency=agencies[key],
            scope_area=areas.get(scope) if scope else None,
        )
        if user.requires_second_factor:
            user.totp_secret = pyotp.random_base32()
            user.totp_confirmed_at = timezone.now()
            user.save(update_fields=["totp_secret", "totp_confirmed_at"])


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_base_data()


@dataclass
class Personas:
    """Test users by persona name, with helpers to get a logged-in client."""

    def __getattr__(self, name: str) -> User:
        if name not in PERSONA_SPECS:
            raise AttributeError(name)
        return User.objects.select_related("scope_area", "agency").get(username=name)

    def client(self, name: str | None) -> Client:
        """A client logged in as ``name`` (second factor passed), or anonymous for None."""
        client = Client()
        if name is None:
            return client
        client.force_login(getattr(self, name))
        session = client.session
        session["otp_verified"] = True
        session["login_at"] = time.time()
        session.save()
        return client


@pytest.fixture
def personas(db) -> Personas:
    return Personas()


@pytest.fixture
def area(db):
    def get(code: str) -> Area:
        return Area.objects.get(code=code)

    return get
