"""The receipt (*tanda terima*) of an accommodation report, and its public verification.

The receipt is the premises' proof that it reported a guest (UU 6/2011 Art. 72) and when.
It carries a random verification code; anyone (a police patrol, the guest, an inspector)
can check the code on a public page, which confirms the report and its timing but never
shows who the guest is. Lookups are rate-limited per client, with the same salted client
hash as public tips, so the page cannot be used to probe codes in bulk.
"""

from __future__ import annotations

import time

import segno
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from timpora.intake import queries
from timpora.intake.actions import _client_hash
from timpora.intake.models import AccommodationReport
from timpora.lib.nationality import UnknownNationality, nationality_name
from timpora.registry import masking

# Lookups per client and hour on the public verification page (a setting may override it).
DEFAULT_LOOKUPS_PER_HOUR = 30
_WINDOW_SECONDS = 3600


class TooManyLookups(Exception):
    """The client has checked too many codes in the current hour."""


def verify_url(request, code: str = "") -> str:
    """The absolute address of the public verification page (with the code filled in)."""
    url = request.build_absolute_uri(reverse("intake:verify"))
    return f"{url}?code={code}" if code else url


def passport_shown(user, report: AccommodationReport) -> str:
    """The passport number as this reader may see it.

    The premises that filed the report wrote the number itself and sees it in full; team
    members see it as their agency's identifier policy says (clear, masked or not at all).
    """
    if queries.is_reporter(user):
        return report.passport_number
    policy = masking.identifier_policy(user)
    if policy == masking.CLEAR:
        return report.passport_number
    if policy == masking.MASKED:
        return masking.mask_number(report.passport_number)
    return ""


def nationality_label(code: str) -> str:
    try:
        return f"{nationality_name(code)} ({code})"
    except UnknownNationality:
        return code


def render_pdf(report: AccommodationReport, *, passport: str, verify_address: str) -> bytes:
    """The receipt as a one-page A4 PDF (WeasyPrint; fonts and QR code are local)."""
    from weasyprint import HTML

    check_url = f"{verify_address}?code={report.verification_code}"
    html = render_to_string(
        "intake/receipt.html",
        {
            "report": report,
            "premises": report.premises,
            "passport": passport,
            "nationality": nationality_label(report.nationality),
            "verify_address": verify_address,
            "check_url": check_url,
            "qr": segno.make(check_url, error="m").svg_data_uri(scale=3, border=2),
            "printed_at": timezone.now(),
            "office_name": settings.TIMPORA_OFFICE_NAME,
            "late_hours": settings.TIMPORA_REPORT_LATE_HOURS,
        },
    )
    return HTML(string=html).write_pdf()


def count_client_hit(name: str, ip: str, user_agent: str) -> int:
    """Count one request of this client to ``name`` in the current hour; returns the count.

    The client is the salted hash public tips use; the counts live in the cache and expire
    with the hour, so nothing about who asked is kept.
    """
    bucket = int(time.time() // _WINDOW_SECONDS)
    key = f"intake:{name}:{_client_hash(ip, user_agent)}:{bucket}"
    cache.add(key, 0, timeout=_WINDOW_SECONDS + 60)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_WINDOW_SECONDS + 60)
        return 1


def verify(code: str, *, ip: str, user_agent: str) -> queries.Verification | None:
    """Look a receipt code up for the public page (``TooManyLookups`` past the limit)."""
    limit = getattr(settings, "TIMPORA_VERIFY_LOOKUPS_PER_HOUR", DEFAULT_LOOKUPS_PER_HOUR)
    if count_client_hit("verify", ip, user_agent) > limit:
        raise TooManyLookups()
    return queries.verification(code)
