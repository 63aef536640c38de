"""Sharing the enterprise's applications with partner organisations: the profile's section
lists them (``profile.enterprise_detail``); an owner grants or revokes here, one at a time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import partners, selectors
from ..services import sharing


def _back(enterprise):
    return redirect(reverse("enterprise_detail", args=[enterprise.reference]) + "#sharing")


@login_required
@require_POST
def sharing_grant(request, reference, code):
    """The services refuse anyone but an owner (403) and an owner without a current cross-border
    consent (sent to give it, and back)."""
    enterprise = selectors.enterprise_of(request.user, reference)
    organisation = partners.partner_organisation(code)
    sharing.grant_sharing(enterprise, actor=request.user, organisation=organisation)
    messages.success(
        request,
        _("%(organisation)s may now read this enterprise's submitted applications.")
        % {"organisation": organisation.name},
    )
    return _back(enterprise)


@login_required
@require_POST
def sharing_revoke(request, reference, code):
    enterprise = selectors.enterprise_of(request.user, reference)
    organisation = partners.partner_organisation(code)
    sharing.revoke_sharing(enterprise, actor=request.user, organisation=organisation)
    messages.success(
        request,
        _("%(organisation)s can no longer read this enterprise's applications.") % {"organisation": organisation.name},
    )
    return _back(enterprise)
