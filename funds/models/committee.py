"""The investment committee: meetings, the deals on their agenda, each member's conflict
declaration per deal, the votes, and the conditions precedent an approval sets.

A vote is the member's own until the agenda item's vote closes: nobody else (not the chair, not
the fund's managers) reads it before; once closed, the tally is stored on the item and no vote
changes (``funds.services.committee``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.validators import validate_multiline_text, validate_plain_text


class CommitteeMeeting(models.Model):
    fund = models.ForeignKey("funds.Fund", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    scheduled_for = models.DateTimeField(_("date and time"))
    location = models.CharField(_("place"), max_length=200, blank=True, validators=[validate_plain_text])
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chair"), on_delete=models.PROTECT, related_name="chaired_meetings"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="committee_meetings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("convened by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("convened"), auto_now_add=True)

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-scheduled_for", "-id"]
        indexes = [models.Index(fields=["fund", "-scheduled_for"], name="fund_meeting_date_idx")]

    def __str__(self):
        return self.title


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
    REJECTED = "rejected", _("Rejected")
    NO_QUORUM = "no_quorum", _("No quorum")


class VoteChoice(models.TextChoices):
    APPROVE = "approve", _("Approve")
    APPROVE_WITH_CONDITIONS = "approve_with_conditions", _("Approve with conditions")
    REJECT = "reject", _("Reject")
    ABSTAIN = "abstain", _("Abstain")


class AgendaItem(models.Model):
    """A deal put to a meeting. Its vote is open until closed; then ``outcome`` and ``tally`` are
    final."""

    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="agenda")
    deal = models.ForeignKey(
        "funds.Deal", verbose_name=_("deal"), on_delete=models.PROTECT, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    closed_at = models.DateTimeField(_("vote closed"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices, blank=True, editable=False)
    #: The chair's casting vote, when a tie was decided by it.
    casting_vote = models.CharField(
        _("casting vote"), max_length=32, choices=VoteChoice.choices, blank=True, editable=False
    )
    #: The counts at the close: {"approve": n, "approve_with_conditions": n, "reject": n, "abstain": n,
    #: "conflicted": n, "eligible": n}.
    tally = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "deal"], name="fund_agenda_deal_once"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, outcome="") | Q(closed_at__isnull=False) & ~Q(outcome=""),
                name="fund_agenda_outcome_when_closed",
            ),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.deal}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ConflictDeclaration(models.Model):
    """A member's declaration on one agenda item, made before its papers unlock: a conflicted
    member neither votes nor counts toward the quorum."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    conflicted = models.BooleanField(_("has a conflict of interest"))
    note = models.TextField(_("nature of the conflict"), blank=True, validators=[validate_multiline_text])
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="fund_declaration_once")]

    def __str__(self):
        return f"{self.item} {self.member}"


class Vote(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("vote"), max_length=32, choices=VoteChoice.choices)
    comment = models.TextField(_("comment"), blank=True, validators=[validate_multiline_text])
    cast_at = models.DateTimeField(_("cast"), auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["item", "cast_at", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="fund_vote_once")]

    def __str__(self):
        return f"{self.item} {self.member}"


class Condition(models.Model):
    """A condition precedent of an approval: the term sheet waits until each is met."""

    deal = models.ForeignKey("funds.Deal", on_delete=models.CASCADE, related_name="conditions")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conditions")
    text = models.TextField(_("condition"), validators=[validate_multiline_text])
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked met by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    met_note = models.TextField(_("how it was met"), blank=True, validators=[validate_multiline_text])

    class Meta:
        verbose_name = _("condition precedent")
        verbose_name_plural = _("conditions precedent")
        ordering = ["item", "id"]

    def __str__(self):
        return self.text[:60]
