from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import services
from .models import User


class SignupForm(forms.Form):
    """Extra sign-up fields; allauth adds e-mail and password and calls ``signup``."""

    full_name = User._meta.get_field("full_name").formfield(
        label=_("Full name"), widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def signup(self, request, user):
        language = get_language() or settings.LANGUAGE_CODE
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        services.complete_signup(actor=user, full_name=self.cleaned_data["full_name"], language=language)


class ProfileForm(forms.Form):
    full_name = User._meta.get_field("full_name").formfield(label=_("Full name"))
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("Pages and e-mails reach you in this language."),
    )
