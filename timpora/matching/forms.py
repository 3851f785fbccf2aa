"""Forms of the review queue: the list filter and the decision. They parse and check shape
only; what a decision does stays in ``actions``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from timpora.matching.choices import PairSource, PairStatus, Verdict
from timpora.matching.queries import PairFilter


class PairFilterForm(forms.Form):
    """The queue's filter (GET); without a status the pending pairs are shown."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *PairStatus.choices]
    )
    min_probability = forms.FloatField(
        label=_("Probability from"), required=False, min_value=0.0, max_value=1.0
    )
    max_probability = forms.FloatField(
        label=_("Probability up to"), required=False, min_value=0.0, max_value=1.0
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", "—"), *PairSource.choices]
    )
    area = forms.CharField(
        label=_("Area code"),
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"placeholder": "36.73.02"}),
    )

    def to_filter(self) -> PairFilter:
        data = self.cleaned_data
        return PairFilter(
            status=data.get("status") or PairStatus.PENDING,
            min_probability=data.get("min_probability"),
            max_probability=data.get("max_probability"),
            source=data.get("source") or "",
            area=(data.get("area") or "").strip(),
        )


class DecisionForm(forms.Form):
    """An analyst's answer to a pair."""

    verdict = forms.ChoiceField(label=_("Decision"), choices=Verdict.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "What settled it (e.g. the passport scan, the employer's records). Kept with the "
            "decision and in the audit trail."
        ),
    )
