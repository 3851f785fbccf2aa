"""Choices for joint operations (*operasi gabungan*) and administrative immigration actions
(*Tindakan Administratif Keimigrasian*, TAK), with the legal basis next to each action."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OperationStatus(models.TextChoices):
    """An operation is planned, then run in the field, then closed with its report."""

    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


# The only moves between statuses: a finished operation is not reopened (its report is final).
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    OperationStatus.PLANNED: (OperationStatus.RUNNING,),
    OperationStatus.RUNNING: (OperationStatus.FINISHED,),
    OperationStatus.FINISHED: (),
}


class CheckResult(models.TextChoices):
    """What a field check found."""

    COMPLIANT = "compliant", _("Compliant")
    VIOLATION = "violation", _("Violation found")
    NOT_FOUND = "not_found", _("Person not found")


class CheckChannel(models.TextChoices):
    """How the check reached the server: the phone page (at once or from its offline queue)
    or the API."""

    WEB = "web", _("Phone page")
    OFFLINE = "offline", _("Phone page, sent later from the offline queue")
    API = "api", _("API")


class ViolationType(models.TextChoices):
    """Violations found in the field (see docs/domain: rules to encode)."""

    OVERSTAY = "overstay", _("Overstay (Art. 78)")
    ACTIVITY_MISMATCH = "activity_mismatch", _("Activity not matching the permit")
    NO_DOCUMENT = "no_document", _("No valid travel document or permit (Art. 119)")
    UNREPORTED_STAY = "unreported_stay", _("Unreported stay (Art. 72)")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    """A case is examined (BAP), reviewed (gelar kasus) and closed when every decided
    action has been followed up."""

    OPEN = "open", _("Open (examination)")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


class ActionType(models.TextChoices):
    """Administrative immigration actions of UU 6/2011 Art. 75(2) letters a–f, and detention
    (Art. 83) pending deportation."""

    BAN_LIST = "ban_list", _("(a) Entry on the prevention or entry-ban list")
    PERMIT = "permit", _("(b) Restriction, change or cancellation of the stay permit")
    PLACE_BAN = "place_ban", _("(c) Ban from being in a specified place")
    PLACE_OBLIGATION = "place_obligation", _("(d) Obligation to live in a specified place")
    FEE = "fee", _("(e) Overstay fee (biaya beban)")
    DEPORTATION = "deportation", _("(f) Deportation")
    DETENTION = "detention", _("Detention (Rudenim)")


# The letter of Art. 75(2) for each action (detention has none: it rests on Art. 83).
ACTION_LETTERS: dict[str, str] = {
    ActionType.BAN_LIST: "a",
    ActionType.PERMIT: "b",
    ActionType.PLACE_BAN: "c",
    ActionType.PLACE_OBLIGATION: "d",
    ActionType.FEE: "e",
    ActionType.DEPORTATION: "f",
}

# Default legal basis written into a decision; the drafter may add to it (a decision cites
# the articles of its own facts). Citations are kept in the official Indonesian form because
# they are quoted verbatim in the signed decision.
LEGAL_BASIS: dict[str, str] = {
    ActionType.BAN_LIST: "Pasal 75 ayat (2) huruf a UU 6/2011",
    ActionType.PERMIT: "Pasal 75 ayat (2) huruf b UU 6/2011",
    ActionType.PLACE_BAN: "Pasal 75 ayat (2) huruf c UU 6/2011",
    ActionType.PLACE_OBLIGATION: "Pasal 75 ayat (2) huruf d UU 6/2011",
    # Art. 78(2): up to 60 days past the permit, a fee per day.
    ActionType.FEE: "Pasal 75 ayat (2) huruf e jo. Pasal 78 ayat (2) UU 6/2011",
    ActionType.DEPORTATION: "Pasal 75 ayat (2) huruf f UU 6/2011",
    ActionType.DETENTION: "Pasal 83 UU 6/2011",
}
# Art. 78(3): more than 60 days past the permit, deportation and an entry ban.
OVERSTAY_DEPORTATION_BASIS = "Pasal 75 ayat (2) huruf f jo. Pasal 78 ayat (3) UU 6/2011"
OVERSTAY_BAN_BASIS = "Pasal 75 ayat (2) huruf a jo. Pasal 78 ayat (3) UU 6/2011"


class DecisionStatus(models.TextChoices):
    """A decision is drafted by the case officers and signed by the head of office; once
    signed only its follow-up may change."""

    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
