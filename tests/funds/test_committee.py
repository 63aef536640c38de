"""The investment committee's rules, through its services: declarations before votes, votes
changeable until the close and final after it, the quorum without conflicted members, the
majority, a tie and the chair's casting vote, conditions precedent, and a rejection declining
the deal."""

import threading

import pytest
from django.db import connection
from django.utils import timezone, translation

from funds.models import AgendaItem, Condition, Outcome, Vote
from funds.services import committee
from funds.services import deals as deal_services
from funds.services.committee import REJECTED_REASON
from funds.workflow import Stage
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import AuditEvent, DomainEvent
from tests.conftest import require

from .factories import another_fund, committee_member_of, convened, deal_at, manager_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(fund, manager, checklist_templates):
    return deal_at(Stage.COMMITTEE, fund, manager)


@pytest.fixture
def item(fund, manager, members, deal):
    return convened(fund, manager, members, deal).agenda.get()


def refused(call, status, code=None):
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.status == status, caught.value.message
    if code:
        assert caught.value.code == code
    return caught.value


def votes(item, *choices, members):
    """Each of ``members`` declares no conflict and casts the matching choice."""
    for member, choice in zip(members, choices, strict=True):
        committee.declare(actor=member, item=item, conflicted=False)
        committee.cast_vote(actor=member, item=item, choice=choice, comment=f"{member.full_name} says {choice}")


def close(item, actor, **fields):
    committee.close_vote(actor=actor, item=item, **fields)
    item.refresh_from_db()
    item.deal.refresh_from_db()
    return item


# --- Convening and the agenda ----------------------------------------------------------------------


def test_a_manager_convenes_a_meeting_whose_chair_is_one_of_its_members(fund, manager, members):
    meeting = committee.convene_meeting(
        actor=manager,
        fund=fund,
        title=" March committee ",
        scheduled_for=timezone.now(),
        chair=members[2],
        members=members[:2],
    )
    assert meeting.title == "March committee"
    assert set(meeting.members.all()) == set(members)
    assert meeting.chair == members[2]


def test_convening_is_refused_to_members_and_for_outsiders_or_below_the_quorum(fund, manager, members):
    def convene(actor, invited):
        return lambda: committee.convene_meeting(
            actor=actor, fund=fund, title="M", scheduled_for=timezone.now(), chair=invited[0], members=invited
        )

    refused(convene(members[0], members), 403)
    outsider = manager_of(fund)
    assert refused(convene(manager, [*members[:2], outsider]), 400).field == "members"
    assert refused(convene(manager, members[:2]), 400, "below_quorum").field == "members"


def test_only_a_deal_at_the_committee_stage_goes_on_the_agenda_once(fund, manager, members, deal):
    meeting = convened(fund, manager, members)
    screening = deal_at(Stage.SCREENING, fund, manager)
    refused(lambda: committee.add_to_agenda(actor=manager, meeting=meeting, deal=screening), 409, "not_at_committee")
    refused(lambda: committee.add_to_agenda(actor=members[0], meeting=meeting, deal=deal), 403)
    committee.add_to_agenda(actor=manager, meeting=meeting, deal=deal)
    refused(lambda: committee.add_to_agenda(actor=manager, meeting=meeting, deal=deal), 409, "on_agenda")
    later = convened(fund, manager, members)
    refused(lambda: committee.add_to_agenda(actor=manager, meeting=later, deal=deal), 409, "on_other_agenda")


def test_an_open_item_is_removed_with_its_votes_and_a_closed_one_stays(fund, manager, members, item):
    votes(item, "approve", members=members[:1])
    committee.remove_from_agenda(actor=manager, item=item)
    assert not AgendaItem.objects.exists() and not Vote.objects.exists()
    item = convened(fund, manager, members, item.deal).agenda.get()
    close(item, manager)
    refused(lambda: committee.remove_from_agenda(actor=manager, item=item), 409, "vote_closed")


# --- Declarations and votes --------------------------------------------------------------------------


def test_a_member_votes_only_after_declaring_and_may_change_the_vote_until_the_close(members, item):
    member = members[1]
    refused(lambda: committee.cast_vote(actor=member, item=item, choice="approve"), 409, "not_declared")
    committee.declare(actor=member, item=item, conflicted=False)
    refused(lambda: committee.declare(actor=member, item=item, conflicted=True, note="x"), 409, "declared")
    committee.cast_vote(actor=member, item=item, choice="approve")
    committee.cast_vote(actor=member, item=item, choice="reject", comment=" Too early. ")
    vote = Vote.objects.get()
    assert (vote.choice, vote.comment) == ("reject", "Too early.")
    assert refused(lambda: committee.cast_vote(actor=member, item=item, choice="maybe"), 400).field == "choice"
    # The audit trail says that they voted, never how.
    logged = AuditEvent.objects.filter(action="committee.vote_cast")
    assert logged.count() == 2 and "reject" not in str(list(logged.values_list("changes", flat=True)))


def test_a_conflicted_member_must_say_why_and_is_refused_a_vote(members, item):
    member = members[1]
    error = refused(lambda: committee.declare(actor=member, item=item, conflicted=True, note=" "), 400)
    assert error.field == "note"
    committee.declare(actor=member, item=item, conflicted=True, note="My brother is its CFO.")
    refused(lambda: committee.cast_vote(actor=member, item=item, choice="approve"), 403)
    assert not Vote.objects.exists()


def test_only_the_meetings_members_declare_and_vote(fund, manager, item):
    stranger = committee_member_of(fund)
    refused(lambda: committee.declare(actor=stranger, item=item, conflicted=False), 403)
    refused(lambda: committee.declare(actor=manager, item=item, conflicted=False), 403)
    refused(lambda: committee.cast_vote(actor=stranger, item=item, choice="approve"), 403)


# --- The close ---------------------------------------------------------------------------------------


def test_too_few_votes_is_no_quorum_and_the_deal_waits_for_a_later_meeting(fund, manager, members, item):
    votes(item, "approve", "approve", members=members[:2])
    item = close(item, members[0])
    assert item.outcome == Outcome.NO_QUORUM
    assert item.tally["cast"] == 2 and item.tally["quorum"] == 3
    assert item.deal.stage == Stage.COMMITTEE
    later = convened(fund, manager, members, item.deal)
    assert later.agenda.get().deal == item.deal


def test_a_conflicted_member_does_not_count_toward_the_quorum(fund, manager, members, item):
    fourth = committee_member_of(fund, full_name="Member Fung")
    item.meeting.members.add(fourth)
    committee.declare(actor=fourth, item=item, conflicted=True, note="I advise the company.")
    votes(item, "approve", "approve", members=members[:2])
    assert close(item, manager).outcome == Outcome.NO_QUORUM
    assert item.tally["conflicted"] == 1 and item.tally["eligible"] == 3


def test_abstentions_count_toward_the_quorum_not_the_majority(manager, members, item):
    votes(item, "approve", "abstain", "abstain", members=members)
    item = close(item, manager)
    assert item.outcome == Outcome.APPROVED
    assert (item.tally["for"], item.tally["against"], item.tally["abstain"]) == (1, 0, 2)


def test_a_rejection_declines_the_deal_with_the_committees_reason(manager, members, item):
    votes(item, "reject", "reject", "approve", members=members)
    item = close(item, members[0])
    assert item.outcome == Outcome.REJECTED
    assert item.deal.stage == Stage.DECLINED
    assert item.deal.decline_reason == REJECTED_REASON
    change = item.deal.stage_changes.last()
    assert (change.transition, change.actor) == ("committee_rejected", None)
    assert DomainEvent.objects.filter(kind="committee.vote_closed").exists()
    with translation.override("zh-hant"):
        assert item.deal.reason == "投資委員會否決了該投資項目。"


def test_a_tie_goes_to_the_chairs_casting_vote(fund, manager, members, item):
    fourth = committee_member_of(fund)
    item.meeting.members.add(fourth)
    votes(item, "approve", "reject", "approve", "reject", members=[*members, fourth])
    error = refused(lambda: committee.close_vote(actor=manager, item=item), 400, "casting_vote")
    assert error.field == "casting_vote"
    item = close(item, members[0], casting_vote="approve")
    assert (item.outcome, item.casting_vote) == (Outcome.APPROVED, "approve")
    assert item.deal.stage == Stage.COMMITTEE


def test_a_tie_with_the_chairs_casting_vote_rejecting(manager, members, item):
    votes(item, "approve", "reject", "abstain", members=members)
    item = close(item, manager, casting_vote="reject")
    assert (item.outcome, item.deal.stage) == (Outcome.REJECTED, Stage.DECLINED)


def test_a_tie_rejects_when_the_fund_gives_the_chair_no_casting_vote(fund, manager, members, item):
    fund.chair_casting_vote = False
    fund.save()
    votes(item, "approve", "reject", "abstain", members=members)
    item = close(item, manager, casting_vote="approve")
    assert (item.outcome, item.casting_vote) == (Outcome.REJECTED, "")


def test_a_tie_rejects_when_the_chair_is_conflicted(fund, manager, members, item):
    fourth, fifth = committee_member_of(fund), committee_member_of(fund)
    item.meeting.members.add(fourth, fifth)
    committee.declare(actor=members[0], item=item, conflicted=True, note="I hold shares.")
    votes(item, "approve", "reject", "abstain", members=[members[1], members[2], fourth])
    assert close(item, manager, casting_vote="approve").outcome == Outcome.REJECTED


def test_all_abstaining_is_a_tie_of_nothing_to_nothing(manager, members, item):
    votes(item, "abstain", "abstain", "abstain", members=members)
    assert close(item, manager, casting_vote="reject").outcome == Outcome.REJECTED


def test_the_majority_is_the_funds(fund, manager, members, item):
    fund.majority_percent = 66
    fund.save()
    votes(item, "approve", "approve", "reject", members=members)
    assert close(item, manager).outcome == Outcome.APPROVED  # 200 > 198


def test_a_two_thirds_majority_is_not_reached_by_two_of_three(fund, manager, members, item):
    fund.majority_percent = 67
    fund.save()
    votes(item, "approve", "approve", "reject", members=members)
    assert close(item, manager).outcome == Outcome.REJECTED  # 200 < 201


def test_approval_with_conditions_requires_the_conditions_and_creates_them(manager, members, item):
    votes(item, "approve_with_conditions", "approve", "approve", members=members)
    error = refused(lambda: committee.close_vote(actor=manager, item=item, conditions=" \n "), 400)
    assert error.field == "conditions"
    item = close(item, manager, conditions="Audited 2025 accounts\n\n  Key staff contracts signed ")
    assert item.outcome == Outcome.APPROVED_WITH_CONDITIONS
    assert list(Condition.objects.values_list("text", flat=True)) == [
        "Audited 2025 accounts",
        "Key staff contracts signed",
    ]
    refused(lambda: deal_services.take_step(actor=manager, deal=item.deal, name="issue_term_sheet"), 409, "not_ready")


def test_the_closer_may_set_conditions_on_a_plain_approval(manager, members, item):
    votes(item, "approve", "approve", "approve", members=members)
    item = close(item, manager, conditions="Board seat")
    assert item.outcome == Outcome.APPROVED_WITH_CONDITIONS and item.conditions.count() == 1


def test_only_the_chair_or_a_manager_closes(fund, members, item):
    refused(lambda: committee.close_vote(actor=members[1], item=item), 403)
    refused(lambda: committee.close_vote(actor=manager_of(another_fund()), item=item), 403)


def test_after_the_close_nothing_changes_a_vote(manager, members, item):
    votes(item, "approve", "approve", "approve", members=members)
    close(item, manager)
    before = list(Vote.objects.values_list("choice", "comment", "cast_at"))
    refused(lambda: committee.cast_vote(actor=members[0], item=item, choice="reject"), 409, "vote_closed")
    refused(lambda: committee.declare(actor=members[1], item=item, conflicted=True, note="x"), 409)
    refused(lambda: committee.close_vote(actor=manager, item=item), 409, "vote_closed")
    assert list(Vote.objects.values_list("choice", "comment", "cast_at")) == before


def test_a_deal_declined_meanwhile_is_not_voted_on(manager, members, item):
    committee.declare(actor=members[0], item=item, conflicted=False)
    deal_services.take_step(actor=manager, deal=item.deal, name="decline", note="Founder left.")
    refused(lambda: committee.cast_vote(actor=members[0], item=item, choice="approve"), 409, "not_at_committee")
    refused(lambda: committee.close_vote(actor=manager, item=item), 409, "not_at_committee")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_vote_racing_the_close_is_counted_or_refused_never_changed_after(fund, manager, members, item):
    require(connection.vendor == "postgresql", "PostgreSQL")
    votes(item, "approve", "approve", members=members[:2])
    committee.declare(actor=members[2], item=item, conflicted=False)
    barrier = threading.Barrier(2)
    outcomes = []

    def run(call):
        barrier.wait()
        try:
            call()
            outcomes.append("done")
        except DomainError as err:
            outcomes.append(err.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(lambda: committee.close_vote(actor=manager, item=item),)),
        threading.Thread(target=run, args=(lambda: committee.cast_vote(actor=members[2], item=item, choice="reject"),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    item.refresh_from_db()
    cast = item.tally["cast"]
    assert Vote.objects.filter(item=item).count() == cast
    assert sorted(outcomes) in (["done", "done"], ["done", "vote_closed"])
