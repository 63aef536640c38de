"""Who is told of the fund's events, and in which words (each reader's language)."""

from django.utils.translation import gettext_lazy as _

from hkhz_portal.core import events

from .events import FundEventKind, transition_kind
from .workflow import TRANSITIONS

OTHER_LABELS = {
    FundEventKind.DEAL_SOURCED: _("A deal entered the fund's pipeline"),
    FundEventKind.VOTE_CLOSED: _("A committee vote closed"),
    FundEventKind.ROUND_RECORDED: _("An enterprise recorded a financing round"),
    FundEventKind.WINDOW_OPENED: _("A priority window opened"),
    FundEventKind.WINDOW_EXERCISED: _("The fund exercised a priority window"),
    FundEventKind.WINDOW_WAIVED: _("The fund waived a priority window"),
    FundEventKind.WINDOW_EXPIRED: _("A priority window expired"),
    FundEventKind.WINDOW_REVIVED: _("A priority window revived on better terms"),
    FundEventKind.WINDOW_ENDING: _("A priority window ends soon"),
}


def register():
    for name, transition in TRANSITIONS.items():
        events.register_kind(transition_kind(name), label=transition.label)
    for kind, label in OTHER_LABELS.items():
        events.register_kind(kind, label=label)
