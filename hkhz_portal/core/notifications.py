"""In-portal notifications and their e-mail copies: sending, reading and marking as read.

``deliver`` is the domain events' built-in subscriber (``core.events``): each recipient of an
event gets a notice in the portal, written in their language, and an e-mail copy unless they
turned e-mail off for that kind on their notification settings page. E-mail goes through the
``mail`` queue, so a slow mail server never holds up the workflow.
"""

from contextlib import suppress
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification, NotificationPreference


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
        transaction.on_commit(partial(_enqueue_email, note.pk))
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


@transaction.atomic
def set_email_preferences(user, choices: dict[str, bool]) -> None:
    """Record ``user``'s choice of e-mail per event kind."""
    for kind, email in choices.items():
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})


def _enqueue_email(notification_id: int) -> None:
    from kombu.exceptions import OperationalError

    from .tasks import send_notification_email

    # If the broker is down, the sweep (``stranded_email_ids``) sends it once it is back.
    with suppress(OperationalError):
        send_notification_email.delay(notification_id)


def send_email_copy(notification_id: int) -> bool:
    """Mail a notice once: the row is claimed by one conditional UPDATE before sending."""
    claimed = Notification.objects.filter(pk=notification_id, email_due=True).update(email_due=False)
    if not claimed:
        return False
    note = Notification.objects.select_related("recipient").get(pk=notification_id)
    link = settings.SITE_URL.rstrip("/") + note.url if note.url.startswith("/") else ""
    body = "\n\n".join(part for part in (note.body, link) if part)
    try:
        send_mail(" ".join(note.title.split()), body, None, [note.recipient.email])
    except OSError:
        Notification.objects.filter(pk=notification_id).update(email_due=True)
        raise
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


def stranded_email_ids(limit: int = 500) -> list[int]:
    """E-mail copies due for more than five minutes (their task was lost)."""
    cutoff = timezone.now() - timedelta(minutes=5)
    return list(Notification.objects.filter(email_due=True, created_at__lt=cutoff).values_list("pk", flat=True)[:limit])


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
