"""The officer's request for an export of a call's applications."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import ExportFormat


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=ExportFormat.choices, widget=forms.RadioSelect, initial=ExportFormat.XLSX
    )
