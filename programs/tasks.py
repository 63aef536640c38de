"""Celery tasks of the admission workflow: thin, they take an id and call a service.

Each is idempotent (the services check the state before acting) and acknowledged late
(``CELERY_TASK_ACKS_LATE`` and ``CELERY_TASK_REJECT_ON_WORKER_LOST`` in the settings, for every
task), so a worker killed mid-task leaves the message to another worker and running it twice
changes nothing. They run on the ``workflow`` queue (the default), apart from mail.
"""

from celery import shared_task


@shared_task(name="programs.screen_application")
def screen_application(application_id: int) -> None:
    """Screen a submitted application: ``submitted`` → ``screening`` → ``in_review`` or ``needs_attention``."""
    from .services.applications import begin_screening, finish_screening

    if begin_screening(application_id):
        finish_screening(application_id)


@shared_task(name="programs.sweep_applications")
def sweep_applications() -> int:
    """Beat: screen again the applications whose screening task was lost."""
    from .services.reminders import requeue_stale_screenings

    return len(requeue_stale_screenings())


@shared_task(name="programs.remind_info_requests")
def remind_info_requests() -> int:
    """Beat: remind of requests for more information whose deadline is near or past."""
    from .services.reminders import remind_info_requests as remind

    return remind()
