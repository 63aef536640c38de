import pytest
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.errors import DomainError
from tests.conftest import PortalClient
from tests.factories import partner_user, user_with_role

pytestmark = pytest.mark.django_db


class RefusingView(APIView):
    def post(self, request):
        raise DomainError("The call is closed.", code="call_closed", status=409, field="call")


def test_domain_error_becomes_a_4xx_problem_json():
    request = APIRequestFactory().post("/x")
    force_authenticate(request, user=user_with_role(Role.APPLICANT))
    response = RefusingView.as_view()(request)
    response.render()
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.data == {
        "type": "call_closed",
        "title": "The call is closed.",
        "status": 409,
        "detail": "The call is closed.",
        "errors": {"call": ["The call is closed."]},
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/me/"),
        ("get", "/api/v1/notifications/"),
        ("post", "/api/v1/notifications/1/read/"),
        ("get", "/api/v1/enterprises/"),
        ("patch", "/api/v1/enterprises/ENT-2026-00001/"),
        ("get", "/api/v1/enterprises/ENT-2026-00001/documents/"),
    ],
)
def test_an_anonymous_request_is_told_to_authenticate_with_401_and_the_scheme(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "not_authenticated",
        "title": "Authentication credentials were not provided.",
        "status": 401,
        "detail": "Authentication credentials were not provided.",
    }


def test_a_signed_in_user_gets_200_and_no_authentication_challenge(client):
    client.force_login(user_with_role(Role.APPLICANT))
    for path in ("/api/v1/me/", "/api/v1/notifications/", "/api/v1/enterprises/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "WWW-Authenticate" not in response


def test_session_writes_still_need_the_csrf_token():
    client = PortalClient(enforce_csrf_checks=True)
    client.force_login(user_with_role(Role.APPLICANT))
    response = client.post("/api/v1/notifications/1/read/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "CSRF" in response.json()["title"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_api_root_links_every_resource_that_needs_no_argument(client, signed_in):
    if signed_in:
        client.force_login(user_with_role(Role.APPLICANT))
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response.json() == {
        "applications": "http://testserver/api/v1/applications/",
        "calls": "http://testserver/api/v1/calls/",
        "directory": "http://testserver/api/v1/directory/",
        "docs": "http://testserver/api/v1/docs/",
        "enterprises": "http://testserver/api/v1/enterprises/",
        "fund/figures": "http://testserver/api/v1/fund/figures/",
        "me": "http://testserver/api/v1/me/",
        "notifications": "http://testserver/api/v1/notifications/",
        "partner/applications": "http://testserver/api/v1/partner/applications/",
        "programmes": "http://testserver/api/v1/programmes/",
        "redoc": "http://testserver/api/v1/redoc/",
        "reviews": "http://testserver/api/v1/reviews/",
        "schema": "http://testserver/api/v1/schema/",
        "service-requests": "http://testserver/api/v1/service-requests/",
        "services": "http://testserver/api/v1/services/",
        "stats": "http://testserver/api/v1/stats/",
        "stats/admissions/year": "http://testserver/api/v1/stats/admissions/year/",
        "stats/applications/call": "http://testserver/api/v1/stats/applications/call/",
        "stats/applications/month": "http://testserver/api/v1/stats/applications/month/",
        "stats/applications/sector": "http://testserver/api/v1/stats/applications/sector/",
        "stats/applications/status": "http://testserver/api/v1/stats/applications/status/",
        "stats/deals/fund-stage": "http://testserver/api/v1/stats/deals/fund-stage/",
        "stats/priority-windows/fund-state": "http://testserver/api/v1/stats/priority-windows/fund-state/",
        "stats/service-requests/centre-category-state": (
            "http://testserver/api/v1/stats/service-requests/centre-category-state/"
        ),
        "webhooks/endpoints": "http://testserver/api/v1/webhooks/endpoints/",
    }
    # Each link leads somewhere real, for a user who may read it; partners' resources refuse an
    # applicant by name.
    partner = partner_user()
    readers = {"webhooks/endpoints": partner}
    applicant = user_with_role(Role.APPLICANT)
    for name, url in response.json().items():
        client.force_login(readers.get(name, applicant))
        expected = 403 if name in {"directory", "partner/applications"} else 200
        assert client.get(url).status_code == expected, url


def test_me_shows_roles_and_unit(client):
    officer = user_with_role(Role.PROGRAM_OFFICER)
    client.force_login(officer)
    data = client.get("/api/v1/me/").json()
    assert data["roles"] == ["program_officer"]
    assert data["unit"] == officer.unit.code


def test_api_requests_beyond_the_rate_limit_get_429(client, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min", "anon": "3/min"})
    client.force_login(user_with_role(Role.APPLICANT))
    statuses = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/me/")
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "throttled"


def test_every_page_carries_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_a_body_larger_than_accepted_is_a_413_problem_json(client, settings):
    from tests.factories import EnterpriseFactory, member_of

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    enterprise = EnterpriseFactory()
    client.force_login(member_of(enterprise))
    response = client.patch(
        f"/api/v1/enterprises/{enterprise.reference}/",
        data='{"description_en": "' + "a" * 4096 + '"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "too_large"
