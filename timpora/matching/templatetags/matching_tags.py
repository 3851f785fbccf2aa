"""``{% person_review_pairs person %}``: the person page's pending review pairs."""

from __future__ import annotations

import math

from django import template

from timpora.accounts.access import can
from timpora.matching import queries

register = template.Library()


@register.inclusion_tag("matching/includes/person_pairs.html", takes_context=True)
def person_review_pairs(context, person) -> dict:
    """Pairs waiting for review that involve ``person`` (nothing for users who may not see
    the queue)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can(user, "matching.view"):
        return {"pairs": []}
    return {"pairs": queries.pending_for_person(user, person), "person": person}


@register.filter
def percent(probability: float) -> str:
    """A match probability as a percentage, rounded down so that only certainty shows 100:
    0.99995 is "99.9", not "100"."""
    value = math.floor(float(probability) * 1000) / 10
    return f"{value:.1f}".rstrip("0").rstrip(".")
