"""The centre's own pages: its queue of service requests and its dashboard.

Its staff and its leads (the centre's program officers) see their centre's requests only;
anyone else is refused (403) on both pages.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hkhz_portal.core.charts import bar_chart, stacked_bar_chart
from hkhz_portal.core.pagination import page_query

from ...queue import COUNT_CAP, CappedPaginator
from .. import figures, selectors
from ..queue import CentreQueueForm, clock_labels, row_clock
from ..workflow import CENTRE_STATE_LABELS


def _require_member(user) -> int:
    """The id of the centre ``user`` works for; anyone else is refused."""
    if not selectors.is_centre_member(user):
        raise PermissionDenied
    return user.unit_id


def _staff(unit_id) -> list:
    return list(selectors.centre_staff(unit_id).order_by("full_name", "id").only("full_name", "email"))


def _rows(requests, services, now) -> list:
    """Attach each row's labels and clock, translating every label once per page (not per row)."""
    names = {service.pk: service.name for service in services}
    states = {value: str(label) for value, label in CENTRE_STATE_LABELS.items()}
    labels = clock_labels()
    rows = list(requests)
    for row in rows:
        row.service_name = names.get(row.service_id, "")
        row.state_label = states[row.state]
        row.assignee_name = row.assignee.get_short_name() if row.assignee_id else ""
        row.created_iso = timezone.localtime(row.created_at).isoformat()
        row.age = timesince(row.created_at, now, depth=1)
        row.clock = row_clock(row, now, labels)
    return rows


@login_required
@require_GET
def queue(request):
    """The centre's requests: search, filters, sort, pages. Its query count does not depend on
    the rows shown: rows read only the queue's columns (and their enterprise's and assignee's
    names, joined), labels come from the choices and the services read for the filter."""
    unit_id = _require_member(request.user)
    now = timezone.now()
    services = list(selectors.centre_services(unit_id))
    form = CentreQueueForm(request.GET or None, services=services, staff=_staff(unit_id), user=request.user)
    requests = form.apply(selectors.centre_requests(request.user), now=now)
    page = CappedPaginator(requests, form.page_size()).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/centres/staff/queue.html",
        {
            "form": form,
            "controls": form.controls(),
            "page": page,
            "rows": _rows(page.object_list, services, now),
            "query": page_query(request),
            "filtering": form.filtering,
            "count_cap": COUNT_CAP,
        },
    )


def _per_service(rows, figure: str) -> list[tuple[str, object]]:
    """``(service name, figure)`` for each service that has the figure."""
    return [(row["service"].name, row[figure]) for row in rows if row[figure] is not None]


def _median_chart(rows, figure: str, title: str, empty_message: str) -> dict:
    """The median ``figure`` of each service, in business hours."""
    return bar_chart(
        name=figure.replace("_", "-"),
        title=title,
        label_heading=_("Service"),
        value_heading=_("Business hours"),
        rows=_per_service(rows, figure),
        empty_message=empty_message,
    )


@login_required
@require_GET
def dashboard(request):
    """The centre in figures; its query count does not depend on the number of requests."""
    unit_id = _require_member(request.user)
    now = timezone.now()
    services = list(selectors.centre_services(unit_id))
    loads = figures.loads(unit_id, _staff(unit_id), now)
    open_by_service = figures.open_by_service(unit_id, now)
    since = now - figures.WINDOW
    first_responses = figures.first_responses(unit_id, since)
    resolutions = figures.resolutions(unit_id, since)
    satisfaction = figures.satisfaction(unit_id, since)
    shown = [
        service
        for service in services
        if service.is_active or service.pk in open_by_service or service.pk in first_responses
    ]
    rows = [
        {
            "service": service,
            "open": open_by_service.get(service.pk, figures.OpenCounts()),
            "first_response": first_responses.get(service.pk),
            "resolution": resolutions.get(service.pk),
            "satisfaction": satisfaction.get(service.pk),
        }
        for service in shown
    ]
    return render(
        request,
        "programs/centres/staff/dashboard.html",
        {
            "window_days": figures.WINDOW.days,
            "open": sum(load.open for load in loads),
            "at_risk": sum(load.at_risk for load in loads),
            "breached": sum(load.breached for load in loads),
            "services": rows,
            "loads": stacked_bar_chart(
                name="staff-load",
                title=_("Open requests per staff member"),
                label_heading=_("Staff member"),
                series=[_("On time"), _("At risk"), _("Breached")],
                # Blue, amber, red-orange: the palette's green must not mean "breached".
                colours=[0, 4, 1],
                rows=[(load.name or _("Nobody yet"), (load.on_time, load.at_risk, load.breached)) for load in loads],
                empty_message=_("No request is open."),
            ),
            "first_response": _median_chart(
                rows,
                "first_response",
                _("Median first response, in business hours"),
                _("No request has been answered yet."),
            ),
            "resolution": _median_chart(
                rows,
                "resolution",
                _("Median resolution, in business hours"),
                _("No request has been completed yet."),
            ),
            "satisfaction": bar_chart(
                name="satisfaction",
                title=_("Mean rating (1 to 5)"),
                label_heading=_("Service"),
                value_heading=_("Mean rating"),
                rows=[(name, rating.mean) for name, rating in _per_service(rows, "satisfaction")],
                empty_message=_("No request has been rated yet."),
            ),
        },
    )
