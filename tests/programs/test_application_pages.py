"""The applicant's pages through the test client: start, steps with autosave, review and submit,
the status page, withdraw and respond; who may see what; query counts held flat."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from programs.models import Application, StatusChange
from programs.services import applications as svc
from programs.workflow import Status
from tests.factories import EnterpriseFactory, member_of
from tests.files import pdf

from .factories import good_answers
from .pages import applicant_with_enterprise, business_plan, draft, officer_of, open_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return open_call()


@pytest.fixture
def applicant():
    return applicant_with_enterprise()


def url(application, tail=""):
    return f"/applications/{application.reference}/{tail}"


COMPANY = {
    "summary": "Antibody therapies for liver cancer",
    "staff_worldwide": "12",
    "funding_sought_0": "5000000",
    "funding_sought_1": "HKD",
    "hk_company_planned": "yes",
    "hk_setup_date": "2027-01-15",
}
PRODUCT = {"modality": "biologic", "markets": ["cn", "us"], "plan": "Phase 1 trials next year."}


def team_data(rows, plan_id=""):
    data = {"team": str(len(rows)), "business_plan": str(plan_id)}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"team-{i}-{key}"] = value
    return data


GOOD_TEAM = [
    {"name": "Chen Wei", "role": "CEO", "full_time": "yes", "technical": "yes", "equity": "40"},
    {"name": "Li Na", "role": "CSO", "full_time": "yes", "technical": "yes", "equity": "20"},
]


def test_start_goes_to_the_first_step_and_a_second_start_gives_the_same_draft(client, call, applicant):
    user, enterprise = applicant
    client.force_login(user)
    first = client.post(f"/calls/{call.slug}/start/", {"enterprise": enterprise.reference})
    second = client.post(f"/calls/{call.slug}/start/", {"enterprise": enterprise.reference})
    application = Application.objects.get()
    assert first["Location"] == second["Location"] == url(application, "edit/")
    assert client.get(first["Location"])["Location"] == url(application, "edit/company/")


def test_start_without_consent_goes_to_the_consent_page_and_back(client, call):
    enterprise = EnterpriseFactory()
    user = member_of(enterprise, role="owner", consent=False)
    client.force_login(user)
    response = client.post(f"/calls/{call.slug}/start/", {"enterprise": enterprise.reference})
    assert response["Location"].startswith("/consent/?next=")
    assert not Application.objects.exists()
    assert client.get(f"/calls/{call.slug}/start/")["Location"] == f"/calls/{call.slug}/"


def test_start_for_another_enterprise_is_404_and_on_a_closed_call_says_so(client, call, applicant):
    user, enterprise = applicant
    client.force_login(user)
    assert client.post(f"/calls/{call.slug}/start/", {"enterprise": EnterpriseFactory().reference}).status_code == 404
    closed = open_call(closes_at=timezone.now() - datetime.timedelta(days=1))
    response = client.post(f"/calls/{closed.slug}/start/", {"enterprise": enterprise.reference}, follow=True)
    assert "This call is not open for applications." in response.content.decode()
    assert not Application.objects.exists()


def test_the_steps_save_and_move_on_and_the_review_lists_nothing_missing(client, call, applicant):
    user, enterprise = applicant
    application = draft(user, enterprise, call)
    plan = business_plan(user, enterprise)
    client.force_login(user)
    response = client.post(url(application, "edit/company/"), {**COMPANY, "go": "next"})
    assert response["Location"] == url(application, "edit/product/")
    response = client.post(url(application, "edit/product/"), {**PRODUCT, "go": "previous"})
    assert response["Location"] == url(application, "edit/company/")
    response = client.post(url(application, "edit/team/"), {**team_data(GOOD_TEAM, plan.pk), "go": "next"})
    assert response["Location"] == url(application, "review/")
    application.refresh_from_db()
    assert application.answers["funding_sought"] == {"amount": "5000000.00", "currency": "HKD"}
    assert application.answers["hk_company_planned"] is True
    assert application.answers["markets"] == ["cn", "us"]
    assert application.answers["team"][1] == {
        "name": "Li Na",
        "role": "CSO",
        "full_time": True,
        "technical": True,
        "equity": "20",
    }
    review = client.get(url(application, "review/")).content.decode()
    assert "Every answer is complete" in review


def test_a_document_question_takes_a_file_uploaded_on_the_step(client, call, applicant):
    user, enterprise = applicant
    application = draft(user, enterprise, call)
    client.force_login(user)
    upload = SimpleUploadedFile("plan.pdf", pdf(), content_type="application/pdf")
    data = {**team_data(GOOD_TEAM), "business_plan__upload": upload, "go": "save"}
    assert client.post(url(application, "edit/team/"), data).status_code == 302
    application.refresh_from_db()
    document = enterprise.documents.get()
    assert application.answers["business_plan"] == document.pk and document.doc_type == "business_plan"

    fake = SimpleUploadedFile("plan.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(url(application, "edit/team/"), {**team_data(GOOD_TEAM), "business_plan__upload": fake})
    assert response.status_code == 400
    assert 'id="id_business_plan__upload_error"' in response.content.decode()
    assert enterprise.documents.count() == 1


def test_add_and_remove_row_buttons_work_without_script(client, call, applicant):
    user, enterprise = applicant
    application = draft(user, enterprise, call)
    client.force_login(user)
    response = client.post(url(application, "edit/team/"), {**team_data(GOOD_TEAM), "add_row": "team"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="team-2-name"' in html and 'name="team-3-name"' not in html
    response = client.post(url(application, "edit/team/"), {**team_data(GOOD_TEAM), "remove_row": "team-0"})
    html = response.content.decode()
    assert 'value="Li Na"' in html and "Chen Wei" not in html
    application.refresh_from_db()
    assert [row["name"] for row in application.answers["team"]] == ["Li Na"]


def test_autosave_answers_saved_at_in_local_time_or_the_field_errors(client, call, applicant):
    user, enterprise = applicant
    application = draft(user, enterprise, call)
    client.force_login(user)
    response = client.post(url(application, "edit/company/autosave/"), {**COMPANY, "staff_worldwide": "many"})
    html = response.content.decode()
    application.refresh_from_db()
    local = timezone.localtime(application.saved_at)
    assert f"Saved at {local:%H:%M}" in html
    assert "Staff worldwide</a>: Enter a number." in html
    assert application.answers["summary"] == COMPANY["summary"] and "staff_worldwide" not in application.answers

    svc.save_answers(actor=user, application=application, answers=good_answers(business_plan(user, enterprise).pk))
    svc.submit(actor=user, application=application, declaration=True)
    response = client.post(url(application, "edit/company/autosave/"), COMPANY)
    assert (
        "Not saved: Only a draft&#x27;s answers can change: this application is “Submitted”."
        in response.content.decode()
    )


def test_the_review_links_each_problem_to_its_field_and_submitting_twice_gives_one_submission(
    client, call, applicant, django_capture_on_commit_callbacks
):
    user, enterprise = applicant
    application = draft(user, enterprise, call)
    answers = good_answers(business_plan(user, enterprise).pk)
    answers["team"][1]["equity"] = "150"
    del answers["summary"]
    svc.save_answers(actor=user, application=application, answers=answers)
    client.force_login(user)
    review = client.get(url(application, "review/")).content.decode()
    assert f'href="{url(application, "edit/company/")}#q-summary"' in review
    assert "Answer this question." in review
    response = client.post(url(application, "review/"), {"declaration": "on"})
    assert response.status_code == 400 and "Some answers are missing" in response.content.decode()

    svc.save_answers(actor=user, application=application, answers=good_answers(answers["business_plan"]))
    response = client.post(url(application, "review/"), {})
    assert "Confirm the declaration" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post(url(application, "review/"), {"declaration": "on"})
        second = client.post(url(application, "review/"), {"declaration": "on"})
    assert first["Location"] == second["Location"] == url(application)
    assert StatusChange.objects.filter(application=application, transition="submit").count() == 1
    assert client.get(url(application, "edit/company/"))["Location"] == url(application)


def test_a_fixed_call_closed_refuses_the_submission_with_a_clear_message(client, applicant):
    user, enterprise = applicant
    call = open_call(closes_at=timezone.now() + datetime.timedelta(days=1))
    application = draft(user, enterprise, call)
    svc.save_answers(actor=user, application=application, answers=good_answers(business_plan(user, enterprise).pk))
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.save(update_fields=["closes_at"])
    client.force_login(user)
    html = client.get(url(application, "review/")).content.decode()
    assert "the draft can no longer be submitted" in html and "Submit the application" not in html
    response = client.post(url(application, "review/"), {"declaration": "on"})
    assert response.status_code == 409
    assert Application.objects.get().status == Status.DRAFT


def submitted(user, enterprise, call):
    application = draft(user, enterprise, call)
    svc.save_answers(actor=user, application=application, answers=good_answers(business_plan(user, enterprise).pk))
    return svc.submit(actor=user, application=application, declaration=True)


def test_the_status_page_polls_while_a_worker_runs_and_stops_once_settled(client, call, applicant):
    user, enterprise = applicant
    application = submitted(user, enterprise, call)
    client.force_login(user)
    page = client.get(url(application)).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Sent; waiting for the automatic screening" in page
    svc.begin_screening(application.pk)
    svc.finish_screening(application.pk)
    fragment = client.get(url(application, "status/")).content.decode()
    assert "hx-trigger" not in fragment
    assert "In review" in fragment and "by the portal" in fragment


def test_the_timeline_names_members_hides_officers_and_internal_notes(client, call, applicant):
    user, enterprise = applicant
    application = submitted(user, enterprise, call)
    svc.begin_screening(application.pk)
    svc.finish_screening(application.pk)
    officer = officer_of(call)
    svc.request_info(
        actor=officer,
        application=application,
        message="Send the signed term sheet.",
        fields=["funding_sought"],
        due_at=timezone.now() + datetime.timedelta(days=7),
    )
    client.force_login(user)
    html = client.get(url(application)).content.decode()
    assert f"by {user.full_name or user.email}" in html
    assert "by an officer" in html and officer.email not in html
    assert "Send the signed term sheet." in html
    assert "Send the information" in html


def test_respond_shows_only_the_reopened_questions_and_returns_the_application(client, call, applicant):
    user, enterprise = applicant
    application = submitted(user, enterprise, call)
    svc.begin_screening(application.pk)
    svc.finish_screening(application.pk)
    svc.request_info(
        actor=officer_of(call),
        application=application,
        message="Correct the funding sought.",
        fields=["funding_sought"],
        due_at=timezone.now() + datetime.timedelta(days=7),
    )
    client.force_login(user)
    page = client.get(url(application, "respond/")).content.decode()
    assert 'name="funding_sought_0"' in page and 'name="summary"' not in page
    bad = {"funding_sought_0": "lots", "funding_sought_1": "HKD", "response-message": "Here it is."}
    response = client.post(url(application, "respond/"), bad)
    assert response.status_code == 400 and "Enter a number." in response.content.decode()
    good = {**bad, "funding_sought_0": "3000000"}
    assert client.post(url(application, "respond/"), good)["Location"] == url(application)
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert application.answers["funding_sought"]["amount"] == "3000000.00"


def test_withdraw_asks_first_and_records_the_reason(client, call, applicant):
    user, enterprise = applicant
    application = submitted(user, enterprise, call)
    client.force_login(user)
    assert "Withdraw the application" in client.get(url(application, "withdraw/")).content.decode()
    response = client.post(
        url(application, "withdraw/"), {"reason": "We joined another park.", "seen_status": "submitted"}
    )
    assert response["Location"] == url(application)
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert application.status_changes.last().note == "We joined another park."
    assert client.get(url(application, "withdraw/"))["Location"] == url(application)


@pytest.mark.parametrize("tail", ["", "status/", "edit/", "edit/company/", "review/", "withdraw/", "respond/"])
def test_another_enterprises_application_is_404(client, call, applicant, tail):
    user, enterprise = applicant
    application = draft(user, enterprise, call)
    stranger, _ = applicant_with_enterprise()
    client.force_login(stranger)
    assert client.get(url(application, tail)).status_code == 404


@pytest.mark.parametrize("tail", ["", "edit/company/", "review/"])
def test_officers_are_refused_and_anonymous_users_sent_to_sign_in(client, call, applicant, tail):
    user, enterprise = applicant
    application = draft(user, enterprise, call)
    assert client.get(url(application, tail))["Location"].startswith("/accounts/login/")
    assert client.get("/applications/")["Location"].startswith("/accounts/login/")
    client.force_login(officer_of(call))
    assert client.get(url(application, tail)).status_code == 403
    assert client.post(url(application, "edit/company/autosave/"), COMPANY).status_code == 403
    assert client.get("/applications/").status_code == 403


def test_the_list_and_the_status_page_do_not_grow_in_queries(client, applicant, django_assert_max_num_queries):
    user, enterprise = applicant
    first = draft(user, enterprise, open_call())
    client.force_login(user)
    with django_assert_max_num_queries(30) as one_row:
        client.get("/applications/")
    with django_assert_max_num_queries(40) as short_timeline:
        client.get(url(first))
    for _ in range(5):
        draft(user, enterprise, open_call())
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        assert client.get("/applications/").content.decode().count('class="identifier"') == 6
    busy = submitted(user, enterprise, open_call())
    svc.begin_screening(busy.pk)
    svc.finish_screening(busy.pk)
    assert busy.status_changes.count() == 4
    with django_assert_max_num_queries(len(short_timeline.captured_queries)):
        assert client.get(url(busy)).status_code == 200


HOSTILE = ["x" * 10_000, "²", "../\x1b[31m", "-1", "9" * 25]


def test_every_form_of_the_applicant_pages_takes_hostile_values_without_a_5xx(client, applicant):
    """The URL sweep cannot reach these pages (it has no application): send their forms here."""
    user, enterprise = applicant
    application = draft(user, enterprise, open_call())
    asked = submitted(user, enterprise, open_call())
    svc.begin_screening(asked.pk)
    svc.finish_screening(asked.pk)
    svc.request_info(
        actor=officer_of(asked.call),
        application=asked,
        message="More please.",
        fields=["funding_sought", "team", "business_plan"],
        due_at=timezone.now() + datetime.timedelta(days=3),
    )
    client.force_login(user)
    client.raise_request_exception = False
    pages = [url(application, f"edit/{key}/") for key in ("company", "product", "team")]
    pages += [url(application, "review/"), url(asked, "respond/"), url(asked, "withdraw/")]
    for page in pages:
        html = client.get(page).content.decode()
        names = set(re.findall(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"', html)) - {
            "csrfmiddlewaretoken"
        }
        assert names, page
        targets = [page] + ([page + "autosave/"] if "/edit/" in page else [])
        for value in HOSTILE:
            for target in targets:
                response = client.post(target, dict.fromkeys(names, value))
                assert response.status_code < 500, (target, value[:20])
