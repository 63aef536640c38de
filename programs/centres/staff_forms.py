"""The centre staff's forms on a request's page: one per step the centre takes, the thread's
reply (public or an internal note), the lead's assignment.

Each step's form carries ``expected_state``, the state the page showed: the service compares it
under the request's row lock, so of two staff acting at once the second is told the request
changed meanwhile instead of acting on a state they never saw.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.forms.documents import RefusedUploadMixin, UploadsField
from hkhz_portal.core.forms import label_empty_choices

from ..forms.staff import text_field
from . import services
from .selectors import centre_staff
from .workflow import PauseReason


class StepForm(forms.Form):
    """A step the centre takes on the request: ``transition`` names it."""

    transition = ""
    expected_state = forms.CharField(widget=forms.HiddenInput, max_length=24)
    #: The button reads as an ending (drawn in red).
    danger = False

    def __init__(self, *args, service_request, **kwargs):
        kwargs.setdefault("initial", {"expected_state": service_request.state})
        kwargs.setdefault("prefix", self.transition)
        super().__init__(*args, **kwargs)
        self.service_request = service_request

    def step_fields(self) -> dict:
        """What the step takes besides its name (a note, whom the request waits on)."""
        return {}

    def perform(self, actor):
        return services.take_step(
            actor=actor,
            request=self.service_request,
            name=self.transition,
            expected_state=self.cleaned_data["expected_state"],
            **self.step_fields(),
        )


class AcceptForm(StepForm):
    transition = "accept"


class StartWorkForm(StepForm):
    transition = "start_work"


class ResumeForm(StepForm):
    transition = "resume"


class CompleteForm(StepForm):
    transition = "complete"


class WaitThirdPartyForm(StepForm):
    transition = "wait_third_party"
    pause_reason = forms.ChoiceField(label=_("Waiting on"), choices=[("", ""), *PauseReason.choices])
    note = text_field(
        _("What for"), _("The enterprise reads this, e.g. “HSBC is checking the directors' documents”."), rows=3
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self, {"pause_reason": _("Choose whom")})

    def step_fields(self):
        return {"pause_reason": self.cleaned_data["pause_reason"], "note": self.cleaned_data["note"]}


class DeclineForm(StepForm):
    transition = "decline"
    danger = True
    note = text_field(_("Reason for the enterprise"), _("Why the centre cannot deliver; the enterprise reads this."))
    confirm = forms.BooleanField(
        label=_("Yes, close this request for the enterprise. This cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def step_fields(self):
        return {"note": self.cleaned_data["note"]}


class AskClientForm(RefusedUploadMixin, StepForm):
    transition = "ask_client"
    refused_upload_field = "attachments"
    body = text_field(
        _("Message to the enterprise"), _("What you need from it. The clock pauses until it answers."), rows=5
    )
    attachments = UploadsField(label=_("Attachments"))

    def perform(self, actor):
        return services.ask_client(
            actor=actor,
            request=self.service_request,
            body=self.cleaned_data["body"],
            uploads=self.cleaned_data["attachments"],
            expected_state=self.cleaned_data["expected_state"],
        )


#: The form of each step the centre takes on the page, by transition name.
STEP_FORMS = {
    form.transition: form
    for form in (AcceptForm, StartWorkForm, AskClientForm, WaitThirdPartyForm, ResumeForm, CompleteForm, DeclineForm)
}

PUBLIC, INTERNAL = "public", "internal"


class MessageForm(RefusedUploadMixin, forms.Form):
    """A message in the thread: a reply the enterprise reads, or an internal note it never sees."""

    refused_upload_field = "attachments"

    visibility = forms.ChoiceField(
        label=_("Who reads it"),
        choices=[
            (PUBLIC, _("Reply to the enterprise")),
            (INTERNAL, _("Internal note — the enterprise never sees this")),
        ],
        initial=PUBLIC,
        widget=forms.RadioSelect,
    )
    body = text_field(_("Message"), rows=5)
    attachments = UploadsField(label=_("Attachments"))

    def __init__(self, *args, service_request, **kwargs):
        kwargs.setdefault("prefix", "message")
        super().__init__(*args, **kwargs)
        self.service_request = service_request

    def perform(self, actor):
        return services.post_message(
            actor=actor,
            request=self.service_request,
            body=self.cleaned_data["body"],
            internal=self.cleaned_data["visibility"] == INTERNAL,
            uploads=self.cleaned_data["attachments"],
        )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class AssignForm(forms.Form):
    """The centre's lead gives the request to one of the centre's staff."""

    assignee = StaffChoiceField(label=_("Give it to"), queryset=None, empty_label=None)

    def __init__(self, *args, service_request, **kwargs):
        kwargs.setdefault("prefix", "assign")
        kwargs.setdefault("initial", {"assignee": service_request.assignee_id})
        super().__init__(*args, **kwargs)
        self.service_request = service_request
        self.fields["assignee"].queryset = centre_staff(service_request.unit_id).order_by("full_name", "email")

    def perform(self, actor):
        return services.assign(actor=actor, request=self.service_request, assignee=self.cleaned_data["assignee"])


class StepDoneForm(forms.Form):
    """Tick (``done``) or untick one of the request's fulfilment steps."""

    done = forms.BooleanField(required=False)
