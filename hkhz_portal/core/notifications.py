"""In-portal notifications: sending, reading and marking as read."""

from django.db import transaction
from django.utils import timezone, translation

from .models import Notification


def notify(recipient, *, title, body="", url="") -> Notification:
    """Put a message in ``recipient``'s inbox, rendered in the recipient's language.

    ``title`` and ``body`` may be lazy translations; they are resolved here under the
    recipient's preferred language, whoever triggered the event.
    """
    with translation.override(recipient.preferred_language):
        return Notification.objects.create(recipient=recipient, title=str(title), body=str(body), url=url)


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
