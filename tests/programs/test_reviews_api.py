"""The reviewer's API: their own assignments, the declaration before anything of the application,
the review (saved, submitted, refused with the criterion at fault), blind until submitted,
nobody else's (404), and 4xx problem+json for every bad body, never a 500."""

import json
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hkhz_portal.accounts.roles import Role
from programs.choices import AssignmentStatus
from programs.models import ConflictDeclaration, Review
from programs.services import reviews as svc
from tests.conftest import PortalClient
from tests.factories import user_with_role

from .factories import REVIEW_COMMENT, in_review, officer_of, review, reviewer, theirs_submitted

pytestmark = pytest.mark.django_db

REVIEWS = "/api/v1/reviews/"
PROBLEM = "application/problem+json"
ANSWER = "Antibody therapies for liver cancer"
GOOD = {
    "scores": {"science": 4, "team": 3, "market": 5},
    "recommendation": "admit_with_conditions",
    "comment_to_officer": "Mine: strong data.",
    "comment_to_applicant": "Hire a CFO.",
}


def send(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body) if body is not None else None, content_type="application/json")


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


def url(assignment, step=""):
    return f"{REVIEWS}{assignment.pk}/{step}"


def declared(assignment):
    return svc.declare(actor=assignment.reviewer, assignment=assignment, conflict=False)


def test_the_list_holds_only_the_reviewers_own_assignments(client, mine, assigned, call):
    other = in_review(call)
    svc.assign_reviewers(other.pk)  # the same review_panel: mine too
    data = client.get(REVIEWS).json()
    assert data["count"] == 2
    row = next(r for r in data["results"] if r["id"] == mine.pk)
    assert row["application"] == assigned.reference
    assert row["enterprise_name"] == assigned.enterprise_name_en
    assert row["status"] == AssignmentStatus.AWAITING_DECLARATION
    assert row["overdue"] is False and row["working_days_left"] == 10
    assert "answers" not in row


@pytest.mark.parametrize("role", [Role.PROGRAM_OFFICER, Role.APPLICANT])
def test_other_roles_see_no_assignment(client, assigned, role):
    client.force_login(user_with_role(role))
    assert client.get(REVIEWS).json()["count"] == 0
    problem(client.get(url(assigned.assignments.first())), 404)


def test_anonymous_is_refused(assigned):
    response = PortalClient().get(REVIEWS)
    assert response.status_code in (401, 403)


def test_another_reviewers_assignment_is_404_for_every_method(client, assigned, review_panel):
    theirs = assigned.assignments.get(reviewer=review_panel[1])
    client.force_login(reviewer())
    problem(client.get(url(theirs)), 404)
    problem(send(client, "post", url(theirs, "declare/"), {"conflict": False}), 404)
    problem(send(client, "put", url(theirs), GOOD), 404)
    theirs.refresh_from_db()
    assert theirs.status == AssignmentStatus.AWAITING_DECLARATION


def test_before_declaring_only_the_name_and_the_call(client, mine, assigned, review_panel):
    theirs_submitted(assigned, review_panel)
    response = client.get(url(mine))
    body = response.content.decode()
    data = response.json()
    assert data["enterprise_name"] == assigned.enterprise_name_en and data["call"] == assigned.call.slug
    assert not {"answers", "documents", "rubric", "review", "other_reviews"} & set(data)
    assert ANSWER not in body and REVIEW_COMMENT not in body


def test_declaring_none_opens_the_application(client, mine, assigned):
    data = send(client, "post", url(mine, "declare/"), {"conflict": False}).json()
    assert data["status"] == AssignmentStatus.REVIEWING and data["open"] is True
    assert data["answers"]["summary"] == ANSWER
    assert [c["key"] for c in data["rubric"]["criteria"]] == ["science", "team", "market"]
    assert data["rubric"]["criteria"][0]["levels"][2] == {"score": 3, "description": "science level 3"}
    assert data["review"] is None and "other_reviews" not in data
    (document,) = data["documents"]
    assert document["id"] == assigned.answers["business_plan"]
    assert client.get(document["url"]).status_code == 200


def test_declaring_a_conflict_hands_back(client, mine, assigned, django_capture_on_commit_callbacks):
    with (
        mock.patch("programs.tasks.assign_reviewers.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = send(client, "post", url(mine, "declare/"), {"conflict": True, "reason": "I invested in it."})
    data = response.json()
    assert data["status"] == AssignmentStatus.CONFLICT and data["open"] is False
    assert "answers" not in data
    assert ConflictDeclaration.objects.get(reviewer=mine.reviewer).enterprise == assigned.enterprise
    delay.assert_called_once_with(assigned.pk)


def test_a_conflict_without_a_reason_is_a_400_naming_it(client, mine):
    data = problem(send(client, "post", url(mine, "declare/"), {"conflict": True, "reason": "  "}), 400)
    assert "reason" in data["errors"]
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.AWAITING_DECLARATION


def test_declaring_twice_is_a_409(client, mine):
    send(client, "post", url(mine, "declare/"), {"conflict": False})
    assert problem(send(client, "post", url(mine, "declare/"), {"conflict": False}), 409)["type"] == "already_declared"


def test_scoring_before_declaring_is_a_409(client, mine):
    assert problem(send(client, "put", url(mine), GOOD), 409)["type"] == "declare_first"
    assert not Review.objects.exists()


def test_save_then_submit(client, mine):
    declared(mine)
    data = send(client, "put", url(mine), {"scores": {"science": 4}}).json()
    assert data["review"]["scores"] == {"science": 4} and data["review"]["submitted_at"] is None
    assert data["status"] == AssignmentStatus.REVIEWING
    data = send(client, "put", url(mine), {**GOOD, "submit": True}).json()
    assert data["status"] == AssignmentStatus.SUBMITTED
    assert data["review"]["total"] == "4.000" and data["review"]["comment_to_applicant"] == "Hire a CFO."


def test_submitting_incomplete_names_the_missing_criteria(client, mine):
    declared(mine)
    data = problem(send(client, "put", url(mine), {"scores": {"science": 4}, "submit": True}), 400)
    assert set(data["errors"]) == {"team", "market"}
    data = problem(send(client, "put", url(mine), {**GOOD, "recommendation": "", "submit": True}), 400)
    assert "recommendation" in data["errors"]


def test_invalid_scores_name_each_criterion_at_fault(client, mine):
    declared(mine)
    body = {**GOOD, "scores": {"science": 9, "team": "4", "market": 2.5, "bogus": 3, "x" * 500: True}}
    data = problem(send(client, "put", url(mine), body), 400)
    assert {"science", "team", "market", "bogus", "x" * 500} == set(data["errors"])
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"scores": [4, 3, 5]},
        {"scores": "high"},
        {"scores": {"science": None}},
        {"scores": {"science": {"nested": 1}}},
        {"recommendation": "maybe"},
        {"comment_to_officer": "c" * 10_000},
        {"comment_to_applicant": "nul\x00byte"},
        {"comment_to_officer": "\u200b"},
        {"submit": "perhaps"},
        {"scores": {"sci\x00ence": 4}},
    ],
    ids=["list", "string", "null", "nested", "recommendation", "long", "nul", "invisible", "submit", "nul-key"],
)
def test_hostile_review_bodies_are_a_400(client, mine, body):
    declared(mine)
    problem(send(client, "put", url(mine), {**GOOD, **body}), 400)
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"conflict": "maybe"}, {"conflict": True, "reason": "r" * 10_000}, {"conflict": True, "reason": "a\x00"}],
    ids=["empty", "not-bool", "long", "nul"],
)
def test_hostile_declarations_are_a_400(client, mine, body):
    problem(send(client, "post", url(mine, "declare/"), body), 400)
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.AWAITING_DECLARATION


def test_other_reviews_are_hidden_until_mine_is_submitted(client, mine, assigned, review_panel):
    theirs_submitted(assigned, review_panel)
    declared(mine)
    response = client.get(url(mine))
    assert "other_reviews" not in response.json() and REVIEW_COMMENT not in response.content.decode()
    response = send(client, "put", url(mine), GOOD)
    assert "other_reviews" not in response.json() and REVIEW_COMMENT not in response.content.decode()

    data = send(client, "put", url(mine), {**GOOD, "submit": True}).json()
    (other,) = data["other_reviews"]
    assert other["scores"] == {"science": 2, "team": 1, "market": 2} and other["total"] == "1.700"
    assert other["comment_to_officer"] == REVIEW_COMMENT
    assert other["recommendation"] == "do_not_admit"
    assert "comment_to_applicant" not in other
    assert review_panel[1].email not in json.dumps(data)


def test_after_the_officer_closes_the_reviews_nothing_changes(client, call, review_panel, assigned):
    mine = assigned.assignments.get(reviewer=review_panel[0])
    for assignment in assigned.assignments.all():
        review(assignment, {"science": 4, "team": 4, "market": 4})
    assigned.refresh_from_db()
    svc.close_reviews(actor=officer_of(call), application=assigned)
    client.force_login(review_panel[0])
    assert client.get(url(mine)).json()["open"] is False
    assert problem(send(client, "put", url(mine), {**GOOD, "submit": True}), 409)["type"] == "reviews_closed"
    assert Review.objects.get(assignment=mine).scores == {"science": 4, "team": 4, "market": 4}


def test_writes_need_the_csrf_token(mine):
    strict = PortalClient(enforce_csrf_checks=True)
    strict.force_login(mine.reviewer)
    problem(send(strict, "post", url(mine, "declare/"), {"conflict": False}), 403)
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.AWAITING_DECLARATION


def test_the_list_query_count_does_not_grow(client, call, review_panel):
    client.force_login(review_panel[0])

    def add(n):
        for _ in range(n):
            svc.assign_reviewers(in_review(call).pk)

    add(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(REVIEWS).json()["count"] == 1
    add(3)
    with CaptureQueriesContext(connection) as many:
        assert client.get(REVIEWS).json()["count"] == 4
    assert len(many.captured_queries) == len(few.captured_queries)
