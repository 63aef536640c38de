from celery import shared_task


@shared_task(name="enterprises.send_invitation", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(invitation_id: int) -> None:
    """Mail an invitation link. Sent once: a second run finds ``sent_at`` set and does nothing."""
    from .services.mail import send_invitation_email

    send_invitation_email(invitation_id)
