from celery import shared_task


@shared_task(name="core.record_heartbeat")
def record_heartbeat(source: str = "worker") -> None:
    """Beat sends this every minute; the worker that runs it proves the pipeline works."""
    from .health import record_heartbeat as record

    record(source)
