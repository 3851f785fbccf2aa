"""Forms of the registry's web pages.

They only parse: a search form becomes a ``queries.PersonFilter``, an entry form becomes the
``actions`` inputs (``PersonInput``, ``DocumentInput``, ...). Business rules stay in the
actions; their ``ValidationError`` keys (``"document.number"``) are mapped back onto the form
fields (``document_number``) by ``core.forms.apply_action_errors``, which is why fields that feed an
action input carry that input's prefix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from timpora.accounts.access import scope_of
from timpora.areas.choices import AreaLevel
from timpora.areas.queries import areas_for
from timpora.lib.mrz import MrzError, parse_mrz
from timpora.lib.names import passport_key
from timpora.lib.nationality import UnknownNationality, normalize_nationality
from timpora.lib.nik import InvalidNIK, validate_nik
from timpora.registry import queries
from timpora.registry.actions import DocumentInput, PermitInput, PersonInput, StayInput
from timpora.registry.choices import (
    DatePrecision,
    DocumentType,
    PermitCategory,
    PermitStatus,
    Sex,
    SponsorKind,
    StaySource,
)
from timpora.registry.queries import SORTS, PersonFilter
from timpora.registry.status import today_in_jakarta

BLANK = [("", "—")]


def _date_widget() -> forms.DateInput:
    # ISO format, or a browser's date picker shows an empty field for a bound value.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _nationality_field(label, *, required: bool) -> forms.CharField:
    """Free text (a code such as DEU, or a name such as Jerman) with the list of nationalities
    offered as suggestions (``registry/includes/nationality_datalist.html``)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=60,
        widget=forms.TextInput(attrs={"list": "nationality-list", "autocomplete": "off"}),
        help_text=_("A code (DEU) or a name (Germany, Jerman)."),
    )


def _clean_nationality(value: str) -> str:
    if not value:
        return ""
    try:
        return normalize_nationality(value)
    except UnknownNationality:
        raise ValidationError(
            _("Not a nationality we know: %(value)s. Enter a code (DEU) or a name (Jerman)."),
            params={"value": value},
        ) from None


def area_choices(user, *, levels: Iterable[str]) -> list[tuple[str, str]]:
    """Areas inside the user's scope (not the ancestors shown for context), by code, with the
    finer levels indented under their kecamatan."""
    areas = (
        areas_for(user)
        .within(scope_of(user).prefixes)
        .filter(level__in=list(levels))
        .only("code", "name", "level")
        .order_by("code")
    )
    indent = {AreaLevel.KELURAHAN: "\u00a0\u00a0· ", AreaLevel.DESA: "\u00a0\u00a0· "}
    return [(a.code, f"{indent.get(a.level, '')}{a.name} ({a.code})") for a in areas]


SEARCH_AREA_LEVELS = (
    AreaLevel.KABUPATEN,
    AreaLevel.KOTA,
    AreaLevel.KECAMATAN,
    AreaLevel.KELURAHAN,
    AreaLevel.DESA,
)
STAY_AREA_LEVELS = (AreaLevel.KECAMATAN, AreaLevel.KELURAHAN, AreaLevel.DESA)


class RegistryForm(forms.Form):
    """Base of the registry's forms: fills the choices that depend on the user's scope."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "permit_sponsor" in self.fields:
            self.fields["permit_sponsor"].queryset = queries.sponsors_for(user).only("id", "name")
        if "permit_index" in self.fields:
            self.fields["permit_index"].queryset = queries.permit_indices()
        for name in ("stay_area_code", "work_area_code", "area_code"):
            if name in self.fields and isinstance(self.fields[name], forms.ChoiceField):
                self.fields[name].choices = BLANK + area_choices(user, levels=STAY_AREA_LEVELS)

    def bound_fields(self, names: Iterable[str]) -> list[forms.BoundField]:
        return [self[name] for name in names if name in self.fields]


# ------------------------------------------------------------------------------ search


class PersonSearchForm(RegistryForm):
    """The person list's filter; every field is optional and maps onto ``PersonFilter``."""

    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        help_text=_("Accents, case and spacing do not matter."),
    )
    passport_number = forms.CharField(label=_("Passport number"), required=False, max_length=30)
    nationality = _nationality_field(_("Nationality"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    sponsor = forms.ModelChoiceField(label=_("Sponsor"), required=False, queryset=None)
    permit_category = forms.ChoiceField(
        label=_("Permit category"), required=False, choices=BLANK + list(PermitCategory.choices)
    )
    permit_status = forms.ChoiceField(
        label=_("Permit status"),
        required=False,
        choices=[
            *BLANK,
            (PermitStatus.VALID, _("Valid")),
            (PermitStatus.EXPIRING, _("Expiring")),
            (PermitStatus.EXPIRED, _("Expired")),
            ("none", _("No permit")),
        ],
    )
    expiring_days = forms.IntegerField(
        label=_("Expiring within (days)"),
        required=False,
        min_value=0,
        max_value=3650,
        help_text=_("With the status “Expiring”."),
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["area"].choices = BLANK + area_choices(user, levels=SEARCH_AREA_LEVELS)
        self.fields["sponsor"].queryset = queries.sponsors_for(user).only("id", "name")

    def to_filter(self) -> PersonFilter:
        data = self.cleaned_data
        return PersonFilter(
            name=data.get("name") or "",
            passport_number=data.get("passport_number") or "",
            nationality=data.get("nationality") or "",
            area=data.get("area") or "",
            sponsor=data["sponsor"].pk if data.get("sponsor") else None,
            permit_category=data.get("permit_category") or "",
            permit_status=data.get("permit_status") or "",
            expiring_days=data.get("expiring_days"),
            sort=data.get("sort") or "relevance",
        )


# ------------------------------------------------------------------------- entry forms

IDENTITY_FIELDS = (
    "surname",
    "given_names",
    "full_name",
    "sex",
    "birth_date",
    "birth_date_precision",
    "place_of_birth",
    "nationality",
)
DOCUMENT_FIELDS = (
    "document_type",
    "document_number",
    "document_issuing_state",
    "document_issue_date",
    "document_expiry_date",
)
PERMIT_FIELDS = (
    "permit_index",
    "permit_category",
    "permit_number",
    "permit_issue_date",
    "permit_valid_until",
    "permit_issuing_office",
    "permit_sponsor",
    "permit_purpose",
)
STAY_FIELDS = (
    "stay_area_code",
    "stay_address",
    "stay_date_from",
    "stay_date_to",
    "stay_source",
    "stay_source_ref",
    "stay_lat",
    "stay_lon",
)


class IdentityFields(forms.Form):
    surname = forms.CharField(label=_("Surname"), required=False, max_length=100)
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=150)
    full_name = forms.CharField(
        label=_("Full name"),
        required=False,
        max_length=250,
        help_text=_("Empty: given names and surname."),
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=BLANK + list(Sex.choices))
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=_date_widget())
    birth_date_precision = forms.ChoiceField(
        label=_("Date of birth precision"),
        required=False,
        choices=list(DatePrecision.choices),
        initial=DatePrecision.DAY,
        help_text=_("Some passports carry only the year of birth."),
    )
    place_of_birth = forms.CharField(label=_("Place of birth"), required=False, max_length=100)
    nationality = _nationality_field(_("Nationality"), required=True)

    def clean_nationality(self) -> str:
        return _clean_nationality(self.cleaned_data.get("nationality", ""))

    def person_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            surname=data.get("surname") or "",
            given_names=data.get("given_names") or "",
            full_name=data.get("full_name") or "",
            sex=data.get("sex") or Sex.UNSPECIFIED,
            birth_date=data.get("birth_date"),
            birth_date_precision=data.get("birth_date_precision") or DatePrecision.DAY,
            place_of_birth=data.get("place_of_birth") or "",
            nationality=data.get("nationality") or "",
        )


class DocumentFields(forms.Form):
    document_type = forms.ChoiceField(
        label=_("Document type"), required=False, choices=list(DocumentType.choices)
    )
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=30)
    document_issuing_state = _nationality_field(_("Issuing country"), required=False)
    document_issue_date = forms.DateField(
        label=_("Issue date"), required=False, widget=_date_widget()
    )
    document_expiry_date = forms.DateField(
        label=_("Expiry date"), required=False, widget=_date_widget()
    )

    def clean_document_issuing_state(self) -> str:
        return _clean_nationality(self.cleaned_data.get("document_issuing_state", ""))

    def has_document(self) -> bool:
        return bool(self.cleaned_data.get("document_number"))

    def document_input(self, mrz: str = "") -> DocumentInput:
        data = self.cleaned_data
        return DocumentInput(
            number=data.get("document_number") or "",
            issuing_state=data.get("document_issuing_state") or data.get("nationality") or "",
            doc_type=data.get("document_type") or DocumentType.PASSPORT,
            issue_date=data.get("document_issue_date"),
            expiry_date=data.get("document_expiry_date"),
            mrz=mrz,
        )


class PermitFields(forms.Form):
    permit_index = forms.ModelChoiceField(
        label=_("Visa/permit index"),
        required=False,
        queryset=None,
        help_text=_("The category follows from the index when left empty."),
    )
    permit_category = forms.ChoiceField(
        label=_("Permit category"), required=False, choices=BLANK + list(PermitCategory.choices)
    )
    permit_number = forms.CharField(label=_("Permit number"), required=False, max_length=40)
    permit_issue_date = forms.DateField(
        label=_("Issue date"), required=False, widget=_date_widget()
    )
    permit_valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=_date_widget()
    )
    permit_issuing_office = forms.CharField(
        label=_("Issuing office"), required=False, max_length=150
    )
    permit_sponsor = forms.ModelChoiceField(label=_("Sponsor"), required=False, queryset=None)
    permit_purpose = forms.CharField(label=_("Purpose / activity"), required=False, max_length=200)

    def has_permit(self) -> bool:
        return any(self.cleaned_data.get(name) for name in PERMIT_FIELDS)

    def clean_permit(self) -> None:
        """A permit needs a category (or an index that implies it) and a valid-until date."""
        data = self.cleaned_data
        if not data.get("permit_category") and data.get("permit_index"):
            data["permit_category"] = data["permit_index"].category
        if not data.get("permit_category"):
            self.add_error(
                "permit_category", _("Choose the permit category or the visa/permit index.")
            )
        if not data.get("permit_valid_until"):
            self.add_error("permit_valid_until", _("A permit needs its valid-until date."))

    def permit_input(self) -> PermitInput:
        data = self.cleaned_data
        return PermitInput(
            category=data.get("permit_category") or "",
            valid_until=data["permit_valid_until"],
            index_code=data["permit_index"].code if data.get("permit_index") else "",
            number=data.get("permit_number") or "",
            issue_date=data.get("permit_issue_date"),
            issuing_office=data.get("permit_issuing_office") or "",
            sponsor_id=data["permit_sponsor"].pk if data.get("permit_sponsor") else None,
            purpose=data.get("permit_purpose") or "",
        )


class StayFields(forms.Form):
    stay_area_code = forms.ChoiceField(
        label=_("Kelurahan/desa"),
        required=False,
        help_text=_("Where the person lives or stays."),
    )
    stay_address = forms.CharField(label=_("Address"), required=False, max_length=300)
    stay_date_from = forms.DateField(label=_("From"), required=False, widget=_date_widget())
    stay_date_to = forms.DateField(label=_("Until"), required=False, widget=_date_widget())
    stay_source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=list(StaySource.choices),
        initial=StaySource.REGISTRY,
    )
    stay_source_ref = forms.CharField(label=_("Source reference"), required=False, max_length=60)
    stay_lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    stay_lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)

    def has_stay(self) -> bool:
        return bool(self.cleaned_data.get("stay_area_code"))

    def clean_stay(self) -> None:
        if not self.cleaned_data.get("stay_area_code"):
            self.add_error("stay_area_code", _("Choose where the person stays."))

    def stay_input(self) -> StayInput:
        data = self.cleaned_data
        return StayInput(
            area_code=data["stay_area_code"],
            date_from=data.get("stay_date_from") or today_in_jakarta(),
            date_to=data.get("stay_date_to"),
            address=data.get("stay_address") or "",
            lat=data.get("stay_lat"),
            lon=data.get("stay_lon"),
            source=data.get("stay_source") or StaySource.REGISTRY,
            source_ref=data.get("stay_source_ref") or "",
        )


class MrzFields(forms.Form):
    mrz = forms.CharField(
        label=_("Machine-readable zone (MRZ)"),
        required=False,
        max_length=200,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "spellcheck": "false",
                "autocapitalize": "characters",
                "autocomplete": "off",
                "class": "mrz",
            }
        ),
        help_text=_(
            "Paste the 2 lines of a passport (TD3) or the 3 lines of an identity card (TD1): "
            "the empty fields below are filled from it."
        ),
    )


class PersonCreateForm(
    IdentityFields, DocumentFields, PermitFields, StayFields, MrzFields, RegistryForm
):
    """A new person with, optionally, a first travel document, permit and stay."""

    form_kind = "person"

    def clean(self):
        data = super().clean()
        if self.has_permit():
            self.clean_permit()
        if any(self.cleaned_data.get(name) for name in STAY_FIELDS if name != "stay_source"):
            self.clean_stay()
        return data


class PersonEditForm(IdentityFields, RegistryForm):
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("JPEG or PNG, at most 5 MB. Kept in private storage."),
    )

    @classmethod
    def initial_for(cls, person) -> dict:
        return {name: getattr(person, name) for name in IDENTITY_FIELDS}


class DocumentForm(DocumentFields, MrzFields, RegistryForm):
    form_kind = "document"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_number"].required = True
        self.fields["document_issuing_state"].required = True


class PermitForm(PermitFields, RegistryForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permit_valid_until"].required = True

    def clean(self):
        data = super().clean()
        self.clean_permit()
        return data


class StayForm(StayFields, RegistryForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stay_area_code"].required = True
        self.fields["stay_date_from"].required = True


class ExtendPermitForm(forms.Form):
    new_valid_until = forms.DateField(label=_("Extended until"), widget=_date_widget())
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=_date_widget())
    reference = forms.CharField(label=_("Reference"), required=False, max_length=60)


class EmploymentForm(RegistryForm):
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=None)
    position = forms.CharField(label=_("Position"), max_length=150)
    work_area_code = forms.ChoiceField(label=_("Work location"), required=False)
    work_plan_reference = forms.CharField(
        label=_("Work plan (RPTKA) reference"), required=False, max_length=60
    )
    start_date = forms.DateField(label=_("Start"), required=False, widget=_date_widget())
    end_date = forms.DateField(label=_("End"), required=False, widget=_date_widget())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["employer"].queryset = (
            queries.sponsors_for(user).filter(kind=SponsorKind.COMPANY).only("id", "name")
        )


class UndoMergeForm(forms.Form):
    """Why a merge or split is taken back (kept with it in the history and the audit)."""

    reason = forms.CharField(
        label=_("Reason for the undo"),
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. different dates of birth")}),
    )


class SplitForm(forms.Form):
    """The records of a person that belong to another foreigner, and why."""

    records = forms.MultipleChoiceField(
        label=_("Records of the other person"), widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What shows that these records are someone else's (kept in the history)."),
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].choices = choices

    def record_refs(self) -> list[tuple[str, int]]:
        refs = []
        for value in self.cleaned_data["records"]:
            label, _sep, pk = value.rpartition(":")
            refs.append((label, int(pk)))
        return refs


class SponsorForm(RegistryForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=list(SponsorKind.choices))
    name = forms.CharField(label=_("Name"), max_length=200)
    nib = forms.CharField(
        label=_("Business ID (NIB)"),
        required=False,
        max_length=20,
        help_text=_("Companies: the 13-digit NIB."),
    )
    nik = forms.CharField(
        label=_("Citizen ID (NIK)"),
        required=False,
        max_length=20,
        help_text=_("Individual citizens: the 16-digit NIK."),
    )
    area_code = forms.ChoiceField(label=_("Area"), required=False)
    sector = forms.CharField(label=_("Sector"), required=False, max_length=100)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=150)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        nib = "".join((data.get("nib") or "").split())
        nik = "".join((data.get("nik") or "").split())
        if kind == SponsorKind.COMPANY:
            if not (len(nib) == 13 and nib.isdigit()):
                self.add_error("nib", _("A business ID (NIB) has exactly 13 digits."))
            nik = ""
        elif kind == SponsorKind.INDIVIDUAL:
            try:
                nik = validate_nik(nik)
            except InvalidNIK as exc:
                self.add_error(
                    "nik",
                    ValidationError(_("Not a valid NIK: %(reason)s."), params={"reason": str(exc)}),
                )
            nib = ""
        data["nib"], data["nik"] = nib, nik
        return data


class PermitIndexForm(forms.Form):
    code = forms.CharField(label=_("Index"), max_length=12)
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=list(PermitCategory.choices))
    max_stay_days = forms.IntegerField(
        label=_("Maximum stay (days)"), required=False, min_value=1, max_value=36500
    )
    allows_work = forms.BooleanField(label=_("Allows work"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if editing is not None:
            # The code is the index's identity (permits refer to it): it is not renamed here.
            self.fields["code"].disabled = True


# ----------------------------------------------------------------------- error mapping


def show_only_errors(form: forms.Form, errors: Mapping[str, list]) -> forms.Form:
    """Make a bound form display just ``errors`` (no "required" noise), e.g. after the MRZ
    filled it in for the user to check."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    for name, messages in errors.items():
        form.add_error(name if name in form.fields else None, list(messages))
    return form


# ---------------------------------------------------------------------------------- MRZ

# MRZ field → form field it fills.
MRZ_TARGETS = {
    "document_type": "document_type",
    "issuing_state": "document_issuing_state",
    "surname": "surname",
    "given_names": "given_names",
    "document_number": "document_number",
    "nationality": "nationality",
    "birth_date": "birth_date",
    "sex": "sex",
    "expiry_date": "document_expiry_date",
}
MRZ_FIELD_LABELS = {
    "lines": _("line layout"),
    "document_type": _("document type"),
    "issuing_state": _("issuing country"),
    "document_number": _("document number"),
    "nationality": _("nationality"),
    "birth_date": _("date of birth"),
    "sex": _("sex"),
    "expiry_date": _("expiry date"),
    "optional_data": _("optional data"),
    "composite": _("composite check digit"),
}


@dataclass
class MrzFill:
    """What pasting an MRZ did to the submitted data."""

    data: QueryDict
    filled: list[str] = field(default_factory=list)
    errors: dict[str, list] = field(default_factory=dict)
    document_number: str = ""
    lines: str = ""


def _document_type(mrz_type: str) -> str:
    """ICAO document codes: P… passports; I, A, C identity cards; others kept as "other"."""
    first = mrz_type[:1]
    if first == "P":
        return DocumentType.PASSPORT
    if first in {"I", "A", "C"}:
        return DocumentType.ID_CARD
    return DocumentType.OTHER


def _country(code: str) -> str:
    try:
        return normalize_nationality(code)
    except UnknownNationality:
        return code


def fill_from_mrz(
    data: QueryDict, field_names: Iterable[str], *, today: date | None = None
) -> MrzFill:
    """Parse the ``mrz`` text of a submission and fill the form fields left empty.

    Errors name the failing MRZ field, both on the MRZ textarea and on the form field that
    the MRZ field would have filled (a bad document-number check digit shows at the number).
    """
    names = set(field_names)
    result = MrzFill(data=data.copy())
    text = (data.get("mrz") or "").strip()
    if not text:
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
            if target in names:
                result.errors.setdefault(target, []).append(message)
        return result
    values = {
        "document_type": _document_type(parsed.document_type),
        "issuing_state": _country(parsed.issuing_state),
        "surname": parsed.surname,
        "given_names": parsed.given_names,
        "document_number": parsed.document_number,
        "nationality": _country(parsed.nationality),
        "birth_date": parsed.birth_date.isoformat() if parsed.birth_date else "",
        "sex": parsed.sex,
        "expiry_date": parsed.expiry_date.isoformat() if parsed.expiry_date else "",
    }
    # The selects' defaults are not the user's word: the MRZ overrides them.
    overridable = {"document_type": {"", DocumentType.PASSPORT}, "sex": {"", Sex.UNSPECIFIED}}
    for mrz_field, value in values.items():
        target = MRZ_TARGETS[mrz_field]
        if target not in names or not value:
            continue
        current = (result.data.get(target) or "").strip()
        if current in overridable.get(mrz_field, {""}) and current != value:
            result.data[target] = value
            result.filled.append(target)
    result.document_number = parsed.document_number
    result.lines = "\n".join(
        "".join(line.split()).upper() for line in text.splitlines() if line.strip()
    )
    return result


def check_document_against_mrz(form: forms.Form, mrz: MrzFill) -> None:
    """A document number typed differently from the pasted MRZ is a typo in one of them."""
    number = form.cleaned_data.get("document_number")
    if mrz.document_number and number and passport_key(number) != mrz.document_number:
        form.add_error(
            "document_number",
            ValidationError(
                _("This does not match the number in the MRZ (%(number)s)."),
                params={"number": mrz.document_number},
            ),
        )
