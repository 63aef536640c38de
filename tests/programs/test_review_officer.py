"""The officer's side of the review, on the staff application page: the reviewers and their
reviews, assigning and replacing a reviewer, closing the reviews; refused across units and roles."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Membership
from hkhz_portal.accounts.roles import Role
from programs.choices import AssignmentStatus
from programs.models import ConflictDeclaration, PanelMember, ReviewAssignment
from programs.services import reviews as svc
from programs.workflow import Status
from tests.factories import UnitFactory, user_with_role

from .factories import (
    CallFactory,
    ProgrammeFactory,
    in_review,
    officer_of,
    panel_of,
    review,
    reviewed,
    reviewer,
    rubric_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(call):
    rubric_for(call)
    return panel_of(call, 2)


@pytest.fixture
def short(call, panel):
    """An application the worker could staff with two reviewers of the three the call asks for."""
    application = in_review(call)
    svc.assign_reviewers(application.pk)
    application.refresh_from_db()
    assert application.reviewers_missing == 1
    return application


@pytest.fixture
def officer(client, call):
    user = officer_of(call, full_name="Officer Chan")
    client.force_login(user)
    return user


def page(application):
    return reverse("programs:staff_application", args=[application.reference])


def assign_url(application):
    return reverse("programs:staff_reviewer_assign", args=[application.reference])


def replace_url(assignment):
    return reverse("programs:staff_reviewer_replace", args=[assignment.application.reference, assignment.pk])


def close_url(application):
    return reverse("programs:staff_reviews_close", args=[application.reference])


def joins(call, **fields):
    """Another reviewer on the call's panel."""
    member = reviewer(**fields)
    PanelMember.objects.create(call=call, reviewer=member, sectors=["biopharma"])
    return member


def test_the_page_lists_the_reviewers_and_says_a_place_is_empty(client, officer, short, panel):
    html = client.get(page(short)).content.decode()
    section = html.split('id="reviewers-title"')[1]
    for member in panel:
        assert member.full_name in section
    assert "1 review place could not be filled" in section
    assert "Matching" in section  # the panel's sector is the enterprise's
    assert "due in 10 working days" in section
    assert "Every reviewer of the call's panel has been assigned this application" in section


def test_once_the_place_is_filled_by_hand_the_notice_goes(client, officer, short, call):
    third = joins(call)
    assert "Assign a reviewer" in client.get(page(short)).content.decode()
    client.post(assign_url(short), {"assign-reviewer": third.pk})
    section = client.get(page(short)).content.decode().split('id="reviewers-title"')[1]
    assert "could not be filled" not in section and "Assign a reviewer" not in section


def test_an_overdue_reviewer_is_flagged(client, officer, short):
    short.assignments.update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    section = client.get(page(short)).content.decode().split('id="reviewers-title"')[1]
    assert section.count('class="flag flag-overdue"') == 2


def test_the_submitted_reviews_show_with_scores_totals_and_comments(client, officer, call):
    rubric_for(call)
    panel_of(call, 3)
    application = reviewed(call, {"science": 5, "team": 4, "market": 2})
    section = client.get(page(application)).content.decode().split('id="reviewers-title"')[1]
    assert section.count('<td data-label="Science">5</td>') == 3
    assert section.count("3.800") == 3  # 0.4*5 + 0.3*4 + 0.3*2
    assert "Solid science." in section and "Strengthen the market plan." in section
    assert "Close the reviews" in section


def test_the_officer_assigns_a_reviewer_by_hand(client, officer, short, call):
    third = joins(call)
    response = client.post(assign_url(short), {"assign-reviewer": third.pk})
    assert response.status_code == 302
    made = short.assignments.get(reviewer=third)
    assert made.assigned_by == officer and made.status == AssignmentStatus.AWAITING_DECLARATION


def test_a_reviewer_with_a_conflict_is_refused_on_the_form(client, officer, short, call):
    tied = joins(call, full_name="Tied Reviewer")
    ConflictDeclaration.objects.create(reviewer=tied, enterprise=short.enterprise, reason="Former adviser")
    response = client.post(assign_url(short), {"assign-reviewer": tied.pk})
    assert response.status_code == 400
    assert "Tied Reviewer cannot review this application" in response.content.decode()
    assert not short.assignments.filter(reviewer=tied).exists()


def test_a_member_of_the_enterprise_is_refused_too(client, officer, short, call):
    insider = joins(call)
    Membership.objects.create(enterprise=short.enterprise, user=insider, role="member")
    response = client.post(assign_url(short), {"assign-reviewer": insider.pk})
    assert response.status_code == 400
    assert not short.assignments.filter(reviewer=insider).exists()


@pytest.mark.parametrize("value", ["", "abc", "99999999", "1\x00"], ids=["empty", "string", "unknown", "nul"])
def test_a_bad_choice_of_reviewer_is_a_400(client, officer, short, value):
    assert client.post(assign_url(short), {"assign-reviewer": value}).status_code == 400
    assert short.assignments.count() == 2


def test_the_officer_replaces_a_reviewer_with_a_chosen_one(client, officer, short, call, panel):
    third = joins(call)
    old = short.assignments.get(reviewer=panel[0])
    prefix = f"replace-{old.pk}"
    response = client.post(replace_url(old), {f"{prefix}-reviewer": third.pk, f"{prefix}-reason": "Overdue"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == AssignmentStatus.REPLACED and old.end_reason == "Overdue"
    assert short.assignments.get(reviewer=third).status == AssignmentStatus.AWAITING_DECLARATION


def test_replacing_without_a_choice_asks_the_worker(client, officer, short, panel, django_capture_on_commit_callbacks):
    old = short.assignments.get(reviewer=panel[0])
    with (
        mock.patch("programs.tasks.assign_reviewers.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(replace_url(old), {}, follow=True)
    assert "the portal is choosing another" in response.content.decode()
    delay.assert_called_once_with(short.pk)
    old.refresh_from_db()
    assert old.status == AssignmentStatus.REPLACED


def test_a_submitted_review_cannot_be_replaced(client, officer, short, panel):
    done = short.assignments.get(reviewer=panel[0])
    review(done, {"science": 3, "team": 3, "market": 3})
    html = client.get(page(short)).content.decode()
    assert replace_url(done) not in html
    response = client.post(replace_url(done), {}, follow=True)
    assert "Only a reviewer who has not submitted a review can be replaced." in response.content.decode()
    done.refresh_from_db()
    assert done.status == AssignmentStatus.SUBMITTED


def test_a_long_replacement_reason_is_a_400(client, officer, short, panel):
    old = short.assignments.get(reviewer=panel[0])
    response = client.post(replace_url(old), {f"replace-{old.pk}-reason": "r" * 10_000})
    assert response.status_code == 400
    old.refresh_from_db()
    assert old.status == AssignmentStatus.AWAITING_DECLARATION


def test_another_applications_assignment_is_404(client, officer, short, call):
    other = in_review(call)
    svc.assign_reviewers(other.pk)
    theirs = other.assignments.first()
    url = reverse("programs:staff_reviewer_replace", args=[short.reference, theirs.pk])
    assert client.post(url, {}).status_code == 404


def test_the_officer_closes_the_reviews(client, officer, call):
    rubric_for(call)
    panel_of(call, 3)
    application = reviewed(call)
    response = client.post(close_url(application), follow=True)
    assert "are closed" in response.content.decode()
    application.refresh_from_db()
    assert application.reviews_closed_at is not None
    assert "Close the reviews" not in client.get(page(application)).content.decode()


def test_closing_before_every_review_is_in_is_refused(client, officer, short):
    response = client.post(close_url(short), follow=True)
    assert "Reviews close once every review is in" in response.content.decode()
    short.refresh_from_db()
    assert short.reviews_closed_at is None


def test_an_officer_of_another_unit_gets_404(client, short, call):
    unit = UnitFactory(code="other-unit", kind="platform")
    stranger = officer_of(CallFactory(programme=ProgrammeFactory(unit=unit)))
    client.force_login(stranger)
    assignment = short.assignments.first()
    assert client.get(page(short)).status_code == 404
    assert client.post(assign_url(short), {"assign-reviewer": assignment.reviewer_id}).status_code == 404
    assert client.post(replace_url(assignment), {}).status_code == 404
    assert client.post(close_url(short)).status_code == 404
    assert ReviewAssignment.objects.filter(status=AssignmentStatus.REPLACED).count() == 0


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.APPLICANT])
def test_other_roles_are_refused(client, short, role):
    client.force_login(user_with_role(role))
    assignment = short.assignments.first()
    assert client.post(assign_url(short), {}).status_code == 403
    assert client.post(replace_url(assignment), {}).status_code == 403
    assert client.post(close_url(short)).status_code == 403
    assert short.assignments.filter(status=AssignmentStatus.REPLACED).count() == 0


def test_no_reviewer_section_before_review(client, officer, call):
    from .factories import applicant_of_new_enterprise, complete_draft

    draft = complete_draft(call, applicant_of_new_enterprise())
    assert draft.status == Status.DRAFT
    html = client.get(page(draft)).content.decode()
    assert 'id="reviewers-title"' not in html
