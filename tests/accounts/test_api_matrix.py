"""Who reaches what in the API: one table of every endpoint (method, URL) and the status each
kind of credential gets, sessions and keys alike; a test that every API route is in the table;
and a test that a key's secret is never written to the logs or the audit trail.

The table's objects belong to the applicant (their enterprise, listed in the directory, its
document, product and milestone, their application in review at the officer's unit, shared with
the keys' partner organisation, their enterprise's request to a service centre, its financing round, their
notification), to the reviewer (their assignment to that
application) and to the keys' organisation (a webhook endpoint and a failed delivery to it). The
partner user signed in acts for another organisation: its objects are not theirs (404). A
permitted write is sent an empty body: 400 says it got past the permission checks to the
validation (200 where nothing is required: submitting a submitted application again changes
nothing, withdrawing needs no reason, rotating a secret takes the default overlap; 202 for the
webhook steps that queue a delivery; 409 where the step is not due yet: a review before the
declaration, accepting a place not offered), 404 that the object is not the credential's to
see. Keys: revoked or expired 401; an endpoint that names no scope for keys, or a write outside
``webhooks:manage``, 403; a key holding every scope but the endpoint's (``other_scope``), 403
naming it. The API root, an index of links, and the schema and its pages are open to anyone.
The resources' own tests check what each answer holds (``tests/programs/test_partner_api.py``,
``tests/webhooks/test_api.py``); this table only who gets in.
"""

import datetime
import json
import logging
import uuid

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from rest_framework.permissions import SAFE_METHODS

from hkhz_portal.accounts import services
from hkhz_portal.accounts.api_keys import Scope
from hkhz_portal.accounts.models import APIKey
from hkhz_portal.core.models import AuditEvent, Notification
from tests.factories import PartnerOrganisationFactory, partner_user

pytestmark = pytest.mark.django_db

API = "/api/v1/"
CREDENTIALS = ("anonymous", "applicant", "officer", "reviewer", "partner", "key", "other_scope", "revoked", "expired")

E = "/api/v1/enterprises/{enterprise}/"
A = "/api/v1/applications/{application}/"
N = "/api/v1/notifications/{notification}/"
R = "/api/v1/reviews/{assignment}/"
S = "/api/v1/stats/"
SR = "/api/v1/service-requests/{service_request}/"
W = "/api/v1/webhooks/endpoints/{endpoint}/"
D = "/api/v1/webhooks/deliveries/{delivery}/"
CALLS, NO_KEYS = Scope.CALLS_READ, None
DIRECTORY, STATS, SHARED, HOOKS = Scope.DIRECTORY_READ, Scope.STATS_READ, Scope.APPLICATIONS_READ, Scope.WEBHOOKS_MANAGE

# fmt: off
#: (method, URL, the scope a key needs (None: none named, so keys are refused), then the status of each of
#: CREDENTIALS:  anonymous, applicant, officer, reviewer, partner, key, other_scope, revoked, expired)
MATRIX = [
    ("GET",    "/api/v1/",                          NO_KEYS, 200, 200, 200, 200, 200, 200, 200, 401, 401),  # for anyone
    ("GET",    "/api/v1/schema/",                   NO_KEYS, 200, 200, 200, 200, 200, 200, 200, 401, 401),  # for anyone
    ("GET",    "/api/v1/docs/",                     NO_KEYS, 200, 200, 200, 200, 200, 200, 200, 401, 401),  # for anyone
    ("GET",    "/api/v1/redoc/",                    NO_KEYS, 200, 200, 200, 200, 200, 200, 200, 401, 401),  # for anyone
    ("GET",    "/api/v1/me/",                       NO_KEYS, 401, 200, 200, 200, 200, 403, 403, 401, 401),
    ("GET",    "/api/v1/notifications/",            NO_KEYS, 401, 200, 200, 200, 200, 403, 403, 401, 401),
    ("GET",    N,                                   NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("POST",   N + "read/",                         NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("GET",    "/api/v1/enterprises/",              NO_KEYS, 401, 200, 200, 200, 200, 403, 403, 401, 401),
    ("GET",    E,                                   NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("PATCH",  E,                                   NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("GET",    E + "documents/",                    NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("GET",    E + "documents/{document}/",         NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("GET",    E + "members/",                      NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("GET",    E + "products/",                     NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("POST",   E + "products/",                     NO_KEYS, 401, 400, 404, 404, 404, 403, 403, 401, 401),
    ("GET",    E + "products/{product}/",           NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("PUT",    E + "products/{product}/",           NO_KEYS, 401, 400, 404, 404, 404, 403, 403, 401, 401),
    ("PATCH",  E + "products/{product}/",           NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("DELETE", E + "products/{product}/",           NO_KEYS, 401, 204, 404, 404, 404, 403, 403, 401, 401),
    ("GET",    E + "milestones/",                   NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("POST",   E + "milestones/",                   NO_KEYS, 401, 400, 404, 404, 404, 403, 403, 401, 401),
    ("GET",    E + "milestones/{milestone}/",       NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("PUT",    E + "milestones/{milestone}/",       NO_KEYS, 401, 400, 404, 404, 404, 403, 403, 401, 401),
    ("PATCH",  E + "milestones/{milestone}/",       NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("DELETE", E + "milestones/{milestone}/",       NO_KEYS, 401, 204, 404, 404, 404, 403, 403, 401, 401),
    # The enterprise's financing rounds: its members only, never keys (tests/funds/test_enterprise_api.py).
    ("GET",    E + "rounds/",                       NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("POST",   E + "rounds/",                       NO_KEYS, 401, 400, 404, 404, 404, 403, 403, 401, 401),
    ("GET",    E + "rounds/{round}/",               NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("GET",    "/api/v1/calls/",                    CALLS,   200, 200, 200, 200, 200, 200, 403, 401, 401),
    ("GET",    "/api/v1/calls/{call}/",             CALLS,   200, 200, 200, 200, 200, 200, 403, 401, 401),
    ("GET",    "/api/v1/calls/{call}/ranking/",     NO_KEYS, 401, 403, 200, 403, 403, 403, 403, 401, 401),
    ("GET",    "/api/v1/applications/",             NO_KEYS, 401, 200, 200, 200, 200, 403, 403, 401, 401),
    ("POST",   "/api/v1/applications/",             NO_KEYS, 401, 400, 400, 400, 400, 403, 403, 401, 401),
    ("GET",    A,                                   NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("PATCH",  A,                                   NO_KEYS, 401, 400, 404, 404, 404, 403, 403, 401, 401),
    ("POST",   A + "submit/",                       NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("POST",   A + "withdraw/",                     NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("POST",   A + "respond/",                      NO_KEYS, 401, 400, 404, 404, 404, 403, 403, 401, 401),
    ("POST",   A + "accept_offer/",                 NO_KEYS, 401, 409, 404, 404, 404, 403, 403, 401, 401),
    ("POST",   A + "decide/",                       NO_KEYS, 401, 403, 400, 403, 403, 403, 403, 401, 401),
    ("GET",    "/api/v1/reviews/",                  NO_KEYS, 401, 200, 200, 200, 200, 403, 403, 401, 401),
    ("GET",    R,                                   NO_KEYS, 401, 404, 404, 200, 404, 403, 403, 401, 401),
    ("PUT",    R,                                   NO_KEYS, 401, 404, 404, 409, 404, 403, 403, 401, 401),
    ("POST",   R + "declare/",                      NO_KEYS, 401, 404, 404, 400, 404, 403, 403, 401, 401),
    ("GET",    "/api/v1/programmes/",               CALLS,   200, 200, 200, 200, 200, 200, 403, 401, 401),
    ("GET",    "/api/v1/programmes/{programme}/",   CALLS,   200, 200, 200, 200, 200, 200, 403, 401, 401),
    # The centres' catalogue is open to anyone, as the programmes are.
    ("GET",    "/api/v1/services/",                 CALLS,   200, 200, 200, 200, 200, 200, 403, 401, 401),
    ("GET",    "/api/v1/services/{service}/",       CALLS,   200, 200, 200, 200, 200, 200, 403, 401, 401),
    # Service requests: the enterprise's members and the centre's staff (tests/programs/test_centre_api.py).
    ("GET",    "/api/v1/service-requests/",         NO_KEYS, 401, 200, 200, 200, 200, 403, 403, 401, 401),
    ("POST",   "/api/v1/service-requests/",         NO_KEYS, 401, 400, 400, 400, 400, 403, 403, 401, 401),
    ("GET",    SR,                                  NO_KEYS, 401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("POST",   SR + "messages/",                    NO_KEYS, 401, 400, 404, 404, 404, 403, 403, 401, 401),
    ("POST",   SR + "transitions/",                 NO_KEYS, 401, 400, 404, 404, 404, 403, 403, 401, 401),
    ("POST",   SR + "rating/",                      NO_KEYS, 401, 400, 404, 404, 404, 403, 403, 401, 401),
    # Staff and partners read the directory; applicants and reviewers do not.
    ("GET",    "/api/v1/directory/",                DIRECTORY, 401, 403, 200, 403, 200, 200, 403, 401, 401),
    ("GET",    "/api/v1/directory/{listed}/",       DIRECTORY, 401, 403, 200, 403, 200, 200, 403, 401, 401),
    # Statistics: anyone signed in.
    ("GET",    S,                                   STATS,   401, 200, 200, 200, 200, 200, 403, 401, 401),
    ("GET",    S + "applications/call/",            STATS,   401, 200, 200, 200, 200, 200, 403, 401, 401),
    ("GET",    S + "applications/status/",          STATS,   401, 200, 200, 200, 200, 200, 403, 401, 401),
    ("GET",    S + "applications/sector/",          STATS,   401, 200, 200, 200, 200, 200, 403, 401, 401),
    ("GET",    S + "applications/month/",           STATS,   401, 200, 200, 200, 200, 200, 403, 401, 401),
    ("GET",    S + "admissions/year/",              STATS,   401, 200, 200, 200, 200, 200, 403, 401, 401),
    ("GET",    S + "service-requests/centre-category-state/", STATS, 401, 200, 200, 200, 200, 200, 403, 401, 401),
    ("GET",    S + "deals/fund-stage/",             STATS,   401, 200, 200, 200, 200, 200, 403, 401, 401),
    ("GET",    S + "priority-windows/fund-state/",  STATS,   401, 200, 200, 200, 200, 200, 403, 401, 401),
    # The fund's figures: aggregates, as the statistics.
    ("GET",    "/api/v1/fund/figures/",             STATS,   401, 200, 200, 200, 200, 200, 403, 401, 401),
    # Partners only, each organisation what is shared with it.
    ("GET",    "/api/v1/partner/applications/",     SHARED,  401, 403, 403, 403, 200, 200, 403, 401, 401),
    ("GET",    "/api/v1/partner/applications/{shared}/", SHARED, 401, 403, 403, 403, 404, 200, 403, 401, 401),
    # Partners only, each organisation its own endpoints; keys with webhooks:manage write too.
    ("GET",    "/api/v1/webhooks/endpoints/",       HOOKS,   401, 403, 403, 403, 200, 200, 403, 401, 401),
    ("POST",   "/api/v1/webhooks/endpoints/",       HOOKS,   401, 403, 403, 403, 400, 400, 403, 401, 401),
    ("GET",    W,                                   HOOKS,   401, 403, 403, 403, 404, 200, 403, 401, 401),
    ("PUT",    W,                                   HOOKS,   401, 403, 403, 403, 404, 400, 403, 401, 401),
    ("PATCH",  W,                                   HOOKS,   401, 403, 403, 403, 404, 200, 403, 401, 401),
    ("DELETE", W,                                   HOOKS,   401, 403, 403, 403, 404, 204, 403, 401, 401),
    ("POST",   W + "rotate-secret/",                HOOKS,   401, 403, 403, 403, 404, 200, 403, 401, 401),
    ("POST",   W + "test/",                         HOOKS,   401, 403, 403, 403, 404, 202, 403, 401, 401),
    ("GET",    W + "deliveries/",                   HOOKS,   401, 403, 403, 403, 404, 200, 403, 401, 401),
    ("GET",    D,                                   HOOKS,   401, 403, 403, 403, 404, 200, 403, 401, 401),
    ("POST",   D + "redeliver/",                    HOOKS,   401, 403, 403, 403, 404, 202, 403, 401, 401),
]
# fmt: on

CASES = [
    pytest.param(method, url, scope, credential, status, id=f"{method} {url} {credential}")
    for method, url, scope, *statuses in MATRIX
    for credential, status in zip(CREDENTIALS, statuses, strict=True)
]


class World:
    """What the table's URLs name, made when first asked for: a test makes only what its row needs."""

    def __init__(self):
        self._made = {}

    def _once(self, name, make):
        if name not in self._made:
            self._made[name] = make()
        return self._made[name]

    @property
    def call(self):
        from tests.programs.factories import CallFactory, park_rules, rubric_for

        def make():
            call = CallFactory()
            park_rules(call)
            rubric_for(call)
            return call

        return self._once("call", make)

    @property
    def applicant(self):
        from tests.programs.factories import applicant_of_new_enterprise

        return self._once("applicant", applicant_of_new_enterprise)

    @property
    def enterprise(self):
        return self.applicant.memberships.get().enterprise

    @property
    def officer(self):
        from tests.programs.factories import officer_of

        return self._once("officer", lambda: officer_of(self.call))

    @property
    def reviewer(self):
        from programs.models import PanelMember
        from tests.programs.factories import reviewer

        def make():
            member = reviewer()
            PanelMember.objects.create(call=self.call, reviewer=member, sectors=["biopharma"])
            return member

        return self._once("reviewer", make)

    @property
    def application(self):
        from tests.programs.factories import in_review

        return self._once("application", lambda: in_review(self.call, self.applicant))

    @property
    def assignment(self):
        from programs.services import reviews

        return self._once(
            "assignment",
            lambda: reviews.assign_reviewer(actor=self.officer, application=self.application, reviewer=self.reviewer),
        )

    @property
    def service(self):
        from tests.programs.centre_factories import ServiceFactory

        return self._once("service", ServiceFactory)

    @property
    def service_request(self):
        """The applicant's enterprise's request to the Hong Kong centre."""
        from tests.programs.centre_factories import requested

        return self._once("service_request", lambda: requested(self.service, self.applicant))

    @property
    def product(self):
        from enterprises.choices import Modality
        from enterprises.models import Product

        return self._once(
            "product",
            lambda: Product.objects.create(enterprise=self.enterprise, name="HZ-101", modality=Modality.values[0]),
        )

    @property
    def milestone(self):
        from enterprises.models import Milestone

        return self._once(
            "milestone",
            lambda: Milestone.objects.create(
                product=self.product, jurisdiction="nmpa", pathway="ind", planned_on=datetime.date(2026, 9, 1)
            ),
        )

    @property
    def round(self):
        """A financing round of the applicant's enterprise."""
        from tests.funds.factories import recorded_round

        return self._once("round", lambda: recorded_round(self.enterprise, self.applicant))

    @property
    def document(self):
        from tests.programs.factories import business_plan

        return self._once("document", lambda: business_plan(self.applicant))

    @property
    def listed(self):
        """The applicant's enterprise, listed in the directory."""
        from enterprises.models import Enterprise

        def make():
            Enterprise.objects.filter(pk=self.enterprise.pk).update(listed_in_directory=True)
            return self.enterprise

        return self._once("listed", make)

    @property
    def organisation(self):
        """The partner organisation the keys act for."""
        return self._once("organisation", PartnerOrganisationFactory)

    @property
    def shared(self):
        """The application, its enterprise sharing its applications with the keys' organisation."""
        from enterprises.services.sharing import grant_sharing

        def make():
            grant_sharing(self.enterprise, actor=self.applicant, organisation=self.organisation)
            return self.application

        return self._once("shared", make)

    @property
    def endpoint(self):
        """A webhook endpoint of the keys' organisation."""
        from hkhz_portal.webhooks import services as webhooks

        return self._once(
            "endpoint",
            lambda: webhooks.create_endpoint(
                actor=partner_user(self.organisation),
                url="https://hooks.example.com/portal",
                event_types=["call.opened"],
            )[0],
        )

    @property
    def delivery(self):
        """A test event's delivery to the endpoint, which failed: one that may be sent again."""
        from hkhz_portal.webhooks import services as webhooks
        from hkhz_portal.webhooks.models import Delivery, DeliveryStatus

        def make():
            delivery = webhooks.send_test_event(self.endpoint.pk, actor=partner_user(self.organisation))
            Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, next_attempt_at=None)
            return delivery

        return self._once("delivery", make)

    @property
    def notification(self):
        return self._once("notification", lambda: Notification.objects.create(recipient=self.applicant, title="Hi"))

    def url(self, template: str) -> str:
        values = {
            "enterprise": lambda: self.enterprise.reference,
            "application": lambda: self.application.reference,
            "call": lambda: self.call.slug,
            "assignment": lambda: self.assignment.pk,
            "product": lambda: self.product.pk,
            "milestone": lambda: self.milestone.pk,
            "document": lambda: self.document.pk,
            "notification": lambda: self.notification.pk,
            "programme": lambda: self.call.programme.slug,
            "listed": lambda: self.listed.reference,
            "shared": lambda: self.shared.reference,
            "endpoint": lambda: self.endpoint.pk,
            "delivery": lambda: self.delivery.pk,
            "service": lambda: self.service.slug,
            "service_request": lambda: self.service_request.reference,
            "round": lambda: self.round.pk,
        }
        names = [name for name in values if "{" + name + "}" in template]
        return template.format(**{name: values[name]() for name in names})

    def key(self, scopes=tuple(Scope.values), state="active") -> str:
        user = partner_user(self.organisation)
        key, secret = services.create_api_key(actor=user, name="Matrix", scopes=scopes)
        if state == "revoked":
            services.revoke_api_key(key.pk, actor=user)
        elif state == "expired":
            APIKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        return secret


def sign_in(client, world: World, credential: str, scope) -> dict:
    """Sign ``client`` in as ``credential``, or return the headers that carry its key (for
    ``other_scope``, a key with every scope but ``scope``)."""
    keys = {
        "key": {},
        "other_scope": {"scopes": [s for s in Scope.values if s != scope]},
        "revoked": {"state": "revoked"},
        "expired": {"state": "expired"},
    }
    if credential in keys:
        return {"HTTP_AUTHORIZATION": f"Bearer {world.key(**keys[credential])}"}
    users = {
        "applicant": lambda: world.applicant,
        "officer": lambda: world.officer,
        "reviewer": lambda: world.reviewer,
        "partner": partner_user,  # of another organisation
    }
    if credential in users:
        client.force_login(users[credential]())
    return {}


@pytest.mark.parametrize(("method", "url", "scope", "credential", "expected"), CASES)
def test_each_credential_gets_what_its_role_or_scope_allows(
    client, settings, tmp_path, method, url, scope, credential, expected
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = World()
    path = world.url(url)
    headers = sign_in(client, world, credential, scope)
    if method not in SAFE_METHODS:
        headers["HTTP_IDEMPOTENCY_KEY"] = str(uuid.uuid4())

    response = client.generic(method, path, "{}" if method not in SAFE_METHODS else "", "application/json", **headers)

    assert response.status_code == expected, response.content[:300]
    if credential in ("key", "other_scope") and expected == 403:
        title = response.json()["title"]
        if scope is None:
            assert "for signed-in users" in title
        elif method not in SAFE_METHODS and scope != Scope.WEBHOOKS_MANAGE:
            assert "can only read" in title
        else:
            assert scope in title
    if expected == 401 and credential in ("revoked", "expired"):
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


# --- Every route is in the table --------------------------------------------------------------------

#: A value of the right shape for each placeholder, to resolve the table's URLs without a database.
SHAPES = {
    "enterprise": "ENT-2026-00001",
    "application": "HKSP-2026-00001",
    "call": "a-call",
    "assignment": 1,
    "product": 1,
    "milestone": 1,
    "document": 1,
    "notification": 1,
    "programme": "a-programme",
    "listed": "ENT-2026-00001",
    "shared": "HKSP-2026-00001",
    "endpoint": 1,
    "delivery": 1,
    "service": "a-service",
    "service_request": "SRV-2026-00001",
    "round": 1,
}
HANDLERS = ("get", "post", "put", "patch", "delete")


def api_routes(resolver=None, prefix=""):
    """(method, URL name) of every endpoint under /api/v1/, from the URL configuration: a
    viewset's routes by the actions each maps, a plain API view by its handlers; a method the
    view does not accept (its ``http_method_names``) is not an endpoint."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith(API[1:]) or API[1:].startswith(route):
                yield from api_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith(API[1:]):
            callback = pattern.callback
            view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
            accepted = set(getattr(view, "http_method_names", HANDLERS))
            actions = getattr(callback, "actions", None)
            methods = set(actions) if actions else {m for m in HANDLERS if hasattr(view, m)}
            for method in methods & accepted & set(HANDLERS):
                yield method.upper(), pattern.name


def test_every_api_route_is_in_the_table():
    routes = set(api_routes())
    in_table = {(method, resolve(url.format(**SHAPES)).url_name) for method, url, *_ in MATRIX}
    assert routes, "no API route found: has /api/v1/ moved?"
    assert routes - in_table == set(), "API routes missing from MATRIX: add a row for each"
    assert in_table - routes == set(), "MATRIX rows that are not API routes"


# --- A key's secret is never written down ------------------------------------------------------------


@pytest.fixture
def every_log_at_debug(caplog):
    """caplog hearing every logger at DEBUG, SQL included (Django logs queries with their
    parameters only through a debug cursor)."""
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    caplog.set_level(logging.DEBUG)
    for logger in loggers:
        caplog.set_level(logging.DEBUG, logger=logger.name)
    silent = [logger for logger in loggers if not logger.propagate]
    for logger in silent:
        logger.addHandler(caplog.handler)
    connection.force_debug_cursor = True
    yield caplog
    connection.force_debug_cursor = False
    for logger in silent:
        logger.removeHandler(caplog.handler)


def test_a_keys_secret_reaches_neither_the_logs_nor_the_audit_trail(client, every_log_at_debug):
    world = World()
    good = world.key()
    unscoped = world.key(scopes=[Scope.STATS_READ])
    revoked = world.key(state="revoked")
    sent = {
        good: ["/api/v1/calls/", "/api/v1/me/", "/api/v1/notifications/1/read/"],
        unscoped: ["/api/v1/calls/"],
        revoked: ["/api/v1/calls/"],
        good[:-3] + "xyz": ["/api/v1/calls/"],  # unknown
    }
    every_log_at_debug.clear()
    statuses = []
    for secret, urls in sent.items():
        for url in urls:
            method = client.post if url.endswith("read/") else client.get
            response = method(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
            statuses.append(response.status_code)
            assert secret not in response.content.decode()
    client.get("/api/v1/calls/", HTTP_AUTHORIZATION=f"Bearer {good} extra")  # malformed

    assert statuses == [200, 403, 403, 403, 401, 401]
    logged = every_log_at_debug.text + " ".join(str(r.args) for r in every_log_at_debug.records)
    assert "SELECT" in logged, "the queries were not logged: this test would see nothing"
    audited = json.dumps(list(AuditEvent.objects.values()), default=str)
    for secret in sent:
        assert secret not in logged
        assert secret not in audited
