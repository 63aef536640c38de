"""The centre's queue of service requests: who sees it and which requests, each filter, the
search box, the clock each row shows, and a query count that does not grow with the rows."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hkhz_portal.accounts.roles import Role, UnitKind
from programs.centres import services
from programs.centres.queue import at_risk, breached
from programs.centres.workflow import State
from programs.models import ClockLevel, ServiceRequest
from tests.factories import EnterpriseFactory, UnitFactory, member_of, user_with_role

from .centre_factories import ServiceFactory, hz_centre, requested, staff_of

pytestmark = pytest.mark.django_db

QUEUE = reverse("programs:centre_queue")
#: Session, user, roles, MFA check, unread badge, the user's unit, the services, the staff, the
#: count, the rows (10), one spare.
MAX_QUERIES = 11


def references(response) -> list[str]:
    return re.findall(r'href="/staff/requests/(SRV-\d{4}-\d{5})/"', response.content.decode())


def client_of(name_en, name_zh=""):
    return member_of(EnterpriseFactory(legal_name_en=name_en, legal_name_zh=name_zh), role="owner")


def update(request, **columns) -> ServiceRequest:
    """Set a request's columns as time and the reminders' recomputations would have."""
    ServiceRequest.objects.filter(pk=request.pk).update(**columns)
    request.refresh_from_db()
    return request


@pytest.fixture
def incorporation(centre):
    return ServiceFactory(unit=centre, slug="hk-incorporation", name_en="Hong Kong company incorporation")


@pytest.fixture
def bank(centre):
    return ServiceFactory(unit=centre, slug="hk-bank-account", name_en="Bank account opening")


@pytest.fixture
def unassigned(incorporation):
    """Made before the centre had staff: nobody was assigned."""
    return requested(incorporation, client_of("Xihu Biomedicine Limited", "西湖生物医药有限公司"))


@pytest.fixture
def ada(centre, unassigned):
    return staff_of(centre, full_name="Ada Chan")


@pytest.fixture
def bo(centre, unassigned):
    return staff_of(centre, full_name="Bo Lam")


@pytest.fixture
def work(incorporation, bank, unassigned, ada, bo):
    """Requests of the Hong Kong centre, one per situation, and their assignees:

    - ``unassigned``: incorporation, requested, nobody assigned;
    - ``ada_bank``: bank account, Ada's, in progress;
    - ``bo_waiting``: incorporation, Bo's, waiting on a bank (paused);
    - ``ada_done``: incorporation, Ada's, completed.
    """
    ada_bank = requested(bank, client_of("Binjiang Photonics Limited", "滨江光电有限公司"))
    services.assign(actor=ada, request=ada_bank, assignee=ada)
    services.take_step(actor=ada, request=ada_bank, name="accept")
    services.take_step(actor=ada, request=ada_bank, name="start_work")
    bo_waiting = requested(incorporation, client_of("Harbour Genomics Limited", "港灣醫療基因有限公司"))
    services.assign(actor=bo, request=bo_waiting, assignee=bo)
    services.take_step(actor=bo, request=bo_waiting, name="accept")
    services.take_step(actor=bo, request=bo_waiting, name="start_work")
    services.take_step(actor=bo, request=bo_waiting, name="wait_third_party", pause_reason="bank", note="HSBC KYC")
    ada_done = requested(incorporation, client_of("Qiantang Robotics Limited"))
    services.assign(actor=ada, request=ada_done, assignee=ada)
    for step in ("accept", "start_work", "complete"):
        services.take_step(actor=ada, request=ada_done, name=step)
    found = {
        name: ServiceRequest.objects.get(pk=r.pk)
        for name, r in {
            "unassigned": unassigned,
            "ada_bank": ada_bank,
            "bo_waiting": bo_waiting,
            "ada_done": ada_done,
        }.items()
    }
    assert found["unassigned"].assignee is None and found["bo_waiting"].state == State.WAITING_ON_THIRD_PARTY
    return found


@pytest.fixture
def signed_in(client, ada):
    client.force_login(ada)
    return ada


def refs(work, *names) -> set[str]:
    return {work[name].reference for name in names}


# --- Who sees it ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "login" in response["Location"]


def platform_officer():
    user = user_with_role(Role.PROGRAM_OFFICER)
    user.unit = UnitFactory(code="platform", kind=UnitKind.PLATFORM)
    user.save(update_fields=["unit"])
    return user


@pytest.mark.parametrize(
    "who",
    [
        lambda: user_with_role(Role.APPLICANT),
        platform_officer,
        lambda: user_with_role(Role.REVIEWER),
        lambda: user_with_role(Role.FUND_MANAGER),
        lambda: user_with_role(Role.ADMIN),
    ],
    ids=["applicant", "platform officer", "reviewer", "fund manager", "admin"],
)
def test_anyone_but_the_centres_staff_and_leads_is_refused(client, who):
    client.force_login(who())
    assert client.get(QUEUE).status_code == 403


def test_the_requesting_enterprise_cannot_open_it(client, work):
    client.force_login(work["ada_bank"].requested_by)
    assert client.get(QUEUE).status_code == 403


def test_staff_see_their_centres_open_requests_only(client, signed_in, work):
    elsewhere = requested(ServiceFactory(unit=hz_centre(), slug="hz-landing"), client_of("Elsewhere Biotech"))
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert set(references(response)) == refs(work, "unassigned", "ada_bank", "bo_waiting")
    html = response.content.decode()
    assert elsewhere.reference not in html and "Elsewhere Biotech" not in html
    assert "3 requests" in html
    # The other centre's lead sees that request, and none of these.
    client.force_login(staff_of(hz_centre(), lead=True))
    assert references(client.get(QUEUE, {"state": "all"})) == [elsewhere.reference]


def test_a_lead_sees_the_centres_requests(client, centre, work):
    client.force_login(staff_of(centre, lead=True))
    assert set(references(client.get(QUEUE, {"state": "all"}))) == refs(
        work, "unassigned", "ada_bank", "bo_waiting", "ada_done"
    )


def test_rows_link_to_the_request_and_show_its_columns(client, signed_in, work):
    html = client.get(QUEUE).content.decode()
    waiting = work["bo_waiting"]
    assert f'<a href="/staff/requests/{waiting.reference}/">{waiting.reference}</a>' in html
    row = html[html.index(waiting.reference) :]
    row = row[: row.index("</tr>")]
    for shown in ("Hong Kong company incorporation", "Harbour Genomics Limited", "港灣醫療基因有限公司"):
        assert shown in row
    assert "Waiting on a third party" in row and "Bo Lam" in row
    unassigned = html[html.index(work["unassigned"].reference) :]
    assert "Nobody yet" in unassigned[: unassigned.index("</tr>")]


def test_the_centre_names_a_wait_on_the_enterprise_as_such(client, signed_in, work):
    request = work["ada_bank"]
    services.ask_client(actor=signed_in, request=request, body="Please send the directors' passports.")
    html = client.get(QUEUE).content.decode()
    assert "Waiting on the enterprise" in html and "Waiting on you" not in html


# --- Filters and search ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"unassigned", "ada_bank", "bo_waiting"}),
        ({"state": "all"}, {"unassigned", "ada_bank", "bo_waiting", "ada_done"}),
        ({"state": "completed"}, {"ada_done"}),
        ({"state": "waiting_on_third_party"}, {"bo_waiting"}),
        ({"service": "hk-bank-account"}, {"ada_bank"}),
        ({"service": "hk-incorporation", "state": "all"}, {"unassigned", "bo_waiting", "ada_done"}),
        ({"assignee": "me"}, {"ada_bank"}),
        ({"assignee": "me", "state": "all"}, {"ada_bank", "ada_done"}),
        ({"assignee": "nobody"}, {"unassigned"}),
    ],
)
def test_filters(client, signed_in, work, params, expected):
    assert set(references(client.get(QUEUE, params))) == refs(work, *expected)


def test_filter_by_a_staff_member(client, signed_in, work, bo):
    assert set(references(client.get(QUEUE, {"assignee": bo.pk}))) == refs(work, "bo_waiting")


def test_at_risk_and_breached(client, signed_in, work):
    now = timezone.now()
    # Past its at-risk moment since the last recomputation; recorded breached; due an hour ago.
    update(work["ada_bank"], resolution_risk_at=now - datetime.timedelta(minutes=5))
    update(work["bo_waiting"], resolution_level=ClockLevel.BREACHED)
    update(work["unassigned"], response_due_at=now - datetime.timedelta(hours=1))
    assert set(references(client.get(QUEUE, {"at_risk": "on"}))) == refs(work, "ada_bank")
    assert set(references(client.get(QUEUE, {"breached": "on"}))) == refs(work, "bo_waiting", "unassigned")
    both = client.get(QUEUE, {"at_risk": "on", "breached": "on"})
    assert set(references(both)) == refs(work, "ada_bank", "bo_waiting", "unassigned")
    # The same questions, as the API and the dashboard ask them.
    open_requests = ServiceRequest.objects.filter(state__in=["requested", "in_progress", "waiting_on_third_party"])
    assert set(at_risk(open_requests, now).values_list("reference", flat=True)) == refs(work, "ada_bank")
    assert set(breached(open_requests, now).values_list("reference", flat=True)) == refs(
        work, "bo_waiting", "unassigned"
    )


def test_a_breached_request_is_never_also_at_risk(client, signed_in, work):
    now = timezone.now()
    update(work["ada_bank"], resolution_level=ClockLevel.AT_RISK, resolution_due_at=now - datetime.timedelta(hours=1))
    assert references(client.get(QUEUE, {"at_risk": "on"})) == []
    assert references(client.get(QUEUE, {"breached": "on"})) == [work["ada_bank"].reference]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Binjiang", "ada_bank"),
        ("photonics", "ada_bank"),
        ("西湖生物", "unassigned"),
        # Typed in Traditional, stored in Simplified; and the other way round.
        ("濱江光電", "ada_bank"),
        ("港湾医疗", "bo_waiting"),
    ],
)
def test_search_by_enterprise_name(client, signed_in, work, query, expected):
    assert references(client.get(QUEUE, {"q": query})) == [work[expected].reference]


def test_search_by_reference_however_typed(client, signed_in, work):
    reference = work["ada_done"].reference
    for typed in (reference, reference.lower(), reference.replace("-", " ")):
        assert references(client.get(QUEUE, {"q": typed, "state": "all"})) == [reference]
    assert references(client.get(QUEUE, {"q": "SRV-1999-99999", "state": "all"})) == []


def test_a_bad_filter_value_is_shown_and_ignored(client, signed_in, work):
    response = client.get(QUEUE, {"service": "no-such-service", "assignee": "12345678", "state": "lost"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Select a valid choice.") == 3
    assert set(references(response)) == refs(work, "unassigned", "ada_bank", "bo_waiting")


def test_another_centres_service_is_not_offered(client, signed_in, work):
    ServiceFactory(unit=hz_centre(), slug="hz-landing", name_en="Landing in Hangzhou")
    html = client.get(QUEUE).content.decode()
    assert 'value="hk-bank-account"' in html and "hz-landing" not in html
    assert "Landing in Hangzhou" not in html


def test_the_staff_filter_names_the_centres_staff(client, signed_in, work, ada, bo):
    stranger = staff_of(hz_centre(), full_name="Zed Elsewhere")
    html = client.get(QUEUE).content.decode()
    assert f'<option value="{bo.pk}">Bo Lam</option>' in html
    assert f'<option value="{ada.pk}">Ada Chan</option>' in html
    assert "Zed Elsewhere" not in html and f'value="{stranger.pk}"' not in html


def test_sorted_by_due_the_soonest_first(client, signed_in, work):
    now = timezone.now()
    update(work["unassigned"], response_due_at=now + datetime.timedelta(hours=30))
    update(work["ada_bank"], resolution_due_at=now + datetime.timedelta(hours=3))
    # Paused: no due moment; after the running ones.
    assert references(client.get(QUEUE)) == [work[k].reference for k in ("ada_bank", "unassigned", "bo_waiting")]
    newest = references(client.get(QUEUE, {"sort": "newest"}))
    assert newest == [work[k].reference for k in ("bo_waiting", "ada_bank", "unassigned")]


# --- The clock each row shows ---------------------------------------------------------------------


def clock_cell(html, reference) -> str:
    row = html[html.index(f">{reference}</a>") :]
    row = row[: row.index("</tr>")]
    return re.sub(r"\s+", " ", row[row.index('class="srv-clock"') :])


def test_a_running_clock_says_when_it_is_due(client, signed_in, work):
    due = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).replace(hour=14, minute=0)
    update(work["unassigned"], response_due_at=due, response_risk_at=due - datetime.timedelta(hours=1))
    cell = clock_cell(client.get(QUEUE).content.decode(), work["unassigned"].reference)
    # Not answered yet: the first response's clock.
    assert "First response" in cell
    assert '<span class="status clock-ok">On time</span>' in cell
    assert f'<time class="srv-clock-text" datetime="{due.isoformat()}">due {due:%a} 14:00</time>' in cell


def test_an_answered_request_shows_its_resolution_clock(client, signed_in, work):
    cell = clock_cell(client.get(QUEUE).content.decode(), work["ada_bank"].reference)
    assert "Resolution" in cell and "clock-ok" in cell and "due " in cell


def test_a_clock_past_its_moments_is_at_risk_then_breached_before_any_recomputation(client, signed_in, work):
    now = timezone.now()
    request = update(work["ada_bank"], resolution_risk_at=now - datetime.timedelta(minutes=1))
    assert request.resolution_level == ClockLevel.OK
    assert '<span class="status clock-at_risk">At risk</span>' in clock_cell(
        client.get(QUEUE).content.decode(), request.reference
    )
    due = timezone.localtime(now - datetime.timedelta(days=10)).replace(hour=9, minute=30)
    update(request, resolution_due_at=due)
    cell = clock_cell(client.get(QUEUE).content.decode(), request.reference)
    assert '<span class="status clock-breached">Breached</span>' in cell
    assert f"was due {due.strftime('%B')} {due.day} 09:30" in cell


def test_a_paused_clock_shows_the_business_time_it_has_left(client, signed_in, work):
    request = update(work["bo_waiting"], resolution_left=12 * 3600 + 5 * 60)
    cell = clock_cell(client.get(QUEUE).content.decode(), request.reference)
    assert '<span class="status clock-ok">On time</span>' in cell
    assert '<span class="flag flag-waiting">Paused</span>' in cell
    assert "12 h 5 min of business time left" in cell
    update(request, resolution_level=ClockLevel.BREACHED, resolution_left=-40 * 60)
    cell = clock_cell(client.get(QUEUE).content.decode(), request.reference)
    assert "clock-breached" in cell and "Paused" in cell and "40 min past the target" in cell


def test_a_closed_request_shows_how_its_clock_ended(client, signed_in, work):
    cell = clock_cell(client.get(QUEUE, {"state": "all"}).content.decode(), work["ada_done"].reference)
    assert '<span class="status clock-met">Met</span>' in cell and "due" not in cell


# --- Pages and queries ---------------------------------------------------------------------------


def test_pages_and_the_count_cap(client, signed_in, incorporation, monkeypatch):
    for n in range(7):
        requested(incorporation, client_of(f"Paged Biotech {n}"))
    first = client.get(QUEUE, {"sort": "oldest"})
    assert len(references(first)) == 8 and "8 requests" in first.content.decode()
    monkeypatch.setattr("programs.centres.views.queue.COUNT_CAP", 5)
    monkeypatch.setattr("programs.queue.COUNT_CAP", 5)
    assert "More than 5 requests" in client.get(QUEUE).content.decode()


def queries(client, django_assert_max_num_queries, params) -> list[str]:
    with django_assert_max_num_queries(MAX_QUERIES):
        return references(client.get(QUEUE, params))


def test_query_count_does_not_grow_with_rows_or_page_size(
    client, signed_in, work, incorporation, django_assert_max_num_queries
):
    update(work["ada_bank"], resolution_risk_at=timezone.now())
    few = queries(client, django_assert_max_num_queries, {"per_page": 25, "state": "all"})
    for n in range(30):
        made = requested(incorporation, client_of(f"Busy Biotech {n}"))
        services.assign(actor=signed_in, request=made, assignee=signed_in)
    many = queries(client, django_assert_max_num_queries, {"per_page": 100, "state": "all"})
    paged = queries(client, django_assert_max_num_queries, {"per_page": 25, "assignee": "me", "at_risk": "on"})
    assert len(few) == 4 and len(many) == 34 and len(paged) == 1


# --- Getting there ---------------------------------------------------------------------------------


def test_staff_and_leads_reach_the_queue_and_dashboard_from_the_header(client, signed_in, centre):
    dashboard = reverse("programs:centre_dashboard")
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{QUEUE}"' in html and f'href="{dashboard}"' in html
    assert f'<a href="{QUEUE}" aria-current="page">' in client.get(QUEUE).content.decode()
    on_dashboard = client.get(dashboard).content.decode()
    assert f'<a href="{dashboard}" aria-current="page">' in on_dashboard
    assert f'<a href="{QUEUE}" aria-current="page">' not in on_dashboard
    client.force_login(staff_of(centre, lead=True))
    assert f'href="{QUEUE}"' in client.get(reverse("dashboard")).content.decode()


def test_a_platform_officer_has_no_centre_links(client):
    client.force_login(platform_officer())
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{QUEUE}"' not in html
