"""The investment committee's use cases: convening a meeting, its agenda, each member's conflict
declaration and vote on an agenda item, the close of the vote, and conditions precedent met.

A vote is its author's until the item's vote closes: it can be changed until then, and the close
(under the item's row lock, like every vote) counts it once and for all. A rejection declines the
deal (``committee_rejected``, a system step); an approval leaves the deal at the committee stage
for a manager to issue the term sheet once each condition precedent is met (``gates``).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hkhz_portal.core import audit, events
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..events import FundEventKind
from ..gates import APPROVALS
from ..models import AgendaItem, CommitteeMeeting, Condition, ConflictDeclaration, Deal, Outcome, Vote, VoteChoice
from ..selectors import is_committee_member, is_fund_manager
from ..workflow import Stage
from .deals import forbidden, lock, move

#: The reason a rejected deal is declined with, stored in English: pages show it through gettext.
REJECTED_REASON = gettext_noop("The investment committee rejected the deal.")
#: The votes for a deal; a rejection is against it; an abstention counts toward the quorum only.
FOR = (VoteChoice.APPROVE, VoteChoice.APPROVE_WITH_CONDITIONS)
#: The chair's casting vote on a tie.
CASTING_CHOICES = (VoteChoice.APPROVE, VoteChoice.REJECT)


def _lock_meeting(meeting: CommitteeMeeting) -> CommitteeMeeting:
    return CommitteeMeeting.objects.select_for_update(of=("self",)).select_related("fund").get(pk=meeting.pk)


def _lock_item(item: AgendaItem) -> AgendaItem:
    return (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting__fund", "meeting__chair", "deal")
        .get(pk=item.pk)
    )


def _require_open(item: AgendaItem) -> None:
    if item.is_closed:
        raise DomainError(_("The vote on this deal is closed: nothing changes it."), code="vote_closed", status=409)


def _not_members(fund, users) -> list:
    return [user for user in users if not is_committee_member(user, fund)]


def _sits_on(user, meeting: CommitteeMeeting) -> bool:
    return meeting.members.filter(pk=user.pk).exists()


@transaction.atomic(durable=True)
def convene_meeting(*, actor, fund, title: str, scheduled_for, chair, members, location: str = "") -> CommitteeMeeting:
    """A manager convenes a meeting of committee members of the fund; the chair is one of them."""
    if not is_fund_manager(actor, fund):
        raise forbidden()
    title = title.strip()
    if not title:
        raise DomainError(_("Give the meeting a title."), code="title_required", field="title")
    members = {user.pk: user for user in [*members, chair]}.values()
    if _not_members(fund, members):
        raise DomainError(_("Choose members of the fund's investment committee."), code="not_a_member", field="members")
    if len(members) < fund.quorum:
        raise DomainError(
            _("Invite at least %(quorum)s members: the fund's quorum.") % {"quorum": fund.quorum},
            code="below_quorum",
            field="members",
        )
    meeting = CommitteeMeeting.objects.create(
        fund=fund,
        title=title,
        scheduled_for=scheduled_for,
        location=location.strip(),
        chair=chair,
        created_by=actor,
    )
    meeting.members.set(members)
    audit.record(
        AuditAction.MEETING_CONVENED,
        actor=actor,
        target=meeting,
        changes={"members": sorted(user.pk for user in members), "chair": chair.pk},
    )
    return meeting


@transaction.atomic(durable=True)
def add_to_agenda(*, actor, meeting: CommitteeMeeting, deal: Deal) -> AgendaItem:
    """A manager puts a deal at the committee stage on a meeting's agenda: one not already on an
    open agenda item nor approved (a deal whose vote had no quorum goes on a later meeting)."""
    meeting = _lock_meeting(meeting)
    if not is_fund_manager(actor, meeting.fund):
        raise forbidden()
    deal = lock(deal)
    if deal.fund_id != meeting.fund_id:
        raise DomainError(_("Choose a deal of this fund."), code="other_fund", field="deal")
    if deal.stage != Stage.COMMITTEE:
        raise DomainError(
            _("Only a deal at the committee stage goes on the agenda; %(reference)s is at “%(stage)s”.")
            % {"reference": deal.reference, "stage": deal.get_stage_display()},
            code="not_at_committee",
            status=409,
        )
    items = AgendaItem.objects.filter(deal=deal)
    if items.filter(meeting=meeting).exists():
        raise DomainError(_("This deal is on this meeting's agenda already."), code="on_agenda", status=409)
    if items.filter(closed_at__isnull=True).exists():
        raise DomainError(
            _("This deal is on another meeting's agenda, still open."), code="on_other_agenda", status=409
        )
    if items.filter(outcome__in=APPROVALS).exists():
        raise DomainError(_("The committee has approved this deal already."), code="approved", status=409)
    if _not_members(meeting.fund, meeting.members.all()):
        raise DomainError(
            _("Someone invited to this meeting is no longer on the fund's committee."),
            code="not_a_member",
            status=409,
        )
    order = (meeting.agenda.aggregate(last=Max("order"))["last"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, deal=deal, order=order)
    audit.record(AuditAction.AGENDA_CHANGED, actor=actor, target=meeting, changes={"added": deal.reference})
    return item


@transaction.atomic(durable=True)
def remove_from_agenda(*, actor, item: AgendaItem) -> None:
    """A manager takes a deal off the agenda while its vote is open (its declarations and votes go
    with it)."""
    item = _lock_item(item)
    if not is_fund_manager(actor, item.meeting.fund):
        raise forbidden()
    _require_open(item)
    audit.record(AuditAction.AGENDA_CHANGED, actor=actor, target=item.meeting, changes={"removed": item.deal.reference})
    item.delete()


@transaction.atomic(durable=True)
def declare(*, actor, item: AgendaItem, conflicted: bool, note: str = "") -> ConflictDeclaration:
    """A member of the meeting declares a conflict of interest on the deal (saying its nature), or
    none; once, before the papers unlock."""
    item = _lock_item(item)
    if not _sits_on(actor, item.meeting):
        raise forbidden(_("Only the meeting's members declare on its agenda."))
    _require_open(item)
    if ConflictDeclaration.objects.filter(item=item, member=actor).exists():
        raise DomainError(_("You have declared on this deal already."), code="declared", status=409)
    note = note.strip()
    if conflicted and not note:
        raise DomainError(_("Say what the conflict is."), code="note_required", field="note")
    declaration = ConflictDeclaration.objects.create(
        item=item, member=actor, conflicted=conflicted, note=note if conflicted else ""
    )
    audit.record(
        AuditAction.CONFLICT_DECLARED,
        actor=actor,
        target=item.deal,
        changes={"item": item.pk, "conflicted": conflicted},
    )
    return declaration


@transaction.atomic(durable=True)
def cast_vote(*, actor, item: AgendaItem, choice: str, comment: str = "") -> Vote:
    """A member without a conflict votes, or changes their vote, until the vote closes."""
    item = _lock_item(item)
    if not _sits_on(actor, item.meeting):
        raise forbidden(_("Only the meeting's members vote."))
    _require_open(item)
    declaration = ConflictDeclaration.objects.filter(item=item, member=actor).first()
    if declaration is None:
        raise DomainError(_("Declare any conflict of interest first."), code="not_declared", status=409)
    if declaration.conflicted:
        raise forbidden(_("You declared a conflict of interest on this deal: you do not vote on it."))
    if item.deal.stage != Stage.COMMITTEE:
        raise DomainError(_("This deal is no longer before the committee."), code="not_at_committee", status=409)
    if choice not in VoteChoice.values:
        raise DomainError(_("Choose how you vote."), code="invalid_choice", field="choice")
    vote, _created = Vote.objects.update_or_create(
        item=item, member=actor, defaults={"choice": choice, "comment": comment.strip()}
    )
    # The audit trail says who voted, never how: the vote is secret until the close.
    audit.record(AuditAction.VOTE_CAST, actor=actor, target=item.deal, changes={"item": item.pk})
    return vote


@dataclass(frozen=True)
class Count:
    """The votes at the close, and what they decide (before the chair's casting vote)."""

    tally: dict
    quorate: bool
    tied: bool
    approved: bool
    with_conditions: bool


def count(item: AgendaItem) -> Count:
    """The tally of ``item``'s votes by the members without a conflict, under the fund's quorum and
    majority."""
    fund = item.meeting.fund
    members = set(item.meeting.members.values_list("pk", flat=True))
    conflicted = set(
        ConflictDeclaration.objects.filter(item=item, conflicted=True, member__in=members).values_list(
            "member", flat=True
        )
    )
    choices = [
        choice
        for member, choice in Vote.objects.filter(item=item).values_list("member", "choice")
        if member in members and member not in conflicted
    ]
    tally = {choice: choices.count(choice) for choice in VoteChoice.values}
    votes_for = tally[VoteChoice.APPROVE] + tally[VoteChoice.APPROVE_WITH_CONDITIONS]
    against = tally[VoteChoice.REJECT]
    tally.update(
        conflicted=len(conflicted),
        eligible=len(members - conflicted),
        cast=len(choices),
        quorum=fund.quorum,
        majority_percent=fund.majority_percent,
        **{"for": votes_for, "against": against},
    )
    share, bar = votes_for * 100, fund.majority_percent * (votes_for + against)
    return Count(
        tally=tally,
        quorate=len(choices) >= fund.quorum,
        tied=share == bar,
        approved=share > bar,
        with_conditions=tally[VoteChoice.APPROVE_WITH_CONDITIONS] > 0,
    )


def casting_vote_counts(item: AgendaItem) -> bool:
    """Whether a tie on ``item`` goes to the chair's casting vote: the fund says so and the chair
    declared no conflict."""
    return (
        item.meeting.fund.chair_casting_vote
        and not ConflictDeclaration.objects.filter(item=item, member_id=item.meeting.chair_id, conflicted=True).exists()
    )


def _conditions(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@transaction.atomic(durable=True)
def close_vote(*, actor, item: AgendaItem, casting_vote: str = "", conditions: str = "") -> AgendaItem:
    """The chair or a manager closes the vote: the tally is stored on the item with the outcome
    (no quorum, approved, approved with the ``conditions`` listed one per line, or rejected, which
    declines the deal); from then on every vote is final."""
    item = _lock_item(item)
    meeting = item.meeting
    if not (actor.pk == meeting.chair_id or is_fund_manager(actor, meeting.fund)):
        raise forbidden(_("Only the chair or the fund's managers close a vote."))
    _require_open(item)
    deal = lock(item.deal)
    if deal.stage != Stage.COMMITTEE:
        raise DomainError(_("This deal is no longer before the committee."), code="not_at_committee", status=409)
    counted = count(item)
    item.casting_vote = ""
    listed = _conditions(conditions)
    if not counted.quorate:
        item.outcome = Outcome.NO_QUORUM
    else:
        approved = counted.approved
        if counted.tied and casting_vote_counts(item):
            if casting_vote not in CASTING_CHOICES:
                raise DomainError(
                    _("Give the chair's casting vote: approve or reject."), code="casting_vote", field="casting_vote"
                )
            item.casting_vote = casting_vote
            approved = casting_vote == VoteChoice.APPROVE
        if not approved:
            item.outcome = Outcome.REJECTED
        elif listed:
            item.outcome = Outcome.APPROVED_WITH_CONDITIONS
        elif counted.with_conditions:
            raise DomainError(
                _("A member approved with conditions: list the conditions precedent, one per line."),
                code="conditions_required",
                field="conditions",
            )
        else:
            item.outcome = Outcome.APPROVED
    item.tally = counted.tally
    item.closed_at = timezone.now()
    item.closed_by = actor
    item.save(update_fields=["outcome", "casting_vote", "tally", "closed_at", "closed_by"])
    if item.outcome == Outcome.APPROVED_WITH_CONDITIONS:
        Condition.objects.bulk_create(Condition(deal=deal, item=item, text=text) for text in listed)
    if item.outcome == Outcome.REJECTED:
        move(deal, "committee_rejected", actor=None, note=REJECTED_REASON)
    payload = {"reference": deal.reference, "meeting": meeting.pk, "item": item.pk, "outcome": item.outcome}
    audit.record(AuditAction.VOTE_CLOSED, actor=actor, target=deal, changes={**payload, "tally": item.tally})
    events.emit(FundEventKind.VOTE_CLOSED, target=deal, actor=actor, payload=payload)
    return item


@transaction.atomic(durable=True)
def mark_condition_met(*, actor, condition: Condition, note: str) -> Condition:
    """A manager marks a condition precedent met, saying how; once met, it stays met."""
    condition = Condition.objects.select_for_update().select_related("deal__fund").get(pk=condition.pk)
    if not is_fund_manager(actor, condition.deal.fund):
        raise forbidden()
    if condition.met_at is not None:
        raise DomainError(_("This condition is already met."), code="already_met", status=409)
    note = note.strip()
    if not note:
        raise DomainError(_("Say how the condition was met."), code="note_required", field="note")
    condition.met_at = timezone.now()
    condition.met_by = actor
    condition.met_note = note
    condition.save(update_fields=["met_at", "met_by", "met_note"])
    audit.record(AuditAction.CONDITION_MET, actor=actor, target=condition.deal, changes={"condition": condition.pk})
    return condition
