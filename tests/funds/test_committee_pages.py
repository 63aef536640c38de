"""The committee's pages: who sees them, the declaration unlocking the papers, votes hidden on
every page until the close and shown to the meeting after it, and each form's refusals."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funds.models import AgendaItem, CommitteeMeeting, DealDocument, Outcome, Vote
from funds.services import committee
from funds.workflow import Stage
from hkhz_portal.accounts.roles import Role
from tests.factories import EnterpriseFactory, member_of, user_with_role

from .factories import another_fund, committee_member_of, convened, deal_at, manager_of

pytestmark = pytest.mark.django_db

SECRET = "Secret comment on the antibody"


def text_of(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html)


def notices(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def deal(fund, manager, checklist_templates):
    return deal_at(Stage.COMMITTEE, fund, manager)


@pytest.fixture
def meeting(fund, manager, members, deal):
    return convened(fund, manager, members, deal, title="March committee")


@pytest.fixture
def item(meeting):
    return meeting.agenda.get()


def page(meeting):
    return reverse("funds:meeting", args=[meeting.pk])


def url(name, item):
    return reverse(f"funds:{name}", args=[item.meeting_id, item.pk])


def post(client, user, path, data):
    client.force_login(user)
    return client.post(path, data)


# --- Who sees what -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        lambda fund: user_with_role(Role.PROGRAM_OFFICER),
        lambda fund: member_of(EnterpriseFactory()),
        lambda fund: user_with_role(Role.ADMIN),
    ],
    ids=["officer", "enterprise member", "admin"],
)
def test_anyone_not_working_for_a_fund_is_refused(client, fund, meeting, who):
    client.force_login(who(fund))
    assert client.get(reverse("funds:committee")).status_code == 403
    assert client.get(page(meeting)).status_code == 403
    assert client.get(reverse("funds:convene")).status_code == 403


def test_another_funds_staff_and_a_member_not_invited_find_nothing(client, fund, meeting):
    other = another_fund()
    for user in (manager_of(other), committee_member_of(other), committee_member_of(fund)):
        client.force_login(user)
        assert client.get(page(meeting)).status_code == 404
        assert "March committee" not in text_of(client.get(reverse("funds:committee")))


def test_a_committee_member_does_not_convene(client, members):
    client.force_login(members[0])
    assert client.get(reverse("funds:convene")).status_code == 403


def test_the_list_shows_meetings_and_what_awaits_a_member(client, fund, manager, members, meeting, deal):
    client.force_login(members[1])
    text = text_of(client.get(reverse("funds:committee")))
    assert "March committee" in text and "Waiting for you" in text and deal.reference in text
    assert "Declare any conflict" in text and "Convene a meeting" not in text
    client.force_login(manager)
    text = text_of(client.get(reverse("funds:committee")))
    assert "Convene a meeting" in text and "1 vote open" in text and "Waiting for you" not in text


# --- Convening and the agenda ------------------------------------------------------------------------


def test_a_manager_convenes_a_meeting_through_the_form(client, fund, manager, members):
    client.force_login(manager)
    assert client.get(reverse("funds:convene")).status_code == 200
    data = {
        "fund": fund.pk,
        "title": "April committee",
        "scheduled_for": "2026-04-02T10:00",
        "location": "Room 3",
        "chair": members[0].pk,
        "members": [m.pk for m in members[1:]],
    }
    response = client.post(reverse("funds:convene"), data)
    created = CommitteeMeeting.objects.get(title="April committee")
    assert response.status_code == 302 and response["Location"] == page(created)
    assert created.members.count() == 3
    response = client.post(reverse("funds:convene"), {**data, "members": [members[1].pk]})
    assert response.status_code == 400 and "at least 3 members" in text_of(response)


def test_a_manager_adds_and_removes_a_deal(client, fund, manager, members, deal):
    meeting = convened(fund, manager, members)
    client.force_login(manager)
    assert deal.reference in text_of(client.get(page(meeting)))
    response = client.post(reverse("funds:agenda", args=[meeting.pk]), {"agenda-deal": deal.pk})
    assert response.status_code == 302
    item = meeting.agenda.get()
    response = client.post(reverse("funds:agenda", args=[meeting.pk]), {"agenda-deal": deal.pk})
    assert response.status_code == 400  # no longer a choice
    response = client.post(reverse("funds:agenda", args=[meeting.pk]), {"remove": item.pk}, follow=True)
    assert not AgendaItem.objects.exists() and f"{deal.reference} is off the agenda." in notices(response)
    for hostile in ("x", "²", "-1", "9" * 30):
        assert client.post(reverse("funds:agenda", args=[meeting.pk]), {"remove": hostile}).status_code == 404


def test_a_member_cannot_change_the_agenda(client, members, meeting, item):
    post(client, members[1], reverse("funds:agenda", args=[meeting.pk]), {"remove": item.pk})
    assert AgendaItem.objects.filter(pk=item.pk).exists()


# --- Declarations and papers ---------------------------------------------------------------------------


def test_papers_unlock_only_after_declaring_no_conflict(client, manager, members, deal, item):
    document = DealDocument.objects.create(
        deal=deal,
        file=SimpleUploadedFile("model.pdf", b"%PDF-1.4"),
        original_name="model.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=manager,
    )
    paper = reverse("funds:paper_download", args=[item.meeting_id, item.pk, document.pk])
    client.force_login(members[1])
    text = text_of(client.get(page(item.meeting)))
    assert "Declare any conflict of interest" in text and deal.summary not in text and "model.pdf" not in text
    assert client.get(paper).status_code == 404
    response = client.post(url("declare", item), {f"declare-{item.pk}-conflict": "none"}, follow=True)
    text = text_of(response)
    assert "You declared no conflict of interest." in text
    assert deal.summary in text and "model.pdf" in text and "Due-diligence checklist" in text
    download = client.get(paper)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4"


def test_a_conflicted_member_has_no_papers_and_no_vote(client, members, deal, item):
    client.force_login(members[2])
    response = client.post(url("declare", item), {f"declare-{item.pk}-conflict": "conflict"})
    assert response.status_code == 400 and "Say what the conflict is." in text_of(response)
    client.post(url("declare", item), {f"declare-{item.pk}-conflict": "conflict", f"declare-{item.pk}-note": "Shares"})
    text = text_of(client.get(page(item.meeting)))
    assert "You declared a conflict of interest: Shares." in text
    assert deal.summary not in text and "Cast the vote" not in text
    response = client.post(url("vote", item), {f"vote-{item.pk}-choice": "approve"}, follow=True)
    assert not Vote.objects.exists()
    assert "You declared a conflict of interest on this deal: you do not vote on it." in notices(response)


# --- Votes hidden until the close ---------------------------------------------------------------------


def voted(item, members, choices):
    for member, choice in zip(members, choices, strict=True):
        committee.declare(actor=member, item=item, conflicted=False)
        committee.cast_vote(actor=member, item=item, choice=choice, comment=f"{SECRET} {member.full_name}")


def test_votes_are_hidden_from_everyone_but_their_author_until_the_close(client, fund, manager, members, item):
    client.force_login(members[1])
    client.post(url("declare", item), {f"declare-{item.pk}-conflict": "none"})
    response = client.post(url("vote", item), {f"vote-{item.pk}-choice": "reject", f"vote-{item.pk}-comment": SECRET})
    assert response.status_code == 302
    text = text_of(client.get(page(item.meeting)))
    assert "Your vote: Reject" in text and SECRET in text  # their own comment, in their form
    for viewer in (members[0], manager, manager_of(fund), members[2]):
        client.force_login(viewer)
        for path in (page(item.meeting), reverse("funds:committee")):
            text = text_of(client.get(path))
            assert (SECRET not in text and "Reject" not in text.replace("Reject ", "", 0)) or "Your vote" not in text
            assert SECRET not in text and "Your vote: Reject" not in text
    client.force_login(members[0])
    text = text_of(client.get(page(item.meeting)))
    assert "Who has voted" in text and "Member Li: Voted" in text and "Member Ho: Not declared yet" in text
    client.force_login(members[2])
    assert "Who has voted" not in text_of(client.get(page(item.meeting)))


def test_after_the_close_the_meeting_and_managers_read_each_vote(client, manager, members, item):
    voted(item, members, ["approve", "approve_with_conditions", "reject"])
    client.force_login(members[0])
    response = client.post(url("close_vote", item), {f"close-{item.pk}-casting_vote": "approve"})
    assert response.status_code == 400 and "list the conditions precedent" in text_of(response)
    response = client.post(
        url("close_vote", item),
        {f"close-{item.pk}-casting_vote": "approve", f"close-{item.pk}-conditions": "Audited accounts"},
        follow=True,
    )
    assert "The vote is closed." in notices(response)
    for viewer in (members[2], manager):
        client.force_login(viewer)
        text = text_of(client.get(page(item.meeting)))
        assert "Approved with conditions" in text and "Audited accounts" in text
        assert (
            f"{SECRET} Member Li" in text and "Reject" in text and "3 votes cast (quorum 3): 2 for, 1 against" in text
        )
        assert "Cast the vote" not in text and "Close the vote" not in text


def test_a_vote_after_the_close_is_refused_and_changes_nothing(client, manager, members, item):
    voted(item, members, ["approve", "approve", "approve"])
    committee.close_vote(actor=manager, item=item)
    response = post(client, members[0], url("vote", item), {f"vote-{item.pk}-choice": "reject"})
    assert response.status_code == 302
    assert "The vote on this deal is closed: nothing changes it." in notices(client.get(response["Location"]))
    assert set(Vote.objects.values_list("choice", flat=True)) == {"approve"}


def test_a_rejection_through_the_page_declines_the_deal(client, manager, members, item):
    voted(item, members, ["reject", "reject", "approve"])
    post(client, manager, url("close_vote", item), {f"close-{item.pk}-casting_vote": "approve"})
    item.refresh_from_db()
    item.deal.refresh_from_db()
    assert item.outcome == Outcome.REJECTED and item.deal.stage == Stage.DECLINED


def test_only_the_chair_or_a_manager_sees_and_uses_the_close(client, members, item):
    client.force_login(members[1])
    assert "Close the vote" not in text_of(client.get(page(item.meeting)))
    response = client.post(url("close_vote", item), {f"close-{item.pk}-casting_vote": "approve"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.is_closed


def test_an_item_of_another_meeting_is_not_found(client, fund, manager, members, item):
    other = convened(fund, manager, members)
    client.force_login(members[0])
    path = reverse("funds:vote", args=[other.pk, item.pk])
    assert client.post(path, {f"vote-{item.pk}-choice": "approve"}).status_code == 404


def test_the_meeting_page_queries_stay_flat(
    client, fund, manager, members, checklist_templates, django_assert_max_num_queries
):
    meeting = convened(fund, manager, members)

    def grow(count):
        for _ in range(count):
            deal = deal_at(Stage.COMMITTEE, fund, manager)
            item = committee.add_to_agenda(actor=manager, meeting=meeting, deal=deal)
            voted(item, members[:1], ["approve"])

    def measure():
        for user in (manager, members[0]):
            client.force_login(user)
            with django_assert_max_num_queries(30) as captured:
                assert client.get(page(meeting)).status_code == 200
            yield len(captured)

    grow(2)
    small = list(measure())
    grow(8)
    assert list(measure()) == small
