"""The centre staff's page of one service request, and what they do on it: take it or give it to
a colleague (the lead), take the steps its state allows, tick the fulfilment checklist, write to
the enterprise or add an internal note, download the thread's files.

Only the request's own centre sees it (its staff, and its program officers, who lead it); for
anyone else it does not exist (404). The SLA clocks are read afresh from the state log on every
view, and the log is shown with the business time each stretch counted or paused, so the figures
explain themselves.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from enterprises.forms.documents import RefusedUploadMixin
from enterprises.uploads import refused_upload
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.forms import act_on_form

from .. import display, selectors, services, sla
from ..downloads import attachment_response
from ..staff_forms import STEP_FORMS, AssignForm, MessageForm, StepDoneForm
from ..workflow import CENTRE_STATE_LABELS, OPEN_STATES, STATE_HELP, TRANSITIONS, WORKFLOW, Side


def _page(service_request, fragment="") -> HttpResponseRedirect:
    url = reverse("programs:centre_request", args=[service_request.reference])
    return HttpResponseRedirect(f"{url}#{fragment}" if fragment else url)


def _render(request, service_request, *, bound=None, status=200):
    """The page; ``bound`` is one of its forms sent with errors, shown in place of its blank one."""
    now = timezone.now()
    policy = sla.Policy.from_json(service_request.sla)
    log = list(selectors.state_log(service_request))
    clocks = services.clocks_of(service_request, log, now=now)
    is_open = service_request.state in OPEN_STATES
    actions = []
    for transition in WORKFLOW.by(Side.CENTRE, service_request.state):
        mine = getattr(bound, "transition", None) == transition.name
        form = bound if mine else STEP_FORMS[transition.name](service_request=service_request)
        actions.append({"transition": transition, "form": form})
    assign_form = None
    if is_open and selectors.is_centre_lead(request.user, service_request.unit_id):
        assign_form = bound if isinstance(bound, AssignForm) else AssignForm(service_request=service_request)
    steps = display.step_rows(policy, service_request, selectors.request_steps(service_request), now)
    message_form = None
    if is_open:
        message_form = bound if isinstance(bound, MessageForm) else MessageForm(service_request=service_request)
    return render(
        request,
        "programs/centres/staff/request.html",
        {
            "service_request": service_request,
            "state_label": CENTRE_STATE_LABELS[service_request.state],
            "state_help": STATE_HELP[service_request.state],
            "documents": list(selectors.request_documents(service_request)),
            "clocks": display.clock_views(clocks),
            "paused_on_client": display.duration(clocks.paused_on_client),
            "paused_on_third_party": display.duration(clocks.paused_on_third_party),
            "business_hours": display.hours_in_words(policy),
            "calendar_rule": display.closed_days_note(policy.calendar),
            "log": display.log_rows(policy, log, now),
            "steps": steps,
            "steps_done": sum(1 for row in steps if row["step"].done_at),
            "is_open": is_open,
            "actions": actions,
            "may_take": is_open and service_request.assignee_id != request.user.pk,
            "assign_form": assign_form,
            "thread": list(selectors.thread(service_request, internal=True)),
            "message_form": message_form,
            "rating": selectors.rating_of(service_request),
        },
        status=status,
    )


@login_required
@require_GET
def request_page(request, reference):
    return _render(request, selectors.request_for_centre(request.user, reference))


def _act(request, service_request, form, done: str, fragment=""):
    return act_on_form(
        request,
        form,
        lambda: form.perform(request.user),
        done=done,
        back=_page(service_request, fragment),
        page=lambda bound: _render(request, service_request, bound=bound, status=400),
    )


@login_required
@require_POST
def request_action(request, reference, transition):
    """Take one of the centre's steps. What was typed wrong shows on its form; a request that
    changed meanwhile (a colleague acted first) is a message on the page drawn afresh."""
    form_class = STEP_FORMS.get(transition)
    if form_class is None:
        raise Http404
    service_request = selectors.request_for_centre(request.user, reference)
    extra = {"upload_refused": refused_upload(request)} if issubclass(form_class, RefusedUploadMixin) else {}
    form = form_class(request.POST, request.FILES, service_request=service_request, **extra)
    done = _("Done: “%(step)s” on %(reference)s.") % {"step": TRANSITIONS[transition].label, "reference": reference}
    return _act(request, service_request, form, done)


@login_required
@require_POST
def request_message(request, reference):
    """A reply to the enterprise, or an internal note, with files."""
    service_request = selectors.request_for_centre(request.user, reference)
    form = MessageForm(
        request.POST, request.FILES, service_request=service_request, upload_refused=refused_upload(request)
    )
    internal = request.POST.get(form.add_prefix("visibility")) == "internal"
    done = _("Your internal note is added.") if internal else _("Your reply is sent to the enterprise.")
    return _act(request, service_request, form, done, fragment="thread")


@login_required
@require_POST
def request_assign(request, reference):
    """The centre's lead gives the request to one of the centre's staff."""
    service_request = selectors.request_for_centre(request.user, reference)
    form = AssignForm(request.POST, service_request=service_request)
    done = _("%(reference)s is given to its new assignee.") % {"reference": reference}
    return _act(request, service_request, form, done)


def _message_on_conflict(request, perform) -> bool:
    """Call ``perform()``; a request closed meanwhile (409) is a message, any other refusal is
    the middleware's to answer. Whether it was done."""
    try:
        perform()
    except DomainError as err:
        if err.status != 409:
            raise
        messages.error(request, err.message)
        return False
    return True


@login_required
@require_POST
def request_take(request, reference):
    """A member of the centre takes the request for themselves."""
    service_request = selectors.request_for_centre(request.user, reference)
    if _message_on_conflict(
        request, lambda: services.assign(actor=request.user, request=service_request, assignee=request.user)
    ):
        messages.success(request, _("You now handle %(reference)s.") % {"reference": reference})
    return _page(service_request)


@login_required
@require_POST
def request_step(request, reference, step):
    """Tick or untick one of the fulfilment steps."""
    service_request = selectors.request_for_centre(request.user, reference)
    form = StepDoneForm(request.POST)
    done = form.is_valid() and form.cleaned_data["done"]
    if _message_on_conflict(
        request,
        lambda: services.set_step_done(actor=request.user, request=service_request, step_id=step, done=done),
    ):
        messages.success(request, _("The checklist is updated."))
    return _page(service_request, "steps")


@never_cache
@login_required
@require_GET
def request_attachment(request, reference, pk):
    """A file of the thread, internal notes' included: the centre reads them all."""
    service_request = selectors.request_for_centre(request.user, reference)
    return attachment_response(request, selectors.attachment_of(service_request, pk, internal=True))
