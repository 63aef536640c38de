"""The fund's priority windows through a real Celery beat and worker on real Redis (and
PostgreSQL on CI): a window past its end is expired, and one ending within a week is reminded of
once, however many beats pass."""

import datetime
import re
import time

import pytest

from funds.events import FundEventKind
from funds.models import PriorityWindow, WindowReminder, WindowState
from hkhz_portal.core.models import DomainEvent
from tests.funds.factories import ending_in, make_fund, open_window

from .conftest import celery_beat, celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: Seconds between two beats of the windows' tasks in this test (five minutes in production).
BEAT = 1


def test_the_beat_expires_a_window_past_its_end_and_reminds_of_one_ending_soon_once(broker, tmp_path):
    fund = make_fund()
    past = ending_in(open_window(fund), -datetime.timedelta(minutes=1))
    soon = ending_in(open_window(fund), datetime.timedelta(days=6))
    later = open_window(fund)
    beats = {"FUND_WINDOW_BEAT_INTERVAL": str(BEAT)}
    with (
        celery_worker(redis_url=broker, extra_env=beats) as worker,
        celery_beat(redis_url=broker, schedule=tmp_path / "beat-schedule", extra_env=beats) as beat,
    ):
        done = wait_for(
            lambda: (
                PriorityWindow.objects.filter(pk=past.pk, state=WindowState.EXPIRED).exists()
                and WindowReminder.objects.exists()
            ),
            timeout=90,
        )
        time.sleep(BEAT * 6)  # beats go on; each finds nothing more to do
    worker_output, beat_output = worker.communicate(timeout=10)[0], beat.communicate(timeout=10)[0]
    assert done, f"nothing happened within 90 s. Worker output:\n{worker_output[-3000:]}\nBeat:\n{beat_output[-2000:]}"

    states = dict(PriorityWindow.objects.values_list("pk", "state"))
    assert states == {past.pk: "expired", soon.pk: "open", later.pk: "open"}
    assert list(WindowReminder.objects.values_list("window", "days_before")) == [(soon.pk, 7)]
    assert DomainEvent.objects.filter(kind=FundEventKind.WINDOW_EXPIRED).count() == 1
    assert DomainEvent.objects.filter(kind=FundEventKind.WINDOW_ENDING).count() == 1
    for task in ("expire_windows", "remind_windows"):
        runs = re.findall(rf"Task funds\.{task}\[[^\]]+\] succeeded in [0-9.]+s: (\d+)", worker_output)
        assert len(runs) >= 4, f"the beat sent {task} {len(runs)} times:\n{beat_output[-2000:]}"
        assert sorted(runs) == ["0"] * (len(runs) - 1) + ["1"]  # one run did it; the others nothing
