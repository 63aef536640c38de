"""Reads of applications that pages and the API share. Each one scopes by who asks, so a
record of another enterprise or unit is a 404, never a hint that it exists."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from hkhz_portal.accounts.roles import Role

from .models import Application


def applications_of(user) -> QuerySet[Application]:
    """Applications of the enterprises the user is a member of."""
    return Application.objects.filter(enterprise__memberships__user=user)


def application_of(user, reference: str) -> Application:
    return get_object_or_404(
        applications_of(user).select_related("call", "enterprise", "form_version"), reference=reference
    )


def unit_applications(user) -> QuerySet[Application]:
    """The applications of the officer's unit (none for anyone else)."""
    if not user.is_authenticated or user.unit_id is None or Role.PROGRAM_OFFICER not in user.roles:
        return Application.objects.none()
    return Application.objects.filter(unit_id=user.unit_id)


def unit_application(user, reference: str) -> Application:
    return get_object_or_404(
        unit_applications(user).select_related("call", "enterprise", "form_version"), reference=reference
    )
