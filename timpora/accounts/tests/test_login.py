import time

import pyotp
import pytest
from django.test import Client, override_settings

from timpora.audit.models import AuditRecord
from timpora.conftest import PASSWORD


def _login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_it_logs_in_an_officer_without_second_factor(personas):
    client = Client()
    response = _login(client, "officer")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditRecord.objects.filter(action="login", actor_username="officer").exists()


def test_it_asks_analysts_for_a_totp_code_before_anything_else(personas):
    client = Client()
    _login(client, "analyst")
    response = client.get("/areas/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    code = pyotp.TOTP(personas.analyst.totp_secret).now()
    response = client.post("/accounts/two-factor/?next=/areas/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/areas/"
    assert client.get("/areas/").status_code == 200


def test_a_wrong_totp_code_is_refused(personas):
    client = Client()
    _login(client, "admin")
    secret = personas.admin.totp_secret
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    response = client.post("/accounts/two-factor/", {"code": wrong})
    assert response.status_code == 200
    assert client.get("/areas/").status_code == 302


def test_an_unenrolled_analyst_is_sent_to_set_up(personas):
    user = personas.analyst
    user.totp_secret, user.totp_confirmed_at = "", None
    user.save()
    client = Client()
    _login(client, "analyst")
    response = client.get("/")
    assert response["Location"].startswith("/accounts/two-factor/setup/")
    page = client.get("/accounts/two-factor/setup/")
    assert b"<svg" in page.content
    user.refresh_from_db()
    response = client.post(
        "/accounts/two-factor/setup/", {"code": pyotp.TOTP(user.totp_secret).now()}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.totp_confirmed_at is not None


@override_settings(LOGIN_MAX_FAILURES=3)
def test_it_locks_an_account_after_repeated_failures(personas):
    client = Client()
    for _ in range(3):
        assert _login(client, "officer", "wrong password").status_code == 200
    response = _login(client, "officer")  # right password, but locked
    assert response.status_code == 200
    assert (
        "locked" in response.content.decode().lower()
        or "dikunci" in response.content.decode().lower()
    )
    assert AuditRecord.objects.filter(action="login_failed", object_repr="officer").count() == 3


@override_settings(LOGIN_MAX_FAILURES=3)
def test_an_administrator_clears_a_lockout(personas):
    client = Client()
    for _ in range(3):
        _login(client, "officer", "wrong password")
    admin = personas.client("admin")
    admin.post(f"/accounts/users/{personas.officer.pk}/unlock/")
    assert _login(Client(), "officer").status_code == 302


def test_sessions_end_after_the_absolute_lifetime(personas):
    client = personas.client("officer")
    session = client.session
    session["login_at"] = time.time() - 11 * 3600
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_login_page_ignores_foreign_next_urls(personas):
    client = Client()
    response = client.post(
        "/accounts/login/?next=https://evil.example/", {"username": "officer", "password": PASSWORD}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("language,text", [("id", "Masuk"), ("en", "Log in")])
def test_the_login_page_speaks_both_languages(db, language, text):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US")  # the browser's wish does not decide
    if language == "en":
        client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")
    assert text in response.content.decode()
    assert f'lang="{language}"' in response.content.decode()
