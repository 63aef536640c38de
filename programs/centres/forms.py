"""The enterprise's forms on the centres' pages: the catalogue's filters, which enterprise a
request is for, the request itself with its documents, a message to the centre, cancelling and
rating. Files are checked by content here (the user sees why on the field); the services check
again before writing anything."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.choices import DocumentType
from enterprises.forms.documents import RefusedUploadMixin, UploadsField
from enterprises.forms.profile import RequiredMarkMixin
from hkhz_portal.core.validators import validate_multiline_text

from ..forms.answers import UploadField
from ..forms.applications import EnterpriseChoiceForm
from ..models import ServiceCategory
from . import services
from .workflow import State

MESSAGE_MAX = 5000


def _text(label, *, rows=5, **kwargs):
    return forms.CharField(
        label=label,
        max_length=MESSAGE_MAX,
        validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def version_label(version) -> str:
    """A library document as a choice: its title, version and file name."""
    return _("%(title)s (version %(number)s, %(file)s)") % {
        "title": version.document.display_title,
        "number": version.number,
        "file": version.original_name,
    }


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters, sent by GET (the page works without scripts)."""

    centre = forms.ChoiceField(label=_("Centre"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *ServiceCategory.choices]
    )

    def __init__(self, *args, centres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [("", _("Both centres")), *((unit.code, unit.name) for unit in centres)]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"centre": data.get("centre", ""), "category": data.get("category", "")}


class RequestStateFilterForm(forms.Form):
    """The member's requests by state, sent by GET."""

    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All states")), *State.choices])

    def state_chosen(self) -> str:
        return self.cleaned_data.get("state", "") if self.is_bound and self.is_valid() else ""


class RequestEnterpriseForm(EnterpriseChoiceForm):
    """Which of the member's enterprises the request is for (its library gives the documents)."""

    enterprise = forms.ChoiceField(label=_("Request for"))


class ServiceRequestForm(RefusedUploadMixin, RequiredMarkMixin, forms.Form):
    """The details and, for each document type the service needs, one of the enterprise's
    current documents of that type or a new file (which goes to the library first)."""

    refused_upload_field = None

    details = _text(
        _("What do you need?"),
        rows=6,
        help_text=_("Say what the centre should do, with the names, dates and places that matter."),
        error_messages={"required": _("Say what you need.")},
    )

    def __init__(self, *args, required_types=(), library=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.required_types = list(required_types)
        self.versions = {str(version.pk): version for version in library}
        for doc_type in self.required_types:
            mine = [version for version in library if version.document.doc_type == doc_type]
            if mine:
                self.fields[f"library_{doc_type}"] = forms.ChoiceField(
                    label=_("From your library"),
                    required=False,
                    choices=[("", _("Choose a document")), *((str(v.pk), version_label(v)) for v in mine)],
                )
            self.fields[f"file_{doc_type}"] = UploadField()
            if not mine:
                self.fields[f"file_{doc_type}"].label = _("Upload the file")

    def document_groups(self) -> list[dict]:
        """Per document type needed: its name, and the library choice (if the library has one of
        that type) and the upload field, for the template's fieldsets."""
        labels = dict(DocumentType.choices)
        return [
            {
                "label": labels[doc_type],
                "library": self[f"library_{doc_type}"] if f"library_{doc_type}" in self.fields else None,
                "file": self[f"file_{doc_type}"],
            }
            for doc_type in self.required_types
        ]

    def clean(self):
        data = super().clean()
        labels = dict(DocumentType.choices)
        for doc_type in self.required_types:
            chosen, upload = data.get(f"library_{doc_type}"), data.get(f"file_{doc_type}")
            if chosen and upload:
                self.add_error(
                    f"file_{doc_type}", _("Choose a document from your library or upload a new file, not both.")
                )
            elif not chosen and not upload and f"file_{doc_type}" not in self.errors:
                field = f"library_{doc_type}" if f"library_{doc_type}" in self.fields else f"file_{doc_type}"
                self.add_error(
                    field,
                    _("This service needs the “%(type)s”: choose it from your library or upload it.")
                    % {"type": labels[doc_type]},
                )
        return data

    def chosen_versions(self) -> dict:
        """The library version chosen for each document type (the uploads are the view's to store)."""
        return {
            doc_type: self.versions[self.cleaned_data[f"library_{doc_type}"]]
            for doc_type in self.required_types
            if self.cleaned_data.get(f"library_{doc_type}")
        }

    def uploads(self) -> dict:
        return {
            doc_type: self.cleaned_data[f"file_{doc_type}"]
            for doc_type in self.required_types
            if self.cleaned_data.get(f"file_{doc_type}")
        }


class RequestMessageForm(RefusedUploadMixin, RequiredMarkMixin, forms.Form):
    """A message to the centre, with new files and documents from the enterprise's library."""

    refused_upload_field = "attachments"

    body = _text(_("Your message"), error_messages={"required": _("Write a message.")})
    attachments = UploadsField(label=_("Attach files"))
    library = forms.MultipleChoiceField(
        label=_("Attach documents from your library"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, library=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {str(version.pk): version for version in library}
        self.fields["library"].choices = [(pk, version_label(version)) for pk, version in self.versions.items()]
        if not library:
            del self.fields["library"]

    def chosen_versions(self) -> list:
        return [self.versions[pk] for pk in self.cleaned_data.get("library", [])]


class CancelRequestForm(RequiredMarkMixin, forms.Form):
    note = _text(
        _("Why do you cancel the request?"),
        rows=3,
        help_text=_("The centre reads it; it helps them improve the service."),
        error_messages={"required": _("Say why.")},
    )


class RatingForm(RequiredMarkMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[
            (5, _("5 — excellent")),
            (4, _("4 — good")),
            (3, _("3 — fair")),
            (2, _("2 — poor")),
            (1, _("1 — very poor")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = _text(_("Comment (optional)"), rows=3, required=False)

    def rate(self, service_request, **who):
        """Rate the request with the score and comment chosen, as ``who`` says (the member signed
        in, ``actor=``, or the e-mail's link, ``token=``)."""
        return services.rate(
            request=service_request, score=self.cleaned_data["score"], comment=self.cleaned_data["comment"], **who
        )
