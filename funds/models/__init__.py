"""The transformation fund: its capital, its deal pipeline with due diligence, its investment
committee, and its priority investment windows on the platform enterprises' financing rounds."""

from .committee import AgendaItem, CommitteeMeeting, Condition, ConflictDeclaration, Outcome, Vote, VoteChoice
from .deals import (
    Deal,
    DealDocument,
    DealNote,
    DealStageChange,
    DiligenceArea,
    DiligenceItem,
    DiligenceTemplateItem,
    Exit,
    ExitKind,
    Instrument,
    Investment,
    InvestmentKind,
    ItemStatus,
)
from .fund import CapitalTransaction, Fund, TransactionKind
from .windows import FinancingRound, PriorityWindow, RoundOffer, WindowReminder, WindowState

__all__ = [
    "AgendaItem",
    "CapitalTransaction",
    "CommitteeMeeting",
    "Condition",
    "ConflictDeclaration",
    "Deal",
    "DealDocument",
    "DealNote",
    "DealStageChange",
    "DiligenceArea",
    "DiligenceItem",
    "DiligenceTemplateItem",
    "Exit",
    "ExitKind",
    "FinancingRound",
    "Fund",
    "Instrument",
    "Investment",
    "InvestmentKind",
    "ItemStatus",
    "Outcome",
    "PriorityWindow",
    "RoundOffer",
    "TransactionKind",
    "Vote",
    "VoteChoice",
    "WindowReminder",
    "WindowState",
]
