"""The board's forms: one step of a deal (from a card or the deal page), and sourcing a deal.

A step carries ``expected_stage``, the stage the page showed: the service compares it under the
deal's row lock, so of two managers moving the same deal the second is told it moved meanwhile.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from enterprises.choices import CURRENCIES
from enterprises.models import Enterprise
from enterprises.selectors import directory
from programs.forms.staff import text_field
from programs.models import Application
from programs.workflow import Status

from .services import deals
from .workflow import TRANSITIONS, Side, Stage

#: How many enterprises the sourcing form offers for a search (the search narrows them).
ENTERPRISE_CHOICES = 50


class StepForm(forms.Form):
    name = forms.ChoiceField(choices=[(t.name, t.label) for t in TRANSITIONS.values() if t.by == Side.FUND])
    expected_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    note = text_field(_("Reason"), _("Why the deal is not taken forward."), required=False, rows=3)

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.deal = deal

    def perform(self, actor):
        return deals.take_step(
            actor=actor,
            deal=self.deal,
            name=self.cleaned_data["name"],
            note=self.cleaned_data["note"],
            expected_stage=self.cleaned_data["expected_stage"],
        )


def amount_field(label, *, required=True, help_text=""):
    return forms.DecimalField(
        label=label, required=required, help_text=help_text, min_value=0, max_digits=16, decimal_places=2
    )


def currency_field():
    return forms.ChoiceField(label=_("Currency"), choices=CURRENCIES)


def money_of(amount, currency) -> Money | None:
    return None if amount is None else Money(amount, currency)


class EnterpriseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = f"{obj.legal_name_en} ({obj.legal_name_zh})" if obj.legal_name_zh else obj.legal_name_en
        return f"{name} · {obj.reference}"


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} · {obj.enterprise.legal_name_en}"


class SourceForm(forms.Form):
    """A manager puts an enterprise in the pipeline; ``q`` (the search typed above the form)
    narrows the enterprises and admitted applications offered, any enterprise is accepted."""

    q = forms.CharField(required=False, widget=forms.HiddenInput)
    enterprise = EnterpriseChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.all())
    application = ApplicationChoiceField(
        label=_("Admission"),
        queryset=Application.objects.filter(status=Status.ADMITTED),
        required=False,
        help_text=_("If the deal comes from an admission to Science Park: the enterprise's admitted application."),
    )
    summary = text_field(_("Summary"), _("What the investment would be for."), rows=4)
    amount_sought = amount_field(_("Amount sought"), required=False)
    currency = currency_field()

    def __init__(self, *args, fund, q="", **kwargs):
        kwargs.setdefault("initial", {"currency": fund.currency, "q": q})
        super().__init__(*args, **kwargs)
        self.fund = fund
        listed = list(directory(q=q)[:ENTERPRISE_CHOICES])
        self.fields["enterprise"].choices = [
            ("", _("Choose an enterprise")),
            *((e.pk, self.fields["enterprise"].label_from_instance(e)) for e in listed),
        ]
        admitted = self.fields["application"].queryset.filter(enterprise__in=listed).select_related("enterprise")
        self.fields["application"].choices = [
            ("", _("None: sourced by the fund")),
            *((a.pk, self.fields["application"].label_from_instance(a)) for a in admitted.order_by("reference")),
        ]

    def perform(self, actor):
        data = self.cleaned_data
        return deals.source_deal(
            actor=actor,
            fund=self.fund,
            enterprise=data["enterprise"],
            summary=data["summary"],
            amount_sought=money_of(data["amount_sought"], data["currency"]),
            application=data["application"],
        )
