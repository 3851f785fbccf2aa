"""Meetings from invitation to follow-up: the invitation letter, check-in, attendance,
minutes and decisions, the problem inventory, overdue reminders, the calendar."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from timpora.coordination import actions, documents, queries
from timpora.coordination.choices import (
    CheckInMethod,
    FollowUpStatus,
    MeetingStatus,
    ProblemCategory,
    TeamRole,
)
from timpora.coordination.models import FollowUp, FollowUpReminder, Meeting, Problem
from timpora.coordination.tests import factories as f
from timpora.detection.models import Notification
from timpora.registry.status import today_in_jakarta

pytestmark = pytest.mark.django_db


def _remind(day: date | None = None) -> dict:
    out = StringIO()
    args = ["coordination", "remind"] + (["--date", day.isoformat()] if day else [])
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def test_it_runs_a_meeting_from_invitation_to_an_overdue_reminder(personas, mailoutbox):
    lurah = personas.lurah_banten
    lurah.email = "lurah.banten@example.go.id"
    lurah.save(update_fields=["email"])
    team = f.team(f.KEL_BANTEN)
    chair = f.member(team, "Siti Lurah", role=TeamRole.CHAIR, user=lurah)
    f.member(team, "Serda Wahyu", agency_name="Kodim Uji")
    officer = personas.client("officer")
    yesterday = today_in_jakarta() - timedelta(days=1)

    # 1. The secretariat schedules the meeting; the team's members are invited.
    response = officer.post(
        reverse("coordination:meeting_create"),
        {
            "team": team.pk,
            "title": "Rapat Koordinasi Tim PORA Kelurahan Banten",
            "day": yesterday.isoformat(),
            "start_time": "09:00",
            "end_time": "11:00",
            "place": "Kantor Kelurahan Banten",
            "agenda": "Pendataan orang asing\nPelaporan penginapan",
            "invite_members": "on",
            "letter_number": "005/RAKOR/2026",
            "letter_nature": "biasa",
            "letter_subject": "Undangan Rapat Koordinasi Tim PORA",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(team=team)
    assert [i.title for i in meeting.agenda_items.all()] == [
        "Pendataan orang asing",
        "Pelaporan penginapan",
    ]
    assert meeting.invitees.count() == 2

    # 2. The lurah checks in on the phone; the secretary marks the other member.
    lurah_client = personas.client("lurah_banten")
    check_in_url = reverse("coordination:meeting_check_in", args=[meeting.pk])
    assert lurah_client.get(check_in_url).status_code == 200
    assert lurah_client.post(check_in_url).status_code == 302
    mine = meeting.invitees.get(membership=chair)
    assert mine.attended and mine.check_in_method == CheckInMethod.SELF
    other = meeting.invitees.exclude(pk=mine.pk).get()
    officer.post(
        reverse("coordination:meeting_attendance", args=[meeting.pk]),
        {"present": [mine.pk, other.pk], f"name_{other.pk}": "Serda Wahyu"},
    )
    other.refresh_from_db()
    mine.refresh_from_db()
    assert other.attended and other.check_in_method == CheckInMethod.SECRETARY
    assert mine.check_in_method == CheckInMethod.SELF  # the self check-in is kept

    # 3. Minutes with decisions; the meeting is held.
    officer.post(
        reverse("coordination:meeting_minutes", args=[meeting.pk]),
        {
            "minutes": "Rapat membahas pelaporan tamu asing di penginapan.",
            "decisions": "Sosialisasi pelaporan kepada pengelola kos\nPendataan ulang",
        },
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert [d.text for d in meeting.decisions.all()] == [
        "Sosialisasi pelaporan kepada pengelola kos",
        "Pendataan ulang",
    ]

    # 4. The problem raised there, and a follow-up owned by the lurah, due yesterday.
    officer.post(
        reverse("coordination:problem_create"),
        {
            "title": "Rumah kos belum melaporkan tamu asing",
            "category": ProblemCategory.ACCOMMODATION_REPORTING,
            "area": f.KEL_BANTEN,
            "raised_at": meeting.pk,
            "opened_on": yesterday.isoformat(),
        },
    )
    problem = Problem.objects.get(raised_at=meeting)
    officer.post(
        reverse("coordination:followup_add", args=[problem.pk]),
        {
            "description": "Sosialisasi kepada pengelola kos",
            "owner_user": lurah.pk,
            "due_date": yesterday.isoformat(),
        },
    )
    follow_up = FollowUp.objects.get(problem=problem)
    assert follow_up.is_overdue(today_in_jakarta())

    # 5. It shows as overdue, and the reminder runs once per day whatever happens.
    home = lurah_client.get("/").content.decode()
    assert 'data-testid="home-overdue"' in home and "Sosialisasi kepada pengelola kos" in home
    dashboard = lurah_client.get(reverse("coordination:dashboard")).content.decode()
    assert 'data-testid="overdue-card"' in dashboard

    first = _remind()
    second = _remind()
    assert first["reminded"] == 1 and first["notifications"] == 1 and first["emails"] == 1
    assert second["reminded"] == 0 and second["notifications"] == 0
    notes = Notification.objects.filter(user=lurah)
    assert notes.count() == 1
    assert "Sosialisasi kepada pengelola kos" in notes.get().message
    assert notes.get().url.startswith(f"/coordination/problems/{problem.pk}/")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["lurah.banten@example.go.id"]
    assert FollowUpReminder.objects.filter(follow_up=follow_up).count() == 1

    # The next day it reminds again; once done, never.
    assert _remind(today_in_jakarta() + timedelta(days=1))["reminded"] == 1
    lurah_client.post(
        reverse("coordination:followup_status", args=[follow_up.pk]),
        {"status": FollowUpStatus.DONE, "note": "Sudah dilaksanakan"},
    )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE and follow_up.done_on == today_in_jakarta()
    assert _remind(today_in_jakarta() + timedelta(days=2))["overdue"] == 0
    assert Notification.objects.filter(user=lurah).count() == 2


def test_the_remind_task_is_the_same_idempotent_run(personas):
    from timpora.coordination.tasks import remind_overdue

    problem = f.problem(f.KEL_BANTEN)
    f.follow_up(problem, due=today_in_jakarta() - timedelta(days=5), owner_user=personas.officer)
    assert remind_overdue.call()["reminded"] == 1
    assert remind_overdue.call()["reminded"] == 0
    assert Notification.objects.filter(user=personas.officer).count() == 1


def test_an_agency_owned_follow_up_reminds_its_users(personas):
    problem = f.problem(f.KEL_BANTEN)
    f.follow_up(
        problem, due=today_in_jakarta() - timedelta(days=1), owner_agency=personas.officer.agency
    )
    run = actions.send_overdue_reminders()
    # Everyone of the office who can open the problem; the auditor (no coordination
    # rights, same agency) is not.
    office = set(personas.officer.agency.users.values_list("username", flat=True))
    assert "auditor" in office
    expected = office - {"auditor"}
    assert run.notifications == len(expected) >= 3
    assert set(Notification.objects.values_list("user__username", flat=True)) == expected


def test_the_invitation_letter_is_an_official_pdf(personas, pdf_text):
    team = f.team(f.KOTA_SERANG)
    f.member(team, "Dr. Hendra Gunawan", role=TeamRole.CHAIR, agency_name="Kanim Uji")
    f.member(team, "Kompol Arif Rahman", agency_name="Polresta Uji")
    meeting = f.meeting(
        team,
        day=date(2026, 11, 12),
        title="Rapat Koordinasi Tim PORA Kota Serang",
        letter_number="W11.IMI.IMI.1-UM.01.01-1234",
    )

    response = personas.client("officer").get(
        reverse("coordination:meeting_invitation", args=[meeting.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())

    for expected in (
        "KANTOR IMIGRASI KELAS I NON TPI SERANG",
        "Nomor : W11.IMI.IMI.1-UM.01.01-1234",
        "Sifat : Biasa",
        "Lampiran : -",
        "Perihal : Undangan Rapat Koordinasi Tim PORA",
        "Hari/tanggal : Kamis, 12 November 2026",
        "Waktu : 09.00 s.d. 12.00 WIB",
        "Tempat : Aula Kantor Imigrasi Kelas I Non TPI Serang",
        "1. Paparan situasi orang asing",
        "2. Evaluasi pelaporan penginapan",
        "Kompol Arif Rahman",
        "Ketua Tim Pengawasan Orang Asing Kota Serang",
        "Dr. Hendra Gunawan",
    ):
        assert expected in text, expected


def test_a_long_invitation_list_goes_to_an_attachment(pdf_text):
    team = f.team(f.KOTA_SERANG)
    for n in range(documents.INLINE_INVITEES + 2):
        f.member(team, f"Anggota Nomor {n}", agency_name=f"Instansi {n}")
    meeting = f.meeting(team, day=date(2026, 11, 12))
    text = " ".join(pdf_text(documents.invitation_pdf(meeting)).split())
    assert "Lampiran : 1 (satu) berkas" in text
    assert "(daftar terlampir)" in text
    assert "DAFTAR UNDANGAN" in text and "Anggota Nomor 7" in text


def test_an_invited_agency_sends_a_delegate_who_checks_in(personas):
    team = f.team(f.KEL_BANTEN)
    meeting = f.meeting(team, agencies=[personas.police_taktakan.agency])
    # Taktakan's police cannot see Banten's meetings, but they were invited.
    assert meeting not in queries.meetings_for(personas.police_taktakan)
    client = personas.client("police_taktakan")
    url = reverse("coordination:meeting_check_in", args=[meeting.pk])
    assert client.get(url).status_code == 200
    client.post(url)
    client.post(url)  # a second tap keeps the first check-in
    invitee = meeting.invitees.get(agency=personas.police_taktakan.agency)
    assert invitee.attended and invitee.checked_in_by == personas.police_taktakan
    assert invitee.attendee_name == (
        personas.police_taktakan.get_full_name() or personas.police_taktakan.username
    )
    with pytest.raises(PermissionDenied):
        actions.check_in(meeting, user=personas.police_kasemen)


def test_meeting_files_are_private_and_scoped(personas, private_storage):
    team = f.team(f.KEL_BANTEN)
    meeting = f.meeting(team)
    client = personas.client("police_kasemen")
    response = client.post(
        reverse("coordination:attachment_add", args=[meeting.pk]),
        {
            "title": "Daftar hadir bertanda tangan",
            "file": SimpleUploadedFile("hadir.pdf", b"%PDF-1.4 daftar hadir"),
        },
    )
    assert response.status_code == 302
    attachment = meeting.attachments.get()
    url = reverse("coordination:attachment_download", args=[meeting.pk, attachment.pk])
    download = personas.client("lurah_banten").get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 daftar hadir"
    assert personas.client("police_taktakan").get(url).status_code == 404
    rejected = client.post(
        reverse("coordination:attachment_add", args=[meeting.pk]),
        {"title": "x", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert rejected.status_code == 200 and meeting.attachments.count() == 1


def test_minutes_wait_for_the_meeting_to_start():
    team = f.team(f.KEL_BANTEN)
    meeting = f.meeting(team, day=today_in_jakarta() + timedelta(days=7))
    with pytest.raises(actions.ValidationError):
        actions.record_minutes(meeting, minutes="Belum terjadi", decisions=[], actor=None)


def test_the_calendar_shows_the_months_meetings_and_joint_operations(personas):
    today = today_in_jakarta()
    team = f.team(f.KEL_BANTEN)
    f.meeting(team, day=today.replace(day=1), title="Rapat Awal Bulan")
    f.meeting(f.team(f.KEL_TAKTAKAN), day=today.replace(day=2), title="Rapat Taktakan")
    operation_name = "Operasi Gabungan Pesisir"
    operation_model = queries.operations_model()
    if operation_model is not None:
        operation = operation_model.objects.create(
            name=operation_name,
            order_number="SPRIN/1/2026",
            order_date=today.replace(day=1),
            starts_on=today.replace(day=1),
            ends_on=today.replace(day=3),
            created_by=personas.officer,
        )
        assert operation in queries.operations_for(
            personas.officer, today.replace(day=1), today.replace(day=28)
        )

    page = personas.client("officer").get(
        reverse("coordination:meeting_calendar") + f"?month={today:%Y-%m}"
    )
    html = page.content.decode()
    assert "Rapat Awal Bulan" in html and "Rapat Taktakan" in html
    assert "09.00" in html
    if apps.is_installed("timpora.operations"):
        assert html.count(operation_name) == 3  # one line per day of the operation
    lurah_html = personas.client("lurah_banten").get(reverse("coordination:meeting_calendar"))
    assert "Rapat Taktakan" not in lurah_html.content.decode()


def test_a_police_member_cannot_record_a_problem_outside_their_area(personas):
    from timpora.areas.models import Area

    with pytest.raises(PermissionDenied):
        actions.raise_problem(
            actions.ProblemInput(
                title="Di luar wilayah",
                category=ProblemCategory.OTHER,
                area=Area.objects.get(code=f.KEL_TAKTAKAN),
            ),
            actor=personas.police_kasemen,
        )
    problem = f.problem(f.KEL_BANTEN)
    assert problem.team is None  # no Banten team yet: the problem stands alone
    assert problem in queries.problems_for(personas.lurah_banten)
    assert problem not in queries.problems_for(personas.police_taktakan)
