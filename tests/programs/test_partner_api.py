"""The partner API's resources: applications shared with a partner organisation only, the export
log of each personal read, statistics with small cells suppressed, and programmes. Who reaches
each route is in the one table of ``tests/accounts/test_api_matrix.py``."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises.choices import ExportKind
from enterprises.models import ContactPerson, ExportLog
from enterprises.services import consent, sharing
from hkhz_portal.accounts import services as accounts
from hkhz_portal.accounts.api_keys import Scope
from hkhz_portal.accounts.roles import Role, UnitKind
from programs.centres import services
from programs.models import Application, ServiceCategory
from programs.workflow import Status
from tests.factories import (
    EnterpriseFactory,
    PartnerOrganisationFactory,
    UnitFactory,
    member_of,
    partner_user,
    user_with_role,
)

from .centre_factories import ServiceFactory, hk_centre, hz_centre, requested, staff_of
from .factories import CallFactory, ProgrammeFactory, application_in_review

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def submitted(call, enterprise, *, status=Status.IN_REVIEW, answers=None):
    """An application of ``enterprise`` to ``call``, submitted (``status``), with ``answers``."""
    application = application_in_review(call, enterprise)
    Application.objects.filter(pk=application.pk).update(
        status=status, submitted_at=timezone.now(), answers=answers or {"team": [{"name": "Li Wei"}]}
    )
    application.refresh_from_db()
    return application


def shared_with(organisation, **enterprise_fields):
    """A listed enterprise that shares its applications with ``organisation``, and its owner."""
    enterprise = EnterpriseFactory(listed_in_directory=True, **enterprise_fields)
    owner = member_of(enterprise, "owner")
    sharing.grant_sharing(enterprise, actor=owner, organisation=organisation)
    return enterprise


# --- Who reaches what: the one table is tests/accounts/test_api_matrix.py ------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/directory/", "/api/v1/stats/", "/api/v1/partner/applications/", "/api/v1/programmes/"]
)
def test_a_write_to_a_partner_route_is_refused_to_keys_as_read_only_and_to_sessions_as_not_allowed(client, path):
    """Not in the table, which holds only routes: a method a route does not take."""
    key = bearer(accounts_key(PartnerOrganisationFactory(), list(Scope.values)))
    refused = client.post(path, {}, content_type="application/json", **key)
    assert refused.status_code == 403
    assert "can only read" in refused.json()["title"]
    client.force_login(partner_user())
    assert client.post(path, {}, content_type="application/json").status_code == 405


def accounts_key(organisation, scopes) -> str:
    _key, secret = accounts.create_api_key(actor=partner_user(organisation), name="k", scopes=scopes)
    return secret


# --- Shared applications -----------------------------------------------------------------------


@pytest.fixture
def partner():
    organisation = PartnerOrganisationFactory()
    return organisation, bearer(accounts_key(organisation, [Scope.APPLICATIONS_READ]))


def listed_references(client, headers, **params) -> list[str]:
    response = client.get("/api/v1/partner/applications/", params, **headers)
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def test_a_partner_reads_only_submitted_applications_shared_with_its_organisation(client, partner):
    organisation, headers = partner
    call, other_call = CallFactory(), CallFactory()
    enterprise = shared_with(organisation)
    mine = submitted(call, enterprise)
    application_in_review(other_call, enterprise)  # never submitted: the enterprise's own
    Application.objects.filter(call=other_call).update(status=Status.DRAFT)
    submitted(call, shared_with(PartnerOrganisationFactory()))  # shared with another organisation
    submitted(call, EnterpriseFactory())  # shared with no one
    assert listed_references(client, headers) == [mine.reference]


def test_another_organisations_or_an_unshared_application_is_a_404_with_no_hint(client, partner):
    _organisation, headers = partner
    call = CallFactory()
    theirs = submitted(call, shared_with(PartnerOrganisationFactory()))
    nobodys = submitted(call, EnterpriseFactory())
    answers = [
        client.get(f"/api/v1/partner/applications/{ref}/", **headers)
        for ref in (theirs.reference, nobodys.reference, "HKSP-2026-99999")
    ]
    assert {r.status_code for r in answers} == {404}
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert ExportLog.objects.count() == 0


def test_revoking_stops_the_next_read(client, partner):
    organisation, headers = partner
    enterprise = shared_with(organisation)
    application = submitted(CallFactory(), enterprise)
    url = f"/api/v1/partner/applications/{application.reference}/"
    assert client.get(url, **headers).status_code == 200
    sharing.revoke_sharing(enterprise, actor=enterprise.memberships.get().user, organisation=organisation)
    assert client.get(url, **headers).status_code == 404
    assert listed_references(client, headers) == []


def test_a_personal_read_writes_one_export_log_row_naming_the_organisation(client, partner):
    organisation, headers = partner
    enterprise = shared_with(organisation, data_residency="mainland")
    owner = enterprise.memberships.get().user
    for name in ("Chen Jie", "Wang Fang"):
        contact = ContactPerson.objects.create(
            enterprise=enterprise, name=name, email=f"{name[:4].lower()}@example.com"
        )
        consent.record_contact_consent(contact, actor=owner)
    withdrawn = ContactPerson.objects.create(enterprise=enterprise, name="Zhao Lei", email="zhao@example.com")
    consent.record_contact_consent(withdrawn, actor=owner)
    consent.withdraw_contact_consent(withdrawn, actor=owner)
    application = submitted(CallFactory(), enterprise, answers={"team": [{"name": "Li Wei"}]})

    listed_references(client, headers)
    assert ExportLog.objects.count() == 0  # the list has no personal data

    body = client.get(f"/api/v1/partner/applications/{application.reference}/", **headers).json()
    assert [c["name"] for c in body["contacts"]] == ["Chen Jie", "Wang Fang"]  # not the one who withdrew
    assert body["answers"] == {"team": [{"name": "Li Wei"}]}
    [log] = ExportLog.objects.all()
    assert log.kind == ExportKind.API_READ
    assert log.organisation == organisation and log.actor is None
    assert log.enterprise == enterprise and log.data_residency == "mainland"
    assert application.reference in log.description and "2 contact person(s)" in log.description


def test_a_partner_user_reads_as_their_organisations_key_does_and_is_logged_by_name(client):
    organisation = PartnerOrganisationFactory()
    application = submitted(CallFactory(), shared_with(organisation))
    user = partner_user(organisation)
    client.force_login(user)
    assert listed_references(client, {}) == [application.reference]
    assert client.get(f"/api/v1/partner/applications/{application.reference}/").status_code == 200
    [log] = ExportLog.objects.all()
    assert log.actor == user and log.organisation == organisation


def test_the_shared_applications_list_does_not_query_per_row(client, partner):
    organisation, headers = partner
    calls = [CallFactory() for _ in range(3)]
    for n in range(30):
        submitted(calls[n % 3], shared_with(organisation))
    client.get("/api/v1/partner/applications/", **headers)  # the key's first use is noted once

    def count(page_size):
        with CaptureQueriesContext(connection) as captured:
            assert len(listed_references(client, headers, page_size=page_size)) == page_size
        return len(captured)

    assert count(3) == count(30)


# --- Statistics ----------------------------------------------------------------------------------


def table(client, path, headers):
    response = client.get(f"/api/v1/stats/{path}/", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_statistics_suppress_small_cells_and_what_would_give_them_away(client):
    headers = bearer(accounts_key(PartnerOrganisationFactory(), [Scope.STATS_READ]))
    call = CallFactory()
    for _ in range(9):
        submitted(call, EnterpriseFactory(), status=Status.IN_REVIEW)
    for _ in range(6):
        submitted(call, EnterpriseFactory(), status=Status.REJECTED)
    submitted(call, EnterpriseFactory(), status=Status.ADMITTED)
    application_in_review(call, EnterpriseFactory())  # never submitted: not counted

    by_status = table(client, "applications/status", headers)
    assert by_status["rows"] == [
        {"key": "in_review", "label": "In review", "count": 9, "suppressed": False},
        {"key": "admitted", "label": "Admitted", "count": None, "suppressed": True},
        {"key": "rejected", "label": "Rejected", "count": None, "suppressed": True},
    ]
    assert by_status["total"] == {"count": 16, "suppressed": False}

    assert table(client, "applications/call", headers)["rows"] == [
        {"key": call.slug, "label": call.title, "count": 16, "suppressed": False}
    ]
    assert table(client, "applications/sector", headers)["rows"] == [
        {"key": "biopharma", "label": "Biopharma", "count": 16, "suppressed": False}
    ]
    this_month = timezone.localtime().strftime("%Y-%m")
    assert [r["key"] for r in table(client, "applications/month", headers)["rows"]] == [this_month]
    admissions = table(client, "admissions/year", headers)
    assert admissions["rows"] == [
        {
            "key": str(timezone.localtime().year),
            "label": str(timezone.localtime().year),
            "count": None,
            "suppressed": True,
        }
    ]
    assert admissions["total"] == {"count": None, "suppressed": True}


def test_service_requests_are_counted_by_centre_category_and_state_with_small_cells_suppressed(client):
    headers = bearer(accounts_key(PartnerOrganisationFactory(), [Scope.STATS_READ]))
    hk, hz = hk_centre(), hz_centre()
    setup = ServiceFactory(unit=hk)
    bank = ServiceFactory(unit=hk, category=ServiceCategory.BANK_ACCOUNT)
    filing = ServiceFactory(unit=hz, category=ServiceCategory.REGULATORY_FILING)
    staff = staff_of(hk)
    for _ in range(7):
        requested(setup)
    for _ in range(6):
        services.take_step(actor=staff, request=requested(bank), name="accept")
    requested(filing)

    published = table(client, "service-requests/centre-category-state", headers)

    assert published["rows"] == [
        {
            "key": "hk-centre:company_setup:requested",
            "label": "Hong Kong Go-Global Service Centre · Company set-up · Requested",
            "count": 7,
            "suppressed": False,
        },
        {
            "key": "hk-centre:bank_account:accepted",
            "label": "Hong Kong Go-Global Service Centre · Bank account · Accepted",
            "count": None,
            "suppressed": True,
        },
        {
            "key": "hz-centre:regulatory_filing:requested",
            "label": "Hangzhou Come-In Service Centre · Regulatory filing · Requested",
            "count": None,
            "suppressed": True,
        },
    ]
    assert published["total"] == {"count": 14, "suppressed": False}


def test_the_statistics_index_links_every_table(client):
    client.force_login(user_with_role(Role.PROGRAM_OFFICER))
    index = client.get("/api/v1/stats/").json()
    assert {(t["dataset"], t["by"]) for t in index} >= {
        ("applications", "call"),
        ("applications", "status"),
        ("applications", "sector"),
        ("applications", "month"),
        ("admissions", "year"),
        ("service-requests", "centre-category-state"),
    }
    for entry in index:
        assert client.get(entry["url"]).status_code == 200


# --- Programmes and calls --------------------------------------------------------------------


def test_programmes_filter_by_unit_and_kind_and_link_their_calls(client):
    platform = ProgrammeFactory(slug="incubation")
    centre_unit = UnitFactory(code="hk-centre", kind=UnitKind.GO_GLOBAL_CENTRE)
    centre = ProgrammeFactory(slug="softlanding", kind="established", unit=centre_unit)
    CallFactory(programme=centre, opens_at=timezone.now() + datetime.timedelta(days=3))
    assert [p["slug"] for p in client.get("/api/v1/programmes/", {"unit": "hk-centre"}).json()["results"]] == [
        "softlanding"
    ]
    assert [p["slug"] for p in client.get("/api/v1/programmes/", {"kind": "established"}).json()["results"]] == [
        "softlanding"
    ]
    entry = client.get(f"/api/v1/programmes/{platform.slug}/").json()
    assert entry["unit"] == "test-platform" and entry["calls"].endswith("/api/v1/calls/?programme=incubation")
    assert client.get("/api/v1/programmes/", {"kind": "circus"}).status_code == 400
    upcoming = client.get("/api/v1/calls/", {"unit": "hk-centre", "state": "upcoming"}).json()["results"]
    assert [c["programme"]["slug"] for c in upcoming] == ["softlanding"]
