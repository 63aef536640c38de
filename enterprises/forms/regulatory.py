"""Forms for products and their regulatory milestones, and the date rules both pages and API apply."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import Jurisdiction, MilestoneStatus, Pathway
from ..models import Milestone, Product

EARLIEST_DATE = datetime.date(2000, 1, 1)

#: Statuses that record something that has happened, so their actual date cannot be in the future.
HAPPENED = frozenset(
    {
        MilestoneStatus.SUBMITTED,
        MilestoneStatus.ACCEPTED,
        MilestoneStatus.APPROVED,
        MilestoneStatus.REJECTED,
        MilestoneStatus.WITHDRAWN,
    }
)
#: A decision always has a date.
DECIDED = frozenset({MilestoneStatus.APPROVED, MilestoneStatus.REJECTED})

#: Pathways that exist in one jurisdiction only.
PATHWAY_JURISDICTION = {
    Pathway.K510: Jurisdiction.FDA,
    Pathway.DE_NOVO: Jurisdiction.FDA,
    Pathway.PMA: Jurisdiction.FDA,
    Pathway.NMPA_CLASS_II: Jurisdiction.NMPA,
    Pathway.NMPA_CLASS_III: Jurisdiction.NMPA,
}


def check_milestone(*, jurisdiction, pathway, status, planned_on, actual_on, today=None) -> None:
    """Refuse a milestone whose dates or pathway cannot be true; errors keyed by field.

    Shared by the milestone form and the API serializer so both refuse the same things.
    """
    today = today or timezone.localdate()
    errors = {}
    if planned_on and planned_on < EARLIEST_DATE:
        errors["planned_on"] = _("A planned date before 2000 is not plausible; check the year.")
    if actual_on and actual_on < EARLIEST_DATE:
        errors["actual_on"] = _("An actual date before 2000 is not plausible; check the year.")
    elif status == MilestoneStatus.PLANNED and actual_on:
        errors["actual_on"] = _("A planned milestone has no actual date yet: change the status or clear the date.")
    elif status in DECIDED and not actual_on:
        errors["actual_on"] = _("Give the date of the decision.")
    elif status in HAPPENED and actual_on and actual_on > today:
        errors["actual_on"] = _("The actual date cannot be in the future for a milestone that has happened.")
    required = PATHWAY_JURISDICTION.get(pathway)
    if required and jurisdiction and jurisdiction != required:
        errors["pathway"] = _("%(pathway)s is a pathway of %(jurisdiction)s only.") % {
            "pathway": Pathway(pathway).label,
            "jurisdiction": Jurisdiction(required).label,
        }
    if errors:
        raise ValidationError(errors)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "modality"]


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["jurisdiction", "pathway", "status", "planned_on", "actual_on", "reference_number", "notes"]
        widgets = {
            "planned_on": DateInput(),
            "actual_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "pathway": _("510(k), De Novo and PMA are FDA pathways; class II and III registration are NMPA's."),
            "actual_on": _(
                "The day it happened: filed, accepted or decided. Required once approved or rejected; "
                "never in the future."
            ),
            "reference_number": _("The regulator's number, e.g. an FDA IND number or an NMPA acceptance number."),
        }

    def clean(self):
        data = super().clean()
        try:
            check_milestone(
                jurisdiction=data.get("jurisdiction"),
                pathway=data.get("pathway"),
                status=data.get("status"),
                planned_on=data.get("planned_on"),
                actual_on=data.get("actual_on"),
            )
        except ValidationError as err:
            for field, messages in err.message_dict.items():
                if field not in self.errors:
                    for message in messages:
                        self.add_error(field, message)
        return data


class ConfirmDeleteForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, delete this product and all its milestones."))
