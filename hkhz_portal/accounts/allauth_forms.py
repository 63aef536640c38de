"""allauth's forms, worded as the rest of the portal (``ACCOUNT_FORMS``, ``MFA_FORMS``).

allauth's labels are in title case and its 繁體 catalogue uses Taiwan terms (電子信箱, 帳號); these
subclasses give each field the portal's own words, and drop the placeholders that only repeat
the label (they vanish as one types, and are read twice by screen readers).
"""

from allauth.account import forms as account
from allauth.mfa.base import forms as mfa
from allauth.mfa.totp import forms as totp
from django.contrib.auth import password_validation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

EMAIL = _("E-mail address")
PASSWORD = _("Password")
NEW_PASSWORD = _("New password")
AGAIN = _("Repeat the password")
CODE = _("Code from your authenticator app")
RECOVERY_HINT = _("Lost your phone? Enter one of your recovery codes instead.")


def _new_password_help() -> str:
    """What the password validators ask, in one sentence of ours (Django's own list reads
    "你的密碼…" in 繁體)."""
    validators = password_validation.get_default_password_validators()
    lengths = [validator.min_length for validator in validators if hasattr(validator, "min_length")]
    return _(
        "At least %(count)d characters, not only digits, not a common password, not like your name or e-mail address."
    ) % {"count": max(lengths, default=1)}


NEW_PASSWORD_HELP = lazy(_new_password_help, str)()


class Worded:
    """Puts ``labels`` and ``help_texts`` on the fields allauth made ("" removes a help text)."""

    labels: dict = {}
    help_texts: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].widget.attrs.pop("placeholder", None)
        for name, text in self.help_texts.items():
            self.fields[name].help_text = text


class LoginForm(Worded, account.LoginForm):
    labels = {"login": EMAIL, "password": PASSWORD, "remember": _("Keep me signed in on this device")}
    help_texts = {"password": ""}  # the page links to the password reset itself


class SignupForm(Worded, account.SignupForm):
    labels = {"email": EMAIL, "password1": PASSWORD, "password2": AGAIN}
    help_texts = {"password1": NEW_PASSWORD_HELP}


class AddEmailForm(Worded, account.AddEmailForm):
    labels = {"email": EMAIL}


class ChangePasswordForm(Worded, account.ChangePasswordForm):
    labels = {"oldpassword": _("Current password"), "password1": NEW_PASSWORD, "password2": AGAIN}
    help_texts = {"oldpassword": "", "password1": NEW_PASSWORD_HELP}


class ResetPasswordForm(Worded, account.ResetPasswordForm):
    labels = {"email": EMAIL}


class ResetPasswordKeyForm(Worded, account.ResetPasswordKeyForm):
    labels = {"password1": NEW_PASSWORD, "password2": AGAIN}
    help_texts = {"password1": NEW_PASSWORD_HELP}


class ReauthenticateForm(Worded, account.ReauthenticateForm):
    labels = {"password": PASSWORD}
    help_texts = {"password": ""}


class MFAAuthenticateForm(Worded, mfa.AuthenticateForm):
    labels = {"code": CODE}
    help_texts = {"code": RECOVERY_HINT}


class MFAReauthenticateForm(Worded, mfa.ReauthenticateForm):
    labels = {"code": CODE}
    help_texts = {"code": RECOVERY_HINT}


class ActivateTOTPForm(Worded, totp.ActivateTOTPForm):
    labels = {"code": _("The 6-digit code your app shows")}
