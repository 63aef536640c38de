"""Liveness of the database, the broker and the background worker."""

from django.db import connection
from django.utils import timezone

from hkhz_portal.celery import app as celery_app

from .models import Heartbeat


def record_heartbeat(source: str) -> None:
    Heartbeat.objects.update_or_create(name=source, defaults={"seen_at": timezone.now()})


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)


def status() -> tuple[bool, dict]:
    """Run every check; return whether all passed and a JSON-ready report."""
    checks = {}
    for name, check in (("database", check_database), ("broker", check_broker)):
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down", reported by type
            checks[name] = {"ok": False, "error": type(exc).__name__}
        else:
            checks[name] = {"ok": True}
    healthy = all(c["ok"] for c in checks.values())
    if checks["database"]["ok"]:
        beat = Heartbeat.objects.filter(name="worker").values_list("seen_at", flat=True).first()
        checks["worker"] = {"last_heartbeat": beat.isoformat() if beat else None}
    return healthy, {"status": "ok" if healthy else "unavailable", "checks": checks}
