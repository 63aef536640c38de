"""The decision through the API: an officer of the call's unit decides (409 naming who decided
first, 404 across units, 403 for other roles, 400 problem+json for bad input); the applicant reads
the decision and accepts the place."""

import json

import pytest

from hkhz_portal.accounts.roles import Role
from programs.models import Decision
from programs.workflow import Status
from tests.conftest import PortalClient
from tests.factories import UnitFactory, user_with_role

from .factories import applicant_of_new_enterprise, decided, officer_of, reviewed, reviewing_call, signed_in, terms

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def call():
    return reviewing_call(capacity=5)


@pytest.fixture
def application(call):
    return reviewed(call)


@pytest.fixture
def officer(call):
    return officer_of(call, full_name="Officer Chan")


def decide(client, application, body):
    return client.post(
        f"/api/v1/applications/{application.reference}/decide/", json.dumps(body), content_type="application/json"
    )


def approval(**changes):
    body = {k: str(v) for k, v in terms().items()}
    return {"outcome": "approve", "expected_status": "reviewed", **body, **changes}


def test_approve_then_the_applicant_reads_and_accepts_it(officer, application):
    response = decide(signed_in(officer), application, approval(internal_note="Strong team."))
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == Status.APPROVED and data["decision"]["outcome"] == "approve"
    assert data["decision"]["area_m2"] == "120.0" and data["decision"]["space_kind"] == "wet_lab"
    applicant = signed_in(application.created_by)
    detail = applicant.get(f"/api/v1/applications/{application.reference}/").json()
    assert detail["decision"]["conditions"] == "Open a Hong Kong bank account."
    assert detail["decision"]["comments"] == ["Strengthen the market plan."] * 3
    assert "internal_note" not in detail["decision"] and "Strong team." not in json.dumps(detail)
    assert "Solid science." not in json.dumps(detail)
    step = next(a for a in detail["actions"] if a["name"] == "accept_offer")
    accepted = applicant.post(step["url"])
    assert accepted.status_code == 200 and accepted.json()["status"] == Status.ONBOARDING
    assert accepted.json()["decision"]["onboarding"] == {
        "tenancy_signed_on": None,
        "company_registered_on": None,
        "moved_in_on": None,
    }
    again = applicant.post(step["url"])
    assert again.status_code == 409 and again["Content-Type"] == PROBLEM


@pytest.mark.parametrize(
    "body, status",
    [
        ({"outcome": "waitlist", "expected_status": "reviewed"}, Status.WAITLISTED),
        ({"outcome": "reject", "reasons": "The market plan is too thin."}, Status.REJECTED),
    ],
)
def test_waitlist_and_reject(officer, application, body, status):
    response = decide(signed_in(officer), application, body)
    assert response.status_code == 201 and response.json()["status"] == status
    if status == Status.WAITLISTED:
        assert response.json()["decision"]["waitlist_position"] == 1


def test_the_second_decision_is_told_who_decided_first_and_when(officer, application):
    assert decide(signed_in(officer), application, approval()).status_code == 201
    late = decide(signed_in(officer_of(application.call)), application, {"outcome": "reject", "reasons": "No."})
    assert late.status_code == 409 and late["Content-Type"] == PROBLEM
    assert late.json()["type"] == "changed_meanwhile"
    assert "Officer Chan already moved this application to “Approved”" in late.json()["title"]
    assert Decision.objects.filter(application=application).count() == 1


def test_a_wrong_state_is_409(officer, call, application):
    decided(application, officer, "reject")
    response = decide(signed_in(officer), application, approval())
    assert response.status_code == 409


def test_another_unit_is_404_and_other_roles_403(application):
    stranger = user_with_role(Role.PROGRAM_OFFICER)
    stranger.unit = UnitFactory(code="other-platform", kind="platform")
    stranger.save(update_fields=["unit"])
    assert decide(signed_in(stranger), application, approval()).status_code == 404
    for user in (application.created_by, user_with_role(Role.REVIEWER), user_with_role(Role.ADMIN)):
        response = decide(signed_in(user), application, approval())
        assert response.status_code == 403 and response["Content-Type"] == PROBLEM
    assert decide(PortalClient(), application, approval()).status_code == 401
    application.refresh_from_db()
    assert application.status == Status.REVIEWED


@pytest.mark.parametrize(
    "body, field",
    [
        ({"outcome": "admit"}, "outcome"),
        (approval(space_kind=""), "space_kind"),
        (approval(area_m2="lots"), "area_m2"),
        (approval(area_m2="0"), "area_m2"),
        (approval(move_in_on="2020-01-01"), "move_in_on"),
        (approval(move_in_on="\x00"), "move_in_on"),
        (approval(term_months=500), "term_months"),
        (approval(conditions="x" * 10_000), "conditions"),
        (approval(conditions="\x00"), "conditions"),
        ({"outcome": "reject"}, "reasons"),
        ({"outcome": "reject", "reasons": ["a list"]}, "reasons"),
        ({"outcome": "waitlist", "waitlist_position": 0}, "waitlist_position"),
        ({"outcome": "waitlist", "waitlist_position": 10**12}, "waitlist_position"),
        ({"outcome": "waitlist", "expected_status": "nonsense"}, "expected_status"),
    ],
)
def test_bad_input_is_400_problem_json_naming_the_field(officer, application, body, field):
    response = decide(signed_in(officer), application, body)
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert field in response.json()["errors"]
    application.refresh_from_db()
    assert application.status == Status.REVIEWED


def test_a_body_that_is_not_json_is_400(officer, application):
    response = signed_in(officer).post(
        f"/api/v1/applications/{application.reference}/decide/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_only_the_enterprises_members_accept_the_place(officer, application):
    decided(application, officer)
    url = f"/api/v1/applications/{application.reference}/accept_offer/"
    assert signed_in(applicant_of_new_enterprise()).post(url).status_code == 404
    assert signed_in(officer).post(url).status_code == 404  # no member of the enterprise
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    detail = signed_in(application.created_by).get(f"/api/v1/applications/{application.reference}/").json()
    assert detail["decision"]["onboarding"] is None and detail["decision"]["reasons"] == ""
