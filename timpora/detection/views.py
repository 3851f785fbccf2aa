"""The alert pages: list and export, detail with the workflow, rule settings, the "run
detection now" button and the user's notifications.

Views parse and call: reads go through ``queries`` (region scope), writes through
``actions`` (workflow rules, audit). Alerts name persons, so every page or export that
shows them writes one audit record naming the alerts and persons shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from timpora.accounts.access import can, permission_required
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.core.forms import apply_action_errors
from timpora.detection import actions, queries
from timpora.detection.engine.rules import RULES
from timpora.detection.forms import (
    AlertFilterForm,
    AssignForm,
    CommentForm,
    RuleSettingForm,
    StatusForm,
)
from timpora.detection.models import Alert, RuleSetting
from timpora.detection.queries import FilterError
from timpora.lib.exports import to_csv, to_xlsx
from timpora.registry.views import CappedPaginator

PAGE_SIZE = 50
EXPORT_HEADER = [
    "alert_id",
    "rule",
    "person_id",
    "severity",
    "status",
    "as_of",
    "explanation",
    "subject",
    "area_code",
    "assigned_agency",
    "assigned_to",
]


def _query_without(request, *names: str) -> QueryDict:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query


def _search(request, form: AlertFilterForm, *, perm: str = "alert.view") -> QuerySet | None:
    """The filtered alerts, or None with the problem shown on the form."""
    if not form.is_valid():
        return None
    flt = form.to_filter()
    try:
        qs = queries.search_alerts(request.user, flt, perm=perm)
    except FilterError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, _filter_message(exc))
        return None
    form.alert_filter = flt
    return qs


def _filter_message(exc: FilterError) -> str:
    """The query layer speaks English; say the common problems in the user's language."""
    if exc.field == "area":
        return _("Not an area code.")
    if exc.field == "as_of_to":
        return _("The end of the date range is before its start.")
    return exc.message


def _safe_next(request, url: str | None) -> str | None:
    """A redirect target on this site only (never an open redirect)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


# ---------------------------------------------------------------------------- list


@permission_required("alert.view")
def alert_list(request):
    form = AlertFilterForm(request.GET)
    qs = _search(request, form)
    page, rows = None, []
    if qs is not None:
        page = CappedPaginator(queries.with_subjects(qs), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows = [queries.describe(alert) for alert in page.object_list]
        if rows:
            queries.record_alerts_read(
                request.user,
                [row["alert"] for row in rows],
                "alert list",
                filter=form.alert_filter.as_fields(),
                page=page.number,
            )
    return render(
        request,
        "detection/alert_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": _query_without(request, "page").urlencode(),
            "export_query": _query_without(request, "page", "format").urlencode(),
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "may_link_person": can(request.user, "person.view"),
        },
    )


def _export_rows(qs: QuerySet[Alert], language: str, counter: list[int]) -> Iterator[list]:
    iterator = queries.with_subjects(qs).iterator(chunk_size=2000)
    while chunk := list(islice(iterator, 2000)):
        for alert in chunk:
            row = queries.describe(alert, language)
            counter[0] += 1
            yield [
                alert.pk,
                alert.rule,
                alert.person_id or "",
                alert.severity,
                alert.status,
                alert.as_of.isoformat(),
                row["explanation"],
                row["subject_name"],
                row["area_code"],
                alert.assigned_agency.name if alert.assigned_agency_id else "",
                alert.assigned_to.username if alert.assigned_to_id else "",
            ]


@permission_required("alert.export")
def alert_export(request):
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Unknown export format: use csv or xlsx."))
    back = reverse("detection:alert_list") + "?" + _query_without(request, "format").urlencode()
    form = AlertFilterForm(request.GET)
    qs = _search(request, form, perm="alert.export")
    if qs is None:
        messages.error(request, _("The filter has errors: correct them before exporting."))
        return redirect(back)
    limit = settings.TIMPORA_EXPORT_MAX_ROWS
    if qs[: limit + 1].count() > limit:
        messages.error(
            request,
            _("This export would hold more than %(limit)s alerts. Narrow the filter first.")
            % {"limit": f"{limit:,}"},
        )
        return redirect(back)
    language = translation.get_language()
    counter = [0]
    rows = list(_export_rows(qs, language, counter))
    if fmt == "xlsx":
        content = to_xlsx(EXPORT_HEADER, rows, title="alerts")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = to_csv(EXPORT_HEADER, rows)
        content_type = "text/csv; charset=utf-8"
    record(
        AuditAction.EXPORT,
        actor=request.user,
        object_type="detection.alert",
        object_repr="alert export",
        fields={
            "filter": form.alert_filter.as_fields(),
            "rows": counter[0],
            "format": fmt,
            "language": language,
        },
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="alerts-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------- detail


def _report_link(name: str, pk: int) -> str:
    """The intake page of a report, when intake's pages are installed."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _detail_context(request, alert: Alert, **forms: Any) -> dict[str, Any]:
    user = request.user
    allowed = queries.allowed_transitions(alert)
    may_manage = can(user, "alert.manage")
    sources = queries.source_reports(user, alert)
    for report in sources.accommodation:
        report.link = _report_link("intake:report_detail", report.pk)
    for finding in sources.findings:
        finding.link = _report_link("intake:finding_detail", finding.pk)
    context = {
        **queries.describe(alert),
        "facts": sorted(alert.facts.items()),
        "last_confirmed": queries.last_confirmed(alert),
        "events": list(queries.events_of(alert)),
        "sources": sources,
        "may_manage": may_manage,
        "may_link_person": can(user, "person.view"),
        "status_form": forms.get("status_form") or StatusForm(allowed=allowed),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "assign_form": None,
    }
    if may_manage:
        context["assign_form"] = forms.get("assign_form") or AssignForm(
            agencies=queries.assignable_agencies(alert),
            officers=queries.assignable_officers(alert),
            initial={"agency": alert.assigned_agency_id, "officer": alert.assigned_to_id},
        )
    return context


def _render_detail(request, alert: Alert, status: int = 200, **forms: Any):
    queries.record_alert_read(request.user, alert)
    return render(
        request,
        "detection/alert_detail.html",
        _detail_context(request, alert, **forms),
        status=status,
    )


@permission_required("alert.view")
def alert_detail(request, pk: int):
    alert = queries.alert_for(request.user, pk)
    return _render_detail(request, alert)


@permission_required("alert.manage")
@require_POST
def alert_status(request, pk: int):
    alert = queries.alert_for(request.user, pk, perm="alert.manage")
    form = StatusForm(request.POST, allowed=queries.allowed_transitions(alert))
    if form.is_valid():
        try:
            actions.change_status(
                alert,
                form.cleaned_data["status"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("The alert is now: %(status)s.") % {"status": alert.get_status_display()},
            )
            return redirect("detection:alert_detail", pk=alert.pk)
    alert.refresh_from_db()
    return _render_detail(request, alert, status=400, status_form=form)


@permission_required("alert.manage")
@require_POST
def alert_assign(request, pk: int):
    alert = queries.alert_for(request.user, pk, perm="alert.manage")
    form = AssignForm(
        request.POST,
        agencies=queries.assignable_agencies(alert),
        officers=queries.assignable_officers(alert),
    )
    if form.is_valid():
        try:
            actions.assign(
                alert,
                actor=request.user,
                agency=form.cleaned_data["agency"],
                officer=form.cleaned_data["officer"],
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The alert is assigned."))
            return redirect("detection:alert_detail", pk=alert.pk)
    alert.refresh_from_db()
    return _render_detail(request, alert, status=400, assign_form=form)


@permission_required("alert.view")
@require_POST
def alert_comment(request, pk: int):
    alert = queries.alert_for(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.comment(alert, form.cleaned_data["text"], actor=request.user)
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("Comment added."))
            return redirect("detection:alert_detail", pk=alert.pk)
    return _render_detail(request, alert, status=400, comment_form=form)


# ---------------------------------------------------------------------------- rules


def _rule_rows(forms_by_code: dict[str, RuleSettingForm] | None = None) -> list[dict]:
    settings_by_rule = {s.rule: s for s in RuleSetting.objects.all()}
    rows = []
    for code, rule in RULES.items():
        enabled, params = actions.rule_params(rule)
        form = (forms_by_code or {}).get(code) or RuleSettingForm(
            rule=rule,
            initial={"enabled": enabled, **{f"param_{k}": v for k, v in params.items()}},
        )
        rows.append(
            {
                "rule": rule,
                "title": _(rule.title),
                "enabled": enabled,
                "form": form,
                "setting": settings_by_rule.get(code),
            }
        )
    return rows


@permission_required("rule.manage")
def rule_settings(request):
    return render(
        request,
        "detection/rule_settings.html",
        {"rows": _rule_rows(), "may_run": can(request.user, "detect.run")},
    )


@permission_required("rule.manage")
@require_POST
def rule_setting_save(request, code: str):
    rule = RULES.get(code)
    if rule is None:
        return HttpResponseBadRequest(_("Unknown rule."))
    form = RuleSettingForm(request.POST, rule=rule)
    if form.is_valid():
        try:
            actions.save_rule_setting(
                code,
                actor=request.user,
                enabled=form.cleaned_data["enabled"],
                params=form.params(),
            )
        except ValidationError as exc:
            apply_action_errors(form, exc, field_prefixes=("param_",))
        else:
            messages.success(request, _("Rule settings saved: %(rule)s.") % {"rule": _(rule.title)})
            return redirect("detection:rule_settings")
    return render(
        request,
        "detection/rule_settings.html",
        {"rows": _rule_rows({code: form}), "may_run": can(request.user, "detect.run")},
        status=400,
    )


@permission_required("detect.run")
@require_POST
def run_now(request):
    """Queue one full evaluation for today; the worker runs it in the background."""
    from timpora.detection.tasks import run_detection_now

    run_detection_now.enqueue(request.user.pk)
    messages.success(
        request,
        _("Detection is queued: the alerts update when it has run (a few minutes at most)."),
    )
    return redirect(_safe_next(request, request.POST.get("next")) or "detection:alert_list")


# ---------------------------------------------------------------------------- notifications


@permission_required()
def notification_list(request):
    page = CappedPaginator(queries.notifications_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "detection/notification_list.html",
        {"page": page, "unread": queries.unread_count(request.user)},
    )


@permission_required()
@require_POST
def notification_read(request, pk: int):
    """Mark one notification read and open what it points to (an alert, a list)."""
    note = queries.notifications_for(request.user).filter(pk=pk).first()
    if note is None:
        return redirect("detection:notification_list")
    actions.mark_notifications_read(request.user, ids=[note.pk])
    target = _safe_next(request, note.url) if request.POST.get("open") else None
    if target:
        return redirect(target)
    return redirect("detection:notification_list")


@permission_required()
@require_POST
def notification_read_all(request):
    count = actions.mark_notifications_read(request.user)
    messages.success(request, _("%(count)s notification(s) marked as read.") % {"count": count})
    return redirect("detection:notification_list")
