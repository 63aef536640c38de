"""Members, owners and invitations. An enterprise always keeps at least one owner."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..choices import MemberRole
from ..models import Enterprise, Invitation, Membership

SALT = "enterprises.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk}, salt=SALT)


def _locked(enterprise: Enterprise) -> Enterprise:
    """Lock the enterprise row: membership changes of one enterprise run one at a time."""
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


def _require_owner(enterprise: Enterprise, user) -> None:
    """Refuse anyone but an owner, or an administrator allowed to change memberships (admin site)."""
    if user.has_perm("enterprises.change_membership"):
        return
    if not Membership.objects.filter(enterprise=enterprise, user=user, role=MemberRole.OWNER).exists():
        raise DomainError(_("Only an owner of the enterprise can do this."), code="not_owner", status=403)


def _current(membership: Membership) -> Membership:
    """Re-read a membership under the enterprise lock; gone meanwhile means not found."""
    current = Membership.objects.select_related("user").filter(pk=membership.pk).first()
    if current is None:
        raise DomainError(_("This person is no longer a member."), code="not_member", status=404)
    return current


def _refuse_if_last_owner(enterprise: Enterprise, membership: Membership) -> None:
    if membership.role == MemberRole.OWNER and enterprise.memberships.filter(role=MemberRole.OWNER).count() == 1:
        raise DomainError(
            _("An enterprise must keep at least one owner: make another member owner first."), code="last_owner"
        )


@transaction.atomic(durable=True)
def invite_member(enterprise: Enterprise, *, actor, email: str, role=MemberRole.MEMBER) -> Invitation:
    """An owner invites someone by e-mail; the link (signed, 7 days, single use) is mailed after commit."""
    from ..tasks import send_invitation

    enterprise = _locked(enterprise)
    _require_owner(enterprise, actor)
    email = email.strip().lower()
    if enterprise.memberships.filter(user__email__iexact=email).exists():
        raise DomainError(_("This person is already a member."), code="already_member", field="email")
    enterprise.invitations.filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation.objects.create(enterprise=enterprise, email=email, role=role, invited_by=actor)
    audit.record(AuditAction.MEMBER_INVITED, actor=actor, target=enterprise, changes={"email": email, "role": role})
    transaction.on_commit(lambda: send_invitation.delay(invitation.pk))
    return invitation


@transaction.atomic(durable=True)
def revoke_invitation(invitation: Invitation, *, actor) -> None:
    """An owner withdraws an open invitation; one accepted meanwhile stays accepted."""
    enterprise = _locked(invitation.enterprise)
    _require_owner(enterprise, actor)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_open:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(AuditAction.INVITATION_REVOKED, actor=actor, target=invitation.enterprise)


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


def _refuse_unusable(invitation: Invitation, user=None) -> None:
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


def usable_invitation(token: str, user=None) -> Invitation:
    """The invitation a link points to, if it can still be accepted (by ``user``, when given).

    For the page that shows an invitation before it is accepted; raises the same DomainError
    ``accept_invitation`` would (tampered links with status 404). Changes nothing.
    """
    invitation = invitation_from_token(token)
    _refuse_unusable(invitation, user)
    return invitation


@transaction.atomic(durable=True)
def accept_invitation(token: str, *, actor) -> Membership:
    """The invited person (``actor``), signed in with the invited address, joins. Each link works once."""
    user = actor
    invitation = invitation_from_token(token)
    enterprise = _locked(invitation.enterprise)  # enterprise first, as every membership change
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _refuse_unusable(invitation, user)
    membership, _created = Membership.objects.get_or_create(
        enterprise=enterprise, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(AuditAction.MEMBER_JOINED, actor=user, target=enterprise, changes={"role": membership.role})
    return membership


@transaction.atomic(durable=True)
def change_member_role(membership: Membership, role: str, *, actor) -> Membership:
    """An owner makes a member owner, or an owner member; the last owner cannot be demoted."""
    enterprise = _locked(membership.enterprise)
    _require_owner(enterprise, actor)
    membership = _current(membership)
    if role == MemberRole.MEMBER:
        _refuse_if_last_owner(enterprise, membership)
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record(
            AuditAction.MEMBER_ROLE_CHANGED,
            actor=actor,
            target=enterprise,
            changes={"user": membership.user.email, "role": role},
        )
    return membership


@transaction.atomic(durable=True)
def remove_member(membership: Membership, *, actor) -> None:
    """An owner removes a member, or a member leaves; the last owner can do neither."""
    enterprise = _locked(membership.enterprise)
    if membership.user_id != actor.pk:
        _require_owner(enterprise, actor)
    membership = _current(membership)
    _refuse_if_last_owner(enterprise, membership)
    membership.delete()
    audit.record(AuditAction.MEMBER_REMOVED, actor=actor, target=enterprise, changes={"user": membership.user.email})


@transaction.atomic(durable=True)
def transfer_ownership(enterprise: Enterprise, to: Membership, *, actor) -> None:
    """An owner hands ownership to another member and becomes a member."""
    enterprise = _locked(enterprise)
    _require_owner(enterprise, actor)
    to = _current(to)
    if to.enterprise_id != enterprise.pk or to.user_id == actor.pk:
        raise DomainError(_("Choose another member of this enterprise."), code="invalid_member")
    Membership.objects.filter(pk=to.pk).update(role=MemberRole.OWNER)
    Membership.objects.filter(enterprise=enterprise, user=actor).update(role=MemberRole.MEMBER)
    audit.record(AuditAction.OWNERSHIP_TRANSFERRED, actor=actor, target=enterprise, changes={"to": to.user.email})
