from celery import shared_task


@shared_task(name="core.record_heartbeat")
def record_heartbeat(source: str = "worker") -> None:
    """Beat sends this every minute; the worker that runs it proves the pipeline works."""
    from .health import record_heartbeat as record

    record(source)


@shared_task(name="core.dispatch_event")
def dispatch_event(event_id: int) -> None:
    """Hand a domain event to its subscribers (done once, however often this runs)."""
    from .events import dispatch

    dispatch(event_id)


@shared_task(name="core.send_notification_email", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> None:
    from .notifications import send_email_copy

    send_email_copy(notification_id)


@shared_task(name="core.sweep_events")
def sweep_events() -> int:
    """Beat: enqueue again the events and e-mail copies whose tasks were lost."""
    from .events import stranded_event_ids
    from .notifications import stranded_email_ids

    event_ids = stranded_event_ids()
    for event_id in event_ids:
        dispatch_event.delay(event_id)
    email_ids = stranded_email_ids()
    for notification_id in email_ids:
        send_notification_email.delay(notification_id)
    return len(event_ids) + len(email_ids)


@shared_task(name="core.sweep_idempotency_records")
def sweep_idempotency_records() -> int:
    """Beat: forget the API's Idempotency-Keys once their 24 hours are over."""
    from .idempotency import sweep

    return sweep()
