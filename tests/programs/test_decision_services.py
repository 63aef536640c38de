"""Deciding and what follows: approve with a space, waitlist at a place, reject with reasons; the
applicant accepts, the officer records the onboarding (the Hong Kong company on the enterprise)
and admits; a place given up goes to the waiting list in its order, within the call's capacity.
Each step is refused from a wrong state and for a wrong role."""

import datetime
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from enterprises.models import HongKongEntity
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import Notification
from programs.choices import Outcome
from programs.models import Decision, Onboarding, StatusChange
from programs.services import applications as app_svc
from programs.services import decisions as svc
from programs.workflow import Status
from tests.factories import EnterpriseFactory, UnitFactory, member_of

from .factories import (
    SPACE,
    applicant_of,
    applicant_of_new_enterprise,
    application_in_review,
    deliver,
    officer_of,
    onboarded,
    panel_of,
    refusal,
    reviewed,
    reviewer,
    rubric_for,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CONDITIONS = "Register the Hong Kong company within three months."


@pytest.fixture
def panel(call):
    rubric_for(call)
    return panel_of(call, 3)


@pytest.fixture
def officer(call):
    return officer_of(call, full_name="Officer Chan", preferred_language="en")


@pytest.fixture
def application(call, panel):
    return reviewed(call)


def approve(officer, application, **changes):
    return svc.decide(
        actor=officer, application=application, outcome=Outcome.APPROVE, conditions=CONDITIONS, **{**SPACE, **changes}
    )


def waitlist(officer, application, **extra):
    return svc.decide(actor=officer, application=application, outcome=Outcome.WAITLIST, **extra)


def reject(officer, application, reasons="The market plan is not yet credible."):
    return svc.decide(actor=officer, application=application, outcome=Outcome.REJECT, reasons=reasons)


def status_of(application):
    application.refresh_from_db()
    return application.status


# --- Deciding ---------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["space_kind", "area_m2", "move_in_on", "term_months"])
def test_an_approval_allocates_a_space(officer, application, missing):
    refused = refusal(lambda: approve(officer, application, **{missing: "" if missing == "space_kind" else None}))
    assert (refused.code, refused.field) == ("required", missing)
    assert status_of(application) == Status.REVIEWED and not Decision.objects.exists()


def test_the_move_in_date_may_not_have_passed(officer, application):
    refused = refusal(lambda: approve(officer, application, move_in_on=TODAY - datetime.timedelta(days=1)))
    assert (refused.code, refused.field) == ("move_in_past", "move_in_on")
    assert str(refused) == "Choose a move-in date from today on."


def test_an_approval_records_the_decision_closes_the_reviews_and_tells_the_applicant(officer, application):
    decision = approve(officer, application, internal_note="Strong team.")
    application.refresh_from_db()
    assert application.status == Status.APPROVED and application.reviews_closed_at is not None
    assert svc.current_decision(application) == decision
    assert (decision.outcome, decision.decided_by, decision.conditions, decision.reasons) == (
        Outcome.APPROVE,
        officer,
        CONDITIONS,
        "",
    )
    assert (decision.space_kind, decision.area_m2, decision.move_in_on, decision.term_months) == tuple(SPACE.values())
    change = StatusChange.objects.get(application=application, transition="approve")
    assert (change.actor, change.note, change.internal_note) == (officer, CONDITIONS, "Strong team.")
    deliver("application.approve")
    note = Notification.objects.get(kind="application.approve")
    assert note.recipient == applicant_of(application)
    assert (note.title, note.body) == (f"{application.reference}: Approved", CONDITIONS)


def test_waitlisted_applications_take_the_next_place_unless_given_one(call, officer, panel):
    first, second, third = (reviewed(call) for _ in range(3))
    assert waitlist(officer, first).waitlist_position == 1
    assert waitlist(officer, second).waitlist_position == 2
    placed = waitlist(officer, third, waitlist_position=1, conditions="ignored", **SPACE)
    assert placed.waitlist_position == 1
    assert (placed.conditions, placed.space_kind, placed.area_m2) == ("", "", None)
    assert status_of(third) == Status.WAITLISTED


def test_a_rejection_needs_reasons_for_the_applicant_also_from_the_waiting_list(officer, application):
    refused = refusal(lambda: reject(officer, application, reasons="  "))
    assert (refused.code, refused.field) == ("required", "reasons")
    waitlist(officer, application)
    decision = reject(officer, application)
    assert status_of(application) == Status.REJECTED
    assert (decision.reasons, decision.conditions, decision.waitlist_position) == (
        "The market plan is not yet credible.",
        "",
        None,
    )


# --- Accepting, onboarding, admitting ---------------------------------------------------------


def test_from_approval_through_onboarding_to_admission(officer, application):
    approve(officer, application)
    applicant = applicant_of(application)
    onboarding = svc.accept_offer(actor=applicant, application=application)
    assert status_of(application) == Status.ONBOARDING and not onboarding.complete

    svc.record_onboarding(actor=officer, application=application, tenancy_signed_on=TODAY)
    refused = refusal(lambda: svc.admit(actor=officer, application=application))
    assert (refused.status, refused.code) == (409, "onboarding_incomplete")

    registered = TODAY - datetime.timedelta(days=3)
    svc.record_onboarding(
        actor=officer,
        application=application,
        company_name="Hangzhou Test Biotech (Hong Kong) Limited",
        hk_br="61234567-000-01-26-7",  # as printed on the certificate
        company_registered_on=registered,
    )
    entity = HongKongEntity.objects.get(enterprise=application.enterprise)
    assert (entity.name, entity.hk_br, entity.registered_on) == (
        "Hangzhou Test Biotech (Hong Kong) Limited",
        "61234567",
        registered,
    )
    assert refusal(lambda: svc.admit(actor=officer, application=application)).code == "onboarding_incomplete"
    onboarding = svc.record_onboarding(actor=officer, application=application, moved_in_on=TODAY)
    assert onboarding.complete and onboarding.tenancy_signed_on == TODAY  # earlier records are kept
    svc.admit(actor=officer, application=application)
    assert status_of(application) == Status.ADMITTED
    steps = StatusChange.objects.filter(application=application).values_list("transition", flat=True)
    assert list(steps)[-3:] == ["approve", "accept_offer", "admit"]


def test_a_hong_kong_firm_is_its_own_hong_kong_company(call, officer, panel):
    firm = EnterpriseFactory(
        kind="hong_kong",
        uscc=None,
        hk_br="61234567",
        district="",
        data_residency="hong_kong",
        founded_on=TODAY - datetime.timedelta(days=300),
    )
    application = reviewed(call, applicant=member_of(firm, role="owner"))
    approve(officer, application)
    svc.accept_offer(actor=applicant_of(application), application=application)
    record = partial(
        svc.record_onboarding, actor=officer, application=application, company_registered_on=TODAY, hk_br="71234567"
    )
    refused = refusal(record)
    assert (refused.code, refused.field) == ("br_mismatch", "hk_br")
    assert str(refused) == "A Hong Kong enterprise is its own Hong Kong company: its BR number is 61234567."
    record(hk_br="61234567-000-01-26-7")
    record(hk_br="")
    assert Onboarding.objects.get(application=application).company_registered_on == TODAY
    assert not HongKongEntity.objects.exists()


@pytest.mark.parametrize(
    ("company", "field"),
    [
        ({"company_name": "", "hk_br": "61234567"}, "company_name"),
        ({"company_name": "Binjiang HK Limited", "hk_br": ""}, "hk_br"),
        ({"company_name": "Binjiang HK Limited", "hk_br": "6123"}, "hk_br"),
        ({"company_name": "Binjiang HK Limited", "hk_br": "BR-61234567"}, "hk_br"),
        (
            {"company_name": "Binjiang HK Limited", "hk_br": "61234567", "company_registered_on": None},
            "company_registered_on",
        ),
    ],
)
def test_a_mainland_firms_hong_kong_company_needs_its_name_a_valid_br_and_its_registration(
    officer, application, company, field
):
    approve(officer, application)
    svc.accept_offer(actor=applicant_of(application), application=application)
    with pytest.raises((DomainError, ValidationError)) as refused:
        svc.record_onboarding(actor=officer, application=application, **{"company_registered_on": TODAY, **company})
    error = refused.value
    assert (error.field if isinstance(error, DomainError) else next(iter(error.message_dict))) == field
    assert not HongKongEntity.objects.exists()
    assert Onboarding.objects.get(application=application).company_registered_on is None


def test_onboarding_dates_are_days_that_have_come(officer, application):
    approve(officer, application)
    svc.accept_offer(actor=applicant_of(application), application=application)
    tomorrow = TODAY + datetime.timedelta(days=1)
    refused = refusal(lambda: svc.record_onboarding(actor=officer, application=application, moved_in_on=tomorrow))
    assert (refused.code, refused.field) == ("date_in_future", "moved_in_on")


# --- The waiting list's turn ------------------------------------------------------------------


@pytest.fixture
def full_call(call, officer, panel):
    """Two places, both approved; two on the waiting list, the later-decided one first in line."""
    call.capacity = 2
    call.save()
    approved = [reviewed(call) for _ in range(2)]
    for application in approved:
        approve(officer, application)
    second_in_line, first_in_line = reviewed(call), reviewed(call)
    waitlist(officer, second_in_line, waitlist_position=2)
    waitlist(officer, first_in_line, waitlist_position=1)
    return approved, first_in_line, second_in_line


def test_a_failed_onboarding_offers_its_place_to_the_first_on_the_waiting_list(officer, full_call):
    (failing, _kept), first_in_line, second_in_line = full_call
    svc.accept_offer(actor=applicant_of(failing), application=failing)
    refused = refusal(lambda: svc.fail_onboarding(actor=officer, application=failing, reasons=" "))
    assert (refused.code, refused.field) == ("reason_required", "reasons")
    svc.fail_onboarding(actor=officer, application=failing, reasons="The tenancy was never signed.")

    assert status_of(failing) == Status.REJECTED
    assert status_of(first_in_line) == Status.APPROVED
    assert status_of(second_in_line) == Status.WAITLISTED  # the call is full again
    offer = svc.current_decision(first_in_line)
    assert (offer.outcome, offer.decided_by, offer.conditions) == (Outcome.APPROVE, None, CONDITIONS)
    assert (offer.space_kind, offer.area_m2, offer.term_months) == ("wet_lab", SPACE["area_m2"], 36)
    assert offer.move_in_on >= TODAY + datetime.timedelta(days=30)
    change = StatusChange.objects.get(application=first_in_line, transition="offer_place")
    assert change.actor is None
    deliver("application.offer_place")
    assert Notification.objects.get(kind="application.offer_place").recipient == applicant_of(first_in_line)


def test_withdrawing_from_an_approval_frees_its_place(officer, full_call):
    (withdrawing, _kept), first_in_line, second_in_line = full_call
    app_svc.withdraw(actor=applicant_of(withdrawing), application=withdrawing, reason="We stay in Hangzhou.")
    assert [status_of(a) for a in (withdrawing, first_in_line, second_in_line)] == [
        Status.WITHDRAWN,
        Status.APPROVED,
        Status.WAITLISTED,
    ]
    # Withdrawing from the waiting list frees no place.
    app_svc.withdraw(actor=applicant_of(second_in_line), application=second_in_line)
    assert status_of(second_in_line) == Status.WITHDRAWN


def test_admitted_places_count_and_the_waiting_list_waits_while_the_call_is_full(officer, full_call):
    (admitted, _kept), first_in_line, _second = full_call
    onboarded(officer, admitted)
    svc.admit(actor=officer, application=admitted)
    assert svc.offer_freed_places(admitted.call) == []
    assert status_of(first_in_line) == Status.WAITLISTED


def test_without_an_approval_to_copy_the_waiting_list_is_left_to_the_officer(call, officer, panel):
    waiting = reviewed(call)
    waitlist(officer, waiting)
    assert svc.offer_freed_places(call) == []
    assert status_of(waiting) == Status.WAITLISTED


# --- Wrong states and wrong roles -------------------------------------------------------------


def other_units_officer(call):
    officer = officer_of(call)
    officer.unit = UnitFactory(code="other-unit", kind="platform")
    officer.save(update_fields=["unit"])
    return officer


def wrong_people(call, application):
    """Everyone who may not take an officer's or the applicant's step on ``application``."""
    return {
        "applicant": applicant_of(application),
        "another enterprise's member": applicant_of_new_enterprise(),
        "officer of another unit": other_units_officer(call),
        "its reviewer": application.assignments.first().reviewer,
        "a reviewer": reviewer(),
    }


OFFICER_STEPS = {
    "approve": lambda actor, a: approve(actor, a),
    "waitlist": lambda actor, a: waitlist(actor, a),
    "reject": lambda actor, a: reject(actor, a),
    "reject, no reasons": lambda actor, a: reject(actor, a, reasons=""),
    "approve, no space": lambda actor, a: approve(actor, a, area_m2=None),
}


@pytest.mark.parametrize("step", OFFICER_STEPS)
def test_only_an_officer_of_the_unit_decides(call, application, step):
    for who, person in wrong_people(call, application).items():
        refused = refusal(lambda person=person: OFFICER_STEPS[step](person, application))
        assert (refused.status, refused.code) == (403, "forbidden"), who
    assert status_of(application) == Status.REVIEWED and not Decision.objects.exists()


def test_only_the_applicant_accepts_and_only_an_officer_of_the_unit_onboards_admits_or_ends_it(
    call, officer, application
):
    approve(officer, application)
    people = wrong_people(call, application)
    applicant = people.pop("applicant")
    for who, person in {**people, "officer": officer}.items():
        refused = refusal(lambda person=person: svc.accept_offer(actor=person, application=application))
        assert refused.status == 403, who
    svc.accept_offer(actor=applicant, application=application)
    for who, person in {**people, "applicant": applicant}.items():
        for step in (
            partial(svc.record_onboarding, tenancy_signed_on=TODAY),
            svc.admit,  # refused for the role before the checklist is looked at
            partial(svc.fail_onboarding, reasons="No tenancy."),
            partial(svc.fail_onboarding, reasons=""),
        ):
            refused = refusal(lambda step=step, person=person: step(actor=person, application=application))
            assert refused.status == 403, (who, step)
    assert status_of(application) == Status.ONBOARDING
    assert Onboarding.objects.get(application=application).tenancy_signed_on is None


def test_each_step_is_refused_from_a_state_it_does_not_start_from(call, officer, panel):
    in_review_app = application_in_review(call)
    for outcome in OFFICER_STEPS:
        if "no" not in outcome:
            assert refusal(lambda o=outcome: OFFICER_STEPS[o](officer, in_review_app)).status == 409
    assert status_of(in_review_app) == Status.IN_REVIEW

    application = reviewed(call)
    applicant = applicant_of(application)
    assert refusal(lambda: svc.accept_offer(actor=applicant, application=application)).status == 409
    approve(officer, application)
    for outcome in ("approve", "waitlist", "reject"):
        assert refusal(lambda o=outcome: OFFICER_STEPS[o](officer, application)).status == 409
    for step in (svc.admit, partial(svc.fail_onboarding, reasons="No tenancy.")):
        assert refusal(lambda step=step: step(actor=officer, application=application)).status == 409
    not_yet = refusal(lambda: svc.record_onboarding(actor=officer, application=application, moved_in_on=TODAY))
    assert (not_yet.status, not_yet.code) == (409, "not_onboarding")

    onboarded(officer, application)
    assert refusal(lambda: svc.accept_offer(actor=applicant, application=application)).status == 409
    svc.admit(actor=officer, application=application)
    for step in (svc.admit, partial(svc.fail_onboarding, reasons="Late.")):
        assert refusal(lambda step=step: step(actor=officer, application=application)).status == 409
    refused = refusal(lambda: app_svc.withdraw(actor=applicant, application=application))
    assert refused.status == 409
    assert status_of(application) == Status.ADMITTED


def test_an_unknown_outcome_is_refused_on_its_field(officer, application):
    refused = refusal(lambda: svc.decide(actor=officer, application=application, outcome="promote"))
    assert (refused.code, refused.field, refused.status) == ("invalid_outcome", "outcome", 400)
    assert status_of(application) == Status.REVIEWED
