"""Enterprise profile pages: my enterprises, the create wizard, the profile and its edit page, contact persons."""

import copy
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from formtools.wizard.views import SessionWizardView

from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.forms import add_service_error, call_service
from hkhz_portal.core.i18n import language_variant

from .. import partners, selectors
from ..completeness import completeness
from ..forms.profile import (
    CITY_BY_KIND,
    CURRENCY_BY_KIND,
    MONEY_FIELDS,
    ContactForm,
    EnterpriseForm,
    FiguresStepForm,
    IdentityStepForm,
    LocationStepForm,
)
from ..services import consent as consent_services
from ..services import contacts as contact_services
from ..services import profile as profile_services
from .consent import needs_consent


def fix_url(enterprise, field: str) -> str:
    """Where a missing item of the completeness list is filled in."""
    if field == "documents":
        return reverse("document_list", args=[enterprise.reference])
    anchor = f"id_{field}_0" if field in MONEY_FIELDS else f"id_{field}"
    return f"{reverse('enterprise_edit', args=[enterprise.reference])}#{anchor}"


@login_required
def enterprise_list(request):
    """The signed-in person's enterprises, each with its completeness."""
    return render(
        request,
        "enterprises/enterprise_list.html",
        {"summaries": selectors.enterprise_summaries(request.user), "needs_consent": needs_consent(request.user)},
    )


# --- The create wizard ----------------------------------------------------------------------

STEP_TITLES = {
    "identity": gettext_lazy("Identity"),
    "location": gettext_lazy("Location and profile"),
    "figures": gettext_lazy("Figures and description"),
}


class _StepFailed(Exception):
    """The service refused what the steps held: show the step with the field at fault."""

    def __init__(self, step, form):
        super().__init__(step)
        self.step = step
        self.form = form


#: The name of the hidden field carrying a wizard run's one-time token, and its key in the wizard's storage.
SUBMISSION = "submission"
#: The name of the button that clears a run of the wizard, to start again from the first step.
RESTART = "wizard_restart"


class EnterpriseCreateWizard(SessionWizardView):
    """Three steps: identity, location and profile, figures and description; the creator becomes owner.

    Each step is validated when it is posted and all of them again at the end (formtools); the
    service validates once more inside its transaction, and a duplicate identifier that slipped
    in between (two people at once) comes back to the step holding that field.

    Each run of the wizard has a one-time token, kept with its steps and sent with each of them.
    The service creates one enterprise per token, so the last step sent twice (a double click,
    parallel requests) creates one enterprise, and both answers lead to it.

    Opening the wizard again (its link, a reload, coming back from another page) resumes the run
    at the step it was left on; "Start again" clears it. Finishing it clears it too (formtools).
    """

    form_list = [("identity", IdentityStepForm), ("location", LocationStepForm), ("figures", FiguresStepForm)]
    template_name = "enterprises/wizard.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("enterprises.create_enterprise"):
            raise PermissionDenied
        # The service refuses without consent anyway; ask first, before three steps of typing.
        if needs_consent(request.user):
            messages.info(
                request,
                _(
                    "An enterprise profile holds personal data that may cross the border. Read the notice and "
                    "give your consent first; you will come back to create your enterprise."
                ),
            )
            return redirect(f"{reverse('consent')}?{urlencode({'next': reverse('enterprise_create')})}")
        return super().dispatch(request, *args, **kwargs)

    resumed = False

    def get(self, request, *args, **kwargs):
        # formtools starts afresh on every GET; a run with steps already sent is resumed instead.
        if not self.storage.data.get(self.storage.step_data_key):
            return super().get(request, *args, **kwargs)
        self.resumed = True
        return self.render_goto_step(self.steps.current)

    def post(self, *args, **kwargs):
        if RESTART in self.request.POST:
            self.storage.reset()
            return redirect("enterprise_create")
        # Sent again after it was done (the wizard's steps are gone by then): show what it created.
        enterprise = selectors.submitted_enterprise(self.request.user, self.request.POST.get(SUBMISSION, ""))
        if enterprise is not None:
            messages.info(
                self.request,
                _("%(name)s was already created from this form; here it is.") % {"name": enterprise.display_name},
            )
            return redirect("enterprise_detail", enterprise.reference)
        return super().post(*args, **kwargs)

    def _submission_token(self) -> str:
        extra = self.storage.extra_data
        if SUBMISSION not in extra:
            self.storage.extra_data = {**extra, SUBMISSION: secrets.token_urlsafe(24)}
        return self.storage.extra_data[SUBMISSION]

    def _kind(self):
        return (self.get_cleaned_data_for_step("identity") or {}).get("kind")

    def get_form_kwargs(self, step=None):
        if step == "location":
            return {"kind": self._kind()}
        return {}

    def get_form_initial(self, step):
        kind = self._kind() if step in ("location", "figures") else None
        if step == "location" and kind in CITY_BY_KIND:
            return {"city": CITY_BY_KIND[kind]}
        if step == "figures" and kind in CURRENCY_BY_KIND:
            return {name: [None, CURRENCY_BY_KIND[kind]] for name in MONEY_FIELDS}
        return {}

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        current = self.steps.current
        context["step_titles"] = [
            {"name": name, "title": STEP_TITLES[name], "current": name == current} for name in self.get_form_list()
        ]
        context["step_title"] = STEP_TITLES[current]
        context["submission_token"] = self._submission_token()
        context["resumed"] = self.resumed
        context["restart"] = RESTART
        return context

    def render_done(self, form, **kwargs):
        try:
            return super().render_done(form, **kwargs)
        except _StepFailed as failed:
            # Raised before formtools resets its storage: the steps keep what was typed.
            return self.render_revalidation_failure(failed.step, failed.form, **kwargs)

    def done(self, form_list, form_dict=None, **kwargs):
        data = {}
        for form in form_list:
            data.update(form.cleaned_data)
        try:
            enterprise = profile_services.create_enterprise(
                actor=self.request.user, submission_token=self._submission_token(), **data
            )
        except (DomainError, ValidationError) as err:
            raise self._failed_step(form_dict, err) from err
        messages.success(
            self.request,
            _("%(name)s is created, with reference %(reference)s. Complete its profile before you apply.")
            % {"name": enterprise.display_name, "reference": enterprise.reference},
        )
        return redirect("enterprise_detail", enterprise.reference)

    def _failed_step(self, form_dict, err) -> _StepFailed:
        """The refusal goes on the first step holding a field it names, else on the last step."""
        fields = set(err.error_dict) if hasattr(err, "error_dict") else {getattr(err, "field", None)}
        steps = list(form_dict.items())
        step, form = next(((step, form) for step, form in steps if fields & set(form.fields)), steps[-1])
        add_service_error(form, err)
        return _StepFailed(step, form)


# --- Profile view and edit ------------------------------------------------------------------


@login_required
def enterprise_detail(request, reference):
    enterprise = selectors.enterprise_of(request.user, reference)
    membership = selectors.membership_of(request.user, enterprise)
    filled = completeness(enterprise)
    descriptions = [
        {
            "heading": _("In English"),
            "lang": "en",
            "text": enterprise.description_en,
            "empty": _("No description in English yet."),
        },
        {
            "heading": _("In Chinese"),
            "lang": "zh",
            "text": enterprise.description_zh,
            "empty": _("No description in Chinese yet."),
        },
    ]
    if language_variant() != "en":
        descriptions.reverse()
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            "membership": membership,
            "completeness": filled,
            "missing": [(label, fix_url(enterprise, field)) for label, field in filled.missing_items],
            "descriptions": descriptions,
            "sharing": partners.sharing_choices(enterprise),
            "needs_consent": membership is not None and membership.is_owner and needs_consent(request.user),
        },
    )


@login_required
def enterprise_edit(request, reference):
    """Any member edits the whole profile on one page; saving needs the member's current consent."""
    enterprise = selectors.enterprise_of(request.user, reference)
    # The form validates a copy: a refused edit must not show its values as the enterprise's name.
    form = EnterpriseForm(request.POST or None, instance=copy.copy(enterprise))
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, lambda: profile_services.update_enterprise(enterprise, actor=request.user, **form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, _("The profile is saved."))
            return redirect("enterprise_detail", enterprise.reference)
    return render(
        request,
        "enterprises/edit.html",
        {"enterprise": enterprise, "form": form, "needs_consent": needs_consent(request.user)},
    )


# --- Contact persons ------------------------------------------------------------------------


@login_required
def contact_list(request, reference):
    """The profile's contact persons and their consents; a member adds one, attesting their consent."""
    enterprise = selectors.enterprise_of(request.user, reference)
    notice = selectors.current_notice()
    form = ContactForm(request.POST or None, notice_version=notice.version, region=enterprise.phone_region)
    if request.method == "POST" and form.is_valid():
        contact = call_service(
            form, lambda: contact_services.add_contact(enterprise, actor=request.user, **form.contact_data)
        )
        if contact is not None:
            messages.success(
                request,
                _("%(name)s is added, with their consent to version %(version)s of the notice recorded.")
                % {"name": contact.name, "version": notice.version},
            )
            return redirect("contact_list", enterprise.reference)
    return render(
        request,
        "enterprises/contacts.html",
        {
            "enterprise": enterprise,
            "contacts": selectors.contact_persons(enterprise),
            "form": form,
            "notice": notice,
            "needs_consent": needs_consent(request.user),
        },
    )


@login_required
@require_POST
def contact_remove(request, reference, pk):
    """Removing a contact person erases their personal data from the profile."""
    enterprise = selectors.enterprise_of(request.user, reference)
    contact = selectors.contact_person(enterprise, pk)
    contact_services.remove_contact(contact, actor=request.user)
    messages.success(
        request, _("%(name)s is removed from the profile, with their personal data.") % {"name": contact.name}
    )
    return redirect("contact_list", enterprise.reference)


@login_required
@require_POST
def contact_consent_withdraw(request, reference, pk):
    """The contact person told a member they withdraw consent: recorded, and staff no longer see
    their contact details."""
    enterprise = selectors.enterprise_of(request.user, reference)
    contact = selectors.contact_person(enterprise, pk)
    consent_services.withdraw_contact_consent(contact, actor=request.user)
    messages.success(request, _("%(name)s's consent is recorded as withdrawn.") % {"name": contact.name})
    return redirect("contact_list", enterprise.reference)
