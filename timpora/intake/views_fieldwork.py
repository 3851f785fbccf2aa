"""Field findings (officers, on a phone) and public tips (anyone, no login).

Views parse and call: writes through ``actions`` (validation, audit), reads through
``queries`` (scope). Every page that shows a foreigner's identity writes an audit record;
the public tip pages never show anything about anyone.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from timpora.accounts.access import can, permission_required, scope_of
from timpora.areas import geo
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.audit.context import origin
from timpora.core.forms import apply_action_errors
from timpora.core.net import client_ip
from timpora.intake import actions, queries
from timpora.intake.forms_fieldwork import (
    FindingForm,
    TipForm,
    TipStatusForm,
    TipUpdateForm,
)
from timpora.intake.models import FieldFinding
from timpora.lib.nationality import nationality_choices
from timpora.registry import masking
from timpora.registry.choices import Sex
from timpora.registry.forms import show_only_errors

PAGE_SIZE = 50

# --------------------------------------------------------------------------- field findings


def _identifiers_visible(request, finding: FieldFinding) -> bool:
    """Passport number, full date of birth and photos: in clear for the officer who recorded
    them, otherwise as the registry shows the linked person's identifiers (clear for the
    immigration office, after an audited unmask for police and local government)."""
    if finding.officer_id == request.user.pk:
        return True
    if finding.person_id is None:
        return masking.identifier_policy(request.user) == masking.CLEAR
    return masking.identifiers_visible(request.user, finding.person_id, request.session)


def _read_mrz(request, form: FindingForm) -> FindingForm:
    """The "Read the MRZ" button: fill the identity fields left empty, for the officer to
    check before saving (works without JavaScript)."""
    data = request.POST.copy()
    try:
        values = actions.identity_from_mrz(data.get("mrz") or "")
    except ValidationError as exc:
        return show_only_errors(form, exc.message_dict)
    data["mrz"] = values["mrz"]
    for name in FindingForm.IDENTITY:
        value = values.get(name)
        if value and not (data.get(name) or "").strip():
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    form = FindingForm(data, user=request.user)
    show_only_errors(form, {})
    form.mrz_filled = True
    return form


@permission_required("finding.create")
def finding_create(request):
    """The phone page: identity (MRZ or typed), place (kelurahan or GPS), what was seen."""
    form = FindingForm(user=request.user)
    if request.method == "POST":
        form = FindingForm(request.POST, request.FILES, user=request.user)
        if "read_mrz" in request.POST:
            form = _read_mrz(request, form)
        elif form.is_valid():
            try:
                finding = actions.record_field_finding(
                    form.finding_input(),
                    actor=request.user,
                    photos=form.cleaned_data.get("photos") or [],
                )
            except ValidationError as exc:
                apply_action_errors(form, exc)
            else:
                messages.success(request, _("The finding is recorded."))
                return redirect("intake:finding_detail", pk=finding.pk)
    return render(
        request,
        "intake/finding_form.html",
        {
            "form": form,
            "identity_fields": form.section(FindingForm.IDENTITY),
            "observed_fields": form.section(FindingForm.OBSERVED),
            "nationalities": nationality_choices(),
        },
    )


@permission_required("finding.create")
@require_GET
def finding_locate(request):
    """For the GPS button: which kelurahan/desa of the user's scope contains the point.

    Only a convenience for the page (it preselects the kelurahan); the action decides again
    when the finding is saved.
    """
    try:
        lon, lat = float(request.GET["lon"]), float(request.GET["lat"])
    except (KeyError, ValueError):
        return JsonResponse({"error": _("Give lon and lat as numbers.")}, status=400)
    area = geo.locate(lon, lat)
    if area is None:
        return JsonResponse(
            {"error": _("This point is not inside any kelurahan/desa we know.")}, status=404
        )
    if not scope_of(request.user).contains(area.code):
        return JsonResponse(
            {
                "error": _("This point lies in %(name)s (%(code)s), outside your area.")
                % {"name": area.name, "code": area.code}
            },
            status=404,
        )
    return JsonResponse({"code": area.code, "name": area.name})


@permission_required()
def finding_list(request):
    """The officer's own findings, or (``report.view``) the findings in the user's area."""
    user = request.user
    qs = queries.findings_for(user)  # 403 for users who may neither record nor read
    show = request.GET.get("show")
    if show not in ("mine", "area"):
        show = "mine" if can(user, "finding.create") else "area"
    if show == "area" and not can(user, "report.view"):
        raise PermissionDenied("report.view")
    if show == "mine":
        qs = qs.filter(officer_id=user.pk)
    page = Paginator(qs.prefetch_related("photos"), PAGE_SIZE).get_page(request.GET.get("page"))
    findings = list(page.object_list)
    names = queries.area_names({f.kelurahan_code for f in findings})
    rows = [{"finding": f, "area_name": names.get(f.kelurahan_code, "")} for f in findings]
    if findings:
        record(
            AuditAction.VIEW,
            actor=user,
            object_type="intake.fieldfinding",
            object_repr="field finding list",
            fields={"show": show, "page": page.number, "ids": [f.pk for f in findings]},
        )
    return render(
        request,
        "intake/finding_list.html",
        {
            "rows": rows,
            "page": page,
            "show": show,
            "may_create": can(user, "finding.create"),
            "may_view_area": can(user, "report.view"),
        },
    )


def _birth_shown(finding: FieldFinding, visible: bool) -> str:
    if not finding.birth_date:
        return "—"
    return finding.birth_date.isoformat() if visible else str(finding.birth_date.year)


def _passport_shown(finding: FieldFinding, visible: bool, policy: str) -> str:
    if not finding.passport_number:
        return _("none shown")
    if visible:
        return finding.passport_number
    if policy == masking.MASKED:
        return masking.mask_number(finding.passport_number)
    return "—"


@permission_required()
def finding_detail(request, pk: int):
    user = request.user
    finding = queries.finding_for(user, pk)
    visible = _identifiers_visible(request, finding)
    policy = masking.identifier_policy(user)
    photos = list(finding.photos.all())
    record(
        AuditAction.VIEW,
        actor=user,
        obj=finding,
        fields={"identifiers": "clear" if visible else policy},
    )
    names = queries.area_names({finding.kelurahan_code, finding.kecamatan_code})
    return render(
        request,
        "intake/finding_detail.html",
        {
            "finding": finding,
            "photos": photos,
            "visible": visible,
            "passport_shown": _passport_shown(finding, visible, policy),
            "birth_shown": _birth_shown(finding, visible),
            "sex_label": dict(Sex.choices).get(finding.sex, finding.sex),
            "area_name": names.get(finding.kelurahan_code, ""),
            "kecamatan_name": names.get(finding.kecamatan_code, ""),
            "may_unmask": not visible and finding.person_id and masking.may_unmask(user),
            "person_link": bool(finding.person_id) and can(user, "person.view"),
        },
    )


@permission_required()
def finding_photo(request, pk: int, photo_pk: int):
    """A finding's photo from private storage, never a public URL: scoped (404), shown to
    whoever sees the finding's identifiers (403 otherwise), and audited."""
    finding = queries.finding_for(request.user, pk)
    photo = finding.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404("photo")
    if not _identifiers_visible(request, finding):
        raise PermissionDenied("identifiers")
    try:
        handle = photo.image.storage.open(photo.image.name, "rb")
    except FileNotFoundError:
        raise Http404("photo") from None
    record(AuditAction.VIEW, actor=request.user, obj=finding, fields={"photo": photo.pk})
    content_type = mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


# ------------------------------------------------------------------------------ public tips

_FILED_KEY = "intake_tip_filed"


@never_cache
def tip_create(request):
    """The public tip form (no login). Spam resistance without third parties: a honeypot,
    a minimum time to fill the form (signed start time) and a per-sender hourly limit."""
    form = TipForm()
    if request.method == "POST":
        form = TipForm(request.POST)
        if form.is_bot():
            # Pretend success and store nothing: a robot that learns it was caught adapts.
            request.session[_FILED_KEY] = actions._tracking_code()
            return redirect("intake:tip_filed")
        if form.is_valid():
            try:
                # The audit record of a tip must not identify the tipster: the request's
                # address and browser stay out of it (the rate limit keeps only a salted hash).
                with origin(channel="web", method=request.method, path=request.path):
                    tip = actions.file_public_tip(
                        area_code=form.cleaned_data["area_code"],
                        description=form.cleaned_data["description"],
                        ip=client_ip(request),
                        user_agent=request.META.get("HTTP_USER_AGENT", ""),
                    )
            except actions.TooManyTips:
                return render(request, "intake/tip_busy.html", status=429)
            except ValidationError as exc:
                apply_action_errors(form, exc)
            else:
                request.session[_FILED_KEY] = tip.tracking_code
                return redirect("intake:tip_filed")
        form.restart_clock()
    return render(request, "intake/tip_form.html", {"form": form})


@never_cache
def tip_filed(request):
    """The tracking code, shown once after filing (kept out of the URL and the logs)."""
    code = request.session.pop(_FILED_KEY, None)
    if not code:
        return redirect("intake:tip_status")
    return render(request, "intake/tip_filed.html", {"tracking_code": code})


@never_cache
def tip_status(request):
    """The tipster's status page: the status and the office's public note, nothing else."""
    form = TipStatusForm()
    result: dict[str, Any] | None = None
    if request.method == "POST":
        form = TipStatusForm(request.POST)
        if form.is_valid():
            tip = queries.tip_by_tracking_code(form.cleaned_data["tracking_code"])
            if tip is None:
                form.add_error(
                    "tracking_code", _("No tip has this tracking code. Check it and try again.")
                )
            else:
                result = {"status": tip.get_status_display(), "public_note": tip.public_note}
    return render(request, "intake/tip_status.html", {"form": form, "result": result})


@permission_required("tip.view")
def tip_list(request):
    """Tips in the user's area, newest first, optionally by status."""
    qs = queries.tips_for(request.user)
    status = request.GET.get("status", "")
    form = TipUpdateForm()
    if status in dict(form.fields["status"].choices):
        qs = qs.filter(status=status)
    else:
        status = ""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    tips = list(page.object_list)
    names = queries.area_names({t.kelurahan_code for t in tips})
    if tips:
        record(
            AuditAction.VIEW,
            actor=request.user,
            object_type="intake.publictip",
            object_repr="public tip list",
            fields={"status": status, "page": page.number, "ids": [t.pk for t in tips]},
        )
    return render(
        request,
        "intake/tip_list.html",
        {
            "rows": [{"tip": t, "area_name": names.get(t.kelurahan_code, "")} for t in tips],
            "page": page,
            "status": status,
            "statuses": form.fields["status"].choices,
        },
    )


def _tip_page(request, tip, form: TipUpdateForm, *, status: int = 200):
    names = queries.area_names({tip.kelurahan_code, tip.kecamatan_code})
    return render(
        request,
        "intake/tip_detail.html",
        {
            "tip": tip,
            "form": form,
            "may_manage": can(request.user, "tip.manage"),
            "area_name": names.get(tip.kelurahan_code, ""),
            "kecamatan_name": names.get(tip.kecamatan_code, ""),
        },
        status=status,
    )


@permission_required("tip.view")
def tip_detail(request, pk: int):
    tip = queries.tip_for(request.user, pk)
    record(AuditAction.VIEW, actor=request.user, obj=tip, object_repr=tip.tracking_code)
    form = TipUpdateForm(initial={"status": tip.status, "public_note": tip.public_note})
    return _tip_page(request, tip, form)


@permission_required("tip.manage")
@require_POST
def tip_update(request, pk: int):
    tip = queries.tip_for(request.user, pk)
    form = TipUpdateForm(request.POST)
    if form.is_valid():
        try:
            actions.update_tip(
                tip,
                status=form.cleaned_data["status"],
                public_note=form.cleaned_data["public_note"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("intake:tip_detail", pk=tip.pk)
    return _tip_page(request, tip, form, status=400)
