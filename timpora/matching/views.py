"""The review queue: pending pairs, one pair side by side with the evidence, the decision.

Views parse and call: reads go through ``queries`` (region scope, masking), decisions
through ``actions`` (merge through the registry, audit). Pairs name persons, so every page
that shows them writes one audit record naming the pairs and persons shown. Undoing a merge
and splitting a person are on the person page (``registry``); they tell matching.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from timpora.accounts.access import can, permission_required
from timpora.matching import actions, queries
from timpora.matching.choices import PairStatus, Verdict
from timpora.matching.forms import DecisionForm, PairFilterForm
from timpora.matching.models import MatchCandidate
from timpora.registry.views import CappedPaginator

PAGE_SIZE = 50


def _filter_message(exc: queries.FilterError) -> str:
    if exc.field == "area":
        return _("Not an area code.")
    return exc.message


@permission_required("matching.view")
def review_list(request):
    form = PairFilterForm(request.GET)
    page, pairs = None, []
    if form.is_valid():
        flt = form.to_filter()
        try:
            qs = queries.search_pairs(request.user, flt)
        except queries.FilterError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, _filter_message(exc))
        else:
            page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
            pairs = list(page.object_list)
            if pairs:
                queries.record_queue_read(request.user, flt, pairs, page=page.number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "matching/review_list.html",
        {
            "form": form,
            "page": page,
            "pairs": pairs,
            "query": query.urlencode(),
            "filtered": bool(request.GET),
        },
    )


def _next_pending(user, after: MatchCandidate) -> MatchCandidate | None:
    """The next pair of the user's queue (most probable first), to review one after another."""
    return queries.search_pairs(user, queries.PairFilter()).exclude(pk=after.pk).first()


@permission_required("matching.view")
def pair_detail(request, pk: int):
    pair = queries.read_pair(request.user, pk)
    may_decide = (
        can(request.user, "matching.review")
        and pair.status == PairStatus.PENDING
        and not (pair.person_a.merged_into_id or pair.person_b.merged_into_id)
    )
    return _pair_page(request, pair, DecisionForm(), may_decide=may_decide)


def _pair_page(request, pair: MatchCandidate, form: DecisionForm, *, may_decide: bool, status=200):
    """Both records side by side with the evidence, and the decision form."""
    evidence, sentence = queries.evidence_rows(pair, request.user, request.session)
    return render(
        request,
        "matching/pair_detail.html",
        {
            "pair": pair,
            "a": queries.person_side(pair.person_a, request.user, request.session),
            "b": queries.person_side(pair.person_b, request.user, request.session),
            "evidence": evidence,
            "sentence": sentence,
            "decision": queries.decision_of(pair),
            "may_decide": may_decide,
            "form": form,
        },
        status=status,
    )


@permission_required("matching.review")
@require_POST
def pair_decide(request, pk: int):
    pair = queries.pair_for(request.user, pk, perm="matching.review")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _pair_page(request, pair, form, may_decide=True, status=400)
    verdict = form.cleaned_data["verdict"]
    try:
        actions.decide_pair(pair, verdict, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("matching:pair_detail", pk=pair.pk)
    if verdict == Verdict.SAME:
        messages.success(
            request,
            _("Merged: person no. %(absorbed)s is now part of person no. %(survivor)s.")
            % {"absorbed": pair.person_b_id, "survivor": pair.person_a_id},
        )
    else:
        messages.success(
            request, _("Recorded as different persons: this pair will not be proposed again.")
        )
    following = _next_pending(request.user, pair)
    if following is not None:
        return redirect("matching:pair_detail", pk=following.pk)
    return redirect("matching:review_list")
