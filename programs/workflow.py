"""The admission workflow, declared once: its states, its transitions, who takes each and from where.

Services run a transition by its name (``services.applications``); pages and the API offer
only the transitions ``available`` for the user and the application's state; the officer
help page draws itself from ``STATES`` and ``TRANSITIONS``. Nothing else restates them.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.workflow import Transition, Workflow


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screening")
    NEEDS_ATTENTION = "needs_attention", _("Needs an officer's attention")
    IN_REVIEW = "in_review", _("In review")
    MORE_INFO_REQUESTED = "more_info_requested", _("More information requested")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    ONBOARDING = "onboarding", _("Onboarding")
    ADMITTED = "admitted", _("Admitted")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Actor(StrEnum):
    """Who may take a transition: a member of the applying enterprise, an officer of the call's
    unit, or the portal itself (a worker)."""

    APPLICANT = "applicant"
    OFFICER = "officer"
    SYSTEM = "system"


ACTOR_LABELS = {
    Actor.APPLICANT: _("the applicant"),
    Actor.OFFICER: _("a program officer of the call's unit"),
    Actor.SYSTEM: _("the portal (a background step)"),
}

#: What each state means, for the applicant's status page and the officer help page.
STATE_HELP = {
    Status.DRAFT: _("Being written; only the enterprise's members see it."),
    Status.SUBMITTED: _("Sent; waiting for the automatic screening to start."),
    Status.SCREENING: _("Being checked for completeness, eligibility, identifiers, documents and duplicates."),
    Status.NEEDS_ATTENTION: _("Screening found a problem: an officer decides what happens next."),
    Status.IN_REVIEW: _("Passed screening; being assessed by the review panel."),
    Status.MORE_INFO_REQUESTED: _("An officer asked the applicant for more information before going on."),
    Status.REVIEWED: _("Every review is in; waiting for a decision."),
    Status.APPROVED: _("Approved for admission."),
    Status.ONBOARDING: _("Completing the admission formalities."),
    Status.ADMITTED: _("Admitted to Hong Kong Science Park."),
    Status.WAITLISTED: _("On the waiting list for a place."),
    Status.REJECTED: _("Not admitted."),
    Status.WITHDRAWN: _("Withdrawn by the applicant."),
}

#: States in which the application is settled: nothing more happens to it.
FINAL_STATES = frozenset({Status.ADMITTED, Status.REJECTED, Status.WITHDRAWN})
#: States in which a worker step is running or due: the status page keeps refreshing.
WORKER_STATES = frozenset({Status.SUBMITTED, Status.SCREENING})
#: States that count as an open application (the "one open application per programme" rule).
OPEN_STATES = frozenset(set(Status) - FINAL_STATES - {Status.DRAFT})
#: States before a decision, from which the applicant may still withdraw.
UNDECIDED_STATES = frozenset(
    {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.SCREENING,
        Status.NEEDS_ATTENTION,
        Status.IN_REVIEW,
        Status.MORE_INFO_REQUESTED,
        Status.REVIEWED,
    }
)

#: States from which the applicant may withdraw: anything short of admission or a final answer.
WITHDRAWABLE_STATES = UNDECIDED_STATES | {Status.APPROVED, Status.ONBOARDING, Status.WAITLISTED}


WORKFLOW = Workflow(
    Status,
    Status.DRAFT,
    [
        Transition(
            "start",
            _("Start"),
            frozenset(),
            Status.DRAFT,
            Actor.APPLICANT,
            _("A member of an enterprise with a current cross-border consent starts a draft while the call is open."),
        ),
        Transition(
            "submit",
            _("Submit"),
            frozenset({Status.DRAFT}),
            Status.SUBMITTED,
            Actor.APPLICANT,
            _("The applicant sends a complete draft, before a fixed call closes (rolling calls take it any time)."),
        ),
        Transition(
            "start_screening",
            _("Start screening"),
            frozenset({Status.SUBMITTED}),
            Status.SCREENING,
            Actor.SYSTEM,
            _("A worker takes the submitted application to screen it."),
        ),
        Transition(
            "pass_screening",
            _("Pass screening"),
            frozenset({Status.SCREENING}),
            Status.IN_REVIEW,
            Actor.SYSTEM,
            _("Every screening check passed."),
        ),
        Transition(
            "flag",
            _("Flag for an officer"),
            frozenset({Status.SCREENING}),
            Status.NEEDS_ATTENTION,
            Actor.SYSTEM,
            _("At least one screening check failed; an officer looks at it."),
        ),
        Transition(
            "override_flag",
            _("Override the screening flag"),
            frozenset({Status.NEEDS_ATTENTION}),
            Status.IN_REVIEW,
            Actor.OFFICER,
            _("The officer accepts the application despite the failed checks, with a recorded reason."),
        ),
        Transition(
            "request_info",
            _("Request more information"),
            frozenset({Status.NEEDS_ATTENTION, Status.IN_REVIEW}),
            Status.MORE_INFO_REQUESTED,
            Actor.OFFICER,
            _("The officer asks a question, reopens chosen answers and sets a deadline."),
        ),
        Transition(
            "respond",
            _("Send the information"),
            frozenset({Status.MORE_INFO_REQUESTED}),
            None,
            Actor.APPLICANT,
            _("The applicant answers; the application returns to the state it was in."),
        ),
        Transition(
            "reject_ineligible",
            _("Reject as ineligible"),
            frozenset({Status.NEEDS_ATTENTION}),
            Status.REJECTED,
            Actor.OFFICER,
            _("The officer confirms the application is not eligible, with reasons for the applicant."),
        ),
        Transition(
            "complete_reviews",
            _("Complete the reviews"),
            frozenset({Status.IN_REVIEW}),
            Status.REVIEWED,
            Actor.SYSTEM,
            _("Every assigned reviewer has submitted a review; the unit's officers are told."),
        ),
        Transition(
            "approve",
            _("Approve"),
            frozenset({Status.REVIEWED}),
            Status.APPROVED,
            Actor.OFFICER,
            _("The officer admits the application, with any conditions and the space allocated."),
        ),
        Transition(
            "waitlist",
            _("Waitlist"),
            frozenset({Status.REVIEWED}),
            Status.WAITLISTED,
            Actor.OFFICER,
            _("The officer puts the application on the call's waiting list, at a place."),
        ),
        Transition(
            "reject",
            _("Reject"),
            frozenset({Status.REVIEWED, Status.WAITLISTED}),
            Status.REJECTED,
            Actor.OFFICER,
            _("The officer declines the application, with reasons for the applicant."),
        ),
        Transition(
            "offer_place",
            _("Offer a freed place"),
            frozenset({Status.WAITLISTED}),
            Status.APPROVED,
            Actor.SYSTEM,
            _("A place freed by an approved application is offered to the first on the waiting list."),
        ),
        Transition(
            "accept_offer",
            _("Accept the place"),
            frozenset({Status.APPROVED}),
            Status.ONBOARDING,
            Actor.APPLICANT,
            _("The applicant accepts the place and its conditions; the onboarding formalities begin."),
        ),
        Transition(
            "admit",
            _("Admit"),
            frozenset({Status.ONBOARDING}),
            Status.ADMITTED,
            Actor.OFFICER,
            _("The officer confirms the formalities are done: tenancy signed, Hong Kong company registered, moved in."),
        ),
        Transition(
            "fail_onboarding",
            _("End the onboarding"),
            frozenset({Status.ONBOARDING}),
            Status.REJECTED,
            Actor.OFFICER,
            _("The formalities were not completed; the place goes to the waiting list."),
        ),
        Transition(
            "withdraw",
            _("Withdraw"),
            WITHDRAWABLE_STATES,
            Status.WITHDRAWN,
            Actor.APPLICANT,
            _("The applicant withdraws the application at any time before admission; a place it held is offered on."),
        ),
    ],
)
TRANSITIONS = WORKFLOW.transitions
transitions_by = WORKFLOW.by
reachable_states = WORKFLOW.reachable_states

#: States holding one of the call's places.
PLACE_STATES = frozenset({Status.APPROVED, Status.ONBOARDING, Status.ADMITTED})
