"""The service centres' demo data (``programs.centres.demo``), as people trying the demo meet it:
two catalogues of real services in three languages, and forty requests with a past, in every
state, paused on the enterprise and on third parties, at risk and breached as the queue computes
them now, rated, cancelled with reasons, with threads, notes and steps ticked; the demo centre
user's work waiting. Seeding takes seconds, so one test seeds twice and checks each in turn."""

import datetime
import io
from collections import Counter

import opencc
import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from enterprises.choices import DocumentType
from hkhz_portal.accounts.models import Unit, User
from hkhz_portal.core.calendars import Calendar
from programs.centres import sla
from programs.centres.demo import business_hours_before
from programs.centres.selectors import centre_staff, is_centre_lead
from programs.centres.workflow import FINAL_STATES, OPEN_STATES, State
from programs.models import (
    RequestMessage,
    RequestStateChange,
    RequestStep,
    Service,
    ServiceRating,
    ServiceRequest,
    SLAPolicy,
    WorkingPeriod,
)

pytestmark = pytest.mark.django_db

MODELS = (SLAPolicy, WorkingPeriod, Service, ServiceRequest, RequestStateChange, RequestMessage, ServiceRating)


def test_the_demo_shows_both_centres_at_work(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command("seed_demo", password="demo-password-1", stdout=out)
    assert "Demo centres: 19 services and 40 requests created, 0 requests already present." in out.getvalue()
    counts = [model.objects.count() for model in MODELS]
    call_command("seed_demo", stdout=out)
    assert "Demo centres: 0 services and 0 requests created, 40 requests already present." in out.getvalue()
    assert [model.objects.count() for model in MODELS] == counts

    each_centre_has_two_policies_on_its_own_calendar_and_hours()
    each_centre_offers_eight_real_services_in_three_languages()
    the_requests_have_lived_through_every_state()
    their_clocks_read_as_the_queue_computes_them_now()
    the_demo_centre_user_has_work_waiting()


def each_centre_has_two_policies_on_its_own_calendar_and_hours():
    for code, calendar, day in (
        ("hk-centre", Calendar.HK, ["09:00–13:00", "14:00–18:00"]),
        ("hz-centre", Calendar.CN, ["08:30–12:00", "13:30–17:30"]),
    ):
        policies = SLAPolicy.objects.filter(unit__code=code).prefetch_related("periods")
        assert len(policies) == 2 and {p.calendar for p in policies} == {calendar}
        for policy in policies:
            monday = [f"{p.starts:%H:%M}–{p.ends:%H:%M}" for p in policy.periods.all() if p.weekday == 0]
            assert monday == day
            assert {p.weekday for p in policy.periods.all()} >= {0, 1, 2, 3, 4}
    # Urgent work in Hong Kong goes on on Saturday mornings.
    assert WorkingPeriod.objects.filter(policy__unit__code="hk-centre", weekday=5).count() == 1


def each_centre_offers_eight_real_services_in_three_languages():
    to_simplified = opencc.OpenCC("hk2s")
    for code, currency in (("hk-centre", "HKD"), ("hz-centre", "CNY")):
        offered = list(Service.objects.filter(unit__code=code, is_active=True).prefetch_related("steps"))
        assert len(offered) >= 8
        assert len({s.category for s in offered}) >= 7
        fees = [s.fee for s in offered]
        assert None in fees and {fee.currency.code for fee in fees if fee} == {currency}
        for service in offered:
            assert service.sla_policy.unit.code == code
            assert set(service.required_documents) <= set(DocumentType.values)
            steps = list(service.steps.all())
            assert 3 <= len(steps) <= 5
            targets = [step.target_hours for step in steps]
            assert targets == sorted(targets) and targets[-1] <= service.sla_policy.resolution_hours
            texts = [(service, prefix) for prefix in ("name", "description")] + [(step, "title") for step in steps]
            for record, prefix in texts:
                en, hans, hant = (getattr(record, f"{prefix}_{v}") for v in ("en", "zh_hans", "zh_hant"))
                assert en and hans and hant and hans != hant, (service.slug, prefix)
                # Simplified text holds no Traditional characters; Traditional text is not Simplified.
                assert opencc.OpenCC("t2s").convert(hans) == hans, hans
                assert to_simplified.convert(hant) != hant, hant
    incorporation = Service.objects.get(slug="hk-company-incorporation")
    assert "公司註冊處" in incorporation.description_zh_hant and "商業登記證" in incorporation.description_zh_hant
    assert "统一社会信用代码" in Service.objects.get(slug="hz-company-setup").description_zh_hans


def the_requests_have_lived_through_every_state():
    requests = list(ServiceRequest.objects.select_related("service", "enterprise"))
    assert len(requests) == 40
    assert len({r.unit_id for r in requests}) == 2
    assert {r.state for r in requests} == set(State)
    now = timezone.now()
    for request in requests:
        log = list(request.state_changes.all())
        assert log[0].transition == "request" and log[0].created_at == request.created_at
        assert log[-1].to_state == request.state and log[-1].created_at == request.state_changed_at
        assert all(change.created_at <= now for change in log)
        assert request.closed_at == (log[-1].created_at if request.state in FINAL_STATES else None)
        documents = {version.document.doc_type for version in request.documents.all()}
        assert set(request.service.required_documents) <= documents
        assert request.enterprise.memberships.filter(user=request.requested_by).exists()
    assert min(r.created_at for r in requests) < now - datetime.timedelta(days=60)  # a history of months

    paused = RequestStateChange.objects.filter(
        request__state=State.WAITING_ON_THIRD_PARTY, to_state=State.WAITING_ON_THIRD_PARTY
    )
    assert {"bank", "nmpa", "immigration"} <= set(paused.values_list("pause_reason", flat=True))
    assert all(change.note for change in paused)
    asked = ServiceRequest.objects.filter(state=State.WAITING_ON_CLIENT)
    assert asked.count() >= 2
    assert all(r.messages.filter(from_centre=True, internal=False).exists() for r in asked)

    cancelled = RequestStateChange.objects.filter(to_state=State.CANCELLED)
    assert {c.transition for c in cancelled} == {"cancel", "decline"} and all(c.note for c in cancelled)
    ratings = list(ServiceRating.objects.select_related("request", "rated_by"))
    assert len(ratings) >= 5 and {r.request.state for r in ratings} == {State.COMPLETED}
    assert len({r.score for r in ratings}) >= 3 and all(r.comment for r in ratings)
    assert all(r.created_at > r.request.closed_at for r in ratings)
    assert ServiceRequest.objects.filter(state=State.COMPLETED, rating__isnull=True).exists()

    threads = Counter(RequestMessage.objects.filter(internal=False).values_list("request", flat=True))
    assert max(threads.values()) >= 3
    assert RequestMessage.objects.filter(internal=True).count() >= 3
    assert RequestMessage.objects.filter(attachments__isnull=False).exists()
    ticked = RequestStep.objects.filter(request__state__in=OPEN_STATES)
    assert ticked.filter(done_at__isnull=False).exists() and ticked.filter(done_at__isnull=True).exists()
    assert not RequestStep.objects.filter(request__state=State.COMPLETED, done_at__isnull=True).exists()


def their_clocks_read_as_the_queue_computes_them_now():
    now = timezone.now()
    at_risk, breached = set(), set()
    for request in ServiceRequest.objects.filter(state__in=OPEN_STATES):
        log = [
            sla.Entry(at=at, state=state) for at, state in request.state_changes.values_list("created_at", "to_state")
        ]
        clocks = sla.clocks(
            sla.Policy.from_json(request.sla), log, first_response_at=request.first_response_at, now=now
        )
        for clock in (clocks.response, clocks.resolution):
            if clock.is_at_risk():
                at_risk.add(request.reference)
            if clock.is_breached():
                breached.add(request.reference)
    assert len(at_risk) >= 2 and len(breached) >= 2
    # The levels stored for the queue's filters say the same.
    open_requests = ServiceRequest.objects.filter(state__in=OPEN_STATES)
    for level, expected in (("at_risk", at_risk), ("breached", breached)):
        stored = open_requests.filter(Q(response_level=level) | Q(resolution_level=level))
        assert set(stored.values_list("reference", flat=True)) == expected, level


def the_demo_centre_user_has_work_waiting():
    user = User.objects.get(email="centre@demo.hkhz.local")
    mine = ServiceRequest.objects.filter(assignee=user, state__in=OPEN_STATES)
    assert mine.count() >= 5
    states = set(mine.values_list("state", flat=True))
    assert {State.REQUESTED, State.IN_PROGRESS} <= states
    assert mine.filter(response_level="at_risk").exists() or mine.filter(resolution_level="at_risk").exists()
    assert mine.filter(resolution_level="breached").exists()
    # An enterprise answered: the next move is the centre's.
    answered = mine.filter(state=State.IN_PROGRESS, state_changes__transition="client_answered")
    assert answered.exists()
    for code in ("hk-centre", "hz-centre"):
        unit = Unit.objects.get(code=code)
        people = list(centre_staff(unit.pk))
        assert len(people) >= 3 and any(is_centre_lead(person, unit.pk) for person in people)
        assert (
            ServiceRequest.objects.filter(unit=unit, state__in=OPEN_STATES).values("assignee").distinct().count() >= 3
        )


HK_DAY = ((datetime.time(9), datetime.time(13)), (datetime.time(14), datetime.time(18)))


@pytest.mark.parametrize(
    ("moment", "hours", "expected"),
    [
        # Tuesday 10:30 in Hong Kong; lunch 13:00–14:00 and the week-end do not count.
        ("2025-03-04T10:30+08:00", 1, "2025-03-04T09:30+08:00"),
        ("2025-03-04T10:30+08:00", 2, "2025-03-03T17:30+08:00"),
        ("2025-03-03T15:00+08:00", 2, "2025-03-03T12:00+08:00"),
        # Easter Monday 2025 (21 April) and Good Friday are Hong Kong holidays: back to the Thursday.
        ("2025-04-22T10:00+08:00", 1.5, "2025-04-17T17:30+08:00"),
        # On a Sunday evening, nothing has passed since Friday's close.
        ("2025-03-09T20:00+08:00", 0.5, "2025-03-07T17:30+08:00"),
        ("2025-03-09T20:00+08:00", 0, "2025-03-09T20:00+08:00"),
    ],
)
def test_a_demo_history_is_dated_back_in_business_hours(moment, hours, expected):
    policy = sla.Policy(
        calendar=Calendar.HK,
        hours=dict.fromkeys(range(5), HK_DAY),
        first_response=datetime.timedelta(hours=8),
        resolution=datetime.timedelta(hours=160),
    )
    moment = datetime.datetime.fromisoformat(moment)
    before = business_hours_before(policy, moment, hours)
    assert before == datetime.datetime.fromisoformat(expected)
    assert sla.business_time(policy, before, moment) == datetime.timedelta(hours=hours)
