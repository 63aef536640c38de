"""Celery tasks of the fund: thin, they call a service. Each is idempotent (a window ends once,
a reminder is sent once, each under the window's row lock) and runs on the ``workflow`` queue."""

from celery import shared_task


@shared_task(name="funds.expire_windows")
def expire_windows() -> int:
    """Beat: expire the priority windows whose end has passed."""
    from .services.windows import expire_due

    return expire_due()


@shared_task(name="funds.remind_windows")
def remind_windows() -> int:
    """Beat: remind the fund's managers 7 and 2 days before a priority window ends."""
    from .services.windows import remind_due

    return remind_due()
