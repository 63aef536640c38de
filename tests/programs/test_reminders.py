"""The beat's work: screenings whose task was lost are screened again (once), and requests for
more information are reminded of when their deadline nears and once it passes, each once."""

import datetime

import pytest
from django.utils import timezone

from hkhz_portal.core.models import DomainEvent, Notification
from programs.events import ReminderKind
from programs.models import Application, InfoRequest, ScreeningCheck, StatusChange
from programs.services import applications as svc
from programs.tasks import remind_info_requests, sweep_applications
from programs.workflow import Status

from .factories import applicant_of_new_enterprise, complete_draft, officer_of

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.timedelta(hours=2)


@pytest.fixture
def applicant():
    return applicant_of_new_enterprise(preferred_language="en", full_name="Chen Wei")


def submitted_while_the_broker_was_down(call, applicant, django_capture_on_commit_callbacks):
    application = complete_draft(call, applicant)
    with django_capture_on_commit_callbacks(execute=False):  # the screening task never reached a worker
        svc.submit(actor=applicant, application=application, declaration=True)
    return application


def age(application, by=LONG_AGO, **fields):
    """Pretend the application's state and its last enqueueing are ``by`` old."""
    then = timezone.now() - by
    Application.objects.filter(pk=application.pk).update(
        **{"status_changed_at": then, "screening_enqueued_at": then, **fields}
    )


def sweep(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return sweep_applications()


def test_an_application_whose_screening_task_was_lost_is_screened_by_the_sweep(
    call, applicant, eager_tasks, django_capture_on_commit_callbacks
):
    application = submitted_while_the_broker_was_down(call, applicant, django_capture_on_commit_callbacks)
    assert sweep(django_capture_on_commit_callbacks) == 0  # not stale yet: its task may be on its way
    age(application)
    assert sweep(django_capture_on_commit_callbacks) == 1
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert sweep(django_capture_on_commit_callbacks) == 0


def test_an_application_left_in_screening_by_a_dead_worker_is_screened_once(
    call, applicant, eager_tasks, django_capture_on_commit_callbacks
):
    application = submitted_while_the_broker_was_down(call, applicant, django_capture_on_commit_callbacks)
    assert svc.begin_screening(application.pk)  # then the worker died before finishing
    age(application)
    assert sweep(django_capture_on_commit_callbacks) == 1
    # The lost task is redelivered too, later: it finds nothing left to do.
    svc.begin_screening(application.pk) and svc.finish_screening(application.pk)
    assert set(ScreeningCheck.objects.filter(application=application).values_list("run", flat=True)) == {1}
    steps = StatusChange.objects.filter(application=application).values_list("transition", flat=True)
    assert list(steps) == ["start", "submit", "start_screening", "pass_screening"]


def test_the_sweep_leaves_recently_enqueued_and_settled_applications_alone(
    call, applicant, eager_tasks, django_capture_on_commit_callbacks
):
    application = submitted_while_the_broker_was_down(call, applicant, django_capture_on_commit_callbacks)
    age(application, screening_enqueued_at=timezone.now())  # a sweep enqueued it a moment ago
    other = applicant_of_new_enterprise()
    draft = complete_draft(call, other)
    age(draft)
    assert sweep(django_capture_on_commit_callbacks) == 0
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    assert Application.objects.get(pk=draft.pk).status == Status.DRAFT


@pytest.fixture
def asked(call, applicant, eager_tasks, django_capture_on_commit_callbacks):
    """An application an officer asked more information of, due in five days."""
    application = complete_draft(call, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        svc.submit(actor=applicant, application=application, declaration=True)
    officer = officer_of(call, preferred_language="en", full_name="Officer Ho")
    due = timezone.now() + datetime.timedelta(days=5)
    svc.request_info(
        actor=officer, application=application, message="Send the audited accounts.", fields=["plan"], due_at=due
    )
    return application.info_requests.get()


def set_times(request, *, created_ago, due_in):
    now = timezone.now()
    InfoRequest.objects.filter(pk=request.pk).update(created_at=now - created_ago, due_at=now + due_in)


def remind(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return remind_info_requests()


def notices(kind):
    return {n.recipient.full_name: n for n in Notification.objects.filter(kind=kind).select_related("recipient")}


def test_the_applicant_is_reminded_once_when_the_deadline_is_near(asked, django_capture_on_commit_callbacks):
    assert remind(django_capture_on_commit_callbacks) == 0  # five days left
    set_times(asked, created_ago=datetime.timedelta(days=4), due_in=datetime.timedelta(days=1))
    assert remind(django_capture_on_commit_callbacks) == 1
    assert remind(django_capture_on_commit_callbacks) == 0
    told = notices(ReminderKind.INFO_DUE_SOON)
    assert list(told) == ["Chen Wei"]
    note = told["Chen Wei"]
    assert note.title.startswith(f"{asked.application.reference}: more information due ")
    assert "Answer it on the application's page." in note.body
    assert note.url == f"/applications/{asked.application.reference}/"
    assert InfoRequest.objects.get(pk=asked.pk).reminded_at is not None


def test_once_overdue_the_applicant_and_the_units_officers_are_told_once(asked, django_capture_on_commit_callbacks):
    set_times(asked, created_ago=datetime.timedelta(days=6), due_in=-datetime.timedelta(hours=1))
    assert remind(django_capture_on_commit_callbacks) == 1  # overdue only: it is too late to say "soon"
    assert remind(django_capture_on_commit_callbacks) == 0
    told = notices(ReminderKind.INFO_OVERDUE)
    reference = asked.application.reference
    assert set(told) == {"Chen Wei", "Officer Ho"}
    assert told["Chen Wei"].url == f"/applications/{reference}/"
    assert "You can still answer" in told["Chen Wei"].body
    assert told["Officer Ho"].url == f"/staff/applications/{reference}/"
    assert told["Officer Ho"].body.startswith("The applicant has not answered")
    assert not DomainEvent.objects.filter(kind=ReminderKind.INFO_DUE_SOON).exists()


def test_a_short_deadline_gets_no_due_soon_reminder(asked, django_capture_on_commit_callbacks):
    set_times(asked, created_ago=datetime.timedelta(hours=1), due_in=datetime.timedelta(days=1))
    assert remind(django_capture_on_commit_callbacks) == 0


@pytest.mark.parametrize("step", ["respond", "withdraw"])
def test_answered_and_withdrawn_applications_are_not_reminded(asked, step, django_capture_on_commit_callbacks):
    application = asked.application
    applicant = application.created_by
    if step == "respond":
        svc.respond(actor=applicant, application=application, message="Attached.", answers={"plan": "In 2027."})
    else:
        svc.withdraw(actor=applicant, application=application, reason="Changed plans")
    set_times(asked, created_ago=datetime.timedelta(days=6), due_in=-datetime.timedelta(hours=1))
    assert remind(django_capture_on_commit_callbacks) == 0
