"""The enterprise's side of the fund: its funding page (its requests for investment, each with a
status and, declined, the fund's reason; its financing rounds with each fund's priority window),
asking a fund to invest, recording a round, and a round's page with its offers to other
investors.

Every page is reached through the member's enterprises (``enterprises.selectors.enterprise_of``):
anyone else's, the fund's own staff included, is 404. Nothing of the fund's internal record
(notes, checklist, documents, votes, decisions) reaches these pages: they read ``funds.display``.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enterprises import selectors as enterprise_selectors
from enterprises.forms.profile import CURRENCY_BY_KIND
from enterprises.views.consent import needs_consent
from hkhz_portal.core.forms import act_on_form

from .. import display, selectors
from ..enterprise_forms import InvestmentRequestForm, OfferForm, RoundForm
from ..services import deals, rounds


def _render(request, template, enterprise, context, status=200):
    context = {"enterprise": enterprise, "needs_consent": needs_consent(request.user), **context}
    return render(request, template, context, status=status)


@login_required
@require_GET
def funding(request, reference):
    enterprise = enterprise_selectors.enterprise_of(request.user, reference)
    requests = [display.enterprise_request(deal) for deal in selectors.enterprise_deals(enterprise)]
    found = selectors.with_windows(selectors.enterprise_rounds(enterprise))
    return _render(
        request,
        "funds/enterprise/funding.html",
        enterprise,
        {"requests": requests, "rounds": [(round_, display.current_windows(round_)) for round_ in found]},
    )


def _form_page(request, enterprise, form_class, perform, *, template, done):
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, currency=CURRENCY_BY_KIND.get(enterprise.kind, "CNY"))
    if not posted:
        return _render(request, template, enterprise, {"form": form})
    return act_on_form(
        request,
        form,
        lambda: perform(form.cleaned_data),
        done=done,
        back=redirect("funds:enterprise_funding", reference=enterprise.reference),
        page=lambda bound: _render(request, template, enterprise, {"form": bound}, status=400),
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_investment(request, reference):
    """A member asks a fund to invest: the request reaches the fund's pipeline at "sourced"."""
    enterprise = enterprise_selectors.enterprise_of(request.user, reference)
    return _form_page(
        request,
        enterprise,
        InvestmentRequestForm,
        lambda data: deals.request_investment(actor=request.user, enterprise=enterprise, **data),
        template="funds/enterprise/request.html",
        done=_("Your request for investment is sent to the fund."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_round(request, reference):
    """A member records a financing round: each fund's priority window opens on its terms."""
    enterprise = enterprise_selectors.enterprise_of(request.user, reference)
    return _form_page(
        request,
        enterprise,
        RoundForm,
        lambda data: rounds.record_round(actor=request.user, enterprise=enterprise, **data),
        template="funds/enterprise/new_round.html",
        done=_("The round is recorded: the fund has its priority window on it."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_page(request, reference, pk):
    """A round, each fund's window as the enterprise sees it, its offers to other investors and
    the form to record another (better terms than a waived or expired window's revive it)."""
    enterprise = enterprise_selectors.enterprise_of(request.user, reference)
    round_ = selectors.enterprise_round(enterprise, pk)
    posted = request.method == "POST"
    form = OfferForm(request.POST if posted else None, currency=round_.pre_money.currency.code)

    def page(bound, status=200):
        context = {"round": round_, "windows": display.current_windows(round_), "form": bound}
        return _render(request, "funds/enterprise/round.html", enterprise, context, status)

    if not posted:
        return page(form)
    return act_on_form(
        request,
        form,
        lambda: rounds.record_offer(actor=request.user, round_=round_, **form.cleaned_data),
        done=_("The offer is recorded."),
        back=redirect("funds:round", reference=enterprise.reference, pk=round_.pk),
        page=lambda bound: page(bound, 400),
    )
