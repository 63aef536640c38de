"""The program officer's dashboard: their unit's admission in figures, each chart drawn on the
server (``hkhz_portal.core.charts``) with its figures in a table for screen readers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hkhz_portal.core.charts import bar_chart, stacked_bar_chart

from .. import figures, selectors
from .staff import _require_officer

#: How many of the longest overdue reviews the dashboard lists.
OVERDUE_LISTED = 10


@login_required
@require_GET
def dashboard(request):
    """The officer's unit in figures; its query count does not depend on the number of applications."""
    _require_officer(request.user)
    unit_id = request.user.unit_id
    today = timezone.localdate()
    calls = list(selectors.unit_calls(request.user))
    by_call = figures.status_by_call(unit_id)
    submitted = sum(sum(counts) for counts in by_call.values())
    loads = figures.reviewer_loads(unit_id, today)
    overdue = figures.most_overdue(unit_id, today, limit=OVERDUE_LISTED)
    for assignment in overdue:
        assignment.days_overdue = (today - assignment.due_on).days
    return render(
        request,
        "programs/staff/dashboard.html",
        {
            "calls": [(call, sum(by_call.get(call.pk, ()))) for call in calls],
            "by_call": stacked_bar_chart(
                name="status-by-call",
                title=_("Applications by status, per call"),
                label_heading=_("Call"),
                series=[str(label) for label, _states in figures.STATUS_GROUPS],
                rows=[(call.title, by_call[call.pk]) for call in calls if call.pk in by_call],
                empty_message=_("No application has been submitted to your unit's calls yet."),
            ),
            "funnel": bar_chart(
                name="funnel",
                title=_("From submission to admission"),
                label_heading=_("Step"),
                value_heading=_("Applications"),
                rows=[(str(label), n) for label, n in figures.funnel(unit_id, submitted)],
            ),
            "time_in_states": bar_chart(
                name="time-in-state",
                title=_("Median days in each state"),
                label_heading=_("State"),
                value_heading=_("Median days"),
                rows=[(str(row.status.label), row.median_days) for row in figures.time_in_states(unit_id)],
                empty_message=_("No application has left a state yet."),
            ),
            "loads": stacked_bar_chart(
                name="reviewer-load",
                title=_("Open reviews per reviewer"),
                label_heading=_("Reviewer"),
                series=[_("On time"), _("Overdue")],
                rows=[(load.name, (load.open - load.overdue, load.overdue)) for load in loads],
                empty_message=_("No review is waiting."),
            ),
            "overdue_count": sum(load.overdue for load in loads),
            "overdue": overdue,
        },
    )
