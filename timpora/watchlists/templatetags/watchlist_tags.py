"""``{% person_watchlist_hits person %}``: the person's watch-list hits on the registry page,
for users who may see watch lists (nothing at all for the others)."""

from __future__ import annotations

from django import template

from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.watchlists import queries

register = template.Library()


@register.inclusion_tag("watchlists/includes/person_hits.html", takes_context=True)
def person_watchlist_hits(context, person) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not queries.allowed(user):
        return {"show": False}
    hits = queries.hits_of_person(user, person)
    if hits:
        record(
            AuditAction.VIEW,
            actor=user,
            object_type="watchlists.watchlisthit",
            object_repr=f"watch-list hits of person {person.pk}",
            fields={"person": person.pk, "hits": [h.pk for h in hits]},
        )
    return {
        "show": True,
        "rows": [{"hit": h, "explanation": queries.explanation(h)} for h in hits],
    }
