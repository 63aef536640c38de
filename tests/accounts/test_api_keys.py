"""API keys: shown once, stored as a hash, refused when revoked or expired, scoped."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hkhz_portal.accounts import services
from hkhz_portal.accounts.api_keys import KEY_PREFIX, Scope, hash_secret
from hkhz_portal.accounts.models import APIKey
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import AuditEvent
from tests.factories import PartnerOrganisationFactory, api_key, partner_user

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_new_key_is_shown_once_and_stored_only_as_its_hash():
    user = partner_user()
    key, secret = services.create_api_key(actor=user, name="Core banking", scopes=[Scope.CALLS_READ])
    assert secret.startswith(KEY_PREFIX) and len(secret) >= len(KEY_PREFIX) + 43
    stored = APIKey.objects.get(pk=key.pk)
    assert stored.secret_hash == hash_secret(secret)
    assert secret.startswith(stored.prefix) and len(secret) - len(stored.prefix) >= 37
    row = APIKey.objects.filter(pk=key.pk).values().get()
    assert all(secret not in str(value) for value in row.values())
    audited = list(AuditEvent.objects.filter(target_id=str(key.pk)).values_list("changes", flat=True))
    assert audited and all(secret not in str(changes) for changes in audited)


def test_a_key_reads_what_its_scope_opens_and_notes_when_it_was_used(client):
    secret = api_key(scopes=[Scope.CALLS_READ])
    response = client.get("/api/v1/calls/", **bearer(secret))
    assert response.status_code == 200
    key = APIKey.objects.get(secret_hash=hash_secret(secret))
    assert key.last_used_at is not None and key.last_used_ip == "127.0.0.1"


def test_last_use_is_written_at_most_once_a_minute(client):
    secret = api_key(scopes=[Scope.CALLS_READ])
    client.get("/api/v1/calls/", **bearer(secret))
    first = APIKey.objects.get(secret_hash=hash_secret(secret)).last_used_at
    assert first is not None
    client.get("/api/v1/calls/", **bearer(secret))
    assert APIKey.objects.get(secret_hash=hash_secret(secret)).last_used_at == first


def test_a_key_without_the_scope_is_refused_with_the_scope_named(client):
    secret = api_key(scopes=[Scope.STATS_READ])
    response = client.get("/api/v1/calls/", **bearer(secret))
    assert response.status_code == 403
    assert "calls:read" in response.json()["title"]


def test_a_key_cannot_use_a_signed_in_users_endpoint(client):
    response = client.get("/api/v1/me/", **bearer(api_key()))
    assert response.status_code == 403


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown", "malformed"])
def test_a_revoked_expired_or_unknown_key_is_401(client, state):
    user = partner_user()
    key, secret = services.create_api_key(actor=user, name="k", scopes=[Scope.CALLS_READ])
    if state == "revoked":
        services.revoke_api_key(key.pk, actor=user)
    elif state == "expired":
        APIKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "unknown":
        secret = secret[:-4] + "abcd"
    else:
        secret = f"{secret} extra"
    response = client.get("/api/v1/calls/", **bearer(secret))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_only_a_partner_user_makes_keys_and_only_for_their_own_organisation():
    from tests.factories import UserFactory

    with pytest.raises(DomainError) as refused:
        services.create_api_key(actor=UserFactory(), name="k", scopes=[Scope.CALLS_READ])
    assert refused.value.status == 403
    organisation = PartnerOrganisationFactory()
    key, _secret = services.create_api_key(actor=partner_user(organisation), name="k", scopes=[Scope.CALLS_READ])
    with pytest.raises(DomainError) as not_found:
        services.revoke_api_key(key.pk, actor=partner_user())
    assert not_found.value.status == 404
    assert APIKey.objects.get(pk=key.pk).revoked_at is None


def test_an_organisation_holds_at_most_five_active_keys_and_a_revoked_one_frees_a_place():
    user = partner_user()
    keys = [services.create_api_key(actor=user, name=f"k{i}", scopes=[Scope.CALLS_READ])[0] for i in range(5)]
    with pytest.raises(DomainError) as refused:
        services.create_api_key(actor=user, name="k6", scopes=[Scope.CALLS_READ])
    assert refused.value.code == "too_many_keys"
    services.revoke_api_key(keys[0].pk, actor=user)
    services.create_api_key(actor=user, name="k6", scopes=[Scope.CALLS_READ])


@pytest.mark.parametrize("scopes", [[], ["calls:write"], ["directory:read", "admin"]])
def test_an_unknown_or_empty_scope_is_refused(scopes):
    with pytest.raises(DomainError) as refused:
        services.create_api_key(actor=partner_user(), name="k", scopes=scopes)
    assert refused.value.field == "scopes"


def test_a_key_revoked_while_cached_is_refused_at_once(client, django_capture_on_commit_callbacks):
    user = partner_user()
    key, secret = services.create_api_key(actor=user, name="k", scopes=[Scope.CALLS_READ])
    assert client.get("/api/v1/calls/", **bearer(secret)).status_code == 200  # now in the lookup cache
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_api_key(key.pk, actor=user)
    assert client.get("/api/v1/calls/", **bearer(secret)).status_code == 401


def test_a_key_that_expires_while_cached_is_refused(client, monkeypatch):
    user = partner_user()
    key, secret = services.create_api_key(actor=user, name="k", scopes=[Scope.CALLS_READ])
    assert client.get("/api/v1/calls/", **bearer(secret)).status_code == 200
    later = key.expires_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get("/api/v1/calls/", **bearer(secret)).status_code == 401
