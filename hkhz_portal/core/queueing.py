"""Handing work to the Celery workers from inside a service's transaction.

A task is sent only once the caller's transaction commits, so a worker never looks for a row
that is not there yet, nor acts on a change that was rolled back. With the broker down the
change still commits: the caller's row records that the work is due, and the beat's sweep for
that kind of work sends it once the broker is back.
"""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_after_commit(task, *args, countdown: float | None = None) -> None:
    """``task.delay(*args)`` once the current transaction commits (at once outside one).

    ``countdown`` (seconds) holds the task in the broker first: keep it short (a minute at most),
    since Redis hands a task held longer than its visibility timeout to a second worker."""
    transaction.on_commit(partial(_send, task, args) if countdown is None else partial(_send, task, args, countdown))


def _send(task, args, countdown=None) -> None:
    try:
        if countdown is None:
            task.delay(*args)
        else:
            task.apply_async(args, countdown=countdown)
    except OperationalError:
        logger.warning("Broker unavailable; %s%s left for the sweep", task.name, args, exc_info=True)
