"""Form helpers every app shares: the one way a page shows a service's refusal of what a form sent,
the date picker and the input taking several files."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

from .errors import DomainError, fix_page


def add_service_error(form, err, *, default_field=None) -> None:
    """Put a service's refusal (DomainError or ValidationError) on the field that caused it,
    else on ``default_field`` or the form as a whole: never a 500.

    A refusal that is not about what was typed is raised again, for ``DomainErrorMiddleware``
    (or a view's own handler) to answer: one with a page to fix it (consent required), one
    about who the user is (403) or about something gone (404).
    """
    if isinstance(err, DomainError):
        if fix_page(err) or err.status in (403, 404):
            raise err
        form.add_error(err.field if err.field in form.fields else default_field, err.message)
    elif hasattr(err, "error_dict"):
        for field, errors in err.error_dict.items():
            form.add_error(field if field in form.fields else default_field, errors)
    else:
        form.add_error(default_field, err)


def call_service(form, service, *, default_field=None):
    """Call ``service()``; on a refusal, put it on ``form`` and return None."""
    try:
        return service()
    except (DomainError, ValidationError) as err:
        add_service_error(form, err, default_field=default_field)
        return None


def act_on_form(request, form, perform, *, done: str, back, page):
    """Call ``perform()`` if ``form`` is valid, say ``done`` and answer ``back`` (a redirect to
    the page the form is on). A refusal about what was typed shows on the form (``page(form)``
    draws the page with it); a state changed meanwhile (409: someone acted first, the request
    closed) is a message on the page ``back`` leads to, drawn afresh."""
    if form.is_valid():
        try:
            perform()
        except DomainError as err:
            if err.status == 409:
                messages.error(request, err.message)
                return back
            add_service_error(form, err)
        except ValidationError as err:
            add_service_error(form, err)
        else:
            messages.success(request, done)
            return back
    return page(form)


def label_empty_choices(form, labels: dict) -> None:
    """Say what to pick ("Choose a sector") in place of a select's empty "---------" choice, for
    each field named in ``labels`` that has an empty choice."""
    for name, label in labels.items():
        field = form.fields.get(name)
        if field is not None and field.choices and field.choices[0][0] == "":
            field.choices = [("", label), *field.choices[1:]]


class OneErrorPerFieldMixin:
    """For a model form: the model's cross-field rules (``Model.clean``) say nothing more about a
    field that already failed its own check, so each field shows one precise message."""

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            errors.error_dict = {name: e for name, e in errors.error_dict.items() if name not in self.errors}
        super()._update_errors(errors)


class DateInput(forms.DateInput):
    """A browser date picker: its value is always ISO (``2026-12-15``), whatever the page's
    language, or the browser shows the field empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.FileInput):
    """A file input that takes several files at once."""

    allow_multiple_selected = True
