"""The officer's action forms, one per transition an officer takes on the application page.

Each form carries ``expected_status``, the state the officer saw when the page was drawn: the
service compares it under its row lock, so when two officers act at once the second is told
who acted first and when (``services.applications``) instead of acting on a state they never saw.
"""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.choices import Kind
from enterprises.identifiers import normalize_hk_br, validate_hk_br
from enterprises.models import HongKongEntity
from hkhz_portal.core.forms import DateInput
from hkhz_portal.core.validators import validate_multiline_text, validate_plain_text

from ..answers import form_schema
from ..choices import Outcome, SpaceKind
from ..models import Onboarding
from ..services import applications as services
from ..services import decisions

#: The default time an applicant has to answer a request for information.
INFO_DAYS = 14
#: The furthest deadline an officer may set.
MAX_INFO_DAYS = 365
TEXT_MAX = 5000


def text_field(label, help_text="", *, required=True, rows=4):
    """A free text of the workflow's forms: several lines, no control characters, 5,000 characters at most."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_MAX,
        validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ActionForm(forms.Form):
    expected_status = forms.CharField(widget=forms.HiddenInput, max_length=24)
    #: The button reads as a refusal or an ending (drawn in red).
    danger = False
    #: Why the action cannot be taken yet: the button shows disabled, with this beside it.
    blocked = ""

    def __init__(self, *args, application, **kwargs):
        kwargs.setdefault("initial", {"expected_status": application.status})
        kwargs.setdefault("prefix", self.transition)
        super().__init__(*args, **kwargs)
        self.application = application


class OverrideFlagForm(ActionForm):
    transition = "override_flag"
    reason = text_field(_("Reason"), _("Why the application goes on to review despite the failed checks. Staff only."))

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
    message = text_field(_("Message to the applicant"), _("What you need, in words the applicant will understand."))
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
    danger = True
    reasons = text_field(_("Reasons for the applicant"), _("The applicant reads these with the decision."))

    def perform(self, actor):
        return services.reject_ineligible(
            actor=actor,
            application=self.application,
            reasons=self.cleaned_data["reasons"],
            expected_status=self.cleaned_data["expected_status"],
        )


# --- Decisions and onboarding ---------------------------------------------------------------------


class DecisionForm(ActionForm):
    """A decision: its fields are named as ``services.decisions.decide`` takes them."""

    internal_note = text_field(
        _("Internal note"), _("For the unit's officers only; the applicant never sees it."), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["internal_note"] = self.fields.pop("internal_note")  # after the decision's own fields

    def perform(self, actor):
        return decisions.decide(
            actor=actor, application=self.application, outcome=Outcome(self.transition), **self.cleaned_data
        )


class ApproveForm(DecisionForm):
    transition = "approve"
    conditions = text_field(
        _("Conditions"), _("What the enterprise agrees to with the place; the applicant reads them."), required=False
    )
    space_kind = forms.ChoiceField(label=_("Space"), choices=SpaceKind.choices)
    area_m2 = forms.DecimalField(
        label=_("Area (m²)"), min_value=Decimal("1"), max_value=Decimal("10000"), max_digits=7, decimal_places=1
    )
    move_in_on = forms.DateField(label=_("Move-in date"), widget=DateInput())
    term_months = forms.IntegerField(label=_("Programme term (months)"), min_value=1, max_value=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term_months"].initial = self.application.call.programme.duration_months


class WaitlistForm(DecisionForm):
    transition = "waitlist"
    waitlist_position = forms.IntegerField(
        label=_("Place on the waiting list"),
        help_text=_("Freed places are offered in this order. The next free place is proposed."),
        min_value=1,
        max_value=decisions.WAITLIST_MAX,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["waitlist_position"].initial = decisions.next_waitlist_position(self.application.call)


class RejectForm(DecisionForm):
    transition = "reject"
    danger = True
    reasons = text_field(_("Reasons for the applicant"), _("The applicant reads these with the decision."))


class AdmitForm(ActionForm):
    transition = "admit"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        onboarding = Onboarding.objects.filter(application=self.application).first()
        if not (onboarding and onboarding.complete):
            self.blocked = _("Record the tenancy, the Hong Kong company and the move-in first.")

    def perform(self, actor):
        return decisions.admit(
            actor=actor, application=self.application, expected_status=self.cleaned_data["expected_status"]
        )


class FailOnboardingForm(ActionForm):
    transition = "fail_onboarding"
    danger = True
    reasons = text_field(
        _("Reasons for the applicant"), _("Why the onboarding ends; the place goes to the waiting list.")
    )

    def perform(self, actor):
        return decisions.fail_onboarding(
            actor=actor,
            application=self.application,
            reasons=self.cleaned_data["reasons"],
            expected_status=self.cleaned_data["expected_status"],
        )


#: The form of each officer transition this page offers, by transition name.
ACTION_FORMS = {
    form.transition: form
    for form in (
        OverrideFlagForm,
        RequestInfoForm,
        RejectIneligibleForm,
        ApproveForm,
        WaitlistForm,
        RejectForm,
        AdmitForm,
        FailOnboardingForm,
    )
}


class OnboardingForm(forms.Form):
    """The formalities done so far, each recorded when it is: the dates, and the Hong Kong
    company (a Hong Kong enterprise is its own: its BR number is confirmed, not named again)."""

    tenancy_signed_on = forms.DateField(label=_("Tenancy agreement signed on"), required=False, widget=DateInput())
    company_name = forms.CharField(
        label=_("Hong Kong company's name"), required=False, max_length=200, validators=[validate_plain_text]
    )
    hk_br = forms.CharField(
        label=_("Business Registration number"),
        help_text=_("8 digits, or the number printed on the certificate."),
        required=False,
        max_length=30,
    )
    company_registered_on = forms.DateField(
        label=_("Hong Kong company registered on"), required=False, widget=DateInput()
    )
    moved_in_on = forms.DateField(label=_("Moved in on"), required=False, widget=DateInput())

    def __init__(self, *args, application, **kwargs):
        self.application = application
        enterprise = application.enterprise
        self.own_company = enterprise.kind == Kind.HONG_KONG
        onboarding = Onboarding.objects.filter(application=application).first()
        entity = None if self.own_company else HongKongEntity.objects.filter(enterprise=enterprise).first()
        initial = {name: getattr(onboarding, name, None) for name in Onboarding.STEPS}
        initial["hk_br"] = enterprise.hk_br if self.own_company else getattr(entity, "hk_br", "")
        initial["company_name"] = getattr(entity, "name", "")
        kwargs.setdefault("initial", initial)
        kwargs.setdefault("prefix", "onboarding")
        super().__init__(*args, **kwargs)
        if self.own_company:
            del self.fields["company_name"]
            self.fields["hk_br"].help_text = _("The enterprise's own BR number, confirmed.")

    def clean_hk_br(self):
        value = self.cleaned_data["hk_br"].strip()
        if value:
            validate_hk_br(value)
        return normalize_hk_br(value) if value else ""

    def perform(self, actor):
        data = self.cleaned_data
        return decisions.record_onboarding(
            actor=actor,
            application=self.application,
            tenancy_signed_on=data["tenancy_signed_on"],
            company_name=data.get("company_name", ""),
            hk_br=data["hk_br"],
            company_registered_on=data["company_registered_on"],
            moved_in_on=data["moved_in_on"],
        )
