"""The audit trail's names for what happens to enterprises and their data, declared once."""

from enum import StrEnum


class AuditAction(StrEnum):
    CREATED = "enterprise.created"
    UPDATED = "enterprise.updated"
    MEMBER_INVITED = "enterprise.member_invited"
    INVITATION_REVOKED = "enterprise.invitation_revoked"
    INVITATION_RESENT = "enterprise.invitation_resent"
    MEMBER_JOINED = "enterprise.member_joined"
    MEMBER_ROLE_CHANGED = "enterprise.member_role_changed"
    MEMBER_REMOVED = "enterprise.member_removed"
    OWNERSHIP_TRANSFERRED = "enterprise.ownership_transferred"
    CONSENT_GIVEN = "consent.given"
    CONSENT_WITHDRAWN = "consent.withdrawn"
    CONTACT_CONSENT_GIVEN = "consent.contact_given"
    CONTACT_CONSENT_WITHDRAWN = "consent.contact_withdrawn"
    CONTACT_ADDED = "contact.added"
    CONTACT_REMOVED = "contact.removed"
    DOCUMENT_UPLOADED = "document.uploaded"
    DOCUMENT_VERSION_DELETED = "document.version_deleted"
    DOCUMENT_WITHDRAWN = "document.withdrawn"
    PRODUCT_SAVED = "product.saved"
    PRODUCT_DELETED = "product.deleted"
    MILESTONE_SAVED = "milestone.saved"
    MILESTONE_DELETED = "milestone.deleted"
