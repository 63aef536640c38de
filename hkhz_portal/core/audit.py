"""The audit trail: one helper that every service calls when it changes something."""

from contextvars import ContextVar
from enum import StrEnum

#: Set per request by ``RequestContextMiddleware``; empty in workers and commands.
request_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)


def record(action: StrEnum, *, target=None, actor=None, changes: dict | None = None, ip: str | None = None):
    """Write one audit event. Call it inside the service's transaction.

    ``action`` is a member of an app's ``AuditAction`` enum (``audit_actions.py``), so every
    name the trail can hold is declared in one place; a bare string is refused. ``changes``
    holds what changed, as JSON. The IP address defaults to the current request's.
    """
    if not isinstance(action, StrEnum):
        raise TypeError(f"audit action {action!r} must be an AuditAction member, not a bare string")
    from .models import AuditEvent

    event = AuditEvent.about(
        actor=actor,
        target=target,
        action=action,
        target_repr=str(target)[:255] if target is not None else "",
        changes=changes or {},
        ip_address=ip or request_ip.get(),
    )
    event.save(force_insert=True)
    return event
