"""The audit trail's names for what happens in the fund, declared once."""

from enum import StrEnum


class AuditAction(StrEnum):
    DEAL_SOURCED = "deal.sourced"
    DEAL_TRANSITION = "deal.transition"
    DEAL_LEAD = "deal.lead"
    DEAL_NOTE = "deal.note"
    DEAL_DOCUMENT = "deal.document"
    CHECKLIST_ITEM = "deal.checklist_item"
    CHECKLIST_SIGNED_OFF = "deal.checklist_signed_off"
    MEETING_CONVENED = "committee.meeting_convened"
    AGENDA_CHANGED = "committee.agenda_changed"
    CONFLICT_DECLARED = "committee.conflict_declared"
    VOTE_CAST = "committee.vote_cast"
    VOTE_CLOSED = "committee.vote_closed"
    CONDITION_MET = "committee.condition_met"
    CAPITAL_RECORDED = "fund.capital_recorded"
    INVESTMENT_RECORDED = "deal.investment_recorded"
    EXIT_RECORDED = "deal.exit_recorded"
    ROUND_RECORDED = "round.recorded"
    ROUND_OFFERED = "round.offered"
    WINDOW_OPENED = "window.opened"
    WINDOW_ENDED = "window.ended"
