"""The enterprise's side of the service centres: the public catalogue, a service's page with
its request form, the member's requests and each request's page (its expected dates, steps,
documents and thread; answering, cancelling and rating), the thread's downloads, and the
signed rating link of the completion e-mail, which needs no sign-in.

A request is reached through the member's enterprises only (``selectors.request_for_client``):
anyone else's, centre staff included, is 404.
"""

from dataclasses import dataclass
from functools import partial
from itertools import groupby
from operator import attrgetter

from allauth.core.internal import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enterprises import selectors as enterprise_selectors
from enterprises.services.documents import upload_document
from enterprises.uploads import refused_upload
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.forms import call_service
from hkhz_portal.core.pagination import page_query

from .. import selectors, services
from ..display import business_hours, closed_days_note, documents_needed, fee, sla_in_words, working_hours
from ..downloads import attachment_response
from ..forms import (
    CancelRequestForm,
    CatalogueFilterForm,
    RatingForm,
    RequestEnterpriseForm,
    RequestMessageForm,
    RequestStateFilterForm,
    ServiceRequestForm,
)
from ..services import policy_of
from ..workflow import (
    FINAL_STATES,
    NEEDS_REASON,
    OPEN_STATES,
    STATE_HELP,
    TRANSITIONS,
    WAITING_STATES,
    PauseReason,
    State,
)

PAGE_SIZE = 20
#: Anonymous ratings through the e-mail's link, per address (allauth's counters, as on sign-in).
RATING_LINK_LIMITS = {"service_rating_link": "10/m/ip"}


# --- The catalogue ---------------------------------------------------------------------------


@dataclass
class ServiceCard:
    service: object
    fee: str
    sla: str
    documents: str


def _card(service) -> ServiceCard:
    return ServiceCard(
        service=service, fee=fee(service), sla=sla_in_words(service.sla_policy), documents=documents_needed(service)
    )


@require_GET
def catalogue(request):
    """Both centres' services, by centre, narrowed by centre and category (a GET form)."""
    form = CatalogueFilterForm(request.GET or None, centres=selectors.centres())
    chosen = form.filters()
    found = selectors.catalogue()
    if chosen["centre"]:
        found = found.filter(unit__code=chosen["centre"])
    if chosen["category"]:
        found = found.filter(category=chosen["category"])
    groups = [
        {"centre": unit, "cards": [_card(service) for service in group]}
        for unit, group in groupby(found, key=attrgetter("unit"))
    ]
    context = {"form": form, "groups": groups, "filtered": any(chosen.values())}
    return render(request, "programs/centres/catalogue.html", context)


# --- A service and its request form ----------------------------------------------------------


def _chosen_enterprise(request, enterprises):
    """The enterprise the form is for: the one posted (another's is 404), the one picked in the
    GET form, else the first."""
    if request.method == "POST":
        return enterprise_selectors.enterprise_of(request.user, request.POST.get("enterprise", ""))
    wanted = request.GET.get("enterprise")
    return next((e for e in enterprises if e.reference == wanted), enterprises[0])


def _send_request(request, service, enterprise, form):
    """Store the new files in the enterprise's library (each upload its own transaction, as on
    the documents page), then make the request with them and the library documents chosen.
    The request, or None with the refusal on the form."""
    versions = form.chosen_versions()
    for doc_type, upload in form.uploads().items():
        store = partial(upload_document, enterprise, upload, actor=request.user, doc_type=doc_type)
        version = call_service(form, store, default_field=f"file_{doc_type}")
        if version is None:
            return None
        versions[doc_type] = version
    return call_service(
        form,
        lambda: services.request_service(
            actor=request.user,
            service=service,
            enterprise=enterprise,
            details=form.cleaned_data["details"],
            documents=list(versions.values()),
        ),
    )


@require_http_methods(["GET", "POST"])
def service_detail(request, slug):
    """The service's terms, steps and hours; for a member of an enterprise, the request form."""
    service = get_object_or_404(selectors.catalogue().prefetch_related("steps", "sla_policy__periods"), slug=slug)
    context = {
        "card": _card(service),
        "service": service,
        "steps": [(step, business_hours(step.target_hours)) for step in service.steps.all()],
        "hours": working_hours(policy_of(service.sla_policy)),
        "closed_note": closed_days_note(service.sla_policy.calendar),
    }
    user = request.user
    enterprises = []
    if not user.is_authenticated:
        context["sign_in_url"] = f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
    elif user.has_role(Role.APPLICANT):
        enterprises = list(enterprise_selectors.enterprises_of(user).order_by("legal_name_en", "pk"))
        context["needs_enterprise"] = not enterprises
    if not enterprises:
        if request.method == "POST":
            return redirect("programs:service", slug=slug)
        return render(request, "programs/centres/service.html", context)

    enterprise = _chosen_enterprise(request, enterprises)
    posted = request.method == "POST"
    form = ServiceRequestForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        required_types=service.required_documents,
        library=selectors.library_versions(enterprise, service.required_documents),
        upload_refused=refused_upload(request) if posted else None,
    )
    if posted and form.is_valid():
        made = _send_request(request, service, enterprise, form)
        if made is not None:
            messages.success(
                request, _("Your request %(reference)s is sent to the centre.") % {"reference": made.reference}
            )
            return redirect("programs:my_request", reference=made.reference)
    if len(enterprises) > 1:
        context["choice_form"] = RequestEnterpriseForm(
            initial={"enterprise": enterprise.reference}, enterprises=enterprises
        )
    context.update({"enterprise": enterprise, "form": form})
    return render(request, "programs/centres/service.html", context, status=400 if posted else 200)


# --- The member's requests -------------------------------------------------------------------


@dataclass
class Expected:
    """One line of what to expect: a moment (due, or done), or why there is none (paused)."""

    label: str
    at: object = None
    text: str = ""
    overdue: bool = False


def _paused(request, change) -> str:
    if request.state == State.WAITING_ON_CLIENT or change is None:
        return _("Paused while the centre waits on you.")
    return _("Paused while the centre waits on a third party (%(party)s).") % {
        "party": PauseReason(change.pause_reason).label
    }


def _due(label, at, now) -> Expected:
    return Expected(label=label, at=at, overdue=at is not None and at < now)


def _expected(request, change) -> list[Expected]:
    """The request's first response and completion: when they came, or when they are due, or
    that the clock is paused (and on whom)."""
    now = timezone.now()
    lines = []
    if request.first_response_at is not None:
        lines.append(Expected(label=_("First response"), at=request.first_response_at))
    elif request.state in OPEN_STATES:
        lines.append(_due(_("First response expected by"), request.response_due_at, now))
    if request.state == State.COMPLETED:
        lines.append(Expected(label=_("Completed"), at=request.closed_at))
    elif request.state == State.CANCELLED:
        lines.append(Expected(label=_("Cancelled"), at=request.closed_at))
    elif request.state in WAITING_STATES:
        lines.append(Expected(label=_("Completion expected"), text=_paused(request, change)))
    else:
        lines.append(_due(_("Completion expected by"), request.resolution_due_at, now))
    return lines


def _next_due(request, now) -> Expected | None:
    """The list's "next due" cell: the first response's due time until it came, then the
    completion's; why none while paused; nothing once settled."""
    if request.state in FINAL_STATES:
        return None
    if request.state == State.WAITING_ON_CLIENT:
        return Expected(label="", text=_("Paused: waiting on you"))
    if request.state == State.WAITING_ON_THIRD_PARTY:
        return Expected(label="", text=_("Paused: waiting on a third party"))
    if request.first_response_at is None:
        return _due(_("first response"), request.response_due_at, now)
    return _due(_("completion"), request.resolution_due_at, now)


@login_required
@require_GET
def my_requests(request):
    """The requests of all the member's enterprises, by state, a page at a time; its query count
    does not grow with the page."""
    form = RequestStateFilterForm(request.GET or None)
    state = form.state_chosen()
    found = selectors.client_request_list(request.user, state=state)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    context = {
        "form": form,
        "page": page,
        "rows": [(item, _next_due(item, now)) for item in page.object_list],
        "query": page_query(request),
        "filtered": bool(state),
    }
    return render(request, "programs/centres/my_requests.html", context)


def _expected_state(request) -> str | None:
    """The state the page showed when the form was sent (its hidden ``expected_state``)."""
    seen = request.POST.get("expected_state")
    return seen if seen in State.values else None


def _render_request(request, service_request, *, message_form=None, rating_form=None, status=200):
    is_open = service_request.state in OPEN_STATES
    change = selectors.last_change(service_request)
    context = {
        "service_request": service_request,
        "state_help": STATE_HELP[State(service_request.state)],
        # Why it waits on a third party, or why it was cancelled: written for the enterprise.
        "reason": change.note if change is not None and change.transition in NEEDS_REASON else "",
        "expected": _expected(service_request, change),
        "steps": list(service_request.steps.all()),
        "documents": list(service_request.documents.select_related("document")),
        "thread": list(selectors.thread(service_request, internal=False)),
        "is_open": is_open,
        "waiting_on_you": service_request.state == State.WAITING_ON_CLIENT,
        "can_cancel": TRANSITIONS["cancel"].allowed_from(service_request.state),
    }
    if is_open or message_form is not None:  # a message refused as the request closed keeps its text and reason
        context["message_form"] = message_form or RequestMessageForm(
            library=selectors.library_versions(service_request.enterprise)
        )
    if service_request.state == State.COMPLETED:
        context["rating"] = selectors.rating_of(service_request)
        # A refused rating keeps its form, for its message ("already rated" shows beside the rating).
        context["rating_form"] = rating_form or (RatingForm() if context["rating"] is None else None)
    return render(request, "programs/centres/my_request.html", context, status=status)


@login_required
@require_GET
def my_request(request, reference):
    return _render_request(request, selectors.request_for_client(request.user, reference))


@login_required
@require_POST
def my_request_message(request, reference):
    """A message to the centre, with files and library documents; to a request waiting on the
    enterprise, it is the answer: the work resumes."""
    service_request = selectors.request_for_client(request.user, reference)
    form = RequestMessageForm(
        request.POST,
        request.FILES,
        library=selectors.library_versions(service_request.enterprise),
        upload_refused=refused_upload(request),
    )
    seen = _expected_state(request)
    if form.is_valid():
        sent = call_service(
            form,
            lambda: services.post_message(
                actor=request.user,
                request=service_request,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
                library=form.chosen_versions(),
                expected_state=seen,
            ),
        )
        if sent is not None:
            # ``service_request`` is the state the page was sent from: the service moved its own locked copy.
            answered = service_request.state == State.WAITING_ON_CLIENT
            messages.success(
                request,
                _("Your answer is sent: the centre's work on the request resumes.")
                if answered
                else _("Your message is sent to the centre."),
            )
            return redirect(reverse("programs:my_request", args=[reference]) + f"#message-{sent.pk}")
    return _render_request(request, service_request, message_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def my_request_cancel(request, reference):
    """Confirm, with the reason the centre reads; only while the request is open."""
    service_request = selectors.request_for_client(request.user, reference)
    if not TRANSITIONS["cancel"].allowed_from(service_request.state):
        messages.error(request, _("This request is closed: it can no longer be cancelled."))
        return redirect("programs:my_request", reference=reference)
    form = CancelRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            lambda: services.take_step(
                actor=request.user,
                request=service_request,
                name="cancel",
                note=form.cleaned_data["note"],
                expected_state=_expected_state(request),
            ),
            default_field="note",
        )
        if done is not None:
            messages.success(request, _("Request %(reference)s is cancelled.") % {"reference": reference})
            return redirect("programs:my_request", reference=reference)
    status = 400 if form.is_bound else 200
    context = {"service_request": service_request, "form": form}
    return render(request, "programs/centres/cancel.html", context, status=status)


@login_required
@require_POST
def my_request_rate(request, reference):
    """A member rates the completed request, once."""
    service_request = selectors.request_for_client(request.user, reference)
    form = RatingForm(request.POST)
    if form.is_valid():
        rated = call_service(form, lambda: form.rate(service_request, actor=request.user))
        if rated is not None:
            messages.success(request, _("Thank you for rating the service."))
            return redirect("programs:my_request", reference=reference)
    return _render_request(request, service_request, rating_form=form, status=400)


@never_cache
@login_required
@require_GET
def my_request_download(request, reference, pk):
    """A file of the thread, to the enterprise's members: one uploaded with a message, or a
    library document's version (whose download is logged, as on the documents page)."""
    attachment = selectors.attachment_of(selectors.request_for_client(request.user, reference), pk, internal=False)
    return attachment_response(request, attachment)


# --- The signed rating link ------------------------------------------------------------------


def _link_refused(request, error: DomainError):
    return render(request, "programs/centres/rate.html", {"problem": error.message}, status=error.status)


@never_cache
@require_http_methods(["GET", "POST"])
def rating_link(request, token):
    """The completion e-mail's link: the service and the request's reference (nothing of its
    thread), and the rating form, for whoever holds the link; it works once."""
    try:
        service_request = services.request_for_rating(token)
    except DomainError as error:
        return _link_refused(request, error)
    form = RatingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not ratelimit.consume(
            request, app="programs.centres", action="service_rating_link", config=RATING_LINK_LIMITS
        ):
            return ratelimit.respond_429(request)
        if form.is_valid():
            try:
                rated = call_service(form, lambda: form.rate(service_request, token=token))
            except DomainError as error:  # spent meanwhile: a 404, not a form error
                return _link_refused(request, error)
            if rated is not None:
                return redirect("programs:rating_thanks")
    context = {"service_request": service_request, "form": form}
    return render(request, "programs/centres/rate.html", context, status=400 if form.is_bound else 200)


@require_GET
def rating_thanks(request):
    return render(request, "programs/centres/rate.html", {"thanked": True})
