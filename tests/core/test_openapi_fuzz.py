"""Schemathesis over the live schema, through the WSGI application: every operation, with a
signed-in applicant's session, with a key holding every scope and with a partner user's session
of the key's organisation, with valid and invalid input. No answer may be a 5xx, every answer
must match the schema (status, content type, body), and invalid input must be refused.

Bounded to run in the normal suite: a few derandomized examples per operation and mode, with
the path parameters of real objects for valid input so that answers are more than 404s.
"""

import datetime

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from enterprises.models import Enterprise
from enterprises.services import regulatory
from enterprises.services.sharing import grant_sharing
from hkhz_portal.core.notifications import notify
from hkhz_portal.webhooks import services as webhooks
from hkhz_portal.webhooks.models import Delivery, DeliveryStatus
from hkhz_portal.wsgi import application
from programs.centres import services as centre_services
from programs.services import applications as svc
from tests.conftest import PortalClient
from tests.factories import PartnerOrganisationFactory, api_key, partner_user
from tests.files import pdf
from tests.programs.centre_factories import ServiceFactory, client_of_new_enterprise, hk_centre, requested, staff_of
from tests.programs.factories import (
    applicant_of,
    applicant_of_new_enterprise,
    business_plan,
    in_review,
    officer_of,
    reviewed,
    reviewing_call,
)

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES = 6
#: The credentials are the test's, sent with every request: not parameters to generate (nor to
#: leave out as "invalid input", which the credentials sent anyway would then make valid).
CONFIG = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})


@pytest.fixture
def in_process_requests():
    """The WSGI handler closes the database connection after each request, as a server must;
    here the requests run inside the test's transaction, so it must not (Django's test client
    does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world():
    """An open call and an applicant with an enterprise (listed in the directory), a document, a
    product with a milestone, a draft, a service request and a notification; a partner organisation with a partner
    user, a submitted application shared with it, and two webhook endpoints (one to delete), one
    with a failed delivery: the objects the path parameters name."""
    call = reviewing_call(slug="hksp-2026-spring")
    applicant = applicant_of_new_enterprise()
    enterprise = applicant.memberships.get().enterprise
    Enterprise.objects.filter(pk=enterprise.pk).update(listed_in_directory=True)
    document = business_plan(applicant)
    product = regulatory.save_product(enterprise, actor=applicant, name="HLX-101", modality="biologic")
    milestone = regulatory.save_milestone(product, actor=applicant, jurisdiction="fda", pathway="ind")
    draft = svc.start_application(actor=applicant, call=call, enterprise=enterprise)
    service = ServiceFactory(unit=hk_centre())
    service_request = requested(service, applicant)
    notification = notify(applicant, title="Hello", body="", url="/")

    organisation = PartnerOrganisationFactory()
    partner = partner_user(organisation)
    shared = in_review(call)
    grant_sharing(shared.enterprise, actor=applicant_of(shared), organisation=organisation)
    endpoint, doomed = (
        webhooks.create_endpoint(actor=partner, url=f"https://hooks.example.com/{name}", event_types=["call.opened"])[0]
        for name in ("portal", "old")
    )
    delivery = webhooks.send_test_event(endpoint.pk, actor=partner)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, next_attempt_at=None)
    return {
        "applicant": applicant,
        "organisation": organisation,
        "partner": partner,
        "calls": {"slug": call.slug},
        "programmes": {"slug": call.programme.slug},
        "services": {"slug": service.slug},
        "service-requests": {"reference": service_request.reference},
        "directory": {"reference": enterprise.reference},
        "enterprises": {"reference": enterprise.reference},
        "documents": {"reference": enterprise.reference, "id": document.pk},
        "products": {"reference": enterprise.reference, "id": product.pk},
        "milestones": {"reference": enterprise.reference, "id": milestone.pk},
        "partner/applications": {"reference": shared.reference},
        "applications": {"reference": draft.reference},
        "notifications": {"id": notification.pk},
        "webhooks/deliveries": {"id": delivery.pk},
        "webhooks/endpoints": {"id": endpoint.pk, "endpoint_pk": endpoint.pk},
        "doomed endpoint": {"id": doomed.pk},
    }


def live_schema():
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, config=CONFIG)


def signed_in(user) -> dict:
    """The cookies and header of ``user``'s browser: the session, and the CSRF token for writes."""
    client = PortalClient()
    client.force_login(user)
    request = RequestFactory().get("/")
    token = get_token(request)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": request.META["CSRF_COOKIE"]}
    return {"headers": {"X-CSRFToken": token}, "cookies": cookies}


RESOURCES = (
    "documents",
    "products",
    "milestones",
    "notifications",
    "enterprises",
    "directory",
    "partner/applications",
    "applications",
    "calls",
    "programmes",
    "services",
    "service-requests",
    "webhooks/deliveries",
    "webhooks/endpoints",
)


def real_objects(world, operation) -> dict:
    """The path parameters of ``operation`` that name the world's objects (its last resource's);
    deleting an endpoint deletes one the other operations do not need."""
    if operation.method.upper() == "DELETE" and operation.path.startswith("/api/v1/webhooks/endpoints/"):
        return world["doomed endpoint"]
    for resource in RESOURCES:
        if f"/{resource}/" in operation.path:
            return world[resource]
    return {}


def fuzz(operation, mode, credentials, path_parameters):
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def run(case):
        case.call_and_validate(checks=CHECKS, **credentials)

    run()


@pytest.mark.parametrize("credential", ["session", "key", "partner"])
def test_every_operation_answers_as_documented(world, credential, in_process_requests):
    if credential == "session":
        credentials = signed_in(world["applicant"])
    elif credential == "partner":
        credentials = signed_in(world["partner"])
    else:
        credentials = {"headers": {"Authorization": f"Bearer {api_key(world['organisation'])}"}}
    schema = live_schema()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 35
    for operation in operations:
        known = {p.name for p in operation.path_parameters}
        objects = {name: value for name, value in real_objects(world, operation).items() if name in known}
        fuzz(operation, GenerationMode.POSITIVE, credentials, objects)
        try:
            fuzz(operation, GenerationMode.NEGATIVE, credentials, None)
        except Unsatisfiable:  # nothing to send wrong: no parameter, no body
            assert not operation.path_parameters and not operation.body, operation.label


def test_the_officers_and_reviewers_answers_match_the_schema_too(in_process_requests):
    """The answers the applicant's session cannot reach, built by hand in the views: a decision,
    the ranking, a decided application with its onboarding, a submitted review beside another."""
    call = reviewing_call()
    application = reviewed(call)
    officer, applicant = signed_in(officer_of(call)), signed_in(applicant_of(application))
    assignment = application.assignments.first()
    schema = live_schema()
    reference = {"reference": application.reference}
    move_in = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    decision = {
        "outcome": "approve",
        "space_kind": "wet_lab",
        "area_m2": "45.5",
        "move_in_on": move_in,
        "term_months": 36,
    }
    steps = [
        ("POST", "/api/v1/applications/{reference}/decide/", reference, decision, officer, 201),
        ("GET", "/api/v1/calls/{slug}/ranking/", {"slug": call.slug}, None, officer, 200),
        ("POST", "/api/v1/applications/{reference}/accept_offer/", reference, None, applicant, 200),
        ("GET", "/api/v1/applications/{reference}/", reference, None, applicant, 200),
        ("GET", "/api/v1/reviews/{id}/", {"id": assignment.pk}, None, signed_in(assignment.reviewer), 200),
    ]
    for method, path, parameters, body, credentials, status in steps:
        extra = {} if body is None else {"body": body, "media_type": "application/json"}
        case = schema[path][method].Case(path_parameters=parameters, **extra)
        response = case.call_and_validate(checks=CHECKS, **credentials)
        assert response.status_code == status, (path, response.text)
    assert response.json()["other_reviews"], "the reviewer sees the others' reviews once theirs is in"


def test_the_centres_answers_match_the_schema_too(in_process_requests):
    """The answers the applicant's session does not reach in the fuzzing: the centre's side of a
    request (its internal notes flagged, files attached, a step taken) and a rated request."""
    centre = hk_centre()
    staff = staff_of(centre)
    member = client_of_new_enterprise()
    request = requested(ServiceFactory(unit=centre), member)
    centre_services.take_step(actor=staff, request=request, name="accept")
    upload = SimpleUploadedFile("receipt.pdf", pdf(), content_type="application/pdf")
    centre_services.post_message(actor=staff, request=request, body="Filed.", uploads=[upload])
    centre_services.post_message(actor=staff, request=request, body="Check the passport.", internal=True)
    done = requested(ServiceFactory(unit=centre), member)
    for step in ("accept", "start_work", "complete"):
        centre_services.take_step(actor=staff, request=done, name=step)
    centre_services.rate(request=done, score=5, comment="Quick.", actor=member)
    schema = live_schema()
    detail = "/api/v1/service-requests/{reference}/"
    steps = [
        ("GET", detail, {"reference": request.reference}, None, signed_in(staff), 200),
        ("GET", "/api/v1/service-requests/", {}, None, signed_in(staff), 200),
        (
            "POST",
            detail + "transitions/",
            {"reference": request.reference},
            {"name": "start_work"},
            signed_in(staff),
            200,
        ),
        ("GET", detail, {"reference": done.reference}, None, signed_in(member), 200),
        ("GET", "/api/v1/stats/service-requests/centre-category-state/", {}, None, signed_in(member), 200),
    ]
    for method, path, parameters, body, credentials, status in steps:
        extra = {} if body is None else {"body": body, "media_type": "application/json"}
        case = schema[path][method].Case(path_parameters=parameters, **extra)
        response = case.call_and_validate(checks=CHECKS, **credentials)
        assert response.status_code == status, (path, response.text)
    assert response.json()["rows"], "the table has a row"
