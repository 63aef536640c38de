"""Celery tasks of the enterprises app: thin, they take ids and call the mail service.

Services import this module to enqueue; the tasks import the services lazily, inside the
task, so the two never import each other at load time.
"""

from celery import shared_task

from hkhz_portal.core.queueing import enqueue_after_commit


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
    """Enqueue the invitation mail once the caller's transaction commits (with the broker down, the
    invitation is saved and the sweep sends it later: the person who invited sees no error)."""
    enqueue_after_commit(send_invitation, invitation_id)
