"""How pages answer a service's refusal: on the form when it is about what was typed, on the page
where it is put right when the app registered one (consent), else back where the user was."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from enterprises.services.consent import ConsentRequired, require_consent
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.errors import DomainError, fix_page, register_fix_page
from hkhz_portal.core.forms import call_service
from hkhz_portal.core.middleware import DomainErrorMiddleware
from tests.factories import user_with_role


class NameForm(forms.Form):
    name = forms.CharField()


def bound_form():
    form = NameForm({"name": "Lakeside"})
    assert form.is_valid()
    return form


def refuse(error):
    def service():
        raise error

    return service


def test_a_refusal_about_a_field_goes_on_that_field():
    form = bound_form()
    assert call_service(form, refuse(DomainError("Taken.", field="name"))) is None
    assert form.errors == {"name": ["Taken."]}


def test_a_validation_error_goes_on_its_fields_and_the_rest_on_the_form():
    form = bound_form()
    call_service(form, refuse(ValidationError({"name": "Too short.", "other": "Not here."})))
    assert form.errors == {"name": ["Too short."], "__all__": ["Not here."]}


@pytest.mark.parametrize("status", [403, 404])
def test_a_refusal_about_who_you_are_is_not_put_on_the_form(status):
    form = bound_form()
    with pytest.raises(DomainError):
        call_service(form, refuse(DomainError("Only an owner can do this.", status=status)))
    assert not form.errors


@pytest.mark.django_db
def test_wanting_consent_is_its_own_kind_of_refusal_with_no_page_in_it():
    user = user_with_role(Role.APPLICANT)
    with pytest.raises(ConsentRequired) as refused:
        require_consent(user)
    assert (refused.value.status, refused.value.code) == (403, "consent_required")
    assert not hasattr(refused.value, "redirect_to")
    # The enterprises app registered where it is put right; core knows no app's pages.
    assert fix_page(refused.value) == "consent"
    with pytest.raises(ConsentRequired):
        call_service(bound_form(), lambda: require_consent(user))


class CallClosed(DomainError):
    pass


def middleware_answer(error, **headers):
    request = RequestFactory().post("/somewhere/?step=2", **headers)
    request.session = {}
    request._messages = FallbackStorage(request)
    response = DomainErrorMiddleware(lambda r: None).process_exception(request, error)
    return response, [str(m) for m in get_messages(request)]


def test_the_middleware_sends_a_registered_refusal_to_its_page_and_back(monkeypatch):
    monkeypatch.setattr("hkhz_portal.core.errors._FIX_PAGES", {CallClosed: "dashboard"})
    response, shown = middleware_answer(CallClosed("The call is closed."))
    assert response["Location"] == "/dashboard/?next=%2Fsomewhere%2F%3Fstep%3D2"
    assert shown == ["The call is closed."]


def test_the_middleware_sends_any_other_refusal_back_where_the_user_was():
    response, shown = middleware_answer(DomainError("Not now."), HTTP_REFERER="http://testserver/before/")
    assert response["Location"] == "http://testserver/before/"
    assert shown == ["Not now."]


def test_registering_a_page_covers_subclasses(monkeypatch):
    monkeypatch.setattr("hkhz_portal.core.errors._FIX_PAGES", {})
    register_fix_page(CallClosed, "dashboard")

    class LateSubmission(CallClosed):
        pass

    assert fix_page(LateSubmission("Too late.")) == "dashboard"
    assert fix_page(DomainError("Other.")) is None
