"""The review queue through the API: the pairs, one pair with its evidence, the decision.

Handlers parse and call: reads go through ``queries`` (region scope, masking as on the
person page), decisions through ``actions`` (merge through the registry, audit). The
permission is checked with the token, before the body is validated (403, not 422); region
scope answers 404, as for a pair that does not exist. Labels and the explanation are in
``lang`` (``id`` by default, or ``en``).
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from ninja import Query, Router, Status

from timpora.api.auth import BearerToken
from timpora.api.common import LangQuery, query_error
from timpora.matching import actions, queries
from timpora.matching.models import MatchCandidate
from timpora.matching.schemas import (
    DecisionIn,
    PairDetailOut,
    PairListOut,
    PairQuery,
)
from timpora.registry.models import Person
from timpora.registry.schemas import ErrorOut

VIEW = BearerToken("matching.view")
REVIEW = BearerToken("matching.review")

router = Router(tags=["matching"])


def _person(person: Person, user) -> dict[str, Any]:
    side = queries.person_side(person, user, None)
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth": side["birth"],
        "nationality": person.nationality,
        "documents": [f"{d['state']} {d['number']}".strip() for d in side["documents"]],
        "area_code": person.area_code,
        "merged_into": person.merged_into_id,
    }


def _pair(pair: MatchCandidate, user) -> dict[str, Any]:
    return {
        "id": pair.pk,
        "person_a": _person(pair.person_a, user),
        "person_b": _person(pair.person_b, user),
        "probability": pair.probability,
        "match_weight": pair.match_weight,
        "status": pair.status,
        "source": pair.source,
        "source_ref": pair.source_ref,
        "area_code": pair.area_code,
        "created_at": pair.created_at,
        "decided_at": pair.decided_at,
    }


def _detail(pair: MatchCandidate, user) -> dict[str, Any]:
    rows, sentence = queries.evidence_rows(pair, user, None)
    decision = queries.decision_of(pair)
    return {
        **_pair(pair, user),
        "explanation": sentence,
        "evidence": [
            {
                "field": row["code"],
                "field_label": str(row["field"]),
                "left": row["left"],
                "right": row["right"],
                "level": row["level_code"],
                "level_label": str(row["level"]),
                "agreed": row["agreed"],
                "weight": row["weight"],
                "similarity": row["similarity"],
            }
            for row in rows
        ],
        "decision": None
        if decision is None
        else {
            "verdict": decision.verdict,
            "reason": decision.reason,
            "decided_by": decision.decided_by.username if decision.decided_by_id else None,
            "decided_at": decision.decided_at,
        },
    }


@router.get(
    "/pairs",
    response={200: PairListOut, 422: ErrorOut},
    auth=VIEW,
    summary="Review pairs (pending by default), most probable first",
)
def list_pairs(request, params: Query[PairQuery]):
    """Pairs in the caller's scope (both persons visible) matching the filter,
    ``{"count", "items"}``. Audited with the filter and the pairs and persons returned."""
    user = request.user
    values = params.model_dump()
    limit, offset, language = values.pop("limit"), values.pop("offset"), values.pop("lang")
    flt = queries.PairFilter(**values)
    try:
        qs = queries.search_pairs(user, flt)
        count = qs.count()
    except queries.FilterError as exc:
        return query_error(exc.field, exc.message)
    pairs = list(qs[offset : offset + limit])
    queries.record_queue_read(user, flt, pairs, limit=limit, offset=offset, count=count)
    with translation.override(language):
        items = [_pair(p, user) for p in pairs]
    return Status(200, {"count": count, "items": items})


@router.get(
    "/pairs/{pair_id}",
    response={200: PairDetailOut, 422: ErrorOut},
    auth=VIEW,
    summary="One pair with both persons and the evidence, field by field",
)
def get_pair(request, pair_id: int, params: Query[LangQuery]):
    pair = queries.read_pair(request.user, pair_id)
    with translation.override(params.lang):
        return Status(200, _detail(pair, request.user))


@router.post(
    "/pairs/{pair_id}/decision",
    response={200: PairDetailOut, 422: ErrorOut},
    auth=REVIEW,
    summary="Decide a pair: same (the newer person is merged into the older) or different",
)
def decide_pair(request, pair_id: int, payload: DecisionIn, params: Query[LangQuery]):
    """A decision is stored once per pair of persons and never asked again; a merge is
    undone from the person page or ``registry`` API."""
    pair = queries.pair_for(request.user, pair_id, perm="matching.review")
    actions.decide_pair(pair, payload.verdict, actor=request.user, reason=payload.reason)
    pair.refresh_from_db()
    with translation.override(params.lang):
        return Status(200, _detail(pair, request.user))
