"""The officer's application page: what it shows, the actions its state allows, races."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enterprises.services.documents import upload_document
from hkhz_portal.accounts.roles import Role
from programs.models import InfoRequest, StatusChange
from programs.services import applications as svc
from programs.tasks import screen_application
from programs.workflow import TRANSITIONS, Actor, Status
from tests.factories import EnterpriseFactory, UnitFactory, member_of, user_with_role
from tests.files import pdf

from .factories import CallFactory, ProgrammeFactory, good_answers
from .pages import staff_action as action
from .pages import staff_page as page

pytestmark = pytest.mark.django_db

#: The officer actions the page offers, and the states each is declared for.
OFFICER_ACTIONS = {t.name: t for t in TRANSITIONS.values() if t.by == Actor.OFFICER}


def officer_of(unit, **fields):
    user = user_with_role(Role.PROGRAM_OFFICER, **fields)
    user.unit = unit
    user.save(update_fields=["unit"])
    return user


@pytest.fixture
def applicant():
    enterprise = EnterpriseFactory(
        founded_on=timezone.localdate() - datetime.timedelta(days=300), legal_name_zh="杭州西湖生物医药有限公司"
    )
    return member_of(enterprise, role="owner")


def submitted(call, applicant, *, flagged=True):
    """An application through the real services and screening: flagged (one founder, so the
    staff rule fails) or passed."""
    enterprise = applicant.memberships.get().enterprise
    upload = SimpleUploadedFile("plan.pdf", pdf(), content_type="application/pdf")
    plan = upload_document(enterprise, upload, actor=applicant, doc_type="business_plan").document
    application = svc.start_application(actor=applicant, call=call, enterprise=enterprise)
    answers = good_answers(plan.pk)
    if flagged:
        answers["team"] = [{"name": "Solo Founder", "full_time": True, "technical": True, "equity": "100"}]
    svc.save_answers(actor=applicant, application=application, answers=answers)
    svc.submit(actor=applicant, application=application, declaration=True)
    screen_application(application.pk)
    application.refresh_from_db()
    return application


@pytest.fixture
def flagged(call, applicant):
    return submitted(call, applicant)


@pytest.fixture
def officer(client, call):
    user = officer_of(call.programme.unit, full_name="Officer Chan")
    client.force_login(user)
    return user


# --- The page ------------------------------------------------------------------------------------


def test_the_page_shows_the_application(client, officer, flagged):
    response = client.get(page(flagged))
    assert response.status_code == 200
    html = response.content.decode()
    enterprise = flagged.enterprise
    assert reverse("staff_enterprise_detail", args=[enterprise.reference]) in html
    assert "杭州西湖生物医药有限公司" in html
    # Answers under the form version: a choice by its label, money formatted, the team as a table.
    assert "Biologic" in html and "HKD 5,000,000.00" in html
    assert '<th scope="col">Equity %</th>' in html and "Solo Founder" in html
    plan = enterprise.documents.get()
    assert reverse("staff_document_download", args=[enterprise.reference, plan.pk, 1]) in html
    # The screening, rule by rule, with each reason.
    assert "Full-time staff at least N" in html
    assert "1 full-time staff; the call needs at least 2." in html
    assert "check check-failed" in html and "check check-passed" in html
    # The timeline, with who acted.
    assert html.count('<p class="timeline-head">') == 4  # started, submitted, screening, flagged


def test_the_document_link_downloads_for_the_officer(client, officer, flagged):
    plan = flagged.enterprise.documents.get()
    response = client.get(reverse("staff_document_download", args=[flagged.enterprise.reference, plan.pk, 1]))
    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CENTRE_STAFF, Role.ADMIN])
def test_wrong_roles_are_refused(client, flagged, role):
    client.force_login(user_with_role(role))
    assert client.get(page(flagged)).status_code == 403
    response = client.post(action(flagged, "override_flag"), {"override_flag-reason": "x"})
    assert response.status_code == 403


def test_the_applicant_member_is_refused(client, flagged, applicant):
    client.force_login(applicant)
    assert client.get(page(flagged)).status_code == 403


def test_an_officer_of_another_unit_gets_404(client, flagged):
    client.force_login(officer_of(UnitFactory(code="other-platform", kind="platform")))
    assert client.get(page(flagged)).status_code == 404
    response = client.post(
        action(flagged, "override_flag"),
        {"override_flag-reason": "x", "override_flag-expected_status": Status.NEEDS_ATTENTION},
    )
    assert response.status_code == 404
    flagged.refresh_from_db()
    assert flagged.status == Status.NEEDS_ATTENTION


def test_an_unknown_action_or_reference_is_404(client, officer, flagged):
    assert client.post(action(flagged, "submit"), {}).status_code == 404
    assert client.get(reverse("programs:staff_application", args=["HKSP-2026-99999"])).status_code == 404


# --- Which actions show, from which states -------------------------------------------------------


def test_a_flagged_application_offers_every_declared_officer_action(client, officer, flagged):
    html = client.get(page(flagged)).content.decode()
    for name, transition in OFFICER_ACTIONS.items():
        assert (action(flagged, name) in html) == transition.allowed_from(Status.NEEDS_ATTENTION), name


def test_in_review_offers_only_the_request_for_information(client, officer, call, applicant):
    application = submitted(call, applicant, flagged=False)
    assert application.status == Status.IN_REVIEW
    html = client.get(page(application)).content.decode()
    offered = {name for name in OFFICER_ACTIONS if action(application, name) in html}
    assert offered == {"request_info"}


@pytest.mark.parametrize("name", ["override_flag", "reject_ineligible"])
def test_an_action_not_allowed_from_the_state_is_refused_with_a_message(client, officer, call, applicant, name):
    application = submitted(call, applicant, flagged=False)
    response = client.post(
        action(application, name),
        {f"{name}-reason": "x", f"{name}-reasons": "x", f"{name}-expected_status": Status.IN_REVIEW},
        follow=True,
    )
    assert response.status_code == 200
    assert "cannot take the step" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


# --- The actions ---------------------------------------------------------------------------------


def test_override_the_flag_with_a_reason(client, officer, flagged):
    response = client.post(
        action(flagged, "override_flag"),
        {
            "override_flag-reason": "A second founder joins next month.",
            "override_flag-expected_status": "needs_attention",
        },
    )
    assert response.status_code == 302 and response["Location"] == page(flagged)
    flagged.refresh_from_db()
    assert flagged.status == Status.IN_REVIEW and not flagged.flagged
    html = client.get(page(flagged)).content.decode()
    assert "Internal note:" in html and "A second founder joins next month." in html


def test_override_without_a_reason_shows_the_error_on_the_form(client, officer, flagged):
    response = client.post(
        action(flagged, "override_flag"),
        {"override_flag-reason": "   ", "override_flag-expected_status": "needs_attention"},
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.status == Status.NEEDS_ATTENTION


def test_reject_as_ineligible_gives_the_applicant_the_reasons(client, officer, flagged):
    client.post(
        action(flagged, "reject_ineligible"),
        {
            "reject_ineligible-reasons": "The team has one full-time member.",
            "reject_ineligible-expected_status": "needs_attention",
        },
    )
    flagged.refresh_from_db()
    assert flagged.status == Status.REJECTED
    change = StatusChange.objects.filter(application=flagged).last()
    assert change.note == "The team has one full-time member." and change.actor == officer
    html = client.get(page(flagged)).content.decode()
    assert "No officer action is open in this state." in html


def test_request_info_reopens_only_the_chosen_questions(client, officer, flagged):
    html = client.get(page(flagged)).content.decode()
    default = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    assert f'value="{default}"' in html  # the default deadline: 14 days, Hong Kong time
    response = client.post(
        action(flagged, "request_info"),
        {
            "request_info-message": "Please list your full team.",
            "request_info-fields": ["team", "summary"],
            "request_info-due_on": default,
            "request_info-expected_status": "needs_attention",
        },
    )
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.status == Status.MORE_INFO_REQUESTED
    request = InfoRequest.objects.get(application=flagged)
    assert sorted(request.fields) == ["summary", "team"]
    due = timezone.localtime(request.due_at)
    assert due.date().isoformat() == default and (due.hour, due.minute) == (23, 59)
    html = client.get(page(flagged)).content.decode()
    assert "Open request for information" in html and "Please list your full team." in html
    assert "Team members" in html and "One-line summary" in html


@pytest.mark.parametrize(
    "fields, due_on, error",
    [
        (["not_a_question"], None, "Select a valid choice"),
        ([], "2020-01-01", "Set a deadline after today."),
        ([], "9999-12-31", "Set a deadline within a year."),
        ([], "tomorrow", "Enter a valid date."),
    ],
)
def test_request_info_refuses_bad_input_on_the_form(client, officer, flagged, fields, due_on, error):
    response = client.post(
        action(flagged, "request_info"),
        {
            "request_info-message": "More please",
            "request_info-fields": fields,
            "request_info-due_on": due_on or (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "request_info-expected_status": "needs_attention",
        },
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.status == Status.NEEDS_ATTENTION


@pytest.mark.parametrize("value", ["\x00", "x" * 10_000, "²", ""])
def test_hostile_values_never_break_the_page(client, officer, flagged, value):
    for name in OFFICER_ACTIONS:
        data = {f"{name}-{field}": value for field in ("reason", "reasons", "message", "fields", "due_on")}
        data[f"{name}-expected_status"] = value
        response = client.post(action(flagged, name), data)
        assert response.status_code in (302, 400), (name, response.status_code)
    flagged.refresh_from_db()
    assert flagged.status == Status.NEEDS_ATTENTION


# --- Two officers at once ------------------------------------------------------------------------


def test_two_officers_acting_at_once_one_wins_the_other_is_told_who(client, officer, flagged):
    """Both drew the page while the application needed attention; the first to send wins, the
    second (whose form still says so) reads who acted and when, on the page, not an error page."""
    other = officer_of(flagged.unit, full_name="Officer Wong")
    from tests.conftest import PortalClient

    second = PortalClient()
    second.force_login(other)
    first = client.post(
        action(flagged, "override_flag"),
        {"override_flag-reason": "Fine by me", "override_flag-expected_status": "needs_attention"},
    )
    assert first.status_code == 302
    late = second.post(
        action(flagged, "reject_ineligible"),
        {"reject_ineligible-reasons": "Not eligible", "reject_ineligible-expected_status": "needs_attention"},
        follow=True,
    )
    assert late.status_code == 200
    html = late.content.decode()
    assert "Officer Chan already moved this application to “In review”" in html
    flagged.refresh_from_db()
    assert flagged.status == Status.IN_REVIEW
    assert StatusChange.objects.filter(application=flagged, from_status=Status.NEEDS_ATTENTION).count() == 1


def test_the_page_query_count_does_not_grow_with_the_timeline(client, officer, flagged, django_assert_max_num_queries):
    with django_assert_max_num_queries(16) as first:
        client.get(page(flagged))
    for _ in range(5):
        StatusChange.objects.create(application=flagged, transition="flag", to_status="needs_attention", actor=officer)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(page(flagged))


def test_another_programme_of_the_unit_is_visible(client, officer, call):
    """Scope is the unit, not the programme."""
    programme = ProgrammeFactory(slug="tech", unit=call.programme.unit)
    enterprise = EnterpriseFactory(founded_on=timezone.localdate() - datetime.timedelta(days=300))
    application = submitted(CallFactory(programme=programme), member_of(enterprise, role="owner"))
    assert client.get(page(application)).status_code == 200


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_the_deadline_picker_holds_an_iso_date_in_every_language(client, officer, flagged, language):
    """A date input shows nothing unless its value is YYYY-MM-DD, whatever the page's language."""
    client.cookies["django_language"] = language
    html = client.get(page(flagged)).content.decode()
    values = re.findall(r'<input type="date"[^>]*value="([^"]*)"', html)
    assert values and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in values), values
