"""The service centres' SLA reminders through a real Celery beat and worker on real Redis (and
PostgreSQL on CI): a request whose first response is at risk has its assignee and its centre's
lead told once, in the portal and by e-mail, however many beats pass."""

import datetime
import re
import time
from decimal import Decimal

import pytest
from django.utils import timezone

from hkhz_portal.core.calendars import Calendar
from hkhz_portal.core.models import DomainEvent, Notification
from programs.centres import services, sla
from programs.centres.events import SLAEventKind
from programs.models import ClockLevel, RequestStateChange, ServiceRequest, SLAPolicy, SLAReminder, WorkingPeriod
from tests.programs.centre_factories import ServiceFactory, hk_centre, requested, staff_of

from .conftest import celery_beat, celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: Seconds between two beats of the reminders in this test (five minutes in production).
BEAT = 1
ROUND_THE_CLOCK = ((datetime.time(0), datetime.time(23, 59)),)
TARGET = datetime.timedelta(hours=10)
#: How long ago the request was made: 90 % of its first-response target, so at risk, not breached.
MADE_AGO = datetime.timedelta(hours=9)


def open_calendar(now) -> Calendar:
    """A calendar on which a centre open every day round the clock is open now and for the next
    minutes, and was for the last nine hours (no public holiday in the way); the test cannot
    run when neither is (a holiday on both calendars, or the last minutes before midnight)."""
    for calendar in Calendar:
        policy = sla.Policy(calendar, dict.fromkeys(range(7), ROUND_THE_CLOCK), TARGET, TARGET * 10)
        open_now = all(sla.in_business_hours(policy, now + datetime.timedelta(minutes=m)) for m in (0, 3))
        if open_now and sla.business_time(policy, now - MADE_AGO, now) > MADE_AGO - datetime.timedelta(minutes=30):
            return calendar
    pytest.skip("A centre open round the clock is closed now on both calendars (a public holiday, or 23:59).")


def at_risk_request() -> ServiceRequest:
    """A request made nine hours ago to a centre open every day round the clock, with ten hours
    for its first response: at risk, and reminded of in business hours whenever the test runs."""
    now = timezone.now()
    centre = hk_centre()
    policy = SLAPolicy.objects.create(
        unit=centre,
        name="Round the clock",
        calendar=open_calendar(now),
        first_response_hours=Decimal(10),
        resolution_hours=Decimal(100),
    )
    WorkingPeriod.objects.bulk_create(
        WorkingPeriod(policy=policy, weekday=day, starts=starts, ends=ends)
        for day in range(7)
        for starts, ends in ROUND_THE_CLOCK
    )
    staff_of(centre, full_name="Staff Wong", preferred_language="en")
    staff_of(centre, lead=True, full_name="Lead Lam", preferred_language="zh-hant")
    request = requested(ServiceFactory(unit=centre, sla_policy=policy))
    RequestStateChange.objects.filter(request=request).update(created_at=now - MADE_AGO)
    ServiceRequest.objects.filter(pk=request.pk).update(created_at=now - MADE_AGO)
    request = ServiceRequest.objects.get(pk=request.pk)
    services.recompute_clocks(request)
    assert request.response_level == ClockLevel.AT_RISK and request.response_risk_at < now
    return request


def test_an_at_risk_request_is_reminded_once_across_several_beats(broker, tmp_path):
    request = at_risk_request()
    told = Notification.objects.filter(kind=SLAEventKind.AT_RISK)
    beats = {"CENTRE_SLA_REMINDER_INTERVAL": str(BEAT)}
    with (
        celery_worker(redis_url=broker, extra_env=beats) as worker,
        celery_beat(redis_url=broker, schedule=tmp_path / "beat-schedule", extra_env=beats) as beat,
    ):
        mailed = wait_for(lambda: told.filter(emailed_at__isnull=False).count() == 2, timeout=90)
        time.sleep(BEAT * 6)  # beats go on; each finds nothing more to send
    worker_output, beat_output = worker.communicate(timeout=10)[0], beat.communicate(timeout=10)[0]
    assert mailed, f"nobody was told within 90 s. Worker output:\n{worker_output[-3000:]}\nBeat:\n{beat_output[-2000:]}"

    notices = {n.recipient.full_name: n for n in told.select_related("recipient")}
    assert set(notices) == {"Staff Wong", "Lead Lam"} and told.count() == 2
    assert notices["Staff Wong"].title == f"{request.reference}: first response at risk"
    assert DomainEvent.objects.filter(kind=SLAEventKind.AT_RISK).count() == 1
    assert list(SLAReminder.objects.filter(request=request).values_list("clock", "level")) == [("response", "at_risk")]
    runs = re.findall(r"Task programs\.centres_remind_sla\[[^\]]+\] succeeded in [0-9.]+s: (\d+)", worker_output)
    assert len(runs) >= 4, f"the beat sent the reminders' task {len(runs)} times:\n{beat_output[-2000:]}"
    assert sorted(runs) == ["0"] * (len(runs) - 1) + ["1"]  # one run sent the reminder; the others nothing
