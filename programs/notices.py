"""Who is told of each step of an application, and what they read (``core.events`` kinds).

Applicants (every member of the enterprise) hear of the steps that concern them; officers
of the call's unit hear of the steps that need them. Messages are built in the recipient's
language (``core.notifications.deliver`` calls ``message`` under it).
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core import events

from .events import event_kind
from .workflow import STATE_HELP, TRANSITIONS, Status

#: The steps each audience is told of.
TELL_APPLICANTS = frozenset({"submit", "pass_screening", "override_flag", "request_info", "reject_ineligible"})
TELL_OFFICERS = frozenset({"flag", "respond", "withdraw"})

LABELS = {
    "start": _("A draft application was started"),
    "submit": _("An application was received"),
    "start_screening": _("Screening started"),
    "pass_screening": _("An application passed screening"),
    "flag": _("Screening flagged an application"),
    "override_flag": _("An officer accepted a flagged application"),
    "request_info": _("An officer asked for more information"),
    "respond": _("An applicant sent the information asked for"),
    "reject_ineligible": _("An application was found ineligible"),
    "withdraw": _("An application was withdrawn"),
}


def _application(event):
    from .models import Application

    return Application.objects.select_related("enterprise").get(pk=event.target_id)


def applicant_members(event):
    application = _application(event)
    return [m.user for m in application.enterprise.memberships.select_related("user")]


def unit_officers(event):
    if event.payload.get("from") == Status.DRAFT and event.payload.get("to") == Status.WITHDRAWN:
        return []  # a draft never submitted concerns nobody at the unit
    application = _application(event)
    return get_user_model().objects.filter(
        unit_id=application.unit_id, groups__name=Role.PROGRAM_OFFICER, is_active=True
    )


def message(event, user) -> events.Message:
    reference = event.payload["reference"]
    status = Status(event.payload["to"])
    name = event.kind.removeprefix("application.")
    staff = name in TELL_OFFICERS
    url = reverse("programs:staff_application" if staff else "programs:application", args=[reference])
    title = _("%(reference)s: %(status)s") % {"reference": reference, "status": status.label}
    body = event.payload.get("note") or STATE_HELP[status]
    return events.Message(title=str(title), body=str(body), url=url)


def register() -> None:
    for name in TRANSITIONS:
        audience = applicant_members if name in TELL_APPLICANTS else unit_officers if name in TELL_OFFICERS else None
        events.register_kind(
            event_kind(name), label=LABELS[name], recipients=audience, message=message if audience else None
        )
