"""Celery tasks of the enterprises app: thin, they take ids and call the mail service.

Services import this module to enqueue; the tasks import the services lazily, inside the
task, so the two never import each other at load time.
"""

import logging
from functools import partial

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


# The row counts the attempts and stops raising when they are used up
# (services.mail.MAX_SEND_ATTEMPTS), so Celery need not count them too.
@shared_task(name="enterprises.send_invitation", autoretry_for=(OSError,), retry_backoff=True, max_retries=None)
def send_invitation(invitation_id: int) -> None:
    """Mail an invitation link. Sent once: a second run finds it claimed or sent and does nothing."""
    from .services.mail import send_invitation_email

    send_invitation_email(invitation_id)


@shared_task(name="enterprises.send_stranded_invitations")
def send_stranded_invitations() -> int:
    """Celery beat's sweep: enqueue again the invitations whose mail no task is sending."""
    from .selectors import stranded_invitation_ids

    ids = stranded_invitation_ids()
    for invitation_id in ids:
        send_invitation.delay(invitation_id)
    return len(ids)


def send_invitation_after_commit(invitation_id: int) -> None:
    """Enqueue the invitation mail once the caller's transaction commits."""
    transaction.on_commit(partial(_enqueue_invitation, invitation_id))


def _enqueue_invitation(invitation_id: int) -> None:
    try:
        send_invitation.delay(invitation_id)
    except OperationalError:
        # The broker is down: the invitation is saved, and the sweep will enqueue it later.
        # The person who invited should not see an error page for that.
        logger.warning("Broker unavailable; invitation %s left for the sweep", invitation_id, exc_info=True)
