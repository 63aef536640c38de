"""The audit trail's names for what happens to webhook endpoints, declared once."""

from enum import StrEnum


class AuditAction(StrEnum):
    ENDPOINT_CREATED = "webhook.endpoint_created"
    ENDPOINT_UPDATED = "webhook.endpoint_updated"
    ENDPOINT_DELETED = "webhook.endpoint_deleted"
    ENDPOINT_DISABLED = "webhook.endpoint_disabled"
    ENDPOINT_ENABLED = "webhook.endpoint_enabled"
    SECRET_ROTATED = "webhook.secret_rotated"  # noqa: S105 (an action's name, not a secret)
    TEST_SENT = "webhook.test_sent"
    REDELIVERED = "webhook.redelivered"
