"""Upload forms of the documents page. The file is checked by content here, so the user sees
why it was refused on the file field; the service checks again before writing anything."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.validators import validate_plain_text

from ..choices import DocumentType
from ..uploads import ALLOWED_LABEL, validate_upload
from .profile import RequiredMarkMixin

ACCEPT = ".pdf,.png,.jpg,.jpeg,.xlsx,.docx"


def _file_help() -> str:
    return _("%(types)s, up to %(limit)s.") % {
        "types": ALLOWED_LABEL,
        "limit": filesizeformat(settings.DOCUMENT_MAX_UPLOAD_BYTES),
    }


class _FileForm(RequiredMarkMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=lazy(_file_help, str)(),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, upload_refused=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_refused = upload_refused

    def full_clean(self):
        super().full_clean()
        if self.upload_refused is not None and self.is_bound:
            # The upload handler stopped receiving the files: say why, not "this field is required".
            self.errors["file"] = self.error_class(self.upload_refused.messages)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload)
        return upload


class DocumentUploadForm(_FileForm):
    """A new document: its type, a title (the type's name when left empty) and the first version's file."""

    doc_type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("Choose a type")), *DocumentType.choices],
        error_messages={"required": _("Choose the type of document.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        validators=[validate_plain_text],
        help_text=_("Optional. Without one, the document is called by its type, for example “Business licence”."),
    )

    field_order = ["doc_type", "title", "file"]


class VersionUploadForm(_FileForm):
    """A new version of an existing document (which document comes from the URL's form target)."""

    file = forms.FileField(
        label=_("New version"),
        help_text=lazy(_file_help, str)(),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
