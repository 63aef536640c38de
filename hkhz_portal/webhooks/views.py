"""The partner's webhook pages: the organisation's endpoints, and each one's settings, secret
and delivery log. Partner users only (anyone else: 403); another organisation's endpoint is
not found (404). The secret is shown once, on the page that answers its creation or rotation."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.forms import call_service

from . import selectors, services
from .forms import DeliveryFilterForm, EndpointForm
from .models import DeliveryStatus

DELIVERIES_PER_PAGE = 25
#: Each delivery state's badge, in the colours the portal's other statuses use.
STATUS_CLASSES = {
    DeliveryStatus.PENDING: "status-submitted",
    DeliveryStatus.DELIVERED: "status-approved",
    DeliveryStatus.FAILED: "status-rejected",
    DeliveryStatus.DISABLED: "status-withdrawn",
}


def _require_partner(user) -> None:
    if not user.has_role(Role.PARTNER):
        raise PermissionDenied


def _show_secret(request, endpoint, secret, *, rotated_until=None):
    context = {"endpoint": endpoint, "secret": secret, "rotated_until": rotated_until}
    return render(request, "webhooks/secret.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def endpoint_list(request):
    """The organisation's endpoints, and the form to add one. A partner account not yet linked to
    an organisation is told so (the administrator links it)."""
    _require_partner(request.user)
    if request.user.partner_organisation_id is None:
        return render(request, "webhooks/endpoint_list.html", {"unlinked": True})
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = call_service(form, lambda: services.create_endpoint(actor=request.user, **form.cleaned_data))
        if created is not None:
            return _show_secret(request, *created)
    context = {"endpoints": selectors.endpoints_of(request.user), "form": form}
    return render(request, "webhooks/endpoint_list.html", context, status=400 if form.errors else 200)


def _deliveries_page(request, endpoint):
    filters = DeliveryFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    deliveries = selectors.deliveries_of(
        endpoint, status=chosen.get("status", ""), event_type=chosen.get("event", "")
    ).prefetch_related("attempt_log")
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    for delivery in page:
        delivery.status_class = STATUS_CLASSES[delivery.status]
        delivery.payload_text = json.dumps(delivery.payload, indent=2, ensure_ascii=False)
        delivery.redeliverable = delivery.status in services.REDELIVERABLE
    query = "&".join(f"{name}={value}" for name, value in chosen.items() if value)
    return filters, page, query


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def endpoint_detail(request, pk):
    """One endpoint: its events and description (edited here), its actions and its delivery log."""
    _require_partner(request.user)
    endpoint = selectors.endpoint_of(request.user, pk)
    initial = {"url": endpoint.url, "event_types": endpoint.event_types, "description": endpoint.description}
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = call_service(
            form, lambda: services.update_endpoint(endpoint.pk, actor=request.user, **form.cleaned_data)
        )
        if updated is not None:
            messages.success(request, _("The endpoint was saved."))
            return redirect("webhooks:endpoint", pk=endpoint.pk)
    filters, page, query = _deliveries_page(request, endpoint)
    context = {
        "endpoint": endpoint,
        "form": form,
        "filters": filters,
        "page": page,
        "query": query,
        "has_failed": endpoint.failed_count > 0,
    }
    return render(request, "webhooks/endpoint_detail.html", context, status=400 if form.errors else 200)


#: The buttons of an endpoint's page: the service each calls and what the partner is told.
ACTIONS = {
    "test": (services.send_test_event, gettext_lazy("A test event is on its way: it appears in the log below.")),
    "disable": (services.disable_endpoint, gettext_lazy("The endpoint is disabled: no events are sent to it.")),
    "enable": (services.enable_endpoint, gettext_lazy("The endpoint is enabled: new events are sent to it.")),
    "redeliver-failed": (
        services.redeliver_failed,
        gettext_lazy("The failed deliveries are sent again within a minute."),
    ),
}


@login_required
@require_POST
def endpoint_action(request, pk, action):
    """One of an endpoint's buttons (``ACTIONS``), then back to its page."""
    _require_partner(request.user)
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    endpoint = selectors.endpoint_of(request.user, pk)
    service(endpoint.pk, actor=request.user)
    messages.success(request, done)
    return redirect("webhooks:endpoint", pk=endpoint.pk)


@never_cache
@login_required
@require_POST
def rotate_secret(request, pk):
    """A new secret, shown once; the previous one signs beside it for 24 hours."""
    _require_partner(request.user)
    endpoint = selectors.endpoint_of(request.user, pk)
    secret, until = services.rotate_secret(endpoint.pk, actor=request.user)
    return _show_secret(request, endpoint, secret, rotated_until=until)


@login_required
@require_POST
def delete_endpoint(request, pk):
    _require_partner(request.user)
    endpoint = selectors.endpoint_of(request.user, pk)
    services.delete_endpoint(endpoint.pk, actor=request.user)
    messages.success(request, _("The endpoint %(url)s was deleted.") % {"url": endpoint.url})
    return redirect("webhooks:endpoint_list")


@login_required
@require_POST
def redeliver(request, pk, delivery_pk):
    """Send one failed delivery again."""
    _require_partner(request.user)
    endpoint = selectors.endpoint_of(request.user, pk)
    delivery = selectors.delivery_of(request.user, delivery_pk)
    if delivery.endpoint_id != endpoint.pk:
        raise Http404
    services.redeliver(delivery.pk, actor=request.user)
    messages.success(request, _("The delivery is sent again: its new attempts appear below."))
    return redirect("webhooks:endpoint", pk=endpoint.pk)
