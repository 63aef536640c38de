"""The service request's life through its services: each step allowed from its states, by its
side, and refused otherwise; the clocks' figures kept on the request as it moves."""

import pytest
from django.utils import timezone

from programs.centres import services
from programs.centres.workflow import State
from programs.models import ClockLevel, RequestStateChange

from .centre_factories import ServiceFactory, client_of_new_enterprise, hk_centre, hz_centre, requested, staff_of
from .factories import refusal

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return staff_of(hk_centre())


def test_a_request_gets_its_reference_steps_policy_and_the_least_loaded_assignee(staff):
    busy = staff_of(hk_centre())
    requested(ServiceFactory(unit=hk_centre()))
    # The first request went to the first of two idle staff; the next goes to the other.
    second = requested(ServiceFactory(unit=hk_centre()))
    first_assignee = {staff, busy} - {second.assignee}
    assert len(first_assignee) == 1
    assert second.reference == f"SRV-{timezone.localdate():%Y}-{second.pk:05d}"
    assert [step.title_en for step in second.steps.all()] == ["Check the documents", "File with the registry"]
    assert second.sla["calendar"] == "HK"
    assert second.response_due_at is not None and second.resolution_due_at is not None


def test_the_whole_life_with_pauses_and_rating(staff):
    request = requested(ServiceFactory(unit=hk_centre()))
    client = request.requested_by
    services.take_step(actor=staff, request=request, name="accept")
    request.refresh_from_db()
    assert request.first_response_at is not None and request.response_due_at is None
    services.take_step(actor=staff, request=request, name="start_work")
    services.ask_client(actor=staff, request=request, body="Please send the directors' passports.")
    request.refresh_from_db()
    assert request.state == State.WAITING_ON_CLIENT and request.resolution_due_at is None
    services.post_message(actor=client, request=request, body="Attached.")
    request.refresh_from_db()
    assert request.state == State.IN_PROGRESS
    services.take_step(actor=staff, request=request, name="wait_third_party", pause_reason="bank", note="HSBC KYC")
    services.take_step(actor=staff, request=request, name="resume")
    services.take_step(actor=staff, request=request, name="complete")
    request.refresh_from_db()
    assert request.state == State.COMPLETED and request.closed_at is not None
    assert request.resolution_level == ClockLevel.OK
    steps = list(RequestStateChange.objects.filter(request=request).values_list("transition", flat=True))
    assert steps == [
        "request",
        "accept",
        "start_work",
        "ask_client",
        "client_answered",
        "wait_third_party",
        "resume",
        "complete",
    ]
    token = services.rating_token(request)
    services.rate(request=request, score=5, comment="Quick.", token=token)
    assert refusal(lambda: services.rate(request=request, score=4, token=token)).code == "bad_link"


def test_wrong_side_wrong_state_and_another_centre_are_refused(staff):
    request = requested(ServiceFactory(unit=hk_centre()))
    client = request.requested_by
    assert refusal(lambda: services.take_step(actor=client, request=request, name="accept")).status == 403
    other_centre = staff_of(hz_centre())
    assert refusal(lambda: services.take_step(actor=other_centre, request=request, name="accept")).status == 403
    refused = refusal(lambda: services.take_step(actor=staff, request=request, name="complete"))
    assert refused.code == "invalid_transition"
    stranger = client_of_new_enterprise()
    assert refusal(lambda: services.take_step(actor=stranger, request=request, name="cancel", note="x")).status == 403
    assert refusal(lambda: services.take_step(actor=client, request=request, name="cancel")).code == "reason_required"
    services.take_step(actor=client, request=request, name="cancel", note="Found another agent.")
    request.refresh_from_db()
    assert request.state == State.CANCELLED
