"""The review and decision demo data (``programs.demo_reviews``), as the people trying the demo
meet it: a closed call decided into every end state with its cohort admitted, a ranking that
normalisation visibly changes, and the demo reviewer's work waiting, one firm barred by a
detected conflict. Seeding takes seconds, so one test seeds once and checks each in turn; that a
second seed changes nothing is checked in ``tests/core/test_seed_demo.py``."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from enterprises.choices import Kind
from enterprises.models import HongKongEntity
from hkhz_portal.accounts.models import User
from hkhz_portal.accounts.roles import Role
from programs import figures
from programs.assignment import conflicts
from programs.choices import ACTIVE_ASSIGNMENTS, AssignmentStatus, CallState, Outcome
from programs.demo_reviews import CLOSED_SLUG
from programs.models import Application, Call, ConflictDeclaration, ReviewAssignment
from programs.selectors import call_ranking
from programs.workflow import PLACE_STATES, Status

pytestmark = pytest.mark.django_db


def test_the_demo_shows_reviews_rankings_and_decisions(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", password="demo-password-1", stdout=io.StringIO())
    closed = Call.objects.get(slug=CLOSED_SLUG)

    assert set(Application.objects.values_list("status", flat=True)) == set(Status)
    the_closed_call_is_decided_into_every_end_state(closed)
    harsh_and_lenient_reviewers_reorder_the_raw_ranking(closed)
    the_dashboard_reads_time_spent_in_each_state(closed)
    the_demo_reviewer_has_work_waiting_and_one_detected_conflict()


def the_dashboard_reads_time_spent_in_each_state(call):
    """The closed call's steps are dated over months, so its medians say something."""
    medians = {row.status: row.median_days for row in figures.time_in_states(call.programme.unit_id)}
    assert medians[Status.IN_REVIEW] >= 10 and medians[Status.ONBOARDING] >= 20
    assert call.applications.filter(submitted_at__gte=timezone.now()).count() == 0
    last = call.applications.order_by("-status_changed_at").first()
    assert last.status_changed_at <= timezone.now()


def the_closed_call_is_decided_into_every_end_state(call):
    assert call.state() == CallState.CLOSED
    applications = list(call.applications.select_related("enterprise"))
    assert Counter(a.status for a in applications) == {
        Status.ADMITTED: 4,
        Status.ONBOARDING: 2,
        Status.APPROVED: 2,
        Status.WITHDRAWN: 1,
        Status.WAITLISTED: 2,
        Status.REJECTED: 3,
    }
    for application in applications:
        assert application.reviews_closed_at is not None
        submitted = application.assignments.filter(status=AssignmentStatus.SUBMITTED)
        assert submitted.count() == 3
        assert all(a.review.comment_to_officer and a.review.comment_to_applicant for a in submitted)
        steps = list(application.status_changes.values_list("transition", flat=True))
        assert steps[:2] == ["start", "submit"] and "complete_reviews" in steps

    withdrawn = next(a for a in applications if a.status == Status.WITHDRAWN)
    assert list(withdrawn.status_changes.values_list("to_status", flat=True))[-2:] == ["approved", "withdrawn"]
    offered = next(a for a in applications if a.decisions.filter(decided_by__isnull=True).exists())
    assert offered.status == Status.APPROVED
    assert list(offered.decisions.order_by("decided_at", "id").values_list("outcome", flat=True)) == [
        Outcome.WAITLIST,
        Outcome.APPROVE,
    ]
    # One reviewer declared a conflict and handed the assignment back; someone else reviewed.
    handed_back = ReviewAssignment.objects.get(application__call=call, status=AssignmentStatus.CONFLICT)
    assert ConflictDeclaration.objects.filter(
        reviewer=handed_back.reviewer, enterprise=handed_back.application.enterprise
    ).exists()

    admitted = [a for a in applications if a.status == Status.ADMITTED]
    assert all(a.onboarding.complete for a in admitted)
    mainland = [a.enterprise for a in admitted if a.enterprise.kind == Kind.MAINLAND]
    assert len(mainland) >= 3
    for enterprise in mainland:
        entity = HongKongEntity.objects.get(enterprise=enterprise)
        assert entity.name.endswith("(Hong Kong) Limited") and len(entity.hk_br) == 8
    checklists = [
        (a.onboarding.tenancy_signed_on, a.onboarding.company_registered_on, a.onboarding.moved_in_on)
        for a in applications
        if a.status == Status.ONBOARDING
    ]
    assert sorted(sum(map(bool, dates)) for dates in checklists) == [0, 1]  # one has begun its checklist

    rubric = call.rubric
    assert [c.key for c in rubric.criteria.all()] == ["science", "team", "market", "hong_kong"]
    for criterion in rubric.criteria.prefetch_related("levels"):
        levels = list(criterion.levels.all())
        assert [level.score for level in levels] == [1, 2, 3, 4, 5]
        assert all(level.description_en and level.description_zh_hans and level.description_zh_hant for level in levels)
    panel = list(call.panel.select_related("reviewer"))
    assert len(panel) == 6
    assert all(m.reviewer.has_role(Role.REVIEWER) and m.sectors for m in panel)
    assert "reviewer@demo.hkhz.local" in {m.reviewer.email for m in panel}


def harsh_and_lenient_reviewers_reorder_the_raw_ranking(call):
    rows = call_ranking(call).rows
    by_raw = [r.application_id for r in sorted(rows, key=lambda r: -r.raw)]
    by_normalised = [r.application_id for r in rows]
    swapped = [
        (a, b) for i, a in enumerate(by_normalised) for b in by_normalised[i + 1 :] if by_raw.index(a) > by_raw.index(b)
    ]
    assert len(swapped) >= 2, "normalising should reorder the raw ranking"
    # The harsh reviewer scores below the panel and the lenient one above it.
    means = {}
    for assignment in ReviewAssignment.objects.filter(application__call=call, status=AssignmentStatus.SUBMITTED):
        means.setdefault(assignment.reviewer.email, []).append(float(assignment.review.total))
    means = {email: sum(totals) / len(totals) for email, totals in means.items()}
    middle = sorted(means.values())[len(means) // 2]
    assert means["siuming.chan@cuhk-med.example"] < middle - 0.5
    assert means["wailun.kwok@harbour-ventures.example"] > middle + 0.5
    # The officer decided down the normalised ranking: its top rows hold the call's places.
    holders = [r.application.status in PLACE_STATES for r in rows]
    assert holders == [True] * call.capacity + [False] * (len(rows) - call.capacity)


def the_demo_reviewer_has_work_waiting_and_one_detected_conflict():
    reviewer = User.objects.get(email="reviewer@demo.hkhz.local")
    rolling = Call.objects.get(slug="biomedical-incubation-rolling")
    waiting = ReviewAssignment.objects.filter(
        reviewer=reviewer, application__call=rolling, status__in=ACTIVE_ASSIGNMENTS
    ).select_related("application")
    assert {a.status for a in waiting} == {AssignmentStatus.AWAITING_DECLARATION, AssignmentStatus.REVIEWING}
    begun = next(a for a in waiting if a.status == AssignmentStatus.REVIEWING)
    assert begun.review.submitted_at is None and begun.review.scores
    others = begun.application.assignments.exclude(reviewer=reviewer)
    assert {a.status for a in others} == {AssignmentStatus.SUBMITTED}

    barred = Application.objects.get(call=rolling, enterprise__legal_name_en="Hangzhou Liangzhu Cell Therapy Co., Ltd.")
    assert barred.status == Status.IN_REVIEW
    assert rolling.panel.filter(reviewer=reviewer).exists()
    assert conflicts([reviewer], barred.enterprise) == {reviewer.pk: "declared_organisation"}
    assert not barred.assignments.filter(reviewer=reviewer).exists()
    assert barred.assignments.count() == 3
    assert ConflictDeclaration.objects.filter(reviewer=reviewer, organisation="Liangzhu Cell Therapy").exists()
    # Made-up firms' owners write from their own domains: the demo reviewer shares no domain with them.
    in_review = Application.objects.filter(call=rolling, status=Status.IN_REVIEW).exclude(pk=barred.pk)
    assert all(not conflicts([reviewer], a.enterprise) for a in in_review.select_related("enterprise"))

    overdue = ReviewAssignment.objects.filter(status__in=ACTIVE_ASSIGNMENTS, due_on__lt=timezone.localdate())
    assert overdue.exists()
    assert Application.objects.filter(call=rolling, status=Status.REVIEWED).exists()
