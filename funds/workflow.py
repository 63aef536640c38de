"""A deal's life in the fund's pipeline, declared once (``hkhz_portal.core.workflow``): its
stages, its transitions, who takes each and from where.

The services (``funds.services.deals``) take a transition by its name; the board, the deal page
and the help draw themselves from ``WORKFLOW``. Some transitions have a gate besides the stage
(the checklist signed off, the committee's approval and its conditions met, the closing
recorded): ``funds.services.deals.gate`` says which, and why not yet.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hkhz_portal.core.workflow import Transition, Workflow


class Stage(models.TextChoices):
    SOURCED = "sourced", pgettext_lazy("deal stage", "Sourced")
    SCREENING = "screening", pgettext_lazy("deal stage", "Screening")
    DUE_DILIGENCE = "due_diligence", pgettext_lazy("deal stage", "Due diligence")
    COMMITTEE = "committee", pgettext_lazy("deal stage", "Investment committee")
    TERM_SHEET = "term_sheet", pgettext_lazy("deal stage", "Term sheet")
    CLOSING = "closing", pgettext_lazy("deal stage", "Closing")
    PORTFOLIO = "portfolio", pgettext_lazy("deal stage", "Portfolio")
    DECLINED = "declined", pgettext_lazy("deal stage", "Declined")


class Side(StrEnum):
    """Who takes a transition: the fund's managers, or the portal itself (a committee's
    rejection declines the deal)."""

    FUND = "fund"
    SYSTEM = "system"


class Source(models.TextChoices):
    """Where a deal came from."""

    ADMISSION = "admission", _("Admitted to Science Park")
    REQUEST = "request", _("The enterprise's request for investment")
    STAFF = "staff", _("Sourced by the fund")


#: The stages a deal is still moving through; a portfolio company is invested, a declined deal over.
OPEN_STAGES = frozenset(
    {Stage.SOURCED, Stage.SCREENING, Stage.DUE_DILIGENCE, Stage.COMMITTEE, Stage.TERM_SHEET, Stage.CLOSING}
)
FINAL_STAGES = frozenset({Stage.PORTFOLIO, Stage.DECLINED})
#: The board's columns, in pipeline order (declined deals are listed apart).
BOARD_STAGES = [stage for stage in Stage if stage != Stage.DECLINED]

STAGE_HELP = {
    Stage.SOURCED: _("In the pipeline; nobody has looked at it yet."),
    Stage.SCREENING: _("A fund manager checks that it fits the fund's mandate."),
    Stage.DUE_DILIGENCE: _("The financial, legal, IP, regulatory and team checklist is worked through and signed off."),
    Stage.COMMITTEE: _("On the investment committee's agenda; the members vote."),
    Stage.TERM_SHEET: _("Approved: the terms are negotiated with the enterprise."),
    Stage.CLOSING: _("Terms agreed: the investment documents are signed and the money paid."),
    Stage.PORTFOLIO: _("Invested: a portfolio company, with follow-ons and exits."),
    Stage.DECLINED: _("Not taken forward, with the reason recorded."),
}

#: Transitions that need a written reason.
NEEDS_REASON = frozenset({"decline"})

WORKFLOW = Workflow(
    Stage,
    Stage.SOURCED,
    [
        Transition(
            "screen",
            _("Start screening"),
            frozenset({Stage.SOURCED}),
            Stage.SCREENING,
            Side.FUND,
            _("A fund manager takes the deal up."),
        ),
        Transition(
            "start_diligence",
            _("Start due diligence"),
            frozenset({Stage.SCREENING}),
            Stage.DUE_DILIGENCE,
            Side.FUND,
            _("The due-diligence checklist is drawn from the fund's templates."),
        ),
        Transition(
            "to_committee",
            _("Put to the committee"),
            frozenset({Stage.DUE_DILIGENCE}),
            Stage.COMMITTEE,
            Side.FUND,
            _("Once every checklist item is signed off."),
        ),
        Transition(
            "issue_term_sheet",
            _("Issue the term sheet"),
            frozenset({Stage.COMMITTEE}),
            Stage.TERM_SHEET,
            Side.FUND,
            _("Once the committee approved and each condition precedent is met."),
        ),
        Transition(
            "start_closing",
            _("Start closing"),
            frozenset({Stage.TERM_SHEET}),
            Stage.CLOSING,
            Side.FUND,
            _("The enterprise accepted the terms."),
        ),
        Transition(
            "close",
            _("Record the closing"),
            frozenset({Stage.CLOSING}),
            Stage.PORTFOLIO,
            Side.FUND,
            _("The amount, instrument, pre-money valuation and ownership are recorded."),
        ),
        Transition(
            "decline",
            _("Decline"),
            OPEN_STAGES,
            Stage.DECLINED,
            Side.FUND,
            _("At any stage, with a reason."),
        ),
        Transition(
            "committee_rejected",
            _("Rejected by the committee"),
            frozenset({Stage.COMMITTEE}),
            Stage.DECLINED,
            Side.SYSTEM,
            _("The committee's vote closed with a rejection."),
        ),
    ],
)
TRANSITIONS = WORKFLOW.transitions
