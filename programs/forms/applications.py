"""The applicant's other forms: which enterprise applies, the declaration, withdrawing, answering an officer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.choices import DocumentType
from enterprises.forms.profile import RequiredMarkMixin
from hkhz_portal.core.validators import validate_multiline_text

from .answers import UploadField


class EnterpriseChoiceForm(forms.Form):
    """Which of the user's enterprises the self-check and the application are for."""

    enterprise = forms.ChoiceField(label=_("Apply for"))

    def __init__(self, *args, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [(e.reference, e.display_name) for e in enterprises]


class DeclarationForm(forms.Form):
    declaration = forms.BooleanField(
        label=_(
            "I declare that the answers and documents in this application are true and complete to the best of "
            "my knowledge, and that I may apply on behalf of the enterprise."
        ),
        error_messages={"required": _("Confirm the declaration to submit the application.")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The program officers read it; it helps them improve the programme."),
    )


class RespondForm(RequiredMarkMixin, forms.Form):
    """The message to the officer and the documents sent with it (the reopened answers are an
    ``AnswersForm`` beside it, so this one takes a prefix)."""

    message = forms.CharField(
        label=_("Your answer to the officer"),
        max_length=5000,
        validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your answer to the officer.")},
    )
    documents = forms.MultipleChoiceField(
        label=_("Documents from the library"), required=False, widget=forms.CheckboxSelectMultiple
    )
    doc_type = forms.ChoiceField(
        label=_("Type of the new file"),
        required=False,
        choices=[("", _("Choose a type")), *DocumentType.choices],
    )
    file = UploadField()

    def __init__(self, *args, library=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [(str(d.pk), d.display_title) for d in library]

    def clean(self):
        data = super().clean()
        if data.get("file") and not data.get("doc_type"):
            self.add_error("doc_type", _("Choose the type of the new document."))
        return data
