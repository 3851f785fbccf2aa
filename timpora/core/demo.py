"""The Kota Serang TIMPORA demo: agencies, one user per persona, printed credentials.

Passwords are generated on the first run and kept in ``var/demo-credentials.json`` (outside
git, mode 600), so a second ``make demo`` prints the same logins and keeps the data. Later
capabilities add their demo data through ``SEEDERS``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from timpora.accounts import actions as account_actions
from timpora.accounts.choices import AgencyType, Role
from timpora.accounts.models import Agency, User
from timpora.areas.models import Area

OFFICE = "Kantor Imigrasi Kelas I Non TPI Serang"
KASEMEN = "36.73.02"
KELURAHAN_BANTEN = "36.73.02.1007"

# (name, short name, type, area code or None for the working area)
AGENCIES: list[tuple[str, str, str, str | None]] = [
    (OFFICE, "Kanim Serang", AgencyType.IMMIGRATION, None),
    (
        "Badan Kesatuan Bangsa dan Politik Kota Serang",
        "Kesbangpol Kota Serang",
        AgencyType.LOCAL_GOVERNMENT,
        "36.73",
    ),
    ("Kepolisian Resor Serang Kota", "Polresta Serang Kota", AgencyType.POLICE, "36.73"),
    ("Kepolisian Sektor Kasemen", "Polsek Kasemen", AgencyType.POLICE, KASEMEN),
    ("Komando Distrik Militer 0602/Serang", "Kodim 0602/Serang", AgencyType.MILITARY, None),
    ("Kejaksaan Negeri Serang", "Kejari Serang", AgencyType.PROSECUTOR, None),
    ("Badan Intelijen Negara Daerah Banten", "BINDA Banten", AgencyType.INTELLIGENCE, None),
    ("Badan Narkotika Nasional Provinsi Banten", "BNNP Banten", AgencyType.NARCOTICS, None),
    ("Dinas Tenaga Kerja Kota Serang", "Disnaker Kota Serang", AgencyType.MANPOWER, "36.73"),
    (
        "Dinas Kependudukan dan Pencatatan Sipil Kota Serang",
        "Disdukcapil Kota Serang",
        AgencyType.CIVIL_REGISTRY,
        "36.73",
    ),
    (
        "Kantor Kementerian Agama Kota Serang",
        "Kemenag Kota Serang",
        AgencyType.RELIGIOUS_AFFAIRS,
        "36.73",
    ),
    ("Dinas Pariwisata Kota Serang", "Dispar Kota Serang", AgencyType.TOURISM, "36.73"),
    ("Kelurahan Banten", "Kel. Banten", AgencyType.LOCAL_GOVERNMENT, KELURAHAN_BANTEN),
    ("Hotel Surosowan Indah (demo)", "Hotel Surosowan", AgencyType.ACCOMMODATION, KELURAHAN_BANTEN),
]


@dataclass(frozen=True)
class Persona:
    username: str
    role: str
    agency: str
    scope: str | None
    first_name: str
    last_name: str


PERSONAS = [
    Persona("admin", Role.ADMINISTRATOR, OFFICE, None, "Admin", "Sistem"),
    Persona("analyst", Role.ANALYST, OFFICE, None, "Rina", "Analis"),
    Persona("officer", Role.OFFICER, OFFICE, None, "Budi", "Petugas"),
    Persona(
        "police_kasemen", Role.TEAM_MEMBER, "Kepolisian Sektor Kasemen", KASEMEN, "Agus", "Polsek"
    ),
    Persona(
        "lurah_banten", Role.TEAM_MEMBER, "Kelurahan Banten", KELURAHAN_BANTEN, "Siti", "Lurah"
    ),
    Persona(
        "hotel",
        Role.REPORTER,
        "Hotel Surosowan Indah (demo)",
        KELURAHAN_BANTEN,
        "Dewi",
        "Resepsionis",
    ),
    Persona("auditor", Role.AUDITOR, OFFICE, None, "Hadi", "Auditor"),
]

# Later capabilities append functions that add their own demo data.
SEEDERS: list[Callable[..., dict]] = []


def credentials_file() -> Path:
    return settings.VAR_DIR / "demo-credentials.json"


def _load_credentials() -> dict[str, dict[str, str]]:
    path = credentials_file()
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _save_credentials(creds: dict[str, dict[str, str]]) -> None:
    path = credentials_file()
    path.write_text(json.dumps(creds, indent=2), encoding="utf-8")
    path.chmod(0o600)


@transaction.atomic
def seed_foundation() -> dict[str, dict[str, str]]:
    """Agencies and persona users; returns ``{username: {password, totp_secret?}}``."""
    if not Area.objects.filter(code=KELURAHAN_BANTEN).exists():
        raise RuntimeError("areas are not loaded: run `timpora areas load` first")
    areas = {a.code: a for a in Area.objects.filter(code__in=[c for *_, c in AGENCIES if c])}
    agencies = {}
    for name, short, kind, code in AGENCIES:
        agency = Agency.objects.filter(name=name).first() or account_actions.create_agency(
            name=name, short_name=short, agency_type=kind, area=areas.get(code) if code else None
        )
        agencies[name] = agency
    creds = _load_credentials()
    scope_areas = {
        a.code: a for a in Area.objects.filter(code__in=[p.scope for p in PERSONAS if p.scope])
    }
    for persona in PERSONAS:
        entry = creds.get(persona.username) or {"password": secrets.token_urlsafe(9)}
        user = User.objects.filter(username=persona.username).first()
        if user is None:
            user = account_actions.create_user(
                username=persona.username,
                password=entry["password"],
                role=persona.role,
                agency=agencies[persona.agency],
                scope_area=scope_areas.get(persona.scope) if persona.scope else None,
                first_name=persona.first_name,
                last_name=persona.last_name,
            )
        elif not user.check_password(entry["password"]):
            account_actions.set_password(user, entry["password"], actor=None)
        if user.requires_second_factor:
            # Pre-enrol the demo authenticator so the printed secret works at once.
            if not user.totp_secret:
                user.totp_secret = entry.get("totp_secret") or pyotp.random_base32()
                user.totp_confirmed_at = timezone.now()
                user.save(update_fields=["totp_secret", "totp_confirmed_at"])
            entry["totp_secret"] = user.totp_secret
        creds[persona.username] = entry
    _save_credentials(creds)
    return creds


def seed(**options) -> dict:
    """Everything the demo needs, in capability order; safe to run again."""
    summary: dict = {"users": seed_foundation()}
    for seeder in SEEDERS:
        summary.update(seeder(**options))
    return summary
