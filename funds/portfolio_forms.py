"""The portfolio's forms: a deal's closing, a follow-on, an exit, and a commitment or capital
call. Amounts are typed with their currency and the rate converting them to the fund's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.forms import DateInput
from hkhz_portal.core.validators import validate_plain_text
from programs.forms.staff import text_field

from .board_forms import amount_field, currency_field, money_of
from .models import ExitKind, Instrument, TransactionKind
from .services import capital, portfolio
from .workflow import Stage


def rate_field():
    return forms.DecimalField(
        label=_("Exchange rate"),
        initial=1,
        min_value=0,
        max_digits=18,
        decimal_places=8,
        help_text=_("The fund's currency for one unit of the amount's currency; 1 when they are the same."),
    )


def percent_field(label, help_text=""):
    return forms.DecimalField(
        label=label, help_text=help_text, min_value=0, max_value=100, max_digits=7, decimal_places=4
    )


class MoneyForm(forms.Form):
    """A form with an amount in a currency, converted at a rate; the fund's currency first."""

    def __init__(self, *args, fund, **kwargs):
        kwargs.setdefault("initial", {"currency": fund.currency})
        super().__init__(*args, **kwargs)
        self.fund = fund

    def money(self, name):
        return money_of(self.cleaned_data[name], self.cleaned_data["currency"])


class InvestmentForm(MoneyForm):
    amount = amount_field(_("Amount invested"))
    currency = currency_field()
    fx_rate = rate_field()
    instrument = forms.ChoiceField(label=_("Instrument"), choices=Instrument.choices)
    pre_money = amount_field(
        _("Pre-money valuation"),
        required=False,
        help_text=_("Required for equity; for a convertible note or a SAFE, the valuation cap, if any."),
    )
    ownership_percent = percent_field(_("Ownership after the round (%)"))
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput)

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, fund=deal.fund, **kwargs)
        self.deal = deal

    def terms(self) -> dict:
        data = self.cleaned_data
        return {
            "amount": self.money("amount"),
            "fx_rate": data["fx_rate"],
            "instrument": data["instrument"],
            "pre_money": self.money("pre_money"),
            "ownership_percent": data["ownership_percent"],
            "closed_on": data["closed_on"],
        }


class ClosingForm(InvestmentForm):
    expected_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)

    def __init__(self, *args, deal, **kwargs):
        kwargs.setdefault("initial", {"currency": deal.fund.currency, "expected_stage": deal.stage})
        super().__init__(*args, deal=deal, **kwargs)

    def perform(self, actor):
        return portfolio.record_closing(
            actor=actor, deal=self.deal, expected_stage=self.cleaned_data["expected_stage"], **self.terms()
        )


class FollowOnForm(InvestmentForm):
    def perform(self, actor):
        return portfolio.record_follow_on(actor=actor, deal=self.deal, **self.terms())


class ExitForm(MoneyForm):
    kind = forms.ChoiceField(label=_("Kind of exit"), choices=ExitKind.choices)
    stake_sold_percent = percent_field(
        _("Share of the holding sold (%)"), _("A write-off is the whole holding, with no proceeds.")
    )
    proceeds = amount_field(_("Proceeds"), required=False)
    currency = currency_field()
    fx_rate = rate_field()
    exited_on = forms.DateField(label=_("Date"), widget=DateInput)
    note = text_field(_("Note"), required=False, rows=3)

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, fund=deal.fund, **kwargs)
        self.deal = deal

    def perform(self, actor):
        data = self.cleaned_data
        return portfolio.record_exit(
            actor=actor,
            deal=self.deal,
            kind=data["kind"],
            stake_sold_percent=data["stake_sold_percent"],
            exited_on=data["exited_on"],
            proceeds=self.money("proceeds"),
            fx_rate=data["fx_rate"],
            note=data["note"],
        )


class CapitalForm(MoneyForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in (TransactionKind.COMMITMENT, TransactionKind.CALL)],
    )
    amount = amount_field(_("Amount"))
    currency = currency_field()
    fx_rate = rate_field()
    value_date = forms.DateField(label=_("Value date"), widget=DateInput)
    counterparty = forms.CharField(
        label=_("Investor"), max_length=200, required=False, validators=[validate_plain_text]
    )
    note = text_field(_("Note"), required=False, rows=3)

    def perform(self, actor):
        data = self.cleaned_data
        return capital.record_capital(
            actor=actor,
            fund=self.fund,
            kind=data["kind"],
            amount=self.money("amount"),
            value_date=data["value_date"],
            fx_rate=data["fx_rate"],
            counterparty=data["counterparty"],
            note=data["note"],
        )
