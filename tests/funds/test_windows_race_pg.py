"""A priority window's endings racing, on PostgreSQL with real threads and real transactions: the
beat expiring it at the very moment a manager exercises it, or two managers ending it at once,
end in exactly one outcome; the loser is refused (409) or, the beat, finds nothing to expire."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from djmoney.money import Money

from funds.events import FundEventKind
from funds.models import PriorityWindow, WindowState
from funds.services import windows as services
from hkhz_portal.core import queueing
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import DomainEvent
from tests.conftest import require
from tests.threads import at_once

from .factories import ending_in, manager_of, open_window

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def threads_on_postgresql(monkeypatch):
    require(connection.vendor == "postgresql", "PostgreSQL")
    # Tasks sent after commit go nowhere: no worker runs here, and the broker may be shared.
    monkeypatch.setattr(queueing, "_send", lambda task, args: None)


def exercise(manager, window):
    return lambda: services.exercise(
        actor=manager, window=PriorityWindow.objects.get(pk=window.pk), commitment=Money(Decimal("1000000"), "CNY")
    )


def waive(manager, window):
    return lambda: services.waive(
        actor=manager, window=PriorityWindow.objects.get(pk=window.pk), decision="Outside the mandate."
    )


def ended(window) -> PriorityWindow:
    window = PriorityWindow.objects.get(pk=window.pk)
    endings = DomainEvent.objects.filter(
        kind__in=[FundEventKind.WINDOW_EXERCISED, FundEventKind.WINDOW_WAIVED, FundEventKind.WINDOW_EXPIRED]
    )
    assert endings.count() == 1, list(endings.values_list("kind", flat=True))
    return window


@pytest.mark.parametrize("attempt", range(5))
def test_the_beat_expiring_a_window_as_a_manager_exercises_it_ends_it_once(fund, manager, attempt):
    # The manager acts in the window's last minute; the beat runs as if at its end.
    window = ending_in(open_window(fund), datetime.timedelta(minutes=1))
    exercised, expired = at_once(exercise(manager, window), lambda: services.expire_due(now=window.ends_at))

    window = ended(window)
    if isinstance(exercised, DomainError):
        assert (exercised.status, exercised.code, expired) == (409, "window_ended", 1)
        assert (window.state, window.commitment) == (WindowState.EXPIRED, None)
    else:
        assert (expired, window.state) == (0, WindowState.EXERCISED), exercised
        assert window.commitment == Money(Decimal("1000000"), "CNY")
    assert services.expire_due(now=window.ends_at) == 0


@pytest.mark.parametrize("attempt", range(3))
def test_two_managers_exercising_and_waiving_at_once_end_the_window_once(fund, manager, attempt):
    window = open_window(fund)
    outcomes = at_once(exercise(manager, window), waive(manager_of(fund, full_name="Manager Lau"), window))

    won = [o for o in outcomes if isinstance(o, PriorityWindow)]
    lost = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert (lost[0].status, lost[0].code) == (409, "window_ended")
    assert ended(window).state == won[0].state
