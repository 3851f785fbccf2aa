"""Scoped reads of the review queue: which pairs a user may see, and a pair shown side by
side with its evidence.

A pair is visible to a user who may see *both* persons (``registry.queries.persons_for``:
office-wide staff everyone, a police member of a kecamatan the persons who ever stayed
there). Identifiers are shown as on the person page (``registry.masking``): a user whose
agency sees them masked gets the birth year and a masked passport number in the evidence
too, until the person is unmasked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from timpora.accounts.access import require
from timpora.areas.models import LEVEL_COLUMNS, area_columns_q
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.matching.choices import PairSource, PairStatus
from timpora.matching.engine.score import FIELD_NAMES, explain
from timpora.matching.explain import level_label
from timpora.matching.models import MatchCandidate, PairDecision
from timpora.matching.resolver import evidence_from_json
from timpora.registry import masking
from timpora.registry.models import Person
from timpora.registry.queries import area_names, persons_for


def _office_wide(user) -> bool:
    return user.scope_area_id is None


def pairs_for(user, perm: str = "matching.view") -> QuerySet[MatchCandidate]:
    """Review pairs whose two persons the user may both see."""
    require(user, perm)
    qs = MatchCandidate.objects.all()
    if _office_wide(user):
        return qs
    visible = persons_for(user).values("pk")
    return qs.filter(person_a__in=visible, person_b__in=visible)


def pair_for(user, pk: int, perm: str = "matching.view") -> MatchCandidate:
    pair = pairs_for(user, perm).select_related("person_a", "person_b").filter(pk=pk).first()
    if pair is None:
        raise Http404("pair")
    return pair


def read_pair(user, pk: int) -> MatchCandidate:
    """The pair an analyst opens (page or API): scoped, and its reading audited, since it
    shows two persons' identities side by side."""
    pair = pair_for(user, pk)
    record(
        AuditAction.VIEW,
        actor=user,
        obj=pair,
        fields={"person_a": pair.person_a_id, "person_b": pair.person_b_id},
    )
    return pair


def record_queue_read(user, flt: PairFilter, pairs: list[MatchCandidate], **paging) -> None:
    """Audit one read of the review queue: the filter, the page (``paging``), the pairs and
    the persons they show."""
    record(
        AuditAction.VIEW,
        actor=user,
        object_type="matching.matchcandidate",
        object_repr="review queue",
        fields={
            "filter": flt.as_fields(),
            **paging,
            "ids": [p.pk for p in pairs],
            "persons": sorted({i for p in pairs for i in (p.person_a_id, p.person_b_id)}),
        },
    )


class FilterError(ValueError):
    """A filter value that cannot be understood; ``field`` names the parameter."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class PairFilter:
    """The queue's filter (web form and API query)."""

    status: str = PairStatus.PENDING
    min_probability: float | None = None
    max_probability: float | None = None
    source: str = ""
    area: str = ""
    person: int | None = None

    def as_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def search_pairs(user, flt: PairFilter, *, perm: str = "matching.view") -> QuerySet:
    """The user's pairs matching the filter, most probable first (``FilterError`` on bad
    values). Pending pairs whose persons were merged since are left out."""
    qs = pairs_for(user, perm)
    if flt.status:
        if flt.status not in PairStatus.values:
            raise FilterError("status", f"use one of {', '.join(PairStatus.values)}")
        qs = qs.filter(status=flt.status)
        if flt.status == PairStatus.PENDING:
            qs = qs.filter(person_a__merged_into__isnull=True, person_b__merged_into__isnull=True)
    bounds = {"min_probability": flt.min_probability, "max_probability": flt.max_probability}
    for name, value in bounds.items():
        if value is not None and not 0.0 <= value <= 1.0:
            raise FilterError(name, "a probability lies between 0 and 1")
    if flt.min_probability is not None:
        qs = qs.filter(probability__gte=flt.min_probability)
    if flt.max_probability is not None:
        qs = qs.filter(probability__lte=flt.max_probability)
    if flt.source:
        if flt.source not in PairSource.values:
            raise FilterError("source", f"use one of {', '.join(PairSource.values)}")
        qs = qs.filter(source=flt.source)
    if flt.area:
        code = flt.area.strip()
        if len(code.split(".")) not in LEVEL_COLUMNS or not code.replace(".", "").isdigit():
            raise FilterError("area", f"not an area code: {flt.area!r}")
        qs = qs.filter(area_columns_q((code,)))
    if flt.person:
        qs = qs.filter(Q(person_a_id=flt.person) | Q(person_b_id=flt.person))
    return qs.select_related("person_a", "person_b").order_by("-probability", "id")


def pending_for_person(user, person: Person) -> list[MatchCandidate]:
    """The pending pairs a person takes part in, for the person page (may be empty)."""
    return list(search_pairs(user, PairFilter(person=person.pk))[:10])


def decision_of(pair: MatchCandidate) -> PairDecision | None:
    if pair.decision_id:
        return pair.decision
    return PairDecision.objects.filter(
        person_a_id=pair.person_a_id, person_b_id=pair.person_b_id
    ).first()


# ---------------------------------------------------------------------------- display


def _birth(person: Person, visible: bool) -> str:
    born = person.birth_date
    if born is None or person.birth_date_precision == "unknown":
        return ""
    if not visible or person.birth_date_precision == "year":
        return str(born.year)
    if person.birth_date_precision == "month":
        return born.strftime("%Y-%m")
    return born.isoformat()


def _number(number: str, policy: str, visible: bool) -> str:
    if visible:
        return number
    if policy == masking.MASKED:
        return masking.mask_number(number)
    return ""


def _shown_value(field: str, value: str | None, policy: str, visible: bool) -> str | None:
    """An evidence value as this user may see it (identifiers masked as on the person page)."""
    if value is None or visible:
        return value
    if field == "passport":
        return _number(value, policy, visible) or None
    if field == "dob":
        return value[:4]
    return value


def person_side(person: Person, user, session) -> dict[str, Any]:
    """One column of the side-by-side view: identity, documents, latest stays."""
    visible = masking.identifiers_visible(user, person.pk, session)
    policy = masking.identifier_policy(user)
    stays = list(person.stays.order_by("-date_from", "-id")[:3])
    names = area_names([s.area_code for s in stays] + [person.area_code])
    return {
        "person": person,
        "visible": visible,
        "birth": _birth(person, visible),
        "documents": [
            {"number": _number(d.number, policy, visible), "state": d.issuing_state, "doc": d}
            for d in person.documents.all()
        ],
        "stays": [{"stay": s, "area_name": names.get(s.area_code, "")} for s in stays],
        "area_name": names.get(person.area_code, ""),
        "merged_into": person.merged_into_id,
    }


def evidence_rows(pair: MatchCandidate, user, session) -> tuple[list[dict[str, Any]], str]:
    """The evidence of a pair field by field (agreed or not, level, weight) and as one
    sentence, with identifiers masked for users who see them masked."""
    policy = masking.identifier_policy(user)
    visible_a = masking.identifiers_visible(user, pair.person_a_id, session)
    visible_b = masking.identifiers_visible(user, pair.person_b_id, session)
    evidence = evidence_from_json(pair.evidence)
    shown = []
    rows = []
    for item in evidence:
        left = _shown_value(item.field, item.left, policy, visible_a)
        right = _shown_value(item.field, item.right, policy, visible_b)
        shown.append(type(item)(item.field, item.level, item.weight, left, right, item.similarity))
        agreed: bool | None
        if item.left is None or item.right is None:
            verdict, css, agreed = _("unknown"), "unknown", None
        elif item.weight > 0:
            verdict, css, agreed = _("agrees"), "agrees", True
        elif item.weight < 0:
            verdict, css, agreed = _("disagrees"), "disagrees", False
        else:
            verdict, css, agreed = _("neutral"), "unknown", None
        rows.append(
            {
                "code": item.field,
                "level_code": item.level,
                "agreed": agreed,
                "field": _(FIELD_NAMES.get(item.field, item.field)),
                "left": left,
                "right": right,
                "level": level_label(item.level),
                "weight": item.weight,
                "verdict": verdict,
                "css": css,
                "similarity": item.similarity,
            }
        )
    return rows, explain(shown, _)
