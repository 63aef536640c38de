"""The webhook catalogue (the schema's ``webhooks``) tells the truth: for every event type, the
example partners read has the keys a real delivery of that type has, and a real delivery's
body matches the schema the catalogue publishes."""

from datetime import timedelta

import jsonschema
import pytest
from django.utils import timezone

from enterprises.services.sharing import grant_sharing
from hkhz_portal.core.models import DomainEvent
from hkhz_portal.webhooks.api_schema import WEBHOOKS
from hkhz_portal.webhooks.outbox import record_deliveries
from hkhz_portal.webhooks.types import CATALOGUE, LINK_SCOPES, EventType
from programs.centres import services as centre_services
from programs.services.decisions import admit
from programs.services.reminders import announce_calls
from tests.factories import PartnerOrganisationFactory, api_key
from tests.programs.centre_factories import ServiceFactory, hk_centre, requested, staff_of
from tests.programs.factories import (
    CallFactory,
    applicant_of,
    decided,
    officer_of,
    onboarded,
    reviewed,
    reviewing_call,
)

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


def keys(value) -> object:
    """The shape of a JSON value: its keys, nested objects' keys included."""
    if isinstance(value, dict):
        return {key: keys(inner) for key, inner in value.items()}
    return None


@pytest.fixture
def organisation():
    return PartnerOrganisationFactory()


@pytest.fixture
def delivered(organisation) -> dict[str, dict]:
    """One real delivery body of each event type: an endpoint of an organisation the enterprise
    shares with, subscribed to everything; a call opening and closing; an application
    submitted, approved and admitted through the services; and the enterprise's service
    requests, one completed and one cancelled."""
    make_endpoint(event_types=EventType.values, organisation=organisation)
    CallFactory(closes_at=timezone.now() + timedelta(days=2))
    announce_calls()
    call = reviewing_call()
    application = reviewed(call)
    grant_sharing(application.enterprise, actor=applicant_of(application), organisation=organisation)
    officer = officer_of(call)
    decided(application, officer)
    onboarded(officer, application)
    admit(actor=officer, application=application)
    centre = hk_centre()
    staff = staff_of(centre)
    for end in ("complete", "cancel"):
        request = requested(ServiceFactory(unit=centre), applicant_of(application))
        centre_services.take_step(actor=staff, request=request, name="accept")
        if end == "complete":
            centre_services.take_step(actor=staff, request=request, name="start_work")
            centre_services.take_step(actor=staff, request=request, name="complete")
        else:
            centre_services.take_step(actor=applicant_of(application), request=request, name="cancel", note="No.")
    bodies = {}
    for event in DomainEvent.objects.order_by("pk"):
        for delivery in record_deliveries(event):
            bodies.setdefault(delivery.event_type, delivery.payload)
    return bodies


def test_every_event_type_is_in_the_catalogue_and_the_schema():
    assert set(CATALOGUE) == set(EventType)
    assert [webhook.name for webhook in WEBHOOKS] == EventType.values


def test_each_examples_keys_are_a_real_deliverys(delivered):
    assert set(delivered) == set(EventType.values), "a type the journey did not deliver"
    for event_type, body in delivered.items():
        assert keys(CATALOGUE[event_type].example) == keys(body["data"]), event_type


def test_a_real_delivery_matches_the_schema_the_catalogue_publishes(delivered):
    for webhook in WEBHOOKS:
        content = webhook.decorator["post"]["requestBody"]["content"]["application/json"]
        jsonschema.validate(delivered[webhook.name], content["schema"])
        (example,) = content["examples"].values()
        jsonschema.validate(example["value"], content["schema"])


def test_a_deliverys_links_are_read_with_the_scopes_the_catalogue_names(client, settings, organisation, delivered):
    site = settings.SITE_URL.rstrip("/")
    keys_by_scope = {scope: api_key(organisation, scopes=[scope]) for scope in set(LINK_SCOPES.values())}
    for event_type, body in delivered.items():
        for name, link in body["data"]["links"].items():
            key = keys_by_scope[LINK_SCOPES[name]]
            assert link.startswith(f"{site}/api/v1/"), link
            response = client.get(link.removeprefix(site), HTTP_AUTHORIZATION=f"Bearer {key}")
            assert response.status_code == 200, (event_type, link, response.content[:200])
