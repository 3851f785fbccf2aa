"""Entity resolution in the application: match keys, review pairs and analysts' decisions.

``PersonMatchKey`` holds the matching engine's blocking keys and comparison features of
every registry person, indexed, so that one incoming record finds its few candidates among
a million persons by equality lookups (see ``resolver.py``). ``MatchCandidate`` is a pair
of persons that may be one person, waiting for an analyst; ``PairDecision`` is the
analyst's answer, which matching never asks again and never overrides.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from timpora.matching.choices import PairSource, PairStatus, Verdict
from timpora.registry.models import AreaCodes, Person


class PersonMatchKey(models.Model):
    """The engine's features of one person, one row per travel-document number (one row
    with no passport for a person without documents).

    Columns are those of ``timpora.matching.engine.features`` (NULL = unknown), computed by
    the engine itself (``keys.py``) so that the database and the engine never disagree:
    ``name_sorted`` (name tokens sorted: order-free), ``name_cycle`` (least rotation: spacing-
    free), ``name_phon`` (sound skeleton), ``dob_swapkey`` (birth date with day and month in
    order: swap-free), ``passport_ocr`` (OCR-confusable characters folded). ``full_name``,
    ``birth`` (ISO, possibly partial) and ``passport_number`` are the values as registered,
    shown in explanations.
    """

    # A merge leaves these rows where they are: ``actions`` recomputes the keys of both
    # persons (the survivor's then include the absorbed person's spelling).
    merge_keeps_person = True

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_keys")
    full_name = models.CharField(max_length=250)
    birth = models.CharField(max_length=10, null=True)
    passport_number = models.CharField(max_length=20, null=True)
    name_key = models.CharField(max_length=250, null=True)
    name_sorted = models.CharField(max_length=250, null=True)
    name_cycle = models.CharField(max_length=250, null=True)
    name_phon = models.CharField(max_length=250, null=True)
    sex = models.CharField(max_length=1, null=True)
    nationality = models.CharField(max_length=3, null=True)
    dob_y = models.SmallIntegerField(null=True)
    dob_swapkey = models.CharField(max_length=10, null=True)
    passport = models.CharField(max_length=20, null=True)
    passport_ocr = models.CharField(max_length=20, null=True)

    class Meta:
        verbose_name = _("match key")
        verbose_name_plural = _("match keys")
        # One index per blocking rule of the model (see resolver.BLOCKS); the name index
        # also answers "how many people carry this name" from the index alone.
        indexes = [
            models.Index(fields=["passport_ocr"], name="matchkey_passport"),
            models.Index(fields=["dob_swapkey", "nationality"], name="matchkey_birth"),
            models.Index(fields=["name_sorted", "dob_y", "dob_swapkey"], name="matchkey_sorted"),
            models.Index(fields=["name_cycle", "dob_y"], name="matchkey_cycle"),
            models.Index(fields=["name_phon", "dob_y"], name="matchkey_phon"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.name_sorted or '?'} {self.birth or ''}"


class PairDecision(models.Model):
    """An analyst's answer about two persons (``person_a`` the older): the same person
    (merged) or different persons. A decided pair is never queued again; a pair decided
    different is never merged by matching."""

    # The decision is about these two persons, whatever a later merge moves.
    merge_keeps_person = True

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("pair decision")
        verbose_name_plural = _("pair decisions")
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="one_decision_per_pair"),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="decision_persons_ordered"
            ),
        ]
        indexes = [models.Index(fields=["person_b", "person_a"], name="decision_reverse")]

    def __str__(self) -> str:
        return f"{self.person_a_id} / {self.person_b_id}: {self.verdict}"


class MatchCandidate(AreaCodes):
    """Two persons that may be one, between the two matching thresholds: a review pair.

    ``person_a`` is the older person (it survives a merge), ``person_b`` the newer one.
    ``evidence`` lists, per compared field, the level reached and its weight (log2 Bayes
    factor) as the engine explained it; the area columns say where the newer record came
    from (the queue's area filter).
    """

    # A pair keeps naming the two persons compared, whatever a later merge moves.
    merge_keeps_person = True

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("match probability"))
    match_weight = models.FloatField(_("match weight"))
    evidence = models.JSONField(_("evidence"), default=list)
    source = models.CharField(_("source"), max_length=12, choices=PairSource.choices)
    source_ref = models.CharField(_("source reference"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PairStatus.choices, default=PairStatus.PENDING
    )
    decision = models.ForeignKey(
        PairDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="pairs"
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-probability", "id"]
        verbose_name = _("review pair")
        verbose_name_plural = _("review pairs")
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="one_pair_per_persons"),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="pair_persons_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "probability"], name="pair_queue"),
            models.Index(fields=["person_b", "status"], name="pair_person_b"),
            models.Index(fields=["status", "kecamatan_code"], name="pair_queue_area"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.probability:.2f})"
