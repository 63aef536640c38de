"""Forms of the members page: invitations and role changes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import MemberRole


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("We e-mail a link that works once, for 7 days. The person signs in or signs up with this address."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MemberRole.choices,
        initial=MemberRole.MEMBER,
        help_text=_("Owners can also invite and remove members and transfer ownership."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=MemberRole.choices)
