"""Forms for login, second factor and user administration."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from timpora.accounts.models import Agency, User
from timpora.areas.models import Area


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TotpForm(forms.Form):
    code = forms.RegexField(
        label=_("Authentication code"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("Enter the 6-digit code.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class UserForm(forms.Form):
    """Create or edit a user; the scope is picked by area code."""

    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[a-z0-9_.-]{3,150}$",
        error_messages={"invalid": _("Use 3 or more lower-case letters, digits, '.', '_' or '-'.")},
    )
    first_name = forms.CharField(label=_("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.all())
    role = forms.ChoiceField(label=_("Role"), choices=User._meta.get_field("role").choices)
    scope_code = forms.CharField(
        label=_("Region scope (area code)"),
        required=False,
        help_text=_("Empty: the office's whole working area. Example: 36.73.02 for Kasemen."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    password = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, editing: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is not None:
            self.fields["username"].disabled = True

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if self.editing is None and User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean_scope_code(self) -> Area | None:
        code = self.cleaned_data["scope_code"].strip()
        if not code:
            return None
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise forms.ValidationError(_("No area has the code %(code)s."), params={"code": code})
        return area

    def clean(self):
        data = super().clean()
        if self.editing is None and not data.get("password"):
            self.add_error("password", _("A new user needs a password."))
        if data.get("password"):
            from django.contrib.auth.password_validation import validate_password

            try:
                validate_password(data["password"])
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data
