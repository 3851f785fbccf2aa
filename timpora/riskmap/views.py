"""The vulnerability map page, its data, the area profile and the printable exports."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from timpora.accounts.access import permission_required
from timpora.areas.models import Area
from timpora.core.context_processors import DATA_ATTRIBUTION
from timpora.core.forms import apply_action_errors
from timpora.riskmap import actions, queries
from timpora.riskmap import render as draw
from timpora.riskmap.choices import FactorKind, Metric
from timpora.riskmap.forms import FactorForm


def _view(request) -> queries.MapView:
    return queries.parse_view(
        parent=request.GET.get("parent"),
        level=request.GET.get("level"),
        metric=request.GET.get("metric"),
        period_from=request.GET.get("from"),
        period_to=request.GET.get("to"),
        user=request.user,
    )


@permission_required("map.view")
def map_page(request):
    try:
        view = _view(request)
        error = None
    except queries.MapRequestError as exc:
        view = queries.parse_view(
            parent=None,
            level=None,
            metric=None,
            period_from=None,
            period_to=None,
            user=request.user,
        )
        error = exc
    return render(
        request,
        "riskmap/map.html",
        {
            "view": view,
            "error": error,
            "parents": queries.parent_choices(request.user),
            "metrics": Metric.choices,
        },
    )


@permission_required("map.view")
def map_data(request):
    try:
        view = _view(request)
    except queries.MapRequestError as exc:
        return JsonResponse(
            {"detail": [{"loc": ["query", exc.field], "msg": exc.message}]}, status=422
        )
    return HttpResponse(
        queries.feature_collection_json(request.user, view), content_type="application/json"
    )


@permission_required("map.view")
def area_profile(request, code: str):
    view = _view(request)
    profile = queries.area_profile(request.user, code, view)
    return render(request, "riskmap/area_profile.html", {"view": view, **profile})


def _printable(request):
    view = _view(request)
    fc = queries.feature_collection(request.user, view)
    metric_label = dict(Metric.choices)[view.metric]
    title = _("Peta kerawanan: %(metric)s") % {"metric": metric_label}
    subtitle = _("%(area)s · %(start)s to %(end)s · printed %(now)s") % {
        "area": Area.objects.filter(code=view.parent).values_list("name", flat=True).first()
        or view.parent,
        "start": view.period_from,
        "end": view.period_to,
        "now": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    png = draw.render_png(
        fc,
        title=title,
        subtitle=subtitle,
        legend_title=str(metric_label),
        attribution=DATA_ATTRIBUTION,
        no_data_label=_("outside your area or no data"),
    )
    return view, fc, title, subtitle, png


@permission_required("map.view")
def export_png(request):
    view, _fc, _title, _subtitle, png = _printable(request)
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = (
        f'attachment; filename="peta-kerawanan-{view.parent}-{view.period_to}.png"'
    )
    return response


@permission_required("map.view")
def export_pdf(request):
    view, fc, title, subtitle, png = _printable(request)
    rows = sorted(
        (f["properties"] for f in fc["features"] if f["properties"].get("in_scope")),
        key=lambda p: -(p.get("risk") or 0),
    )
    html = render_to_string(
        "riskmap/print.html",
        {
            "title": title,
            "subtitle": subtitle,
            "png": base64.b64encode(png).decode(),
            "rows": rows,
            "attribution": DATA_ATTRIBUTION,
            "view": view,
        },
        request=request,
    )
    response = HttpResponse(draw.render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="peta-kerawanan-{view.parent}-{view.period_to}.pdf"'
    )
    return response


# ----------------------------------------------------------------- vulnerability factors


@permission_required("factor.manage")
def factor_list(request):
    """The standing factors, with the seeded ones still to be confirmed shown first."""
    kind = request.GET.get("kind", "")
    unconfirmed = request.GET.get("unconfirmed") == "1"
    factors = queries.factors_for(
        request.user, kind=kind if kind in FactorKind.values else "", unconfirmed=unconfirmed
    )
    return render(
        request,
        "riskmap/factor_list.html",
        {
            "factors": factors,
            "kinds": FactorKind.choices,
            "kind": kind,
            "unconfirmed": unconfirmed,
            "to_confirm": queries.factors_for(request.user, unconfirmed=True).count(),
        },
    )


def _factor_form(request, factor=None):
    initial = {}
    if factor is not None:
        initial = {
            "area": factor.area.code,
            "kind": factor.kind,
            "weight": factor.weight,
            "note": factor.note,
            "confirmed": factor.confirmed,
        }
    form = FactorForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = actions.FactorInput(
            area=Area.objects.get(code=d["area"]),
            kind=d["kind"],
            weight=d["weight"],
            note=d["note"],
            confirmed=d["confirmed"],
        )
        try:
            actions.save_factor(data, actor=request.user, factor=factor)
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Factor saved. The map uses it from now on."))
            return redirect("riskmap:factors")
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "title": _("Edit vulnerability factor") if factor else _("New vulnerability factor"),
            "back": reverse("riskmap:factors"),
            "back_label": _("Vulnerability factors"),
        },
    )


@permission_required("factor.manage")
def factor_create(request):
    return _factor_form(request)


@permission_required("factor.manage")
def factor_edit(request, pk: int):
    return _factor_form(request, queries.factor_for(request.user, pk))


@permission_required("factor.manage")
def factor_delete(request, pk: int):
    factor = queries.factor_for(request.user, pk)
    if request.method != "POST":
        return render(request, "riskmap/factor_delete.html", {"factor": factor})
    actions.delete_factor(factor, actor=request.user)
    messages.success(request, _("Factor removed."))
    return redirect("riskmap:factors")
