"""Celery tasks of the admission workflow: thin, they take an id and call a service.

Each is idempotent (the services check the state before acting) and acknowledged late
(``CELERY_TASK_ACKS_LATE`` and ``CELERY_TASK_REJECT_ON_WORKER_LOST`` in the settings, for every
task), so a worker killed mid-task leaves the message to another worker and running it twice
changes nothing. They run on the ``workflow`` queue (the default), apart from mail and exports.
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
    """Beat: screen again the applications whose screening task was lost, ask again for the
    reviewers of those whose assignment task was lost, and build again the exports whose worker
    went silent."""
    from .services.exports import requeue_stale_exports
    from .services.reminders import requeue_stale_assignments, requeue_stale_screenings

    return len(requeue_stale_screenings()) + len(requeue_stale_assignments()) + len(requeue_stale_exports())


@shared_task(name="programs.remind_info_requests")
def remind_info_requests() -> int:
    """Beat: remind of requests for more information whose deadline is near or past."""
    from .services.reminders import remind_info_requests as remind

    return remind()


@shared_task(name="programs.assign_reviewers")
def assign_reviewers(application_id: int) -> int:
    """Fill an application's empty review places (and move it on if every review is in)."""
    from .services.reviews import assign_reviewers as assign

    return len(assign(application_id))


@shared_task(name="programs.remind_reviews")
def remind_reviews() -> int:
    """Beat: remind reviewers two Hong Kong working days before a review is due, and when it is overdue."""
    from .services.reminders import remind_reviews as remind

    return remind()


@shared_task(name="programs.announce_calls")
def announce_calls() -> int:
    """Beat: record that calls opened, or close within three days (partners' webhooks)."""
    from .services.reminders import announce_calls as announce

    return announce()


@shared_task(name="programs.build_export")
def build_export(export_id: int) -> int:
    """Build an export's file (on the ``exports`` queue); returns its number of rows."""
    from .services.exports import build_export as build

    export = build(export_id)
    return export.rows if export else 0


@shared_task(name="programs.centres_remind_sla")
def centres_remind_sla() -> int:
    """Beat: remind a service request's assignee and its centre's leads, in business hours, when
    an SLA clock is at risk or breached."""
    from .centres.reminders import remind_sla

    return remind_sla()
