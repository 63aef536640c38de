"""The fund's portfolio and capital: its figures from the capital ledger, committed against
invested over time (a server-side chart with its table), each portfolio company with what the
fund put in and got back; and the forms recording a closing, a follow-on, an exit, and a
commitment or capital call.

Only a fund's managers see these pages (anyone else: 403); a deal of another fund is not found.
The portfolio reads its companies with their investments and exits in three queries whatever
their number.
"""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from djmoney.money import Money

from hkhz_portal.core.charts import line_chart
from hkhz_portal.core.forms import act_on_form

from .. import selectors
from ..portfolio_forms import CapitalForm, ClosingForm, ExitForm, FollowOnForm
from ..services.capital import figures
from ..services.portfolio import left_entirely
from ..workflow import Stage

HUNDRED = Decimal(100)


def portfolio_url(fund, fragment="") -> str:
    url = f"{reverse('funds:portfolio')}?fund={fund.slug}"
    return f"{url}#{fragment}" if fragment else url


def _company(deal, currency) -> dict:
    """What the fund holds of ``deal`` (its investments and exits prefetched): the cost and
    proceeds in the fund's currency, and the ownership now (each investment's, less the share of
    the holding each later exit sold)."""
    investments = list(deal.investments.all())
    exits = list(deal.exits.all())
    ownership = Decimal(0)
    for _day, is_exit, change in sorted(
        [(i.closed_on, False, i) for i in investments] + [(e.exited_on, True, e) for e in exits],
        key=lambda event: event[:2],
    ):
        if is_exit:
            ownership *= 1 - change.stake_sold_percent / HUNDRED
        else:
            ownership = change.ownership_percent
    initial = next((i for i in investments if i.kind == "initial"), None)
    return {
        "deal": deal,
        "instrument": initial.get_instrument_display() if initial else "",
        "invested_on": initial.closed_on if initial else None,
        "cost": Money(sum((i.transaction.fund_amount for i in investments), Decimal("0.00")), currency),
        "follow_ons": len(investments) - (initial is not None),
        "ownership": ownership.quantize(Decimal("0.01")),
        "exits": exits,
        "proceeds": Money(sum((e.transaction.fund_amount for e in exits if e.transaction), Decimal("0.00")), currency),
        "held": not left_entirely(exits),
    }


@login_required
@require_GET
def portfolio(request):
    fund = selectors.managed_fund(request.user, request.GET.get("fund", ""))
    history = selectors.capital_history(fund)
    return render(
        request,
        "funds/portfolio/portfolio.html",
        {
            "fund": fund,
            "figures": figures(fund),
            "chart": line_chart(
                name="capital",
                title=_("Committed and invested over time (%(currency)s)") % {"currency": fund.currency},
                label_heading=_("Date"),
                series=[_("Committed"), _("Invested")],
                rows=[(day, (committed, invested)) for day, committed, invested in history],
                empty_message=_("No capital has been committed or invested yet."),
                value_format="2g",
            ),
            "companies": [_company(deal, fund.currency) for deal in selectors.portfolio_companies(fund)],
        },
    )


def _manager_deal(request, reference):
    if not selectors.is_fund_manager(request.user):
        raise PermissionDenied
    return selectors.deal_for_manager(request.user, reference)


def _form_page(request, *, form, title, lead, submit, back, done, deal=None, unavailable=""):
    """A page with one form; ``unavailable`` (why it cannot be used now) shows instead of it."""

    def page(bound, status=400):
        context = {
            "form": bound,
            "title": title,
            "lead": lead,
            "submit": submit,
            "deal": deal,
            "back_url": back,
            "unavailable": unavailable,
        }
        return render(request, "funds/portfolio/form.html", context, status=status)

    if request.method == "GET" or unavailable:
        return page(form, status=200 if request.method == "GET" else 409)
    return act_on_form(request, form, lambda: form.perform(request.user), done=done, back=redirect(back), page=page)


def _deal_form_page(request, reference, form_class, *, unavailable, done, **texts):
    """The page of a form recording something on one of the manager's deals (``done`` has a
    ``%(reference)s``; ``unavailable(deal)`` says why it cannot be recorded now, or ``""``)."""
    deal = _manager_deal(request, reference)
    return _form_page(
        request,
        form=form_class(request.POST or None, deal=deal),
        back=portfolio_url(deal.fund, f"company-{deal.reference}"),
        done=done % {"reference": deal.reference},
        deal=deal,
        unavailable=unavailable(deal),
        **texts,
    )


def _not_closing(deal) -> str:
    """Why ``deal`` cannot be closed now, or ``""``."""
    if deal.stage != Stage.CLOSING:
        return _("Only a deal at “%(stage)s” is closed; this one is at “%(current)s”.") % {
            "stage": Stage.CLOSING.label,
            "current": deal.get_stage_display(),
        }
    return ""


def _not_holding(deal) -> str:
    """Why a follow-on or an exit cannot be recorded on ``deal`` now, or ``""``."""
    if deal.stage != Stage.PORTFOLIO:
        return _("Only a portfolio company takes follow-ons and exits.")
    if left_entirely(deal.exits.all()):
        return _("The fund has left this company entirely.")
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def record_closing(request, reference):
    return _deal_form_page(
        request,
        reference,
        ClosingForm,
        title=_("Record the closing"),
        lead=_("The investment as signed: the deal becomes a portfolio company and the amount counts as invested."),
        submit=_("Record the closing"),
        done=_("%(reference)s is closed: a portfolio company."),
        unavailable=_not_closing,
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_on(request, reference):
    return _deal_form_page(
        request,
        reference,
        FollowOnForm,
        title=_("Record a follow-on"),
        lead=_("A further investment in this portfolio company, with the fund's ownership after it."),
        submit=_("Record the follow-on"),
        done=_("The follow-on in %(reference)s is recorded."),
        unavailable=_not_holding,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_exit(request, reference):
    return _deal_form_page(
        request,
        reference,
        ExitForm,
        title=_("Record an exit"),
        lead=_("The fund sells some or all of its holding, or writes it off."),
        submit=_("Record the exit"),
        done=_("The exit from %(reference)s is recorded."),
        unavailable=_not_holding,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_capital(request):
    fund = selectors.managed_fund(request.user, request.GET.get("fund", ""))
    return _form_page(
        request,
        form=CapitalForm(request.POST or None, fund=fund),
        title=_("Record a commitment or a capital call"),
        lead=_("An investor's commitment to the fund, or capital the fund called from its investors."),
        submit=_("Record"),
        back=portfolio_url(fund, "figures"),
        done=_("The capital is recorded."),
    )
