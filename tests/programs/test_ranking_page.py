"""The ranking page and the ranking API: the call's reviewed applications best first by their
normalised score, the reviewers left raw marked, large spreads flagged, the capacity line, pages
of rows over the whole call's computation; the cohort; who may see it; queries that do not grow
with the rows."""

from decimal import Decimal

import pytest
from django.urls import reverse

from hkhz_portal.accounts.roles import Role
from programs import selectors
from programs.models import Application, Review
from programs.views import decisions as views
from programs.workflow import Status
from tests.conftest import PortalClient
from tests.factories import EnterpriseFactory, UnitFactory, user_with_role

from .factories import CallFactory, bulk_reviewed, decided, officer_of, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory(capacity=2, slug="biomed-2026")


@pytest.fixture
def officer(client, call):
    user = officer_of(call)
    client.force_login(user)
    return user


def ranking(call):
    return reverse("programs:staff_ranking", args=[call.slug])


def seeded(call, n, reviewers=3):
    return bulk_reviewed(call, EnterpriseFactory.create_batch(n), [reviewer() for _ in range(reviewers)])


def test_the_table_follows_the_normalised_ranking_with_the_capacity_line(client, officer, call):
    applications = seeded(call, 5)
    rows = selectors.call_ranking(call).rows
    response = client.get(ranking(call))
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(f">{row.application.reference}</a>") for row in rows]
    assert positions == sorted(positions)  # best first, as ranked
    assert len(applications) == 5 and html.count('class="within-capacity"') == 2
    line = html.index('class="capacity-line"')
    assert positions[1] < line < positions[2]
    assert "Capacity line: the call's 2 places end here" in html
    assert f"{rows[0].normalised:.2f}" in html and f"{rows[0].raw:.2f}" in html
    assert reverse("programs:staff_application", args=[rows[0].application.reference]) in html
    assert f"{reverse('programs:staff_application', args=[rows[0].application.reference])}#action-approve" in html
    assert "Normalised: each reviewer" in html  # what normalised means


def test_reviewers_left_raw_are_marked_and_the_legend_says_why(client, officer, call):
    seeded(call, 4, reviewers=6)  # 12 reviews among 6 reviewers: 2 each, fewer than 3
    html = client.get(ranking(call)).content.decode()
    assert html.count('<span class="raw-mark" aria-hidden="true">†</span>') == 4
    assert "(includes scores left raw)" in html
    assert "fewer than 3 scores in the call: their scores are left raw" in html
    assert "6 reviewers in this call." in html


def test_a_large_spread_is_flagged(client, officer, call):
    seeded(call, 6)
    rows = selectors.call_ranking(call).rows
    html = client.get(ranking(call)).content.decode()
    assert html.count('class="flag flag-spread"') == sum(1 for r in rows if r.large_spread) > 0


def test_only_reviewed_rows_offer_the_decision_and_the_cohort_lists_the_admitted(client, officer, call):
    first, second, third = seeded(call, 3)
    decided(first, officer, "waitlist")
    third.status = Status.ADMITTED
    third.save(update_fields=["status"])
    html = client.get(ranking(call)).content.decode()
    page_of = lambda a: reverse("programs:staff_application", args=[a.reference])  # noqa: E731
    assert f"{page_of(second)}#action-approve" in html
    assert f"{page_of(first)}#action-approve" not in html and f"{page_of(third)}#action-approve" not in html
    cohort = html[html.index('id="cohort-title"') :]
    assert third.reference in cohort and first.reference not in cohort
    assert "1 of 2 held" in html  # the admitted one holds a place


def test_rows_come_a_page_at_a_time_ranked_over_the_whole_call(client, officer, call, monkeypatch):
    monkeypatch.setattr(views, "RANKING_PAGE", 2)
    seeded(call, 5)
    rows = selectors.call_ranking(call).rows
    html = client.get(ranking(call), {"page": 2}).content.decode()
    shown = [r for r in rows if f">{r.application.reference}</a>" in html]
    assert shown == rows[2:4]
    assert "Page 2 of 3" in html
    assert 'class="capacity-line"' not in html  # it falls on the first page
    assert client.get(ranking(call), {"page": "999"}).status_code == 200


def test_an_empty_ranking_says_so(client, officer, call):
    html = client.get(ranking(call)).content.decode()
    assert "No application of this call has a submitted review yet." in html
    assert "No enterprise is admitted through this call yet." in html


def test_the_queue_links_to_each_calls_ranking(client, officer, call):
    html = client.get(reverse("programs:staff_queue")).content.decode()
    assert ranking(call) in html


def test_the_query_count_does_not_grow_with_the_rows(client, officer, call, django_assert_max_num_queries):
    seeded(call, 3)
    with django_assert_max_num_queries(15) as few:
        client.get(ranking(call))
    other = CallFactory(programme=call.programme, capacity=10)
    seeded(other, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(ranking(other)).status_code == 200


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CENTRE_STAFF])
def test_other_roles_are_refused(call, role):
    client = PortalClient()
    client.force_login(user_with_role(role))
    assert client.get(ranking(call)).status_code == 403
    assert client.get(f"/api/v1/calls/{call.slug}/ranking/").status_code == 403


def test_another_units_call_or_an_unknown_one_is_404(call):
    stranger = user_with_role(Role.PROGRAM_OFFICER)
    stranger.unit = UnitFactory(code="other-platform", kind="platform")
    stranger.save(update_fields=["unit"])
    client = PortalClient()
    client.force_login(stranger)
    assert client.get(ranking(call)).status_code == 404
    assert client.get(f"/api/v1/calls/{call.slug}/ranking/").status_code == 404
    assert client.get("/staff/calls/no-such-call/ranking/").status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, call):
    response = client.get(ranking(call))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- The API ----------------------------------------------------------------------------------------


def test_the_api_gives_the_ranking_a_page_at_a_time(client, officer, call):
    seeded(call, 5, reviewers=6)  # reviewers 1-3 score three applications, reviewers 4-6 two
    ranked = selectors.call_ranking(call)
    rows = ranked.rows
    data = client.get(f"/api/v1/calls/{call.slug}/ranking/", {"page_size": 2}).json()
    assert data["count"] == 5 and data["capacity"] == 2 and data["raw_reviewers"] == 3 == len(ranked.raw_reviewers)
    first = data["results"][0]
    assert set(first) == {
        "rank",
        "reference",
        "status",
        "raw",
        "normalised",
        "spread",
        "large_spread",
        "reviews",
        "within_capacity",
        "raw_reviewers_count",
    }
    assert [r["reference"] for r in data["results"]] == [r.application.reference for r in rows[:2]]
    assert first["within_capacity"] is True and first["reviews"] == 3
    assert first["raw_reviewers_count"] == len(rows[0].raw_reviewers)
    assert first["normalised"] == pytest.approx(rows[0].normalised)
    following = client.get(data["next"]).json()
    assert [r["reference"] for r in following["results"]] == [r.application.reference for r in rows[2:4]]
    assert following["results"][0]["within_capacity"] is False
    assert client.get(f"/api/v1/calls/{call.slug}/ranking/", {"page": "x"}).status_code == 404


def test_a_corrected_score_or_a_withdrawal_changes_the_ranking_at_once(officer, call):
    """The ranking is cached, keyed by its scores: a correction or a withdrawal is a new ranking."""
    seeded(call, 4)
    last = selectors.call_ranking(call).rows[-1].application
    for review in Review.objects.filter(assignment__application=last):
        review.total = Decimal("5.000")  # every reviewer's best mark
        review.save()
    assert selectors.call_ranking(call).rows[0].application_id == last.pk

    Application.objects.filter(pk=last.pk).update(status=Status.WITHDRAWN)
    assert last.pk not in {row.application_id for row in selectors.call_ranking(call).rows}
