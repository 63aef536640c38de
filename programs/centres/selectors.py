"""Who belongs to a centre, and the reads the centres' pages and API share.

The enterprise side sees the requests of the enterprises its user is a member of; the centre
side (its staff, and its program officers, who lead it) the requests of its own unit. A
request of anyone else's is not found, never forbidden: its reference says nothing.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from enterprises.models import Membership
from hkhz_portal.accounts.roles import CENTRES, Role

from ..models import RequestAttachment, RequestMessage, Service, ServiceRequest

#: The roles that work a centre's requests: its staff, and its program officers (its leads).
CENTRE_ROLES = frozenset({Role.CENTRE_STAFF, Role.PROGRAM_OFFICER})


def is_centre_member(user, unit_id=None) -> bool:
    """Whether ``user`` works for a centre (for the centre ``unit_id``, when given)."""
    if not (user.is_authenticated and user.is_active and user.unit_id is not None):
        return False
    if unit_id is not None and user.unit_id != unit_id:
        return False
    return bool(CENTRE_ROLES & user.roles) and user.unit.kind in CENTRES


def is_centre_lead(user, unit_id) -> bool:
    return is_centre_member(user, unit_id) and Role.PROGRAM_OFFICER in user.roles


def centre_staff(unit_id) -> QuerySet:
    """The centre's staff who take requests (its leads too: a small centre's lead works cases)."""
    return get_user_model().objects.filter(unit_id=unit_id, is_active=True, groups__name__in=CENTRE_ROLES).distinct()


def centre_leads(unit_id) -> QuerySet:
    return get_user_model().objects.filter(unit_id=unit_id, is_active=True, groups__name=Role.PROGRAM_OFFICER)


def is_member(user, enterprise_id) -> bool:
    return user.is_authenticated and Membership.objects.filter(enterprise_id=enterprise_id, user=user).exists()


def catalogue() -> QuerySet[Service]:
    """The services offered, both centres', with their centre and policy."""
    services = Service.objects.filter(is_active=True).select_related("unit", "sla_policy")
    return services.order_by("unit__code", "order", "slug")


def client_requests(user) -> QuerySet[ServiceRequest]:
    """The requests of the enterprises ``user`` is a member of."""
    if not user.is_authenticated:
        return ServiceRequest.objects.none()
    mine = Membership.objects.filter(user=user, enterprise_id=OuterRef("enterprise_id"))
    return ServiceRequest.objects.filter(Exists(mine))


def centre_requests(user) -> QuerySet[ServiceRequest]:
    """The requests of the centre ``user`` works for (none for anyone else)."""
    if not is_centre_member(user):
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.filter(unit_id=user.unit_id)


def _get(queryset, reference) -> ServiceRequest:
    request = (
        queryset.select_related("service", "unit", "enterprise", "assignee", "requested_by")
        .filter(reference=reference)
        .first()
    )
    if request is None:
        raise Http404
    return request


def request_for_client(user, reference) -> ServiceRequest:
    return _get(client_requests(user), reference)


def request_for_centre(user, reference) -> ServiceRequest:
    return _get(centre_requests(user), reference)


def thread(request: ServiceRequest, *, internal: bool) -> QuerySet[RequestMessage]:
    """The request's messages, oldest first, with their authors and attachments; the internal
    notes only when ``internal`` (the centre's side)."""
    messages = request.messages.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=RequestAttachment.objects.select_related("version"))
    )
    return messages if internal else messages.filter(internal=False)


def centre_services(unit_id) -> QuerySet[Service]:
    """Every service of the centre, withdrawn ones too (their requests are still worked), in the
    catalogue's order, with their policy."""
    return Service.objects.filter(unit_id=unit_id).select_related("sla_policy").order_by("order", "slug")
