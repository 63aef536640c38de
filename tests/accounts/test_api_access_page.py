"""The partner's API-access page: their organisation's keys, a new key's secret shown once and
never again, revocation after a confirmation, refusals on the field at fault; nobody else's."""

import datetime
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hkhz_portal.accounts import services
from hkhz_portal.accounts.api_keys import Scope
from hkhz_portal.accounts.audit_actions import AuditAction
from hkhz_portal.accounts.models import APIKey
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.models import AuditEvent
from tests.factories import PartnerOrganisationFactory, partner_user, user_with_role

pytestmark = pytest.mark.django_db

PAGE = reverse("partner_api_keys")
SHOWN = reverse("partner_api_key_created")


def revoke_url(key):
    return reverse("partner_api_key_revoke", args=[key.pk])


def in_a_year() -> str:
    return (timezone.localdate() + timedelta(days=365)).isoformat()


def new_key(client, **fields):
    data = {"name": "Loans, production", "scopes": [Scope.CALLS_READ, Scope.DIRECTORY_READ], "expires_at": in_a_year()}
    return client.post(PAGE, {**data, **fields})


def make_key(user, name="Core banking", **fields):
    return services.create_api_key(actor=user, name=name, scopes=[Scope.CALLS_READ], **fields)


@pytest.fixture
def partner(client):
    user = partner_user(full_name="Sarah Lee")
    client.force_login(user)
    return user


def row(html: str, key) -> str:
    """The table row of ``key``, whose cells hold its state and its revoke form."""
    match = re.search(rf'<tr id="key-{key.pk}".*?</tr>', html, flags=re.S)
    assert match, f"no row for {key.name}"
    return match.group(0)


# --- Who may see it ---------------------------------------------------------------------------


def test_anyone_signed_out_is_sent_to_sign_in(client):
    for url in (PAGE, SHOWN):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PROGRAM_OFFICER, Role.REVIEWER])
def test_other_roles_are_refused(client, role):
    key, _secret = make_key(partner_user())
    client.force_login(user_with_role(role))
    assert client.get(PAGE).status_code == 403
    assert client.get(SHOWN).status_code == 403
    assert client.post(revoke_url(key)).status_code == 403
    assert APIKey.objects.get(pk=key.pk).revoked_at is None


def test_a_partner_without_two_factor_reaches_it_as_partners_are_not_staff(client):
    user = partner_user()
    client.force_login(user, passed_mfa=False)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "Make a new key" in response.content.decode()


def test_the_page_lists_the_organisations_keys_and_nobody_elses(client, partner):
    colleague = partner_user(partner.partner_organisation, full_name="Ada Chan")
    ours, _secret = make_key(colleague, name="Treasury feed")
    theirs, _secret = make_key(partner_user(), name="Another bank's feed")
    html = client.get(PAGE).content.decode()
    assert "Treasury feed" in html and f"{ours.prefix}…" in html and "Ada Chan" in html
    assert "Another bank" not in html and theirs.prefix not in html


def test_the_header_and_the_dashboard_lead_a_partner_to_api_access(client, partner):
    make_key(partner)
    dashboard = client.get(reverse("dashboard")).content.decode()
    panel = re.search(r'<section class="card dashboard-partner".*?</section>', dashboard, flags=re.S).group(0)
    assert partner.partner_organisation.name in panel
    assert dashboard.count("<h2>API access</h2>") == 1  # the panel, not the workspace's card too
    assert "1 active API key" in panel
    for link in (PAGE, "/partner/webhooks/", "/api/v1/docs/"):
        assert f'href="{link}"' in panel
    page = client.get(PAGE).content.decode()
    nav = re.search(r'<nav class="main-nav".*?</nav>', page, flags=re.S).group(0)
    assert f'<a href="{PAGE}" aria-current="page">API access</a>' in nav


def test_the_dashboard_warns_of_a_key_expiring_within_a_month(client, partner):
    make_key(partner, expires_at=timezone.now() + timedelta(days=10))
    assert 'data-testid="key-expiring"' in client.get(reverse("dashboard")).content.decode()


# --- Making a key: the secret once ----------------------------------------------------------------


def test_a_new_keys_secret_is_shown_once_on_a_page_not_cached_and_never_in_a_url(client, partner):
    response = new_key(client, expires_at="2027-03-01")

    key = APIKey.objects.get(organisation=partner.partner_organisation)
    assert response.status_code == 302 and response["Location"] == SHOWN
    assert (key.name, key.scopes, key.created_by) == ("Loans, production", ["calls:read", "directory:read"], partner)
    assert timezone.localtime(key.expires_at) == timezone.make_aware(datetime.datetime(2027, 3, 1))

    shown = client.get(SHOWN)
    secret = re.search(r'data-testid="secret">(hkhz_live_[^<]+)</textarea>', shown.content.decode()).group(1)
    assert secret.startswith(key.prefix)
    assert "no-store" in shown["Cache-Control"]
    assert "only time the key is shown" in shown.content.decode()
    assert 'data-copy="new-secret"' in shown.content.decode() and "js/copy-secret.js" in shown.content.decode()
    assert "<script>" not in shown.content.decode()  # the strict CSP allows no inline script

    again = client.get(SHOWN, follow=True)
    assert again.redirect_chain == [(PAGE, 302)]
    assert secret not in again.content.decode()
    assert "shown only once" in again.content.decode()
    assert secret not in str(client.session.items())
    assert f'"Authorization: Bearer {secret}"' not in client.get(PAGE).content.decode()


def test_the_form_offers_each_scope_by_its_label_and_an_expiry_a_year_ahead(client, partner):
    html = client.get(PAGE).content.decode()
    for scope in Scope:
        assert f'value="{scope.value}"' in html and str(scope.label) in html
    today = timezone.localdate()
    assert f'value="{(today + timedelta(days=365)).isoformat()}"' in html
    assert f'max="{(today + timedelta(days=730)).isoformat()}"' in html


def test_no_scope_is_refused_on_the_scopes_field(client, partner):
    response = new_key(client, scopes=[])
    assert response.status_code == 200
    assert response.context["form"].errors["scopes"] == ["Choose one or more scopes."]
    assert 'id="id_scopes_error"' in response.content.decode()
    assert not APIKey.objects.exists()


@pytest.mark.parametrize("days", [731, 0, -3])
def test_an_expiry_beyond_two_years_or_not_in_the_future_is_refused_on_its_field(client, partner, days):
    response = new_key(client, expires_at=(timezone.localdate() + timedelta(days=days)).isoformat())
    assert response.status_code == 200
    assert response.context["form"].errors["expires_at"] == ["Choose an expiry date within the next two years."]
    assert not APIKey.objects.exists()


def test_two_years_to_the_day_is_accepted(client, partner):
    response = new_key(client, expires_at=(timezone.localdate() + timedelta(days=730)).isoformat())
    assert response.status_code == 302
    assert APIKey.objects.filter(organisation=partner.partner_organisation).count() == 1


def test_a_sixth_active_key_is_refused_and_the_page_says_so_beforehand(client, partner):
    for n in range(services.MAX_ACTIVE_KEYS):
        make_key(partner, name=f"Key {n}")
    assert 'data-testid="key-limit"' in client.get(PAGE).content.decode()

    response = new_key(client)

    assert response.status_code == 200
    assert "already has 5 active keys: revoke one first" in " ".join(response.context["form"].non_field_errors())
    assert APIKey.objects.count() == services.MAX_ACTIVE_KEYS


def test_making_a_key_needs_the_csrf_token(partner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(partner)
    response = new_key(client)
    assert response.status_code == 403
    assert not APIKey.objects.exists()


# --- States and revocation ------------------------------------------------------------------------


def test_active_expired_and_revoked_keys_are_shown_as_such(client, partner):
    active, _secret = make_key(partner, name="Live")
    expired, _secret = make_key(partner, name="Old")
    APIKey.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    revoked, _secret = make_key(partner, name="Leaked")
    services.revoke_api_key(revoked.pk, actor=partner)
    APIKey.objects.filter(pk=active.pk).update(last_used_at=timezone.now(), last_used_ip="203.0.113.7")

    html = client.get(PAGE).content.decode()

    assert "Active" in row(html, active) and "from 203.0.113.7" in row(html, active)
    assert "Expired" in row(html, expired) and "Never" in row(html, expired)
    assert "Revoked" in row(html, revoked)
    assert "Revoke…" in row(html, active)
    assert "Revoke…" not in row(html, expired) and "Revoke…" not in row(html, revoked)


def test_revoking_asks_first_then_refuses_the_key_at_once(client, partner):
    key, secret = make_key(partner, name="Treasury feed")
    assert f'action="{revoke_url(key)}"' in row(client.get(PAGE).content.decode(), key)

    response = client.post(revoke_url(key), follow=True)

    assert APIKey.objects.get(pk=key.pk).revoked_by == partner
    assert "“Treasury feed”" in response.content.decode() and "was revoked" in response.content.decode()
    assert "Revoked" in row(response.content.decode(), key)
    assert AuditEvent.objects.filter(action=AuditAction.API_KEY_REVOKED, target_id=str(key.pk)).exists()
    assert client.get("/api/v1/calls/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_revoking_is_a_post_with_the_csrf_token(partner):
    key, _secret = make_key(partner)
    client = Client(enforce_csrf_checks=True)
    client.force_login(partner)
    assert client.get(revoke_url(key)).status_code == 405
    assert client.post(revoke_url(key)).status_code == 403
    assert APIKey.objects.get(pk=key.pk).revoked_at is None


def test_another_organisations_key_is_not_found(client, partner):
    theirs, _secret = make_key(partner_user(PartnerOrganisationFactory()))
    assert client.post(revoke_url(theirs)).status_code == 404
    assert client.post(reverse("partner_api_key_revoke", args=[10**17])).status_code == 404
    assert APIKey.objects.get(pk=theirs.pk).revoked_at is None


def test_keys_that_work_come_first(client, partner):
    old, _secret = make_key(partner, name="Leaked")
    services.revoke_api_key(old.pk, actor=partner)
    live, _secret = make_key(partner, name="Live")
    newer, _secret = make_key(partner, name="Retired")
    services.revoke_api_key(newer.pk, actor=partner)
    html = client.get(PAGE).content.decode()
    rows = [html.index(f'id="key-{key.pk}"') for key in (live, newer, old)]
    assert rows == sorted(rows)


def test_every_refusal_of_the_form_shows_at_once(client, partner):
    response = new_key(client, scopes=[], expires_at="2099-01-01")
    assert set(response.context["form"].errors) == {"scopes", "expires_at"}
