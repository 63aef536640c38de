"""The partner's webhook forms: an endpoint, and the delivery log's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DeliveryStatus
from .types import TEST_EVENT, EventType


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Endpoint URL"),
        max_length=500,
        widget=forms.URLInput(attrs={"autocomplete": "url", "inputmode": "url", "spellcheck": "false"}),
        help_text=_("An https:// address on the public internet, where we POST each event."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("Optional: which of your systems receives these events."),
    )


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *DeliveryStatus.choices], required=False
    )
    event = forms.ChoiceField(
        label=_("Event"),
        choices=[("", _("Any event")), *((value, value) for value in EventType.values), (TEST_EVENT, TEST_EVENT)],
        required=False,
    )
