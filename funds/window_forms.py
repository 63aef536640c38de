"""The forms of a priority window's page: exercising the fund's right, or waiving it."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from enterprises.choices import CURRENCIES
from programs.forms.staff import text_field

from .models.fund import MONEY_DIGITS
from .services import windows as services


class ExerciseForm(forms.Form):
    commitment = forms.DecimalField(
        label=_("Commitment"),
        min_value=Decimal("0.01"),
        **MONEY_DIGITS,
        help_text=_("Up to the amount sought frozen in the window."),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES)
    deal = forms.ModelChoiceField(
        label=_("Deal"),
        queryset=None,
        required=False,
        empty_label=_("No deal"),
        help_text=_("The deal in the fund's pipeline this commitment goes with, if any."),
    )
    decision = text_field(_("Note on the decision"), required=False, rows=3)

    def __init__(self, *args, window, **kwargs):
        ceiling = services.amount_sought(window)
        kwargs.setdefault("initial", {"commitment": ceiling.amount, "currency": str(ceiling.currency)})
        kwargs.setdefault("prefix", "exercise")
        super().__init__(*args, **kwargs)
        self.window = window
        self.fields["deal"].queryset = services.window_deals(window).order_by("-created_at")

    def perform(self, actor):
        data = self.cleaned_data
        return services.exercise(
            actor=actor,
            window=self.window,
            commitment=Money(data["commitment"], data["currency"]),
            decision=data["decision"],
            deal=data["deal"],
        )


class WaiveForm(forms.Form):
    decision = text_field(_("The fund's decision"), _("Why the fund does not invest in this round."), rows=3)

    def __init__(self, *args, window, **kwargs):
        kwargs.setdefault("prefix", "waive")
        super().__init__(*args, **kwargs)
        self.window = window

    def perform(self, actor):
        return services.waive(actor=actor, window=self.window, decision=self.cleaned_data["decision"])
