"""Login with lockout and TOTP, and the administrators' user pages."""

from __future__ import annotations

import time

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from timpora.accounts import actions, queries
from timpora.accounts.access import permission_required
from timpora.accounts.forms import LoginForm, TotpForm, UserForm
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.core.net import client_ip


def _safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        if actions.is_locked_out(username):
            form.add_error(
                None,
                _(
                    "Too many failed attempts. This account is locked for a "
                    "while; try again later or ask an administrator."
                ),
            )
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            actions.note_login(
                username, succeeded=user is not None, ip=client_ip(request), user=user
            )
            if user is None:
                form.add_error(None, _("Wrong username or password."))
            else:
                login(request, user)
                request.session["login_at"] = time.time()
                request.session["otp_verified"] = False
                return redirect(_safe_next(request))
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        record(AuditAction.LOGOUT, actor=request.user, obj=request.user)
    logout(request)
    return redirect("accounts:login")


@permission_required()
def totp_setup(request):
    """Enrol an authenticator app: show the secret as a QR code, confirm with a first code."""
    user = request.user
    if user.totp_confirmed_at:
        return redirect("accounts:totp_verify")
    if not user.totp_secret or (request.method == "GET" and "renew" in request.GET):
        actions.start_totp_enrolment(user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if actions.confirm_totp(user, form.cleaned_data["code"]):
            request.session["otp_verified"] = True
            messages.success(request, _("Two-factor authentication is now active."))
            return redirect(_safe_next(request))
        form.add_error("code", _("That code is not valid. Check the time on your phone."))
    uri = actions.totp_uri(user)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4)
    return render(
        request,
        "accounts/totp_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": user.totp_secret},
    )


@permission_required()
def totp_verify(request):
    user = request.user
    if not user.totp_confirmed_at:
        return redirect("accounts:totp_setup")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if actions.is_locked_out(user.username):
            logout(request)
            messages.error(
                request,
                _(
                    "Too many failed attempts. This account is locked for a "
                    "while; try again later or ask an administrator."
                ),
            )
            return redirect("accounts:login")
        ok = actions.verify_totp(user, form.cleaned_data["code"])
        actions.note_login(user.username, succeeded=ok, ip=client_ip(request), user=user)
        if ok:
            request.session["otp_verified"] = True
            return redirect(_safe_next(request))
        form.add_error("code", _("That code is not valid."))
    return render(request, "accounts/totp_verify.html", {"form": form})


@permission_required("user.manage")
def user_list(request):
    users = queries.users_for(request.user)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page})


@permission_required("user.manage")
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = actions.create_user(
            username=data["username"],
            password=data["password"],
            role=data["role"],
            agency=data["agency"],
            scope_area=data["scope_code"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            actor=request.user,
        )
        messages.success(request, _("User %(name)s created.") % {"name": user.username})
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "editing": None})


@permission_required("user.manage")
def user_edit(request, pk: int):
    editing = get_object_or_404(queries.users_for(request.user), pk=pk)
    initial = {
        "username": editing.username,
        "first_name": editing.first_name,
        "last_name": editing.last_name,
        "email": editing.email,
        "agency": editing.agency_id,
        "role": editing.role,
        "is_active": editing.is_active,
        "scope_code": editing.scope_area.code if editing.scope_area else "",
    }
    form = UserForm(request.POST or None, initial=initial, editing=editing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_user(
            editing,
            actor=request.user,
            role=data["role"],
            agency=data["agency"],
            scope_area=data["scope_code"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            is_active=data["is_active"],
        )
        if data["password"]:
            actions.set_password(editing, data["password"], actor=request.user)
        messages.success(request, _("User %(name)s saved.") % {"name": editing.username})
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "editing": editing})


@require_POST
@permission_required("user.manage")
def user_unlock(request, pk: int):
    editing = get_object_or_404(queries.users_for(request.user), pk=pk)
    actions.unlock(editing.username, actor=request.user)
    messages.success(request, _("Lockout cleared for %(name)s.") % {"name": editing.username})
    return redirect("accounts:user_list")
