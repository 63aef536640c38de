"""Service requests acted on at the same moment, on PostgreSQL with real threads and real
transactions: two staff taking a step at once make one transition and the other is told the
request changed meanwhile (on the page too, as a message); the enterprise answering while the
centre resumes ends in one consistent state."""

import re

import pytest
from django.urls import reverse

from hkhz_portal.core.errors import DomainError
from programs.centres import services
from programs.centres.workflow import TRANSITIONS, State
from programs.models import RequestMessage, RequestStateChange, ServiceRequest
from tests.conftest import PortalClient
from tests.threads import at_once

from .centre_factories import ServiceFactory, hk_centre, moved_to, staff_of

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("threads_on_postgresql"),
]


@pytest.fixture
def two_staff():
    centre = hk_centre()
    return staff_of(centre, full_name="Staff Lam"), staff_of(centre, full_name="Staff Chow")


def step(user, service_request, name):
    """Take ``name`` as a page would: the request loaded afresh, the state the page showed expected."""
    note = {"decline": {"note": "A duplicate of another request."}}.get(name, {})
    return lambda: services.take_step(
        actor=user,
        request=ServiceRequest.objects.get(pk=service_request.pk),
        name=name,
        expected_state=service_request.state,
        **note,
    )


@pytest.mark.parametrize(
    ("state", "first", "second"),
    [
        (State.REQUESTED, "accept", "accept"),
        (State.REQUESTED, "accept", "decline"),
        (State.IN_PROGRESS, "complete", "complete"),
        (State.IN_PROGRESS, "complete", "decline"),
    ],
)
def test_two_staff_acting_at_once_make_one_transition(two_staff, state, first, second):
    service_request = moved_to(state, two_staff[0], ServiceFactory(unit=two_staff[0].unit))
    before = RequestStateChange.objects.filter(request=service_request).count()
    outcomes = at_once(step(two_staff[0], service_request, first), step(two_staff[1], service_request, second))

    won = [o for o in outcomes if isinstance(o, RequestStateChange)]
    lost = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert (lost[0].status, lost[0].code) == (409, "changed_meanwhile")
    service_request.refresh_from_db()
    assert service_request.state == TRANSITIONS[won[0].transition].target
    assert f"“{service_request.get_state_display()}” meanwhile" in lost[0].message
    assert RequestStateChange.objects.filter(request=service_request).count() == before + 1


def test_two_staff_accepting_through_the_page_one_is_told_it_changed_meanwhile(two_staff):
    service_request = moved_to(State.REQUESTED, two_staff[0], ServiceFactory(unit=two_staff[0].unit))
    url = reverse("programs:centre_request_action", args=[service_request.reference, "accept"])
    clients = []
    for user in two_staff:
        client = PortalClient()
        client.force_login(user)
        clients.append(client)

    def accept(client):
        # The page's own text: the test client's captured contexts are not kept apart between threads.
        return lambda: re.findall(
            r'<p class="message message-(\w+)">([^<]*)</p>',
            client.post(url, {"accept-expected_state": "requested"}, follow=True).content.decode(),
        )

    outcomes = at_once(*(accept(client) for client in clients))
    assert sorted(outcomes) == [
        [("error", "This request was moved to “Accepted” meanwhile. Reload the page to see it.")],
        [("success", f"Done: “Accept” on {service_request.reference}.")],
    ]
    assert RequestStateChange.objects.filter(request=service_request, transition="accept").count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_the_enterprise_answering_while_the_centre_resumes_ends_consistent(two_staff, attempt):
    staff = two_staff[0]
    service_request = moved_to(State.WAITING_ON_CLIENT, staff, ServiceFactory(unit=staff.unit))
    client = service_request.requested_by

    def answer():
        return services.post_message(
            actor=client, request=ServiceRequest.objects.get(pk=service_request.pk), body="The passports are attached."
        )

    outcomes = at_once(answer, step(staff, service_request, "resume"))

    answered, resumed = outcomes
    assert isinstance(answered, RequestMessage), outcomes  # the enterprise's message is never lost
    service_request.refresh_from_db()
    assert service_request.state == State.IN_PROGRESS
    # One way out of the wait: the answer (and the centre is told it changed) or the resumption
    # (and the answer is a message on a request already at work).
    after_wait = list(
        RequestStateChange.objects.filter(request=service_request, from_state=State.WAITING_ON_CLIENT).values_list(
            "transition", flat=True
        )
    )
    if isinstance(resumed, DomainError):
        assert (resumed.code, after_wait) == ("changed_meanwhile", ["client_answered"])
    else:
        assert after_wait == ["resume"]
    # The clock runs again, its due moment recomputed.
    assert service_request.resolution_due_at is not None
