"""The admission API: calls for anyone, the user's own applications, and the applicant's steps,
each refused from the wrong state, for the wrong user (another enterprise's: 404), and for bad
input with a 4xx problem+json body that names the question at fault."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from enterprises.models import Membership
from enterprises.services.documents import upload_document
from hkhz_portal.accounts.roles import Role
from programs.models import Application, StatusChange
from programs.services import applications as svc
from programs.tasks import screen_application
from programs.workflow import Status
from tests.factories import EnterpriseFactory, UnitFactory, member_of, user_with_role
from tests.files import pdf

from .factories import CallFactory, ProgrammeFactory, good_answers, park_rules

pytestmark = pytest.mark.django_db

CALLS = "/api/v1/calls/"
APPS = "/api/v1/applications/"
PROBLEM = "application/problem+json"


def send(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body) if body is not None else None, content_type="application/json")


@pytest.fixture
def call():
    call = CallFactory(slug="biomed-rolling")
    park_rules(call)
    return call


@pytest.fixture
def enterprise():
    return EnterpriseFactory(founded_on=timezone.localdate() - datetime.timedelta(days=300))


@pytest.fixture
def applicant(enterprise, client):
    user = member_of(enterprise, "owner")
    client.force_login(user)
    return user


@pytest.fixture
def plan(enterprise, applicant):
    upload = SimpleUploadedFile("plan.pdf", pdf(), content_type="application/pdf")
    return upload_document(enterprise, upload, actor=applicant, doc_type="business_plan").document


@pytest.fixture
def draft(call, enterprise, applicant):
    return svc.start_application(actor=applicant, call=call, enterprise=enterprise)


@pytest.fixture
def complete(draft, applicant, plan):
    svc.save_answers(actor=applicant, application=draft, answers=good_answers(plan.pk))
    return draft


def officer_of(call):
    officer = user_with_role(Role.PROGRAM_OFFICER)
    officer.unit = call.programme.unit
    officer.save(update_fields=["unit"])
    return officer


def in_review(application, applicant):
    svc.submit(actor=applicant, application=application, declaration=True)
    screen_application(application.pk)
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    return application


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


# --- Calls -------------------------------------------------------------------------------


def test_anyone_lists_calls_narrowed_by_state_programme_and_unit(call):
    now = timezone.now()
    closed = CallFactory(slug="closed-round", opens_at=now - datetime.timedelta(days=60), closes_at=now)
    upcoming = CallFactory(slug="next-round", opens_at=now + datetime.timedelta(days=7))
    other_unit = ProgrammeFactory(slug="centre-programme", unit=UnitFactory(code="hk-centre-test"))
    elsewhere = CallFactory(slug="centre-call", programme=other_unit)
    anonymous = Client()

    def slugs(query=""):
        response = anonymous.get(CALLS + query)
        assert response.status_code == 200, response.content
        return {c["slug"] for c in response.json()["results"]}

    assert slugs() == {call.slug, closed.slug, upcoming.slug, elsewhere.slug}
    assert slugs("?state=open") == {call.slug, elsewhere.slug}
    assert slugs("?state=upcoming") == {upcoming.slug}
    assert slugs("?state=closed") == {closed.slug}
    assert slugs(f"?programme={other_unit.slug}") == {elsewhere.slug}
    assert slugs("?unit=hk-centre-test&state=open") == {elsewhere.slug}
    listed = next(c for c in anonymous.get(CALLS).json()["results"] if c["slug"] == call.slug)
    assert listed["state"] == "open" and listed["rolling"] is True and listed["closes_at"] is None
    assert listed["programme"]["kind"] == "biomedical_incubation"


def test_a_bad_call_filter_is_a_400_naming_the_parameter():
    body = problem(Client().get(CALLS + "?state=sometime"), 400)
    assert "state" in body["errors"]


def test_a_call_shows_its_rules_and_the_form_to_fill_in(call):
    data = Client(headers={"accept-language": "zh-hant"}).get(f"{CALLS}{call.slug}/").json()
    assert [r["kind"] for r in data["rules"]][:2] == ["hk_company", "max_company_age"]
    sections = {s["key"]: s for s in data["form"]["sections"]}
    assert list(sections) == ["company", "product", "team"]
    questions = {q["key"]: q for q in sections["company"]["questions"]}
    assert questions["summary"]["label"] == "One-line summary（繁）"
    assert questions["hk_setup_date"]["show_if"] == {"question": "hk_company_planned", "answer_in": [True]}
    team = sections["team"]["questions"][0]
    assert [c["key"] for c in team["columns"]] == ["name", "role", "full_time", "technical", "equity"]
    assert sections["team"]["questions"][1]["document_type"] == "business_plan"
    assert Client().get(f"{CALLS}no-such-call/").status_code == 404


# --- Listing and starting ----------------------------------------------------------------


def test_the_list_holds_only_the_users_own_applications(client, draft, call):
    other = EnterpriseFactory()
    svc.start_application(actor=member_of(other, "owner"), call=call, enterprise=other)

    data = client.get(APPS).json()

    assert [a["reference"] for a in data["results"]] == [draft.reference]
    assert data["results"][0]["enterprise"] == draft.enterprise.reference
    assert data["results"][0]["status"] == "draft"


def test_an_officer_has_no_applications_here_and_anonymous_is_401(client, draft, call):
    assert problem(Client().get(APPS), 401)
    client.force_login(officer_of(call))
    assert client.get(APPS).json()["count"] == 0
    assert client.get(f"{APPS}{draft.reference}/").status_code == 404
    refused = problem(send(client, "post", APPS, {"call": call.slug, "enterprise": draft.enterprise.reference}), 400)
    assert "enterprise" in refused["errors"]


def test_starting_a_draft_twice_gives_the_same_draft(client, call, enterprise, applicant):
    body = {"call": call.slug, "enterprise": enterprise.reference}
    first = send(client, "post", APPS, body)
    assert first.status_code == 201, first.content
    reference = first.json()["reference"]
    assert reference.startswith("HKSP-")
    again = send(client, "post", APPS, body)
    assert again.status_code == 200
    assert again.json()["reference"] == reference
    assert Application.objects.count() == 1


def test_starting_is_refused_for_another_enterprise_an_unknown_call_or_a_closed_one(client, call, applicant):
    other = EnterpriseFactory()
    errors = problem(send(client, "post", APPS, {"call": call.slug, "enterprise": other.reference}), 400)["errors"]
    assert errors == {"enterprise": ["You are not a member of an enterprise with this reference."]}
    mine = applicant.memberships.get().enterprise.reference
    errors = problem(send(client, "post", APPS, {"call": "nope", "enterprise": mine}), 400)["errors"]
    assert errors == {"call": ["There is no call with this short name."]}
    closed = CallFactory(closes_at=timezone.now() - datetime.timedelta(days=1))
    assert problem(send(client, "post", APPS, {"call": closed.slug, "enterprise": mine}), 409)["type"] == (
        "call_not_open"
    )
    assert not Application.objects.exists()


# --- Reading one -------------------------------------------------------------------------


def test_an_application_shows_its_answers_timeline_and_allowed_steps(client, complete, call, applicant):
    application = in_review(complete, applicant)
    svc.request_info(
        actor=officer_of(call),
        application=application,
        message="Please shorten the R&D plan.",
        fields=["plan"],
        due_at=timezone.now() + datetime.timedelta(days=7),
    )
    StatusChange.objects.filter(application=application).update(internal_note="Officer-only remark")

    data = client.get(f"{APPS}{application.reference}/").json()

    assert data["status"] == "more_info_requested"
    assert (data["call"], data["enterprise"], data["form_version"]) == (call.slug, application.enterprise.reference, 1)
    assert data["answers"]["summary"] == "Antibody therapies for liver cancer"
    steps = [(t["step"], t["to"]) for t in data["timeline"]]
    assert steps == [
        ("start", "draft"),
        ("submit", "submitted"),
        ("start_screening", "screening"),
        ("pass_screening", "in_review"),
        ("request_info", "more_info_requested"),
    ]
    assert data["timeline"][-1]["note"] == "Please shorten the R&D plan."
    assert "Officer-only remark" not in json.dumps(data)
    assert data["info_request"]["questions"] == ["plan"]
    assert [a["name"] for a in data["actions"]] == ["respond", "withdraw"]
    assert data["actions"][0]["url"].endswith(f"{APPS}{application.reference}/respond/")


def test_a_drafts_steps_are_submit_and_withdraw(client, draft):
    assert [a["name"] for a in client.get(f"{APPS}{draft.reference}/").json()["actions"]] == ["submit", "withdraw"]


def test_another_enterprises_application_is_404_for_every_method(client, applicant, call):
    other = EnterpriseFactory()
    theirs = svc.start_application(actor=member_of(other, "owner"), call=call, enterprise=other)
    url = f"{APPS}{theirs.reference}/"
    assert client.get(url).status_code == 404
    assert send(client, "patch", url, {"answers": {"summary": "Mine now"}}).status_code == 404
    for step, body in [
        ("submit", {"declaration": True}),
        ("withdraw", {"reason": "x"}),
        ("respond", {"message": "x"}),
    ]:
        assert problem(send(client, "post", f"{url}{step}/", body), 404), step
    theirs.refresh_from_db()
    assert theirs.status == Status.DRAFT and theirs.answers == {}


# --- Saving answers ----------------------------------------------------------------------


def test_patch_saves_valid_answers(client, draft, plan):
    response = send(
        client,
        "patch",
        f"{APPS}{draft.reference}/",
        {"answers": {"summary": "  Gene therapy  ", "business_plan": plan.pk}},
    )
    assert response.status_code == 200, response.content
    assert response.json()["answers"] == {"summary": "Gene therapy", "business_plan": plan.pk}


def test_patch_with_an_invalid_answer_names_it_and_saves_nothing(client, draft):
    body = {
        "answers": {
            "summary": "Fine",
            "staff_worldwide": "many",
            "funding_sought": {"amount": "1", "currency": "EUR"},
            "team": [{"name": "Chen Wei", "full_time": "perhaps", "technical": True, "equity": 140}],
            "plan": "word " * 51,
        }
    }
    errors = problem(send(client, "patch", f"{APPS}{draft.reference}/", body), 400)["errors"]
    assert errors == {
        "staff_worldwide": ["Enter a number."],
        "funding_sought": ["Choose a currency: CNY, HKD or USD."],
        "plan": ["Keep to 50 words: this has 51."],
        "team.0.full_time": ["Answer yes or no."],
        "team.0.equity": ["Enter 100 or less."],
    }
    draft.refresh_from_db()
    assert draft.answers == {}


def test_patch_refuses_unknown_questions_and_sections(client, draft):
    url = f"{APPS}{draft.reference}/"
    errors = problem(send(client, "patch", url, {"answers": {"summary": "x", "salary": "1"}}), 400)["errors"]
    assert errors == {"salary": ["This form has no such question."]}
    errors = problem(send(client, "patch", url, {"answers": {}, "section": "finance"}), 400)["errors"]
    assert errors == {"section": ["This form has no such section."]}


def test_answers_to_a_hidden_question_are_not_kept(client, draft):
    body = {"answers": {"hk_company_planned": False, "hk_setup_date": "2027-01-01"}}
    data = send(client, "patch", f"{APPS}{draft.reference}/", body).json()
    assert data["answers"] == {"hk_company_planned": False}


def test_a_submitted_applications_answers_cannot_change(client, complete):
    send(client, "post", f"{APPS}{complete.reference}/submit/", {"declaration": True})
    response = send(client, "patch", f"{APPS}{complete.reference}/", {"answers": {"summary": "Changed"}})
    assert problem(response, 409)["type"] == "not_draft"


# --- Submitting --------------------------------------------------------------------------


def test_submit_needs_the_declaration_and_complete_answers(client, draft):
    url = f"{APPS}{draft.reference}/submit/"
    body = problem(send(client, "post", url, {}), 400)
    assert body["errors"] == {"declaration": ["Confirm the declaration to submit the application."]}
    body = problem(send(client, "post", url, {"declaration": True}), 400)
    assert body["type"] == "incomplete"
    assert body["errors"]["summary"] == ["Answer this question."]
    assert body["errors"]["business_plan"] == ["Answer this question."]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_submit_is_idempotent(client, complete):
    url = f"{APPS}{complete.reference}/submit/"
    first = send(client, "post", url, {"declaration": True})
    second = send(client, "post", url, {"declaration": True})
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["status"] == second.json()["status"] == "submitted"
    assert StatusChange.objects.filter(application=complete, transition="submit").count() == 1


def test_a_withdrawn_draft_cannot_be_submitted_whatever_its_answers(client, draft, applicant):
    svc.withdraw(actor=applicant, application=draft)
    response = send(client, "post", f"{APPS}{draft.reference}/submit/", {"declaration": True})
    assert problem(response, 409)["type"] == "changed_meanwhile"  # not "incomplete": the state refuses first
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN


def test_after_a_fixed_calls_close_a_draft_cannot_be_submitted(client, complete, call):
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.opens_at = call.closes_at - datetime.timedelta(days=30)
    call.save()
    body = problem(send(client, "post", f"{APPS}{complete.reference}/submit/", {"declaration": True}), 409)
    assert body["type"] == "call_closed"


def test_a_member_without_consent_cannot_submit(client, complete, enterprise):
    unconsented = member_of(enterprise, consent=False)
    client.force_login(unconsented)
    response = send(client, "post", f"{APPS}{complete.reference}/submit/", {"declaration": True})
    assert problem(response, 403)
    complete.refresh_from_db()
    assert complete.status == Status.DRAFT


# --- Withdrawing -------------------------------------------------------------------------


def test_withdrawing_records_the_reason_and_cannot_happen_twice(client, complete, applicant):
    url = f"{APPS}{complete.reference}/withdraw/"
    application = in_review(complete, applicant)
    data = send(client, "post", url, {"reason": "We found another route to Hong Kong."}).json()
    assert data["status"] == "withdrawn"
    assert data["timeline"][-1]["note"] == "We found another route to Hong Kong."
    assert data["actions"] == []
    assert problem(send(client, "post", url, {"reason": "again"}), 409)
    assert StatusChange.objects.filter(application=application, transition="withdraw").count() == 1


def test_a_rejected_application_cannot_be_withdrawn(client, complete, applicant, call):
    svc.submit(actor=applicant, application=complete, declaration=True)
    Application.objects.filter(pk=complete.pk).update(status=Status.NEEDS_ATTENTION)
    svc.reject_ineligible(actor=officer_of(call), application=complete, reasons="Too old.")
    assert problem(send(client, "post", f"{APPS}{complete.reference}/withdraw/", {}), 409)


# --- Answering a request for more information --------------------------------------------


@pytest.fixture
def asked(complete, applicant, call):
    application = in_review(complete, applicant)
    svc.request_info(
        actor=officer_of(call),
        application=application,
        message="Shorten the plan.",
        fields=["plan"],
        due_at=timezone.now() + datetime.timedelta(days=7),
    )
    return application


def test_responding_returns_the_application_to_review(client, asked, plan):
    body = {"message": "Done.", "answers": {"plan": "Phase 1 in Hong Kong."}, "documents": [plan.pk]}
    response = send(client, "post", f"{APPS}{asked.reference}/respond/", body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "in_review"
    assert data["answers"]["plan"] == "Phase 1 in Hong Kong."
    assert data["info_request"] is None


def test_responding_refuses_questions_not_reopened_bad_answers_and_strange_documents(client, asked):
    url = f"{APPS}{asked.reference}/respond/"
    errors = problem(send(client, "post", url, {"message": "x", "answers": {"summary": "New"}}), 400)["errors"]
    assert errors == {"summary": ["The officer did not reopen this question."]}
    errors = problem(send(client, "post", url, {"message": "x", "answers": {"plan": "w " * 60}}), 400)["errors"]
    assert errors == {"plan": ["Keep to 50 words: this has 60."]}
    errors = problem(send(client, "post", url, {"message": "x", "documents": [987654]}), 400)["errors"]
    assert list(errors) == ["documents"]
    errors = problem(send(client, "post", url, {"message": " "}), 400)["errors"]
    assert list(errors) == ["message"]
    asked.refresh_from_db()
    assert asked.status == Status.MORE_INFO_REQUESTED


def test_responding_without_a_request_is_refused(client, draft):
    response = send(client, "post", f"{APPS}{draft.reference}/respond/", {"message": "Here you are."})
    assert problem(response, 409)


# --- Hostile input -----------------------------------------------------------------------

HOSTILE_BODIES = [
    [],
    "text",
    None,
    {"answers": []},
    {"answers": "summary"},
    {"answers": {"summary": {"nested": {"deeper": ["x"]}}}},
    {"answers": {"summary": "\x00"}},
    {"answers": {"\x00": "x"}},
    {"answers": {"summary": "x" * 100_000}},
    {"answers": {"team": [[1, 2], "row"]}},
    {"answers": {"team": [{"equity": "1e999999"}]}},
    {"answers": {"funding_sought": {"amount": "NaN", "currency": "HKD"}}},
    {"answers": {"business_plan": True}},
    {"answers": {"business_plan": 10**30}},
    {"answers": {"hk_company_planned": True, "hk_setup_date": "2027-02-30"}},
    {"answers": {"markets": [["cn"]]}},
    {"declaration": {"yes": True}},
    {"reason": "\x00"},
    {"reason": ["why"]},
    {"message": "x" * 10_000},
    {"message": "ok", "documents": ["1; DROP TABLE"]},
    {"message": "ok", "documents": [10**30]},
    {"message": "ok", "documents": "12"},
    {"section": "\x00", "answers": {}},
    {"call": {"slug": "x"}, "enterprise": ["ENT"]},
    {"call": "x" * 10_000, "enterprise": "\x00"},
]


@pytest.mark.parametrize("body", HOSTILE_BODIES, ids=range(len(HOSTILE_BODIES)))
def test_hostile_bodies_are_4xx_and_change_nothing(client, draft, body):
    before = (draft.status, draft.answers, StatusChange.objects.count())
    for method, url in [
        ("post", APPS),
        ("patch", f"{APPS}{draft.reference}/"),
        ("post", f"{APPS}{draft.reference}/submit/"),
        ("post", f"{APPS}{draft.reference}/withdraw/"),
        ("post", f"{APPS}{draft.reference}/respond/"),
    ]:
        if url.endswith("withdraw/") and (body is None or (isinstance(body, dict) and "reason" not in body)):
            continue  # no reason is a valid withdrawal
        response = send(client, method, url, body)
        assert 400 <= response.status_code < 500, (method, url, response.content[:300])
        assert response["Content-Type"] == PROBLEM
    draft.refresh_from_db()
    assert (draft.status, draft.answers, StatusChange.objects.count()) == before


def test_a_deeply_nested_body_is_a_400(client, draft):
    response = client.patch(f"{APPS}{draft.reference}/", "[" * 5000 + "]" * 5000, content_type="application/json")
    assert problem(response, 400)


def test_writes_need_the_csrf_token(draft, applicant):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(applicant)
    response = strict.post(f"{APPS}{draft.reference}/withdraw/", "{}", content_type="application/json")
    assert problem(response, 403)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


# --- Root and query counts ---------------------------------------------------------------


def test_the_api_root_links_calls_and_applications():
    links = Client().get("/api/v1/").json()
    assert links["calls"].endswith(CALLS)
    assert links["applications"].endswith(APPS)


def test_query_counts_do_not_grow_with_rows(client, applicant, call, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            firm = EnterpriseFactory()
            Membership.objects.create(enterprise=firm, user=applicant, role="owner")
            application = svc.start_application(actor=applicant, call=call, enterprise=firm)
            svc.withdraw(actor=applicant, application=application, reason="Not now")
            CallFactory()

    add(2)
    with django_assert_max_num_queries(12) as few:
        assert client.get(APPS).status_code == 200
        assert Client().get(CALLS).status_code == 200
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(APPS).json()["count"] == 10
        assert Client().get(CALLS).json()["count"] == 11
