"""Sign-ins, sign-outs and failed attempts go to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from hkhz_portal.core import audit

from .audit_actions import AuditAction


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit.record(AuditAction.LOGIN, actor=user, target=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditAction.LOGOUT, actor=user, target=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    audit.record(AuditAction.LOGIN_FAILED, changes={"email": credentials.get("email", "")})
