"""Conflicts of interest: detected (a member of the enterprise, its mail or web domain) and
declared (the enterprise, or an organisation named in any Chinese script), and a conflict the
reviewer declares hands the application back to be assigned to someone else."""

import pytest

from enterprises.models import HongKongEntity, Membership
from hkhz_portal.core.errors import DomainError
from programs.assignment import conflicts
from programs.choices import AssignmentStatus
from programs.models import ConflictDeclaration, ReviewAssignment
from programs.services import reviews as svc
from tests.factories import EnterpriseFactory, UserFactory

from .factories import application_in_review, enqueued, officer_of, panel_of, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    enterprise = EnterpriseFactory(
        legal_name_en="Binjiang Medical Technology Co., Ltd.",
        legal_name_zh="香港濱江醫療科技有限公司",
        website="https://www.binjiang-med.com/en/",
    )
    for email in ("ceo@binjiang.cn", "cto@gmail.com", "cfo@qq.com"):
        Membership.objects.create(enterprise=enterprise, user=UserFactory(email=email), role="owner")
    return enterprise


def found(person, enterprise):
    return conflicts([person], enterprise).get(person.pk)


def test_a_member_of_the_enterprise_is_in_conflict(enterprise):
    person = reviewer(email="reviewer@university.edu.hk")
    Membership.objects.create(enterprise=enterprise, user=person, role="member")
    assert found(person, enterprise) == "member"


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("someone@binjiang.cn", "mail_domain"),
        ("Someone@BINJIANG.CN", "mail_domain"),
        ("someone@binjiang-med.com", "mail_domain"),  # the website's domain, without www.
        ("someone@gmail.com", None),  # public mail services say nothing of an employer
        ("someone@qq.com", None),
        ("someone@binjiang.com", None),
    ],
)
def test_a_shared_mail_or_web_domain_is_a_conflict_but_not_a_public_mail_service(enterprise, email, reason):
    assert found(reviewer(email=email), enterprise) == reason


def test_a_conflict_declared_with_the_enterprise_is_kept(enterprise):
    person = reviewer()
    ConflictDeclaration.objects.create(reviewer=person, enterprise=enterprise, reason="I consulted for them.")
    assert found(person, enterprise) == "declared_enterprise"
    other = EnterpriseFactory()
    assert found(person, other) is None


@pytest.mark.parametrize(
    "organisation",
    [
        "滨江医疗",  # Simplified; the legal name is in Traditional
        "濱江 醫療",
        "BINJIANG medical",
        "Binjiang HK Holdings",  # the mainland firm's Hong Kong company
    ],
)
def test_an_organisation_named_in_any_script_or_case_is_found_in_the_enterprises_names(enterprise, organisation):
    HongKongEntity.objects.create(enterprise=enterprise, name="Binjiang HK Holdings Limited", hk_br="12345678")
    person = reviewer()
    svc.declare_organisation(actor=person, organisation=organisation, reason="I sit on its board.")
    assert found(person, enterprise) == "declared_organisation"


def test_an_organisation_not_in_the_enterprises_names_is_no_conflict(enterprise):
    person = reviewer()
    svc.declare_organisation(actor=person, organisation="西湖大学", reason="My employer.")
    assert found(person, enterprise) is None


@pytest.mark.parametrize("organisation", ["", "  ", "濱"])
def test_an_organisation_needs_a_name(organisation):
    with pytest.raises(DomainError) as refused:
        svc.declare_organisation(actor=reviewer(), organisation=organisation)
    assert (refused.value.code, refused.value.field) == ("organisation_required", "organisation")


def test_an_officer_cannot_assign_a_conflicted_reviewer_by_hand(call, enterprise):
    call.reviewers_per_application = 2
    call.save()
    (person,) = panel_of(call, 1)
    person.email = "advisor@binjiang.cn"
    person.save()
    application = application_in_review(call, enterprise)
    with pytest.raises(DomainError) as refused:
        svc.assign_reviewer(actor=officer_of(call), application=application, reviewer=person)
    assert refused.value.code == "conflict"
    assert str(refused.value) == (
        f"{person.full_name} cannot review this application: the reviewer shares the enterprise's e-mail domain."
    )
    assert not application.assignments.exists()


def test_a_declared_conflict_hands_the_application_back_and_someone_else_is_assigned(
    call, enterprise, django_capture_on_commit_callbacks
):
    call.reviewers_per_application = 2
    call.save()
    first, second, spare = panel_of(call, 3)
    application = application_in_review(call, enterprise)
    svc.assign_reviewers(application.pk)
    assert set(application.assignments.values_list("reviewer_id", flat=True)) == {first.pk, second.pk}
    assignment = application.assignments.get(reviewer=first)

    with pytest.raises(DomainError) as refused:
        svc.declare(actor=first, assignment=assignment, conflict=True, reason="  ")
    assert refused.value.code == "reason_required"
    with django_capture_on_commit_callbacks() as callbacks:
        svc.declare(actor=first, assignment=assignment, conflict=True, reason="My former student founded it.")
    assert ("programs.assign_reviewers", (application.pk,)) in enqueued(callbacks)
    svc.assign_reviewers(application.pk)  # the worker's task

    assignment.refresh_from_db()
    assert (assignment.status, assignment.end_reason) == (AssignmentStatus.CONFLICT, "My former student founded it.")
    assert assignment.declared_at is not None and assignment.ended_at is not None
    active = ReviewAssignment.objects.filter(application=application).exclude(status=AssignmentStatus.CONFLICT)
    assert set(active.values_list("reviewer_id", flat=True)) == {second.pk, spare.pk}
    assert ConflictDeclaration.objects.get(reviewer=first).enterprise == enterprise
    assert found(first, enterprise) == "declared_enterprise"
    assert svc.assign_reviewers(application.pk) == []
