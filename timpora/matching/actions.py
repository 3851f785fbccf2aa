"""Writes of entity resolution: records resolved to persons, the review queue and its
decisions, merges undone and persons split. Atomic and audited, like every action.

How a record becomes a person (:func:`resolve_person`):

1. a registered travel document with the same nationality and number: that person;
2. otherwise the engine scores the candidate persons found through the match keys; the
   best one at or above ``TIMPORA_MATCH_AUTO_THRESHOLD`` is the record's person, unless
   the two nationalities differ (``resolver.may_auto_link``);
3. otherwise a new person is registered, and every candidate at or above
   ``TIMPORA_MATCH_REVIEW_THRESHOLD`` is queued with it as a review pair.

Two registered persons are never merged by matching itself: only an analyst's decision
(:func:`decide_pair`) merges them, through ``registry.actions.merge_persons``, the older
person surviving. A decided pair is never queued again (:func:`queue_pair` refuses it), and
undoing a merge records that the two are different persons.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from timpora.accounts.access import require
from timpora.audit.actions import record
from timpora.audit.choices import AuditAction
from timpora.lib.names import passport_key
from timpora.lib.nationality import UnknownNationality, normalize_nationality
from timpora.matching.choices import Outcome, PairSource, PairStatus, Verdict
from timpora.matching.engine.score import Evidence
from timpora.matching.keys import birth_text, engine_record, sync_keys
from timpora.matching.models import MatchCandidate, PairDecision, PersonMatchKey
from timpora.matching.resolver import (
    Candidate,
    evidence_to_json,
    find_candidates,
    may_auto_link,
)
from timpora.registry.choices import DatePrecision
from timpora.registry.models import Person, PersonMerge, TravelDocument

#: Most review pairs one new record may open (the strongest candidates).
MAX_PAIRS_PER_RECORD = 5


def auto_threshold() -> float:
    return float(settings.TIMPORA_MATCH_AUTO_THRESHOLD)


def review_threshold() -> float:
    return float(settings.TIMPORA_MATCH_REVIEW_THRESHOLD)


@dataclass(frozen=True)
class PersonRecord:
    """What a source says about a person: a report, a finding, a registry form.

    ``birth_date_precision`` says how much of ``birth_date`` is known (some passports carry
    only the year); ``passport_number`` is as written (spaces, OCR errors and all).
    """

    full_name: str = ""
    surname: str = ""
    given_names: str = ""
    sex: str = "X"
    birth_date: date | None = None
    birth_date_precision: str = DatePrecision.DAY
    place_of_birth: str = ""
    nationality: str = ""
    passport_number: str = ""
    passport_expiry: date | None = None
    mrz: str = ""

    @property
    def written_name(self) -> str:
        return " ".join((self.full_name or f"{self.given_names} {self.surname}").split())

    def nationality_code(self) -> str:
        try:
            return normalize_nationality(self.nationality)
        except UnknownNationality:
            return self.nationality.strip().upper()

    def engine_record(self) -> dict[str, Any]:
        """The record in the matching engine's input columns."""
        return engine_record(
            full_name=self.written_name,
            sex=self.sex,
            birth=birth_text(self.birth_date, self.birth_date_precision),
            nationality=self.nationality_code(),
            passport_number=self.passport_number,
        )


@dataclass(frozen=True)
class Resolution:
    """The person a record was resolved to, how, and the review pairs it opened."""

    person: Person
    outcome: str
    probability: float | None = None
    pairs: tuple[MatchCandidate, ...] = field(default=())

    @property
    def created(self) -> bool:
        return self.outcome in (Outcome.NEW, Outcome.REVIEW)


# ---------------------------------------------------------------------------- registry hooks

# Set while resolve_person registers a person: the registry's hook then only keys it, as
# resolve_person queues the pairs it has already scored.
_resolving: ContextVar[bool] = ContextVar("timpora_matching_resolving", default=False)


@contextmanager
def _registering():
    token = _resolving.set(True)
    try:
        yield
    finally:
        _resolving.reset(token)


def person_registered(person: Person, *, actor) -> None:
    """Called by ``registry.actions.register_person``: key the new person and queue its
    likely duplicates for review (an explicit registration is never linked away)."""
    sync_keys([person.pk])
    if not _resolving.get():
        scan_person(person, actor=actor, source=PairSource.REGISTRY)


def persons_changed(person_ids: Iterable[int]) -> None:
    """Called by registry writes that change what identifies a person (identity edited,
    document added): recompute their keys."""
    sync_keys(person_ids)


# ---------------------------------------------------------------------------- resolving


def _exact(nationality: str, passport: str) -> Person | None:
    if not (nationality and passport):
        return None
    doc = (
        TravelDocument.objects.select_related("person")
        .filter(issuing_state=nationality, number=passport)
        .first()
    )
    if doc is None:
        return None
    person = doc.person
    while person.merged_into_id:  # documents move on a merge; an old link may not have
        person = Person.objects.get(pk=person.merged_into_id)
    return person


@transaction.atomic
def resolve_person(
    data: PersonRecord,
    *,
    actor,
    source: str = PairSource.REPORT,
    source_ref: str = "",
    area_code: str = "",
    stay=None,
) -> Resolution:
    """The registry person of ``data``: found, linked, or registered (see module doc).

    ``stay`` (a ``registry.actions.StayInput``) is added to a person registered here;
    ``area_code`` (else the new person's area) files its review pairs under an area.
    Registration errors (an unknown nationality, ...) are raised as ``ValidationError``.
    """
    from timpora.registry import actions as registry

    nationality = data.nationality_code()
    passport = passport_key(data.passport_number)
    person = _exact(nationality, passport)
    if person is not None:
        return Resolution(person, Outcome.EXACT, 1.0)
    candidates = find_candidates(
        data.engine_record(), threshold=review_threshold(), limit=MAX_PAIRS_PER_RECORD
    )
    if candidates and may_auto_link(
        candidates[0].probability, candidates[0].evidence, auto_threshold()
    ):
        best = candidates[0]
        person = Person.objects.get(pk=best.person_id)
        _audit_resolution(person, Outcome.LINKED, best, actor, source, source_ref)
        return Resolution(person, Outcome.LINKED, best.probability)
    person_input = registry.PersonInput(
        surname=data.surname,
        given_names=data.given_names,
        full_name=data.full_name,
        sex=data.sex or "X",
        birth_date=data.birth_date,
        birth_date_precision=data.birth_date_precision,
        place_of_birth=data.place_of_birth,
        nationality=nationality,
    )
    document = (
        registry.DocumentInput(
            number=passport,
            issuing_state=nationality,
            expiry_date=data.passport_expiry,
            mrz=data.mrz,
        )
        if passport
        else None
    )
    try:
        with transaction.atomic(), _registering():
            person = registry.register_person(
                person_input, actor=actor, document=document, stay=stay
            )
    except (IntegrityError, ValidationError):
        # Another request registered the same document a moment ago: that is the person.
        person = _exact(nationality, passport)
        if person is None:
            raise
        return Resolution(person, Outcome.EXACT, 1.0)
    pairs = []
    for candidate in candidates:
        pair = queue_pair(
            candidate.person_id,
            person.pk,
            probability=candidate.probability,
            match_weight=candidate.match_weight,
            evidence=candidate.evidence,
            source=source,
            source_ref=source_ref,
            area_code=area_code,
            actor=actor,
        )
        if pair is not None:
            pairs.append(pair)
    best_probability = candidates[0].probability if candidates else None
    outcome = Outcome.REVIEW if pairs else Outcome.NEW
    return Resolution(person, outcome, best_probability, tuple(pairs))


def _audit_resolution(
    person: Person, outcome: str, best: Candidate, actor, source: str, source_ref: str
) -> None:
    record(
        AuditAction.CREATE,
        actor=actor,
        object_type="matching.resolution",
        object_id=person.pk,
        object_repr=f"record linked to person {person.pk}"[:200],
        fields={
            "outcome": outcome,
            "person": person.pk,
            "probability": round(best.probability, 4),
            "source": source,
            "source_ref": source_ref,
        },
    )


# ---------------------------------------------------------------------------- the queue


def oriented_evidence(
    evidence: Sequence[Evidence], candidate_id: int, person_a_id: int
) -> tuple[Evidence, ...]:
    """Evidence comparing a record (left) with a candidate (right), the pair's way round:
    ``person_a`` (the older person) on the left."""
    if candidate_id != person_a_id:
        return tuple(evidence)
    return tuple(replace(e, left=e.right, right=e.left) for e in evidence)


def decided_with(person_id: int) -> set[int]:
    """The persons a decision exists with (either verdict): never to be asked again."""
    rows = PairDecision.objects.filter(Q(person_a_id=person_id) | Q(person_b_id=person_id))
    return {b if a == person_id else a for a, b in rows.values_list("person_a_id", "person_b_id")}


def queue_pair(
    candidate_id: int,
    record_person_id: int,
    *,
    probability: float,
    match_weight: float,
    evidence: Sequence[Evidence],
    source: str,
    source_ref: str = "",
    area_code: str = "",
    actor=None,
) -> MatchCandidate | None:
    """Queue the pair (candidate person, the record's person) for review; None when the two
    are one person, the pair was decided already, or it is in the queue already.

    ``evidence`` compares the record (left) with the candidate (right), as the engine
    explains it; it is stored the pair's way round (the older person left).
    """
    if candidate_id == record_person_id:
        return None
    a, b = sorted((candidate_id, record_person_id))
    if PairDecision.objects.filter(person_a_id=a, person_b_id=b).exists():
        return None
    oriented = oriented_evidence(evidence, candidate_id, a)
    existing = MatchCandidate.objects.filter(person_a_id=a, person_b_id=b).first()
    if existing is not None:
        if existing.status != PairStatus.SUPERSEDED:
            return None
        pair = existing
        pair.status = PairStatus.PENDING
        pair.decided_at = None
    else:
        pair = MatchCandidate(person_a_id=a, person_b_id=b)
    pair.probability = float(probability)
    pair.match_weight = float(match_weight)
    pair.evidence = evidence_to_json(oriented)
    pair.source = source
    pair.source_ref = source_ref[:80]
    if not area_code:
        persons = Person.objects.filter(pk__in=(record_person_id, candidate_id))
        areas = dict(persons.values_list("pk", "kelurahan_code"))
        area_code = areas.get(record_person_id) or areas.get(candidate_id) or ""
    pair.set_area_code(area_code)
    try:
        with transaction.atomic():
            pair.save()
    except IntegrityError:
        return None  # queued by a concurrent request
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=pair,
        fields={
            "person_a": a,
            "person_b": b,
            "probability": round(pair.probability, 4),
            "source": source,
            "source_ref": pair.source_ref,
        },
    )
    return pair


def scan_person(
    person: Person, *, actor=None, source: str = PairSource.SCAN
) -> list[MatchCandidate]:
    """Queue the likely duplicates of a registered person (every spelling and document it
    has), except persons a decision exists with. Never merges: both are registered."""
    keys = PersonMatchKey.objects.filter(person=person).values(
        "full_name", "sex", "birth", "nationality", "passport_number"
    )
    excluded = {person.pk, *decided_with(person.pk)}
    best: dict[int, Candidate] = {}
    for key in keys:
        found = find_candidates(
            engine_record(
                full_name=key["full_name"],
                sex=key["sex"],
                birth=key["birth"] or "",
                nationality=key["nationality"],
                passport_number=key["passport_number"],
            ),
            threshold=review_threshold(),
            exclude=excluded,
            limit=MAX_PAIRS_PER_RECORD,
        )
        for candidate in found:
            known = best.get(candidate.person_id)
            if known is None or candidate.probability > known.probability:
                best[candidate.person_id] = candidate
    ranked = sorted(best.values(), key=lambda c: -c.probability)[:MAX_PAIRS_PER_RECORD]
    pairs = []
    for candidate in ranked:
        pair = queue_pair(
            candidate.person_id,
            person.pk,
            probability=candidate.probability,
            match_weight=candidate.match_weight,
            evidence=candidate.evidence,
            source=source,
            actor=actor,
        )
        if pair is not None:
            pairs.append(pair)
    return pairs


# ---------------------------------------------------------------------------- decisions


def _decide(a: int, b: int, verdict: str, *, actor, reason: str) -> PairDecision:
    a, b = sorted((a, b))
    decision, _created = PairDecision.objects.update_or_create(
        person_a_id=a,
        person_b_id=b,
        defaults={
            "verdict": verdict,
            "reason": reason[:1000],
            "decided_by": actor if actor is not None and actor.pk else None,
            "decided_at": timezone.now(),
        },
    )
    return decision


@transaction.atomic
def decide_pair(pair: MatchCandidate, verdict: str, *, actor, reason: str = "") -> PairDecision:
    """An analyst's answer to a review pair: the same person (the newer is merged into the
    older through ``registry.actions.merge_persons``) or different persons. Stored once
    per pair of persons and never asked again."""
    from timpora.registry.actions import merge_persons

    require(actor, "matching.review")
    pair = MatchCandidate.objects.select_for_update().get(pk=pair.pk)
    if pair.status != PairStatus.PENDING:
        raise ValidationError({"__all__": [_("This pair has been decided already.")]})
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": [_("Answer “same person” or “different persons”.")]})
    reason = " ".join((reason or "").split())
    merge = None
    if verdict == Verdict.SAME:
        survivor, absorbed = pair.person_a, pair.person_b
        if survivor.merged_into_id or absorbed.merged_into_id:
            raise ValidationError(
                {"__all__": [_("One of the persons has been merged into another since.")]}
            )
        merge = merge_persons(
            survivor,
            absorbed,
            actor=actor,
            reason=reason
            or f"review pair {pair.pk}: same person (match probability {pair.probability:.2f})",
        )
        pair.status = PairStatus.ACCEPTED
    else:
        pair.status = PairStatus.REJECTED
    decision = _decide(pair.person_a_id, pair.person_b_id, verdict, actor=actor, reason=reason)
    pair.decision = decision
    pair.decided_at = decision.decided_at
    pair.save(update_fields=["status", "decision", "decided_at"])
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=pair,
        fields={
            "verdict": verdict,
            "reason": reason,
            "person_a": pair.person_a_id,
            "person_b": pair.person_b_id,
            "merge": merge.pk if merge else None,
        },
    )
    return decision


# ---------------------------------------------------------------------------- merge hooks
# ``registry.actions`` calls these after a merge, an undo and a split (whoever asked for
# it: the review queue, the person page, the API), so keys and decisions always follow.


def persons_merged(merge: PersonMerge, *, actor) -> None:
    """``merge.absorbed`` is now part of ``merge.survivor``: key the survivor with both
    identities, retire the absorbed person's pending pairs, carry its "different"
    decisions over, record the pair as the same person and look for further duplicates."""
    survivor, absorbed = merge.survivor, merge.absorbed
    sync_keys([survivor.pk, absorbed.pk])
    now = timezone.now()
    decision = _decide(survivor.pk, absorbed.pk, Verdict.SAME, actor=actor, reason=merge.reason)
    a, b = sorted((survivor.pk, absorbed.pk))
    MatchCandidate.objects.filter(person_a_id=a, person_b_id=b, status=PairStatus.PENDING).update(
        status=PairStatus.ACCEPTED, decision=decision, decided_at=now
    )
    (
        MatchCandidate.objects.filter(status=PairStatus.PENDING)
        .filter(Q(person_a=absorbed) | Q(person_b=absorbed))
        .exclude(person_a_id=a, person_b_id=b)
        .update(status=PairStatus.SUPERSEDED, decided_at=now)
    )
    for other in decided_with(absorbed.pk) - {survivor.pk}:
        verdict = (
            PairDecision.objects.filter(
                person_a_id=min(other, absorbed.pk), person_b_id=max(other, absorbed.pk)
            )
            .values_list("verdict", flat=True)
            .first()
        )
        low, high = sorted((other, survivor.pk))
        if verdict == Verdict.DIFFERENT:
            PairDecision.objects.get_or_create(
                person_a_id=low,
                person_b_id=high,
                defaults={
                    "verdict": Verdict.DIFFERENT,
                    "reason": f"decided for person {absorbed.pk}, merged into {survivor.pk}",
                    "decided_by": actor if actor is not None and actor.pk else None,
                    "decided_at": now,
                },
            )
    scan_person(survivor, actor=actor)


def merge_undone(merge: PersonMerge, *, actor) -> None:
    """A merge or split was taken back: an undone merge says the two are different persons
    (never proposed again), an undone split that they are one. Keys follow the records."""
    from timpora.registry.choices import MergeKind

    verdict = Verdict.DIFFERENT if merge.kind == MergeKind.MERGE else Verdict.SAME
    decision = _decide(
        merge.survivor_id, merge.absorbed_id, verdict, actor=actor, reason=merge.undo_reason
    )
    if verdict == Verdict.DIFFERENT:
        MatchCandidate.objects.filter(
            person_a_id=decision.person_a_id,
            person_b_id=decision.person_b_id,
            status=PairStatus.ACCEPTED,
        ).update(status=PairStatus.REJECTED, decision=decision, decided_at=decision.decided_at)
    sync_keys([merge.survivor_id, merge.absorbed_id])
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=decision,
        fields={"merge": merge.pk, "undone": True, "verdict": verdict},
    )


def person_split(split: PersonMerge, *, actor) -> None:
    """Records of ``split.survivor`` went to the new ``split.absorbed``: two foreigners had
    been registered as one. They are decided different, so never proposed again."""
    decision = _decide(
        split.survivor_id, split.absorbed_id, Verdict.DIFFERENT, actor=actor, reason=split.reason
    )
    sync_keys([split.survivor_id, split.absorbed_id])
    record(
        AuditAction.CREATE,
        actor=actor,
        obj=decision,
        fields={"split": split.pk, "verdict": Verdict.DIFFERENT},
    )
