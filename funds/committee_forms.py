"""The committee's forms: convening a meeting, its agenda, and on each agenda item a member's
declaration and vote and the close. An item's forms carry its id in their prefix, so that the
meeting page holds one of each per item with distinct ids."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.forms.staff import text_field

from .models import VoteChoice
from .selectors import committee_members
from .services import committee as services


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class DealChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} · {obj.enterprise.legal_name_en}"


class ConveneForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Investment committee"))
    scheduled_for = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    chair = PersonChoiceField(label=_("Chair"), queryset=None)
    members = PeopleChoiceField(
        label=_("Members"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The chair is a member whether ticked or not."),
    )

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        fund = funds.first()
        people = committee_members(fund).order_by("full_name", "email") if fund else funds.none()
        self.fields["chair"].queryset = people
        self.fields["members"].queryset = people

    def perform(self, actor):
        data = self.cleaned_data
        return services.convene_meeting(
            actor=actor,
            fund=data["fund"],
            title=data["title"],
            scheduled_for=data["scheduled_for"],
            location=data["location"],
            chair=data["chair"],
            members=list(data["members"]),
        )


class AgendaForm(forms.Form):
    deal = DealChoiceField(label=_("Deal at the committee stage"), queryset=None)

    def __init__(self, *args, meeting, deals, **kwargs):
        kwargs.setdefault("prefix", "agenda")
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["deal"].queryset = deals

    def perform(self, actor):
        return services.add_to_agenda(actor=actor, meeting=self.meeting, deal=self.cleaned_data["deal"])


class ItemForm(forms.Form):
    """A form on one agenda item; ``kind`` names it on the page."""

    kind = ""

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault("prefix", f"{self.kind}-{item.pk}")
        super().__init__(*args, **kwargs)
        self.item = item


NONE, CONFLICT = "none", "conflict"


class DeclareForm(ItemForm):
    kind = "declare"
    conflict = forms.ChoiceField(
        label=_("Do you have a conflict of interest in this deal?"),
        choices=[
            (NONE, _("No conflict: unlock the papers")),
            (CONFLICT, _("I have a conflict: I will not vote on it")),
        ],
        widget=forms.RadioSelect,
    )
    note = text_field(
        _("Nature of the conflict"), _("Only if you have one, e.g. “I hold shares in it”."), required=False, rows=2
    )

    def perform(self, actor):
        return services.declare(
            actor=actor,
            item=self.item,
            conflicted=self.cleaned_data["conflict"] == CONFLICT,
            note=self.cleaned_data["note"],
        )


class VoteForm(ItemForm):
    kind = "vote"
    choice = forms.ChoiceField(label=_("Your vote"), choices=VoteChoice.choices, widget=forms.RadioSelect)
    comment = text_field(_("Comment"), required=False, rows=3)

    def perform(self, actor):
        return services.cast_vote(
            actor=actor, item=self.item, choice=self.cleaned_data["choice"], comment=self.cleaned_data["comment"]
        )


class CloseForm(ItemForm):
    kind = "close"
    casting_vote = forms.ChoiceField(
        label=_("The chair's casting vote"),
        help_text=_("Counted only if the votes for and against are tied."),
        choices=[(choice, VoteChoice(choice).label) for choice in services.CASTING_CHOICES],
        widget=forms.RadioSelect,
    )
    conditions = text_field(
        _("Conditions precedent"),
        _("One per line; required if a member approved with conditions. Ignored if the deal is rejected."),
        required=False,
        rows=3,
    )

    def __init__(self, *args, casting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not casting:
            del self.fields["casting_vote"]

    def perform(self, actor):
        return services.close_vote(
            actor=actor,
            item=self.item,
            casting_vote=self.cleaned_data.get("casting_vote", ""),
            conditions=self.cleaned_data["conditions"],
        )
