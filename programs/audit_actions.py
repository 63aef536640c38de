"""The audit trail's names for what happens to applications, declared once."""

from enum import StrEnum


class AuditAction(StrEnum):
    STARTED = "application.started"
    ANSWERS_SAVED = "application.answers_saved"
    TRANSITION = "application.transition"
    FORM_PUBLISHED = "form.published"
    FORM_COPIED = "form.copied"
