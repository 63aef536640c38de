from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.validators import validate_plain_text

from . import services


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
