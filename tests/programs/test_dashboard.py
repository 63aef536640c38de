"""The officer's admission dashboard: its figures on a small hand-made set, only the officer's
unit, a query count that does not grow with the applications, and nobody else let in."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hkhz_portal.accounts.roles import Role
from programs.models import Application, ReviewAssignment, StatusChange
from tests.factories import EnterpriseFactory, UnitFactory, user_with_role

from .factories import CallFactory, ProgrammeFactory, officer_of, reviewer

pytestmark = pytest.mark.django_db

URL = reverse("programs:staff_dashboard")
START = timezone.now() - datetime.timedelta(days=60)
_references = itertools.count(1)


def application(call, *steps, name=None) -> Application:
    """An application of a new enterprise whose life is ``steps``: (state, day it entered it,
    counted from ``START``), the last one being where it is now."""
    enterprise = EnterpriseFactory(**({"legal_name_en": name} if name else {}))
    submitted = next((START + datetime.timedelta(days=day) for state, day in steps if state == "submitted"), None)
    made = Application.objects.create(
        call=call,
        programme_id=call.programme_id,
        unit_id=call.programme.unit_id,
        enterprise=enterprise,
        form_version_id=call.form_version_id,
        status=steps[-1][0],
        submitted_at=submitted,
        enterprise_name_en=enterprise.legal_name_en,
        reference=f"HKSP-2026-{next(_references):05d}",
    )
    previous = ""
    for state, day in steps:
        change = StatusChange.objects.create(application=made, transition="test", from_status=previous, to_status=state)
        StatusChange.objects.filter(pk=change.pk).update(created_at=START + datetime.timedelta(days=day))
        previous = state
    return made


#: Into review on day 2, as far as each application got.
SCREENED = (("draft", 0), ("submitted", 1), ("screening", 1.5), ("in_review", 2))


@pytest.fixture
def unit_call(call):
    """The call with the hand-made set:

    ==========  =====  =========  =========  =========  ========  ========  ==========  ========
    app         draft  submitted  screening  in review  reviewed  approved  onboarding  end
    ==========  =====  =========  =========  =========  ========  ========  ==========  ========
    admitted    0      1          1.5        2          6         8         9           20
    rejected    0      1          1.5        2          4         7 rejected
    ineligible  0      3          3.5        4 flagged, 7 rejected
    waiting 1   0      1          1.5        2 (still in review)
    waiting 2   0      1          1.5        2 (still in review)
    a draft     0 (never submitted)
    ==========  =====  =========  =========  =========  ========  ========  ==========  ========
    """
    application(call, *SCREENED, ("reviewed", 6), ("approved", 8), ("onboarding", 9), ("admitted", 20))
    application(call, *SCREENED, ("reviewed", 4), ("rejected", 7))
    application(call, ("draft", 0), ("submitted", 3), ("screening", 3.5), ("needs_attention", 4), ("rejected", 7))
    return call


@pytest.fixture
def waiting(unit_call):
    """Two applications in review with their reviewers' assignments: Ada owes two reviews, one of
    them five days overdue; Bo owes one, a day overdue; Cy submitted his."""
    today = timezone.localdate()
    first = application(unit_call, *SCREENED, name="First Waiting Biotech")
    second = application(unit_call, *SCREENED, name="Second Waiting Biotech")
    ada, bo, cy = (reviewer(full_name=name) for name in ("Ada", "Bo", "Cy"))
    for app, who, due, status in (
        (first, ada, today - datetime.timedelta(days=5), "reviewing"),
        (second, ada, today + datetime.timedelta(days=3), "awaiting_declaration"),
        (second, bo, today - datetime.timedelta(days=1), "reviewing"),
        (first, cy, today - datetime.timedelta(days=9), "submitted"),
    ):
        ReviewAssignment.objects.create(application=app, reviewer=who, due_on=due, status=status)
    application(unit_call, ("draft", 0))
    return first, second


@pytest.fixture
def officer(client, call):
    user = officer_of(call)
    client.force_login(user)
    return user


def chart_rows(response, name) -> dict:
    chart = response.context[name]
    return {row.label: row.values for row in chart.rows}


def test_the_figures_of_the_unit(client, officer, unit_call, waiting):
    response = client.get(URL)
    assert response.status_code == 200

    by_call = chart_rows(response, "by_call")
    # Being screened, flagged, in review, reviewed, approved, admitted, waitlisted, rejected or withdrawn.
    assert by_call == {unit_call.title: (0, 0, 2, 0, 0, 1, 0, 2)}
    assert chart_rows(response, "funnel") == {
        "Submitted": (5,),
        "Screened into review": (4,),
        "Reviewed": (2,),
        "Approved": (1,),
        "Admitted": (1,),
    }
    assert chart_rows(response, "time_in_states") == {
        "Draft": (1,),  # 1, 1, 3, 1, 1
        "Submitted": (0.5,),
        "Screening": (0.5,),
        "Needs an officer's attention": (3,),
        "In review": (3,),  # 4 and 2
        "Reviewed": (2.5,),  # 2 and 3
        "Approved": (1,),
        "Onboarding": (11,),
    }
    assert chart_rows(response, "loads") == {"Ada": (1, 1), "Bo": (0, 1)}
    assert response.context["overdue_count"] == 2
    overdue = response.context["overdue"]
    assert [(a.reviewer.full_name, a.days_overdue) for a in overdue] == [("Ada", 5), ("Bo", 1)]

    html = response.content.decode()
    first, second = waiting
    assert html.index(reverse("programs:staff_application", args=[first.reference])) < html.index(
        reverse("programs:staff_application", args=[second.reference])
    )
    assert "2 overdue reviews" in html
    assert reverse("programs:staff_exports", args=[unit_call.slug]) in html


def test_each_chart_has_its_figures_in_a_table(client, officer, unit_call, waiting):
    html = client.get(URL).content.decode()
    for name in ("status-by-call", "funnel", "time-in-state", "reviewer-load"):
        figure = html[html.index(f'id="chart-{name}"') :]
        figure = figure[: figure.index("</figure>")]
        assert "<svg" in figure and "<table>" in figure and '<th scope="row">' in figure


def test_another_units_applications_and_reviewers_are_not_shown(client, officer, unit_call, waiting):
    other_unit = UnitFactory(code="centre-hk", kind="centre")
    elsewhere = CallFactory(programme=ProgrammeFactory(unit=other_unit), title_en="Elsewhere intake")
    stranger = application(elsewhere, *SCREENED, name="Elsewhere Biotech")
    ReviewAssignment.objects.create(
        application=stranger,
        reviewer=reviewer(full_name="Zed Elsewhere"),
        due_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    response = client.get(URL)
    html = response.content.decode()
    for hidden in ("Elsewhere intake", "Elsewhere Biotech", "Zed Elsewhere", stranger.reference):
        assert hidden not in html
    assert chart_rows(response, "funnel")["Submitted"] == (5,)
    assert response.context["overdue_count"] == 2


def test_an_empty_unit_says_so(client, officer):
    html = client.get(URL).content.decode()
    assert "No application has been submitted to your unit&#x27;s calls yet." in html
    assert "No review is overdue." in html


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_applications(client, officer, call):
    ada = reviewer(full_name="Ada")

    def add(n):
        for _ in range(n):
            made = application(call, *SCREENED, ("reviewed", 4), ("rejected", 7))
            ReviewAssignment.objects.create(
                application=application(call, *SCREENED),
                reviewer=ada,
                due_on=timezone.localdate() - datetime.timedelta(days=2),
            )
            assert made.status == "rejected"

    add(3)
    few = queries(client)
    add(17)
    assert queries(client) == few


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CENTRE_STAFF])
def test_anyone_but_a_program_officer_is_refused(client, role):
    client.force_login(user_with_role(role))
    assert client.get(URL).status_code == 403


def test_an_officer_without_a_unit_is_refused(client):
    user = user_with_role(Role.PROGRAM_OFFICER)
    user.unit = None
    user.save(update_fields=["unit"])
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_the_dashboard_is_in_the_officers_navigation(client, officer):
    html = client.get(reverse("programs:staff_queue")).content.decode()
    assert f'href="{URL}"' in html
    assert f'href="{URL}" aria-current="page"' in client.get(URL).content.decode()
