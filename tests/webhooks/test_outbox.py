"""From domain events to the outbox: the public type, the small body, and only the partners
that may hear of the event and subscribed to its type."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.services.sharing import grant_sharing, revoke_sharing
from hkhz_portal.core import events
from hkhz_portal.core.models import DomainEvent
from hkhz_portal.webhooks import services
from hkhz_portal.webhooks.models import Delivery
from hkhz_portal.webhooks.outbox import record_deliveries
from hkhz_portal.webhooks.types import EventType
from programs.centres import services as centre_services
from programs.events import CallEventKind, event_kind
from programs.services.reminders import announce_calls
from tests.factories import EnterpriseFactory, member_of
from tests.programs.centre_factories import ServiceFactory, client_of_new_enterprise, hk_centre, requested, staff_of
from tests.programs.factories import CallFactory, application_in_review

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


def recorded(kind) -> list[Delivery]:
    return [d for pk in DomainEvent.objects.filter(kind=kind).values_list("pk", flat=True) for d in dispatch(pk)]


def dispatch(event_id) -> list[Delivery]:
    return record_deliveries(DomainEvent.objects.get(pk=event_id))


def test_a_call_opening_goes_to_every_subscriber_of_call_opened_only():
    opened, _s, _u = make_endpoint(event_types=["call.opened"])
    other_org, _s, _u = make_endpoint(event_types=["call.opened", "call.closing"])
    make_endpoint(event_types=["call.closing"])
    disabled, _s, user = make_endpoint(event_types=["call.opened"])
    services.disable_endpoint(disabled.pk, actor=user)
    CallFactory(slug="medtech-2027")
    announce_calls()
    deliveries = recorded(CallEventKind.OPENED)
    assert {d.endpoint_id for d in deliveries} == {opened.pk, other_org.pk}
    body = deliveries[0].payload
    assert set(body) == {"type", "timestamp", "data"} and body["type"] == "call.opened"
    assert body["data"]["call"] == "medtech-2027"


def test_a_call_closing_is_announced_three_days_before_it_closes_once():
    make_endpoint(event_types=["call.closing"])
    now = timezone.now()
    CallFactory(slug="far", closes_at=now + timedelta(days=10))
    CallFactory(slug="near", closes_at=now + timedelta(days=2))
    CallFactory(slug="gone", opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=1))
    announce_calls()
    assert announce_calls() == 0
    closing = [d.payload["data"]["call"] for d in recorded(CallEventKind.CLOSING)]
    assert closing == ["near"]
    opened = DomainEvent.objects.filter(kind=CallEventKind.OPENED).values_list("payload__call", flat=True)
    assert sorted(opened) == ["far", "near"]  # a call that closed before the beat saw it is not announced


def decided_event():
    application = application_in_review(CallFactory(), EnterpriseFactory())
    return application, events.emit(
        event_kind("approve"),
        target=application,
        payload={"reference": application.reference, "from": "reviewed", "to": "approved"},
    )


def test_an_application_event_goes_to_nobody_while_its_enterprise_shares_with_nobody():
    make_endpoint(event_types=["application.decided"])
    _application, event = decided_event()
    assert dispatch(event.pk) == []


def test_an_application_event_goes_only_to_the_organisations_its_enterprise_shares_with():
    shared, _s, _u = make_endpoint(event_types=["application.decided"])
    make_endpoint(event_types=["application.decided"])  # an organisation the enterprise shares nothing with
    revoked, _s, _u = make_endpoint(event_types=["application.decided"])
    application, event = decided_event()
    owner = member_of(application.enterprise, "owner")
    grant_sharing(application.enterprise, actor=owner, organisation=shared.organisation)
    grant_sharing(application.enterprise, actor=owner, organisation=revoked.organisation)
    revoke_sharing(application.enterprise, actor=owner, organisation=revoked.organisation)
    [delivery] = dispatch(event.pk)
    assert delivery.endpoint_id == shared.pk
    data = delivery.payload["data"]
    assert (data["application"], data["status"]) == (application.reference, "approved")
    assert data["links"]["application"].endswith(f"/api/v1/partner/applications/{application.reference}/")
    assert delivery.payload["type"] == "application.decided"


def test_an_event_partners_never_hear_of_makes_no_delivery():
    make_endpoint(event_types=["application.submitted"])
    application = application_in_review(CallFactory(), EnterpriseFactory())
    event = events.emit(event_kind("start"), target=application, payload={"reference": application.reference})
    assert dispatch(event.pk) == []


def test_an_event_about_a_record_since_deleted_makes_no_delivery_and_does_not_block_its_notices():
    make_endpoint(event_types=["call.opened"])
    call = CallFactory()
    event = events.emit(CallEventKind.OPENED, target=call, payload={"call": call.slug})
    DomainEvent.objects.filter(pk=event.pk).update(target_id="999999")
    assert events.dispatch(event.pk)
    assert not Delivery.objects.exists()


def test_a_service_requests_steps_reach_only_organisations_its_enterprise_shares_with_without_its_words(settings):
    """Made, accepted, paused and completed: partners sharing with the enterprise hear each step by
    type, with the state and a link to the service; never a message, a note, a reason or a rating,
    nor the thread's, reminders' and rating's own events."""
    every_type = [t for t in EventType.values if t.startswith("service_request.")]
    shared, _s, _u = make_endpoint(event_types=every_type)
    make_endpoint(event_types=every_type)  # an organisation the enterprise shares nothing with
    centre = hk_centre()
    staff = staff_of(centre)
    client = client_of_new_enterprise()
    grant_sharing(client.memberships.get().enterprise, actor=client, organisation=shared.organisation)
    request = requested(ServiceFactory(unit=centre, slug="hk-bank"), client)
    centre_services.take_step(actor=staff, request=request, name="accept")
    centre_services.post_message(actor=staff, request=request, body="Secret plan", internal=True)
    centre_services.ask_client(actor=staff, request=request, body="Send the passports")
    centre_services.post_message(actor=client, request=request, body="Attached")
    centre_services.take_step(actor=staff, request=request, name="wait_third_party", pause_reason="bank", note="KYC")
    centre_services.take_step(actor=staff, request=request, name="resume")
    centre_services.take_step(actor=staff, request=request, name="complete")
    centre_services.rate(request=request, score=2, comment="Slow", actor=client)

    deliveries = [d for pk in DomainEvent.objects.order_by("pk").values_list("pk", flat=True) for d in dispatch(pk)]

    assert {d.endpoint_id for d in deliveries} == {shared.pk}
    assert [(d.payload["type"], d.payload["data"]["state"]) for d in deliveries] == [
        ("service_request.requested", "requested"),
        ("service_request.state_changed", "accepted"),
        ("service_request.state_changed", "waiting_on_client"),
        ("service_request.state_changed", "in_progress"),
        ("service_request.state_changed", "waiting_on_third_party"),
        ("service_request.state_changed", "in_progress"),
        ("service_request.completed", "completed"),
    ]
    assert deliveries[0].payload["data"] == {
        "service_request": request.reference,
        "service": "hk-bank",
        "category": "company_setup",
        "centre": "hk-centre",
        "enterprise": request.enterprise.reference,
        "state": "requested",
        "links": {"service": f"{settings.SITE_URL.rstrip('/')}/api/v1/services/hk-bank/"},
    }
    sent = " ".join(str(d.payload) for d in deliveries)
    for words in ("Secret plan", "Send the passports", "Attached", "KYC", "Slow"):
        assert words not in sent
