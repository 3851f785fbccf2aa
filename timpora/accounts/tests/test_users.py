from timpora.accounts.models import User
from timpora.audit.models import AuditRecord


def test_an_administrator_creates_a_scoped_user(personas, area):
    client = personas.client("admin")
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "lurah_kasemen",
            "agency": personas.lurah_banten.agency_id,
            "role": "team_member",
            "scope_code": "36.73.02.1001",
            "is_active": "on",
            "password": "a much longer passphrase 42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="lurah_kasemen")
    assert user.scope_area.code == "36.73.02.1001"
    assert AuditRecord.objects.filter(
        action="create", object_type="accounts.user", object_id=str(user.pk)
    ).exists()


def test_an_unknown_scope_code_is_a_field_error(personas):
    response = personas.client("admin").post(
        "/accounts/users/new/",
        {
            "username": "someone",
            "agency": personas.officer.agency_id,
            "role": "officer",
            "scope_code": "36.73.99",
            "password": "a much longer passphrase 42",
        },
    )
    assert response.status_code == 200
    assert "scope_code" in response.context["form"].errors


def test_editing_a_user_records_the_change(personas):
    officer = personas.officer
    personas.client("admin").post(
        f"/accounts/users/{officer.pk}/",
        {
            "username": officer.username,
            "agency": officer.agency_id,
            "role": "analyst",
            "scope_code": "36.73",
            "is_active": "on",
        },
    )
    officer.refresh_from_db()
    assert officer.role == "analyst" and officer.scope_area.code == "36.73"
    entry = AuditRecord.objects.filter(action="update", object_id=str(officer.pk)).latest("id")
    assert entry.fields["role"] == ["officer", "analyst"]
