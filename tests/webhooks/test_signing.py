"""Signatures a receiver checks with the ``standardwebhooks`` package, through a secret's rotation."""

from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from hkhz_portal.webhooks import services
from hkhz_portal.webhooks.delivery import encode, signed_headers
from hkhz_portal.webhooks.models import EndpointSecret, signing_secrets

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db

BODY = encode({"type": "call.opened", "timestamp": "2026-12-01T00:00:00.000Z", "data": {"call": "入驻-2026"}})


def headers_now(endpoint, now=None):
    return signed_headers("msg_1", BODY, signing_secrets(endpoint.pk, now), datetime.now(UTC))


def test_a_new_endpoint_has_a_standard_webhooks_secret_that_verifies_its_messages():
    endpoint, secret, _user = make_endpoint()
    assert secret.startswith("whsec_") and len(secret) == len("whsec_") + 44
    headers = headers_now(endpoint)
    assert Webhook(secret).verify(BODY, headers)["data"]["call"] == "入驻-2026"
    assert headers["webhook-id"] == "msg_1" and headers["webhook-signature"].startswith("v1,")


def test_a_signature_made_with_another_secret_or_over_another_body_is_refused():
    endpoint, secret, _user = make_endpoint()
    _other, other_secret, _ = make_endpoint()
    with pytest.raises(WebhookVerificationError):
        Webhook(other_secret).verify(BODY, headers_now(endpoint))
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace("2026", "2027"), headers_now(endpoint))


def test_during_the_overlap_both_secrets_sign_and_afterwards_only_the_new_one(clock):
    endpoint, old, user = make_endpoint()
    new, until = services.rotate_secret(endpoint.pk, actor=user)
    assert until == clock.now + timedelta(hours=24)
    during = headers_now(endpoint)
    assert len(during["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(BODY, during) and Webhook(new).verify(BODY, during)

    clock.advance(hours=24, seconds=1)
    after = headers_now(endpoint)
    assert len(after["webhook-signature"].split(" ")) == 1
    assert Webhook(new).verify(BODY, after)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(BODY, after)


def test_the_secret_is_kept_to_sign_and_one_is_current(clock):
    endpoint, secret, user = make_endpoint()
    services.rotate_secret(endpoint.pk, actor=user, overlap=timedelta(0))
    assert EndpointSecret.objects.filter(endpoint=endpoint, expires_at__isnull=True).count() == 1
    assert secret not in signing_secrets(endpoint.pk)
