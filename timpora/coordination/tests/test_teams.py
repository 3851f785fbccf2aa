"""Teams: decrees, members and their history, scope, and the private decree scan."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from timpora.audit.models import AuditRecord
from timpora.coordination import actions, queries
from timpora.coordination.choices import TeamLevel, TeamRole
from timpora.coordination.models import Decree, TeamMembership
from timpora.coordination.tests import factories as f

pytestmark = pytest.mark.django_db


def _section(html: str, testid: str) -> str:
    """The HTML of the element marked ``data-testid`` (up to its table's end)."""
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</table>", start)]


def test_it_keeps_the_history_when_a_member_is_replaced(personas):
    team = f.team(f.KEL_BANTEN)
    old = f.member(team, "Hj. Siti Aminah", role=TeamRole.CHAIR, start=date(2021, 10, 12))
    client = personas.client("officer")

    response = client.post(
        reverse("coordination:member_replace", args=[team.pk, old.pk]),
        {
            "ended_on": "2026-03-02",
            "reason": "Mutasi jabatan lurah",
            "person_name": "Drs. Mulyadi",
            "role": TeamRole.CHAIR,
            "agency": old.agency_id,
            "position": "Lurah Banten",
        },
    )

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.ended_on == date(2026, 3, 2)
    assert old.end_reason == "Mutasi jabatan lurah"
    new = TeamMembership.objects.get(team=team, person_name="Drs. Mulyadi")
    assert new.term_start == date(2026, 3, 2)
    assert new.role == TeamRole.CHAIR
    # Nothing was deleted: both seats remain, the old one ended, the new one current.
    assert TeamMembership.objects.filter(team=team).count() == 2
    assert list(queries.current_members(team, date(2026, 3, 1))) == [old]
    assert list(queries.current_members(team, date(2026, 3, 2))) == [new]

    page = personas.client("lurah_banten").get(reverse("coordination:team_detail", args=[team.pk]))
    html = page.content.decode()
    current = _section(html, "current-members")
    history = _section(html, "membership-history")
    assert "Drs. Mulyadi" in current and "Hj. Siti Aminah" not in current
    assert "Drs. Mulyadi" in history and "Hj. Siti Aminah" in history
    assert "Mutasi jabatan lurah" in history and "02-03-2026" in history
    assert AuditRecord.objects.filter(object_type="coordination.teammembership").count() >= 3


def test_it_seats_one_chair_at_a_time():
    team = f.team(f.KEL_BANTEN)
    f.member(team, "Lurah Pertama", role=TeamRole.CHAIR)
    with pytest.raises(ValidationError) as exc:
        f.member(team, "Lurah Kedua", role=TeamRole.CHAIR)
    assert "role" in exc.value.message_dict


def test_ending_a_membership_needs_a_reason_and_keeps_the_row(personas):
    team = f.team(f.KEL_BANTEN)
    seat = f.member(team, "Serda Wahyu")
    with pytest.raises(ValidationError):
        actions.end_membership(seat, ended_on=date(2026, 1, 1), reason=" ", actor=None)
    actions.end_membership(
        seat, ended_on=date(2026, 1, 1), reason="Pindah tugas", actor=personas.officer
    )
    seat.refresh_from_db()
    assert seat.ended_on == date(2026, 1, 1)
    assert not seat.is_current(date(2026, 1, 1)) and seat.is_current(date(2025, 12, 31))
    with pytest.raises(ValidationError):
        actions.end_membership(seat, ended_on=date(2026, 2, 1), reason="lagi", actor=None)


def test_a_new_decree_replaces_the_previous_one_and_ends_its_members(personas):
    team = f.team(f.KEL_BANTEN, decree_number="SK-2021")
    first = team.decrees.get()
    seat = f.member(team, "Anggota Lama", start=date(2021, 10, 12))

    second = actions.issue_decree(
        teams=[team],
        number="SK-2026",
        issued_on=date(2026, 1, 5),
        issuer="Kepala Kantor Imigrasi Kelas I Non TPI Serang",
        term_start=date(2026, 1, 5),
        term_end=date(2027, 12, 31),
        replaces=first,
        end_current_members=True,
        actor=personas.officer,
    )

    assert queries.current_decree(team) == second
    assert second.replaces == first
    seat.refresh_from_db()
    assert seat.ended_on == date(2026, 1, 5)
    assert "SK-2026" in seat.end_reason
    assert set(team.decrees.all()) == {first, second}


def test_the_decree_scan_is_served_privately_within_scope(personas, private_storage):
    team = f.team(f.KEL_BANTEN)
    scan = SimpleUploadedFile("sk.pdf", b"%PDF-1.4 scan of the decree", "application/pdf")
    response = personas.client("officer").post(
        reverse("coordination:decree_add", args=[team.pk]),
        {
            "number": "SK-SCAN-1",
            "issued_on": "2026-02-01",
            "issuer": "Kepala Kantor Imigrasi Kelas I Non TPI Serang",
            "document": scan,
            "replaces_current": "on",
        },
    )
    assert response.status_code == 302
    decree = Decree.objects.get(number="SK-SCAN-1")
    assert decree.replaces is not None
    stored = list(private_storage.rglob("*.pdf"))
    assert len(stored) == 1 and stored[0].read_bytes().startswith(b"%PDF-1.4 scan")

    url = reverse("coordination:decree_document", args=[decree.pk])
    download = personas.client("lurah_banten").get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4 scan")
    assert download["Cache-Control"] == "private, no-store"
    assert personas.client("police_taktakan").get(url).status_code == 404
    assert personas.client("hotel").get(url).status_code == 403
    assert personas.client(None).get(url).status_code == 302


def test_an_executable_is_not_accepted_as_a_scan():
    team = f.team(f.KEL_BANTEN)
    with pytest.raises(ValidationError) as exc:
        actions.issue_decree(
            teams=[team],
            number="SK-EXE",
            issued_on=date(2026, 2, 1),
            issuer="Kakanim",
            document=SimpleUploadedFile("sk.html", b"<script>", "text/html"),
            actor=None,
        )
    assert "document" in exc.value.message_dict


def test_a_lurah_sees_the_teams_above_but_not_the_neighbours(personas):
    kota = f.team(f.KOTA_SERANG)
    kasemen = f.team("36.73.02")
    banten = f.team(f.KEL_BANTEN)
    neighbour = f.team("36.73.02.1001")  # kelurahan Kasemen, same kecamatan
    taktakan = f.team(f.KEL_TAKTAKAN)
    province = f.team("36")

    assert set(queries.teams_for(personas.lurah_banten)) == {province, kota, kasemen, banten}
    assert set(queries.teams_for(personas.police_kasemen)) == {
        province,
        kota,
        kasemen,
        banten,
        neighbour,
    }
    assert taktakan in queries.teams_for(personas.officer)
    assert kota.level == TeamLevel.KABKOTA and banten.level == TeamLevel.KELURAHAN
    assert province.level == TeamLevel.PROVINCE


def test_rosters_are_kept_by_the_office_inside_its_own_area(personas):
    banten = f.team(f.KEL_BANTEN)
    province = f.team("36")
    seat = actions.MemberInput(person_name="Anggota Baru")
    with pytest.raises(PermissionDenied):
        actions.add_member(banten, seat, actor=personas.police_kasemen)
    # The province team is above the office's working area: visible, not editable.
    assert province in queries.teams_for(personas.officer)
    with pytest.raises(PermissionDenied):
        actions.add_member(province, seat, actor=personas.officer)
    assert actions.add_member(banten, seat, actor=personas.officer).pk


def test_the_office_creates_a_team_through_the_page(personas):
    client = personas.client("officer")
    response = client.post(reverse("coordination:team_create"), {"area": "36.73.05"})
    assert response.status_code == 302
    team = queries.team_for_area("36.73.05")
    assert team.name == "Tim PORA Kecamatan Cipocok Jaya"
    assert team.level == TeamLevel.KECAMATAN
    again = client.post(reverse("coordination:team_create"), {"area": "36.73.05"})
    assert again.status_code == 200  # the area is no longer offered
