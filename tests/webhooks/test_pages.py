"""The partner's webhook pages: add an endpoint and copy its secret once, read the log, act."""

import pytest
from django.utils import translation

from hkhz_portal.webhooks.models import Delivery, DeliveryStatus, Endpoint
from tests.factories import partner_user

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


def test_a_partner_adds_an_endpoint_and_sees_its_secret_once(client):
    user = partner_user()
    client.force_login(user)
    response = client.post(
        "/partner/webhooks/",
        {"url": "https://hooks.example.com/portal", "event_types": ["call.opened", "application.decided"]},
    )
    assert response.status_code == 200
    endpoint = Endpoint.objects.get(organisation=user.partner_organisation)
    secret = endpoint.secrets.get().secret
    assert secret in response.content.decode()
    assert endpoint.event_types == ["application.decided", "call.opened"]
    page = client.get(f"/partner/webhooks/{endpoint.pk}/").content.decode()
    assert secret not in page and "https://hooks.example.com/portal" in page


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.com/", "The endpoint must be an https:// address."),
        ("https://192.168.1.1/", "The endpoint must be on the public internet, not a private or local address."),
    ],
)
def test_an_address_that_is_not_public_https_is_refused_on_the_field(client, url, message):
    client.force_login(partner_user())
    response = client.post("/partner/webhooks/", {"url": url, "event_types": ["call.opened"]})
    assert response.status_code == 400
    assert message in response.content.decode() and not Endpoint.objects.exists()


def test_the_log_shows_payloads_and_responses_escaped_and_filters_them(client):
    endpoint, _secret, user = make_endpoint()
    Delivery.objects.create(
        endpoint=endpoint,
        event_type="call.opened",
        payload={"type": "call.opened", "data": {"call": "<script>alert(1)</script>"}},
        status=DeliveryStatus.FAILED,
        last_status_code=500,
        last_response="<img src=x onerror=alert(2)>",
    )
    Delivery.objects.create(endpoint=endpoint, event_type="webhook.test", payload={}, status=DeliveryStatus.DELIVERED)
    client.force_login(user)
    page = client.get(f"/partner/webhooks/{endpoint.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "HTTP 500" in page and "Redeliver all failed" in page
    failed_only = client.get(f"/partner/webhooks/{endpoint.pk}/?status=failed").content.decode()
    assert "call.opened</code>" in failed_only and "webhook.test</code>" not in failed_only


def test_disabling_enabling_and_editing_from_the_page(client):
    endpoint, _secret, user = make_endpoint()
    client.force_login(user)
    client.post(f"/partner/webhooks/{endpoint.pk}/disable/")
    assert not Endpoint.objects.get(pk=endpoint.pk).is_active
    response = client.post(f"/partner/webhooks/{endpoint.pk}/test/", follow=True)
    assert "Enable the endpoint first." in response.content.decode()
    client.post(f"/partner/webhooks/{endpoint.pk}/enable/")
    client.post(
        f"/partner/webhooks/{endpoint.pk}/",
        {"url": endpoint.url, "event_types": ["call.closing"], "description": "Loans desk"},
    )
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.event_types, endpoint.description) == (True, ["call.closing"], "Loans desk")


def test_the_pages_read_in_traditional_chinese(client):
    endpoint, _secret, user = make_endpoint()
    user.preferred_language = "zh-hant"
    user.save()
    client.force_login(user)
    with translation.override("zh-hant"):
        response = client.get(f"/partner/webhooks/{endpoint.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.status_code == 200 and 'lang="zh-hant"' in response.content.decode()
