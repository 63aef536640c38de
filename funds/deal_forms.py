"""The forms of a deal's page: its lead, an internal note, documents, each checklist item (its
owner, status and finding; its sign-off) and each condition precedent marked met.

The fund's managers are read once for the page and handed to each form that picks one (the lead,
every item's owner), so that the page's query count does not grow with its checklist.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.forms.documents import RefusedUploadMixin, UploadsField
from programs.forms.staff import text_field

from .models import ItemStatus
from .services import deals as deal_services
from .services import diligence
from .services.committee import mark_condition_met


class ManagerField(forms.TypedChoiceField):
    """One of ``managers`` (read by the caller), or nobody."""

    def __init__(self, *, managers, empty_label, **kwargs):
        self.by_pk = {str(user.pk): user for user in managers}
        choices = [("", empty_label), *((str(user.pk), user.full_name or user.email) for user in managers)]
        super().__init__(choices=choices, coerce=self.by_pk.get, empty_value=None, required=False, **kwargs)


class LeadForm(forms.Form):
    def __init__(self, *args, deal, managers, **kwargs):
        kwargs.setdefault("prefix", "lead")
        kwargs.setdefault("initial", {"lead": deal.lead_id})
        super().__init__(*args, **kwargs)
        self.deal = deal
        self.fields["lead"] = ManagerField(label=_("Deal lead"), managers=managers, empty_label=_("Nobody yet"))

    def perform(self, actor):
        return deal_services.set_lead(actor=actor, deal=self.deal, lead=self.cleaned_data["lead"])


class NoteForm(forms.Form):
    body = text_field(_("Note"), _("Only the fund's managers read this."), rows=4)

    def __init__(self, *args, deal, **kwargs):
        kwargs.setdefault("prefix", "note")
        super().__init__(*args, **kwargs)
        self.deal = deal

    def perform(self, actor):
        return deal_services.add_note(actor=actor, deal=self.deal, body=self.cleaned_data["body"])


class UploadForm(RefusedUploadMixin, forms.Form):
    """Documents for the deal's file; evidence of one checklist item when ``item`` is chosen."""

    refused_upload_field = "files"
    files = UploadsField(label=_("Files"), required=True)

    def __init__(self, *args, deal, items, **kwargs):
        kwargs.setdefault("prefix", "upload")
        super().__init__(*args, **kwargs)
        self.deal = deal
        self.by_pk = {str(item.pk): item for item in items}
        choices = [("", _("None: the deal's file")), *((str(item.pk), item.title) for item in items)]
        self.fields["item"] = forms.TypedChoiceField(
            label=_("Evidence of"), choices=choices, coerce=self.by_pk.get, empty_value=None, required=False
        )

    def perform(self, actor):
        return diligence.upload_documents(
            actor=actor, deal=self.deal, uploads=self.cleaned_data["files"], item=self.cleaned_data["item"]
        )


class ChecklistItemForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    finding = text_field(
        _("Finding"), _("What the review found; a red flag cannot be signed off without it."), required=False, rows=3
    )

    def __init__(self, *args, item, managers, **kwargs):
        kwargs.setdefault("prefix", f"item-{item.pk}")
        kwargs.setdefault("initial", {"owner": item.owner_id, "status": item.status, "finding": item.finding})
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["owner"] = ManagerField(label=_("Owner"), managers=managers, empty_label=_("Nobody yet"))
        self.order_fields(["owner", "status", "finding"])

    def perform(self, actor):
        data = self.cleaned_data
        return diligence.update_item(
            actor=actor, item=self.item, owner=data["owner"], status=data["status"], finding=data["finding"]
        )


class ConditionMetForm(forms.Form):
    note = text_field(_("How it was met"), rows=2)

    def __init__(self, *args, condition, **kwargs):
        kwargs.setdefault("prefix", f"condition-{condition.pk}")
        super().__init__(*args, **kwargs)
        self.condition = condition

    def perform(self, actor):
        return mark_condition_met(actor=actor, condition=self.condition, note=self.cleaned_data["note"])
