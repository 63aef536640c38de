"""Giving and withdrawing one's consent to cross-border transfer of personal data."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import ConsentScope


class ConsentForm(forms.Form):
    """PIPL art. 39 asks for a *separate* consent: an unticked box of its own, never pre-ticked."""

    agree = forms.BooleanField(
        required=True,
        label=_(
            "I have read this notice and consent to the transfer of my personal data between the mainland "
            "and Hong Kong as it describes."
        ),
        error_messages={"required": _("Tick the box to give your consent, or leave this page without consenting.")},
    )
    scope = forms.ChoiceField(
        label=_("Which transfers you consent to"),
        choices=ConsentScope.choices,
        initial=ConsentScope.BOTH_WAYS,
        widget=forms.RadioSelect,
        help_text=_("Most enterprises work on both sides of the border and need both directions."),
    )


class WithdrawConsentForm(forms.Form):
    confirm = forms.BooleanField(
        required=True,
        label=_(
            "I understand that my data will no longer be transferred across the border, and that I cannot submit "
            "or change enterprise data until I give my consent again."
        ),
        error_messages={"required": _("Tick the box to confirm that you want to withdraw your consent.")},
    )
