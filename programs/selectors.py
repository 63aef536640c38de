"""Reads of applications that pages and the API share. Each one scopes by who asks, so a
record of another enterprise or unit is a 404, never a hint that it exists."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from hkhz_portal.accounts.roles import Role

from .choices import CallState
from .models import Application, Call


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


def calls(*, state: str | None = None, programme: str | None = None, unit: str | None = None) -> QuerySet[Call]:
    """Calls, which anyone may see, with their programme and unit; narrowed by ``CallState``,
    programme slug and unit code when given."""
    found = Call.objects.select_related("programme__unit")
    now = timezone.now()
    if state == CallState.OPEN:
        found = found.filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now), opens_at__lte=now)
    elif state == CallState.UPCOMING:
        found = found.filter(opens_at__gt=now)
    elif state == CallState.CLOSED:
        found = found.filter(closes_at__lte=now)
    if programme:
        found = found.filter(programme__slug=programme)
    if unit:
        found = found.filter(programme__unit__code=unit)
    return found


def call_of(slug: str) -> Call:
    return get_object_or_404(Call.objects.select_related("programme__unit", "form_version"), slug=slug)
