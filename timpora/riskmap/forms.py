"""Forms of the vulnerability map: the factor an administrator keeps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from timpora.areas.choices import AreaLevel
from timpora.registry.forms import BLANK, area_choices
from timpora.riskmap.actions import MAX_FACTOR_WEIGHT
from timpora.riskmap.choices import FactorKind

FACTOR_AREA_LEVELS = (
    AreaLevel.KABUPATEN,
    AreaLevel.KOTA,
    AreaLevel.KECAMATAN,
    AreaLevel.KELURAHAN,
    AreaLevel.DESA,
)


class FactorForm(forms.Form):
    """One standing factor of an area: the areas offered are those in the user's scope."""

    area = forms.ChoiceField(label=_("Area"))
    kind = forms.ChoiceField(label=_("Kind"), choices=FactorKind.choices)
    weight = forms.IntegerField(
        label=_("Weight (points)"),
        min_value=1,
        max_value=MAX_FACTOR_WEIGHT,
        help_text=_("Points added to the risk score of the area and every area below it."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the area is vulnerable, and the source."),
    )
    confirmed = forms.BooleanField(label=_("Confirmed by the office"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = BLANK + area_choices(user, levels=FACTOR_AREA_LEVELS)
