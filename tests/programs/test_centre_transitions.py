"""Every step of a service request, read from ``WORKFLOW``: allowed from its states and refused
from every other; refused to the wrong side, to another centre's staff, to another enterprise's
members and to nobody signed in. The rules around the steps too: asking the enterprise needs a
message, a wait and a cancellation need a reason, the enterprise's answer resumes the clock,
closed requests take no messages, who may give a request to whom, and rating once."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from programs.centres import services
from programs.centres.workflow import TRANSITIONS, WORKFLOW, Side, State
from programs.models import RequestStateChange, ServiceRating

from .centre_factories import (
    PATHS,
    ServiceFactory,
    client_of_new_enterprise,
    hz_centre,
    moved_to,
    requested,
    staff_of,
    take,
)
from .factories import refusal

pytestmark = pytest.mark.django_db

#: The steps taken by a person (``request`` makes the request; ``client_answered`` is tested apart:
#: it is the enterprise's message, taken from every open state).
STEPS = [name for name in TRANSITIONS if name not in ("request", "client_answered")]
CENTRE_STEPS = [t.name for t in TRANSITIONS.values() if t.by == Side.CENTRE]
#: The centre's steps that ``take_step`` takes (asking the enterprise goes with its message).
TAKEN_STEPS = [name for name in CENTRE_STEPS if name != "ask_client"]


def new_request(centre):
    """A request of ``centre`` (whose staff, made first, is assigned to it)."""
    return requested(ServiceFactory(unit=centre))


def test_the_paths_cover_every_state_and_follow_the_workflow():
    assert set(PATHS) == set(State)
    for state, path in PATHS.items():
        reached = State.REQUESTED
        for name in path:
            assert TRANSITIONS[name].allowed_from(reached)
            reached = TRANSITIONS[name].target
        assert reached == state


def logged(request) -> list[str]:
    return list(RequestStateChange.objects.filter(request=request).values_list("transition", flat=True))


@pytest.mark.parametrize(("name", "state"), list(itertools.product(STEPS, State)))
def test_each_step_is_allowed_from_its_states_only(centre, staff, name, state):
    request = moved_to(state, staff)
    before = logged(request)
    transition = TRANSITIONS[name]
    if transition.allowed_from(state):
        take(name, request, staff=staff, client=request.requested_by)
        request.refresh_from_db()
        assert request.state == transition.target
        assert logged(request) == [*before, name]
    else:
        refused = refusal(lambda: take(name, request, staff=staff, client=request.requested_by))
        assert (refused.status, refused.code) == (409, "invalid_transition")
        assert str(transition.label) in refused.message
        request.refresh_from_db()
        assert request.state == state and logged(request) == before


def test_the_centre_is_offered_exactly_its_own_steps_from_each_state():
    for state in State:
        offered = [t.name for t in WORKFLOW.by(Side.CENTRE, state)]
        assert offered == [n for n in CENTRE_STEPS if TRANSITIONS[n].allowed_from(state)]
    assert [t.name for t in WORKFLOW.by(Side.CENTRE, State.COMPLETED)] == []


# --- Who takes a step ------------------------------------------------------------------------------


def source_of(name):
    """A state the step is allowed from (the first in the workflow's order)."""
    return next(state for state in State if TRANSITIONS[name].allowed_from(state))


@pytest.mark.parametrize("name", CENTRE_STEPS)
def test_the_enterprise_cannot_take_the_centres_steps(centre, staff, name):
    request = moved_to(source_of(name), staff)
    before = logged(request)
    refused = refusal(lambda: take(name, request, staff=request.requested_by, client=request.requested_by))
    assert refused.status == 403
    request.refresh_from_db()
    assert request.state == source_of(name) and logged(request) == before
    assert not request.messages.filter(author=request.requested_by).exists()


def test_the_centre_cannot_cancel_for_the_enterprise_as_the_enterprise(centre, staff, lead):
    request = moved_to(State.IN_PROGRESS, staff)
    for member in (staff, lead):
        assert refusal(lambda m=member: take("cancel", request, staff=m, client=m)).status == 403
    request.refresh_from_db()
    assert request.state == State.IN_PROGRESS


@pytest.mark.parametrize("name", CENTRE_STEPS)
def test_another_centres_staff_and_lead_cannot_take_a_step(centre, staff, name):
    request = moved_to(source_of(name), staff)
    for outsider in (staff_of(hz_centre()), staff_of(hz_centre(), lead=True)):
        refused = refusal(lambda o=outsider: take(name, request, staff=o, client=request.requested_by))
        assert refused.status == 403
    request.refresh_from_db()
    assert request.state == source_of(name)


@pytest.mark.parametrize("name", STEPS)
def test_nobody_signed_in_takes_no_step(centre, staff, name):
    request = moved_to(source_of(name), staff)
    for nobody in (None, AnonymousUser()):
        refused = refusal(lambda n=nobody: take(name, request, staff=n, client=n))
        assert refused.status == 403


def test_another_enterprises_member_cannot_cancel_or_write(centre, staff):
    request = moved_to(State.WAITING_ON_CLIENT, staff)
    stranger = client_of_new_enterprise()
    assert refusal(lambda: take("cancel", request, staff=staff, client=stranger)).status == 403
    assert refusal(lambda: services.post_message(actor=stranger, request=request, body="Hello")).status == 403
    request.refresh_from_db()
    assert request.state == State.WAITING_ON_CLIENT


def test_an_outsider_with_a_stale_state_learns_nothing_but_no(centre, staff):
    request = moved_to(State.IN_PROGRESS, staff)
    outsider = staff_of(hz_centre())
    refused = refusal(lambda: take("complete", request, staff=outsider, client=None, expected_state=State.ACCEPTED))
    assert (refused.status, refused.code) == (403, "forbidden")
    assert "progress" not in refused.message


def test_a_stale_page_is_told_the_request_changed_meanwhile(centre, staff):
    request = moved_to(State.IN_PROGRESS, staff)
    refused = refusal(lambda: take("start_work", request, staff=staff, client=None, expected_state=State.ACCEPTED))
    assert (refused.status, refused.code) == (409, "changed_meanwhile")
    assert "In progress" in refused.message


def test_a_step_that_is_not_one_and_the_steps_taken_otherwise_are_refused(centre, staff):
    request = moved_to(State.WAITING_ON_CLIENT, staff)
    unknown = refusal(lambda: services.take_step(actor=staff, request=request, name="escalate"))
    assert (unknown.status, unknown.code) == (400, "unknown_transition")
    for name in ("request", "ask_client", "client_answered"):
        refused = refusal(lambda n=name: services.take_step(actor=request.requested_by, request=request, name=n))
        assert (refused.status, refused.code) == (409, "invalid_transition")
    request.refresh_from_db()
    assert request.state == State.WAITING_ON_CLIENT


# --- What a step needs -----------------------------------------------------------------------------


def test_asking_the_enterprise_needs_a_message(centre, staff):
    request = moved_to(State.IN_PROGRESS, staff)
    refused = refusal(lambda: take("ask_client", request, staff=staff, client=None, body="  "))
    assert (refused.code, refused.field) == ("message_required", "body")
    request.refresh_from_db()
    assert request.state == State.IN_PROGRESS and not request.messages.exists()
    take("ask_client", request, staff=staff, client=None)
    message = request.messages.get()
    assert message.from_centre and not message.internal
    assert RequestStateChange.objects.get(request=request, transition="ask_client").note == message.body


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"pause_reason": ""}, "pause_reason_required", "pause_reason"),
        ({"pause_reason": "the_moon"}, "pause_reason_required", "pause_reason"),
        ({"note": " "}, "reason_required", "note"),
    ],
)
def test_waiting_on_a_third_party_needs_whom_and_why(centre, staff, changes, code, field):
    request = moved_to(State.IN_PROGRESS, staff)
    refused = refusal(lambda: take("wait_third_party", request, staff=staff, client=None, **changes))
    assert (refused.code, refused.field) == (code, field)
    request.refresh_from_db()
    assert request.state == State.IN_PROGRESS


def test_the_wait_keeps_whom_and_why(centre, staff):
    request = moved_to(State.WAITING_ON_THIRD_PARTY, staff)
    change = RequestStateChange.objects.get(request=request, transition="wait_third_party")
    assert (change.pause_reason, change.note) == ("bank", "HSBC's account opening team")


@pytest.mark.parametrize("name", ["decline", "cancel"])
def test_cancelling_needs_a_reason(centre, staff, name):
    request = moved_to(State.ACCEPTED, staff)
    refused = refusal(lambda: take(name, request, staff=staff, client=request.requested_by, note=""))
    assert (refused.code, refused.field) == ("reason_required", "note")
    take(name, request, staff=staff, client=request.requested_by, note="We found another provider.")
    request.refresh_from_db()
    assert request.state == State.CANCELLED and request.closed_at is not None
    assert RequestStateChange.objects.get(request=request, transition=name).note == "We found another provider."


# --- Messages --------------------------------------------------------------------------------------


def test_the_enterprises_message_while_waiting_on_it_resumes_the_request(centre, staff):
    request = moved_to(State.WAITING_ON_CLIENT, staff)
    services.post_message(actor=request.requested_by, request=request, body="The passports are attached.")
    request.refresh_from_db()
    assert request.state == State.IN_PROGRESS
    assert logged(request)[-1] == "client_answered"


@pytest.mark.parametrize("state", [State.REQUESTED, State.IN_PROGRESS, State.WAITING_ON_THIRD_PARTY])
def test_the_enterprises_message_otherwise_changes_no_state(centre, staff, state):
    request = moved_to(state, staff)
    before = logged(request)
    services.post_message(actor=request.requested_by, request=request, body="Any news?")
    request.refresh_from_db()
    assert request.state == state and logged(request) == before


def test_the_centres_messages_do_not_resume_a_request_waiting_on_the_enterprise(centre, staff):
    request = moved_to(State.WAITING_ON_CLIENT, staff)
    services.post_message(actor=staff, request=request, body="A reminder: we still need the passports.")
    services.post_message(actor=staff, request=request, body="Chased by phone.", internal=True)
    request.refresh_from_db()
    assert request.state == State.WAITING_ON_CLIENT


def test_only_the_centre_writes_internal_notes(centre, staff):
    request = moved_to(State.IN_PROGRESS, staff)
    client = request.requested_by
    refused = refusal(lambda: services.post_message(actor=client, request=request, body="x", internal=True))
    assert refused.status == 403
    assert not request.messages.exists()


@pytest.mark.parametrize("state", [State.COMPLETED, State.CANCELLED])
def test_closed_requests_take_no_messages(centre, staff, state):
    request = moved_to(state, staff)
    for author, internal in ((request.requested_by, False), (staff, False), (staff, True)):
        refused = refusal(
            lambda a=author, i=internal: services.post_message(actor=a, request=request, body="And…", internal=i)
        )
        assert (refused.status, refused.code) == (409, "request_closed")
    refused = refusal(lambda: take("ask_client", request, staff=staff, client=None))
    assert refused.code == "invalid_transition"
    assert not request.messages.exists()


# --- Assignment ------------------------------------------------------------------------------------


def test_staff_take_a_request_for_themselves_only(centre, staff):
    request = new_request(centre)
    colleague = staff_of(centre, full_name="Staff Chow")
    services.assign(actor=colleague, request=request, assignee=colleague)
    request.refresh_from_db()
    assert request.assignee == colleague
    refused = refusal(lambda: services.assign(actor=colleague, request=request, assignee=staff))
    assert refused.status == 403
    request.refresh_from_db()
    assert request.assignee == colleague


def test_the_lead_gives_a_request_to_anyone_of_the_centre(centre, staff, lead):
    request = new_request(centre)
    colleague = staff_of(centre)
    for assignee in (colleague, lead, staff):
        services.assign(actor=lead, request=request, assignee=assignee)
        request.refresh_from_db()
        assert request.assignee == assignee


def test_nobody_gives_a_request_to_another_centres_staff(centre, staff, lead):
    request = new_request(centre)
    other = staff_of(hz_centre())
    refused = refusal(lambda: services.assign(actor=lead, request=request, assignee=other))
    assert (refused.code, refused.field) == ("not_centre_staff", "assignee")
    # Nor does the other centre's staff take it, or its lead give it.
    assert refusal(lambda: services.assign(actor=other, request=request, assignee=other)).status == 403
    other_lead = staff_of(hz_centre(), lead=True)
    assert refusal(lambda: services.assign(actor=other_lead, request=request, assignee=other)).status == 403
    assert refusal(lambda: services.assign(actor=request.requested_by, request=request, assignee=staff)).status == 403


def test_a_closed_request_is_not_given_to_anyone(centre, staff, lead):
    request = moved_to(State.CANCELLED, staff)
    refused = refusal(lambda: services.assign(actor=lead, request=request, assignee=lead))
    assert (refused.status, refused.code) == (409, "request_closed")


# --- Rating ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [s for s in State if s != State.COMPLETED])
def test_only_a_completed_request_is_rated(centre, staff, state):
    request = moved_to(state, staff)
    refused = refusal(lambda: services.rate(request=request, score=5, actor=request.requested_by))
    assert (refused.status, refused.code) == (409, "not_completed")
    assert not ServiceRating.objects.exists()


def test_a_completed_request_is_rated_once_by_its_enterprise(centre, staff):
    request = moved_to(State.COMPLETED, staff)
    client = request.requested_by
    assert refusal(lambda: services.rate(request=request, score=5, actor=staff)).status == 403
    stranger = client_of_new_enterprise()
    assert refusal(lambda: services.rate(request=request, score=5, actor=stranger)).status == 403
    assert refusal(lambda: services.rate(request=request, score=6, actor=client)).code == "bad_score"
    services.rate(request=request, score=4, comment="Quick and clear.", actor=client)
    refused = refusal(lambda: services.rate(request=request, score=5, actor=client))
    assert (refused.status, refused.code) == (409, "already_rated")
    assert ServiceRating.objects.get(request=request).score == 4


@pytest.mark.parametrize("score", ["five", "4.5", 4.5, "", None, True, [5], "0", 0, "6"])
def test_a_score_that_is_not_one_to_five_is_refused_on_its_field(centre, staff, score):
    request = moved_to(State.COMPLETED, staff)
    refused = refusal(lambda: services.rate(request=request, score=score, actor=request.requested_by))
    assert (refused.status, refused.code, refused.field) == (400, "bad_score", "score")
    assert not ServiceRating.objects.exists()


def test_a_score_sent_as_digits_is_taken(centre, staff):
    request = moved_to(State.COMPLETED, staff)
    services.rate(request=request, score=" 4 ", comment=None, actor=request.requested_by)
    assert (ServiceRating.objects.get().score, ServiceRating.objects.get().comment) == (4, "")
