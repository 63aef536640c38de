"""The fund managers' priority windows: the open ones soonest first with the days left (the
ended ones below, a page at a time), and one window's page with its frozen terms beside the
round's later offers, how it ended, and, while it is open, the forms to exercise or waive it.

Only the fund's managers see them (anyone else: 403); a window of another fund is not found.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from djmoney.money import Money

from hkhz_portal.core.forms import act_on_form
from hkhz_portal.core.pagination import page_query

from .. import selectors
from ..models import Instrument, WindowState
from ..services.rounds import is_better
from ..services.windows import REMINDER_DAYS
from ..window_forms import ExerciseForm, WaiveForm

#: Ended windows per page, below the open ones.
ENDED_PER_PAGE = 25


def _require_manager(user) -> None:
    if not selectors.is_fund_manager(user):
        raise PermissionDenied


def _money(frozen: dict) -> Money:
    return Money(Decimal(frozen["amount"]), frozen["currency"])


def _time_left(window, now) -> dict:
    """How long the window has left, in words, and how urgent that is (the reminders'
    marks: within 7 days soon, within 2 urgent)."""
    if window.ends_at <= now:
        return {"text": _("Past its end: it expires at the next check."), "level": "urgent"}
    days = (timezone.localdate(window.ends_at) - timezone.localdate(now)).days
    text = ngettext("%(count)d day left", "%(count)d days left", days) % {"count": days}
    left = window.ends_at - now
    urgent, soon = (datetime.timedelta(days=days) for days in sorted(REMINDER_DAYS))
    level = "urgent" if left <= urgent else "soon" if left <= soon else ""
    return {"text": text, "level": level}


def _last_day(window) -> datetime.date:
    """The window's last day (it ends at the midnight after it)."""
    return timezone.localdate(window.ends_at - datetime.timedelta(microseconds=1))


def _terms(terms: dict) -> dict:
    return {
        "amount": _money(terms["amount_sought"]),
        "pre_money": _money(terms["pre_money"]),
        "instrument": Instrument(terms["instrument"]).label,
        "terms": terms["terms"],
    }


@login_required
@require_GET
def windows(request):
    """Open windows, the soonest ending first; ended ones below, the latest first, by pages. The
    query count does not depend on the number of windows."""
    _require_manager(request.user)
    now = timezone.now()
    managed = selectors.managed_windows(request.user)
    open_rows = list(managed.filter(state=WindowState.OPEN).order_by("ends_at", "pk"))
    for row in open_rows:
        row.left = _time_left(row, now)
        row.last_day = _last_day(row)
        row.frozen = _terms(row.terms)
    ended = managed.exclude(state=WindowState.OPEN).order_by("-ended_at", "-pk")
    page = Paginator(ended, ENDED_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/windows/windows.html",
        {"open_rows": open_rows, "page": page, "query": page_query(request)},
    )


def _window_page(request, window, *, bound=None, status=200):
    """The window's page; ``bound`` is one of its forms sent with errors, shown in place of its blank one."""
    now = timezone.now()
    may_end = window.state == WindowState.OPEN and window.ends_at > now
    forms = {}
    if may_end:
        forms = {
            "exercise_form": bound if isinstance(bound, ExerciseForm) else ExerciseForm(window=window),
            "waive_form": bound if isinstance(bound, WaiveForm) else WaiveForm(window=window),
        }
    offers = list(window.round.offers.all())
    for offer in offers:
        offer.better = is_better(offer, window.terms)
    return render(
        request,
        "funds/windows/window.html",
        {
            "window": window,
            "frozen": _terms(window.terms),
            "closing_target": datetime.date.fromisoformat(window.terms["closing_target"]),
            "offers": offers,
            "left": _time_left(window, now) if window.state == WindowState.OPEN else None,
            "last_day": _last_day(window),
            "revival": getattr(window, "revival", None),
            "reminders": list(window.reminders.order_by("-days_before")),
            **forms,
        },
        status=status,
    )


@login_required
@require_GET
def window(request, pk):
    _require_manager(request.user)
    return _window_page(request, selectors.window_for_manager(request.user, pk))


def _end(request, pk, form_class, done: str):
    _require_manager(request.user)
    found = selectors.window_for_manager(request.user, pk)
    form = form_class(request.POST, window=found)
    return act_on_form(
        request,
        form,
        lambda: form.perform(request.user),
        done=done,
        back=HttpResponseRedirect(reverse("funds:window", args=[found.pk])),
        page=lambda bound: _window_page(request, found, bound=bound, status=400),
    )


@login_required
@require_POST
def exercise(request, pk):
    """Exercise the fund's priority right. What was typed wrong shows on the form; a window
    that ended meanwhile (a colleague, or the beat, came first) is a message on the page."""
    return _end(request, pk, ExerciseForm, _("The fund exercised its priority right."))


@login_required
@require_POST
def waive(request, pk):
    """Waive the fund's priority right, with the decision."""
    return _end(request, pk, WaiveForm, _("The fund waived its priority right."))
