"""The audit trail's names for what happens to applications, declared once."""

from enum import StrEnum


class AuditAction(StrEnum):
    STARTED = "application.started"
    ANSWERS_SAVED = "application.answers_saved"
    TRANSITION = "application.transition"
    FORM_PUBLISHED = "form.published"
    FORM_COPIED = "form.copied"
    REVIEWER_ASSIGNED = "review.assigned"
    REVIEWER_REPLACED = "review.replaced"
    CONFLICT_DECLARED = "review.conflict_declared"
    REVIEW_SAVED = "review.saved"
    REVIEW_SUBMITTED = "review.submitted"
    REVIEWS_CLOSED = "review.closed"
    DECIDED = "application.decided"
    ONBOARDING_RECORDED = "application.onboarding_recorded"
    EXPORT_REQUESTED = "export.requested"
