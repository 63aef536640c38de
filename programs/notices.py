"""Who is told of each step of an application, and what they read (``core.events`` kinds).

Applicants (every member of the enterprise) hear of the steps that concern them; officers
of the call's unit hear of the steps that need them. Messages are built in the recipient's
language (``core.notifications.deliver`` calls ``message`` under it).
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core import events

from .events import ReminderKind, event_kind
from .selectors import is_unit_officer
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


REMINDER_LABELS = {
    ReminderKind.INFO_DUE_SOON: _("A deadline for more information is near"),
    ReminderKind.INFO_OVERDUE: _("A deadline for more information has passed"),
}


def applicant_members(event):
    """Every member of the applying enterprise (one query)."""
    return list(get_user_model().objects.filter(memberships__enterprise__applications__pk=event.target_id))


def unit_officers(event):
    if event.payload.get("from") == Status.DRAFT and event.payload.get("to") == Status.WITHDRAWN:
        return []  # a draft never submitted concerns nobody at the unit
    return get_user_model().objects.filter(
        unit__applications__pk=event.target_id, groups__name=Role.PROGRAM_OFFICER, is_active=True
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


def applicants_and_officers(event):
    return [*applicant_members(event), *unit_officers(event)]


def reminder_message(event, user) -> events.Message:
    """A reminder of a request for more information: the applicant is asked to answer it, the
    unit's officers are told it is overdue."""
    reference = event.payload["reference"]
    due = formats.date_format(timezone.localtime(parse_datetime(event.payload["due_at"])), "DATETIME_FORMAT")
    officer = is_unit_officer(user)
    url = reverse("programs:staff_application" if officer else "programs:application", args=[reference])
    if event.kind == ReminderKind.INFO_DUE_SOON:
        title = _("%(reference)s: more information due %(due)s") % {"reference": reference, "due": due}
        body = _(
            "An officer asked for more information by %(due)s (Hong Kong time). Answer it on the application's page."
        )
    elif officer:
        title = _("%(reference)s: the information asked for is overdue") % {"reference": reference}
        body = _(
            "The applicant has not answered the request for more information due %(due)s. Decide what happens next."
        )
    else:
        title = _("%(reference)s: the information asked for is overdue") % {"reference": reference}
        body = _(
            "The deadline of %(due)s for the information an officer asked for has passed. You can still answer "
            "on the application's page; the officer decides what happens next."
        )
    return events.Message(title=str(title), body=str(body % {"due": due}), url=url)


def register() -> None:
    for name in TRANSITIONS:
        audience = applicant_members if name in TELL_APPLICANTS else unit_officers if name in TELL_OFFICERS else None
        events.register_kind(
            event_kind(name), label=LABELS[name], recipients=audience, message=message if audience else None
        )
    reminders = {ReminderKind.INFO_DUE_SOON: applicant_members, ReminderKind.INFO_OVERDUE: applicants_and_officers}
    for kind, audience in reminders.items():
        events.register_kind(kind, label=REMINDER_LABELS[kind], recipients=audience, message=reminder_message)
