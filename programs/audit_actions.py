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
    SERVICE_REQUESTED = "service_request.created"
    SERVICE_TRANSITION = "service_request.transition"
    SERVICE_ASSIGNED = "service_request.assigned"
    SERVICE_MESSAGE = "service_request.message"
    SERVICE_STEP = "service_request.step"
    SERVICE_RATED = "service_request.rated"
