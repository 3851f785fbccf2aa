"""Forms of the intake pages: registration, reports, filters, imports, verification.

They only parse. Report forms are named after the import columns
(``pipeline.ACCOMMODATION_COLUMNS`` / ``EMPLOYER_COLUMNS``) and hand the action the same
strings a file row would hold, so the form, the API and a file import are judged by the
same rules and the action's ``ValidationError`` keys land on the fields they name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from timpora.accounts.models import User
from timpora.intake import queries
from timpora.intake.choices import EmploymentEvent, ImportKind, PremisesKind
from timpora.intake.pipeline import (
    ACCOMMODATION_COLUMNS,
    EMPLOYER_COLUMNS,
    PERMIT_CATEGORIES,
)
from timpora.intake.queries import ReportFilter
from timpora.lib.mrz import MrzError, parse_mrz
from timpora.lib.nationality import UnknownNationality, normalize_nationality
from timpora.registry.choices import PermitCategory
from timpora.registry.forms import MRZ_FIELD_LABELS
from timpora.registry.status import today_in_jakarta

BLANK = [("", "—")]
SEX_CHOICES = [("", _("unknown")), ("M", _("male")), ("F", _("female"))]


def _date_widget() -> forms.DateInput:
    # ISO format, or a browser's date picker shows an empty field for a bound value.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime_widget() -> forms.DateTimeInput:
    # The browser sends "YYYY-MM-DDTHH:MM": the import format with a T, which it accepts.
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _text(label, *, required: bool = False, max_length: int = 100, **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs=attrs) if attrs else None,
    )


def _nationality() -> forms.CharField:
    return forms.CharField(
        label=_("Nationality"),
        max_length=60,
        widget=forms.TextInput(attrs={"list": "nationality-list", "autocomplete": "off"}),
        help_text=_("A code (DEU) or a name (Germany, Jerman)."),
    )


def village_choices() -> list:
    """Kelurahan/desa of Kota and Kabupaten Serang, grouped by kecamatan."""
    return BLANK + queries.registration_villages()


# -------------------------------------------------------------------------- registration


class PremisesRegistrationForm(forms.Form):
    """The public self-registration of a premises and its first reporter account."""

    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + list(PremisesKind.choices))
    name = forms.CharField(label=_("Name of the premises or company"), max_length=200)
    licence_number = forms.CharField(
        label=_("Licence / business ID (NIB)"),
        max_length=60,
        help_text=_("The number on the business licence; each premises registers once."),
    )
    address = forms.CharField(label=_("Address"), max_length=300)
    area_code = forms.ChoiceField(label=_("Kelurahan / desa"), choices=())
    person_in_charge = forms.CharField(label=_("Person in charge"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("For logging in once the immigration office approves the registration."),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(render_value=False), strip=False
    )
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(render_value=False), strip=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = village_choices()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not User.username_validator.regex.match(username):
            raise ValidationError(User.username_validator.message)
        return username

    def clean(self):
        data = super().clean()
        password, again = data.get("password"), data.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passwords differ."))
        elif password:
            candidate = User(
                username=data.get("username", ""),
                email=data.get("email", ""),
                first_name=data.get("person_in_charge", ""),
            )
            try:
                validate_password(password, user=candidate)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class PremisesDecisionForm(forms.Form):
    DECISIONS = [("approve", _("Approve")), ("reject", _("Reject"))]

    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting: say what is missing or wrong."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("note", "").strip():
            self.add_error("note", _("Say why the registration is rejected."))
        return data


# ------------------------------------------------------------------------------- reports

ACCOMMODATION_FIELDS = [
    c.name
    for c in ACCOMMODATION_COLUMNS
    if c.name not in ("premises_licence", "mrz_line1", "mrz_line2")
]
IDENTITY_FIELDS = [
    "surname",
    "given_names",
    "full_name",
    "sex",
    "date_of_birth",
    "place_of_birth",
    "nationality",
    "passport_number",
    "passport_expiry",
]
PERMIT_FIELDS = ["permit_category", "permit_index", "permit_number", "permit_valid_until"]
STAY_FIELDS = ["purpose", "room", "check_in", "check_out"]
CATEGORY_CHOICES = BLANK + [
    (value, label) for value, label in PermitCategory.choices if value in PERMIT_CATEGORIES
]


class ReportFieldsMixin:
    """Turns the cleaned form into the column → text mapping the actions take."""

    columns: tuple = ()

    def values(self) -> dict[str, str]:
        names = {c.name for c in self.columns}
        out = {}
        for name, value in self.cleaned_data.items():
            if name in names:
                out[name] = "" if value is None else str(value).strip()
        return out

    def bound(self, names):
        return [self[name] for name in names if name in self.fields]


class AccommodationReportForm(ReportFieldsMixin, forms.Form):
    """A guest's report. Field names are the import columns; the MRZ textarea fills the
    identity and passport fields and is sent on as ``mrz_line1``/``mrz_line2``."""

    columns = ACCOMMODATION_COLUMNS

    mrz = forms.CharField(
        label=_("Passport MRZ (the two lines of 44 characters at the bottom of the photo page)"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "class": "mrz",
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
        help_text=_("Paste or type it: it fills the identity and passport fields left empty."),
    )
    surname = _text(_("Surname"))
    given_names = _text(_("Given names"), max_length=150)
    full_name = _text(_("Full name (if there is no surname)"), max_length=250)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    date_of_birth = forms.CharField(label=_("Date of birth"), required=False, widget=_date_widget())
    place_of_birth = _text(_("Place of birth"))
    nationality = _nationality()
    passport_number = forms.CharField(label=_("Passport number"), max_length=20)
    passport_expiry = forms.CharField(
        label=_("Passport expiry"), required=False, widget=_date_widget()
    )
    permit_category = forms.ChoiceField(
        label=_("Permit category"), choices=CATEGORY_CHOICES, required=False
    )
    permit_index = _text(_("Visa/permit index"), max_length=12, placeholder="B1")
    permit_number = _text(_("Permit number"), max_length=40)
    permit_valid_until = forms.CharField(
        label=_("Permit valid until"), required=False, widget=_date_widget()
    )
    purpose = _text(_("Purpose of visit"))
    room = _text(_("Room"), max_length=20)
    check_in = forms.CharField(label=_("Check-in (WIB)"), widget=_datetime_widget())
    check_out = forms.CharField(
        label=_("Check-out (WIB)"),
        required=False,
        widget=_datetime_widget(),
        help_text=_("Leave empty while the guest stays; record it later."),
    )

    def values(self) -> dict[str, str]:
        out = super().values()
        lines = [line for line in (self.cleaned_data.get("mrz") or "").splitlines() if line]
        cleaned = ["".join(line.split()).upper() for line in lines]
        if cleaned:
            out["mrz_line1"] = cleaned[0]
            out["mrz_line2"] = cleaned[1] if len(cleaned) > 1 else ""
        return out


class CheckOutForm(forms.Form):
    check_out = forms.DateTimeField(
        label=_("Check-out (WIB)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=_datetime_widget(),
    )


class EmployerReportForm(ReportFieldsMixin, forms.Form):
    """One event of a foreign worker's employment; field names are the import columns."""

    columns = EMPLOYER_COLUMNS

    event = forms.ChoiceField(label=_("What happened"), choices=EmploymentEvent.choices)
    event_date = forms.CharField(label=_("Date"), widget=_date_widget())
    surname = _text(_("Surname"))
    given_names = _text(_("Given names"), max_length=150)
    full_name = _text(_("Full name (if there is no surname)"), max_length=250)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    date_of_birth = forms.CharField(label=_("Date of birth"), required=False, widget=_date_widget())
    nationality = _nationality()
    passport_number = forms.CharField(label=_("Passport number"), max_length=20)
    permit_category = forms.ChoiceField(
        label=_("Permit category"), choices=CATEGORY_CHOICES, required=False
    )
    permit_index = _text(_("Visa/permit index"), max_length=12, placeholder="E23")
    permit_number = _text(_("Stay permit (ITAS/KITAS) number"), max_length=40)
    permit_valid_until = forms.CharField(
        label=_("Permit valid until"), required=False, widget=_date_widget()
    )
    position = forms.CharField(label=_("Position"), max_length=150)
    work_area_code = forms.ChoiceField(
        label=_("Work location (kelurahan/desa)"),
        required=False,
        choices=(),
        help_text=_("Empty: the company's address."),
    )
    work_plan_reference = _text(_("Work plan (RPTKA) reference"), max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_area_code"].choices = village_choices()

    @staticmethod
    def initial_for(report) -> dict[str, str]:
        """The worker's identity and job from an earlier report, for the next event."""
        return {
            "surname": report.surname,
            "given_names": report.given_names,
            "full_name": "" if report.surname else report.full_name,
            "sex": report.sex if report.sex in ("M", "F") else "",
            "date_of_birth": report.birth_date.isoformat() if report.birth_date else "",
            "nationality": report.nationality,
            "passport_number": report.passport_number,
            "permit_category": report.permit_category,
            "permit_index": report.permit_index,
            "permit_number": report.permit_number,
            "permit_valid_until": (
                report.permit_valid_until.isoformat() if report.permit_valid_until else ""
            ),
            "position": report.position,
            "work_area_code": report.kelurahan_code
            if len(report.kelurahan_code.split(".")) == 4
            else "",
            "work_plan_reference": report.work_plan_reference,
            "event_date": today_in_jakarta().isoformat(),
        }


def apply_report_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put an action's errors (keyed by column name) on the fields of that name.

    ``mrz`` errors belong to the MRZ textarea; keys without a field stay form-wide and name
    the column, so nothing is silently lost.
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        target = "mrz" if key in ("mrz_line1", "mrz_line2") else key
        if target in form.fields:
            form.add_error(target, messages)
        elif key == "__all__":
            form.add_error(None, messages)
        else:
            form.add_error(None, [f"{key}: {message}" for message in messages])


# ----------------------------------------------------------------------------------- MRZ

# MRZ field → accommodation form field it fills.
MRZ_TARGETS = {
    "surname": "surname",
    "given_names": "given_names",
    "document_number": "passport_number",
    "nationality": "nationality",
    "birth_date": "date_of_birth",
    "sex": "sex",
    "expiry_date": "passport_expiry",
}


@dataclass
class MrzFill:
    """What pasting an MRZ did to the submitted data."""

    data: QueryDict
    filled: list[str] = field(default_factory=list)
    errors: dict[str, list] = field(default_factory=dict)


def _country(code: str) -> str:
    try:
        return normalize_nationality(code)
    except UnknownNationality:
        return code


def fill_from_mrz(data: QueryDict, *, today: date | None = None, require: bool = True) -> MrzFill:
    """Parse the submission's ``mrz`` text and fill the identity fields left empty.

    Errors name the failing MRZ field, on the MRZ textarea and on the form field that MRZ
    field fills (a bad document-number check digit also shows at the passport number).
    """
    result = MrzFill(data=data.copy())
    text = (data.get("mrz") or "").strip()
    if not text:
        if require:
            result.errors["mrz"] = [_("Paste the machine-readable zone first.")]
        return result
    try:
        parsed = parse_mrz(text, today=today or today_in_jakarta())
    except MrzError as exc:
        for error in exc.errors:
            label = MRZ_FIELD_LABELS.get(error.field, error.field)
            message = _("MRZ %(field)s: %(message)s") % {"field": label, "message": error.message}
            result.errors.setdefault("mrz", []).append(message)
            target = MRZ_TARGETS.get(error.field)
            if target:
                result.errors.setdefault(target, []).append(message)
        return result
    values = {
        "surname": parsed.surname,
        "given_names": parsed.given_names,
        "document_number": parsed.document_number,
        "nationality": _country(parsed.nationality),
        "birth_date": parsed.birth_date.isoformat() if parsed.birth_date else "",
        "sex": parsed.sex if parsed.sex in ("M", "F") else "",
        "expiry_date": parsed.expiry_date.isoformat() if parsed.expiry_date else "",
    }
    for mrz_field, value in values.items():
        target = MRZ_TARGETS[mrz_field]
        if value and not (result.data.get(target) or "").strip():
            result.data[target] = value
            result.filled.append(target)
    return result


def show_only_errors(form: forms.Form, errors: dict[str, list]) -> forms.Form:
    """Make a bound form display just ``errors`` (no "required" noise), e.g. after the MRZ
    filled it in for the user to check."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    for name, messages in errors.items():
        form.add_error(name if name in form.fields else None, list(messages))
    return form


# ------------------------------------------------------------------------------- filters


class ReporterFilterForm(forms.Form):
    """A reporter's own guest list: by check-in day, or only guests still staying."""

    date_from = forms.DateField(label=_("Check-in from"), required=False, widget=_date_widget())
    date_to = forms.DateField(label=_("Check-in until"), required=False, widget=_date_widget())
    staying = forms.BooleanField(label=_("Still staying"), required=False)

    def to_filter(self) -> ReportFilter:
        data = self.cleaned_data
        return ReportFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            staying=bool(data.get("staying")),
        )


class OfficeFilterForm(forms.Form):
    """The team's report list: premises, check-in days, late reports, nationality."""

    premises = forms.TypedChoiceField(
        label=_("Premises"), required=False, coerce=int, empty_value=None, choices=()
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=_date_widget())
    date_to = forms.DateField(label=_("Until"), required=False, widget=_date_widget())
    nationality = forms.CharField(
        label=_("Nationality"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"list": "nationality-list", "autocomplete": "off"}),
    )
    late = forms.BooleanField(label=_("Late reports only"), required=False)

    def __init__(self, *args, user, kind: str = "accommodation", **kwargs):
        super().__init__(*args, **kwargs)
        premises = queries.premises_in_scope(user)
        if kind == ImportKind.EMPLOYER:
            premises = premises.filter(kind=PremisesKind.COMPANY)
            del self.fields["late"]
            self.fields["event"] = forms.ChoiceField(
                label=_("Event"), required=False, choices=BLANK + list(EmploymentEvent.choices)
            )
        else:
            premises = premises.exclude(kind=PremisesKind.COMPANY)
        self.fields["premises"].choices = BLANK + list(
            premises.order_by("name").values_list("pk", "name")
        )

    def clean_nationality(self) -> str:
        value = self.cleaned_data.get("nationality", "").strip()
        if not value:
            return ""
        try:
            return normalize_nationality(value)
        except UnknownNationality:
            raise ValidationError(
                _("Not a nationality we know: %(value)s."), params={"value": value}
            ) from None

    def to_filter(self) -> ReportFilter:
        data = self.cleaned_data
        return ReportFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            late=bool(data.get("late")),
            nationality=data.get("nationality") or "",
            premises=data.get("premises"),
            event=data.get("event") or "",
        )


# ------------------------------------------------------------------------------- imports

IMPORT_SUFFIXES = (".csv", ".xlsx")


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Reports in the file"), choices=())
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ImportKind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_SUFFIXES:
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        limit = settings.TIMPORA_IMPORT_MAX_MB * 1_000_000
        if upload.size > limit:
            raise ValidationError(
                _("The file is larger than %(mb)s MB: split it into smaller files."),
                params={"mb": settings.TIMPORA_IMPORT_MAX_MB},
            )
        return upload


# -------------------------------------------------------------------------- verification


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("The 16 characters printed on the receipt (tanda terima)."),
    )
