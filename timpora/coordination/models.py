"""The TIMPORA team as a coordination forum: its decrees and members, its meetings, the
inventory of problems and solutions, and the follow-ups that the team agreed on.

Nothing here is ever deleted: a member leaves with an end date and a reason, a decree is
replaced by a newer one, a problem is closed. The team page and the routine evaluation read
that history.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from timpora.coordination.choices import (
    CheckInMethod,
    FollowUpStatus,
    LetterNature,
    MeetingStatus,
    ProblemCategory,
    ProblemStatus,
    TeamLevel,
    TeamRole,
)


class Team(models.Model):
    """A TIMPORA team (*Tim Pengawasan Orang Asing*) at one level for one area: at most one
    team per area (the province, a kota/kabupaten, a kecamatan or a kelurahan/desa)."""

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=TeamLevel.choices)
    area = models.OneToOneField(
        "areas.Area", on_delete=models.PROTECT, related_name="timpora_team", verbose_name=_("area")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area__code"]
        verbose_name = _("TIMPORA team")
        verbose_name_plural = _("TIMPORA teams")

    def __str__(self) -> str:
        return self.name


class Decree(models.Model):
    """A decree (*Surat Keputusan*, SK) forming one or more teams and naming their members.

    One SK of the head of the immigration office may form the teams of every kelurahan of a
    city at once, hence the many-to-many. A newer decree ``replaces`` the previous one; the
    scanned document lives in private storage and is served only through a scoped view.
    """

    number = models.CharField(_("number"), max_length=100)
    issued_on = models.DateField(_("date"))
    issuer = models.CharField(
        _("issued by"),
        max_length=200,
        help_text=_("The office holder who signed it, e.g. the head of the immigration office."),
    )
    title = models.CharField(_("about"), max_length=300, blank=True)
    term_start = models.DateField(_("term of office from"), null=True, blank=True)
    term_end = models.DateField(_("term of office until"), null=True, blank=True)
    document = models.FileField(
        _("scanned document"), upload_to="coordination/decrees/%Y/", blank=True
    )
    teams = models.ManyToManyField(Team, related_name="decrees", verbose_name=_("teams"))
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("decree (SK)")
        verbose_name_plural = _("decrees (SK)")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="unique_decree_per_issuer")
        ]

    def __str__(self) -> str:
        return self.number


class TeamMembership(models.Model):
    """One person's seat in a team for a period. A change of member ends the old seat (end
    date and reason) and opens a new one, so the history stays complete.

    ``term_end`` is the end of the term the decree set (the member still serves on that day);
    ``ended_on`` is the day the member stopped serving before that (no longer a member from
    that day), with ``end_reason``.
    """

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    decree = models.ForeignKey(
        Decree,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("appointed by decree"),
    )
    person_name = models.CharField(_("name"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_memberships",
        verbose_name=_("Timpora user"),
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_memberships",
        verbose_name=_("agency"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    role = models.CharField(
        _("role in the team"), max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    term_start = models.DateField(_("member from"))
    term_end = models.DateField(_("term until"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "role", "term_start", "id"]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        indexes = [models.Index(fields=["team", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.get_role_display()})"

    def is_current(self, on: date) -> bool:
        return (
            self.term_start <= on
            and (self.ended_on is None or self.ended_on > on)
            and (self.term_end is None or self.term_end >= on)
        )


class Meeting(models.Model):
    """A coordination meeting (*rapat koordinasi*) of a team, with the invitation letter's
    particulars (number, nature, attachment, subject)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    letter_number = models.CharField(_("letter number (Nomor)"), max_length=100, blank=True)
    letter_nature = models.CharField(
        _("nature (Sifat)"),
        max_length=10,
        choices=LetterNature.choices,
        default=LetterNature.ORDINARY,
    )
    letter_attachment = models.CharField(_("attachment (Lampiran)"), max_length=100, blank=True)
    letter_subject = models.CharField(
        _("subject (Perihal)"), max_length=200, default="Undangan Rapat Koordinasi Tim PORA"
    )
    letter_date = models.DateField(_("letter date"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    minutes_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"


class AgendaItem(models.Model):
    """One point of a meeting's agenda (*acara*), in order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("item"), max_length=300)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Invitee(models.Model):
    """Someone invited to a meeting: a team member (``membership``) or an agency, which sends
    a delegate; attendance is recorded on the same row.

    ``name`` keeps the invitation as it was written (members change later); an agency's
    delegate who checks in leaves their name in ``attendee_name``.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    membership = models.ForeignKey(
        TeamMembership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("invitee"), max_length=250)
    attended = models.BooleanField(_("present"), default=False)
    attendee_name = models.CharField(_("attended by"), max_length=150, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    check_in_method = models.CharField(max_length=10, choices=CheckInMethod.choices, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"],
                condition=models.Q(membership__isnull=False),
                name="one_invitation_per_member",
            ),
            models.UniqueConstraint(
                fields=["meeting", "agency"],
                condition=models.Q(membership__isnull=True, agency__isnull=False),
                name="one_invitation_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    """A decision recorded in a meeting's minutes; it may settle a problem of the inventory."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))
    problem = models.ForeignKey(
        "Problem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("about problem"),
    )

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]


class MeetingAttachment(models.Model):
    """A file of a meeting (presentation, photo, signed attendance list): private storage."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="coordination/meetings/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("meeting attachment")
        verbose_name_plural = _("meeting attachments")

    def __str__(self) -> str:
        return self.title


class Problem(models.Model):
    """A problem raised in the team (Permenimipas 2/2025 Art. 53(d)): what, where, which
    agencies answer for it; its solutions and follow-ups hang below it."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=30, choices=ProblemCategory.choices)
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
        verbose_name=_("raised in team"),
    )
    raised_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems_raised",
        verbose_name=_("raised at meeting"),
    )
    agencies = models.ManyToManyField(
        "accounts.Agency",
        blank=True,
        related_name="coordination_problems",
        verbose_name=_("agencies responsible"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    opened_on = models.DateField(_("raised on"), db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, db_index=True)
    close_note = models.CharField(_("closing note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self) -> str:
        return self.title


class Solution(models.Model):
    """A solution the team agreed on for a problem, possibly at a meeting."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="solutions")
    text = models.TextField(_("agreed solution"))
    agreed_on = models.DateField(_("agreed on"))
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="solutions",
        verbose_name=_("agreed at meeting"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["problem", "agreed_on", "id"]
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")

    def __str__(self) -> str:
        return self.text[:80]


class FollowUp(models.Model):
    """A follow-up action (*tindak lanjut*) with an owner (agency and/or user) and a due date;
    overdue while not done after its due date."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="follow_ups")
    solution = models.ForeignKey(
        Solution,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        verbose_name=_("for solution"),
    )
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        verbose_name=_("from decision"),
    )
    description = models.CharField(_("action"), max_length=300)
    owner_agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner agency"),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordination_follow_ups",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("progress note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, today: date) -> bool:
        return self.status != FollowUpStatus.DONE and self.due_date < today


class FollowUpReminder(models.Model):
    """The ledger that makes reminding idempotent: one row per overdue follow-up per day,
    written in the same transaction as that day's notifications."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    recipients = models.PositiveIntegerField(default=0)
    emails = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up reminder")
        verbose_name_plural = _("follow-up reminders")
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "day"], name="one_reminder_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.follow_up_id} {self.day}"
