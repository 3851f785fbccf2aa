"""The coordination app in the permission matrix (merged by the core matrix test).

Reading needs ``coordination.view`` (hotel reporters, auditors and strangers get 403); region
scope answers 404: the kelurahan Banten team, its meeting and its problem are outside
Taktakan's police, the Taktakan team outside Kasemen's police and the lurah of Banten, while
the Kota Serang team, above everyone's area, is visible to all team members. Decrees and
members need ``team.manage`` (immigration office staff); meetings and problems
``meeting.manage``/``problem.manage`` inside one's own area. Check-in is for invitees only:
the lurah of Banten is the Banten team's chair; others who can see the meeting get 403.

The matrix objects carry no files: file views answer 404 once permission and scope pass
(downloads themselves are tested in ``test_teams`` and ``test_meetings``).
"""

from __future__ import annotations

from datetime import timedelta

ANON = 302
NO_VIEW = {"hotel": 403, "auditor": 403, "stranger": 403}
VIEW = {None: ANON, **NO_VIEW, "*": 200}
STAFF = {None: ANON, "admin": 200, "analyst": 200, "officer": 200, "head": 200, "*": 403}
IN_BANTEN = {None: ANON, **NO_VIEW, "police_taktakan": 404, "*": 200}
IN_TAKTAKAN = {None: ANON, **NO_VIEW, "police_kasemen": 404, "lurah_banten": 404, "*": 200}
POSTED_IN_BANTEN = {None: ANON, **NO_VIEW, "police_taktakan": 404, "*": 302}
NO_FILE_IN_BANTEN = {None: ANON, **NO_VIEW, "police_taktakan": 404, "*": 404}

TEAM = "/coordination/teams/{coord_banten_team}/"
MEMBER = TEAM + "members/{coord_banten_member}/"
MEETING = "/coordination/meetings/{coord_banten_meeting}/"
PROBLEM = "/coordination/problems/{coord_banten_problem}/"

VIEWS: dict = {
    "coordination:dashboard": [("/coordination/", "get", VIEW)],
    "coordination:team_list": [("/coordination/teams/", "get", VIEW)],
    "coordination:team_create": [("/coordination/teams/new/", "get", STAFF)],
    "coordination:team_detail": [
        ("/coordination/teams/{coord_kota_team}/", "get", VIEW),
        (TEAM, "get", IN_BANTEN),
        ("/coordination/teams/{coord_taktakan_team}/", "get", IN_TAKTAKAN),
    ],
    "coordination:decree_add": [(TEAM + "decrees/new/", "get", STAFF)],
    "coordination:member_add": [(TEAM + "members/new/", "get", STAFF)],
    "coordination:member_end": [(MEMBER + "end/", "get", STAFF)],
    "coordination:member_replace": [(MEMBER + "replace/", "get", STAFF)],
    "coordination:decree_document": [
        ("/coordination/decrees/{coord_kota_decree}/document/", "get", {**VIEW, "*": 404})
    ],
    "coordination:meeting_list": [("/coordination/meetings/", "get", VIEW)],
    "coordination:meeting_calendar": [("/coordination/meetings/calendar/", "get", VIEW)],
    "coordination:meeting_create": [("/coordination/meetings/new/", "get", VIEW)],
    "coordination:meeting_detail": [(MEETING, "get", IN_BANTEN)],
    "coordination:meeting_invitation": [(MEETING + "invitation.pdf", "get", IN_BANTEN)],
    "coordination:meeting_check_in": [
        (
            MEETING + "check-in/",
            "get",
            {
                None: ANON,
                "lurah_banten": 200,
                "police_taktakan": 404,
                "hotel": 404,
                "auditor": 404,
                "stranger": 404,
                "*": 403,
            },
        )
    ],
    "coordination:meeting_attendance": [(MEETING + "attendance/", "post", POSTED_IN_BANTEN)],
    "coordination:meeting_minutes": [(MEETING + "minutes/", "get", IN_BANTEN)],
    "coordination:attachment_add": [(MEETING + "attachments/new/", "get", IN_BANTEN)],
    "coordination:attachment_download": [
        (MEETING + "attachments/{coord_banten_attachment}/", "get", NO_FILE_IN_BANTEN)
    ],
    "coordination:problem_list": [("/coordination/problems/?status=all", "get", VIEW)],
    "coordination:problem_create": [("/coordination/problems/new/", "get", VIEW)],
    "coordination:problem_detail": [(PROBLEM, "get", IN_BANTEN)],
    "coordination:solution_add": [(PROBLEM + "solutions/new/", "get", IN_BANTEN)],
    "coordination:followup_add": [(PROBLEM + "follow-ups/new/", "get", IN_BANTEN)],
    "coordination:problem_close": [(PROBLEM + "close/", "post", POSTED_IN_BANTEN)],
    "coordination:problem_reopen": [(PROBLEM + "reopen/", "post", POSTED_IN_BANTEN)],
    "coordination:followup_status": [
        ("/coordination/follow-ups/{coord_banten_follow_up}/status/", "post", POSTED_IN_BANTEN)
    ],
    "coordination:evaluation": [("/coordination/evaluation/?level=quarterly", "get", VIEW)],
    "coordination:evaluation_pdf": [
        ("/coordination/evaluation/report.pdf?period=2026-11", "get", VIEW)
    ],
    "coordination:evaluation_xlsx": [
        ("/coordination/evaluation/report.xlsx?period=2026&level=yearly", "get", VIEW)
    ],
}

API_VIEW = {None: 401, **NO_VIEW, "*": 200}
API_WRITE = {None: 401, **NO_VIEW, "*": 422}  # no body sent: permission passes, then 422
API_IN_BANTEN = {None: 401, **NO_VIEW, "police_taktakan": 404, "*": 200}
API_PREFIX = "/api/v1/coordination"

API: dict = {
    "GET /api/v1/coordination/teams": [(API_PREFIX + "/teams?level=kelurahan", API_VIEW)],
    "GET /api/v1/coordination/teams/{team_id}": [
        (API_PREFIX + "/teams/{coord_banten_team}", API_IN_BANTEN)
    ],
    "GET /api/v1/coordination/meetings": [(API_PREFIX + "/meetings", API_VIEW)],
    "POST /api/v1/coordination/meetings": [(API_PREFIX + "/meetings", API_WRITE)],
    "GET /api/v1/coordination/meetings/{meeting_id}": [
        (API_PREFIX + "/meetings/{coord_banten_meeting}", API_IN_BANTEN)
    ],
    "GET /api/v1/coordination/problems": [(API_PREFIX + "/problems", API_VIEW)],
    "POST /api/v1/coordination/problems": [(API_PREFIX + "/problems", API_WRITE)],
    "GET /api/v1/coordination/problems/{problem_id}": [
        (API_PREFIX + "/problems/{coord_banten_problem}", API_IN_BANTEN)
    ],
    "GET /api/v1/coordination/evaluation": [
        (API_PREFIX + "/evaluation?period=2026-11&level=monthly", API_VIEW)
    ],
}


def _objects(personas) -> dict:
    """The matrix's teams, meeting, problem and follow-up (created once per test)."""
    from timpora.coordination.choices import TeamRole
    from timpora.coordination.models import MeetingAttachment, Problem
    from timpora.coordination.tests import factories as f
    from timpora.registry.status import today_in_jakarta

    kota = f.team(f.KOTA_SERANG)
    banten = f.team(f.KEL_BANTEN)
    taktakan = f.team(f.KEL_TAKTAKAN)
    if not banten.memberships.exists():
        f.member(banten, "Siti Lurah", role=TeamRole.CHAIR, user=personas.lurah_banten)
        f.member(banten, "Bripka Uji", agency_name="Polsek Kasemen Uji")
    meeting = banten.meetings.first() or f.meeting(banten, letter_number="MATRIX")
    attachment = meeting.attachments.first() or MeetingAttachment.objects.create(
        meeting=meeting, title="Bahan paparan", file="coordination/meetings/matrix-missing.pdf"
    )
    problem = Problem.objects.filter(area=banten.area).first() or f.problem(f.KEL_BANTEN)
    follow_up = problem.follow_ups.first() or f.follow_up(
        problem, due=today_in_jakarta() - timedelta(days=2)
    )
    return {
        "kota": kota,
        "banten": banten,
        "taktakan": taktakan,
        "member": banten.memberships.order_by("id").last(),
        "meeting": meeting,
        "attachment": attachment,
        "problem": problem,
        "follow_up": follow_up,
    }


URL_VALUES = {
    "coord_kota_team": lambda p: _objects(p)["kota"].pk,
    "coord_kota_decree": lambda p: _objects(p)["kota"].decrees.first().pk,
    "coord_banten_team": lambda p: _objects(p)["banten"].pk,
    "coord_taktakan_team": lambda p: _objects(p)["taktakan"].pk,
    "coord_banten_member": lambda p: _objects(p)["member"].pk,
    "coord_banten_meeting": lambda p: _objects(p)["meeting"].pk,
    "coord_banten_attachment": lambda p: _objects(p)["attachment"].pk,
    "coord_banten_problem": lambda p: _objects(p)["problem"].pk,
    "coord_banten_follow_up": lambda p: _objects(p)["follow_up"].pk,
}
