"""Forms of the field pages: an officer's finding, the public tip and the tip's handling.

They only parse. ``FindingForm`` becomes an ``actions.FindingInput``; its field names are
the input's, so the action's ``ValidationError`` keys land on the right fields
(``core.forms.apply_action_errors``). ``TipForm`` carries the public form's spam
resistance: a honeypot field and a signed start time (no third-party service).
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from timpora.areas.choices import AreaLevel
from timpora.intake.actions import FINDING_PHOTO_MAX_BYTES, FindingInput
from timpora.intake.choices import TipStatus
from timpora.intake.queries import registration_villages
from timpora.registry.choices import Sex
from timpora.registry.forms import area_choices

BLANK = [("", "—")]

# --------------------------------------------------------------------------- field finding


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input; the action checks each one's type and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _coordinate_widget(name: str) -> forms.NumberInput:
    return forms.NumberInput(
        attrs={"step": "any", "inputmode": "decimal", "data-gps": name, "autocomplete": "off"}
    )


class FindingForm(forms.Form):
    """A person met in the field. Phone first: one column, identity from the passport's MRZ
    when there is one, the place from the phone's GPS when it has a fix."""

    mrz = forms.CharField(
        label=_("Passport MRZ (the two lines at the bottom of the photo page)"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "class": "mrz",
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
        help_text=_("Paste or type it; it fills the identity fields left empty."),
    )
    surname = forms.CharField(label=_("Surname"), required=False, max_length=100)
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=150)
    full_name = forms.CharField(
        label=_("Full name"),
        required=False,
        max_length=250,
        help_text=_("Only when surname and given names cannot be told apart."),
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=BLANK + list(Sex.choices))
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=_date_widget())
    nationality = forms.CharField(
        label=_("Nationality"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"list": "nationality-list", "autocomplete": "off"}),
        help_text=_("A code (DEU) or a name (Germany, Jerman)."),
    )
    passport_number = forms.CharField(
        label=_("Passport number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
        help_text=_("Empty when the person showed no passport."),
    )
    passport_expiry = forms.DateField(
        label=_("Passport expiry"), required=False, widget=_date_widget()
    )
    area_code = forms.ChoiceField(label=_("Kelurahan / desa"), required=False, choices=BLANK)
    lon = forms.FloatField(label=_("Longitude"), required=False, widget=_coordinate_widget("lon"))
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=_coordinate_widget("lat"))
    location_note = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=300,
        help_text=_("Street, building, business name: what helps find the place again."),
    )
    observation = forms.CharField(
        label=_("What was observed"), widget=forms.Textarea(attrs={"rows": 4})
    )
    working = forms.BooleanField(label=_("Seen working"), required=False)
    found_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("Empty: now."),
    )
    photos = MultipleImageField(label=_("Photos"), required=False)

    IDENTITY = (
        "surname",
        "given_names",
        "full_name",
        "sex",
        "birth_date",
        "nationality",
        "passport_number",
        "passport_expiry",
    )
    OBSERVED = ("observation", "working", "found_at", "photos")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Only the kelurahan/desa inside the user's scope: a finding is recorded where the
        # officer works (the action checks it again).
        self.fields["area_code"].choices = BLANK + area_choices(
            user, levels=(AreaLevel.KELURAHAN, AreaLevel.DESA)
        )
        if not self.is_bound:
            self.initial.setdefault("found_at", timezone.localtime().replace(second=0))
        # Placeholders are filled here, at request time, so the text is translated into
        # the language of the request.
        self.fields["photos"].help_text = _(
            "JPEG, PNG or WebP, up to %(mb)s MB each. If the form comes back with errors, "
            "choose the photos again."
        ) % {"mb": FINDING_PHOTO_MAX_BYTES // (1024 * 1024)}

    def section(self, names: tuple[str, ...]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    def finding_input(self) -> FindingInput:
        data = self.cleaned_data
        found_at = data.get("found_at")
        return FindingInput(
            observation=data.get("observation") or "",
            surname=data.get("surname") or "",
            given_names=data.get("given_names") or "",
            full_name=data.get("full_name") or "",
            sex=data.get("sex") or "",
            birth_date=data.get("birth_date"),
            nationality=data.get("nationality") or "",
            passport_number=data.get("passport_number") or "",
            passport_expiry=data.get("passport_expiry"),
            mrz=data.get("mrz") or "",
            area_code=data.get("area_code") or "",
            lon=data.get("lon"),
            lat=data.get("lat"),
            location_note=data.get("location_note") or "",
            working=bool(data.get("working")),
            found_at=found_at,
        )


# ------------------------------------------------------------------------------ public tip

TIP_DESCRIPTION_MIN = 20
TIP_DESCRIPTION_MAX = 2000
# A person reads the page and types a description: faster than this is a script.
TIP_MIN_FILL_SECONDS = 3
# A form left open longer than this is stale; the tipster sends it again.
TIP_FORM_MAX_AGE = 6 * 60 * 60
_TIP_SALT = "timpora.intake.tip-form"
HONEYPOT_FIELD = "website"


def tip_form_token(now: float | None = None) -> str:
    """A signed start time: the server can tell how long the form was open, and a client
    cannot fake it without the secret key."""
    return signing.dumps({"t": now if now is not None else time.time()}, salt=_TIP_SALT)


class TipForm(forms.Form):
    """The public tip (*pengaduan masyarakat*): where and what, nothing about the tipster."""

    area_code = forms.ChoiceField(label=_("Kelurahan / desa"), choices=BLANK)
    description = forms.CharField(
        label=_("What did you see?"),
        min_length=TIP_DESCRIPTION_MIN,
        max_length=TIP_DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # The honeypot: hidden by CSS, so people leave it empty and form-filling robots do not.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, now: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        # Kelurahan/desa grouped by kecamatan, so the long list stays usable on a phone.
        self.fields["area_code"].choices = BLANK + registration_villages()
        self.fields["description"].help_text = _(
            "Where, when and what, in %(min)s to %(max)s characters. Do not write your own "
            "name or number: tips are anonymous."
        ) % {"min": TIP_DESCRIPTION_MIN, "max": TIP_DESCRIPTION_MAX}
        self.initial["started"] = tip_form_token(now)

    def is_bot(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def clean_started(self) -> str:
        token = self.cleaned_data.get("started") or ""
        try:
            payload = signing.loads(token, salt=_TIP_SALT, max_age=TIP_FORM_MAX_AGE)
            started = float(payload["t"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise ValidationError(
                _("This form has expired. Please check your tip and send it again."),
                code="expired",
            ) from None
        now = self.now if self.now is not None else time.time()
        if now - started > TIP_FORM_MAX_AGE:
            raise ValidationError(
                _("This form has expired. Please check your tip and send it again."),
                code="expired",
            )
        if now - started < TIP_MIN_FILL_SECONDS:
            raise ValidationError(
                _("That was very fast. Please check your tip and send it again."),
                code="too_fast",
            )
        return token

    def restart_clock(self) -> None:
        """Give the form shown again (after an error) a new start time; its errors, already
        computed, are kept."""
        self.data = self.data.copy()
        self.data["started"] = tip_form_token(self.now)


class TipStatusForm(forms.Form):
    tracking_code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class TipUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TipStatus.choices)
    public_note = forms.CharField(
        label=_("Note for the tipster"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Shown on the public status page. Never write names, passport numbers or "
            "other personal data here."
        ),
    )
