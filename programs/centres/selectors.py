"""Who belongs to a centre, and the reads the centres' pages and API share.

The enterprise side sees the requests of the enterprises its user is a member of; the centre
side (its staff, and its program officers, who lead it) the requests of its own unit. A
request of anyone else's is not found, never forbidden: its reference says nothing.
"""

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.http import Http404

from enterprises.models import DocumentVersion, Membership
from hkhz_portal.accounts.models import Unit
from hkhz_portal.accounts.roles import CENTRES, Role

from ..models import (
    RequestAttachment,
    RequestMessage,
    RequestStateChange,
    RequestStep,
    Service,
    ServiceRating,
    ServiceRequest,
)
from .workflow import OPEN_STATES, State

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


def centres() -> list[Unit]:
    """The two centres, for the catalogue's filter."""
    return list(Unit.objects.filter(kind__in=CENTRES).order_by("code"))


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


def client_request_list(user, *, state=None) -> QuerySet[ServiceRequest]:
    """The member's requests for their list, last changed first, with what each row shows."""
    found = client_requests(user).select_related("service", "unit", "enterprise")
    if state:
        found = found.filter(state=state)
    return found.order_by("-state_changed_at", "-id")


def last_change(request: ServiceRequest) -> RequestStateChange | None:
    """The step that brought the request to its state: whom it waits on and why, or why it was
    cancelled (the reasons the enterprise is shown)."""
    return request.state_changes.filter(to_state=request.state).order_by("-created_at", "-id").first()


def state_log(request: ServiceRequest) -> QuerySet[RequestStateChange]:
    """The request's state log, oldest first, with who took each step: what its clocks are read from."""
    return request.state_changes.select_related("actor").order_by("created_at", "id")


def request_steps(request: ServiceRequest) -> QuerySet[RequestStep]:
    """The request's fulfilment checklist, in order, with who ticked each step."""
    return request.steps.select_related("done_by")


def request_documents(request: ServiceRequest):
    """The library documents' versions the request was sent with, with their documents."""
    return request.documents.select_related("document").order_by("document__doc_type", "pk")


def rating_of(request: ServiceRequest) -> ServiceRating | None:
    return ServiceRating.objects.filter(request=request).first()


def library_versions(enterprise, doc_types=None) -> list[DocumentVersion]:
    """The current version of each of the enterprise's documents not withdrawn (of ``doc_types``
    only, when given), newest document first, in one query: what a request or a message may carry."""
    current = DocumentVersion.objects.filter(document=OuterRef("document")).order_by("-number").values("pk")[:1]
    versions = DocumentVersion.objects.filter(
        document__enterprise=enterprise, document__withdrawn_at__isnull=True, pk=Subquery(current)
    )
    if doc_types is not None:
        versions = versions.filter(document__doc_type__in=doc_types)
    return list(versions.select_related("document").order_by("-document__created_at", "-document_id"))


#: How many open requests the dashboard panel lists.
PANEL_SIZE = 5


def client_dashboard_panel(user) -> dict | None:
    """The dashboard's "Your service requests" panel (registered in ``ProgramsConfig.ready``): the
    open requests, those waiting on the enterprise first, and their counts, in two queries; none
    for other roles."""
    if not user.has_role(Role.APPLICANT):
        return None
    open_requests = client_requests(user).filter(state__in=OPEN_STATES)
    counts = open_requests.aggregate(open=Count("id"), waiting=Count("id", filter=Q(state=State.WAITING_ON_CLIENT)))
    waiting_first = Case(When(state=State.WAITING_ON_CLIENT, then=Value(0)), default=Value(1))
    shown = open_requests.select_related("service").order_by(waiting_first, "-state_changed_at", "-id")
    return {"requests": list(shown[:PANEL_SIZE]), **counts}


def attachment_of(request: ServiceRequest, pk: int, *, internal: bool) -> RequestAttachment:
    """One attachment of the request's thread; one of an internal note only when ``internal``
    (the centre's side). Any other is not found."""
    attachments = RequestAttachment.objects.select_related("message__request__enterprise", "version__document")
    attachments = attachments.filter(message__request=request, pk=pk)
    if not internal:
        attachments = attachments.filter(message__internal=False)
    attachment = attachments.first()
    if attachment is None:
        raise Http404
    return attachment


def centre_services(unit_id) -> QuerySet[Service]:
    """Every service of the centre, withdrawn ones too (their requests are still worked), in the
    catalogue's order, with their policy."""
    return Service.objects.filter(unit_id=unit_id).select_related("sla_policy").order_by("order", "slug")
