"""The officer's action forms, one per transition an officer takes on the application page.

Each form carries ``expected_status``, the state the officer saw when the page was drawn: the
service compares it under its row lock, so when two officers act at once the second is told
who acted first and when (``services.applications``) instead of acting on a state they never saw.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.forms import DateInput
from hkhz_portal.core.validators import validate_multiline_text

from ..answers import form_schema
from ..services import applications as services

#: The default time an applicant has to answer a request for information.
INFO_DAYS = 14
#: The furthest deadline an officer may set.
MAX_INFO_DAYS = 365
TEXT_MAX = 5000


def _text(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=TEXT_MAX,
        validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ActionForm(forms.Form):
    expected_status = forms.CharField(widget=forms.HiddenInput, max_length=24)

    def __init__(self, *args, application, **kwargs):
        kwargs.setdefault("initial", {"expected_status": application.status})
        kwargs.setdefault("prefix", self.transition)
        super().__init__(*args, **kwargs)
        self.application = application


class OverrideFlagForm(ActionForm):
    transition = "override_flag"
    reason = _text(_("Reason"), _("Why the application goes on to review despite the failed checks. Staff only."))

    def perform(self, actor):
        return services.override_flag(
            actor=actor,
            application=self.application,
            reason=self.cleaned_data["reason"],
            expected_status=self.cleaned_data["expected_status"],
        )


def _deadline_default():
    return timezone.localdate() + datetime.timedelta(days=INFO_DAYS)


class RequestInfoForm(ActionForm):
    transition = "request_info"
    message = _text(_("Message to the applicant"), _("What you need, in words the applicant will understand."))
    fields = forms.MultipleChoiceField(
        label=_("Questions to reopen"),
        help_text=_("The applicant may change only the answers you reopen."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_on = forms.DateField(
        label=_("Deadline"),
        help_text=_("The end of this day, Hong Kong time."),
        widget=DateInput(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = form_schema(self.application.form_version).questions.values()
        self.fields["fields"].choices = [(q.key, str(q.label)) for q in questions]
        self.fields["due_on"].initial = _deadline_default

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        today = timezone.localdate()
        if due_on <= today:
            raise forms.ValidationError(_("Set a deadline after today."))
        if due_on > today + datetime.timedelta(days=MAX_INFO_DAYS):
            raise forms.ValidationError(_("Set a deadline within a year."))
        return due_on

    def perform(self, actor):
        # The end of the chosen day where the officer and the applicant read it (TIME_ZONE).
        end_of_day = datetime.datetime.combine(self.cleaned_data["due_on"], datetime.time(23, 59))
        return services.request_info(
            actor=actor,
            application=self.application,
            message=self.cleaned_data["message"],
            fields=self.cleaned_data["fields"],
            due_at=timezone.make_aware(end_of_day),
            expected_status=self.cleaned_data["expected_status"],
        )


class RejectIneligibleForm(ActionForm):
    transition = "reject_ineligible"
    reasons = _text(_("Reasons for the applicant"), _("The applicant reads these with the decision."))

    def perform(self, actor):
        return services.reject_ineligible(
            actor=actor,
            application=self.application,
            reasons=self.cleaned_data["reasons"],
            expected_status=self.cleaned_data["expected_status"],
        )


#: The form of each officer transition this page offers, by transition name.
ACTION_FORMS = {form.transition: form for form in (OverrideFlagForm, RequestInfoForm, RejectIneligibleForm)}
