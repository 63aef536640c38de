"""The fund managers' pipeline board: a column per stage with a card per deal, the steps each
deal may take now (those still waiting on a gate shown disabled, with the reason), sourcing a
deal, and one step of a deal posted from the board or the deal page.

Only a fund's managers see the board (anyone else: 403); a deal of another fund is not found.
With htmx a step answers with the board's fragment, swapped in place; without it, a redirect to
the page the step was taken from. The board reads its deals in one query whatever their number
(``selectors.board_deals`` annotates the gates), and is read after the step is taken.
"""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hkhz_portal.core.forms import act_on_form
from hkhz_portal.core.navigation import safe_next
from hkhz_portal.core.pagination import page_query

from .. import selectors
from ..board_forms import SourceForm, StepForm
from ..gates import blocked
from ..services.deals import TAKEN_OTHERWISE
from ..workflow import BOARD_STAGES, NEEDS_REASON, STAGE_HELP, TRANSITIONS, WORKFLOW, Side, Stage

#: Declined deals per page of their list.
DECLINED_PAGE_SIZE = 25


def board_url(fund) -> str:
    return f"{reverse('funds:board')}?fund={fund.slug}"


class Board:
    """The board as drawn, read when the template first asks for it: after the step is taken.

    A column shows the ``COLUMN_CAP`` deals longest in their stage, and says how many more there
    are; ``expanded`` (a stage) shows all of its column."""

    COLUMN_CAP = 20

    def __init__(self, fund, *, expanded=None):
        self.fund = fund
        self.expanded = expanded

    @cached_property
    def columns(self) -> list[dict]:
        now = timezone.now()
        cards = {stage: [] for stage in BOARD_STAGES}
        for deal in selectors.board_deals(self.fund):
            steps = [
                {"transition": t, "blocked": blocked(deal, t.name)}
                for t in WORKFLOW.by(Side.FUND, deal.stage)
                if t.name not in TAKEN_OTHERWISE and t.name not in NEEDS_REASON
            ]
            cards[deal.stage].append(
                {
                    "deal": deal,
                    "days": (now - deal.stage_changed_at).days,
                    "steps": steps,
                    "may_close": deal.stage == Stage.CLOSING,
                    "may_decline": deal.stage != Stage.PORTFOLIO,
                }
            )
        columns = []
        for stage in BOARD_STAGES:
            shown = cards[stage] if stage == self.expanded else cards[stage][: self.COLUMN_CAP]
            columns.append(
                {
                    "stage": stage,
                    "label": stage.label,
                    "help": STAGE_HELP[stage],
                    "count": len(cards[stage]),
                    "cards": shown,
                    "more": len(cards[stage]) - len(shown),
                }
            )
        return columns

    @cached_property
    def declined_count(self) -> int:
        return selectors.declined_deals(self.fund).count()


def _board(request, fund, *, step_form=None, status=200) -> TemplateResponse:
    """The board: its fragment alone for htmx, else the page."""
    template = "funds/board/_board.html" if request.htmx else "funds/board/board.html"
    expanded = request.GET.get("stage", "")
    context = {
        "fund": fund,
        "board": Board(fund, expanded=expanded if expanded in BOARD_STAGES else None),
        "board_url": board_url(fund),
        "step_form": step_form,
        "decline_label": TRANSITIONS["decline"].label,
    }
    if not request.htmx:
        context["funds"] = list(selectors.funds_of(request.user))
        if request.GET.get("show") == "declined":
            paginator = Paginator(selectors.declined_deals(fund), DECLINED_PAGE_SIZE)
            context["declined"] = paginator.get_page(request.GET.get("page"))
            context["query"] = page_query(request)
    return TemplateResponse(request, template, context, status=status)


@login_required
@require_GET
def board(request):
    return _board(request, selectors.managed_fund(request.user, request.GET.get("fund", "")))


def _next(request, fund) -> str:
    return safe_next(request) or board_url(fund)


@login_required
@require_POST
def step(request, reference):
    """One step of a deal. What was sent wrong (a decline without its reason) shows above the
    board, or on the page the step came from; a deal moved meanwhile is a message there."""
    if not selectors.is_fund_manager(request.user):
        raise PermissionDenied
    deal = selectors.deal_for_manager(request.user, reference)
    form = StepForm(request.POST, deal=deal)
    transition = TRANSITIONS.get(request.POST.get("name", ""))
    done = _("Done: “%(step)s” on %(reference)s.") % {
        "step": transition.label if transition else "",
        "reference": deal.reference,
    }
    next_url = _next(request, deal.fund)
    from_board = next_url.split("?")[0] == reverse("funds:board")
    back = _board(request, deal.fund) if request.htmx else redirect(next_url)

    def page(bound):
        if request.htmx or from_board:
            return _board(request, deal.fund, step_form=bound, status=200 if request.htmx else 400)
        for errors in bound.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(next_url)

    return act_on_form(request, form, lambda: form.perform(request.user), done=done, back=back, page=page)


@login_required
@require_http_methods(["GET", "POST"])
def source(request):
    """Put an enterprise in the pipeline: search, choose, say what for."""
    fund = selectors.managed_fund(request.user, request.GET.get("fund", ""))
    q = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()
    form = SourceForm(request.POST or None, fund=fund, q=q)

    def page(bound, status=400):
        return render(request, "funds/board/source.html", {"fund": fund, "form": bound, "q": q}, status=status)

    if request.method == "GET":
        return page(form, status=200)
    done = _("The deal is in the pipeline, at “%(stage)s”.") % {"stage": Stage.SOURCED.label}
    return act_on_form(
        request, form, lambda: form.perform(request.user), done=done, back=redirect(board_url(fund)), page=page
    )
