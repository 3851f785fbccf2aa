"""Forms of the operations pages: they parse and offer choices in the user's scope; the rules
are in ``actions``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from timpora.accounts.choices import AgencyType, Role
from timpora.accounts.models import User
from timpora.operations import actions, queries
from timpora.operations.choices import ActionType, ViolationType
from timpora.operations.models import AdministrativeAction, Case, JointOperation


def _date(label, *, required: bool = True) -> forms.DateField:
    """A date with the browser's picker (ISO format, or a bound value shows empty)."""
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} — {obj.agency or '—'}"


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} — {obj.agency or '—'}"


def team_candidates():
    """Users who may join a team: active, of a member agency, not reporters or auditors."""
    return (
        User.objects.filter(is_active=True, agency__isnull=False)
        .exclude(role__in=[Role.REPORTER, Role.AUDITOR])
        .exclude(agency__agency_type=AgencyType.ACCOMMODATION)
        .select_related("agency")
        .order_by("agency__name", "first_name", "username")
    )


def immigration_users():
    return team_candidates().filter(agency__agency_type=AgencyType.IMMIGRATION)


class OperationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    order_number = forms.CharField(label=_("Order number (surat perintah)"), max_length=100)
    order_date = _date(_("Order date"))
    starts_on = _date(_("From"))
    ends_on = _date(_("Until"))
    area_codes = forms.MultipleChoiceField(
        label=_("Target areas"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12, "data-area-select": "1"}),
        help_text=_("Pick on the map, or here (Ctrl/Cmd-click for several)."),
    )
    briefing_notes = forms.CharField(
        label=_("Briefing notes"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["area_codes"].choices = queries.target_area_choices(user)

    @classmethod
    def initial_for(cls, operation: JointOperation) -> dict:
        return {
            "name": operation.name,
            "order_number": operation.order_number,
            "order_date": operation.order_date,
            "starts_on": operation.starts_on,
            "ends_on": operation.ends_on,
            "briefing_notes": operation.briefing_notes,
            "area_codes": list(operation.target_areas.values_list("code", flat=True)),
        }

    def operation_input(self, operation: JointOperation | None = None) -> actions.OperationInput:
        data = self.cleaned_data
        keep = {}
        if operation is not None:
            # The targets page keeps persons, premises and alerts; this form the plan.
            keep = {
                "premises_ids": list(operation.target_premises.values_list("pk", flat=True)),
                "person_ids": list(operation.target_persons.values_list("pk", flat=True)),
                "alert_ids": list(
                    operation.target_alerts.filter(is_open=True).values_list("pk", flat=True)
                ),
            }
        return actions.OperationInput(
            name=data["name"],
            order_number=data["order_number"],
            order_date=data["order_date"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            briefing_notes=data["briefing_notes"],
            area_codes=list(data["area_codes"]),
            **keep,
        )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=100)
    leader = UserChoiceField(label=_("Leader"), queryset=User.objects.none())
    members = UsersChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Officers of several agencies: immigration, police, military, Pemda …"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = team_candidates()
        self.fields["members"].queryset = team_candidates()


class CaseForm(forms.Form):
    violations = forms.MultipleChoiceField(
        label=_("Violations"),
        choices=ViolationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    @classmethod
    def initial_for(cls, case: Case) -> dict:
        return {"violations": case.violations, "summary": case.summary}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ExaminationForm(forms.Form):
    examined_on = _date(_("Date"))
    examiner = UserChoiceField(label=_("Examiner"), queryset=User.objects.none())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    interpreter = forms.CharField(label=_("Interpreter"), max_length=150, required=False)
    statement = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 8}))
    evidence = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF or images; stored privately."),
    )
    evidence_description = forms.CharField(
        label=_("Description of the evidence"), max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["examiner"].queryset = immigration_users()


class ReviewForm(forms.Form):
    held_on = _date(_("Date"))
    chair = UserChoiceField(label=_("Chair"), queryset=User.objects.none())
    participants = UsersChoiceField(
        label=_("Participants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    other_participants = forms.CharField(
        label=_("Other participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("People without a Timpora account, one per line."),
    )
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = team_candidates().filter(role=Role.HEAD_OF_OFFICE)
        self.fields["participants"].queryset = team_candidates()


class ActionForm(forms.Form):
    review = forms.ModelChoiceField(label=_("Decided in the case review of"), queryset=None)
    action_type = forms.ChoiceField(label=_("Action"), choices=ActionType.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    decision_date = _date(_("Decision date"), required=False)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        required=False,
        help_text=_("Empty: the article of the action (UU 6/2011 Art. 75(2), 78, 83)."),
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the place, the list and its duration, the permit change."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = case.reviews.all()
        self.fields["review"].label_from_instance = lambda r: f"{r.held_on} — {r.chair}"

    @classmethod
    def initial_for(cls, action: AdministrativeAction) -> dict:
        return {
            "review": action.review_id,
            "action_type": action.action_type,
            "decision_number": action.decision_number,
            "decision_date": action.decision_date,
            "legal_basis": action.legal_basis,
            "details": action.details,
        }


class FollowUpForm(forms.Form):
    paid_on = _date(_("Paid on"), required=False)
    deported_on = _date(_("Deported on"), required=False)
    flight = forms.CharField(label=_("Flight"), max_length=40, required=False)
    ban_until = _date(_("Ban entered until"), required=False)
    detention_place = forms.CharField(
        label=_("Detention place (Rudenim)"), max_length=200, required=False
    )
    detention_from = _date(_("Detained from"), required=False)
    detention_until = _date(_("Detained until"), required=False)
    follow_up_note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    FIELDS_BY_TYPE = {
        ActionType.FEE: ("paid_on",),
        ActionType.DEPORTATION: ("deported_on", "flight"),
        ActionType.BAN_LIST: ("ban_until",),
        ActionType.DETENTION: ("detention_place", "detention_from", "detention_until"),
    }

    @classmethod
    def initial_for(cls, action: AdministrativeAction) -> dict:
        return {name: getattr(action, name) for name in cls.base_fields}

    def follow_up_input(self) -> actions.FollowUpInput:
        return actions.FollowUpInput(**self.cleaned_data)


class StatsForm(forms.Form):
    date_from = _date(_("From"), required=False)
    date_to = _date(_("Until"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from timpora.registry.forms import area_choices

        levels = ("kota", "kabupaten", "kecamatan", "kelurahan", "desa")
        self.fields["area"].choices = [("", "—"), *area_choices(user, levels=levels)]

    def stats_filter(self) -> queries.StatsFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return queries.StatsFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            area=data.get("area") or "",
        )
