"""The beat's SLA reminders, with the beat's time passed in: a request's assignee and its centre's
leads are told once when a running clock passes 80 % of its target and once when it passes the
target, only in the centre's business hours (not at lunch, at night, at weekends or on Hong
Kong holidays: the reminder waits for the next beat in hours), never of a paused or settled
request. The Hong Kong centre is open Monday to Friday, 09:00–12:30 and 13:30–18:00."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hkhz_portal.core.models import DomainEvent, Notification
from programs.centres import services
from programs.centres.events import SLAEventKind
from programs.centres.reminders import remind_sla
from programs.models import RequestStateChange, ServiceRequest, SLAReminder

from .centre_factories import ServiceFactory, policy_for, requested, staff_of

pytestmark = pytest.mark.django_db

HKT = ZoneInfo("Asia/Hong_Kong")


def hk(moment: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(moment).replace(tzinfo=HKT)


@pytest.fixture
def staff(centre):
    return staff_of(centre, full_name="Staff Wong", preferred_language="en")


@pytest.fixture
def lead(centre, staff):
    return staff_of(centre, lead=True, full_name="Lead Lam", preferred_language="zh-hant")


@pytest.fixture
def remind(act):
    """One beat at ``moment`` (Hong Kong time); returns the number of reminders it sent."""
    return lambda moment: act(lambda: remind_sla(now=hk(moment)))


def as_if(request, *moments, responded=None) -> ServiceRequest:
    """Move the request's log to ``moments`` (Hong Kong time, one per step taken, in order), its
    first response to ``responded``, and recompute its clocks as of the last moment."""
    changes = list(RequestStateChange.objects.filter(request=request).order_by("created_at", "id"))
    assert len(changes) == len(moments)
    for change, moment in zip(changes, moments, strict=True):
        RequestStateChange.objects.filter(pk=change.pk).update(created_at=hk(moment))
    ServiceRequest.objects.filter(pk=request.pk).update(
        created_at=hk(moments[0]),
        state_changed_at=hk(moments[-1]),
        first_response_at=hk(responded) if responded else None,
    )
    request = ServiceRequest.objects.get(pk=request.pk)
    services.recompute_clocks(request, now=hk(moments[-1]))
    return request


@pytest.fixture
def made_at_nine(centre, staff, lead, act):
    """A request made Monday 9 March 2026 at 09:00: its first response (four hours) is at risk
    from 12:12 and due at 14:00, the lunch hour not counted."""
    request = act(lambda: requested(ServiceFactory(unit=centre)))
    Notification.objects.all().delete()
    return as_if(request, "2026-03-09 09:00")


def reminders(request) -> set[tuple[str, str]]:
    return set(SLAReminder.objects.filter(request=request).values_list("clock", "level"))


def told(kind) -> dict[str, Notification]:
    return {n.recipient.full_name: n for n in Notification.objects.filter(kind=kind).select_related("recipient")}


def test_an_at_risk_clock_is_reminded_of_once_then_its_breach_once(made_at_nine, remind):
    assert made_at_nine.response_risk_at == hk("2026-03-09 12:12")
    assert made_at_nine.response_due_at == hk("2026-03-09 14:00")
    assert remind("2026-03-09 12:00") == 0
    assert remind("2026-03-09 12:15") == 1
    assert remind("2026-03-09 12:20") == 0
    assert remind("2026-03-09 14:00") == 0  # due, not yet past due

    at_risk = told(SLAEventKind.AT_RISK)
    assert set(at_risk) == {"Staff Wong", "Lead Lam"}  # the assignee and the centre's lead
    reference = made_at_nine.reference
    assert at_risk["Staff Wong"].title == f"{reference}: first response at risk"
    assert "due March 9, 2026, 2 p.m." in at_risk["Staff Wong"].body
    assert "2026年3月9日 14:00" in at_risk["Lead Lam"].body  # the lead reads 繁體中文 dates
    assert at_risk["Staff Wong"].url == f"/staff/requests/{reference}/"

    assert remind("2026-03-09 14:05") == 1
    assert remind("2026-03-09 14:10") == 0
    assert remind("2026-03-10 10:00") == 0
    breached = told(SLAEventKind.BREACHED)
    assert set(breached) == {"Staff Wong", "Lead Lam"}
    assert breached["Staff Wong"].title == f"{reference}: first response overdue"
    assert reminders(made_at_nine) == {("response", "at_risk"), ("response", "breached")}
    assert Notification.objects.filter(kind=SLAEventKind.AT_RISK).count() == 2
    assert not told(SLAEventKind.AT_RISK).keys() & {made_at_nine.requested_by.full_name}


def test_nothing_is_sent_in_the_lunch_break_and_the_reminder_goes_at_the_first_beat_after_it(made_at_nine, remind):
    assert remind("2026-03-09 12:45") == 0
    assert not DomainEvent.objects.filter(kind__startswith="service_request.sla_").exists()
    assert not reminders(made_at_nine)
    assert remind("2026-03-09 13:30") == 1
    assert reminders(made_at_nine) == {("response", "at_risk")}


@pytest.mark.parametrize(
    "moment",
    [
        "2026-04-02 18:30",  # the evening
        "2026-04-03 10:00",  # Good Friday
        "2026-04-04 10:00",  # Saturday, the day after Good Friday
        "2026-04-06 10:00",  # Easter Monday
        "2026-04-07 10:00",  # Tuesday, Ching Ming observed
    ],
)
def test_nothing_is_sent_out_of_hours_and_a_clock_found_breached_is_reminded_of_the_breach_only(
    centre, staff, lead, act, remind, moment
):
    """Made the Thursday before Easter at 09:00, the first response was due at 14:00; the beat
    did not run that day (the workers were down) and the centre is then closed until Wednesday."""
    request = as_if(act(lambda: requested(ServiceFactory(unit=centre))), "2026-04-02 09:00")
    assert remind(moment) == 0
    assert not reminders(request)
    assert remind("2026-04-08 09:00") == 1
    assert reminders(request) == {("response", "breached")}
    assert set(told(SLAEventKind.BREACHED)) == {"Staff Wong", "Lead Lam"}
    assert not DomainEvent.objects.filter(kind=SLAEventKind.AT_RISK).exists()


@pytest.fixture
def short(centre, staff, lead, act):
    """A request to be resolved in four business hours, accepted and under way Monday morning: its
    resolution is at risk from 12:12."""
    service = ServiceFactory(unit=centre, sla_policy=policy_for(centre, first_response=2, resolution=4))
    request = act(lambda: requested(service))
    for name in ("accept", "start_work"):
        services.take_step(actor=staff, request=request, name=name)
    return request


def test_a_paused_request_is_not_reminded_until_it_runs_again(short, staff, remind):
    services.take_step(actor=staff, request=short, name="wait_third_party", pause_reason="bank", note="KYC")
    moments = ["2026-03-09 09:00", "2026-03-09 09:05", "2026-03-09 09:10", "2026-03-09 12:20"]
    as_if(short, *moments, responded="2026-03-09 09:05")
    assert remind("2026-03-09 12:25") == 0  # past 80 % of its target, but paused
    assert remind("2026-03-10 10:00") == 0
    services.take_step(actor=staff, request=short, name="resume")
    as_if(short, *moments, "2026-03-10 15:00", responded="2026-03-09 09:05")
    assert remind("2026-03-10 15:05") == 1
    assert reminders(short) == {("resolution", "at_risk")}
    assert told(SLAEventKind.AT_RISK)["Staff Wong"].title == f"{short.reference}: resolution at risk"


@pytest.mark.parametrize("name", ["complete", "decline"])
def test_a_settled_request_is_not_reminded(short, staff, remind, name):
    services.take_step(actor=staff, request=short, name=name, note="Done elsewhere.")
    as_if(
        short,
        *["2026-03-09 09:00", "2026-03-09 09:05", "2026-03-09 09:10", "2026-03-09 12:20"],
        responded="2026-03-09 09:05",
    )
    assert remind("2026-03-09 12:25") == 0
    assert remind("2026-03-10 10:00") == 0
    assert not reminders(short)


def test_a_first_response_ends_its_clock_reminders(made_at_nine, staff, remind):
    services.take_step(actor=staff, request=made_at_nine, name="accept")
    as_if(made_at_nine, "2026-03-09 09:00", "2026-03-09 11:00", responded="2026-03-09 11:00")
    assert remind("2026-03-09 14:05") == 0
    assert not reminders(made_at_nine)


def test_the_beat_does_not_read_requests_it_has_already_reminded_of(centre, staff, lead, act, remind):
    """Old breached requests cost the beat nothing: the query leaves them out."""
    for _ in range(3):
        as_if(act(lambda: requested(ServiceFactory(unit=centre))), "2026-03-09 09:00")
    assert remind("2026-03-09 14:05") == 3
    with CaptureQueriesContext(connection) as queries:
        assert remind("2026-03-10 10:00") == 0
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1, selects


def test_the_beat_sends_the_reminders_every_five_minutes_on_the_workflow_queue(settings):
    from hkhz_portal.celery import app

    app.loader.import_default_modules()
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "programs.centres_remind_sla"]
    assert entry["schedule"] == 300
    assert "programs.centres_remind_sla" in app.tasks
    assert app.amqp.router.route({}, "programs.centres_remind_sla")["queue"].name == "workflow"
