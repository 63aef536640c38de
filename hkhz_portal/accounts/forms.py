import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.forms import DateInput
from hkhz_portal.core.validators import validate_plain_text

from . import api_keys, services
from .api_keys import Scope


class SignupForm(forms.Form):
    """Extra sign-up fields; allauth adds e-mail and password and calls ``signup``."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        validators=[validate_plain_text],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user):
        language = get_language() or settings.LANGUAGE_CODE
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        services.complete_signup(actor=user, full_name=self.cleaned_data["full_name"], language=language)


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, validators=[validate_plain_text])
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("Pages and e-mails reach you in this language."),
    )


class NotificationSettingsForm(forms.Form):
    """One "also by e-mail" box per kind of event that tells people something (``core.events``);
    in-portal notices always arrive."""

    def __init__(self, *args, kinds, current: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.name] = forms.BooleanField(
                label=kind.label, required=False, initial=current.get(kind.name, True)
            )


class APIKeyForm(forms.Form):
    """A new key: its name, its scopes and the day it stops working, which becomes the moment
    that day starts, Hong Kong time. The service checks it all again."""

    name = forms.CharField(
        label=_("Key name"),
        max_length=100,
        validators=[validate_plain_text],
        help_text=_("Say where the key will be used, so that you know which one to revoke: “Loans, production”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Give the key only what the system using it needs."),
        error_messages={"required": _("Choose one or more scopes.")},
    )
    expires_at = forms.DateField(
        label=_("Expires on"),
        widget=DateInput,
        help_text=_("The key stops working at the start of this day, Hong Kong time; at most two years from today."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        field = self.fields["expires_at"]
        field.initial = today + api_keys.DEFAULT_LIFETIME
        field.widget.attrs.update(
            min=(today + datetime.timedelta(days=1)).isoformat(),
            max=(today + 2 * api_keys.DEFAULT_LIFETIME).isoformat(),
        )

    def clean_expires_at(self) -> datetime.datetime:
        """The start of the day chosen, checked here too so that its refusal shows beside the
        form's others rather than after they are put right."""
        expires_at = timezone.make_aware(datetime.datetime.combine(self.cleaned_data["expires_at"], datetime.time.min))
        try:
            api_keys.check_expiry(expires_at, now=timezone.now())
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return expires_at
