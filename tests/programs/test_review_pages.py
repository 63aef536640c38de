"""The reviewer's pages: the list of their assignments and the organisations they named, and one
assignment: the declaration before anything else, then the application and the scoring form;
the other reviews only once their own is in; read-only once closed; nobody else's."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprises.models import ExportLog
from hkhz_portal.accounts.roles import Role
from programs.choices import AssignmentStatus
from programs.models import Application, ConflictDeclaration, Review, ReviewAssignment
from programs.services import applications as app_svc
from programs.services import reviews as svc
from programs.workflow import Status
from tests.factories import user_with_role

from .factories import REVIEW_COMMENT, applicant_of_new_enterprise, officer_of, review, reviewer, theirs_submitted

pytestmark = pytest.mark.django_db

LIST = reverse("programs:reviews")
#: An answer of ``good_answers``: shown only once the reviewer declared no conflict.
ANSWER = "Antibody therapies for liver cancer"


def page(assignment):
    return reverse("programs:review", args=[assignment.pk])


def declare_url(assignment):
    return reverse("programs:review_declare", args=[assignment.pk])


def download_url(assignment):
    plan = assignment.application.answers["business_plan"]
    return reverse("programs:review_document_download", args=[assignment.pk, plan, 1])


def scores_post(**extra):
    data = {"score-science": "4", "score-team": "3", "score-market": "5", "recommendation": "admit"}
    data.update({"comment_to_officer": "Mine: strong data.", "comment_to_applicant": "Good luck."})
    data.update(extra)
    return data


# --- The list ------------------------------------------------------------------------------------


def test_the_list_shows_each_assignment_with_its_due_date(client, mine, assigned):
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert assigned.reference in html and page(mine) in html
    assert assigned.enterprise_name_en in html
    assert assigned.call.title_en in html
    assert "Waiting for your declaration" in html
    assert "due in 10 working days" in html  # the call's review period, in Hong Kong working days


def test_the_list_says_overdue_and_reads_the_chinese_name_to_chinese_readers(client, mine, assigned, review_panel):
    ReviewAssignment.objects.filter(pk=mine.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    review_panel[0].preferred_language = "zh-hant"
    review_panel[0].save(update_fields=["preferred_language"])
    html = client.get(LIST).content.decode()
    assert assigned.enterprise_name_zh in html
    assert assigned.enterprise_name_en not in html
    assert 'class="flag flag-overdue"' in html


def test_the_list_groups_ended_and_submitted_assignments(client, mine, assigned, review_panel):
    review(mine, {"science": 4, "team": 4, "market": 4})
    html = client.get(LIST).content.decode()
    assert 'id="group-submitted"' in html and 'id="group-awaiting"' not in html


def test_the_list_query_count_does_not_grow_with_assignments(client, call, review_panel):
    me = review_panel[0]
    client.force_login(me)

    def assign(n):
        for _ in range(n):
            applicant = applicant_of_new_enterprise()
            enterprise = applicant.memberships.get().enterprise
            started = app_svc.start_application(actor=applicant, call=call, enterprise=enterprise)
            Application.objects.filter(pk=started.pk).update(
                status=Status.IN_REVIEW, enterprise_name_en=enterprise.legal_name_en
            )
            ReviewAssignment.objects.create(application=started, reviewer=me, due_on=timezone.localdate())

    assign(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    assign(12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert response.content.decode().count('data-label="Due"') == 15
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_reviewer_names_an_organisation_and_sees_it_listed(client, mine, review_panel):
    response = client.post(
        reverse("programs:review_organisation_add"),
        {"organisation": "West Lake Capital", "reason": "I advise its fund."},
    )
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get(reviewer=review_panel[0])
    assert declaration.organisation == "West Lake Capital" and declaration.enterprise is None
    assert "West Lake Capital" in client.get(LIST).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"organisation": ""},
        {"organisation": "x"},  # too short to match anything
        {"organisation": "A" * 10_000},
        {"organisation": "West\x00Lake"},
        {"organisation": "West Lake", "reason": "r" * 10_000},
    ],
    ids=["empty", "short", "long", "nul", "long-reason"],
)
def test_a_bad_organisation_is_a_400(client, mine, data):
    assert client.post(reverse("programs:review_organisation_add"), data).status_code == 400
    assert not ConflictDeclaration.objects.exists()


# --- Who reaches the pages ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PROGRAM_OFFICER, Role.CENTRE_STAFF, Role.ADMIN])
def test_other_roles_are_refused(client, assigned, role):
    assignment = assigned.assignments.first()
    client.force_login(user_with_role(role))
    assert client.get(LIST).status_code == 403
    assert client.get(page(assignment)).status_code == 403
    assert client.post(declare_url(assignment), {"conflict": "none"}).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, assigned):
    for url in (LIST, page(assigned.assignments.first())):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_reviewer_without_the_second_factor_is_sent_to_enter_it(client, assigned, review_panel):
    client.force_login(review_panel[0], passed_mfa=False)
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_an_id_past_any_database_integer_is_404(client, mine):
    assert client.get("/reviews/99999999999999999999999/").status_code == 404


def test_another_reviewers_assignment_is_404(client, assigned, review_panel):
    theirs = assigned.assignments.get(reviewer=review_panel[1])
    client.force_login(reviewer())
    assert client.get(page(theirs)).status_code == 404
    assert client.post(declare_url(theirs), {"conflict": "none"}).status_code == 404
    assert client.post(page(theirs), scores_post()).status_code == 404
    assert client.get(download_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AssignmentStatus.AWAITING_DECLARATION


# --- Declaring ------------------------------------------------------------------------------------


def test_before_declaring_only_the_name_and_the_call_show(client, mine, assigned, review_panel):
    theirs_submitted(assigned, review_panel)
    response = client.get(page(mine))
    html = response.content.decode()
    assert response.status_code == 200
    assert assigned.enterprise_name_en in html and assigned.call.title_en in html
    assert "I have no conflict of interest with this enterprise" in html
    assert ANSWER not in html  # no answers
    assert "plan.pdf" not in html and "/documents/" not in html  # no documents
    assert "science level" not in html and REVIEW_COMMENT not in html  # no rubric, no scores
    assert client.get(download_url(mine)).status_code == 404


def test_declaring_no_conflict_opens_the_application_and_its_documents(client, mine, assigned):
    response = client.post(declare_url(mine), {"conflict": "none"})
    assert response.status_code == 302 and response["Location"] == page(mine)
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.REVIEWING and mine.declared_at is not None
    html = client.get(page(mine)).content.decode()
    assert ANSWER in html
    assert download_url(mine) in html
    # The scoring form: each criterion's levels described, its weight shown.
    assert "science level 3" in html and "Weight 40%" in html
    assert 'name="score-science" value="5"' in html
    download = client.get(download_url(mine))
    assert download.status_code == 200
    log = ExportLog.objects.get(kind="document_download")
    assert log.actor == mine.reviewer and log.enterprise == assigned.enterprise


def test_the_scoring_form_speaks_the_readers_language(client, declared, assigned):
    declared.reviewer.preferred_language = "zh-hans"
    declared.reviewer.save(update_fields=["preferred_language"])
    html = client.get(page(declared)).content.decode()
    assert "science（简）" in html and "science 等级 3" in html  # the criterion and its levels
    assert assigned.enterprise_name_zh in html


def test_a_document_the_answers_do_not_name_is_404(client, mine, assigned):
    from .factories import business_plan

    svc.declare(actor=mine.reviewer, assignment=mine, conflict=False)
    other = business_plan(assigned.enterprise.memberships.get().user)
    url = reverse("programs:review_document_download", args=[mine.pk, other.pk, 1])
    assert client.get(url).status_code == 404


def test_declaring_a_conflict_hands_the_assignment_back(client, mine, assigned, django_capture_on_commit_callbacks):
    with (
        mock.patch("programs.tasks.assign_reviewers.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(declare_url(mine), {"conflict": "conflict", "reason": "I advised them last year."})
    assert response.status_code == 302 and response["Location"] == LIST
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.CONFLICT
    declaration = ConflictDeclaration.objects.get(reviewer=mine.reviewer)
    assert declaration.enterprise == assigned.enterprise
    delay.assert_called_once_with(assigned.pk)
    html = client.get(page(mine)).content.decode()
    assert "This assignment has ended" in html and ANSWER not in html
    assert client.get(download_url(mine)).status_code == 404


def test_a_conflict_needs_its_reason(client, mine):
    response = client.post(declare_url(mine), {"conflict": "conflict", "reason": ""})
    assert response.status_code == 400
    assert "Say briefly what ties you to the enterprise." in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.AWAITING_DECLARATION


@pytest.mark.parametrize(
    "data",
    [{}, {"conflict": "maybe"}, {"conflict": "conflict", "reason": "r" * 10_000}, {"conflict": "none\x00"}],
    ids=["empty", "unknown", "long", "nul"],
)
def test_a_bad_declaration_is_a_400(client, mine, data):
    assert client.post(declare_url(mine), data).status_code == 400
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.AWAITING_DECLARATION


def test_a_withdrawn_application_cannot_be_declared_for(client, mine, assigned):
    applicant = assigned.enterprise.memberships.get().user
    app_svc.withdraw(actor=applicant, application=assigned, reason="")
    html = client.get(page(mine)).content.decode()
    assert "the application left review" in html and declare_url(mine) not in html
    response = client.post(declare_url(mine), {"conflict": "none"}, follow=True)
    assert "This application is no longer in review" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.CANCELLED and mine.declared_at is None


def test_declaring_twice_is_a_message(client, mine):
    client.post(declare_url(mine), {"conflict": "none"})
    response = client.post(declare_url(mine), {"conflict": "conflict", "reason": "Changed my mind."}, follow=True)
    assert "You have already declared" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.REVIEWING


# --- Scoring -------------------------------------------------------------------------------------


@pytest.fixture
def declared(client, mine):
    client.post(declare_url(mine), {"conflict": "none"})
    mine.refresh_from_db()
    return mine


def test_scoring_before_declaring_is_refused(client, mine):
    response = client.post(page(mine), scores_post(), follow=True)
    assert "Declare whether you have a conflict of interest first." in response.content.decode()
    assert not Review.objects.exists()


def test_save_keeps_a_half_done_review_and_submit_hands_it_in(client, declared):
    response = client.post(page(declared), {"score-science": "4", "action": "save"})
    assert response.status_code == 302
    saved = Review.objects.get(assignment=declared)
    assert saved.scores == {"science": 4} and saved.submitted_at is None and saved.total is None
    response = client.post(page(declared), scores_post(action="submit"))
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.submitted_at is not None and str(saved.total) == "4.000"  # 0.4*4 + 0.3*3 + 0.3*5
    declared.refresh_from_db()
    assert declared.status == AssignmentStatus.SUBMITTED


def test_submitting_incomplete_names_each_criterion_missing(client, declared):
    response = client.post(page(declared), {"score-science": "4", "action": "submit"})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("Score this criterion.") == 2
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"score-science": "9"},
        {"score-science": "four"},
        {"score-science": "0"},
        {"recommendation": "maybe"},
        {"comment_to_officer": "c" * 10_000},
        {"comment_to_applicant": "a\x00b"},
        {"comment_to_officer": "\u200b\u200b"},
    ],
    ids=["out-of-scale", "string", "below-scale", "recommendation", "long", "nul", "invisible"],
)
def test_bad_scores_and_comments_are_a_400(client, declared, extra):
    response = client.post(page(declared), scores_post(action="submit", **extra))
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_an_unknown_criterion_is_ignored_not_an_error(client, declared):
    response = client.post(page(declared), scores_post(action="save", **{"score-bogus": "3"}))
    assert response.status_code == 302
    assert "bogus" not in Review.objects.get().scores


# --- Blind until submitted -------------------------------------------------------------------------


def test_other_reviews_are_hidden_until_mine_is_submitted(client, declared, assigned, review_panel):
    theirs_submitted(assigned, review_panel)
    html = client.get(page(declared)).content.decode()
    assert REVIEW_COMMENT not in html
    assert "The other reviews" not in html and "Do not admit" not in html.split('id="review-title"')[0]
    client.post(page(declared), scores_post(action="save"))
    assert REVIEW_COMMENT not in client.get(page(declared)).content.decode()

    client.post(page(declared), scores_post(action="submit"))
    html = client.get(page(declared)).content.decode()
    others = html.split('id="others-title"')[1]
    assert REVIEW_COMMENT in others
    assert "Reviewer 1" in others and review_panel[1].full_name not in html  # numbered, not named
    assert '<td data-label="Team">1</td>' in others and "1.700" in others  # 0.4*2 + 0.3*1 + 0.3*2
    assert "Do not admit" in others


# --- Closed ------------------------------------------------------------------------------------------


def test_once_the_officer_closes_the_reviews_the_page_is_read_only(client, call, review_panel, assigned):
    mine = assigned.assignments.get(reviewer=review_panel[0])
    for assignment in assigned.assignments.all():
        review(assignment, {"science": 4, "team": 4, "market": 4})
    assigned.refresh_from_db()
    assert assigned.status == Status.REVIEWED
    svc.close_reviews(actor=officer_of(call), application=assigned)
    client.force_login(review_panel[0])
    html = client.get(page(mine)).content.decode()
    assert "The officer has closed the reviews of this application" in html
    assert 'value="submit"' not in html and "disabled" in html
    assert ANSWER in html  # still readable
    response = client.post(page(mine), scores_post(action="submit", **{"score-science": "1"}), follow=True)
    assert "The officer has closed the reviews of this application" in response.content.decode()
    assert Review.objects.get(assignment=mine).scores["science"] == 4


def test_the_dashboard_shows_the_reviewers_panel(client, mine):
    html = client.get(reverse("dashboard")).content.decode()
    assert "dashboard-reviews" in html and LIST in html
