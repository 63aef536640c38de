"""Who is told of each step of an application, and what they read (``core.events`` kinds).

Applicants (every member of the enterprise) hear of the steps that concern them; officers
of the call's unit hear of the steps that need them. Messages are built in the recipient's
language (``core.notifications.deliver`` calls ``message`` under it).
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core import events

from .events import CallEventKind, ReminderKind, ReviewEventKind, event_kind
from .selectors import is_unit_officer
from .workflow import STATE_HELP, TRANSITIONS, Status

#: The steps each audience is told of.
TELL_APPLICANTS = frozenset(
    {
        "submit",
        "pass_screening",
        "override_flag",
        "request_info",
        "reject_ineligible",
        "approve",
        "waitlist",
        "reject",
        "offer_place",
        "admit",
        "fail_onboarding",
    }
)
TELL_OFFICERS = frozenset({"flag", "respond", "withdraw", "complete_reviews", "accept_offer"})

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
    "complete_reviews": _("Every review of an application is in"),
    "approve": _("An application was approved"),
    "waitlist": _("An application was put on the waiting list"),
    "reject": _("An application was declined"),
    "offer_place": _("A place was offered from the waiting list"),
    "accept_offer": _("An applicant accepted a place"),
    "admit": _("An enterprise was admitted"),
    "fail_onboarding": _("An onboarding was ended"),
}


REMINDER_LABELS = {
    ReminderKind.INFO_DUE_SOON: _("A deadline for more information is near"),
    ReminderKind.INFO_OVERDUE: _("A deadline for more information has passed"),
    ReminderKind.REVIEW_DUE_SOON: _("A review is due soon"),
    ReminderKind.REVIEW_OVERDUE: _("A review is overdue"),
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


def assigned_reviewer(event):
    return get_user_model().objects.filter(review_assignments__pk=event.target_id)


def assignment_officers(event):
    return get_user_model().objects.filter(
        unit__applications__assignments__pk=event.target_id, groups__name=Role.PROGRAM_OFFICER, is_active=True
    )


def reviewer_and_officers(event):
    return [*assigned_reviewer(event), *assignment_officers(event)]


def review_message(event, user) -> events.Message:
    """A reviewer's assignment, and its reminders: the reviewer is asked to review, the unit's
    officers are told a review is overdue."""
    reference = event.payload["reference"]
    due = formats.date_format(parse_date(event.payload["due_on"]), "DATE_FORMAT")
    mine = str(user.pk) == str(event.payload.get("reviewer"))
    if not mine:
        title = _("%(reference)s: a review is overdue") % {"reference": reference}
        body = _("A reviewer has not submitted the review due %(due)s. You can replace the reviewer.")
        url = reverse("programs:staff_application", args=[reference])
    else:
        url = reverse("programs:review", args=[event.target_id])
        if event.kind == ReviewEventKind.ASSIGNED:
            title = _("%(reference)s: a review for you, due %(due)s") % {"reference": reference, "due": due}
            body = _("Declare any conflict of interest, then score the application by %(due)s.")
        elif event.kind == ReminderKind.REVIEW_DUE_SOON:
            title = _("%(reference)s: your review is due %(due)s") % {"reference": reference, "due": due}
            body = _("Your review is due in two working days, on %(due)s.")
        else:
            title = _("%(reference)s: your review is overdue") % {"reference": reference}
            body = _("Your review was due %(due)s. Submit it, or tell the officer if you cannot.")
    return events.Message(title=str(title), body=str(body % {"due": due}), url=url)


def shortfall_message(event, user) -> events.Message:
    payload = event.payload
    title = _("%(reference)s: %(missing)s review places could not be filled") % payload
    body = (
        _(
            "The call's panel has %(panel)s reviewers: %(already)s were already assigned this application and "
            "%(conflicted)s have a conflict of interest with the enterprise. Add reviewers to the panel or assign "
            "one by hand."
        )
        % payload
    )
    return events.Message(
        title=str(title), body=str(body), url=reverse("programs:staff_application", args=[payload["reference"]])
    )


def register() -> None:
    for name in TRANSITIONS:
        audience = applicant_members if name in TELL_APPLICANTS else unit_officers if name in TELL_OFFICERS else None
        events.register_kind(
            event_kind(name), label=LABELS[name], recipients=audience, message=message if audience else None
        )
    reminders = {ReminderKind.INFO_DUE_SOON: applicant_members, ReminderKind.INFO_OVERDUE: applicants_and_officers}
    for kind, audience in reminders.items():
        events.register_kind(kind, label=REMINDER_LABELS[kind], recipients=audience, message=reminder_message)
    events.register_kind(
        ReviewEventKind.ASSIGNED,
        label=_("A review was assigned to you"),
        recipients=assigned_reviewer,
        message=review_message,
    )
    events.register_kind(
        ReminderKind.REVIEW_DUE_SOON,
        label=REMINDER_LABELS[ReminderKind.REVIEW_DUE_SOON],
        recipients=assigned_reviewer,
        message=review_message,
    )
    events.register_kind(
        ReminderKind.REVIEW_OVERDUE,
        label=REMINDER_LABELS[ReminderKind.REVIEW_OVERDUE],
        recipients=reviewer_and_officers,
        message=review_message,
    )
    # Partners hear of these through their webhooks; nobody in the portal is notified.
    events.register_kind(CallEventKind.OPENED, label=_("A call opened"))
    events.register_kind(CallEventKind.CLOSING, label=_("A call closes in three days"))
    events.register_kind(
        ReviewEventKind.REVIEWERS_SHORT,
        label=_("Review places could not be filled"),
        recipients=unit_officers,
        message=shortfall_message,
    )
