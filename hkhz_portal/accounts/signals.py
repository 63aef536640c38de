"""Sign-ins, sign-outs and failed attempts (password or second factor) go to the audit trail."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authentication_failed, authenticator_added
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


@receiver(authentication_failed, sender=Authenticator)
def audit_mfa_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    """A wrong code at sign-in (nobody is signed in yet: no actor) or when a signed-in session
    is asked for its second factor (the session's user is the actor)."""
    audit.record(
        AuditAction.MFA_FAILED,
        actor=getattr(request, "user", None),
        target=user,
        changes={"authenticator": authenticator.type, "reauthentication": reauthentication},
    )


@receiver(authenticator_added, sender=Authenticator)
def count_activation_as_mfa(sender, request, user, authenticator, **kwargs):
    """Setting up TOTP takes a valid code from the new authenticator: the session has just proved
    the second factor, so staff go on (``StaffMFAMiddleware``) without typing a second code."""
    if authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
