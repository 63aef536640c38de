"""The centre's dashboard: its figures on a small hand-made set (lives timed by hand on the
Hong Kong calendar, eight business hours a day), only the centre's own requests, a query count
that does not grow with the requests, and nobody else let in."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hkhz_portal.accounts.roles import Role, UnitKind
from programs.centres import figures, services
from programs.models import RequestStateChange, ServiceRequest
from tests.factories import UnitFactory, user_with_role

from .centre_factories import ServiceFactory, client_of_new_enterprise, hz_centre, requested, staff_of

pytestmark = pytest.mark.django_db

URL = reverse("programs:centre_dashboard")
HKT = ZoneInfo("Asia/Hong_Kong")


def at(moment: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(moment).replace(tzinfo=HKT)


def lived(service, lead, *steps, assignee=None) -> ServiceRequest:
    """A request made and moved through the real services, then dated as if its steps had been
    taken at the moments given: ``steps`` are ``(transition, "YYYY-MM-DD HH:MM")``, the request
    first; its clocks are then recomputed as of the last one."""
    request = requested(service)
    if assignee is not None:
        services.assign(actor=lead, request=request, assignee=assignee)
    for name, _moment in steps[1:]:
        reason = {"note": "Waiting on the bank.", "pause_reason": "bank"} if name == "wait_third_party" else {}
        if name == "decline":
            reason = {"note": "Out of the centre's scope."}
        services.take_step(actor=lead, request=request, name=name, **reason)
    moments = [at(moment) for _name, moment in steps]
    for change, moment in zip(request.state_changes.order_by("id"), moments, strict=True):
        RequestStateChange.objects.filter(pk=change.pk).update(created_at=moment)
    answered = next((at(moment) for name, moment in steps if name == "accept"), None)
    request.refresh_from_db()
    ServiceRequest.objects.filter(pk=request.pk).update(
        created_at=moments[0],
        state_changed_at=moments[-1],
        first_response_at=answered,
        closed_at=moments[-1] if request.closed_at else None,
    )
    request.refresh_from_db()
    services.recompute_clocks(request, now=moments[-1])
    return request


def rate(request, score):
    services.rate(request=request, score=score, actor=request.requested_by)


@pytest.fixture
def lead(centre):
    return staff_of(centre, lead=True, full_name="Lee Lead")


@pytest.fixture
def team(centre, lead):
    """Ada, Bo and Cy; Lee leads them (and could take requests too)."""
    return {name: staff_of(centre, full_name=name) for name in ("Ada", "Bo", "Cy")}


@pytest.fixture
def incorporation(centre):
    return ServiceFactory(unit=centre, slug="incorporation", name_en="Company incorporation", order=1)


@pytest.fixture
def bank(centre):
    return ServiceFactory(unit=centre, slug="bank", name_en="Bank account opening", order=2)


@pytest.fixture
def figures_set(incorporation, bank, lead, team, monkeypatch):
    """In March 2026 (no Hong Kong holiday from Monday 2nd to Monday 9th; the dashboard's window
    is widened to reach back to it), first response in four business hours, resolution in forty:

    ===========  =============  ============  ============  ============================  ====  ======
    request      service        requested     answered      completed (pause)             1st   resol.
    ===========  =============  ============  ============  ============================  ====  ======
    done fast    incorporation  Mon 2 10:00   Mon 2 11:30   Tue 3 10:00                   1.5   8
    done paused  incorporation  Mon 2 17:00   Tue 3 10:00   Wed 4 15:00 (Tue 11–Wed 11)   2     6
    late answer  incorporation  Wed 4 12:00   Thu 5 09:30   (open, Ada's)                 5.5   —
    bank done    bank           Fri 6 16:00   Mon 9 10:00   Mon 9 15:00                   3     7
    declined     bank           Mon 9 10:00   —             cancelled Mon 9 11:00         —     —
    ===========  =============  ============  ============  ============================  ====  ======

    Medians: incorporation 2 (1.5, 2, 5.5) and 7 (8, 6); bank 3 and 7. Ratings: incorporation
    5 and 3, bank 4. Open now besides "late answer" (breached: answered after 5.5 hours): Bo's
    incorporation (on time), Bo's bank account (not answered, past its at-risk moment), an
    unassigned incorporation (on time).
    """
    monkeypatch.setattr(figures, "WINDOW", timezone.now() - at("2026-03-01 00:00"))
    ada, bo = team["Ada"], team["Bo"]
    fast = lived(
        incorporation,
        lead,
        ("request", "2026-03-02 10:00"),
        ("accept", "2026-03-02 11:30"),
        ("start_work", "2026-03-02 11:30"),
        ("complete", "2026-03-03 10:00"),
    )
    paused = lived(
        incorporation,
        lead,
        ("request", "2026-03-02 17:00"),
        ("accept", "2026-03-03 10:00"),
        ("start_work", "2026-03-03 10:00"),
        ("wait_third_party", "2026-03-03 11:00"),
        ("resume", "2026-03-04 11:00"),
        ("complete", "2026-03-04 15:00"),
    )
    lived(
        incorporation,
        lead,
        ("request", "2026-03-04 12:00"),
        ("accept", "2026-03-05 09:30"),
        ("start_work", "2026-03-05 09:30"),
        assignee=ada,
    )
    bank_done = lived(
        bank,
        lead,
        ("request", "2026-03-06 16:00"),
        ("accept", "2026-03-09 10:00"),
        ("start_work", "2026-03-09 10:00"),
        ("complete", "2026-03-09 15:00"),
    )
    lived(bank, lead, ("request", "2026-03-09 10:00"), ("decline", "2026-03-09 11:00"))
    for request, score in ((fast, 5), (paused, 3), (bank_done, 4)):
        rate(request, score)
    services.assign(actor=lead, request=requested(incorporation), assignee=bo)
    risky = requested(bank)
    services.assign(actor=lead, request=risky, assignee=bo)
    ServiceRequest.objects.filter(pk=risky.pk).update(response_risk_at=timezone.now() - datetime.timedelta(minutes=1))
    unassigned = requested(incorporation)
    ServiceRequest.objects.filter(pk=unassigned.pk).update(assignee=None)


@pytest.fixture
def signed_in(client, team):
    client.force_login(team["Ada"])
    return team["Ada"]


def chart_rows(response, name) -> dict:
    return {row.label: row.values for row in response.context[name].rows}


def test_the_figures_of_the_centre(client, signed_in, figures_set, incorporation, bank):
    response = client.get(URL)
    assert response.status_code == 200
    # On time, at risk, breached: the most loaded first, idle staff too, the unassigned last.
    assert list(chart_rows(response, "loads").items()) == [
        ("Bo", (1, 1, 0)),
        ("Ada", (0, 0, 1)),
        ("Cy", (0, 0, 0)),
        ("Lee Lead", (0, 0, 0)),
        ("Nobody yet", (1, 0, 0)),
    ]
    assert (response.context["open"], response.context["at_risk"], response.context["breached"]) == (4, 1, 1)
    assert chart_rows(response, "first_response") == {"Company incorporation": (2.0,), "Bank account opening": (3.0,)}
    assert chart_rows(response, "resolution") == {"Company incorporation": (7.0,), "Bank account opening": (7.0,)}
    assert chart_rows(response, "satisfaction") == {"Company incorporation": (4.0,), "Bank account opening": (4.0,)}

    rows = {row["service"].slug: row for row in response.context["services"]}
    assert rows["incorporation"]["open"].__dict__ == {"open": 3, "at_risk": 0, "breached": 1}
    assert rows["bank"]["open"].__dict__ == {"open": 1, "at_risk": 1, "breached": 0}
    assert (rows["incorporation"]["satisfaction"].mean, rows["incorporation"]["satisfaction"].count) == (4.0, 2)
    assert (rows["bank"]["satisfaction"].mean, rows["bank"]["satisfaction"].count) == (4.0, 1)

    html = re.sub(r"\s+", " ", response.content.decode())
    assert "4.0 / 5 from 2 ratings" in html and "4.0 / 5 from 1 rating<" in html
    for median, target in (("2 h", "4 h"), ("7 h", "40 h")):
        assert f'<span class="nowrap">{median}</span> <span class="muted nowrap">target {target}</span>' in html
    queue = reverse("programs:centre_queue")
    assert f'href="{queue}?at_risk=on"><strong>1</strong> at risk' in html
    assert f'href="{queue}?breached=on"><strong>1</strong> breached' in html
    assert f'href="{queue}?service=bank">Bank account opening</a>' in html


def test_times_and_ratings_are_those_of_the_requests_made_in_the_window(client, signed_in, figures_set, monkeypatch):
    monkeypatch.setattr(figures, "WINDOW", timezone.now() - at("2026-03-04 00:00"))
    response = client.get(URL)
    # Made on 2 March: the fast and the paused incorporations, and their ratings, are left out.
    assert chart_rows(response, "first_response") == {"Company incorporation": (5.5,), "Bank account opening": (3.0,)}
    assert chart_rows(response, "resolution") == {"Bank account opening": (7.0,)}
    assert chart_rows(response, "satisfaction") == {"Bank account opening": (4.0,)}
    # Open requests are counted whenever they were made.
    assert response.context["open"] == 4
    days = (timezone.now() - at("2026-03-04 00:00")).days
    assert f"requests made in the last {days} days" in response.content.decode()


def test_each_chart_has_its_figures_in_a_table(client, signed_in, figures_set):
    html = client.get(URL).content.decode()
    for name in ("staff-load", "first-response", "resolution", "satisfaction"):
        figure = html[html.index(f'id="chart-{name}"') :]
        figure = figure[: figure.index("</figure>")]
        assert "<svg" in figure and "<table>" in figure and '<th scope="row">' in figure
    # Breached is drawn red-orange, at risk amber: never the palette's green.
    load = html[html.index('id="chart-staff-load"') :]
    assert '<span class="chart-swatch chart-series-1"></span>Breached' in load
    assert '<span class="chart-swatch chart-series-4"></span>At risk' in load


def test_another_centres_requests_and_staff_are_not_counted(client, signed_in, figures_set):
    elsewhere = hz_centre()
    zed = staff_of(elsewhere, full_name="Zed Elsewhere")
    other = ServiceFactory(unit=elsewhere, slug="hz-landing", name_en="Landing in Hangzhou")
    made = requested(other)
    services.take_step(actor=zed, request=made, name="accept")
    html = client.get(URL).content.decode()
    assert "Zed Elsewhere" not in html and "Landing in Hangzhou" not in html
    response = client.get(URL)
    assert response.context["open"] == 4
    assert chart_rows(response, "first_response")["Company incorporation"] == (2.0,)


def test_an_empty_centre_says_so(client, centre):
    client.force_login(staff_of(centre))
    html = client.get(URL).content.decode()
    for message in (
        "No request is open.",
        "No request has been answered yet.",
        "No request has been completed yet.",
        "No request has been rated yet.",
        "The centre offers no service yet.",
    ):
        assert message in html


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_requests(client, signed_in, incorporation, bank, lead, team):
    def add(n):
        for i in range(n):
            made = requested(incorporation if i % 2 else bank, client_of_new_enterprise())
            services.assign(actor=lead, request=made, assignee=team["Cy"])
            for step in ("accept", "start_work", "complete"):
                services.take_step(actor=lead, request=made, name=step)
            rate(made, 1 + i % 5)
            requested(bank)

    add(2)
    few = queries(client)
    add(12)
    assert queries(client) == few


@pytest.mark.parametrize(
    "who",
    [
        lambda: user_with_role(Role.APPLICANT),
        lambda: user_with_role(Role.REVIEWER),
        lambda: user_with_role(Role.FUND_MANAGER),
    ],
    ids=["applicant", "reviewer", "fund manager"],
)
def test_anyone_but_the_centres_staff_and_leads_is_refused(client, who):
    client.force_login(who())
    assert client.get(URL).status_code == 403


def test_a_platform_officer_is_refused(client):
    user = user_with_role(Role.PROGRAM_OFFICER)
    user.unit = UnitFactory(code="platform", kind=UnitKind.PLATFORM)
    user.save(update_fields=["unit"])
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_a_lead_sees_the_centres_figures(client, lead, figures_set):
    client.force_login(lead)
    assert client.get(URL).context["open"] == 4
