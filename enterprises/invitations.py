"""Invitation links: the signed token a link carries, and the rules for using one.

Reads only. The mail service signs a token when it sends the link (so the 7 days run from
sending); the invitation page (``selectors.usable_invitation``) and ``accept_invitation``
read it back.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.errors import DomainError

from .models import Invitation

SALT = "enterprises.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk}, salt=SALT)


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link points to; refuses tampered and expired links."""
    max_age = settings.INVITATION_MAX_AGE_DAYS * 24 * 3600
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise DomainError(
            _("This invitation has expired. Ask an owner of the enterprise to invite you again."), code="expired"
        ) from exc
    except signing.BadSignature as exc:
        raise DomainError(_("This invitation link is not valid."), code="invalid_token", status=404) from exc
    invitation = Invitation.objects.select_related("enterprise").filter(pk=payload.get("invitation")).first()
    if invitation is None:
        raise DomainError(_("This invitation link is not valid."), code="invalid_token", status=404)
    return invitation


def refuse_unusable(invitation: Invitation, user=None) -> None:
    """Refuse a used or withdrawn invitation, and (when ``user`` is given) anyone but the invitee."""
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has already been used."), code="used")
    if invitation.revoked_at is not None:
        raise DomainError(_("This invitation was withdrawn by the enterprise."), code="revoked")
    if user is None:
        return
    if not EmailAddress.objects.filter(user=user, verified=True, email__iexact=invitation.email).exists():
        raise DomainError(
            _("This invitation was sent to another e-mail address. Sign in with that address to accept it."),
            code="wrong_user",
            status=403,
        )
