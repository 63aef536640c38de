"""A form sent twice does its work once: the create wizard's last step (a one-time token per run)
and the consent page (one live consent per person and notice, held by a database constraint)."""

import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from enterprises.models import Consent, ContactPerson, Enterprise, Membership
from enterprises.selectors import current_notice
from enterprises.services import profile as profile_services
from enterprises.services.consent import give_consent
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.errors import DomainError
from tests.conftest import require
from tests.factories import EnterpriseFactory, user_with_role

CREATE = reverse("enterprise_create")
CURRENT_STEP = "enterprise_create_wizard-current_step"
IDENTITY = {"legal_name_en": "Boston Harbour Therapeutics Inc.", "kind": "overseas"}
LOCATION = {"city": "Boston", "sector": "biopharma"}
FIGURES = {"annual_revenue_1": "USD", "rd_spend_1": "USD", "granted_patents": "0"}


def step_data(name, data, html=""):
    """One step's POST body, with the wizard run's token when the page that showed the step carried one."""
    payload = {CURRENT_STEP: name, **{f"{name}-{key}": value for key, value in data.items()}}
    token = re.search(r'name="submission" value="([^"]+)"', html)
    if token:
        payload["submission"] = token.group(1)
    return payload


def up_to_the_last_step(client) -> dict:
    """Walk the wizard to its last step; return that step's POST body, as the browser would send it."""
    client.get(CREATE)
    client.post(CREATE, step_data("identity", IDENTITY))
    last = client.post(CREATE, step_data("location", LOCATION))
    assert "Step 3 of 3" in last.content.decode()
    return step_data("figures", FIGURES, last.content.decode())


def in_parallel(count, work):
    """Run ``work(i)`` in ``count`` threads released at once, each with its own database connection."""
    start = threading.Barrier(count)
    results, failures = [None] * count, []

    def run(i):
        try:
            start.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return results


def applicant():
    user = user_with_role(Role.APPLICANT)
    give_consent(actor=user)
    return user


# --- The create wizard --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_last_step_sent_again_after_it_was_done_leads_to_the_same_enterprise(client):
    client.force_login(applicant())
    last_step = up_to_the_last_step(client)
    first = client.post(CREATE, last_step)
    enterprise = Enterprise.objects.get()
    assert first["Location"] == reverse("enterprise_detail", args=[enterprise.reference])

    again = client.post(CREATE, last_step, follow=True)
    assert again.redirect_chain == [(reverse("enterprise_detail", args=[enterprise.reference]), 302)]
    assert "was already created from this form; here it is." in again.content.decode()
    assert Enterprise.objects.count() == 1
    assert Membership.objects.count() == 1


@pytest.mark.django_db
def test_a_new_run_of_the_wizard_creates_another_enterprise(client):
    client.force_login(applicant())
    client.post(CREATE, up_to_the_last_step(client))
    client.post(CREATE, up_to_the_last_step(client))
    assert Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_the_service_creates_one_enterprise_per_token():
    user = applicant()
    first = profile_services.create_enterprise(actor=user, submission_token="run-1", **IDENTITY, sector="biopharma")
    second = profile_services.create_enterprise(actor=user, submission_token="run-1", **IDENTITY, sector="biopharma")
    assert second == first
    assert Enterprise.objects.count() == 1


@pytest.mark.django_db
def test_another_users_token_creates_nothing():
    profile_services.create_enterprise(actor=applicant(), submission_token="run-1", **IDENTITY, sector="biopharma")
    with pytest.raises(DomainError) as refused:
        profile_services.create_enterprise(actor=applicant(), submission_token="run-1", **IDENTITY, sector="other")
    assert refused.value.code == "already_submitted"
    assert Enterprise.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_call_claims_nothing_so_the_corrected_one_goes_through():
    user = applicant()
    with pytest.raises(ValidationError):
        profile_services.create_enterprise(
            actor=user, submission_token="run-1", legal_name_en="", kind="overseas", sector="biopharma"
        )
    enterprise = profile_services.create_enterprise(actor=user, submission_token="run-1", **IDENTITY, sector="other")
    assert Enterprise.objects.get() == enterprise


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_five_parallel_last_steps_create_one_enterprise():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    user = applicant()
    browser = Client()
    browser.force_login(user)
    last_step = up_to_the_last_step(browser)

    def send(_i):
        tab = Client()
        tab.cookies = browser.cookies  # the same browser session, five requests at once
        return tab.post(CREATE, last_step)

    responses = in_parallel(5, send)
    enterprise = Enterprise.objects.get()
    assert {r["Location"] for r in responses} == {reverse("enterprise_detail", args=[enterprise.reference])}
    assert Membership.objects.filter(user=user).count() == 1


# --- Consent ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_parallel_consents_leave_one_active_consent():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    user = user_with_role(Role.APPLICANT)
    browser = Client()
    browser.force_login(user)

    def send(_i):
        tab = Client()
        tab.cookies = browser.cookies
        return tab.post(reverse("consent"), {"agree": "on", "scope": "both_ways"})

    responses = in_parallel(8, send)
    assert {r.status_code for r in responses} == {302}
    assert Consent.objects.filter(user=user, withdrawn_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_live_consent_to_the_same_notice():
    user = user_with_role(Role.APPLICANT)
    first = give_consent(actor=user)
    assert give_consent(actor=user) == first
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(user=user, notice=current_notice(), recorded_by=user)
    contact = ContactPerson.objects.create(enterprise=EnterpriseFactory(), name="Chan Tai Man", email="c@example.com")
    Consent.objects.create(contact=contact, notice=current_notice(), recorded_by=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(contact=contact, notice=current_notice(), recorded_by=user)


@pytest.mark.django_db
def test_after_a_withdrawal_consent_can_be_given_again():
    user = user_with_role(Role.APPLICANT)
    give_consent(actor=user)
    Consent.objects.filter(user=user).update(withdrawn_at="2026-01-01T00:00:00Z")
    give_consent(actor=user)
    assert Consent.objects.filter(user=user).count() == 2
    assert Consent.objects.filter(user=user, withdrawn_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_the_first_of_duplicate_live_consents_and_withdraws_the_others():
    """Rows left by parallel requests before the constraint existed do not stop the migration."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    target = next(
        key
        for key in sorted(graph.nodes)
        if key[0] == "enterprises"
        and any(
            getattr(getattr(op, "code", None), "__name__", "") == "withdraw_duplicate_active_consents"
            for op in graph.nodes[key].operations
        )
    )
    before = next(parent.key for parent in graph.node_map[target].parents if parent.key[0] == "enterprises")
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([before])
        old = executor.loader.project_state([before]).apps
        user = old.get_model("accounts", "User").objects.create(email="twice@example.com", full_name="Twice")
        notice = old.get_model("enterprises", "ConsentNotice").objects.get()
        consent_model = old.get_model("enterprises", "Consent")
        first, *later = [consent_model.objects.create(user=user, notice=notice) for _ in range(3)]

        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        live = Consent.objects.filter(user_id=user.pk, withdrawn_at__isnull=True)
        assert list(live.values_list("pk", flat=True)) == [first.pk]
        assert Consent.objects.filter(pk__in=[c.pk for c in later], withdrawn_at__isnull=False).count() == 2
    finally:
        MigrationExecutor(connection).migrate(latest)
