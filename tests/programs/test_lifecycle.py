"""An application's life in one process: start, autosave, submit, screening, the officer's steps."""

import datetime

import pytest
from django.utils import timezone

from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import DomainEvent
from programs.models import StatusChange
from programs.services import applications as svc
from programs.tasks import screen_application
from programs.workflow import Status
from tests.factories import EnterpriseFactory, member_of

from .factories import business_plan, complete_draft, good_answers, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    enterprise = EnterpriseFactory(founded_on=timezone.localdate() - datetime.timedelta(days=300))
    return member_of(enterprise, role="owner", preferred_language="zh-hant")


def test_a_complete_application_passes_screening_with_an_event_for_each_step(
    call, applicant, django_capture_on_commit_callbacks
):
    enterprise = applicant.memberships.get().enterprise
    application = svc.start_application(actor=applicant, call=call, enterprise=enterprise)
    assert application.reference.startswith(f"HKSP-{timezone.localdate():%Y}-")
    checked = svc.save_answers(
        actor=applicant, application=application, answers=good_answers(business_plan(applicant).pk)
    )
    assert checked.ok, checked.errors
    with django_capture_on_commit_callbacks(execute=False):
        svc.submit(actor=applicant, application=application, declaration=True)
    screen_application(application.pk)
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert [c.to_status for c in StatusChange.objects.filter(application=application)] == [
        "draft",
        "submitted",
        "screening",
        "in_review",
    ]
    kinds = list(DomainEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [
        "application.start",
        "application.submit",
        "application.start_screening",
        "application.pass_screening",
    ]


def test_a_failing_rule_flags_the_application_for_an_officer(call, applicant):
    enterprise = applicant.memberships.get().enterprise
    application = svc.start_application(actor=applicant, call=call, enterprise=enterprise)
    answers = good_answers(business_plan(applicant).pk)
    answers["team"] = [{"name": "Solo Founder", "full_time": True, "technical": True, "equity": "100"}]
    svc.save_answers(actor=applicant, application=application, answers=answers)
    svc.submit(actor=applicant, application=application, declaration=True)
    screen_application(application.pk)
    application.refresh_from_db()
    assert application.status == Status.NEEDS_ATTENTION and application.flagged
    failed = application.screening_checks.filter(passed=False).values_list("rule", flat=True)
    assert list(failed) == ["min_full_time_staff"]

    officer = officer_of(call)
    with pytest.raises(DomainError):
        svc.override_flag(actor=applicant, application=application, reason="trust me")
    svc.override_flag(actor=officer, application=application, reason="Second founder joins next month")
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW and not application.flagged
    with pytest.raises(DomainError) as refused:
        svc.override_flag(
            actor=officer, application=application, reason="again", expected_status=Status.NEEDS_ATTENTION
        )
    assert refused.value.status == 409


def test_submitting_twice_gives_one_submission(call, applicant):
    enterprise = applicant.memberships.get().enterprise
    application = svc.start_application(actor=applicant, call=call, enterprise=enterprise)
    svc.save_answers(actor=applicant, application=application, answers=good_answers(business_plan(applicant).pk))
    svc.submit(actor=applicant, application=application, declaration=True)
    svc.submit(actor=applicant, application=application, declaration=True)
    assert StatusChange.objects.filter(application=application, transition="submit").count() == 1


def test_the_identifier_is_checked_once_whether_or_not_the_call_lists_the_rule(call, applicant):
    enterprise = applicant.memberships.get().enterprise
    application = svc.start_application(actor=applicant, call=call, enterprise=enterprise)
    svc.save_answers(actor=applicant, application=application, answers=good_answers(business_plan(applicant).pk))
    svc.submit(actor=applicant, application=application, declaration=True)
    screen_application(application.pk)
    rules = list(application.screening_checks.values_list("rule", flat=True))
    assert rules.count("identifier_valid") == 1 and "identifier" not in rules

    call.rules.filter(kind="identifier_valid").delete()
    svc.withdraw(actor=applicant, application=application)
    again = svc.start_application(actor=applicant, call=call, enterprise=enterprise)
    svc.save_answers(actor=applicant, application=again, answers=good_answers(business_plan(applicant).pk))
    svc.submit(actor=applicant, application=again, declaration=True)
    screen_application(again.pk)
    assert list(again.screening_checks.filter(rule__startswith="identifier").values_list("rule", flat=True)) == [
        "identifier"
    ]


def test_an_enterprise_with_a_large_id_starts_an_application(call):
    """The reference's placeholder fits its column (PostgreSQL refuses a longer one) at any id."""
    enterprise = EnterpriseFactory(pk=12_345_678, founded_on=timezone.localdate() - datetime.timedelta(days=300))
    applicant = member_of(enterprise, role="owner")
    application = svc.start_application(actor=applicant, call=call, enterprise=enterprise)
    assert application.reference == f"HKSP-{timezone.localdate():%Y}-{application.pk:05d}"


def test_a_flagged_application_rejected_or_withdrawn_leaves_the_flagged_filter(call, applicant):
    """The queue's "flagged" filter lists applications waiting for an officer, not settled ones."""
    officer = officer_of(call)
    answers = {"team": [{"name": "Solo Founder", "full_time": True, "technical": True, "equity": "100"}]}
    application = complete_draft(call, applicant, **answers)
    svc.submit(actor=applicant, application=application, declaration=True)
    screen_application(application.pk)
    application.refresh_from_db()
    assert application.flagged
    svc.reject_ineligible(actor=officer, application=application, reasons="One full-time person; the call needs two.")
    application.refresh_from_db()
    assert (application.status, application.flagged) == (Status.REJECTED, False)
