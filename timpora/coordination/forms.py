"""Forms of the coordination pages. They only parse: the rules live in ``actions``; the
choices offered (areas, teams, decrees) come from the user's scope."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils.translation import gettext_lazy as _

from timpora.accounts.choices import AgencyType, Role
from timpora.accounts.models import Agency, User
from timpora.areas.choices import AreaLevel
from timpora.coordination import queries
from timpora.coordination.actions import MeetingInput, MemberInput
from timpora.coordination.choices import (
    EvaluationLevel,
    FollowUpStatus,
    LetterNature,
    ProblemCategory,
    TeamRole,
)
from timpora.coordination.models import Decree, Meeting, Solution, Team
from timpora.registry.forms import BLANK, area_choices
from timpora.registry.status import JAKARTA, today_in_jakarta

TEAM_AREA_LEVELS = (
    AreaLevel.PROVINSI,
    AreaLevel.KOTA,
    AreaLevel.KABUPATEN,
    AreaLevel.KECAMATAN,
    AreaLevel.KELURAHAN,
    AreaLevel.DESA,
)
PROBLEM_AREA_LEVELS = TEAM_AREA_LEVELS


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _agencies():
    """Member agencies (reporting premises are not team members)."""
    return Agency.objects.exclude(agency_type=AgencyType.ACCOMMODATION).order_by("name")


def _users():
    return (
        User.objects.filter(is_active=True)
        .exclude(role=Role.REPORTER)
        .select_related("agency")
        .order_by("first_name", "last_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.username}{', ' + str(obj.agency) if obj.agency_id else ''})"


# ----------------------------------------------------------------------------- teams


class TeamForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"))
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Empty: “Tim PORA” and the area's name."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        taken = set(Team.objects.values_list("area__code", flat=True))
        self.fields["area"].choices = BLANK + [
            (code, label)
            for code, label in area_choices(user, levels=TEAM_AREA_LEVELS)
            if code not in taken
        ]


class DecreeForm(forms.Form):
    number = forms.CharField(label=_("Decree number"), max_length=100)
    issued_on = forms.DateField(label=_("Date"), widget=_date_widget())
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=200,
        help_text=_("E.g. Kepala Kantor Imigrasi Kelas I Non TPI Serang."),
    )
    title = forms.CharField(label=_("About"), max_length=300, required=False)
    term_start = forms.DateField(label=_("Term from"), required=False, widget=_date_widget())
    term_end = forms.DateField(label=_("Term until"), required=False, widget=_date_widget())
    document = forms.FileField(
        label=_("Scanned document"),
        required=False,
        help_text=_("PDF or image; kept in private storage."),
    )
    replaces_current = forms.BooleanField(
        label=_("Replaces the team's current decree"), required=False, initial=True
    )
    end_current_members = forms.BooleanField(
        label=_("End the current members on the decree's date"),
        required=False,
        help_text=_("Then add the members the new decree names."),
    )


class MemberForm(forms.Form):
    person_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("Empty: the linked user's name."),
    )
    role = forms.ChoiceField(label=_("Role in the team"), choices=TeamRole.choices)
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    user = UserChoiceField(
        label=_("Timpora user"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Links the seat to a login: check-in, reminders."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    term_start = forms.DateField(label=_("Member from"), widget=_date_widget())
    term_end = forms.DateField(label=_("Term until"), required=False, widget=_date_widget())
    decree = forms.ModelChoiceField(
        label=_("Appointed by decree"), queryset=Decree.objects.none(), required=False
    )

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["agency"].queryset = _agencies()
        self.fields["user"].queryset = _users()
        self.fields["decree"].queryset = team.decrees.all()
        self.fields["term_start"].initial = today_in_jakarta()
        decree = queries.current_decree(team)
        if decree is not None:
            self.fields["decree"].initial = decree.pk
            self.fields["term_end"].initial = decree.term_end

    def clean(self):
        data = super().clean()
        if not data.get("person_name") and not data.get("user"):
            self.add_error("person_name", _("Give the member's name or link a user."))
        return data

    def to_input(self) -> MemberInput:
        d = self.cleaned_data
        return MemberInput(
            person_name=d.get("person_name") or "",
            role=d["role"],
            agency=d.get("agency"),
            user=d.get("user"),
            position=d.get("position") or "",
            phone=d.get("phone") or "",
            email=d.get("email") or "",
            term_start=d.get("term_start"),
            term_end=d.get("term_end"),
            decree=d.get("decree"),
        )


class EndMemberForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Ends on"),
        widget=_date_widget(),
        help_text=_("From this day the person no longer serves."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = today_in_jakarta()


class ReplaceMemberForm(MemberForm):
    """End a seat and seat the successor from the same day."""

    ended_on = forms.DateField(label=_("Change on"), widget=_date_widget())
    reason = forms.CharField(label=_("Reason"), max_length=300)
    field_order = ["ended_on", "reason", "person_name", "role", "agency", "position", "user"]

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, team=membership.team, **kwargs)
        del self.fields["term_start"]
        self.fields["ended_on"].initial = today_in_jakarta()
        self.fields["role"].initial = membership.role
        self.fields["agency"].initial = membership.agency_id
        self.fields["position"].initial = membership.position
        self.fields["term_end"].initial = membership.term_end


# --------------------------------------------------------------------------- meetings


class MeetingForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Date"), widget=_date_widget())
    start_time = forms.TimeField(
        label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Empty: until finished."),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line."),
    )
    invite_members = forms.BooleanField(
        label=_("Invite the team's current members"), required=False, initial=True
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Also invite agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    letter_number = forms.CharField(
        label=_("Letter number (Nomor)"), max_length=100, required=False
    )
    letter_nature = forms.ChoiceField(
        label=_("Nature (Sifat)"), choices=LetterNature.choices, initial=LetterNature.ORDINARY
    )
    letter_attachment = forms.CharField(
        label=_("Attachment (Lampiran)"), max_length=100, required=False
    )
    letter_subject = forms.CharField(
        label=_("Subject (Perihal)"),
        max_length=200,
        initial="Undangan Rapat Koordinasi Tim PORA",
    )
    letter_date = forms.DateField(label=_("Letter date"), required=False, widget=_date_widget())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = queries.teams_for(user)
        manageable = [
            t.pk
            for t in teams
            if queries.may_manage(user, "meeting.manage", t.area.code)
            or queries.is_team_officer(user, t)
        ]
        self.fields["team"].queryset = Team.objects.filter(pk__in=manageable).select_related("area")
        self.fields["agencies"].queryset = _agencies()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The meeting ends before it starts."))
        return data

    def to_input(self) -> MeetingInput:
        d = self.cleaned_data

        def at(t: time | None) -> datetime | None:
            return datetime.combine(d["day"], t, tzinfo=JAKARTA) if t else None

        return MeetingInput(
            title=d["title"],
            starts_at=at(d["start_time"]),
            ends_at=at(d.get("end_time")),
            place=d["place"],
            agenda=d["agenda"].splitlines(),
            invite_members=d.get("invite_members", False),
            agencies=list(d.get("agencies") or []),
            letter_number=d.get("letter_number") or "",
            letter_nature=d["letter_nature"],
            letter_attachment=d.get("letter_attachment") or "",
            letter_subject=d.get("letter_subject") or "",
            letter_date=d.get("letter_date"),
        )


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}))
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One decision per line; they are numbered after those already recorded."),
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"), help_text=_("PDF, image or office document."))


# --------------------------------------------------------------------------- problems


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=ProblemCategory.choices)
    area = forms.ChoiceField(label=_("Area"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies responsible"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    raised_at = forms.ModelChoiceField(
        label=_("Raised at meeting"), queryset=Meeting.objects.none(), required=False
    )
    opened_on = forms.DateField(label=_("Raised on"), widget=_date_widget())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = BLANK + area_choices(user, levels=PROBLEM_AREA_LEVELS)
        self.fields["agencies"].queryset = _agencies()
        self.fields["raised_at"].queryset = queries.meetings_for(user).order_by("-starts_at")
        self.fields["opened_on"].initial = today_in_jakarta()


class SolutionForm(forms.Form):
    text = forms.CharField(label=_("Agreed solution"), widget=forms.Textarea(attrs={"rows": 3}))
    agreed_on = forms.DateField(label=_("Agreed on"), widget=_date_widget())
    meeting = forms.ModelChoiceField(
        label=_("Agreed at meeting"), queryset=Meeting.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = queries.meetings_for(user)
        self.fields["agreed_on"].initial = today_in_jakarta()


class FollowUpForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner_agency = forms.ModelChoiceField(
        label=_("Owner agency"), queryset=Agency.objects.none(), required=False
    )
    owner_user = UserChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due_date = forms.DateField(label=_("Due"), widget=_date_widget())
    solution = forms.ModelChoiceField(
        label=_("For solution"), queryset=Solution.objects.none(), required=False
    )

    def __init__(self, *args, problem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = _agencies()
        self.fields["owner_user"].queryset = _users()
        self.fields["solution"].queryset = problem.solutions.all()

    def clean(self):
        data = super().clean()
        if not data.get("owner_agency") and not data.get("owner_user"):
            self.add_error("owner_agency", _("Choose an owner: an agency, a user or both."))
        return data


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    note = forms.CharField(label=_("Progress note"), max_length=300, required=False)


class CloseProblemForm(forms.Form):
    note = forms.CharField(label=_("How it was solved"), max_length=300)


# -------------------------------------------------------------------------- evaluation


class EvaluationForm(forms.Form):
    """Which period and area to evaluate; every field has a default."""

    level = forms.ChoiceField(label=_("Period"), choices=EvaluationLevel.choices, required=False)
    period = forms.CharField(
        label=_("Which"),
        required=False,
        max_length=10,
        help_text=_("2026-11 (month), 2026-Q4 (quarter) or 2026 (year)."),
    )
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (
            AreaLevel.KOTA,
            AreaLevel.KABUPATEN,
            AreaLevel.KECAMATAN,
            AreaLevel.KELURAHAN,
            AreaLevel.DESA,
        )
        self.fields["area"].choices = [
            ("", _("My whole scope")),
            *area_choices(user, levels=levels),
        ]
