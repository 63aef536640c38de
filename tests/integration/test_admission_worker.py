"""An application's life through a real Celery worker on real Redis (and PostgreSQL on CI):
screened into review or flagged for an officer, the applicant told in the portal and by e-mail
in 繁體中文; and a worker killed with SIGKILL mid-screening, after which the application is
screened exactly once."""

import email
import email.policy
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from enterprises.models import Enterprise
from hkhz_portal.core.models import Notification
from programs.models import Application, ScreeningCheck, StatusChange
from programs.services import applications as svc
from programs.services.reminders import requeue_stale_screenings
from programs.workflow import STATE_HELP, Status
from tests.conftest import require
from tests.programs.factories import applicant_of_new_enterprise, complete_draft, officer_of

from .conftest import celery_worker, held, queues_drained, wait_for, waiting_for_a_lock

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SETTLED = {Status.IN_REVIEW, Status.NEEDS_ATTENTION}


@pytest.fixture
def mail_folder(tmp_path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


def worker_env(mail_folder: Path, **extra) -> dict:
    """A worker that writes its mail to files the test reads."""
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_folder),
        **extra,
    }


def mails(folder: Path) -> list[email.message.EmailMessage]:
    """Every mail the file backend wrote: each file holds messages separated by a line of dashes."""
    found = []
    for path in sorted(folder.glob("*.log")):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                found.append(email.message_from_bytes(raw, policy=email.policy.default))
    return found


def settle(application, worker, timeout=60) -> Application:
    if not wait_for(lambda: Application.objects.get(pk=application.pk).status in SETTLED, timeout=timeout):
        worker.terminate()
        pytest.fail(f"not screened within {timeout} s. Worker output:\n{worker.communicate(timeout=10)[0][-3000:]}")
    return Application.objects.get(pk=application.pk)


def test_a_submitted_application_is_screened_into_review_and_the_applicant_told_in_traditional_chinese(
    broker, call, mail_folder
):
    applicant = applicant_of_new_enterprise(preferred_language="zh-hant", full_name="陳大文")
    application = complete_draft(call, applicant)
    with celery_worker(redis_url=broker, extra_env=worker_env(mail_folder)) as worker:
        svc.submit(actor=applicant, application=application, declaration=True)
        application = settle(application, worker)
        assert application.status == Status.IN_REVIEW and not application.flagged

        def told_of_review():
            return [m for m in mails(mail_folder) if application.reference in m["Subject"]]

        assert wait_for(lambda: len(told_of_review()) == 2, timeout=60), "the worker sent no e-mail copies"
    steps = StatusChange.objects.filter(application=application).values_list("to_status", flat=True)
    assert list(steps) == ["draft", "submitted", "screening", "in_review"]
    assert set(ScreeningCheck.objects.filter(application=application).values_list("passed", flat=True)) == {True}

    with translation.override("zh-hant"):
        in_review, meaning = str(Status.IN_REVIEW.label), str(STATE_HELP[Status.IN_REVIEW])
    assert in_review != "In review", "the 繁體 catalogue lacks the workflow's words"
    notice = Notification.objects.get(recipient=applicant, kind="application.pass_screening")
    assert in_review in notice.title and notice.body == meaning
    mail = next(m for m in told_of_review() if in_review in m["Subject"])
    assert mail["To"] == applicant.email
    body = mail.get_content()
    assert "陳大文" in body.splitlines()[0]
    assert meaning in body
    assert f"/applications/{application.reference}/" in body


def test_a_failing_rule_flags_the_application_and_tells_the_units_officers(broker, call, mail_folder):
    applicant = applicant_of_new_enterprise(preferred_language="en")
    officer = officer_of(call, preferred_language="en")
    solo = [{"name": "Solo Founder", "full_time": True, "technical": True, "equity": "100"}]
    application = complete_draft(call, applicant, team=solo)
    with celery_worker(redis_url=broker, extra_env=worker_env(mail_folder)) as worker:
        svc.submit(actor=applicant, application=application, declaration=True)
        application = settle(application, worker)
        assert wait_for(lambda: any(m["To"] == officer.email for m in mails(mail_folder)), timeout=60)
    assert application.status == Status.NEEDS_ATTENTION and application.flagged
    failed = ScreeningCheck.objects.filter(application=application, passed=False)
    assert [(c.rule, c.code) for c in failed] == [("min_full_time_staff", "staff_too_few")]
    notice = Notification.objects.get(recipient=officer, kind="application.flag")
    assert notice.url == f"/staff/applications/{application.reference}/"
    assert not Notification.objects.filter(recipient=applicant, kind="application.flag").exists()


def test_a_worker_killed_mid_screening_leaves_the_application_to_be_screened_exactly_once(
    broker, call, mail_folder, settings
):
    """Worker A blocks inside screening's transaction on a row this test holds locked, and is
    killed with SIGKILL there. Then both ways back run at once: the beat's sweep enqueues the
    application again, and worker B, which takes over A's unacknowledged task, gets it too."""
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    applicant = applicant_of_new_enterprise(preferred_language="en")
    application = complete_draft(call, applicant)
    svc.submit(actor=applicant, application=application, declaration=True)  # queued; no worker yet

    # Screening locks the enterprise's row with the application's (select_for_update of both):
    # held here, it stops the worker in the middle of screening, after it began.
    lock_the_enterprise = Enterprise.objects.select_for_update().filter(pk=application.enterprise_id).get
    with held(lock_the_enterprise), celery_worker(redis_url=broker, extra_env=worker_env(mail_folder)) as worker_a:
        began = wait_for(lambda: Application.objects.get(pk=application.pk).status == Status.SCREENING, 60)
        assert began and wait_for(waiting_for_a_lock, 30), "worker A never reached the locked row"
        worker_a.kill()  # SIGKILL mid-screening: no chance to acknowledge, requeue or roll back
        worker_a.wait(10)
    # A's open transaction dies with its connection: the application is left in screening, unscreened.
    assert wait_for(lambda: not waiting_for_a_lock(), 30)
    assert Application.objects.get(pk=application.pk).status == Status.SCREENING
    assert not ScreeningCheck.objects.filter(application=application).exists()

    settings.SCREENING_STALE_AFTER = 0
    assert requeue_stale_screenings() == [application.pk]  # the beat's sweep
    time.sleep(3)  # A's task has been unacknowledged for longer than B's visibility timeout
    with celery_worker(redis_url=broker, extra_env=worker_env(mail_folder, CELERY_VISIBILITY_TIMEOUT="2")) as worker_b:
        application = settle(application, worker_b)
        assert wait_for(queues_drained, 60), "worker B did not take over A's task"
    assert application.status == Status.IN_REVIEW
    assert set(ScreeningCheck.objects.filter(application=application).values_list("run", flat=True)) == {1}
    transitions = list(StatusChange.objects.filter(application=application).values_list("transition", flat=True))
    assert transitions == ["start", "submit", "start_screening", "pass_screening"]
