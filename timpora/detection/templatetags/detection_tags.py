"""Template tags for pages outside the app: the nav's unread badge and the home card."""

from __future__ import annotations

from django import template

from timpora.detection import queries
from timpora.detection.choices import Severity

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in user's unread notifications (0 for visitors)."""
    request = context.get("request")
    return queries.unread_count(getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def open_alerts_by_severity(context) -> list[dict[str, object]]:
    """Open alerts in the user's scope per severity, highest first ([] without access)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    labels = dict(Severity.choices)
    return [
        {"severity": severity, "label": labels[severity], "count": count}
        for severity, count in queries.open_counts_by_severity(user).items()
    ]
