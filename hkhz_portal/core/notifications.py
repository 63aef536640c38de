"""In-portal notifications and their e-mail copies: sending, reading and marking as read.

``deliver`` is the domain events' built-in subscriber (``core.events``): each recipient of an
event gets a notice in the portal, written in their language, and an e-mail copy unless they
turned e-mail off for that kind on their notification settings page. E-mail goes through the
``mail`` queue, so a slow mail server never holds up the workflow.

An e-mail copy is sent like an invitation (``enterprises.services.mail``): claimed with one
conditional UPDATE, sent outside any transaction, then recorded. A claim older than
``NOTIFICATION_EMAIL_CLAIM_TIMEOUT`` (its worker died mid-send) may be taken over by the
sweep, so a mail is neither lost with a worker nor sent twice by two; after
``MAX_EMAIL_ATTEMPTS`` tries the copy is given up (the notice stays in the portal).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Notification, NotificationPreference
from .queueing import enqueue_after_commit

logger = logging.getLogger(__name__)

#: Tries (first send and retries together) before an e-mail copy is given up.
MAX_EMAIL_ATTEMPTS = 5


def notify(recipient, *, title, body="", url="", kind="", email=False) -> Notification:
    """Put a message in ``recipient``'s inbox, rendered in the recipient's language.

    ``title`` and ``body`` may be lazy translations; they are resolved here under the
    recipient's preferred language, whoever triggered the event. With ``email``, a copy is
    mailed after commit.
    """
    with translation.override(recipient.preferred_language):
        note = Notification.objects.create(
            recipient=recipient, title=str(title), body=str(body), url=url, kind=kind, email_due=email
        )
    if email:
        from .tasks import send_notification_email

        # With the broker down, the sweep (``stranded_email_ids``) sends it once it is back.
        enqueue_after_commit(send_notification_email, note.pk)
    return note


def deliver(event) -> None:
    """Tell each recipient of ``event`` of it, in the portal and as they prefer by e-mail."""
    from .events import kind as event_kind

    spec = event_kind(event.kind)
    if spec is None or spec.recipients is None:
        return
    recipients = {user.pk: user for user in spec.recipients(event) if user.is_active}
    if not recipients:
        return
    emails_off = set(
        NotificationPreference.objects.filter(user__in=recipients, kind=event.kind, email=False).values_list(
            "user_id", flat=True
        )
    )
    for user in recipients.values():
        with translation.override(user.preferred_language):
            message = spec.message(event, user)
            notify(
                user,
                title=message.title,
                body=message.body,
                url=message.url,
                kind=event.kind,
                email=user.pk not in emails_off,
            )


def email_preferences(user) -> dict[str, bool]:
    """Whether ``user`` gets e-mail for each event kind they set (kinds not set: yes)."""
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))


@transaction.atomic(durable=True)
def set_email_preferences(*, actor, choices: dict[str, bool]) -> None:
    """The signed-in user chooses, per event kind, whether a notice also reaches them by e-mail.

    Only registered kinds are recorded; in-portal notices always arrive."""
    from .events import kind as event_kind

    for kind, email in choices.items():
        if event_kind(kind) is not None:
            NotificationPreference.objects.update_or_create(user=actor, kind=kind, defaults={"email": email})


def _sendable(now: datetime) -> Q:
    """E-mail copies due and not being sent: unclaimed, or claimed by a worker that died."""
    abandoned = now - timedelta(seconds=settings.NOTIFICATION_EMAIL_CLAIM_TIMEOUT)
    return Q(email_due=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS) & (
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=abandoned)
    )


def send_email_copy(notification_id: int) -> bool:
    """Mail a notice's copy once; return whether a mail went out. Called by the task, never
    inside a transaction. Raises ``OSError`` on a network error that deserves another try."""
    now = timezone.now()
    claimed = Notification.objects.filter(_sendable(now), pk=notification_id).update(
        email_claimed_at=now, email_attempts=F("email_attempts") + 1
    )
    if not claimed:
        return False
    note = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        subject, body = render_email(note)
        send_mail(subject, body, None, [note.recipient.email])
    except OSError:  # network trouble (smtplib's errors are OSErrors): release the claim, try again
        final = note.email_attempts >= MAX_EMAIL_ATTEMPTS
        (logger.error if final else logger.warning)("E-mail copy of notification %s not sent", note.pk, exc_info=True)
        Notification.objects.filter(pk=notification_id, email_claimed_at=now).update(
            email_claimed_at=None, email_due=not final
        )
        if final:
            return False
        raise
    Notification.objects.filter(pk=notification_id).update(
        email_due=False, email_claimed_at=None, emailed_at=timezone.now()
    )
    return True


def render_email(note: Notification) -> tuple[str, str]:
    """The subject and plain-text body of a notice's e-mail copy, in the recipient's language."""
    site = settings.SITE_URL.rstrip("/")
    context = {
        "note": note,
        "recipient": note.recipient,
        "link": site + note.url if note.url.startswith("/") else "",
        "settings_link": site + reverse("notification_settings"),
    }
    with translation.override(note.recipient.preferred_language):
        subject = render_to_string("core/email/notification_subject.txt", context)
        body = render_to_string("core/email/notification_body.txt", context)
    # A subject is one line: a newline in a title would make the header invalid.
    return " ".join(subject.split()), body


def stranded_email_ids(limit: int = 500) -> list[int]:
    """E-mail copies due for more than five minutes and not being sent (their task was lost)."""
    now = timezone.now()
    return list(
        Notification.objects.filter(_sendable(now), created_at__lt=now - timedelta(minutes=5))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def notifications_for(user):
    """The user's notifications, newest first."""
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@transaction.atomic
def mark_read(user, notification_id) -> int:
    """Mark one of the user's own notifications read; another user's is left untouched."""
    return Notification.objects.filter(recipient=user, pk=notification_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
