"""Who is told of each step of a service request, and what they read (``core.events`` kinds).

The enterprise (every member of the requesting enterprise) hears of what the centre does with
its request and of the centre's messages. The centre hears of what the enterprise does: the
request's assignee, or the centre's staff while nobody is assigned; its leads (the centre's
program officers) hear of new requests, SLA reminders, ratings and internal notes too. Nobody is
told of their own doing. An internal note's notice never carries its text and never reaches the
enterprise. Messages are built in the recipient's language (``core.notifications.deliver``
calls ``message`` under it).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core import events

from ..models import ClockName, ServiceRequest
from . import sla
from .events import SLAEventKind, ThreadEventKind, transition_kind
from .selectors import centre_leads, centre_staff
from .services import rating_token
from .workflow import TRANSITIONS, PauseReason

LABELS = {
    "request": _("A service was requested"),
    "accept": _("A service request was accepted"),
    "start_work": _("Work started on a service request"),
    "ask_client": _("A centre asked an enterprise for something"),
    "client_answered": _("An enterprise answered its centre"),
    "wait_third_party": _("A service request waits on a third party"),
    "resume": _("Work resumed on a service request"),
    "complete": _("A service request was completed"),
    "cancel": _("An enterprise cancelled a service request"),
    "decline": _("A centre cancelled a service request"),
}

OTHER_LABELS = {
    ThreadEventKind.MESSAGE: _("A message on a service request"),
    ThreadEventKind.INTERNAL_NOTE: _("An internal note on a service request"),
    ThreadEventKind.ASSIGNED: _("A service request was assigned"),
    ThreadEventKind.RATED: _("A service request was rated"),
    SLAEventKind.AT_RISK: _("A service request is at risk of missing its SLA"),
    SLAEventKind.BREACHED: _("A service request missed its SLA"),
}

#: What the enterprise reads of each step the centre takes: the title, then the body.
CLIENT_STEPS = {
    "accept": (
        _("%(reference)s: accepted by the centre"),
        _("The centre accepted your request for “%(service)s”; work starts soon."),
    ),
    "ask_client": (
        _("%(reference)s: the centre asks you for something"),
        _("%(note)s\n\nAnswer on the request's page: the service clock is paused until you do."),
    ),
    "wait_third_party": (
        _("%(reference)s: waiting on a third party"),
        _("The centre is waiting on %(whom)s: %(note)s\n\nThe service clock is paused until the wait is over."),
    ),
    "resume": (
        _("%(reference)s: work resumed"),
        _("The centre is working on your request for “%(service)s” again."),
    ),
    "complete": (
        _("%(reference)s: completed"),
        _(
            "The centre completed your request for “%(service)s”. How did it go? Rate the service from 1 to 5 "
            "at this link, no sign-in needed:\n%(link)s"
        ),
    ),
    "decline": (
        _("%(reference)s: cancelled by the centre"),
        _("The centre cancelled your request for “%(service)s”: %(note)s"),
    ),
}

#: What the centre reads of each step the enterprise takes (and of a new request).
CENTRE_STEPS = {
    "request": (
        _("%(reference)s: a new request for “%(service)s”"),
        _("%(enterprise)s requested “%(service)s”:\n\n%(details)s"),
    ),
    "client_answered": (
        _("%(reference)s: %(enterprise)s answered"),
        _("%(text)s\n\nThe request is in progress again and its service clock runs."),
    ),
    "cancel": (
        _("%(reference)s: cancelled by %(enterprise)s"),
        _("%(enterprise)s cancelled its request for “%(service)s”: %(note)s"),
    ),
}

#: What the assignee and the leads read of an SLA reminder, by kind and clock.
SLA_TEXTS = {
    (SLAEventKind.AT_RISK, ClockName.RESPONSE): (
        _("%(reference)s: first response at risk"),
        _("The first response to this request is due %(due)s. Answer the enterprise before then."),
    ),
    (SLAEventKind.AT_RISK, ClockName.RESOLUTION): (
        _("%(reference)s: resolution at risk"),
        _("This request is due to be resolved by %(due)s."),
    ),
    (SLAEventKind.BREACHED, ClockName.RESPONSE): (
        _("%(reference)s: first response overdue"),
        _("The first response to this request was due %(due)s. Answer the enterprise as soon as you can."),
    ),
    (SLAEventKind.BREACHED, ClockName.RESOLUTION): (
        _("%(reference)s: resolution overdue"),
        _("This request was due to be resolved by %(due)s."),
    ),
}


def rating_link(request: ServiceRequest) -> str:
    """The completion e-mail's signed rating link, to follow without signing in."""
    return settings.SITE_URL.rstrip("/") + reverse("programs:rating_link", args=[rating_token(request)])


def _request(event) -> ServiceRequest:
    return ServiceRequest.objects.select_related("service", "enterprise").get(pk=event.target_id)


def _others(event, users) -> list:
    """``users`` but the one who acted."""
    return [user for user in users if user.pk != event.actor_id]


def _handlers(request: ServiceRequest):
    """Who works the request: its assignee, or the centre's staff while nobody is assigned."""
    if request.assignee_id is not None:
        return get_user_model().objects.filter(pk=request.assignee_id)
    return centre_staff(request.unit_id)


def enterprise_members(event) -> list:
    users = get_user_model().objects.filter(memberships__enterprise__service_requests__pk=event.target_id)
    return _others(event, users)


def handlers(event) -> list:
    return _others(event, _handlers(_request(event)))


def handlers_and_leads(event) -> list:
    request = _request(event)
    return _others(event, [*_handlers(request), *centre_leads(request.unit_id)])


def thread_readers(event) -> list:
    """A public message: the centre's reaches the enterprise, the enterprise's the centre. A
    message that asks or answers is told of by that step's notice instead."""
    if event.payload.get("step"):
        return []
    return handlers(event) if not event.payload["from_centre"] else enterprise_members(event)


def new_assignee(event) -> list:
    return _others(event, get_user_model().objects.filter(pk=event.payload["assignee"]))


def _facts(request: ServiceRequest) -> dict:
    """What a message may name, in the reader's language."""
    return {
        "reference": request.reference,
        "service": request.service.name,
        "enterprise": request.enterprise.local_name,
    }


def _text(event) -> str:
    """The public message the event is about (the enterprise's answer, for ``client_answered``)."""
    messages = ServiceRequest.objects.get(pk=event.target_id).messages.filter(internal=False)
    if "message" in event.payload:
        messages = messages.filter(pk=event.payload["message"])
    else:
        messages = messages.filter(from_centre=False, created_at__lte=event.created_at).order_by("-created_at", "-id")
    return messages.values_list("body", flat=True).first() or ""


def _message(title, body, facts: dict, url: str) -> events.Message:
    return events.Message(title=str(title % facts), body=str(body % facts), url=url)


def _to_client(request: ServiceRequest, title, body, facts: dict) -> events.Message:
    """A notice for the enterprise, leading to its page of the request."""
    return _message(title, body, facts, reverse("programs:my_request", args=[request.reference]))


def _to_centre(request: ServiceRequest, title, body, facts: dict) -> events.Message:
    """A notice for the centre, leading to its staff's page of the request."""
    return _message(title, body, facts, reverse("programs:centre_request", args=[request.reference]))


def client_step_message(event, user) -> events.Message:
    request = _request(event)
    name = event.kind.removeprefix("service_request.")
    facts = {**_facts(request), "note": event.payload.get("note", "")}
    if name == "wait_third_party":
        facts["whom"] = PauseReason(event.payload["pause_reason"]).label
    if name == "complete":
        facts["link"] = rating_link(request)
    return _to_client(request, *CLIENT_STEPS[name], facts)


def centre_step_message(event, user) -> events.Message:
    request = _request(event)
    name = event.kind.removeprefix("service_request.")
    facts = {**_facts(request), "note": event.payload.get("note", ""), "details": request.details}
    if name == "client_answered":
        facts["text"] = _text(event)
    return _to_centre(request, *CENTRE_STEPS[name], facts)


def thread_message(event, user) -> events.Message:
    request = _request(event)
    facts = {**_facts(request), "text": _text(event)}
    if event.payload["from_centre"]:
        return _to_client(request, _("%(reference)s: a message from the centre"), "%(text)s", facts)
    return _to_centre(request, _("%(reference)s: a message from %(enterprise)s"), "%(text)s", facts)


def internal_note_message(event, user) -> events.Message:
    """A colleague's note, without its text: the reader opens the request to read it."""
    request = _request(event)
    title = _("%(reference)s: a colleague added an internal note")
    return _to_centre(request, title, _("Read it on the request's page."), _facts(request))


def assigned_message(event, user) -> events.Message:
    request = _request(event)
    body = _("The request for “%(service)s” from %(enterprise)s is yours now.")
    return _to_centre(request, _("%(reference)s: assigned to you"), body, _facts(request))


def rated_message(event, user) -> events.Message:
    request = _request(event)
    facts = {**_facts(request), "score": event.payload["score"], "comment": request.rating.comment}
    body = _("%(enterprise)s rated “%(service)s” %(score)s out of 5.")
    if facts["comment"]:
        body = _("%(enterprise)s rated “%(service)s” %(score)s out of 5, saying: %(comment)s")
    return _to_centre(request, _("%(reference)s: rated %(score)s out of 5"), body, facts)


def sla_message(event, user) -> events.Message:
    """Which clock is at risk or breached, and when it is or was due (in the centre's time)."""
    request = _request(event)
    tz = sla.Policy.from_json(request.sla).tz
    due = timezone.localtime(parse_datetime(event.payload["due_at"]), tz)
    facts = {**_facts(request), "due": formats.date_format(due, "DATETIME_FORMAT")}
    return _to_centre(request, *SLA_TEXTS[(event.kind, event.payload["clock"])], facts)


def register():
    for name in TRANSITIONS:
        if name in CLIENT_STEPS:
            audience, message = enterprise_members, client_step_message
        elif name in CENTRE_STEPS:
            audience, message = (handlers_and_leads if name == "request" else handlers), centre_step_message
        else:
            audience, message = None, None
        events.register_kind(transition_kind(name), label=LABELS[name], recipients=audience, message=message)
    told = {
        ThreadEventKind.MESSAGE: (thread_readers, thread_message),
        ThreadEventKind.INTERNAL_NOTE: (handlers_and_leads, internal_note_message),
        ThreadEventKind.ASSIGNED: (new_assignee, assigned_message),
        ThreadEventKind.RATED: (handlers_and_leads, rated_message),
        SLAEventKind.AT_RISK: (handlers_and_leads, sla_message),
        SLAEventKind.BREACHED: (handlers_and_leads, sla_message),
    }
    for kind, label in OTHER_LABELS.items():
        audience, message = told[kind]
        events.register_kind(kind, label=label, recipients=audience, message=message)
