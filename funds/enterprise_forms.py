"""The enterprise's forms on its funding pages: asking a fund to invest, recording a financing
round, and offering a round to other investors. The services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.forms.profile import RequiredMarkMixin, amount_and_currency
from hkhz_portal.core.forms import DateInput, OneErrorPerFieldMixin

from .models import Deal, FinancingRound, Fund, RoundOffer


class MoneyFieldsMixin(RequiredMarkMixin, OneErrorPerFieldMixin):
    money_fields: tuple[str, ...] = ()

    def __init__(self, *args, currency=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.money_fields:
            amount_and_currency(self.fields[name])
            if currency:
                self.fields[name].initial = [None, currency]


class InvestmentRequestForm(MoneyFieldsMixin, forms.ModelForm):
    money_fields = ("amount_sought",)

    class Meta:
        model = Deal
        fields = ["fund", "summary", "amount_sought"]
        labels = {"summary": _("What the investment is for"), "amount_sought": _("Amount you seek")}
        help_texts = {
            "summary": _("Your product, where the enterprise stands, and what the money would do."),
            "amount_sought": _("Optional: the fund discusses the amount with you."),
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.all()
        self.fields["fund"].empty_label = None
        self.fields["amount_sought"].required = False


class RoundForm(MoneyFieldsMixin, forms.ModelForm):
    money_fields = ("amount_sought", "pre_money")

    class Meta:
        model = FinancingRound
        fields = ["name", "amount_sought", "pre_money", "instrument", "closing_target", "terms"]
        widgets = {"closing_target": DateInput(), "terms": forms.Textarea(attrs={"rows": 4})}


class OfferForm(MoneyFieldsMixin, forms.ModelForm):
    money_fields = ("amount", "pre_money")

    class Meta:
        model = RoundOffer
        fields = ["amount", "pre_money", "instrument", "terms"]
        widgets = {"terms": forms.Textarea(attrs={"rows": 4})}
