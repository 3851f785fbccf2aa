import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from timpora.audit.actions import record, verify_chain
from timpora.audit.models import AuditRecord


def _drop_guards():
    """What an attacker with database rights would do first: remove the triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_update ON audit_auditrecord")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")


def test_it_chains_each_record_to_the_previous_one(personas):
    first = record("view", actor=personas.analyst, object_type="test", object_id=1)
    second = record(
        "update",
        actor=personas.officer,
        object_type="test",
        object_id=2,
        fields={"status": ["new", "triaged"]},
    )
    assert second.prev_hash == first.hash
    assert second.actor_username == "officer"
    assert second.agency == str(personas.officer.agency)
    assert verify_chain().ok


def test_it_refuses_updates_and_deletes_through_the_orm(personas):
    entry = record("view", actor=personas.analyst, object_type="test", object_id=1)
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditRecord.objects.filter(pk=entry.pk).update(object_id="2")


def test_it_refuses_updates_in_the_database(personas):
    entry = record("view", actor=personas.analyst, object_type="test", object_id=1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditrecord SET object_id = 'x' WHERE id = %s", [entry.pk])


def test_it_names_the_first_tampered_record(personas):
    records = [
        record("view", actor=personas.analyst, object_type="test", object_id=i) for i in range(5)
    ]
    _drop_guards()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditrecord SET object_id = 'forged' WHERE id = %s", [records[2].pk]
        )
    result = verify_chain()
    assert not result.ok
    assert result.broken_id == records[2].pk
    with pytest.raises(CommandError, match=f"#{records[2].pk}"):
        call_command("audit", "verify")


def test_it_detects_a_deleted_record(personas):
    records = [
        record("view", actor=personas.analyst, object_type="test", object_id=i) for i in range(4)
    ]
    _drop_guards()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE id = %s", [records[1].pk])
    assert verify_chain().broken_id == records[2].pk


def test_it_verifies_an_intact_chain_from_the_command(personas, capsys):
    record("view", actor=personas.analyst, object_type="test", object_id=1)
    call_command("audit", "verify")
    assert '"ok": true' in capsys.readouterr().out


def test_it_records_the_request_origin(personas):
    client = personas.client("auditor")
    client.get("/audit/export/?format=csv", HTTP_USER_AGENT="pytest-agent")
    entry = AuditRecord.objects.filter(action="export").latest("id")
    assert entry.origin["channel"] == "web"
    assert entry.origin["path"] == "/audit/export/"
    assert entry.origin["user_agent"] == "pytest-agent"
    assert entry.actor_username == "auditor"
