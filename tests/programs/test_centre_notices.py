"""Who is told of a service request's steps and messages, in the portal and by e-mail, in their
own language: the enterprise of what the centre does, the centre of what the enterprise does;
internal notes never reach the enterprise and never carry their text; the completion e-mail's
rating link rates the request without signing in, once."""

import re

import pytest
from django.conf import settings
from django.core import mail

from hkhz_portal.core.models import Notification
from programs.centres import services
from programs.centres.events import ThreadEventKind, transition_kind
from programs.models import ServiceRating, ServiceRequest
from tests.factories import member_of

from .centre_factories import ServiceFactory, client_of_new_enterprise, requested, staff_of
from .factories import refusal

pytestmark = pytest.mark.django_db

NOTE = "Their bank statement looks forged; check with compliance before answering."


@pytest.fixture
def staff(centre):
    """The centre's staff member who gets the requests (the first of its idle staff)."""
    return staff_of(centre, full_name="Staff Wong", preferred_language="en")


@pytest.fixture
def lead(centre, staff):
    return staff_of(centre, lead=True, full_name="Lead Lam", preferred_language="en")


@pytest.fixture
def client_user():
    return client_of_new_enterprise(full_name="Owner Chan", preferred_language="en")


@pytest.fixture
def colleague(client_user):
    """Another member of the requesting enterprise, who reads 繁體中文."""
    return member_of(client_user.memberships.get().enterprise, full_name="Member Ho", preferred_language="zh-hant")


@pytest.fixture
def request_(centre, staff, lead, client_user, colleague, act):
    return act(lambda: requested(ServiceFactory(unit=centre), client_user, details="Set up our HK subsidiary."))


def told(kind) -> dict[str, Notification]:
    notes = Notification.objects.filter(kind=kind).select_related("recipient")
    names = [note.recipient.full_name for note in notes]
    assert len(names) == len(set(names)), f"someone was told twice of {kind}: {names}"
    return {note.recipient.full_name: note for note in notes}


def step(actor, request, name, **fields):
    """Taking step ``name`` on the request (as it stands when taken), for ``act``."""
    return lambda: services.take_step(actor=actor, request=request, name=name, **fields)


def test_a_new_request_tells_its_assignee_and_the_centres_leads_with_its_details(request_, staff, lead):
    assert request_.assignee == staff
    notes = told(transition_kind("request"))
    assert set(notes) == {"Staff Wong", "Lead Lam"}
    note = notes["Staff Wong"]
    assert note.title == f"{request_.reference}: a new request for “Hong Kong company incorporation”"
    assert "Set up our HK subsidiary." in note.body
    assert note.url == f"/staff/requests/{request_.reference}/"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([staff.email, lead.email])


def test_the_enterprise_hears_of_each_step_the_centre_takes_in_its_own_language(request_, staff, act):
    reference = request_.reference
    act(step(staff, request_, "accept"))
    act(step(staff, request_, "start_work"))
    act(step(staff, request_, "wait_third_party", pause_reason="bank", note="HSBC is checking the directors"))
    act(step(staff, request_, "resume"))

    accepted = told(transition_kind("accept"))
    assert set(accepted) == {"Owner Chan", "Member Ho"}  # not the staff member who accepted
    assert accepted["Owner Chan"].title == f"{reference}: accepted by the centre"
    assert accepted["Owner Chan"].url == f"/requests/{reference}/"
    assert "“Hong Kong company incorporation”" in accepted["Owner Chan"].body
    assert "「香港公司註冊」" in accepted["Member Ho"].body  # the service's name in 繁體中文
    assert not told(transition_kind("start_work"))
    waiting = told(transition_kind("wait_third_party"))["Owner Chan"].body
    assert waiting.startswith("The centre is waiting on A bank: HSBC is checking the directors")
    assert set(told(transition_kind("resume"))) == {"Owner Chan", "Member Ho"}


def test_asking_the_enterprise_tells_it_once_with_the_question_and_its_answer_tells_the_assignee_once(
    request_, staff, client_user, act
):
    act(step(staff, request_, "accept"))
    question = "Please send the directors' passports."
    act(lambda: services.ask_client(actor=staff, request=request_, body=question))
    asked = told(transition_kind("ask_client"))
    assert set(asked) == {"Owner Chan", "Member Ho"}
    assert asked["Owner Chan"].body.startswith(question)
    assert asked["Owner Chan"].title == f"{request_.reference}: the centre asks you for something"
    assert not told(ThreadEventKind.MESSAGE)  # the question is told once, not also as a message

    act(lambda: services.post_message(actor=client_user, request=request_, body="Attached, both passports."))
    answered = told(transition_kind("client_answered"))
    assert set(answered) == {"Staff Wong"}  # the assignee; not the lead, not the enterprise
    assert answered["Staff Wong"].body.startswith("Attached, both passports.")
    assert answered["Staff Wong"].url == f"/staff/requests/{request_.reference}/"
    assert not told(ThreadEventKind.MESSAGE)


def test_public_messages_reach_the_other_side_with_their_text(request_, staff, client_user, act):
    act(lambda: services.post_message(actor=client_user, request=request_, body="Can you start next week?"))
    to_centre = told(ThreadEventKind.MESSAGE)
    assert set(to_centre) == {"Staff Wong"}
    assert to_centre["Staff Wong"].body == "Can you start next week?"
    assert to_centre["Staff Wong"].title.startswith(f"{request_.reference}: a message from Hangzhou Test Biotech")

    Notification.objects.all().delete()
    act(lambda: services.post_message(actor=staff, request=request_, body="Yes, on Monday."))
    to_enterprise = told(ThreadEventKind.MESSAGE)
    assert set(to_enterprise) == {"Owner Chan", "Member Ho"}
    assert to_enterprise["Owner Chan"].title == f"{request_.reference}: a message from the centre"
    assert to_enterprise["Member Ho"].body == "Yes, on Monday."
    assert to_enterprise["Member Ho"].url == f"/requests/{request_.reference}/"


def test_an_internal_note_tells_the_centres_colleagues_without_its_text_and_the_enterprise_nothing(
    request_, staff, lead, client_user, colleague, act
):
    mail.outbox.clear()
    Notification.objects.all().delete()
    act(lambda: services.post_message(actor=lead, request=request_, body=NOTE, internal=True))
    notes = told(ThreadEventKind.INTERNAL_NOTE)
    assert set(notes) == {"Staff Wong"}  # the assignee; the lead wrote it
    assert notes["Staff Wong"].title == f"{request_.reference}: a colleague added an internal note"
    assert notes["Staff Wong"].url == f"/staff/requests/{request_.reference}/"

    # Public messages either side of it: still nothing of the note reaches anyone.
    act(lambda: services.post_message(actor=staff, request=request_, body="We are on it."))
    act(lambda: services.post_message(actor=client_user, request=request_, body="Thanks."))
    act(lambda: services.post_message(actor=staff, request=request_, body="Second thoughts.", internal=True))
    enterprise_mail = [m for m in mail.outbox if m.to[0] in {client_user.email, colleague.email}]
    assert len(enterprise_mail) == 2  # "We are on it." to each member, and nothing of the notes
    assert all("We are on it." in m.body for m in enterprise_mail)
    for text in (NOTE, "Second thoughts."):
        assert not Notification.objects.filter(body__contains=text).exists()
        assert not Notification.objects.filter(title__contains=text).exists()
        assert not [m for m in mail.outbox if text in m.body or text in m.subject]
    enterprise = {"Owner Chan", "Member Ho"}
    assert not enterprise & set(told(ThreadEventKind.INTERNAL_NOTE))
    assert set(told(ThreadEventKind.INTERNAL_NOTE)) == {"Staff Wong", "Lead Lam"}


def test_assigning_tells_the_new_assignee_and_taking_it_yourself_tells_nobody(centre, request_, lead, act):
    other = staff_of(centre, full_name="Staff Lee", preferred_language="en")
    act(lambda: services.assign(actor=lead, request=request_, assignee=other))
    notes = told(ThreadEventKind.ASSIGNED)
    assert set(notes) == {"Staff Lee"}
    assert notes["Staff Lee"].title == f"{request_.reference}: assigned to you"
    Notification.objects.all().delete()
    act(lambda: services.assign(actor=lead, request=request_, assignee=lead))
    assert not told(ThreadEventKind.ASSIGNED)


def test_a_cancellation_is_told_to_the_other_side_with_its_reason(centre, request_, client_user, act):
    ServiceRequest.objects.filter(pk=request_.pk).update(assignee=None)
    other = staff_of(centre, full_name="Staff Lee", preferred_language="en")
    act(step(client_user, request_, "cancel", note="We found another provider."))
    notes = told(transition_kind("cancel"))
    # Nobody is assigned: the centre's staff (its leads among them) are told.
    assert set(notes) == {"Staff Wong", "Lead Lam", other.full_name}
    assert notes["Staff Wong"].body.endswith(": We found another provider.")
    assert not told(transition_kind("decline"))


def test_a_centres_cancellation_tells_the_enterprise_why(request_, staff, act):
    act(step(staff, request_, "decline", note="This is a Hangzhou centre service."))
    notes = told(transition_kind("decline"))
    assert set(notes) == {"Owner Chan", "Member Ho"}
    assert notes["Owner Chan"].title == f"{request_.reference}: cancelled by the centre"
    assert notes["Owner Chan"].body.endswith(": This is a Hangzhou centre service.")


def rating_link(body: str) -> tuple[str, str]:
    site = re.escape(settings.SITE_URL.rstrip("/"))
    found = re.search(site + r"(/requests/rating/([^/\s]+)/)", body)
    assert found, f"no rating link in:\n{body}"
    return found.group(1), found.group(2)


def test_the_completion_email_carries_a_rating_link_that_rates_the_request_once(request_, staff, colleague, lead, act):
    for name in ("accept", "start_work", "complete"):
        act(step(staff, request_, name))
    completed = told(transition_kind("complete"))
    assert set(completed) == {"Owner Chan", "Member Ho"}
    (email,) = [m for m in mail.outbox if m.to == [colleague.email] and completed["Member Ho"].title in m.subject]
    assert "香港公司註冊" in email.body  # written for the 繁體中文 reader
    path, token = rating_link(email.body)
    assert path == f"/requests/rating/{token}/"

    assert services.request_for_rating(token).pk == request_.pk
    act(lambda: services.rate(request=services.request_for_rating(token), score=4, comment="Quick.", token=token))
    rated = told(ThreadEventKind.RATED)
    assert set(rated) == {"Staff Wong", "Lead Lam"}
    assert rated["Lead Lam"].title == f"{request_.reference}: rated 4 out of 5"
    assert rated["Lead Lam"].body.endswith("saying: Quick.")
    assert refusal(lambda: services.request_for_rating(token)).code == "bad_link"  # spent


def test_a_rating_link_is_good_for_its_own_request_only(centre, request_, staff, act):
    other = act(lambda: requested(ServiceFactory(unit=centre)))
    for request in (request_, other):
        for name in ("accept", "start_work", "complete"):
            act(step(staff, request, name))
    _, token = rating_link(told(transition_kind("complete"))["Owner Chan"].body)
    other = ServiceRequest.objects.get(pk=other.pk)
    assert refusal(lambda: services.rate(request=other, score=5, token=token)).code == "bad_link"
    assert not ServiceRating.objects.exists()
