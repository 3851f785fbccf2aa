"""Forms of the watch-list pages: a list, a file import, a decision on a hit, a filter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from timpora.accounts.models import Agency
from timpora.watchlists import actions
from timpora.watchlists.choices import HitStatus, ListType
from timpora.watchlists.models import WatchList

_DATE = forms.DateInput(attrs={"type": "date"})


def _check_upload(upload) -> Any:
    if upload is None:
        return upload
    if Path(upload.name).suffix.lower() not in (".csv", ".xlsx"):
        raise forms.ValidationError(_("Use a .csv or .xlsx file."))
    limit = settings.TIMPORA_IMPORT_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise forms.ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": limit})
    return upload


class WatchListForm(forms.Form):
    """A list's description and validity; on creation, optionally its first file."""

    name = forms.CharField(label=_("Name"), max_length=200)
    list_type = forms.ChoiceField(label=_("Type"), choices=ListType.choices)
    source = forms.CharField(
        label=_("Issuing authority"),
        max_length=200,
        help_text=_("Who issued the list, e.g. Direktorat Jenderal Imigrasi, Polda Banten."),
    )
    reference = forms.CharField(
        label=_("Reference (letter number)"), max_length=100, required=False
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=_DATE)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=_DATE)
    owning_agency = forms.ModelChoiceField(
        label=_("Owning agency"), queryset=Agency.objects.none(), required=False
    )
    active = forms.BooleanField(label=_("Active (screened)"), required=False, initial=True)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(
        label=_("Entries (CSV or XLSX)"),
        required=False,
        help_text=_("Optional now: you can import files into the list later."),
    )

    def __init__(self, *args: Any, instance: WatchList | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(instance, name) for name in actions.EDITABLE_FIELDS}
        super().__init__(*args, **kwargs)
        self.fields["owning_agency"].queryset = Agency.objects.order_by("name")
        if instance is not None:
            del self.fields["file"]

    def clean_file(self):
        return _check_upload(self.cleaned_data.get("file"))

    def list_values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "file"}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def clean_file(self):
        return _check_upload(self.cleaned_data.get("file"))


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (HitStatus.CONFIRMED, _("Confirm: the same person")),
            (HitStatus.DISMISSED, _("Dismiss: not the same person")),
            (HitStatus.OPEN, _("Open again")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HitFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *HitStatus.choices]
    )
    watchlist = forms.ModelChoiceField(
        label=_("List"), required=False, queryset=WatchList.objects.order_by("name")
    )


class EntrySearchForm(forms.Form):
    q = forms.CharField(label=_("Name, list id or passport"), required=False, max_length=100)
