"""Members, owners and invitations. An enterprise always keeps at least one owner."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.notifications import notify

from ..audit_actions import AuditAction
from ..choices import MemberRole
from ..invitations import invitation_from_token, refuse_unusable
from ..models import Enterprise, Invitation, Membership
from ..tasks import send_invitation_after_commit


def _locked(enterprise: Enterprise) -> Enterprise:
    """Lock the enterprise row: membership changes of one enterprise run one at a time."""
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


def _require_owner(enterprise: Enterprise, user, *, from_admin_site: bool = False) -> None:
    """Refuse anyone but an owner; from the admin site, an administrator allowed to change
    memberships acts too. (On the portal's pages an administrator who is a plain member of an
    enterprise is a plain member there.)"""
    if from_admin_site and user.has_perm("enterprises.change_membership"):
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
    send_invitation_after_commit(invitation.pk)
    return invitation


@transaction.atomic(durable=True)
def resend_invitation(invitation: Invitation, *, actor) -> Invitation:
    """An owner sends again an open invitation whose mail has not gone out (it failed, or is
    still waiting); its delivery starts afresh after commit. A worker sending it right now
    keeps its claim, so the mail still goes out once. A delivered one is refused: inviting the
    address again gives a new link."""
    enterprise = _locked(invitation.enterprise)
    _require_owner(enterprise, actor)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise DomainError(_("This invitation was already used or withdrawn."), code="not_open")
    if invitation.sent_at is not None:
        raise DomainError(
            _("This invitation was delivered already. To send a new link, invite the address again."),
            code="already_sent",
        )
    invitation.failed_at = None
    invitation.last_error = ""
    invitation.send_attempts = 0
    invitation.save(update_fields=["failed_at", "last_error", "send_attempts"])
    audit.record(AuditAction.INVITATION_RESENT, actor=actor, target=enterprise, changes={"email": invitation.email})
    send_invitation_after_commit(invitation.pk)
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


@transaction.atomic(durable=True)
def accept_invitation(token: str, *, actor) -> Membership:
    """The invited person (``actor``), signed in with the invited address, joins. Each link works once."""
    user = actor
    invitation = invitation_from_token(token)
    enterprise = _locked(invitation.enterprise)  # enterprise first, as every membership change
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    refuse_unusable(invitation, user)
    membership, _created = Membership.objects.get_or_create(
        enterprise=enterprise, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(AuditAction.MEMBER_JOINED, actor=user, target=enterprise, changes={"role": membership.role})
    _notify_owners_of_join(enterprise, membership, invitation)
    return membership


JOINED_TITLE = _("{name} joined {enterprise}")
JOINED_BODY = {
    MemberRole.OWNER: _("{name} accepted the invitation sent to {email} and is now an owner of {enterprise}."),
    MemberRole.MEMBER: _("{name} accepted the invitation sent to {email} and is now a member of {enterprise}."),
}


def _notify_owners_of_join(enterprise: Enterprise, membership: Membership, invitation: Invitation) -> None:
    """Tell every other owner, in their own language, who joined; in the joining transaction, so
    a join rolled back tells no one."""
    names = {"name": str(membership.user), "email": invitation.email, "enterprise": enterprise.display_name}
    url = reverse("member_list", args=[enterprise.reference])
    owners = enterprise.memberships.filter(role=MemberRole.OWNER).exclude(user=membership.user).select_related("user")
    for owner in owners:
        notify(
            owner.user,
            title=format_lazy(JOINED_TITLE, **names),
            body=format_lazy(JOINED_BODY[membership.role], **names),
            url=url,
        )


@transaction.atomic(durable=True)
def change_member_role(membership: Membership, role: str, *, actor, from_admin_site: bool = False) -> Membership:
    """An owner makes a member owner, or an owner member; the last owner cannot be demoted."""
    enterprise = _locked(membership.enterprise)
    _require_owner(enterprise, actor, from_admin_site=from_admin_site)
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
def remove_member(membership: Membership, *, actor, from_admin_site: bool = False) -> None:
    """An owner removes a member, or a member leaves; the last owner can do neither."""
    enterprise = _locked(membership.enterprise)
    if membership.user_id != actor.pk:
        _require_owner(enterprise, actor, from_admin_site=from_admin_site)
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
