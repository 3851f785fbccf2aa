"""Notifications: in-app (read/unread, the nav badge) and by e-mail through a real SMTP
server on localhost (aiosmtpd), as in production."""

from __future__ import annotations

import email
import socket
from datetime import timedelta
from email.header import decode_header, make_header

import pytest

from timpora.detection import actions
from timpora.detection.models import Notification
from timpora.detection.tests.matrix import KEL_BANTEN, KEL_TAKTAKAN, overstay_alert
from timpora.registry import actions as registry
from timpora.registry.status import today_in_jakarta


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """Collects what the SMTP server receives: (recipients, parsed message)."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.Message]] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted"

    def subjects_for(self, address: str) -> list[str]:
        return [
            str(make_header(decode_header(message["Subject"])))
            for recipients, message in self.received
            if address in recipients
        ]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free local port, and Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    try:
        yield mailbox
    finally:
        controller.stop()


def _with_email(user, address: str):
    user.email = address
    user.save(update_fields=["email"])
    return user


def test_assigning_an_alert_emails_the_officer(personas, smtp):
    officer = _with_email(personas.police_kasemen, "kasemen.polsek@example.go.id")
    alert = overstay_alert(personas, KEL_BANTEN, passport="MAILASSIGN1")
    actions.assign(alert, actor=personas.officer, officer=officer)
    subjects = smtp.subjects_for("kasemen.polsek@example.go.id")
    assert len(subjects) == 1
    assert subjects[0].startswith("[Timpora]") and f"Alert #{alert.pk}" in subjects[0]
    recipients, message = smtp.received[0]
    assert recipients == ["kasemen.polsek@example.go.id"]
    assert message["From"] == "timpora@localhost"
    note = Notification.objects.get(user=officer, alert=alert)
    assert note.url == f"/detection/alerts/{alert.pk}/" and note.read_at is None


def test_new_high_alerts_email_a_digest_to_the_managers_in_scope(personas, smtp):
    _with_email(personas.officer, "officer@imigrasi.example.go.id")
    _with_email(personas.police_kasemen, "kasemen.polsek@example.go.id")  # view only
    today = today_in_jakarta()
    registry.register_person(
        registry.PersonInput(surname="DIGEST", given_names="ONE", nationality="VNM"),
        actor=personas.officer,
        document=registry.DocumentInput(number="DIGEST001", issuing_state="VNM"),
        permit=registry.PermitInput(
            category="visit", index_code="C1", valid_until=today - timedelta(days=90)
        ),
        stay=registry.StayInput(area_code=KEL_TAKTAKAN, date_from=today - timedelta(days=200)),
    )
    actions.run_detection(today, rules=["overstay"])
    assert smtp.subjects_for("officer@imigrasi.example.go.id") == [
        "[Timpora] 1 new high-severity alert(s) in your area"
    ]
    assert smtp.subjects_for("kasemen.polsek@example.go.id") == []
    assert Notification.objects.filter(user=personas.officer).count() == 1
    # Re-running finds nothing new: no second digest.
    actions.run_detection(today, rules=["overstay"])
    assert len(smtp.subjects_for("officer@imigrasi.example.go.id")) == 1


def test_a_mail_server_that_is_down_does_not_lose_the_notification(personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()  # nobody listens there
    officer = _with_email(personas.police_kasemen, "kasemen.polsek@example.go.id")
    alert = overstay_alert(personas, KEL_BANTEN, passport="MAILDOWN01")
    actions.assign(alert, actor=personas.officer, officer=officer)
    alert.refresh_from_db()
    assert alert.assigned_to == officer
    assert Notification.objects.filter(user=officer, alert=alert).exists()


def test_users_without_an_address_get_the_in_app_notification_only(personas, smtp):
    alert = overstay_alert(personas, KEL_BANTEN, passport="MAILNONE01")
    actions.assign(alert, actor=personas.officer, officer=personas.lurah_banten)
    assert smtp.received == []
    assert Notification.objects.filter(user=personas.lurah_banten, alert=alert).exists()


# ---------------------------------------------------------------------------- in the app


@pytest.fixture
def two_notes(personas):
    alert = overstay_alert(personas, KEL_BANTEN, passport="NOTES00001")
    first = actions.notify(personas.police_kasemen, alert, "First")
    second = actions.notify(personas.police_kasemen, alert, "Second")
    return first, second


def test_the_nav_shows_the_unread_count(personas, two_notes):
    html = personas.client("police_kasemen").get("/detection/alerts/").content.decode()
    assert 'data-testid="unread-badge"' in html and "<mark>2</mark>" in html
    other = personas.client("police_taktakan").get("/detection/alerts/").content.decode()
    assert 'data-testid="unread-badge"' not in other


def test_the_list_shows_only_the_users_own_notifications(personas, two_notes):
    response = personas.client("police_kasemen").get("/detection/notifications/")
    assert [n.message for n in response.context["page"].object_list] == ["Second", "First"]
    assert response.context["unread"] == 2
    assert list(personas.client("officer").get("/detection/notifications/").context["page"]) == []


def test_opening_a_notification_marks_it_read_and_follows_its_link(personas, two_notes):
    first, second = two_notes
    client = personas.client("police_kasemen")
    response = client.post(f"/detection/notifications/{first.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == first.url
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert "<mark>1</mark>" in client.get("/detection/notifications/").content.decode()


def test_mark_all_read(personas, two_notes):
    client = personas.client("police_kasemen")
    assert client.post("/detection/notifications/read/").status_code == 302
    assert not Notification.objects.filter(
        user=personas.police_kasemen, read_at__isnull=True
    ).exists()
    assert 'data-testid="unread-badge"' not in client.get("/detection/alerts/").content.decode()


def test_nobody_marks_another_users_notification(personas, two_notes):
    first, _ = two_notes
    personas.client("officer").post(f"/detection/notifications/{first.pk}/read/")
    first.refresh_from_db()
    assert first.read_at is None
    assert actions.mark_notifications_read(personas.officer, ids=[first.pk]) == 0
