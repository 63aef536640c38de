"""The audit trail's names for what happens to accounts, declared once."""

from enum import StrEnum


class AuditAction(StrEnum):
    LOGIN = "account.login"
    LOGIN_FAILED = "account.login_failed"
    MFA_FAILED = "account.mfa_failed"
    LOGOUT = "account.logout"
    PROFILE_UPDATED = "account.profile_updated"
    ROLE_ASSIGNED = "account.role_assigned"
    ACCESS_CHANGED = "account.access_changed"
    API_KEY_CREATED = "account.api_key_created"
    API_KEY_REVOKED = "account.api_key_revoked"
