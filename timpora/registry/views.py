"""The registry's web pages: search, person page, entry forms, exports, sponsors, indices.

Views parse and call: reads go through ``queries`` (region scope), writes through
``actions`` (validation, audit), identifiers through ``masking``. Reading personal data is
processing under UU 27/2022, so every page or export that shows persons writes one audit
record naming them.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import date
from functools import cached_property
from itertools import islice
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from timpora.accounts.access import can, permission_required
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.core.forms import apply_action_errors
from timpora.lib.exports import to_csv, to_xlsx
from timpora.lib.nationality import UnknownNationality, nationality_choices, nationality_name
from timpora.registry import actions, masking, queries
from timpora.registry.choices import DatePrecision, MergeKind, PermitCategory
from timpora.registry.forms import (
    DOCUMENT_FIELDS,
    IDENTITY_FIELDS,
    PERMIT_FIELDS,
    STAY_FIELDS,
    DocumentForm,
    EmploymentForm,
    ExtendPermitForm,
    MrzFill,
    PermitForm,
    PermitIndexForm,
    PersonCreateForm,
    PersonEditForm,
    PersonSearchForm,
    SplitForm,
    SponsorForm,
    StayForm,
    UndoMergeForm,
    check_document_against_mrz,
    fill_from_mrz,
    show_only_errors,
)
from timpora.registry.models import Person, TravelDocument
from timpora.registry.queries import FilterError, PersonFilter
from timpora.registry.status import overstay_days, permit_status, today_in_jakarta

PAGE_SIZE = 50
# Counting a million scoped rows costs seconds; nobody pages past this many rows, they
# narrow the search instead.
COUNT_CAP = 10_000
LIST_FIELDS = (
    "id",
    "full_name",
    "sex",
    "birth_date",
    "nationality",
    "current_permit_category",
    "current_permit_valid_until",
    "kelurahan_code",
    "kecamatan_code",
)


CATEGORY_LABELS = dict(PermitCategory.choices)


class CappedPaginator(Paginator):
    """Django's paginator with a bounded COUNT: ``SELECT COUNT(*) FROM (… LIMIT cap+1)``."""

    def __init__(self, object_list, per_page, cap: int = COUNT_CAP):
        self.cap = cap
        super().__init__(object_list, per_page)

    @cached_property
    def _bounded_count(self) -> int:
        # Without the ordering: a sliced queryset keeps its ORDER BY inside the COUNT, and
        # PostgreSQL then walks the name index or sorts just to count (1.2 s at a million).
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @property
    def capped(self) -> bool:
        return self._bounded_count > self.cap


# ------------------------------------------------------------------------------ helpers


def _nationality_label(code: str) -> str:
    try:
        return nationality_name(code)
    except UnknownNationality:
        return code


def _permit_state(valid_until: date | None, today: date) -> dict[str, Any]:
    """Status badge and overstay of a permit (or of a person's current permit)."""
    if valid_until is None:
        return {"status": None, "overstay": 0}
    status = permit_status(valid_until, today, settings.TIMPORA_EXPIRING_DAYS)
    return {"status": status, "overstay": overstay_days(valid_until, today)}


def _person_rows(persons: Iterable[Person]) -> list[dict[str, Any]]:
    """The list columns of a page of persons (areas named with one query)."""
    persons = list(persons)
    today = today_in_jakarta()
    names = queries.area_names(p.kelurahan_code or p.kecamatan_code for p in persons)
    return [
        {
            "person": p,
            "nationality_name": _nationality_label(p.nationality),
            "category_label": CATEGORY_LABELS.get(p.current_permit_category, ""),
            "area_name": names.get(p.kelurahan_code or p.kecamatan_code, ""),
            **_permit_state(p.current_permit_valid_until, today),
        }
        for p in persons
    ]


def _filter_fields(flt: PersonFilter) -> dict[str, Any]:
    """The filter as written to the audit trail: only what was set."""
    return {k: v for k, v in asdict(flt).items() if v not in ("", None)}


def _query_without(request, *names: str) -> QueryDict:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query


def _search(request, form: PersonSearchForm, *, perm: str = "person.view") -> QuerySet | None:
    """The filtered persons, or None with the problem shown on the form."""
    if not form.is_valid():
        return None
    flt = form.to_filter()
    try:
        qs = queries.search_persons(request.user, flt, perm=perm)
    except FilterError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, _filter_message(exc.field, exc.message))
        return None
    form.person_filter = flt
    return qs


def _filter_message(field: str, fallback: str) -> str:
    """``FilterError`` messages come from the query layer in English: say them in the
    user's language where we know the field."""
    if field == "nationality":
        return _("Not a nationality we know. Enter a code (DEU) or a name (Jerman).")
    if field == "area":
        return _("Not an area code.")
    if field == "permit_status":
        return _("Choose valid, expiring, expired or no permit.")
    return fallback


def _page_audit(request, page: Page, rows: list[dict], flt: PersonFilter, where: str) -> None:
    if rows:
        record(
            AuditAction.VIEW,
            actor=request.user,
            object_type="registry.person",
            object_repr=where,
            fields={
                "filter": _filter_fields(flt),
                "page": page.number,
                "ids": [row["person"].pk for row in rows],
            },
        )


def _sort_links(request, current: str) -> dict[str, dict[str, Any]]:
    """Column header links: clicking the sorted column again reverses it."""
    links = {}
    for column, (ascending, descending) in {
        "name": ("name", "-name"),
        "nationality": ("nationality", "nationality"),
        "valid_until": ("valid_until", "-valid_until"),
    }.items():
        target = descending if current == ascending else ascending
        query = _query_without(request, "page")
        query["sort"] = target
        direction = ""
        if current == ascending:
            direction = "ascending"
        elif current == descending:
            direction = "descending"
        links[column] = {"url": "?" + query.urlencode(), "direction": direction}
    return links


# ------------------------------------------------------------------------------ list


@permission_required("person.view")
def person_list(request):
    form = PersonSearchForm(request.GET, user=request.user)
    qs = _search(request, form)
    page, rows, flt = None, [], None
    if qs is not None:
        flt = form.person_filter
        page = CappedPaginator(qs.only(*LIST_FIELDS), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = _person_rows(page.object_list)
        _page_audit(request, page, rows, flt, "registry person list")
    return render(
        request,
        "registry/person_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": _query_without(request, "page").urlencode(),
            "export_query": _query_without(request, "page", "format").urlencode(),
            "sort_links": _sort_links(request, flt.sort if flt else "name"),
            "filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort")),
            "nationalities": nationality_choices(),
        },
    )


# ---------------------------------------------------------------------------- export

EXPORT_HEADER = [
    "id",
    "full_name",
    "surname",
    "given_names",
    "sex",
    "birth_date",
    "place_of_birth",
    "nationality",
    "nationality_name",
    "documents",
    "permit_category",
    "permit_valid_until",
    "permit_status",
    "overstay_days",
    "area_code",
    "area_name",
]
EXPORT_FIELDS = (
    *LIST_FIELDS,
    "surname",
    "given_names",
    "birth_date_precision",
    "place_of_birth",
)


def _shown_number(number: str, policy: str, visible: bool) -> str:
    if visible:
        return number
    if policy == masking.MASKED:
        return masking.mask_number(number)
    return ""


def _birth_shown(person: Person, visible: bool) -> str:
    """The date of birth as far as it is known, or only its year when identifiers are
    masked."""
    born = person.birth_date
    if born is None or person.birth_date_precision == DatePrecision.UNKNOWN:
        return ""
    if not visible or person.birth_date_precision == DatePrecision.YEAR:
        return str(born.year)
    if person.birth_date_precision == DatePrecision.MONTH:
        return born.strftime("%Y-%m")
    return born.isoformat()


def _export_rows(persons: QuerySet[Person], policy: str, counter: list[int]) -> Iterator[list]:
    """Rows in chunks of 2,000: one query for the persons' documents and one for the area
    names per chunk, never the whole result in memory as model objects."""
    visible = policy == masking.CLEAR
    today = today_in_jakarta()
    persons = persons.only(*EXPORT_FIELDS).prefetch_related(
        Prefetch("documents", queryset=TravelDocument.objects.only("person_id", "number"))
    )
    iterator = persons.iterator(chunk_size=2000)
    while chunk := list(islice(iterator, 2000)):
        names = queries.area_names(p.kelurahan_code or p.kecamatan_code for p in chunk)
        for p in chunk:
            state = _permit_state(p.current_permit_valid_until, today)
            code = p.kelurahan_code or p.kecamatan_code
            counter[0] += 1
            yield [
                p.pk,
                p.full_name,
                p.surname,
                p.given_names,
                p.sex,
                _birth_shown(p, visible),
                p.place_of_birth if visible else "",
                p.nationality,
                _nationality_label(p.nationality),
                " ".join(
                    _shown_number(d.number, policy, visible) for d in p.documents.all()
                ).strip(),
                p.current_permit_category,
                p.current_permit_valid_until,
                str(state["status"].value) if state["status"] else "",
                state["overstay"] or "",
                code,
                names.get(code, ""),
            ]


@permission_required("person.export")
def person_export(request):
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Unknown export format: use csv or xlsx."))
    back = reverse("registry:person_list") + "?" + _query_without(request, "format").urlencode()
    form = PersonSearchForm(request.GET, user=request.user)
    qs = _search(request, form, perm="person.export")
    if qs is None:
        messages.error(request, _("The search has errors: correct them before exporting."))
        return redirect(back)
    limit = settings.TIMPORA_EXPORT_MAX_ROWS
    if qs.order_by()[: limit + 1].count() > limit:
        messages.error(
            request,
            _(
                "This export would hold more than %(limit)s persons. Narrow the search (for "
                "example by area, nationality or permit status) and export again."
            )
            % {"limit": f"{limit:,}"},
        )
        return redirect(back)
    policy = masking.identifier_policy(request.user)
    counter = [0]
    rows = _export_rows(qs, policy, counter)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        content = to_xlsx(EXPORT_HEADER, rows, title="persons")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = to_csv(EXPORT_HEADER, rows)
        content_type = "text/csv; charset=utf-8"
    record(
        AuditAction.EXPORT,
        actor=request.user,
        object_type="registry.person",
        object_repr="registry person export",
        fields={
            "filter": _filter_fields(form.person_filter),
            "rows": counter[0],
            "format": fmt,
            "identifiers": policy,
        },
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="persons-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------- person


def _identity_context(request, person: Person) -> dict[str, Any]:
    user = request.user
    visible = masking.identifiers_visible(user, person.pk, request.session)
    policy = masking.identifier_policy(user)
    return {
        "visible": visible,
        "policy": policy,
        "may_unmask": not visible and masking.may_unmask(user),
        "birth_shown": _birth_shown(person, visible),
        "nationality_name": _nationality_label(person.nationality),
    }


@permission_required("person.view")
def person_detail(request, pk: int):
    try:
        person = queries.person_for(request.user, pk)
    except Http404:
        # A merged person's address leads to the person it was merged into (if the user may
        # see that one: otherwise 404, as for any person out of scope).
        survivor = queries.merged_into(request.user, pk)
        if survivor is None:
            raise
        messages.info(
            request,
            _("Person no. %(old)s was merged into this person; its records are here.")
            % {"old": pk},
        )
        return redirect("registry:person_detail", pk=survivor.pk)
    ctx = _identity_context(request, person)
    visible, policy = ctx["visible"], ctx["policy"]
    today = today_in_jakarta()
    events = queries.timeline(person)
    area_names = queries.area_names(
        [person.kelurahan_code, person.kecamatan_code]
        + [e["object"].area_code for e in events if e["kind"] in ("stay", "employment")]
    )
    sponsor_ids = {
        e["object"].sponsor_id for e in events if e["kind"] == "permit" and e["object"].sponsor_id
    } | {e["object"].employer_id for e in events if e["kind"] == "employment"}
    linkable_sponsors = set(
        queries.sponsors_for(request.user).filter(pk__in=sponsor_ids).values_list("pk", flat=True)
    )
    documents, permits, stays, jobs = [], [], [], []
    for event in events:
        obj = event["object"]
        if event["kind"] == "document":
            event["number"] = _shown_number(obj.number, policy, visible)
            documents.append(event)
        elif event["kind"] == "permit":
            event.update(_permit_state(obj.valid_until, today))
            event["extensions"] = list(obj.extensions.all())
            event["sponsor_link"] = obj.sponsor_id in linkable_sponsors
            permits.append(event)
        elif event["kind"] == "stay":
            event["area_name"] = area_names.get(obj.area_code, "")
            stays.append(event)
        elif event["kind"] == "employment":
            event["area_name"] = area_names.get(obj.area_code, "")
            event["sponsor_link"] = obj.employer_id in linkable_sponsors
            jobs.append(event)
    record(
        AuditAction.VIEW,
        actor=request.user,
        obj=person,
        fields={"identifiers": "clear" if visible else policy},
    )
    return render(
        request,
        "registry/person_detail.html",
        {
            **ctx,
            "person": person,
            "current": _permit_state(person.current_permit_valid_until, today),
            "current_area": area_names.get(person.kelurahan_code or person.kecamatan_code, ""),
            "documents": documents,
            "permits": permits,
            "stays": stays,
            "jobs": jobs,
            "events": events,
            "show_mrz": visible,
            "unmask_minutes": settings.TIMPORA_UNMASK_SECONDS // 60,
            "merges": list(queries.merge_history(person)),
            "may_merge": can(request.user, "registry.merge"),
            "undo_form": UndoMergeForm(),
        },
    )


# ------------------------------------------------------------------ merges and splits


@permission_required("registry.merge")
@require_POST
def person_merge_undo(request, pk: int, merge_pk: int):
    """Take back a merge or split shown in the person's history."""
    person = queries.person_for(request.user, pk, perm="registry.merge")
    merge = queries.merge_history(person).filter(pk=merge_pk).first()
    if merge is None:
        raise Http404("merge")
    form = UndoMergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the undo."))
        return redirect("registry:person_detail", pk=person.pk)
    try:
        actions.undo_merge(merge, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if merge.kind == MergeKind.MERGE:
            messages.success(
                request,
                _("The merge is undone: person no. %(other)s has its records back.")
                % {"other": merge.absorbed_id},
            )
        else:
            messages.success(
                request, _("The split is undone: the records are back with this person.")
            )
    back = merge.survivor_id if merge.kind == MergeKind.SPLIT else person.pk
    return redirect("registry:person_detail", pk=back)


@permission_required("registry.merge")
def person_split(request, pk: int):
    """Move some of a person's records to a new person: two foreigners registered as one."""
    person = queries.person_for(request.user, pk, perm="registry.merge")
    if not masking.identifiers_visible(request.user, person.pk, request.session):
        # The records are told apart by their identifiers: unmask (audited) first.
        messages.error(request, _("Show the identifiers first to split this person."))
        return redirect("registry:person_detail", pk=person.pk)
    form = SplitForm(request.POST or None, choices=queries.split_choices(person))
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.split_person(
                person,
                record_refs=form.record_refs(),
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("The selected records now belong to this new person, split from no. %(old)s.")
                % {"old": person.pk},
            )
            return redirect("registry:person_detail", pk=created.pk)
    elif request.method != "POST":
        record(AuditAction.VIEW, actor=request.user, obj=person, fields={"form": "split"})
    return render(request, "registry/person_split.html", {"form": form, "person": person})


@permission_required("person.view")
@require_POST
def person_unmask(request, pk: int):
    """Show one person's identifiers for a while; who did it, and why, goes to the audit."""
    person = queries.person_for(request.user, pk)
    if not masking.may_unmask(request.user):
        raise PermissionDenied("person.unmask")
    reason = " ".join(request.POST.get("reason", "").split())[:200]
    record(AuditAction.UNMASK, actor=request.user, obj=person, fields={"reason": reason})
    masking.remember_unmask(request.session, person.pk)
    return redirect("registry:person_detail", pk=person.pk)


@permission_required("person.view")
def person_photo(request, pk: int):
    """The photo from private storage, never a public URL: scoped, masked like the other
    identifiers, and audited."""
    person = queries.person_for(request.user, pk)
    if not masking.identifiers_visible(request.user, person.pk, request.session):
        raise PermissionDenied("identifiers")
    if not person.photo:
        raise Http404("photo")
    try:
        handle = person.photo.storage.open(person.photo.name, "rb")
    except FileNotFoundError:
        raise Http404("photo") from None
    record(AuditAction.VIEW, actor=request.user, obj=person, fields={"photo": True})
    content_type = mimetypes.guess_type(person.photo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# ----------------------------------------------------------------------- entry forms


def _entry_context(form, **extra) -> dict[str, Any]:
    return {
        "form": form,
        "identity_fields": form.bound_fields(IDENTITY_FIELDS),
        "document_fields": form.bound_fields(DOCUMENT_FIELDS),
        "permit_fields": form.bound_fields(PERMIT_FIELDS),
        "stay_fields": form.bound_fields(STAY_FIELDS),
        "nationalities": nationality_choices(),
        **extra,
    }


def _mrz_step(request, form_class, **form_kwargs) -> tuple[Any, MrzFill | None, bool]:
    """Apply a pasted MRZ to the submission (works without JavaScript).

    Returns the form, the MRZ result and whether to stop and show the form: after the MRZ
    filled empty fields (so the user checks them before saving), or on MRZ errors.
    """
    data = request.POST
    asked = "read_mrz" in data
    if not (data.get("mrz") or "").strip() and not asked:
        return (
            form_class(data, request.FILES or None, user=request.user, **form_kwargs),
            None,
            False,
        )
    mrz = fill_from_mrz(data, form_class.base_fields)
    form = form_class(mrz.data, request.FILES or None, user=request.user, **form_kwargs)
    if mrz.errors:
        return show_only_errors(form, mrz.errors), mrz, True
    if mrz.filled or asked:
        show_only_errors(form, {})
        form.mrz_filled = mrz.filled
        return form, mrz, True
    return form, mrz, False


@permission_required("person.change")
def person_create(request):
    form = PersonCreateForm(user=request.user)
    if request.method == "POST":
        form, mrz, stop = _mrz_step(request, PersonCreateForm)
        if not stop and form.is_valid() and mrz is not None and form.has_document():
            check_document_against_mrz(form, mrz)
        if not stop and form.is_valid():
            try:
                person = actions.register_person(
                    form.person_input(),
                    actor=request.user,
                    document=form.document_input(mrz.lines if mrz else "")
                    if form.has_document()
                    else None,
                    permit=form.permit_input() if form.has_permit() else None,
                    stay=form.stay_input() if form.has_stay() else None,
                )
            except ValidationError as exc:
                apply_action_errors(form, exc)
            else:
                messages.success(request, _("The person is registered."))
                return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", _entry_context(form))


@permission_required("person.change")
@require_POST
def mrz_parse(request):
    """htmx: the entry form's fields, filled from the pasted MRZ or showing its errors."""
    kind = request.POST.get("form_kind", "person")
    form_class = DocumentForm if kind == "document" else PersonCreateForm
    mrz = fill_from_mrz(request.POST, form_class.base_fields)
    form = form_class(mrz.data, user=request.user)
    show_only_errors(form, mrz.errors)
    form.mrz_filled = mrz.filled
    template = (
        "registry/includes/document_form_body.html"
        if kind == "document"
        else "registry/includes/person_form_body.html"
    )
    return render(request, template, _entry_context(form))


def _person_for_change(request, pk: int) -> Person:
    return queries.person_for(request.user, pk, perm="person.change")


@permission_required("person.change")
def person_edit(request, pk: int):
    person = _person_for_change(request, pk)
    if not masking.identifiers_visible(request.user, person.pk, request.session):
        # The form shows the full date and place of birth: unmask (audited) first.
        messages.error(request, _("Show the identifiers first to edit this person."))
        return redirect("registry:person_detail", pk=person.pk)
    form = PersonEditForm(initial=PersonEditForm.initial_for(person), user=request.user)
    if request.method == "POST":
        form = PersonEditForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    actions.update_person(person, form.person_input(), actor=request.user)
                    if form.cleaned_data.get("photo"):
                        actions.set_photo(person, form.cleaned_data["photo"], actor=request.user)
            except ValidationError as exc:
                apply_action_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("registry:person_detail", pk=person.pk)
    else:
        record(AuditAction.VIEW, actor=request.user, obj=person, fields={"form": "edit"})
    return render(
        request,
        "registry/simple_form.html",
        _entry_context(
            form,
            person=person,
            title=_("Edit %(name)s") % {"name": person.full_name},
            multipart=True,
        ),
    )


def _person_subform(request, pk: int, form_class, save, *, title: str, initial=None):
    """Shared flow of the small forms on a person (document, permit, stay, employment)."""
    person = _person_for_change(request, pk)
    form = form_class(initial=initial, user=request.user)
    if request.method == "POST":
        form = form_class(request.POST, user=request.user)
        if form.is_valid():
            try:
                save(person, form)
            except ValidationError as exc:
                apply_action_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/simple_form.html",
        _entry_context(form, person=person, title=title % {"name": person.full_name}),
    )


@permission_required("person.change")
def document_add(request, pk: int):
    person = _person_for_change(request, pk)
    form = DocumentForm(initial={"document_issuing_state": person.nationality}, user=request.user)
    if request.method == "POST":
        form, mrz, stop = _mrz_step(request, DocumentForm)
        if not stop and form.is_valid() and mrz is not None:
            check_document_against_mrz(form, mrz)
        if not stop and form.is_valid():
            try:
                actions.add_document(
                    person, form.document_input(mrz.lines if mrz else ""), actor=request.user
                )
            except ValidationError as exc:
                apply_action_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/document_form.html",
        _entry_context(
            form,
            person=person,
            title=_("New travel document for %(name)s") % {"name": person.full_name},
        ),
    )


@permission_required("person.change")
def permit_add(request, pk: int):
    return _person_subform(
        request,
        pk,
        PermitForm,
        lambda person, form: actions.add_permit(person, form.permit_input(), actor=request.user),
        title=_("New stay permit for %(name)s"),
    )


@permission_required("person.change")
def permit_extend(request, pk: int, permit_pk: int):
    person = _person_for_change(request, pk)
    permit = person.permits.filter(pk=permit_pk).first()
    if permit is None:
        raise Http404("permit")
    form = ExtendPermitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.extend_permit(
                permit,
                form.cleaned_data["new_valid_until"],
                actor=request.user,
                decided_on=form.cleaned_data["decided_on"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The permit is extended."))
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "person": person,
            "permit": permit,
            "title": _("Extend permit %(permit)s") % {"permit": permit},
        },
    )


@permission_required("person.change")
def stay_add(request, pk: int):
    return _person_subform(
        request,
        pk,
        StayForm,
        lambda person, form: actions.add_stay(person, form.stay_input(), actor=request.user),
        title=_("New stay of %(name)s"),
        initial={"stay_date_from": today_in_jakarta()},
    )


@permission_required("person.change")
def employment_add(request, pk: int):
    def save(person, form):
        data = form.cleaned_data
        actions.add_employment(
            person,
            actor=request.user,
            employer=data["employer"],
            position=data["position"],
            work_area_code=data.get("work_area_code") or "",
            work_plan_reference=data.get("work_plan_reference") or "",
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
        )

    return _person_subform(request, pk, EmploymentForm, save, title=_("New employment of %(name)s"))


# -------------------------------------------------------------------------- sponsors


@permission_required("person.view")
def sponsor_list(request):
    sponsors = queries.sponsors_with_counts(request.user)
    search = " ".join(request.GET.get("q", "").split())
    if search:
        sponsors = sponsors.filter(name__icontains=search)
    page = Paginator(sponsors, PAGE_SIZE).get_page(request.GET.get("page"))
    policy = masking.identifier_policy(request.user)
    for sponsor in page:
        sponsor.nik_shown = _shown_number(sponsor.nik, policy, policy == masking.CLEAR)
    return render(
        request,
        "registry/sponsor_list.html",
        {
            "page": page,
            "search": search,
            "query": _query_without(request, "page").urlencode(),
        },
    )


@permission_required("person.view")
def sponsor_detail(request, pk: int):
    sponsor = queries.sponsors_with_counts(request.user).filter(pk=pk).first()
    if sponsor is None:
        raise Http404("sponsor")
    policy = masking.identifier_policy(request.user)
    sponsor.nik_shown = _shown_number(sponsor.nik, policy, policy == masking.CLEAR)
    flt = PersonFilter(sponsor=sponsor.pk)
    persons = queries.search_persons(request.user, flt).only(*LIST_FIELDS)
    page = CappedPaginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _person_rows(page.object_list)
    _page_audit(request, page, rows, flt, f"sponsor {sponsor.pk} persons")
    return render(
        request,
        "registry/sponsor_detail.html",
        {
            "sponsor": sponsor,
            "area_name": queries.area_names([sponsor.area_code]).get(sponsor.area_code, ""),
            "page": page,
            "rows": rows,
            "query": "",
        },
    )


@permission_required("person.change")
def sponsor_create(request):
    form = SponsorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sponsor = actions.create_sponsor(
                actor=request.user,
                kind=data["kind"],
                name=data["name"],
                area_code=data.get("area_code") or "",
                nib=data.get("nib") or "",
                nik=data.get("nik") or "",
                sector=data.get("sector") or "",
                address=data.get("address") or "",
                contact_name=data.get("contact_name") or "",
                phone=data.get("phone") or "",
                email=data.get("email") or "",
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The sponsor is registered."))
            return redirect("registry:sponsor_detail", pk=sponsor.pk)
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "title": _("New sponsor"),
            "back": reverse("registry:sponsor_list"),
            "back_label": _("Sponsors"),
        },
    )


# -------------------------------------------------------------------- permit indices


@permission_required("permitindex.manage")
def permitindex_list(request):
    return render(
        request,
        "registry/permitindex_list.html",
        {"indices": queries.permit_indices(include_inactive=True)},
    )


def _index_back() -> dict[str, str]:
    return {"back": reverse("registry:permitindex_list"), "back_label": _("Visa/permit indices")}


def _save_index(request, form: PermitIndexForm, code: str):
    data = form.cleaned_data
    return actions.save_permit_index(
        actor=request.user,
        code=code,
        name=data["name"],
        category=data["category"],
        max_stay_days=data.get("max_stay_days"),
        allows_work=data.get("allows_work", False),
        notes=data.get("notes") or "",
        active=data.get("active", False),
    )


@permission_required("permitindex.manage")
def permitindex_create(request):
    form = PermitIndexForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        if queries.permit_indices(include_inactive=True).filter(code=code).exists():
            form.add_error("code", _("This index exists already: edit it instead."))
        else:
            try:
                _save_index(request, form, code)
            except ValidationError as exc:
                apply_action_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("registry:permitindex_list")
    return render(
        request,
        "registry/simple_form.html",
        {"form": form, "title": _("New visa/permit index"), **_index_back()},
    )


@permission_required("permitindex.manage")
def permitindex_edit(request, code: str):
    index = queries.permit_indices(include_inactive=True).filter(code=code.upper()).first()
    if index is None:
        raise Http404("permit index")
    initial = {
        name: getattr(index, name)
        for name in ("code", "name", "category", "max_stay_days", "allows_work", "notes", "active")
    }
    form = PermitIndexForm(request.POST or None, initial=initial, editing=index)
    if request.method == "POST" and form.is_valid():
        try:
            _save_index(request, form, index.code)
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:permitindex_list")
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "title": _("Visa/permit index %(code)s") % {"code": index.code},
            **_index_back(),
        },
    )
