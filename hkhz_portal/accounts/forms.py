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


class NotificationSettingsForm(forms.Form):
    """One "also by e-mail" box per kind of event that tells people something (``core.events``);
    in-portal notices always arrive."""

    def __init__(self, *args, kinds, current: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.name] = forms.BooleanField(
                label=kind.label, required=False, initial=current.get(kind.name, True)
            )
