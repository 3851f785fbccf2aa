"""Writes for agencies, users, tokens and logins: atomic and audited."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from timpora.accounts.models import Agency, ApiToken, LoginAttempt, User, hash_token
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction


@transaction.atomic
def create_agency(
    *, name: str, agency_type: str, short_name: str = "", area=None, actor=None
) -> Agency:
    agency = Agency.objects.create(
        name=name, agency_type=agency_type, short_name=short_name, area=area
    )
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=agency,
        fields={"name": name, "agency_type": agency_type, "area": area.code if area else None},
    )
    return agency


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str | None,
    role: str,
    agency: Agency | None,
    scope_area=None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    actor=None,
) -> User:
    """Create a user; ``password=None`` leaves the account without a usable password."""
    user = User(
        username=username,
        role=role,
        agency=agency,
        scope_area=scope_area,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=user,
        fields={
            "role": role,
            "agency": str(agency) if agency else None,
            "scope_area": scope_area.code if scope_area else None,
        },
    )
    return user


@transaction.atomic
def update_user(user: User, *, actor, **changes: Any) -> User:
    """Change a user's role, agency, scope, names or active flag."""
    allowed = {
        "role",
        "agency",
        "scope_area",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "phone",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    diff: dict[str, Any] = {}
    for name, value in changes.items():
        old = getattr(user, name)
        if old != value:
            diff[name] = [
                str(old) if old is not None else None,
                str(value) if value is not None else None,
            ]
            setattr(user, name, value)
    if diff:
        user.save(update_fields=list(changes))
        record(AuditAction.UPDATE, actor=actor, obj=user, fields=diff)
    return user


@transaction.atomic
def set_password(user: User, raw_password: str, *, actor) -> None:
    user.set_password(raw_password)
    user.save(update_fields=["password"])
    record(AuditAction.UPDATE, actor=actor, obj=user, fields={"password": "changed"})


@transaction.atomic
def create_api_token(user: User, *, name: str = "", actor=None) -> str:
    """Create a token and return it; it is shown once and only its hash is kept."""
    raw = "tp_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:10], token_hash=hash_token(raw)
    )
    record(AuditAction.TOKEN, actor=actor or user, obj=token, fields={"user": user.username})
    return raw


def user_for_token(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user", "user__scope_area", "user__agency")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute: the API must not write on every request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- login lockout -------------------------------------------------------------------------


def is_locked_out(username: str) -> bool:
    """Too many failures for this username inside the lockout window."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    recent = LoginAttempt.objects.filter(username=username.lower(), created_at__gte=since)
    last_success = recent.filter(succeeded=True).order_by("-created_at").first()
    failures = recent.filter(succeeded=False)
    if last_success:
        failures = failures.filter(created_at__gt=last_success.created_at)
    return failures.count() >= settings.LOGIN_MAX_FAILURES


@transaction.atomic
def note_login(username: str, *, succeeded: bool, ip: str | None, user: User | None) -> None:
    LoginAttempt.objects.create(username=username.lower(), succeeded=succeeded, ip=ip or None)
    record(
        AuditAction.LOGIN if succeeded else AuditAction.LOGIN_FAILED,
        actor=user,
        object_type="accounts.user",
        object_id=user.pk if user else "",
        object_repr=username[:150],
    )


@transaction.atomic
def unlock(username: str, *, actor) -> int:
    """Forget recent failures so a locked-out user can log in again."""
    deleted, _ = LoginAttempt.objects.filter(username=username.lower(), succeeded=False).delete()
    record(
        AuditAction.UPDATE,
        actor=actor,
        object_type="accounts.user",
        object_repr=username,
        fields={"lockout": "cleared"},
    )
    return deleted


# --- TOTP second factor --------------------------------------------------------------------


def start_totp_enrolment(user: User) -> str:
    """Give the user a new (unconfirmed) secret and return it."""
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return user.totp_secret


def verify_totp(user: User, code: str) -> bool:
    if not user.totp_secret:
        return False
    return pyotp.TOTP(user.totp_secret).verify(code.strip().replace(" ", ""), valid_window=1)


@transaction.atomic
def confirm_totp(user: User, code: str) -> bool:
    """Confirm enrolment with a first valid code."""
    if not verify_totp(user, code):
        return False
    user.totp_confirmed_at = timezone.now()
    user.save(update_fields=["totp_confirmed_at"])
    record(AuditAction.UPDATE, actor=user, obj=user, fields={"totp": "enrolled"})
    return True


def totp_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.username, issuer_name=settings.TOTP_ISSUER
    )


@transaction.atomic
def reset_totp(user: User, *, actor=None) -> None:
    """Forget the user's authenticator (lost phone); they enrol again at the next login."""
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    record(AuditAction.UPDATE, actor=actor, obj=user, fields={"totp": "reset"})
