"""Delivering invitation mails: never inside a transaction, once, retried when the network
fails, shown to the owners when it cannot be delivered, and not lost when the broker is down."""

import smtplib
import threading
import time
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail import BadHeaderError
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from enterprises.audit_actions import AuditAction
from enterprises.models import Invitation
from enterprises.services import members as services
from enterprises.services.mail import MAX_SEND_ATTEMPTS, send_invitation_email
from enterprises.tasks import send_invitation, send_stranded_invitations
from hkhz_portal.core.models import AuditEvent
from tests.factories import EnterpriseFactory, UserFactory, member_of

BACKENDS = "tests.enterprises.test_invitation_delivery"


class TransactionWatchingBackend(LocmemBackend):
    """Notes, for each send, whether the sending thread's database connection was in a transaction."""

    in_transaction: list[bool] = []

    def send_messages(self, messages):
        self.in_transaction.append(transaction.get_connection().in_atomic_block)
        return super().send_messages(messages)


class SlowBackend(LocmemBackend):
    """A mail server that answers only when the test lets it."""

    sending = threading.Event()
    release = threading.Event()

    def send_messages(self, messages):
        self.sending.set()
        self.release.wait(10)
        return super().send_messages(messages)


class BadHeaderBackend(LocmemBackend):
    def send_messages(self, messages):
        raise BadHeaderError("Header values can't contain newlines")


class FlakyNetworkBackend(LocmemBackend):
    """Refuses the connection the first ``failures`` times, then delivers."""

    failures = 0

    def send_messages(self, messages):
        if FlakyNetworkBackend.failures > 0:
            FlakyNetworkBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def enterprise():
    return EnterpriseFactory(legal_name_en="Hangzhou Lakeside Therapeutics Co., Ltd.", short_name="Lakeside")


@pytest.fixture
def owner(enterprise):
    return member_of(enterprise, "owner", full_name="Owner Zhang", preferred_language="en")


def invite(client, enterprise, owner, email="invitee@example.com"):
    """The owner invites through the members page; callbacks after commit run (tasks eagerly)."""
    client.force_login(owner)
    return client.post(reverse("member_invite", args=[enterprise.reference]), {"email": email, "role": "member"})


# --- No transaction is open while the mail server talks ---------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_mail_is_sent_outside_any_transaction(settings, enterprise, owner, eager_tasks):
    settings.EMAIL_BACKEND = f"{BACKENDS}.TransactionWatchingBackend"
    TransactionWatchingBackend.in_transaction = []
    invitation = services.invite_member(enterprise, actor=owner, email="invitee@example.com")
    assert TransactionWatchingBackend.in_transaction == [False]
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert invitation.claimed_at is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_while_one_worker_sends_slowly_a_second_sends_nothing_and_other_writes_go_on(settings, enterprise, owner):
    """Two workers on one invitation: the second finds it claimed and returns at once; the
    database is not locked meanwhile (on SQLite a transaction open during the send would block
    every writer)."""
    settings.EMAIL_BACKEND = f"{BACKENDS}.SlowBackend"
    SlowBackend.sending.clear()
    SlowBackend.release.clear()
    invitation = Invitation.objects.create(enterprise=enterprise, email="invitee@example.com", invited_by=owner)
    results = {}

    def first_worker():
        try:
            results["first"] = send_invitation_email(invitation.pk)
        finally:
            connections.close_all()

    worker = threading.Thread(target=first_worker)
    worker.start()
    try:
        assert SlowBackend.sending.wait(10), "the first worker never reached the mail server"
        started = time.monotonic()
        second = send_invitation_email(invitation.pk)
        UserFactory(email="unrelated.write@example.com")
        took = time.monotonic() - started
    finally:
        SlowBackend.release.set()
        worker.join(15)
    assert second is False
    assert took < 2, f"the second worker and an unrelated write waited {took:.1f} s for the first worker's send"
    assert results == {"first": True}
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert invitation.send_attempts == 1


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_expires_and_another_worker_sends(enterprise, owner):
    invitation = Invitation.objects.create(enterprise=enterprise, email="invitee@example.com", invited_by=owner)
    claimed = timezone.now() - timedelta(seconds=django_settings.INVITATION_CLAIM_TIMEOUT - 60)
    Invitation.objects.filter(pk=invitation.pk).update(claimed_at=claimed, send_attempts=1)
    assert send_invitation_email(invitation.pk) is False  # its worker may still be sending
    assert mail.outbox == []

    abandoned = timezone.now() - timedelta(seconds=django_settings.INVITATION_CLAIM_TIMEOUT + 60)
    Invitation.objects.filter(pk=invitation.pk).update(claimed_at=abandoned)
    assert send_invitation_email(invitation.pk) is True
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert (invitation.sent_at is not None, invitation.send_attempts) == (True, 2)


# --- The broker is down when the invitation is made ----------------------------------------------


@pytest.mark.django_db
def test_with_the_broker_down_the_invitation_waits_and_the_sweep_sends_it_once(
    client, enterprise, owner, eager_tasks, django_capture_on_commit_callbacks, caplog
):
    broker_down = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with (
        patch("enterprises.tasks.send_invitation.delay", side_effect=broker_down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = invite(client, enterprise, owner)
    assert response.status_code == 302
    assert "left for the sweep" in caplog.text
    invitation = Invitation.objects.get()
    assert invitation.sent_at is None
    assert mail.outbox == []
    page = client.get(reverse("member_list", args=[enterprise.reference])).content.decode()
    assert "invitee@example.com" in page
    assert "Sending…" in page

    # A sweep right away leaves it alone: its first task may still be in the queue.
    assert send_stranded_invitations.delay().get() == 0
    Invitation.objects.update(created_at=timezone.now() - timedelta(minutes=6))
    assert send_stranded_invitations.delay().get() == 1
    assert send_stranded_invitations.delay().get() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["invitee@example.com"]
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_celery_beat_runs_the_sweep():
    schedule = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "enterprises.send_stranded_invitations" in schedule


# --- Failures: retried when the network fails, shown to the owners when final --------------------


@pytest.mark.django_db
def test_a_network_error_is_retried_until_the_mail_goes_out(settings, enterprise, owner):
    settings.EMAIL_BACKEND = f"{BACKENDS}.FlakyNetworkBackend"
    FlakyNetworkBackend.failures = 2
    invitation = Invitation.objects.create(enterprise=enterprise, email="invitee@example.com", invited_by=owner)
    # apply() runs the task here, retries included (their back-off is not waited for).
    send_invitation.apply(args=[invitation.pk])
    assert len(mail.outbox) == 1
    invitation = Invitation.objects.get()
    assert (invitation.sent_at is not None, invitation.send_attempts, invitation.failed_at) == (True, 3, None)


@pytest.mark.django_db
def test_a_network_error_that_does_not_go_away_is_given_up_and_shown(client, settings, enterprise, owner):
    settings.EMAIL_BACKEND = f"{BACKENDS}.FlakyNetworkBackend"
    FlakyNetworkBackend.failures = 100
    invitation = Invitation.objects.create(enterprise=enterprise, email="invitee@example.com", invited_by=owner)
    send_invitation.apply(args=[invitation.pk])
    client.force_login(owner)
    invitation.refresh_from_db()
    assert invitation.send_attempts == MAX_SEND_ATTEMPTS
    assert invitation.failed_at is not None
    page = client.get(reverse("member_list", args=[enterprise.reference])).content.decode()
    assert "Not delivered: Connection unexpectedly closed" in page


@pytest.mark.django_db
def test_a_mail_that_cannot_be_sent_is_shown_to_the_owners_who_can_send_it_again(
    client, settings, enterprise, owner, eager_tasks, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{BACKENDS}.BadHeaderBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, enterprise, owner).status_code == 302
    invitation = Invitation.objects.get()
    # Not retried: the same mail would fail the same way.
    assert (invitation.send_attempts, invitation.sent_at) == (1, None)
    assert invitation.failed_at is not None
    members_page = reverse("member_list", args=[enterprise.reference])
    page = client.get(members_page).content.decode()
    assert "Not delivered: Header values can&#x27;t contain newlines" in page
    resend = reverse("invitation_resend", args=[enterprise.reference, invitation.pk])
    assert f'action="{resend}"' in page

    # A member who is not an owner sees no invitations and cannot send one again.
    member = member_of(enterprise, "member")
    client.force_login(member)
    assert "invitee@example.com" not in client.get(members_page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend, follow=True)
    assert "Only an owner of the enterprise can do this." in response.content.decode()
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend, follow=True)
    html = response.content.decode()
    assert "The invitation to invitee@example.com will be sent again." in html
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert (invitation.sent_at is not None, invitation.failed_at, invitation.last_error) == (True, None, "")
    assert "Not delivered" not in client.get(members_page).content.decode()
    event = AuditEvent.objects.get(action=AuditAction.INVITATION_RESENT)
    assert (event.actor, event.changes) == (owner, {"email": "invitee@example.com"})

    # Delivered now: sending it again is refused (inviting again gives a new link).
    response = client.post(resend, follow=True)
    assert "This invitation was delivered already." in response.content.decode()
    assert len(mail.outbox) == 1


# --- Mail is text, not HTML ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_subject_is_plain_text_on_one_line(enterprise, owner):
    enterprise.short_name = "AT&T <Lake>\nside"
    enterprise.save()
    invitation = Invitation.objects.create(enterprise=enterprise, email="invitee@example.com", invited_by=owner)
    assert send_invitation_email(invitation.pk) is True
    assert mail.outbox[0].subject == "You are invited to join AT&T <Lake> side on HKHZ Portal"
