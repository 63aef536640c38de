"""The deal page: who sees it, what it shows (the steps allowed now, gated ones with the reason,
the checklist by area, documents, conditions, the committee's results with votes only once
closed, notes and the timeline) and every form posted from it."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money

from funds.models import (
    AgendaItem,
    CommitteeMeeting,
    Condition,
    ConflictDeclaration,
    DiligenceArea,
    Investment,
    Outcome,
    TransactionKind,
    Vote,
)
from funds.services import deals as deal_services
from funds.services.capital import add_transaction
from funds.services.diligence import sign_off, update_item
from funds.workflow import Stage
from hkhz_portal.accounts.roles import Role
from tests.factories import member_of, user_with_role
from tests.files import pdf

from .factories import (
    another_fund,
    approve,
    committee_member_of,
    deal_at,
    documents_for,
    investment_date,
    manager_of,
    sign_off_checklist,
)

pytestmark = pytest.mark.django_db


def page(deal):
    return reverse("funds:deal", args=[deal.reference])


def url(name, deal, *args):
    return reverse(f"funds:{name}", args=[deal.reference, *args])


def text_of(response) -> str:
    markup = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(markup))


def notices(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def step_form(html: str, name: str) -> str:
    """The form posting step ``name`` (its markup up to its closing tag)."""
    found = re.search(rf'<form[^>]*>(?:(?!</form>).)*name="name" value="{name}"(?:(?!</form>).)*</form>', html, re.S)
    assert found, f"no form for {name}"
    return found.group(0)


def test_the_page_shows_the_deal(signed_in, deal):
    response = signed_in.get(page(deal))
    assert response.status_code == 200
    text = text_of(response)
    assert deal.reference in text and deal.enterprise.legal_name_en in text
    assert "Due diligence" in text and "Series A for a PD-1 antibody" in text
    assert "CNY 20,000,000.00" in text and "Manager Chan" in text
    # The checklist by area, in the areas' order.
    headings = re.findall(r'<h3 id="area-(\w+)"', response.content.decode())
    assert headings == DiligenceArea.values
    assert "Signed off: 0 of 6." in text and "Audited accounts review" in text
    # The timeline, oldest first.
    timeline = text[text.index("Timeline") :]
    assert timeline.index("Sourced") < timeline.index("Start screening → Screening")
    assert timeline.index("Start screening") < timeline.index("Start due diligence → Due diligence")


# --- Who sees it -----------------------------------------------------------------------------------


OUTSIDERS = {
    "a committee member of the fund": lambda deal: committee_member_of(deal.fund),
    "the enterprise's member": lambda deal: member_of(deal.enterprise),
    "an applicant": lambda deal: user_with_role(Role.APPLICANT),
    "a program officer": lambda deal: user_with_role(Role.PROGRAM_OFFICER),
}


def every_url(deal, manager):
    item = deal.checklist.first()
    document = documents_for(deal, manager, 1)[0]
    condition = Condition.objects.create(deal=deal, item=approve(deal, manager), text="Audit")
    gets = [page(deal), url("deal_document_download", deal, document.pk)]
    posts = [
        url("deal_lead", deal),
        url("deal_note", deal),
        url("deal_upload", deal),
        url("checklist_item", deal, item.pk),
        url("condition_met", deal, condition.pk),
    ]
    return gets, posts


@pytest.mark.parametrize("who", OUTSIDERS)
def test_anyone_but_a_manager_is_refused(client, manager, deal, who):
    gets, posts = every_url(deal, manager)
    client.force_login(OUTSIDERS[who](deal))
    for address in gets:
        assert client.get(address).status_code == 403
    for address in posts:
        assert client.post(address, {"note-body": "x", "action": "sign_off"}).status_code == 403


def test_another_funds_manager_finds_nothing(client, manager, deal):
    gets, posts = every_url(deal, manager)
    client.force_login(manager_of(another_fund()))
    for address in gets:
        assert client.get(address).status_code == 404
    for address in posts:
        assert client.post(address, {"note-body": "x"}).status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(client, deal):
    response = client.get(page(deal))
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_deals_item_document_or_condition_is_not_found(signed_in, fund, manager, deal, checklist_templates):
    other = deal_at(Stage.DUE_DILIGENCE, fund, manager)
    document = documents_for(other, manager, 1)[0]
    condition = Condition.objects.create(deal=other, item=approve(other, manager), text="Audit")
    assert signed_in.get(url("deal_document_download", deal, document.pk)).status_code == 404
    assert signed_in.post(url("checklist_item", deal, other.checklist.first().pk), {}).status_code == 404
    assert signed_in.post(url("condition_met", deal, condition.pk), {}).status_code == 404


# --- The steps -------------------------------------------------------------------------------------


def test_a_gated_step_is_disabled_with_its_reason(signed_in, deal):
    html = signed_in.get(page(deal)).content.decode()
    form = step_form(html, "to_committee")
    assert f'action="{url("deal_step", deal)}"' in form
    assert 'name="expected_stage" value="due_diligence"' in form and f'name="next" value="{page(deal)}"' in form
    assert "disabled" in form
    assert "6 checklist items are not signed off yet." in html


def test_a_step_allowed_now_is_a_live_button(signed_in, manager, deal):
    sign_off_checklist(deal, manager)
    html = signed_in.get(page(deal)).content.decode()
    assert "disabled" not in step_form(html, "to_committee")
    assert "not signed off yet" not in html


def test_the_term_sheet_waits_for_the_approval_then_its_conditions(signed_in, fund, manager, checklist_templates):
    deal = deal_at(Stage.COMMITTEE, fund, manager)
    html = signed_in.get(page(deal)).content.decode()
    assert "disabled" in step_form(html, "issue_term_sheet")
    assert "The committee has not approved the deal." in html
    item = approve(deal, manager, outcome=Outcome.APPROVED_WITH_CONDITIONS)
    Condition.objects.create(deal=deal, item=item, text="Audited 2025 accounts delivered.")
    html = signed_in.get(page(deal)).content.decode()
    assert "1 conditions precedent are not met yet." in html
    assert "disabled" in step_form(html, "issue_term_sheet")


def test_only_the_steps_of_the_stage_are_offered(signed_in, fund, manager, checklist_templates):
    deal = deal_at(Stage.SOURCED, fund, manager)
    html = signed_in.get(page(deal)).content.decode()
    assert "disabled" not in step_form(html, "screen")
    assert 'value="start_diligence"' not in html and 'value="to_committee"' not in html
    assert 'value="decline"' in html and 'name="note"' in html


def test_a_deal_at_closing_links_to_the_closings_form(signed_in, fund, manager, checklist_templates):
    deal = deal_at(Stage.CLOSING, fund, manager)
    html = signed_in.get(page(deal)).content.decode()
    assert url("record_closing", deal) in html
    assert 'value="close"' not in html


def test_a_declined_deal_offers_nothing_but_shows_why(signed_in, fund, manager, checklist_templates):
    deal = deal_at(Stage.DECLINED, fund, manager)
    response = signed_in.get(page(deal))
    html = response.content.decode()
    assert "Outside the mandate." in text_of(response)
    assert url("deal_step", deal) not in html and url("deal_lead", deal) not in html
    assert "This deal is over: no step is open." in text_of(response)


# --- The forms -------------------------------------------------------------------------------------


def test_the_lead_is_given_to_a_manager(signed_in, reviewer, deal):
    response = signed_in.post(url("deal_lead", deal), {"lead-lead": reviewer.pk})
    assert response.status_code == 302 and response["Location"].endswith("#lead")
    deal.refresh_from_db()
    assert deal.lead == reviewer


def test_the_lead_cannot_be_an_outsider(signed_in, fund, deal):
    member = committee_member_of(fund)
    response = signed_in.post(url("deal_lead", deal), {"lead-lead": member.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in text_of(response)


def test_a_note_is_added_and_shown(signed_in, deal):
    response = signed_in.post(url("deal_note", deal), {"note-body": "Founder wants a board seat."}, follow=True)
    assert "Your note is added." in notices(response)
    text = text_of(response)
    assert text.count("Founder wants a board seat.") == 2  # the notes and the timeline


def test_an_empty_note_is_refused_on_its_form(signed_in, deal):
    response = signed_in.post(url("deal_note", deal), {"note-body": "  "})
    assert response.status_code == 400
    assert "This field is required." in text_of(response)
    assert not deal.notes.exists()


def test_documents_are_uploaded_as_evidence_and_downloaded(signed_in, deal):
    item = deal.checklist.get(area=DiligenceArea.IP)
    upload = SimpleUploadedFile("patents.pdf", pdf(), content_type="application/pdf")
    response = signed_in.post(url("deal_upload", deal), {"upload-files": [upload], "upload-item": item.pk}, follow=True)
    assert "The documents are added to the deal's file." in notices(response)
    document = item.evidence.get()
    html = response.content.decode()
    assert html.count(url("deal_document_download", deal, document.pk)) == 2  # the item's evidence, the file
    assert "Document added: patents.pdf" in text_of(response)
    download = signed_in.get(url("deal_document_download", deal, document.pk))
    assert download.status_code == 200
    assert 'filename="patents.pdf"' in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_file_that_is_not_what_it_says_is_refused_on_the_form(signed_in, deal):
    upload = SimpleUploadedFile("accounts.pdf", b"MZ not really a pdf", content_type="application/pdf")
    response = signed_in.post(url("deal_upload", deal), {"upload-files": [upload]})
    assert response.status_code == 400
    assert "accounts.pdf: This file's content is not one of the accepted types" in text_of(response)
    assert not deal.documents.exists()


def test_an_upload_without_files_asks_for_them(signed_in, deal):
    response = signed_in.post(url("deal_upload", deal), {})
    assert response.status_code == 400
    assert "This field is required." in text_of(response)


def test_an_item_is_updated_from_its_form(signed_in, reviewer, deal):
    item = deal.checklist.get(area=DiligenceArea.TEAM)
    prefix = f"item-{item.pk}"
    data = {f"{prefix}-owner": reviewer.pk, f"{prefix}-status": "flagged", f"{prefix}-finding": "CTO leaves in May."}
    response = signed_in.post(url("checklist_item", deal, item.pk), data)
    assert response.status_code == 302 and response["Location"].endswith(f"#{prefix}")
    item.refresh_from_db()
    assert (item.owner, item.status, item.finding) == (reviewer, "flagged", "CTO leaves in May.")


def test_an_unknown_status_is_refused_on_the_items_form(signed_in, deal):
    item = deal.checklist.first()
    response = signed_in.post(url("checklist_item", deal, item.pk), {f"item-{item.pk}-status": "finished"})
    assert response.status_code == 400
    assert "Select a valid choice" in text_of(response)


def test_the_sign_off_button_shows_for_another_manager_only(client, manager, reviewer, deal):
    item = deal.checklist.get(area=DiligenceArea.LEGAL)
    update_item(actor=manager, item=item, owner=manager, status="done", finding="")
    sign_off_button = 'Sign off<span class="visually-hidden">: Legal review'
    client.force_login(manager)
    assert sign_off_button not in client.get(page(deal)).content.decode()
    client.force_login(reviewer)
    assert sign_off_button in client.get(page(deal)).content.decode()
    response = client.post(url("checklist_item", deal, item.pk), {"action": "sign_off"}, follow=True)
    assert "“Legal review” is signed off." in notices(response)
    assert "Signed off by Reviewer Lau" in text_of(response) and "Signed off: 1 of 6." in text_of(response)


def test_signing_off_ones_own_item_is_refused(signed_in, manager, deal):
    item = deal.checklist.first()
    update_item(actor=manager, item=item, owner=manager, status="done", finding="")
    response = signed_in.post(
        url("checklist_item", deal, item.pk), {"action": "sign_off"}, HTTP_REFERER=page(deal), follow=True
    )
    assert response.redirect_chain[-1][0] == page(deal)
    assert notices(response) == ["Someone other than the item's owner signs it off."]
    item.refresh_from_db()
    assert item.signed_off_at is None


def test_an_item_not_settled_meanwhile_is_a_message(signed_in, deal):
    item = deal.checklist.first()
    response = signed_in.post(url("checklist_item", deal, item.pk), {"action": "sign_off"}, follow=True)
    assert notices(response) == ["Only an item that is done, not applicable or flagged can be signed off."]
    item.refresh_from_db()
    assert item.signed_off_at is None


def test_a_condition_is_marked_met(signed_in, fund, manager, checklist_templates):
    deal = deal_at(Stage.COMMITTEE, fund, manager)
    condition = Condition.objects.create(
        deal=deal, item=approve(deal, manager, outcome="approved_with_conditions"), text="IP assigned."
    )
    field = f"condition-{condition.pk}-note"
    response = signed_in.post(url("condition_met", deal, condition.pk), {field: ""})
    assert response.status_code == 400
    response = signed_in.post(url("condition_met", deal, condition.pk), {field: "Deed signed."}, follow=True)
    assert "The condition is marked met." in notices(response)
    assert "Marked met by Manager Chan" in text_of(response)
    assert "disabled" not in step_form(response.content.decode(), "issue_term_sheet")
    again = signed_in.post(url("condition_met", deal, condition.pk), {field: "Again."}, follow=True)
    assert notices(again) == ["This condition is already met."]


# --- The committee ----------------------------------------------------------------------------------


def meeting_with_votes(deal, members, *, closed: bool):
    meeting = CommitteeMeeting.objects.create(
        fund=deal.fund, title="March committee", scheduled_for=timezone.now(), chair=members[0]
    )
    meeting.members.set(members)
    item = AgendaItem.objects.create(meeting=meeting, deal=deal)
    chair, member, recused = members
    ConflictDeclaration.objects.create(item=item, member=chair, conflicted=False)
    ConflictDeclaration.objects.create(item=item, member=member, conflicted=False)
    ConflictDeclaration.objects.create(item=item, member=recused, conflicted=True, note="Shareholder")
    Vote.objects.create(item=item, member=chair, choice="approve", comment="Strong team.")
    Vote.objects.create(item=item, member=member, choice="reject", comment="Too early.")
    if closed:
        item.closed_at, item.closed_by, item.outcome = timezone.now(), chair, Outcome.NO_QUORUM
        item.tally = {"approve": 1, "approve_with_conditions": 0, "reject": 1, "abstain": 0, "conflicted": 1}
        item.save()
    return item


def test_an_open_vote_shows_who_voted_never_how(signed_in, fund, manager, members, checklist_templates):
    deal = deal_at(Stage.COMMITTEE, fund, manager)
    meeting_with_votes(deal, members, closed=False)
    text = text_of(signed_in.get(page(deal)))
    assert "Vote open" in text and "Voted Chair Wong, Member Li" in text and "Recused Member Ho" in text
    assert "Strong team." not in text and "Too early." not in text
    assert "Approve" not in text and "Reject" not in text


def test_a_closed_vote_shows_its_outcome_tally_and_each_vote(signed_in, fund, manager, members, checklist_templates):
    deal = deal_at(Stage.COMMITTEE, fund, manager)
    meeting_with_votes(deal, members, closed=True)
    text = text_of(signed_in.get(page(deal)))
    assert "No quorum" in text and "Committee vote closed: No quorum" in text
    assert "Chair Wong Approve Strong team." in text and "Member Li Reject Too early." in text
    assert "Approve 1 Approve with conditions 0 Reject 1 Abstain 0" in text
    assert "Recused (conflict of interest): Member Ho" in text


def test_the_timeline_shows_the_investment(signed_in, fund, manager, checklist_templates):
    deal = deal_at(Stage.CLOSING, fund, manager)
    amount = Money("15000000.00", "CNY")
    txn = add_transaction(
        fund=fund,
        kind=TransactionKind.INVESTMENT,
        amount=amount,
        value_date=investment_date(),
        actor=manager,
        deal=deal,
    )
    Investment.objects.create(
        deal=deal,
        kind="initial",
        instrument="equity",
        amount=amount,
        ownership_percent="12.5",
        closed_on=investment_date(),
        transaction=txn,
        recorded_by=manager,
    )
    deal_services.move(deal_services.lock(deal), "close", actor=manager)
    text = text_of(signed_in.get(page(deal)))
    assert "Initial investment recorded: Equity CNY 15,000,000.00" in text
    assert "Record the closing → Portfolio" in text


def test_the_sign_off_helper_and_the_page_agree(client, manager, reviewer, deal):
    """The page offers the button exactly when the service accepts it."""
    item = deal.checklist.first()
    update_item(actor=manager, item=item, owner=reviewer, status="not_applicable", finding="")
    client.force_login(manager)
    assert "Sign off<span" in client.get(page(deal)).content.decode()
    sign_off(actor=manager, item=item)
    assert "Sign off<span" not in client.get(page(deal)).content.decode()
