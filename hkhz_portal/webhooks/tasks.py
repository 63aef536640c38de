"""Celery tasks of the partner webhooks, on the ``webhooks`` queue: thin, they call ``delivery``.

The claim in ``delivery.attempt`` makes ``deliver`` safe to run twice or late: a delivery not
pending, not due or taken by another worker is left alone.
"""

from celery import shared_task


@shared_task(name="webhooks.deliver")
def deliver(delivery_id: int) -> str | None:
    """Try one delivery now (if it is due and no other worker has it)."""
    from .delivery import attempt

    return attempt(delivery_id)


@shared_task(name="webhooks.enqueue_due")
def enqueue_due() -> int:
    """Beat, every 30 seconds: send a task for each delivery whose retry time came."""
    from .delivery import enqueue_due as enqueue

    return len(enqueue())


@shared_task(name="webhooks.delete_old_log")
def delete_old_log() -> int:
    """Beat, hourly: forget deliveries and attempts older than 30 days."""
    from .delivery import delete_old_log as delete

    return delete()
