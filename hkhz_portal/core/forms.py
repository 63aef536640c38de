"""Helpers shared by every page that calls a service with a form's data."""

from django.core.exceptions import ValidationError

from .errors import DomainError


def add_service_error(form, err, *, default_field=None) -> None:
    """Put a service's refusal (DomainError or ValidationError) on the field that caused it,
    else on ``default_field`` or the form as a whole: never a 500.

    A refusal that sends the user elsewhere (consent required) is raised again, for
    ``DomainErrorMiddleware`` to redirect.
    """
    if isinstance(err, DomainError):
        if err.redirect_to:
            raise err
        form.add_error(err.field if err.field in form.fields else default_field, err.message)
    elif isinstance(err, ValidationError) and hasattr(err, "error_dict"):
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
