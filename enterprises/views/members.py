"""Members and invitations of an enterprise. Owner-only rules live in the services; the page
only hides what a non-owner cannot do."""

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.forms import call_service
from hkhz_portal.core.middleware import refusal_response

from .. import selectors
from ..choices import MemberRole
from ..forms.members import InviteForm, RoleForm
from ..services import members as services


def _delivery(invitation) -> str:
    """Where the invitation's mail is: "sending" until it went out (or was given up on)."""
    if invitation.failed_at:
        return "failed"
    return "sent" if invitation.sent_at else "sending"


def _invitation_rows(enterprise):
    """Open invitations with their mail's delivery and when their link stops working (counted
    from when it was sent)."""
    now = timezone.now()
    max_age = timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    rows = []
    for invitation in selectors.open_invitations(enterprise):
        expires_at = invitation.sent_at + max_age if invitation.sent_at else None
        expired = expires_at is not None and expires_at < now
        rows.append(
            {"invitation": invitation, "delivery": _delivery(invitation), "expires_at": expires_at, "expired": expired}
        )
    return rows


def _render_members(request, enterprise, invite_form):
    memberships = sorted(selectors.members(enterprise), key=lambda m: (not m.is_owner, m.joined_at))
    owners = sum(1 for m in memberships if m.is_owner)
    mine = next((m for m in memberships if m.user_id == request.user.pk), None)
    is_owner = bool(mine and mine.is_owner)
    context = {
        "enterprise": enterprise,
        "memberships": memberships,
        "mine": mine,
        "is_owner": is_owner,
        "sole_owner": is_owner and owners == 1,
        "invite_form": invite_form,
        "invitations": _invitation_rows(enterprise) if is_owner else [],
    }
    return render(request, "enterprises/members.html", context)


def _refusals_back_to_members(view):
    """A member action the services refuse (not an owner, the last owner, gone meanwhile)
    ends on the members page with the reason, whatever page the form was on."""

    @wraps(view)
    def wrapped(request, reference, *args, **kwargs):
        try:
            return view(request, reference, *args, **kwargs)
        except DomainError as err:
            return refusal_response(request, err, back=reverse("member_list", args=[reference]))

    return wrapped


@login_required
def member_list(request, reference):
    enterprise = selectors.enterprise_of(request.user, reference)
    return _render_members(request, enterprise, InviteForm())


@login_required
@require_http_methods(["GET", "POST"])
@_refusals_back_to_members
def member_invite(request, reference):
    """An owner invites someone by e-mail; the service mails the link after commit."""
    enterprise = selectors.enterprise_of(request.user, reference)
    if request.method == "GET":
        return redirect("member_list", reference=reference)
    form = InviteForm(request.POST)
    if form.is_valid():
        invitation = call_service(
            form,
            lambda: services.invite_member(
                enterprise, actor=request.user, email=form.cleaned_data["email"], role=form.cleaned_data["role"]
            ),
        )
        if invitation is not None:
            messages.success(
                request,
                _("The invitation to %(email)s as %(role)s is being sent.")
                % {"email": invitation.email, "role": invitation.get_role_display()},
            )
            return redirect("member_list", reference=reference)
    return _render_members(request, enterprise, form)


@login_required
@require_POST
@_refusals_back_to_members
def member_role(request, reference, pk):
    """An owner makes a member owner, or an owner member (never the last owner)."""
    enterprise = selectors.enterprise_of(request.user, reference)
    membership = selectors.member(enterprise, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("member_list", reference=reference)
    membership = services.change_member_role(membership, form.cleaned_data["role"], actor=request.user)
    owner = membership.role == MemberRole.OWNER
    message = _("%(name)s is now an owner.") if owner else _("%(name)s is now a member.")
    messages.success(request, message % {"name": membership.user})
    return redirect("member_list", reference=reference)


@login_required
@require_POST
@_refusals_back_to_members
def member_remove(request, reference, pk):
    """An owner removes a member; a member removing themself leaves the enterprise."""
    enterprise = selectors.enterprise_of(request.user, reference)
    membership = selectors.member(enterprise, pk)
    leaving = membership.user_id == request.user.pk
    services.remove_member(membership, actor=request.user)
    if leaving:
        messages.success(request, _("You left %(name)s.") % {"name": enterprise.display_name})
        return redirect("enterprise_list")
    messages.success(request, _("%(name)s was removed from the enterprise.") % {"name": membership.user})
    return redirect("member_list", reference=reference)


@login_required
@require_POST
@_refusals_back_to_members
def ownership_transfer(request, reference, pk):
    """An owner hands their ownership to another member and becomes a member."""
    enterprise = selectors.enterprise_of(request.user, reference)
    to = selectors.member(enterprise, pk)
    services.transfer_ownership(enterprise, to, actor=request.user)
    messages.success(request, _("%(name)s is now an owner; you are a member.") % {"name": to.user})
    return redirect("member_list", reference=reference)


@login_required
@require_POST
@_refusals_back_to_members
def invitation_revoke(request, reference, pk):
    enterprise = selectors.enterprise_of(request.user, reference)
    invitation = selectors.invitation(enterprise, pk)
    services.revoke_invitation(invitation, actor=request.user)
    messages.success(request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email})
    return redirect("member_list", reference=reference)


@login_required
@require_POST
@_refusals_back_to_members
def invitation_resend(request, reference, pk):
    """An owner sends again an invitation whose mail did not go out."""
    enterprise = selectors.enterprise_of(request.user, reference)
    invitation = selectors.invitation(enterprise, pk)
    services.resend_invitation(invitation, actor=request.user)
    messages.success(request, _("The invitation to %(email)s will be sent again.") % {"email": invitation.email})
    return redirect("member_list", reference=reference)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The page an invitation link opens: explain it, and let the invitee (signed in with the
    invited address) join. A tampered link is 404; any other refusal is shown on the page."""
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST" and user is None:
        return redirect_to_login(request.get_full_path())
    try:
        if request.method == "POST":
            membership = services.accept_invitation(token, actor=user)
        else:
            invitation = selectors.usable_invitation(token, user)
    except DomainError as err:
        if err.status == 404:
            raise Http404(err.message) from err
        context = {"problem": err.message, "code": err.code}
        return render(request, "enterprises/invitation.html", context, status=err.status)
    if request.method == "POST":
        enterprise = membership.enterprise
        messages.success(
            request,
            _("You joined %(name)s as %(role)s.")
            % {"name": enterprise.display_name, "role": membership.get_role_display()},
        )
        return redirect("enterprise_detail", reference=enterprise.reference)
    return render(request, "enterprises/invitation.html", {"invitation": invitation})
