"""Forms of the alert pages: the list filter, the workflow, assignment, comments and the
rule settings. They parse and check shape only; the rules stay in ``actions``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from timpora.detection.choices import AlertStatus, Severity
from timpora.detection.engine.base import Rule
from timpora.detection.engine.rules import RULES
from timpora.detection.explain import rule_title
from timpora.detection.queries import AlertFilter


def _rule_choices() -> list[tuple[str, str]]:
    return [(code, rule_title(code)) for code in RULES]


class DateInput(forms.DateInput):
    input_type = "date"


class AlertFilterForm(forms.Form):
    """The alert list's filter (GET)."""

    rule = forms.ChoiceField(label=_("Rule"), required=False)
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", "—"), *Severity.choices]
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    area = forms.CharField(
        label=_("Area code"),
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"placeholder": "36.73.02"}),
    )
    as_of_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    as_of_to = forms.DateField(label=_("Until"), required=False, widget=DateInput)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "—"), *_rule_choices()]
        self.fields["status"].choices = [
            ("", "—"),
            ("open", _("Open")),
            ("closed", _("Closed")),
            *AlertStatus.choices,
        ]

    def to_filter(self) -> AlertFilter:
        data = self.cleaned_data
        return AlertFilter(
            rule=data.get("rule") or "",
            severity=data.get("severity") or "",
            status=data.get("status") or "",
            area=(data.get("area") or "").strip(),
            mine=bool(data.get("mine")),
            as_of_from=data.get("as_of_from"),
            as_of_to=data.get("as_of_to"),
        )


class StatusForm(forms.Form):
    """Move an alert along the workflow; the choices are the allowed next steps."""

    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when dismissing: say why the alert does not need action."),
    )

    def __init__(self, *args: Any, allowed: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(AlertStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in allowed]


class AssignForm(forms.Form):
    """Assign to an agency and/or an officer; both lists hold only those who may take it."""

    agency = forms.ModelChoiceField(label=_("Agency"), required=False, queryset=None)
    officer = forms.ModelChoiceField(label=_("Officer"), required=False, queryset=None)

    def __init__(self, *args: Any, agencies=None, officers=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = _officer_label

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("agency") and not data.get("officer"):
            raise ValidationError(_("Choose an agency, an officer, or both."))
        return data


def _officer_label(user) -> str:
    name = user.get_full_name() or user.username
    return f"{name} ({user.agency})" if user.agency_id else name


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RuleSettingForm(forms.Form):
    """On/off and one field per parameter of the rule (typed like its default)."""

    enabled = forms.BooleanField(label=_("Enabled"), required=False)

    def __init__(self, *args: Any, rule: Rule, **kwargs: Any) -> None:
        super().__init__(*args, prefix=rule.code, **kwargs)
        self.rule = rule
        for name, default in rule.defaults.items():
            self.fields[f"param_{name}"] = _param_field(name, default)

    def params(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[f"param_{name}"]
            for name in self.rule.defaults
            if self.cleaned_data.get(f"param_{name}") is not None
        }


PARAM_LABELS = {
    "fee_per_day": _("Overstay fee per day (Rp)"),
    "fee_max_days": _("Days of overstay settled by the fee"),
    "days": _("Days before expiry"),
    "window_days": _("Look back (days)"),
    "baseline_days": _("Normal level over (days)"),
    "factor": _("Times the normal level"),
    "min_present": _("Fewest foreigners present"),
    "min_places": _("Fewest different places"),
    "min_reports": _("Fewest late reports"),
    "medium_from": _("Medium severity from (reports)"),
    "margin_days": _("Report may precede the finding by (days)"),
    "present_days": _("Present within (days)"),
    "min_score": _("Lowest match score (0 to 1)"),
}


def _param_field(name: str, default: Any) -> forms.Field:
    label = PARAM_LABELS.get(name, name.replace("_", " "))
    help_text = _("Default: %(value)s") % {"value": default}
    if isinstance(default, bool):
        return forms.BooleanField(label=label, required=False, help_text=help_text)
    if isinstance(default, int):
        return forms.IntegerField(label=label, min_value=0, help_text=help_text)
    if isinstance(default, float):
        return forms.FloatField(label=label, min_value=0, help_text=help_text)
    return forms.CharField(label=label, max_length=200, help_text=help_text)
