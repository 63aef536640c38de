"""Celery tasks of the admission workflow: thin, they take an id and call a service.

Each is idempotent (the services check the state before acting) and acknowledged late, so a
worker killed mid-task leaves the message to another worker and running it twice changes
nothing. They run on the ``workflow`` queue (the default), apart from mail.
"""

from celery import shared_task


@shared_task(name="programs.screen_application")
def screen_application(application_id: int) -> None:
    """Screen a submitted application: ``submitted`` → ``screening`` → ``in_review`` or ``needs_attention``."""
    from .services.applications import begin_screening, finish_screening

    if begin_screening(application_id):
        finish_screening(application_id)
