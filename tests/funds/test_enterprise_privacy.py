"""An enterprise's members never see what the fund keeps to itself: its internal notes, its
due-diligence checklist and findings, its committee's votes and comments, a window's decision,
nor another enterprise's deals, through any page or the API."""

import pytest
from django.urls import reverse
from django.utils import timezone

from funds.models import AgendaItem, CommitteeMeeting, ConflictDeclaration, DealNote, Vote, WindowState
from funds.services import deals as deal_services
from funds.workflow import Stage
from tests.factories import EnterpriseFactory, member_of

from .factories import deal_at, ended, recorded_round

pytestmark = pytest.mark.django_db

NOTE = "Founder evasive on the licence terms"
FINDING = "Licence from the university lapses in 2027"
COMMENT = "I would not back this team"
DECISION = "Committee prefers the competitor"
OTHERS = "Rival enterprise Series B"


@pytest.fixture
def world(fund, manager, members, checklist_templates):
    enterprise = EnterpriseFactory()
    member = member_of(enterprise)
    deal = deal_at(Stage.COMMITTEE, fund, manager, enterprise=enterprise)
    DealNote.objects.create(deal=deal, author=manager, body=NOTE)
    deal.checklist.filter(pk=deal.checklist.first().pk).update(finding=FINDING, status="flagged")
    meeting = CommitteeMeeting.objects.create(fund=fund, title="May", scheduled_for=timezone.now(), chair=members[0])
    item = AgendaItem.objects.create(meeting=meeting, deal=deal)
    ConflictDeclaration.objects.create(item=item, member=members[1], conflicted=False)
    Vote.objects.create(item=item, member=members[1], choice="reject", comment=COMMENT)
    deal_services.add_note(actor=manager, deal=deal, body=f"{NOTE} (again)")
    round_ = recorded_round(enterprise, member)
    ended(round_.windows.get(), WindowState.WAIVED, decision=DECISION)
    other = deal_at(Stage.SCREENING, fund, manager, summary=OTHERS)
    return {
        "member": member,
        "enterprise": enterprise,
        "deal": deal,
        "meeting": meeting,
        "item": item,
        "round": round_,
        "other": other,
    }


SECRETS = (NOTE, FINDING, COMMENT, DECISION, OTHERS)


def assert_nothing_of_the_funds(content: str, world) -> None:
    for secret in SECRETS:
        assert secret not in content
    assert world["other"].reference not in content
    assert world["other"].enterprise.legal_name_en not in content


def test_the_enterprises_pages_and_api_show_nothing_of_the_funds_record(client, world):
    client.force_login(world["member"])
    ref = world["enterprise"].reference
    urls = [
        reverse("funds:enterprise_funding", args=[ref]),
        reverse("funds:round", args=[ref, world["round"].pk]),
        reverse("dashboard"),
        f"/api/v1/enterprises/{ref}/rounds/",
        f"/api/v1/enterprises/{ref}/rounds/{world['round'].pk}/",
        "/api/v1/fund/figures/",
        "/api/v1/stats/deals/fund-stage/",
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_nothing_of_the_funds(response.content.decode(), world)
    assert world["deal"].reference in client.get(urls[0]).content.decode()


def test_the_funds_own_pages_are_closed_to_the_enterprise(client, world):
    client.force_login(world["member"])
    deal, meeting, item = world["deal"], world["meeting"], world["item"]
    urls = [
        reverse("funds:board"),
        reverse("funds:deal", args=[deal.reference]),
        reverse("funds:deal", args=[world["other"].reference]),
        reverse("funds:portfolio"),
        reverse("funds:committee"),
        reverse("funds:meeting", args=[meeting.pk]),
        reverse("funds:windows"),
        reverse("funds:window", args=[world["round"].windows.get().pk]),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code in (403, 404), url
        content = response.content.decode()
        # (A page not found names the address asked for, in its language switcher: nothing more.)
        assert not any(secret in content for secret in SECRETS), url
        assert world["other"].enterprise.legal_name_en not in content
    posted = client.post(reverse("funds:vote", args=[meeting.pk, item.pk]), {"choice": "approve"})
    assert posted.status_code in (403, 404)
    assert Vote.objects.get().choice == "reject"
