"""Forms for products and their regulatory milestones (the rules live on the models)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.forms import DateInput, OneErrorPerFieldMixin, label_empty_choices

from ..models import MILESTONE_FIELDS, Milestone, Product


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "modality"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self, {"modality": _("Choose a modality")})


class MilestoneForm(OneErrorPerFieldMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = MILESTONE_FIELDS
        widgets = {
            "planned_on": DateInput(),
            "actual_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "pathway": _(
                "510(k), De Novo and PMA are FDA pathways; class I filing and class II and III registration are NMPA's."
            ),
            "actual_on": _(
                "The day it happened: filed, accepted or decided. Required once approved or rejected; "
                "never in the future."
            ),
            "reference_number": _("The regulator's number, e.g. an FDA IND number or an NMPA acceptance number."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self, {"jurisdiction": _("Choose a regulator"), "pathway": _("Choose a pathway")})


class ConfirmDeleteForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, delete this product and all its milestones."))
