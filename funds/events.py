"""The fund's domain events: one kind per declared deal transition, named after it, and the
events of the committee and of the priority windows. None reaches partners' webhooks: a round
is confidential while the fund's priority window runs, and a deal is the fund's own business."""

from enum import StrEnum

from .workflow import TRANSITIONS

DealEventKind = StrEnum("DealEventKind", {name.upper(): f"deal.{name}" for name in TRANSITIONS})


class FundEventKind(StrEnum):
    DEAL_SOURCED = "deal.sourced"
    VOTE_CLOSED = "committee.vote_closed"
    ROUND_RECORDED = "round.recorded"
    WINDOW_OPENED = "window.opened"
    WINDOW_EXERCISED = "window.exercised"
    WINDOW_WAIVED = "window.waived"
    WINDOW_EXPIRED = "window.expired"
    WINDOW_REVIVED = "window.revived"
    WINDOW_ENDING = "window.ending"


def transition_kind(name: str) -> DealEventKind:
    return DealEventKind(f"deal.{name}")
