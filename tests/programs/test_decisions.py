"""Deciding a reviewed application (approve, waitlist, reject), the applicant's side of it (the
decision, the panel's comments, accepting the place), onboarding to admission, and the waiting
list's turn when a place is given up: each step through the pages an officer and an applicant
use, refused from the wrong state, for the wrong role, across units and enterprises."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import HongKongEntity
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.errors import DomainError
from programs.models import Decision, Onboarding, StatusChange
from programs.services import applications as svc
from programs.services import decisions
from programs.workflow import TRANSITIONS, Actor, Status
from tests.conftest import PortalClient
from tests.factories import EnterpriseFactory, UnitFactory, member_of, user_with_role

from .factories import (
    ProgrammeFactory,
    applicant_of_new_enterprise,
    decided,
    officer_of,
    reviewed,
    reviewing_call,
    terms,
)
from .pages import staff_action as action
from .pages import staff_page as page

pytestmark = pytest.mark.django_db

NEW_OFFICER_STEPS = ("approve", "waitlist", "reject", "admit", "fail_onboarding")
#: A day that has come: formalities are recorded when done.
DAY = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()


@pytest.fixture
def call():
    return reviewing_call(capacity=1)


@pytest.fixture
def application(call):
    return reviewed(call)


@pytest.fixture
def officer(client, call):
    user = officer_of(call, full_name="Officer Chan")
    client.force_login(user)
    return user


def applicant_page(application):
    return reverse("programs:application", args=[application.reference])


def approve_data(**changes):
    data = {f"approve-{k}": v for k, v in terms().items()}
    data["approve-expected_status"] = "reviewed"
    data.update({f"approve-{k}": v for k, v in changes.items()})
    return data


def as_applicant(application):
    client = PortalClient()
    client.force_login(application.created_by)
    return client


def accepted(application):
    decisions.accept_offer(actor=application.created_by, application=application)
    application.refresh_from_db()
    return application


# --- Approve, waitlist, reject from the application page ----------------------------------------------


def test_a_reviewed_application_offers_the_three_decisions(client, officer, application):
    html = client.get(page(application)).content.decode()
    for name in ("approve", "waitlist", "reject"):
        assert action(application, name) in html and f'id="action-{name}"' in html
    assert action(application, "admit") not in html
    assert 'value="1"' in html  # the waiting list's next free place, proposed
    assert reverse("programs:staff_ranking", args=[application.call.slug]) in html


def test_approve_with_conditions_and_space_then_the_applicant_reads_it(client, officer, application):
    response = client.post(action(application, "approve"), approve_data(internal_note="Strong team."))
    assert response.status_code == 302 and response["Location"] == page(application)
    application.refresh_from_db()
    assert application.status == Status.APPROVED and application.reviews_closed_at is not None
    decision = Decision.objects.get(application=application)
    assert (decision.space_kind, decision.area_m2, decision.term_months) == ("wet_lab", 120, 48)
    assert decision.decided_by == officer and decision.internal_note == "Strong team."
    staff_html = client.get(page(application)).content.decode()
    assert "Decided by Officer Chan." in staff_html and "Strong team." in staff_html

    html = as_applicant(application).get(applicant_page(application)).content.decode()
    assert "Wet laboratory, 120 m²" in html and "48 months" in html
    assert "Open a Hong Kong bank account." in html
    assert "Strengthen the market plan." in html  # the reviewers' comment to the applicant
    assert "Solid science." not in html  # never the comment to the officer
    assert "Strong team." not in html  # never the internal note
    for assignment in application.assignments.select_related("reviewer"):
        assert assignment.reviewer.full_name not in html and assignment.reviewer.email not in html
    assert "weighted score" not in html.lower()
    assert reverse("programs:application_accept", args=[application.reference]) in html
    assert reverse("programs:decision_letter", args=[application.reference]) in html
    dashboard = as_applicant(application).get(reverse("dashboard")).content.decode()
    assert "Waiting for you" in dashboard and application.reference in dashboard  # a place to accept


def test_waitlist_at_the_next_free_place_then_the_applicant_reads_it(client, officer, call, application):
    other = decided(reviewed(call), officer, "waitlist")
    assert Decision.objects.get(application=other).waitlist_position == 1
    html = client.get(page(application)).content.decode()
    assert 'name="waitlist-waitlist_position" value="2"' in html
    response = client.post(
        action(application, "waitlist"), {"waitlist-waitlist_position": "2", "waitlist-expected_status": "reviewed"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.WAITLISTED
    html = as_applicant(application).get(applicant_page(application)).content.decode()
    assert "Place on the waiting list" in html and "<dd>2</dd>" in html
    assert "Strengthen the market plan." in html
    assert reverse("programs:application_accept", args=[application.reference]) not in html


def test_reject_needs_reasons_for_the_applicant(client, officer, application):
    response = client.post(
        action(application, "reject"), {"reject-reasons": "  ", "reject-expected_status": "reviewed"}
    )
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post(
        action(application, "reject"),
        {"reject-reasons": "The market plan is too thin.", "reject-expected_status": "reviewed"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    html = as_applicant(application).get(applicant_page(application)).content.decode()
    assert "The market plan is too thin." in html and "Strengthen the market plan." in html


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"space_kind": "castle"}, "Select a valid choice"),
        ({"area_m2": "0"}, "greater than or equal to 1"),
        ({"area_m2": "12.25"}, "no more than 1 decimal place"),
        ({"move_in_on": "2020-01-01"}, "Choose a move-in date from today on."),
        ({"term_months": "121"}, "less than or equal to 120"),
        ({"conditions": "x" * 5001}, "at most 5000 characters"),
    ],
)
def test_approve_refuses_bad_terms_on_the_form(client, officer, application, changes, error):
    response = client.post(action(application, "approve"), approve_data(**changes))
    assert response.status_code == 400
    assert error in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.REVIEWED


def test_two_officers_deciding_at_once_the_second_is_told_who_and_when(client, officer, application):
    first = client.post(action(application, "approve"), approve_data())
    assert first.status_code == 302
    second = PortalClient()
    second.force_login(officer_of(application.call, full_name="Officer Wong"))
    late = second.post(
        action(application, "reject"),
        {"reject-reasons": "No.", "reject-expected_status": "reviewed"},
        follow=True,
    )
    assert late.status_code == 200
    assert "Officer Chan already moved this application to “Approved”" in late.content.decode()
    assert Decision.objects.filter(application=application).count() == 1
    assert StatusChange.objects.filter(application=application, from_status=Status.REVIEWED).count() == 1


# --- Each new officer step refused from the wrong state, role, unit ---------------------------------


@pytest.mark.parametrize("name", NEW_OFFICER_STEPS)
def test_every_new_officer_step_is_refused_from_a_wrong_state(call, name):
    application = reviewed(call) if name in ("admit", "fail_onboarding") else None
    if application is None:
        from .factories import in_review

        application = in_review(call)
    officer = officer_of(call)
    with pytest.raises(DomainError) as refused:
        if name in ("approve", "waitlist", "reject"):
            decided(application, officer, name)
        elif name == "admit":
            decisions.admit(actor=officer, application=application)
        else:
            decisions.fail_onboarding(actor=officer, application=application, reasons="x")
    assert refused.value.status == 409
    assert not TRANSITIONS[name].allowed_from(application.status)
    application.refresh_from_db()
    assert application.status in (Status.IN_REVIEW, Status.REVIEWED)


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CENTRE_STAFF])
def test_other_roles_cannot_decide(call, application, role):
    user = application.created_by if role == Role.APPLICANT else user_with_role(role)
    with pytest.raises(DomainError) as refused:
        decided(application, user, "reject")
    assert refused.value.status == 403
    client = PortalClient()
    client.force_login(user)
    response = client.post(action(application, "reject"), {"reject-reasons": "x", "reject-expected_status": "reviewed"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Status.REVIEWED


@pytest.mark.parametrize("name", [*NEW_OFFICER_STEPS, "onboarding"])
def test_an_officer_of_another_unit_gets_404(application, name):
    stranger = user_with_role(Role.PROGRAM_OFFICER)
    stranger.unit = UnitFactory(code="other-platform", kind="platform")
    stranger.save(update_fields=["unit"])
    client = PortalClient()
    client.force_login(stranger)
    url = reverse("programs:staff_onboarding", args=[application.reference]) if name == "onboarding" else None
    response = client.post(url or action(application, name), {**approve_data(), f"{name}-expected_status": "reviewed"})
    assert response.status_code == 404
    with pytest.raises(DomainError) as refused:
        decided(application, stranger, "reject")
    assert refused.value.status == 403
    application.refresh_from_db()
    assert application.status == Status.REVIEWED


def test_another_programme_of_the_unit_is_the_same_officers(call):
    other_call = reviewing_call(programme=ProgrammeFactory(slug="tech", unit=call.programme.unit))
    application = decided(reviewed(other_call), officer_of(call), "waitlist")
    assert application.status == Status.WAITLISTED


# --- The applicant accepts the place ------------------------------------------------------------


def test_the_applicant_accepts_the_place_and_follows_the_onboarding(client, officer, application):
    decided(application, officer)
    applicant = as_applicant(application)
    accept = reverse("programs:application_accept", args=[application.reference])
    html = applicant.get(accept).content.decode()
    assert "Accept the place and its conditions" in html and "Open a Hong Kong bank account." in html
    response = applicant.post(accept)
    assert response.status_code == 302 and response["Location"] == applicant_page(application)
    application.refresh_from_db()
    assert application.status == Status.ONBOARDING
    assert Onboarding.objects.filter(application=application).exists()
    html = applicant.get(applicant_page(application)).content.decode()
    assert "Tenancy agreement signed" in html and "Not yet" in html
    # Accepting twice: told there is nothing to accept, nothing changes.
    response = applicant.post(accept, follow=True)
    assert "No place is waiting to be accepted on this application." in response.content.decode()
    assert application.status_changes.filter(transition="accept_offer").count() == 1


def test_accepting_is_refused_before_an_approval_and_for_others(client, officer, call, application):
    accept = reverse("programs:application_accept", args=[application.reference])
    response = as_applicant(application).post(accept, follow=True)
    assert "No place is waiting to be accepted on this application." in response.content.decode()
    decided(application, officer)
    stranger = PortalClient()
    stranger.force_login(applicant_of_new_enterprise())
    assert stranger.get(accept).status_code == 404
    assert stranger.post(accept).status_code == 404
    assert client.post(accept).status_code == 403  # an officer is no applicant
    with pytest.raises(DomainError) as refused:
        decisions.accept_offer(actor=officer, application=application)
    assert refused.value.status == 403
    application.refresh_from_db()
    assert application.status == Status.APPROVED


# --- Onboarding to admission --------------------------------------------------------------------------


def onboarding_url(application):
    return reverse("programs:staff_onboarding", args=[application.reference])


def test_admit_is_refused_until_the_onboarding_is_complete(client, officer, call, application):
    accepted(decided(application, officer))
    html = client.get(page(application)).content.decode()
    assert "Record the tenancy, the Hong Kong company and the move-in first." in html
    assert 'disabled aria-describedby="blocked-admit"' in html
    response = client.post(action(application, "admit"), {"admit-expected_status": "onboarding"}, follow=True)
    assert "Record the tenancy, the Hong Kong company and the move-in before admitting." in response.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(
        onboarding_url(application), {"onboarding-tenancy_signed_on": today, "onboarding-moved_in_on": today}
    )
    assert response.status_code == 302
    with pytest.raises(DomainError):
        decisions.admit(actor=officer, application=application)
    response = client.post(
        onboarding_url(application),
        {
            "onboarding-company_name": "Xihu Biotech (Hong Kong) Limited",
            "onboarding-hk_br": "12345678-000-01-26-7",
            "onboarding-company_registered_on": today,
        },
    )
    assert response.status_code == 302
    entity = HongKongEntity.objects.get(enterprise=application.enterprise)
    assert (entity.name, entity.hk_br) == ("Xihu Biotech (Hong Kong) Limited", "12345678")
    onboarding = Onboarding.objects.get(application=application)
    assert onboarding.complete and onboarding.tenancy_signed_on.isoformat() == today
    html = client.get(page(application)).content.decode()
    assert "blocked-admit" not in html
    response = client.post(action(application, "admit"), {"admit-expected_status": "onboarding"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.ADMITTED
    html = as_applicant(application).get(applicant_page(application)).content.decode()
    assert html.count("check-passed") == 3


@pytest.mark.parametrize(
    "data, field, error",
    [
        ({"hk_br": "1234", "company_name": "X Ltd", "company_registered_on": DAY}, "hk_br", "8 digits"),
        ({"hk_br": "not a number", "company_name": "X Ltd"}, "hk_br", "8-digit"),
        ({"hk_br": "12345678", "company_registered_on": DAY}, "company_name", "Give the Hong Kong company"),
        ({"moved_in_on": "2999-01-01"}, "moved_in_on", "Record a date that has come."),
        ({"tenancy_signed_on": "yesterday"}, "tenancy_signed_on", "Enter a valid date."),
    ],
)
def test_onboarding_refuses_bad_input_on_the_form(client, officer, application, data, field, error):
    accepted(decided(application, officer))
    response = client.post(onboarding_url(application), {f"onboarding-{k}": v for k, v in data.items()})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not HongKongEntity.objects.filter(enterprise=application.enterprise).exists()
    assert Onboarding.objects.get(application=application).tenancy_signed_on is None


def test_a_hong_kong_enterprise_confirms_its_own_br(client, officer, call):
    enterprise = EnterpriseFactory(
        kind="hong_kong",
        uscc=None,
        hk_br="87654321",
        district="",
        data_residency="hong_kong",
        founded_on=timezone.localdate() - datetime.timedelta(days=300),
    )
    application = accepted(decided(reviewed(call, applicant=member_of(enterprise, role="owner")), officer))
    html = client.get(page(application)).content.decode()
    assert "A Hong Kong enterprise is its own Hong Kong company" in html
    assert 'name="onboarding-company_name"' not in html and 'value="87654321"' in html
    day = timezone.localdate().isoformat()
    wrong = client.post(
        onboarding_url(application), {"onboarding-hk_br": "11111111", "onboarding-company_registered_on": day}
    )
    assert wrong.status_code == 400 and "its BR number is 87654321" in wrong.content.decode()
    right = client.post(
        onboarding_url(application), {"onboarding-hk_br": "87654321", "onboarding-company_registered_on": day}
    )
    assert right.status_code == 302
    assert Onboarding.objects.get(application=application).company_registered_on.isoformat() == day
    assert not HongKongEntity.objects.filter(enterprise=enterprise).exists()


def test_onboarding_is_recorded_only_while_onboarding(client, officer, application):
    decided(application, officer)
    response = client.post(onboarding_url(application), {"onboarding-moved_in_on": DAY}, follow=True)
    assert "Onboarding is recorded while the application is onboarding" in response.content.decode()
    applicant = as_applicant(application)
    assert applicant.post(onboarding_url(application), {}).status_code == 403


def test_fail_onboarding_needs_reasons_and_the_applicant_reads_them(client, officer, application):
    accepted(decided(application, officer))
    response = client.post(
        action(application, "fail_onboarding"),
        {"fail_onboarding-reasons": "", "fail_onboarding-expected_status": "onboarding"},
    )
    assert response.status_code == 400
    client.post(
        action(application, "fail_onboarding"),
        {"fail_onboarding-reasons": "The tenancy was never signed.", "fail_onboarding-expected_status": "onboarding"},
    )
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    html = as_applicant(application).get(applicant_page(application)).content.decode()
    assert "Approved; the onboarding ended unfinished" in html and "The tenancy was never signed." in html


# --- The waiting list's turn ------------------------------------------------------------------------


@pytest.fixture
def line(call, officer, application):
    """Capacity 1: ``application`` approved; two waitlisted, the later-decided one at place 1."""
    decided(application, officer)
    second = decided(reviewed(call), officer, "waitlist", waitlist_position=2)
    first = decided(reviewed(call), officer, "waitlist", waitlist_position=1)
    return application, first, second


def test_a_withdrawal_offers_the_place_to_the_first_in_line(client, line):
    approved, first, second = line
    applicant = as_applicant(approved)
    withdraw = reverse("programs:application_withdraw", args=[approved.reference])
    html = applicant.get(withdraw).content.decode()
    assert "goes to the next enterprise on the waiting list" in html
    response = applicant.post(withdraw, {"reason": "We chose Cyberport.", "seen_status": "approved"})
    assert response.status_code == 302
    for application in line:
        application.refresh_from_db()
    assert (approved.status, first.status, second.status) == (Status.WITHDRAWN, Status.APPROVED, Status.WAITLISTED)
    offer = Decision.objects.filter(application=first).first()
    assert offer.outcome == "approve" and offer.decided_by is None and offer.space_kind == "wet_lab"
    assert offer.move_in_on >= timezone.localdate() + datetime.timedelta(days=30)
    html = as_applicant(first).get(applicant_page(first)).content.decode()
    assert reverse("programs:application_accept", args=[first.reference]) in html


def test_a_failed_onboarding_offers_the_place_and_capacity_holds(client, officer, line):
    approved, first, second = line
    accepted(approved)
    decisions.fail_onboarding(actor=officer, application=approved, reasons="No tenancy.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.APPROVED, Status.WAITLISTED)
    # The offered place accepted and withdrawn from onboarding: the next in line is offered it.
    accepted(first)
    svc.withdraw(actor=first.created_by, application=first)
    second.refresh_from_db()
    assert second.status == Status.APPROVED


def test_withdrawing_from_the_waiting_list_offers_nothing(line):
    approved, first, second = line
    withdraw = reverse("programs:application_withdraw", args=[first.reference])
    as_applicant(first).post(withdraw, {"reason": "", "seen_status": "waitlisted"})
    first.refresh_from_db()
    assert first.status == Status.WITHDRAWN
    second.refresh_from_db()
    assert second.status == Status.WAITLISTED
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


def test_a_waitlisted_application_can_still_be_rejected(client, officer, line):
    _approved, first, _second = line
    response = client.post(
        action(first, "reject"), {"reject-reasons": "The call is over.", "reject-expected_status": "waitlisted"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Status.REJECTED


# --- The cohort ----------------------------------------------------------------------------------


def test_the_public_call_page_lists_the_admitted_enterprises_that_chose_to_be_listed(client, officer, call):
    listed, unlisted, waiting = reviewed(call), reviewed(call), reviewed(call)
    for application, shown in ((listed, True), (unlisted, False)):
        application.status = Status.ADMITTED
        application.save(update_fields=["status"])
        application.enterprise.listed_in_directory = shown
        application.enterprise.save(update_fields=["listed_in_directory"])
    waiting.enterprise.listed_in_directory = True
    waiting.enterprise.save(update_fields=["listed_in_directory"])
    html = PortalClient().get(reverse("programs:call", args=[call.slug])).content.decode()
    assert "Admitted through this call" in html
    assert listed.enterprise.legal_name_en in html and listed.enterprise.legal_name_zh in html
    assert unlisted.enterprise.legal_name_en not in html and waiting.enterprise.legal_name_en not in html
    assert listed.reference not in html  # names only
    staff_html = client.get(reverse("programs:staff_ranking", args=[call.slug])).content.decode()
    assert listed.reference in staff_html and unlisted.reference in staff_html


# --- Hostile input --------------------------------------------------------------------------------


FIELDS = (
    "reasons",
    "conditions",
    "internal_note",
    "space_kind",
    "area_m2",
    "move_in_on",
    "term_months",
    "waitlist_position",
    "tenancy_signed_on",
    "company_name",
    "hk_br",
    "company_registered_on",
    "moved_in_on",
)


@pytest.mark.parametrize("value", ["\x00", "x" * 10_000, "²", "", "-1", "9" * 30, "<script>alert(1)</script>"])
def test_hostile_values_in_every_field_never_break_a_page(client, officer, application, value):
    steps = [s for s in NEW_OFFICER_STEPS if TRANSITIONS[s].by == Actor.OFFICER]
    for name in steps:
        data = {f"{name}-{field}": value for field in FIELDS}
        data[f"{name}-expected_status"] = value
        assert client.post(action(application, name), data).status_code in (302, 400), name
    application.refresh_from_db()
    assert application.status == Status.REVIEWED
    accepted(decided(application, officer))
    data = {f"onboarding-{field}": value for field in FIELDS}
    assert client.post(onboarding_url(application), data).status_code in (302, 400)
    for name in ("admit", "fail_onboarding"):
        data = {f"{name}-{field}": value for field in FIELDS}
        data[f"{name}-expected_status"] = value
        assert client.post(action(application, name), data).status_code in (302, 400), name
    application.refresh_from_db()
    assert application.status == Status.ONBOARDING
