"""Upload forms of the documents page, and the upload pieces every page's forms share: the field
taking several files (``UploadsField``) and the refusal of an upload too large to receive
(``RefusedUploadMixin``). A file is checked by content here, so the user sees why it was refused
on its field; the service checks again before writing anything."""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.forms import MultipleFileInput
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


class RefusedUploadMixin:
    """A form with uploads that says why the upload handler stopped receiving them (the
    request's ``refused_upload``: a file or the request too large) on ``refused_upload_field``
    (``None``: the whole form), rather than "this field is required"."""

    refused_upload_field = "file"

    def __init__(self, *args, upload_refused=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_refused = upload_refused

    def full_clean(self):
        super().full_clean()
        if self.upload_refused is not None and self.is_bound:
            field = self.refused_upload_field or NON_FIELD_ERRORS
            self.errors[field] = self.error_class(self.upload_refused.messages)


def _files_help() -> str:
    return _("Optional. %(types)s, up to %(limit)s each.") % {
        "types": ALLOWED_LABEL,
        "limit": filesizeformat(settings.DOCUMENT_MAX_UPLOAD_BYTES),
    }


class UploadsField(forms.FileField):
    """Any number of files in one input (none by default), each checked by content like a
    document upload: the refusal names the file it is about."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", lazy(_files_help, str)())
        super().__init__(widget=MultipleFileInput(attrs={"accept": ACCEPT}), **kwargs)

    def clean(self, data, initial=None):
        files = [upload for upload in data if upload] if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            super().clean(None, initial)  # "required", when it is
            return []
        uploads = [super(UploadsField, self).clean(upload, initial) for upload in files]
        problems = []
        for upload in uploads:
            try:
                validate_upload(upload)
            except ValidationError as error:
                problems += [f"{upload.name}: {message}" for message in error.messages]
        if problems:
            raise ValidationError(problems, code="invalid_file")
        return uploads


class _FileForm(RefusedUploadMixin, RequiredMarkMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=lazy(_file_help, str)(),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

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
