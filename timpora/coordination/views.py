"""The coordination pages: teams and decrees, meetings (invitation, check-in, attendance,
minutes, attachments, calendar), the problem inventory and the routine evaluation.

Views parse and call: reads through ``queries`` and ``reports`` (region scope), writes
through ``actions`` (permission in the area, validation, audit). Region scope answers 404;
a missing permission 403.
"""

from __future__ import annotations

import mimetypes
import os
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from timpora.accounts.access import can, permission_required
from timpora.areas.models import Area
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.coordination import actions, documents, queries, reports
from timpora.coordination.choices import (
    EvaluationLevel,
    FollowUpStatus,
    MeetingStatus,
    ProblemCategory,
    ProblemStatus,
    TeamLevel,
)
from timpora.coordination.forms import (
    AttachmentForm,
    CloseProblemForm,
    DecreeForm,
    EndMemberForm,
    EvaluationForm,
    FollowUpForm,
    FollowUpStatusForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    ProblemForm,
    ReplaceMemberForm,
    SolutionForm,
    TeamForm,
)
from timpora.coordination.models import Team
from timpora.core.forms import apply_action_errors
from timpora.registry.status import JAKARTA, today_in_jakarta

# ---------------------------------------------------------------------------- helpers


def _form_page(request, form, *, title: str, back: str, multipart: bool = False, intro: str = ""):
    return render(
        request,
        "coordination/form.html",
        {"form": form, "title": title, "back": back, "multipart": multipart, "intro": intro},
    )


def _require_manage(request, perm: str, area_code: str) -> None:
    if not queries.may_manage(request.user, perm, area_code):
        raise PermissionDenied(perm)


def _require_run(request, meeting) -> None:
    if not queries.may_run_meeting(request.user, meeting):
        raise PermissionDenied("meeting.manage")


def _private_file(field_file, name_hint: str) -> FileResponse:
    """A file from private storage: never a public URL, never cached."""
    if not field_file:
        raise Http404("file")
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError:
        raise Http404("file") from None
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(
        handle, content_type=content_type, as_attachment=False, filename=name_hint
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -------------------------------------------------------------------------- dashboard


@permission_required("coordination.view")
def dashboard(request):
    """Where the team's work stands: overdue follow-ups first, then what comes next."""
    user = request.user
    today = today_in_jakarta()
    context = {
        "overdue": queries.with_days_overdue(queries.overdue_follow_ups(user, today)[:20], today),
        "upcoming": queries.upcoming_meetings(user, limit=8),
        "open_problems": queries.problems_for(user)
        .filter(status=ProblemStatus.OPEN)
        .order_by("-opened_on")[:8],
        "my_teams": queries.teams_for(user)
        .filter(memberships__in=user.team_memberships.filter(queries.current_q(today)))
        .distinct(),
        "today": today,
    }
    if can(user, "evaluation.view"):
        period = reports.period_containing(EvaluationLevel.MONTHLY, today)
        ev = reports.evaluate(reports.region_for(user), period, today=today)
        context["ev"] = ev
        context["charts"] = reports.evaluation_charts(ev)
    return render(request, "coordination/dashboard.html", context)


# ------------------------------------------------------------------------------ teams


@permission_required("coordination.view")
def team_list(request):
    level = request.GET.get("level", "")
    teams = queries.teams_for(request.user)
    if level in TeamLevel.values:
        teams = teams.filter(level=level)
    return render(
        request,
        "coordination/team_list.html",
        {"teams": teams.order_by("area__code"), "levels": TeamLevel.choices, "level": level},
    )


@permission_required("team.manage")
def team_create(request):
    form = TeamForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        area = Area.objects.get(code=form.cleaned_data["area"])
        try:
            team = actions.create_team(
                area=area, name=form.cleaned_data["name"], actor=request.user
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Team created. Record the decree that forms it."))
            return redirect("coordination:decree_add", pk=team.pk)
    return _form_page(request, form, title=_("New team"), back=reverse("coordination:team_list"))


@permission_required("coordination.view")
def team_detail(request, pk: int):
    team = queries.team_for(request.user, pk)
    today = today_in_jakarta()
    return render(
        request,
        "coordination/team_detail.html",
        {
            "team": team,
            "decree": queries.current_decree(team),
            "decrees": team.decrees.select_related("replaces").order_by("-issued_on", "-id"),
            "members": queries.current_members(team, today),
            "history": queries.membership_history(team),
            "meetings": team.meetings.order_by("-starts_at")[:10],
            "may_manage": queries.may_manage(request.user, "team.manage", team.area.code),
            "may_meet": queries.may_manage(request.user, "meeting.manage", team.area.code)
            or queries.is_team_officer(request.user, team),
            "today": today,
        },
    )


def _managed_team(request, pk: int) -> Team:
    team = queries.team_for(request.user, pk)
    _require_manage(request, "team.manage", team.area.code)
    return team


@permission_required("team.manage")
def decree_add(request, pk: int):
    team = _managed_team(request, pk)
    form = DecreeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.issue_decree(
                teams=[team],
                number=d["number"],
                issued_on=d["issued_on"],
                issuer=d["issuer"],
                title=d["title"],
                term_start=d["term_start"],
                term_end=d["term_end"],
                document=d.get("document"),
                replaces=queries.current_decree(team) if d["replaces_current"] else None,
                end_current_members=d["end_current_members"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Decree recorded."))
            return redirect("coordination:team_detail", pk=team.pk)
    return _form_page(
        request,
        form,
        title=_("Decree for %(team)s") % {"team": team},
        back=reverse("coordination:team_detail", args=[team.pk]),
        multipart=True,
    )


@permission_required("coordination.view")
def decree_document(request, pk: int):
    decree = queries.decree_for(request.user, pk)
    if not decree.document:
        raise Http404("document")
    record(AuditAction.VIEW, actor=request.user, obj=decree, fields={"document": True})
    suffix = os.path.splitext(decree.document.name)[1]
    return _private_file(decree.document, f"SK-{decree.pk}{suffix}")


@permission_required("team.manage")
def member_add(request, pk: int):
    team = _managed_team(request, pk)
    form = MemberForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_member(team, form.to_input(), actor=request.user)
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Member added."))
            return redirect("coordination:team_detail", pk=team.pk)
    return _form_page(
        request,
        form,
        title=_("New member of %(team)s") % {"team": team},
        back=reverse("coordination:team_detail", args=[team.pk]),
    )


def _membership(request, pk: int, member_pk: int):
    team = _managed_team(request, pk)
    membership = team.memberships.filter(pk=member_pk).first()
    if membership is None:
        raise Http404("membership")
    return team, membership


@permission_required("team.manage")
def member_end(request, pk: int, member_pk: int):
    team, membership = _membership(request, pk, member_pk)
    form = EndMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.end_membership(
                membership,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Membership ended; it stays in the history."))
            return redirect("coordination:team_detail", pk=team.pk)
    return _form_page(
        request,
        form,
        title=_("End the membership of %(name)s") % {"name": membership.person_name},
        back=reverse("coordination:team_detail", args=[team.pk]),
    )


@permission_required("team.manage")
def member_replace(request, pk: int, member_pk: int):
    team, membership = _membership(request, pk, member_pk)
    form = ReplaceMemberForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            actions.replace_member(
                membership,
                form.to_input(),
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Member replaced."))
            return redirect("coordination:team_detail", pk=team.pk)
    return _form_page(
        request,
        form,
        title=_("Replace %(name)s") % {"name": membership.person_name},
        back=reverse("coordination:team_detail", args=[team.pk]),
    )


# --------------------------------------------------------------------------- meetings


@permission_required("coordination.view")
def meeting_list(request):
    meetings = queries.meetings_for(request.user).prefetch_related("invitees")
    status = request.GET.get("status", "")
    if status in MeetingStatus.values:
        meetings = meetings.filter(status=status)
    return render(
        request,
        "coordination/meeting_list.html",
        {
            "meetings": meetings.order_by("-starts_at")[:200],
            "statuses": MeetingStatus.choices,
            "status": status,
            "may_create": can(request.user, "meeting.manage"),
        },
    )


def _month(value: str, today: date) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in value.split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


@permission_required("coordination.view")
def meeting_calendar(request):
    today = today_in_jakarta()
    year, month = _month(request.GET.get("month", ""), today)
    first = date(year, month, 1)
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return render(
        request,
        "coordination/calendar.html",
        {
            "weeks": queries.month_calendar(request.user, year, month, today=today),
            "first": first,
            "previous": f"{previous:%Y-%m}",
            "next": f"{following:%Y-%m}",
            "with_operations": queries.operations_model() is not None
            and can(request.user, "operation.view"),
        },
    )


@permission_required("meeting.manage")
def meeting_create(request):
    initial = {}
    if request.GET.get("team", "").isdigit():
        initial["team"] = int(request.GET["team"])
    form = MeetingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.schedule_meeting(
                form.cleaned_data["team"], form.to_input(), actor=request.user
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Meeting scheduled. The invitation letter is ready."))
            return redirect("coordination:meeting_detail", pk=meeting.pk)
    return _form_page(
        request, form, title=_("Schedule a meeting"), back=reverse("coordination:meeting_list")
    )


def _check_in_qr(url: str) -> str:
    """An inline SVG QR code of the check-in page, to show on the projector."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, dark="#111", light="#fff")


@permission_required("coordination.view")
def meeting_detail(request, pk: int):
    meeting = queries.meeting_for(request.user, pk)
    check_in_url = request.build_absolute_uri(
        reverse("coordination:meeting_check_in", args=[meeting.pk])
    )
    may_run = queries.may_run_meeting(request.user, meeting)
    invitees = list(meeting.invitees.all())
    return render(
        request,
        "coordination/meeting_detail.html",
        {
            "meeting": meeting,
            "invitees": invitees,
            "present": sum(1 for i in invitees if i.attended),
            "may_run": may_run,
            "own_invitation": queries.invitee_for(request.user, meeting),
            "check_in_url": check_in_url,
            "qr": _check_in_qr(check_in_url) if may_run else "",
            "problems": meeting.problems_raised.all(),
        },
    )


@permission_required("coordination.view")
def meeting_invitation(request, pk: int):
    meeting = queries.meeting_for(request.user, pk)
    pdf = documents.invitation_pdf(meeting)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="undangan-rapat-{meeting.pk}.pdf"'
    return response


@permission_required()
def meeting_check_in(request, pk: int):
    """The phone page: one big button for the invitee; invited members and delegates of
    invited agencies only (others in scope get 403, others 404)."""
    meeting, invitee = queries.meeting_for_check_in(request.user, pk)
    if invitee is None:
        raise PermissionDenied("not invited")
    if request.method == "POST":
        try:
            invitee = actions.check_in(meeting, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("You are checked in. Thank you."))
        return redirect("coordination:meeting_check_in", pk=meeting.pk)
    return render(
        request,
        "coordination/check_in.html",
        {
            "meeting": meeting,
            "invitee": invitee,
            "starts": timezone.localtime(meeting.starts_at, JAKARTA),
            "agenda": meeting.agenda_items.all(),
        },
    )


@require_POST
@permission_required("coordination.view")
def meeting_attendance(request, pk: int):
    meeting = queries.meeting_for(request.user, pk)
    _require_run(request, meeting)
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    names = {
        int(key.removeprefix("name_")): value
        for key, value in request.POST.items()
        if key.startswith("name_") and key.removeprefix("name_").isdigit()
    }
    actions.mark_attendance(meeting, present=present, attendee_names=names, actor=request.user)
    messages.success(request, _("Attendance saved."))
    return redirect("coordination:meeting_detail", pk=meeting.pk)


@permission_required("coordination.view")
def meeting_minutes(request, pk: int):
    meeting = queries.meeting_for(request.user, pk)
    _require_run(request, meeting)
    form = MinutesForm(request.POST or None, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        decisions = [
            actions.DecisionInput(text=line)
            for line in form.cleaned_data["decisions"].splitlines()
            if line.strip()
        ]
        try:
            actions.record_minutes(
                meeting,
                minutes=form.cleaned_data["minutes"],
                decisions=decisions,
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Minutes recorded."))
            return redirect("coordination:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        title=_("Minutes of %(meeting)s") % {"meeting": meeting.title},
        back=reverse("coordination:meeting_detail", args=[meeting.pk]),
    )


@permission_required("coordination.view")
def attachment_add(request, pk: int):
    meeting = queries.meeting_for(request.user, pk)
    _require_run(request, meeting)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_attachment(
                meeting,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("File attached."))
            return redirect("coordination:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        title=_("Attach a file to %(meeting)s") % {"meeting": meeting.title},
        back=reverse("coordination:meeting_detail", args=[meeting.pk]),
        multipart=True,
    )


@permission_required("coordination.view")
def attachment_download(request, pk: int, attachment_pk: int):
    attachment = queries.attachment_for(request.user, pk, attachment_pk)
    record(AuditAction.VIEW, actor=request.user, obj=attachment, fields={"file": True})
    return _private_file(attachment.file, os.path.basename(attachment.file.name))


# --------------------------------------------------------------------------- problems


@permission_required("coordination.view")
def problem_list(request):
    today = today_in_jakarta()
    problems = queries.problems_for(request.user).prefetch_related("agencies")
    category = request.GET.get("category", "")
    status = request.GET.get("status", ProblemStatus.OPEN)
    if category in ProblemCategory.values:
        problems = problems.filter(category=category)
    if status in ProblemStatus.values:
        problems = problems.filter(status=status)
    overdue_ids = set(
        queries.overdue_follow_ups(request.user, today).values_list("problem_id", flat=True)
    )
    return render(
        request,
        "coordination/problem_list.html",
        {
            "problems": problems.order_by("-opened_on", "-id")[:300],
            "categories": ProblemCategory.choices,
            "statuses": ProblemStatus.choices,
            "category": category,
            "status": status,
            "overdue_ids": overdue_ids,
            "may_create": can(request.user, "problem.manage"),
        },
    )


@permission_required("problem.manage")
def problem_create(request):
    initial = {}
    if request.GET.get("meeting", "").isdigit():
        initial["raised_at"] = int(request.GET["meeting"])
    form = ProblemForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        area = Area.objects.get(code=d["area"])
        try:
            problem = actions.raise_problem(
                actions.ProblemInput(
                    title=d["title"],
                    category=d["category"],
                    area=area,
                    description=d["description"],
                    agencies=list(d["agencies"]),
                    raised_at=d.get("raised_at"),
                    opened_on=d["opened_on"],
                ),
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Problem recorded."))
            return redirect("coordination:problem_detail", pk=problem.pk)
    return _form_page(
        request, form, title=_("Record a problem"), back=reverse("coordination:problem_list")
    )


@permission_required("coordination.view")
def problem_detail(request, pk: int):
    problem = queries.problem_for(request.user, pk)
    today = today_in_jakarta()
    follow_ups = list(
        problem.follow_ups.select_related("owner_agency", "owner_user", "solution").order_by(
            "due_date", "id"
        )
    )
    for follow_up in follow_ups:
        follow_up.overdue = follow_up.is_overdue(today)
        follow_up.may_update = queries.may_update_follow_up(request.user, follow_up)
    may_manage = queries.may_manage(request.user, "problem.manage", problem.area.code)
    return render(
        request,
        "coordination/problem_detail.html",
        {
            "problem": problem,
            "follow_ups": follow_ups,
            "may_manage": may_manage,
            "statuses": FollowUpStatus.choices,
            "close_form": CloseProblemForm() if may_manage else None,
            "today": today,
        },
    )


def _managed_problem(request, pk: int):
    problem = queries.problem_for(request.user, pk)
    _require_manage(request, "problem.manage", problem.area.code)
    return problem


@permission_required("problem.manage")
def solution_add(request, pk: int):
    problem = _managed_problem(request, pk)
    form = SolutionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.agree_solution(
                problem,
                text=form.cleaned_data["text"],
                agreed_on=form.cleaned_data["agreed_on"],
                meeting=form.cleaned_data.get("meeting"),
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Solution recorded."))
            return redirect("coordination:problem_detail", pk=problem.pk)
    return _form_page(
        request,
        form,
        title=_("Agreed solution for %(problem)s") % {"problem": problem.title},
        back=reverse("coordination:problem_detail", args=[problem.pk]),
    )


@permission_required("problem.manage")
def followup_add(request, pk: int):
    problem = _managed_problem(request, pk)
    form = FollowUpForm(request.POST or None, problem=problem)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.add_follow_up(
                problem,
                description=d["description"],
                due_date=d["due_date"],
                owner_agency=d.get("owner_agency"),
                owner_user=d.get("owner_user"),
                solution=d.get("solution"),
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Follow-up added."))
            return redirect("coordination:problem_detail", pk=problem.pk)
    return _form_page(
        request,
        form,
        title=_("Follow-up for %(problem)s") % {"problem": problem.title},
        back=reverse("coordination:problem_detail", args=[problem.pk]),
    )


@require_POST
@permission_required("coordination.view")
def followup_status(request, pk: int):
    follow_up = queries.follow_up_for(request.user, pk)
    form = FollowUpStatusForm(request.POST)
    if not queries.may_update_follow_up(request.user, follow_up):
        raise PermissionDenied("follow-up")
    if form.is_valid():
        actions.update_follow_up(
            follow_up,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
        messages.success(request, _("Follow-up updated."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect(
        reverse("coordination:problem_detail", args=[follow_up.problem_id])
        + f"#follow-up-{follow_up.pk}"
    )


@require_POST
@permission_required("problem.manage")
def problem_close(request, pk: int):
    problem = _managed_problem(request, pk)
    form = CloseProblemForm(request.POST)
    if form.is_valid():
        try:
            actions.close_problem(problem, note=form.cleaned_data["note"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Problem closed."))
    else:
        messages.error(request, _("Say how the problem was solved."))
    return redirect("coordination:problem_detail", pk=problem.pk)


@require_POST
@permission_required("problem.manage")
def problem_reopen(request, pk: int):
    problem = _managed_problem(request, pk)
    try:
        actions.reopen_problem(problem, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Problem reopened."))
    return redirect("coordination:problem_detail", pk=problem.pk)


# ------------------------------------------------------------------------- evaluation


def _evaluation(request):
    """The period and region asked for (defaults: this month, the whole scope)."""
    today = today_in_jakarta()
    level = request.GET.get("level") or EvaluationLevel.MONTHLY
    if level not in EvaluationLevel.values:
        level = EvaluationLevel.MONTHLY
    value = request.GET.get("period", "").strip()
    try:
        period = (
            reports.parse_period(value, level) if value else reports.period_containing(level, today)
        )
        problem = ""
    except reports.PeriodError:
        problem = _("Use 2026-11 (month), 2026-Q4 (quarter) or 2026 (year).")
        period = reports.period_containing(level, today)
    region = reports.region_for(request.user, request.GET.get("area", ""))
    # The form shows what is evaluated, defaults included.
    data = {"level": period.level, "period": value if problem else period.key}
    data["area"] = request.GET.get("area", "")
    form = EvaluationForm(data, user=request.user)
    form.is_valid()
    if problem:
        form.add_error("period", problem)
    return form, reports.evaluate(region, period, today=today)


@permission_required("evaluation.view")
def evaluation(request):
    form, ev = _evaluation(request)
    query = request.GET.copy()
    query["level"] = ev.period.level
    query["period"] = ev.period.key
    prev_query, next_query = query.copy(), query.copy()
    prev_query["period"] = ev.period.previous().key
    next_query["period"] = ev.period.next().key
    return render(
        request,
        "coordination/evaluation.html",
        {
            "form": form,
            "ev": ev,
            "charts": reports.evaluation_charts(ev),
            "query": query.urlencode(),
            "previous_query": prev_query.urlencode(),
            "next_query": next_query.urlencode(),
        },
    )


@permission_required("evaluation.view")
def evaluation_pdf(request):
    _form, ev = _evaluation(request)
    pdf = reports.report_pdf(ev)
    record(
        AuditAction.EXPORT,
        actor=request.user,
        object_type="coordination.evaluation",
        object_repr=f"evaluation {ev.period.key} {','.join(ev.region.prefixes)}",
        fields={"format": "pdf", "period": ev.period.key, "region": list(ev.region.prefixes)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{reports.report_filename(ev, "pdf")}"'
    return response


@permission_required("evaluation.view")
def evaluation_xlsx(request):
    _form, ev = _evaluation(request)
    record(
        AuditAction.EXPORT,
        actor=request.user,
        object_type="coordination.evaluation",
        object_repr=f"evaluation {ev.period.key} {','.join(ev.region.prefixes)}",
        fields={"format": "xlsx", "period": ev.period.key, "region": list(ev.region.prefixes)},
    )
    response = HttpResponse(
        reports.report_xlsx(ev),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{reports.report_filename(ev, "xlsx")}"'
    )
    return response
