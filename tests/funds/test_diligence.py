"""Due diligence: an item's owner, status and finding, its sign-off by another manager once it
is settled (cleared when what was signed off changes), documents as evidence, and the deal page's
query count, flat whatever the checklist holds."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from funds.models import (
    AgendaItem,
    CommitteeMeeting,
    Condition,
    ConflictDeclaration,
    DealDocument,
    DealNote,
    DiligenceArea,
    DiligenceItem,
    ItemStatus,
    Outcome,
    Vote,
)
from funds.services.diligence import sign_off, update_item, upload_documents
from funds.workflow import Stage
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import AuditEvent
from tests.files import pdf

from .factories import another_fund, committee_member_of, deal_at, documents_for, manager_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(deal):
    return deal.checklist.get(area=DiligenceArea.LEGAL)


def refused(call, status) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.status == status
    return caught.value


def test_an_item_gets_its_owner_status_and_finding(manager, reviewer, item):
    update_item(actor=manager, item=item, owner=reviewer, status=ItemStatus.IN_PROGRESS, finding="  Articles read. ")
    item.refresh_from_db()
    assert (item.owner, item.status, item.finding) == (reviewer, "in_progress", "Articles read.")
    assert AuditEvent.objects.filter(action="deal.checklist_item").count() == 1


def test_the_owner_is_one_of_the_funds_managers(fund, manager, item):
    outsider = manager_of(another_fund())
    err = refused(lambda: update_item(actor=manager, item=item, owner=outsider, status="to_do", finding=""), 400)
    assert err.field == "owner"
    member = committee_member_of(fund)
    refused(lambda: update_item(actor=manager, item=item, owner=member, status="to_do", finding=""), 400)


def test_only_the_funds_managers_work_the_checklist(fund, item):
    for actor in (committee_member_of(fund), manager_of(another_fund())):
        refused(lambda actor=actor: update_item(actor=actor, item=item, owner=None, status="done", finding=""), 403)
        refused(lambda actor=actor: sign_off(actor=actor, item=item), 403)


def test_a_declined_deals_checklist_is_closed(manager, reviewer, deal, item):
    from funds.services.deals import take_step

    update_item(actor=manager, item=item, owner=manager, status="done", finding="")
    take_step(actor=manager, deal=deal, name="decline", note="Valuation too high.")
    refused(lambda: update_item(actor=manager, item=item, owner=None, status="to_do", finding=""), 409)
    refused(lambda: sign_off(actor=reviewer, item=item), 409)


@pytest.mark.parametrize(
    ("status", "finding"),
    [("done", ""), ("not_applicable", ""), ("flagged", "Two patents lapse in 2027.")],
)
def test_a_settled_item_is_signed_off_by_another_manager(manager, reviewer, item, status, finding):
    update_item(actor=manager, item=item, owner=manager, status=status, finding=finding)
    sign_off(actor=reviewer, item=item)
    item.refresh_from_db()
    assert item.signed_off_by == reviewer and item.signed_off_at is not None
    assert AuditEvent.objects.filter(action="deal.checklist_signed_off").count() == 1


@pytest.mark.parametrize(("status", "finding"), [("to_do", ""), ("in_progress", "Half way."), ("flagged", "")])
def test_an_unsettled_item_or_a_flag_without_finding_is_not_signed_off(manager, reviewer, item, status, finding):
    update_item(actor=manager, item=item, owner=manager, status=status, finding=finding)
    refused(lambda: sign_off(actor=reviewer, item=item), 409)
    item.refresh_from_db()
    assert item.signed_off_at is None


def test_nobody_signs_off_their_own_item(manager, item):
    update_item(actor=manager, item=item, owner=manager, status="done", finding="")
    err = refused(lambda: sign_off(actor=manager, item=item), 403)
    assert "other than the item's owner" in err.message


def test_an_item_is_signed_off_once(manager, reviewer, item):
    update_item(actor=manager, item=item, owner=manager, status="done", finding="")
    sign_off(actor=reviewer, item=item)
    refused(lambda: sign_off(actor=reviewer, item=item), 409)


@pytest.mark.parametrize(
    "change",
    [
        {"status": "flagged", "finding": "A lawsuit."},
        {"status": "done", "finding": "Now with a remark."},
        {"status": "done", "finding": "", "owner": "reviewer"},
    ],
    ids=["status", "finding", "owner-becomes-reviewer"],
)
def test_a_change_to_what_was_signed_off_clears_the_sign_off(manager, reviewer, item, change):
    update_item(actor=manager, item=item, owner=manager, status="done", finding="")
    sign_off(actor=reviewer, item=item)
    owner = reviewer if change.get("owner") == "reviewer" else manager
    update_item(actor=manager, item=item, owner=owner, status=change["status"], finding=change["finding"])
    item.refresh_from_db()
    assert item.signed_off_by is None and item.signed_off_at is None


def test_saving_an_item_unchanged_keeps_its_sign_off(manager, reviewer, item):
    update_item(actor=manager, item=item, owner=manager, status="done", finding="Clean.")
    sign_off(actor=reviewer, item=item)
    update_item(actor=manager, item=item, owner=manager, status="done", finding="Clean.")
    item.refresh_from_db()
    assert item.signed_off_by == reviewer


def test_the_signed_off_checklist_opens_the_way_to_the_committee(manager, reviewer, deal):
    from funds.gates import blocked
    from funds.selectors import gated

    items = list(deal.checklist.all())
    for item in items[1:]:
        update_item(actor=manager, item=item, owner=manager, status="done", finding="")
        sign_off(actor=reviewer, item=item)
    assert blocked(gated(deal), "to_committee") == "1 checklist items are not signed off yet."
    update_item(actor=manager, item=items[0], owner=manager, status="not_applicable", finding="")
    sign_off(actor=reviewer, item=items[0])
    assert blocked(gated(deal), "to_committee") is None


def test_documents_are_stored_as_evidence_of_an_item(manager, deal, item):
    stored = documents_for(deal, manager, 2, item=item)
    assert [d.original_name for d in item.evidence.all()] == ["report-0.pdf", "report-1.pdf"]
    assert {d.content_type for d in stored} == {"application/pdf"}
    assert AuditEvent.objects.filter(action="deal.document").count() == 1


def test_evidence_of_another_deals_item_is_refused(fund, manager, deal, checklist_templates):
    other = deal_at(Stage.DUE_DILIGENCE, fund, manager).checklist.first()
    upload = SimpleUploadedFile("a.pdf", pdf(), content_type="application/pdf")
    err = refused(lambda: upload_documents(actor=manager, deal=deal, uploads=[upload], item=other), 400)
    assert err.field == "item"
    assert not DealDocument.objects.exists()


def test_a_bad_file_refuses_the_whole_upload(manager, deal):
    from django.core.exceptions import ValidationError

    good = SimpleUploadedFile("good.pdf", pdf(), content_type="application/pdf")
    bad = SimpleUploadedFile("bad.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError):
        upload_documents(actor=manager, deal=deal, uploads=[good, bad])
    assert not DealDocument.objects.exists()


def test_only_the_funds_managers_upload(fund, deal):
    upload = SimpleUploadedFile("a.pdf", pdf(), content_type="application/pdf")
    refused(lambda: upload_documents(actor=committee_member_of(fund), deal=deal, uploads=[upload]), 403)


# --- The page's query count -----------------------------------------------------------------------


def fill(deal, manager, reviewer, members, size: int) -> None:
    """``size`` checklist items (each with an owner, a sign-off and a document), notes, a closed
    vote and an open one with ``size``-fold votes, conditions."""
    deal.checklist.all().delete()
    DiligenceItem.objects.bulk_create(
        DiligenceItem(
            deal=deal,
            area=DiligenceArea.values[n % 5],
            order=n,
            title_en=f"Item {n}",
            owner=manager,
            status=ItemStatus.DONE,
            signed_off_by=reviewer,
            signed_off_at=timezone.now(),
        )
        for n in range(size)
    )
    for item in deal.checklist.all():
        documents_for(deal, manager, 1, item=item)
    DealNote.objects.bulk_create(DealNote(deal=deal, author=manager, body=f"Note {n}") for n in range(size))
    now = timezone.now()
    for n, closed in enumerate((True, False)):
        meeting = CommitteeMeeting.objects.create(fund=deal.fund, title=f"M{n}", scheduled_for=now, chair=members[0])
        meeting.members.set(members)
        item = AgendaItem.objects.create(
            meeting=meeting,
            deal=deal,
            closed_at=now if closed else None,
            outcome=Outcome.APPROVED_WITH_CONDITIONS if closed else "",
            tally={"approve": 2, "eligible": 3} if closed else {},
        )
        for member in members:
            ConflictDeclaration.objects.create(item=item, member=member, conflicted=False)
            Vote.objects.create(item=item, member=member, choice="approve")
        if closed:
            Condition.objects.bulk_create(Condition(deal=deal, item=item, text=f"C{n}") for n in range(size))


def test_the_deal_page_reads_a_flat_number_of_queries(
    client, fund, manager, reviewer, members, checklist_templates, django_assert_max_num_queries
):
    client.force_login(manager)
    counts = {}
    for size in (2, 20):
        deal = deal_at(Stage.DUE_DILIGENCE, fund, manager)
        fill(deal, manager, reviewer, members, size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("funds:deal", args=[deal.reference]))
        assert response.status_code == 200
        assert f"Item {size - 1}" in response.content.decode()
        counts[size] = len(queries)
    assert counts[20] == counts[2]
    with django_assert_max_num_queries(counts[2]):
        client.get(reverse("funds:deal", args=[deal.reference]))
