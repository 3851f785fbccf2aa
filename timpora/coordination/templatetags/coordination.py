"""``{% coordination_cards %}``: the coordination cards on the home page (upcoming meetings,
open problems, overdue follow-ups highlighted), so the home view needs no change."""

from __future__ import annotations

from django import template

from timpora.accounts.access import can
from timpora.coordination import queries
from timpora.registry.status import today_in_jakarta

register = template.Library()


@register.inclusion_tag("coordination/includes/home_cards.html", takes_context=True)
def coordination_cards(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can(user, "coordination.view"):
        return {"show": False}
    today = today_in_jakarta()
    overdue = queries.overdue_follow_ups(user, today)
    return {
        "show": True,
        "overdue": queries.with_days_overdue(overdue[:5], today),
        "overdue_count": overdue.count(),
        "upcoming": queries.upcoming_meetings(user, limit=3),
        "open_problems": queries.open_problem_count(user),
    }
