"""Each eligibility rule's pass and fail with its reason, and the screening checks' edge cases.

Outcomes are asserted on their stored form (``code`` and ``params``, what ``ScreeningCheck``
keeps) and on the English sentence; the 繁體 sentence is asserted to be a translation that
carries the same figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from enterprises.services.documents import withdraw_document
from programs.choices import RuleKind
from programs.eligibility import check_label, evaluate, explain, screening_checks, self_check
from programs.models import Application
from programs.services import applications as svc
from programs.workflow import Status
from tests.factories import EnterpriseFactory

from .factories import CallFactory, add_rule, applicant_of_new_enterprise, business_plan, complete_draft

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)
TEAM = [
    {"name": "Chen Wei", "full_time": True, "technical": True, "equity": "40"},
    {"name": "Li Na", "full_time": True, "technical": True, "equity": "20"},
    {"name": "Wong Ka-man", "full_time": True, "technical": False, "equity": "5"},
    {"name": "Part-timer", "full_time": False, "technical": True, "equity": "1.5"},
]


@pytest.fixture
def call():
    return CallFactory()


def outcome(call, kind, *, enterprise=None, answers=None, application=None, **rule):
    enterprise = enterprise or EnterpriseFactory(founded_on=TODAY - datetime.timedelta(days=400))
    return evaluate(
        add_rule(call, kind, **rule), enterprise=enterprise, answers=answers, application=application, today=TODAY
    )


def assert_reason(result, passed, code, params, english):
    assert (result.passed, result.code, result.params) == (passed, code, params)
    with translation.override("en"):
        assert result.reason == english
    with translation.override("zh-hant"):
        chinese = result.reason
    assert chinese != english, f"no 繁體 translation of {english!r}"
    for value in params.values():
        if isinstance(value, str) and value.isascii():
            assert value in chinese


# --- Hong Kong company ---------------------------------------------------------------------


def test_hong_kong_company_registered_planned_or_missing(call):
    hk = EnterpriseFactory(kind="hong_kong", uscc=None, hk_br="12345678", district="")
    assert_reason(
        outcome(call, RuleKind.HK_COMPANY, enterprise=hk, answers={}, field_key="hk_company_planned"),
        True,
        "hk_company_registered",
        {},
        "The enterprise is registered in Hong Kong.",
    )
    planned = outcome(call, RuleKind.HK_COMPANY, answers={"hk_company_planned": True}, field_key="hk_company_planned")
    assert_reason(planned, True, "hk_company_planned", {}, "The applicant will set up a Hong Kong company.")
    missing = outcome(call, RuleKind.HK_COMPANY, answers={"hk_company_planned": False}, field_key="hk_company_planned")
    assert_reason(
        missing,
        False,
        "hk_company_missing",
        {},
        "The enterprise is not registered in Hong Kong and does not plan to set up a company there.",
    )
    before_applying = outcome(call, RuleKind.HK_COMPANY, answers=None, field_key="hk_company_planned")
    assert (before_applying.passed, before_applying.code) == (None, "answer_pending")


# --- Company age ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "passed", "code", "years"), [(400, True, "age_ok", "1.1"), (1100, False, "age_too_old", "3")]
)
def test_company_age(call, days, passed, code, years):
    enterprise = EnterpriseFactory(founded_on=TODAY - datetime.timedelta(days=days))
    result = outcome(call, RuleKind.MAX_COMPANY_AGE, enterprise=enterprise, answers={}, number=2)
    assert_reason(
        result,
        passed,
        code,
        {"years": years, "max": "2"},
        f"The company is {years} years old; the call allows at most 2.",
    )


def test_a_profile_without_a_founding_date_fails_the_age_rule(call):
    result = outcome(call, RuleKind.MAX_COMPANY_AGE, enterprise=EnterpriseFactory(founded_on=None), number=2)
    assert_reason(result, False, "founding_date_missing", {}, "The profile has no founding date.")


# --- The team: full-time staff, technical share, technical equity ------------------------------


@pytest.mark.parametrize(("team", "passed", "count"), [(TEAM, True, 3), (TEAM[:1], False, 1)])
def test_full_time_staff(call, team, passed, count):
    result = outcome(call, RuleKind.MIN_FULL_TIME_STAFF, answers={"team": team}, number=2, field_key="team")
    code = "staff_ok" if passed else "staff_too_few"
    assert_reason(
        result, passed, code, {"count": count, "min": "2"}, f"{count} full-time staff; the call needs at least 2."
    )


@pytest.mark.parametrize(
    ("team", "passed", "share"),
    [
        (TEAM, True, "66.7"),
        (TEAM[2:], False, "0"),  # the part-timer is technical, but only full-time staff count
        ([{**row, "full_time": False} for row in TEAM], False, "0"),  # zero full-time staff
    ],
)
def test_technical_share_of_full_time_staff(call, team, passed, share):
    result = outcome(call, RuleKind.MIN_TECHNICAL_SHARE, answers={"team": team}, number=50, field_key="team")
    assert_reason(
        result,
        passed,
        "technical_share_ok" if passed else "technical_share_low",
        {"share": share, "min": "50"},
        f"{share} % of full-time staff are technical; the call needs at least 50 %.",
    )


@pytest.mark.parametrize(
    ("team", "passed", "equity"),
    [
        (TEAM, True, "61.5"),  # 40 + 20 + the technical part-timer's 1.5
        ([{**TEAM[0], "equity": "5"}, TEAM[2]], False, "5"),
        ([{**TEAM[0], "equity": "not a number"}], False, "0"),
    ],
)
def test_technical_team_equity(call, team, passed, equity):
    result = outcome(call, RuleKind.MIN_TECHNICAL_EQUITY, answers={"team": team}, number=10, field_key="team")
    assert_reason(
        result,
        passed,
        "technical_equity_ok" if passed else "technical_equity_low",
        {"equity": equity, "min": "10"},
        f"The technical team holds {equity} % of the equity; the call needs at least 10 %.",
    )


@pytest.mark.parametrize(
    "kind", [RuleKind.MIN_FULL_TIME_STAFF, RuleKind.MIN_TECHNICAL_SHARE, RuleKind.MIN_TECHNICAL_EQUITY]
)
def test_no_team_answered_fails_the_team_rules_and_is_pending_before_applying(call, kind):
    result = outcome(call, kind, answers={"summary": "No team given"}, number=1, field_key="team")
    assert_reason(result, False, "team_pending", {}, "Decided by the team you list in the application.")
    assert outcome(call, kind, answers=None, number=1, field_key="team").passed is None


# --- Sector, documents, completeness --------------------------------------------------------------


def test_sector_in_a_list(call):
    accepted = outcome(call, RuleKind.SECTOR_IN, values=["biopharma", "medical_devices"])
    assert (accepted.passed, accepted.code) == (True, "sector_ok")
    with translation.override("en"):
        assert accepted.reason == "The enterprise's sector is one the call accepts."
    other = outcome(call, RuleKind.SECTOR_IN, values=["fintech"])
    assert_reason(
        other,
        False,
        "sector_other",
        {"sectors": ["fintech"]},
        "The call accepts enterprises of these sectors only: Fintech.",
    )


def test_required_documents_count_only_documents_not_withdrawn(call):
    applicant = applicant_of_new_enterprise()
    enterprise = applicant.memberships.get().enterprise
    plan = business_plan(applicant)
    present = outcome(call, RuleKind.REQUIRED_DOCUMENTS, enterprise=enterprise, values=["business_plan"])
    assert_reason(
        present, True, "documents_ok", {"types": []}, "Every required document is in the library or attached."
    )
    withdraw_document(plan, actor=applicant)
    gone = outcome(call, RuleKind.REQUIRED_DOCUMENTS, enterprise=enterprise, values=["business_plan", "staff_cvs"])
    assert_reason(
        gone,
        False,
        "documents_missing",
        {"types": ["business_plan", "staff_cvs"]},
        "Missing documents: Business plan, Staff CVs.",
    )


def test_profile_completeness(call):
    enterprise = EnterpriseFactory()
    low = outcome(call, RuleKind.MIN_COMPLETENESS, enterprise=enterprise, number=Decimal("90"))
    percent = low.params["percent"]
    assert percent < 90
    assert_reason(
        low,
        False,
        "completeness_low",
        {"percent": percent, "min": "90"},
        f"The profile is {percent} % complete; the call needs 90 %.",
    )
    enough = outcome(call, RuleKind.MIN_COMPLETENESS, enterprise=enterprise, number=Decimal(percent))
    assert (enough.passed, enough.code) == (True, "completeness_ok")


# --- Identifier -----------------------------------------------------------------------------------


def test_identifier_valid_missing_invalid_or_not_needed(call):
    assert_reason(
        outcome(call, RuleKind.IDENTIFIER_VALID), True, "identifier_ok", {}, "The enterprise's identifier is valid."
    )
    overseas = EnterpriseFactory(kind="overseas", uscc=None, district="")
    assert_reason(
        outcome(call, RuleKind.IDENTIFIER_VALID, enterprise=overseas),
        True,
        "identifier_not_needed",
        {},
        "An overseas enterprise needs no mainland or Hong Kong identifier.",
    )
    missing = EnterpriseFactory(kind="hong_kong", uscc=None, hk_br=None, district="")
    assert_reason(
        outcome(call, RuleKind.IDENTIFIER_VALID, enterprise=missing),
        False,
        "identifier_missing",
        {},
        "The profile has no USCC or BR number.",
    )
    enterprise = EnterpriseFactory()
    wrong = enterprise.uscc[:-1] + ("0" if enterprise.uscc[-1] != "0" else "1")
    type(enterprise).objects.filter(pk=enterprise.pk).update(uscc=wrong)  # a code from before the check existed
    enterprise.refresh_from_db()
    invalid = outcome(call, RuleKind.IDENTIFIER_VALID, enterprise=enterprise)
    assert (invalid.passed, invalid.code, invalid.params["value"]) == (False, "identifier_invalid", wrong)
    with translation.override("en"):
        assert invalid.reason.startswith(f"The identifier {wrong} fails its check: ")


# --- One open application per programme -----------------------------------------------------------


def test_another_open_application_in_the_programme_fails_and_drafts_or_withdrawn_ones_do_not(call):
    applicant = applicant_of_new_enterprise()
    enterprise = applicant.memberships.get().enterprise
    current = complete_draft(call, applicant)
    earlier_call = CallFactory(programme=call.programme)
    earlier = complete_draft(earlier_call, applicant)

    def check():
        return outcome(call, RuleKind.NO_OPEN_APPLICATION, enterprise=enterprise, application=current)

    assert_reason(
        check(), True, "no_open_application", {}, "No other open application of the enterprise to this programme."
    )
    Application.objects.filter(pk=earlier.pk).update(status=Status.IN_REVIEW)
    assert_reason(
        check(),
        False,
        "open_application",
        {"references": [earlier.reference]},
        f"The enterprise already has an open application to this programme: {earlier.reference}.",
    )
    Application.objects.filter(pk=earlier.pk).update(status=Status.WITHDRAWN)
    assert check().passed is True
    other_programme = CallFactory()
    elsewhere = complete_draft(other_programme, applicant)
    Application.objects.filter(pk=elsewhere.pk).update(status=Status.IN_REVIEW)
    assert check().passed is True


# --- Screening checks: duplicates and attached documents ----------------------------------------------


def screened(application):
    return {o.rule: o for o in screening_checks(Application.objects.get(pk=application.pk))}


def test_duplicates_by_uscc_under_another_enterprise(call):
    applicant = applicant_of_new_enterprise()
    application = complete_draft(call, applicant)
    svc.submit(actor=applicant, application=application, declaration=True)
    assert_reason(
        screened(application)["duplicates"],
        True,
        "no_duplicates",
        {"references": []},
        "No other enterprise has applied with the same USCC or BR number.",
    )
    # Another enterprise's application carries the same code: the firm re-registered, or one of
    # the two profiles is wrong. A draft does not count.
    other = applicant_of_new_enterprise()
    twin = complete_draft(CallFactory(), other)
    Application.objects.filter(pk=twin.pk).update(uscc=application.enterprise.uscc)
    assert screened(application)["duplicates"].passed is True
    Application.objects.filter(pk=twin.pk).update(status=Status.SUBMITTED)
    assert_reason(
        screened(application)["duplicates"],
        False,
        "duplicates",
        {"references": [twin.reference]},
        f"Applications of another enterprise carry the same identifier: {twin.reference}.",
    )


def test_a_withdrawn_or_unreadable_attached_document_fails_the_attachments_check(call):
    applicant = applicant_of_new_enterprise()
    application = complete_draft(call, applicant)
    assert_reason(
        screened(application)["attachments"],
        True,
        "attachments_ok",
        {"titles": []},
        "Every attached document is current and readable.",
    )
    document = application.enterprise.documents.get()
    version = document.versions.get()
    version.file.storage.delete(version.file.name)
    version.file.storage.save(version.file.name, ContentFile(b"%PDF-1.7 truncated"))
    broken = screened(application)["attachments"]
    assert (broken.passed, broken.code, broken.params) == (False, "attachments_broken", {"titles": ["Business plan"]})
    with translation.override("en"):
        assert broken.reason == "These attached documents are withdrawn or unreadable: Business plan."

    other = applicant_of_new_enterprise()
    withdrawn = complete_draft(CallFactory(), other)
    withdraw_document(withdrawn.enterprise.documents.get(), actor=other)
    assert screened(withdrawn)["attachments"].code == "attachments_broken"


def test_the_self_check_leaves_answer_rules_pending_and_labels_every_check(call):
    add_rule(call, RuleKind.MAX_COMPANY_AGE, number=2)
    add_rule(call, RuleKind.MIN_FULL_TIME_STAFF, number=2, field_key="team")
    results = self_check(call, EnterpriseFactory(founded_on=datetime.date.today()))
    assert [(r.rule, r.passed) for r in results] == [("max_company_age", True), ("min_full_time_staff", None)]
    with translation.override("en"):
        assert check_label("min_full_time_staff") == "Full-time staff at least N"
        assert check_label("duplicates") == "Duplicates"
        assert explain("no_such_code", {}) == "no_such_code"
