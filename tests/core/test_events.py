"""The domain event stream: each event handed to its subscribers once, whatever the broker and
the workers do; notices and their e-mail copies as each recipient prefers, in their language."""

import threading
import time
from datetime import timedelta
from enum import StrEnum

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core import events, notifications
from hkhz_portal.core.models import DomainEvent, Notification
from hkhz_portal.core.tasks import dispatch_event, send_notification_email, sweep_events
from tests.factories import user_with_role


class Sample(StrEnum):
    SAVED = "test.saved"
    NOTED = "test.noted"


@pytest.fixture
def people():
    return [
        user_with_role(Role.APPLICANT, preferred_language="zh-hant", full_name="陳大文"),
        user_with_role(Role.APPLICANT, preferred_language="en", full_name="Ann Lee"),
    ]


@pytest.fixture
def kinds(monkeypatch, people):
    """Two event kinds telling ``people``, and a subscriber that counts what it is handed."""
    monkeypatch.setattr(events, "_kinds", dict(events._kinds))
    monkeypatch.setattr(events, "_subscribers", [])
    handled = []

    def message(event, user):
        return events.Message(title=_("Your profile was saved."), body=event.payload.get("note", ""), url="/profile/")

    for kind in Sample:
        events.register_kind(kind, label=kind.value, recipients=lambda event: people, message=message)

    def count(event):
        time.sleep(0.05)  # long enough for a racing worker to arrive while this one holds the event
        handled.append(event.pk)

    events.subscribe(count)
    return handled


def emit(kind=Sample.SAVED, **payload) -> DomainEvent:
    return events.emit(kind, payload=payload)


pytestmark = pytest.mark.django_db


def test_an_event_is_dispatched_once_however_often_its_task_runs(kinds, people, eager_tasks, mailoutbox):
    event = emit(note="n")
    assert events.dispatch(event.pk) is True
    dispatch_event(event.pk)
    assert events.dispatch(event.pk) is False
    assert kinds == [event.pk]
    assert Notification.objects.filter(kind=Sample.SAVED).count() == len(people)
    assert DomainEvent.objects.get(pk=event.pk).dispatched_at is not None


def test_an_event_nobody_hears_of_needs_no_task(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(events, "_kinds", dict(events._kinds))
    monkeypatch.setattr(events, "_subscribers", [])
    events.register_kind(Sample.SAVED, label="quiet")
    with django_capture_on_commit_callbacks() as callbacks:
        event = emit()
    assert callbacks == [] and event.dispatched_at is not None
    events.subscribe(lambda event: None)  # a subscriber (the partner webhooks) hears of every kind
    with django_capture_on_commit_callbacks() as callbacks:
        event = emit()
    assert len(callbacks) == 1 and event.dispatched_at is None


def test_an_unknown_kind_is_refused_at_once():
    with pytest.raises(ValueError, match="not registered"):
        events.emit(Sample.SAVED)


def test_the_notice_and_its_email_are_in_each_recipients_language(
    kinds, people, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.dispatch(emit(note="A note").pk)
    by_person = {n.recipient.full_name: n for n in Notification.objects.filter(kind=Sample.SAVED)}
    assert by_person["陳大文"].title == "您的個人資料已儲存。"
    assert by_person["Ann Lee"].title == "Your profile was saved."
    mails = {m.to[0]: m for m in mailoutbox}
    chinese, english = mails[people[0].email], mails[people[1].email]
    assert "您的個人資料已儲存。" in chinese.subject and "您的個人資料已儲存。" in chinese.body
    assert english.subject == "HKHZ Portal: Your profile was saved."
    assert english.body.startswith("Hello Ann")
    assert "http://127.0.0.1:8000/profile/" in english.body
    assert "http://127.0.0.1:8000/profile/notifications/" in english.body
    assert all(n.emailed_at and not n.email_due for n in Notification.objects.all())


def test_preferences_turn_email_off_for_one_kind_only(
    kinds, people, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    chan, ann = people
    notifications.set_email_preferences(actor=ann, choices={Sample.SAVED: False, "no.such.kind": False})
    with django_capture_on_commit_callbacks(execute=True):
        events.dispatch(emit(Sample.SAVED).pk)
        events.dispatch(emit(Sample.NOTED).pk)
    sent = sorted((m.to[0], m.subject) for m in mailoutbox)
    assert [to for to, _subject in sent].count(ann.email) == 1  # NOTED only
    assert [to for to, _subject in sent].count(chan.email) == 2
    # In the portal, every notice arrives whatever the e-mail preference.
    assert Notification.objects.filter(recipient=ann).count() == 2
    assert notifications.email_preferences(ann) == {Sample.SAVED: False}


def test_a_broker_outage_leaves_the_event_for_the_sweep(
    kinds, monkeypatch, eager_tasks, caplog, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        patch.setattr(dispatch_event, "delay", broker_down)
        event = emit()
    assert "left for the sweep" in caplog.text
    assert DomainEvent.objects.get(pk=event.pk).dispatched_at is None
    assert sweep_events() == 0  # too recent: its task may still be on its way
    DomainEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    assert sweep_events() >= 1
    assert DomainEvent.objects.get(pk=event.pk).dispatched_at is not None
    assert kinds == [event.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_racing_for_one_event_dispatch_it_once(kinds, people):
    event = emit()
    start = threading.Barrier(2)
    results = []

    def worker():
        try:
            start.wait()
            results.append(events.dispatch(event.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert kinds == [event.pk]
    assert Notification.objects.count() == len(people)


def test_an_email_copy_is_sent_once_and_a_dead_workers_claim_is_taken_over(
    people, mailoutbox, settings, django_capture_on_commit_callbacks
):
    note = notifications.notify(people[1], title="Hello", email=True)
    claimed_long_ago = timezone.now() - timedelta(seconds=settings.NOTIFICATION_EMAIL_CLAIM_TIMEOUT + 1)
    Notification.objects.filter(pk=note.pk).update(email_claimed_at=timezone.now(), email_attempts=1)
    assert notifications.send_email_copy(note.pk) is False  # another worker is sending it
    Notification.objects.filter(pk=note.pk).update(email_claimed_at=claimed_long_ago, created_at=claimed_long_ago)
    assert notifications.stranded_email_ids() == [note.pk]
    assert notifications.send_email_copy(note.pk) is True  # that worker died: sent by this one
    assert notifications.send_email_copy(note.pk) is False
    assert len(mailoutbox) == 1
    assert notifications.stranded_email_ids() == []


def test_a_mail_server_error_is_retried_then_given_up(people, monkeypatch, mailoutbox):
    note = notifications.notify(people[1], title="Hello", email=True)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    for _attempt in range(notifications.MAX_EMAIL_ATTEMPTS - 1):
        with pytest.raises(OSError):
            notifications.send_email_copy(note.pk)
        assert Notification.objects.get(pk=note.pk).email_claimed_at is None  # free for the retry
    assert notifications.send_email_copy(note.pk) is False
    note.refresh_from_db()
    assert (note.email_due, note.email_attempts, note.emailed_at) == (False, notifications.MAX_EMAIL_ATTEMPTS, None)
    assert notifications.stranded_email_ids() == []


def test_mail_events_exports_and_webhooks_have_queues_of_their_own_and_the_rest_goes_to_the_workflow_queue(settings):
    from hkhz_portal.celery import app

    router = app.amqp.router
    assert router.route({}, send_notification_email.name)["queue"].name == "mail"
    assert router.route({}, dispatch_event.name)["queue"].name == "events"
    assert router.route({}, "programs.build_export")["queue"].name == "exports"
    assert router.route({}, "programs.screen_application")["queue"].name == "workflow"
    for task in ("webhooks.deliver", "webhooks.enqueue_due", "webhooks.delete_old_log"):
        assert router.route({}, task)["queue"].name == "webhooks"
    # A worker started without -Q consumes every declared queue: `make run`'s single worker.
    assert {q.name for q in app.conf.task_queues} == {"workflow", "events", "mail", "exports", "webhooks"}


def test_every_task_beat_sends_is_registered(settings):
    from hkhz_portal.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - set(app.tasks) == set()
    assert {"programs.sweep_applications", "programs.remind_info_requests"} <= scheduled
