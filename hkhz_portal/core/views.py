from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.defaults import page_not_found

from . import health
from .notifications import mark_all_read, mark_read, notifications_for
from .problems import PROBLEM_JSON, problem


def not_found(request, exception):
    """The 404 of a URL that matched no route: problem+json under /api/ (one error format for
    the whole API, a malformed id included), the site's page elsewhere."""
    if request.path.startswith("/api/"):
        body = problem("not_found", _("Not found."), 404)
        return JsonResponse(body, status=404, content_type=PROBLEM_JSON)
    return page_not_found(request, exception)


def landing(request):
    return render(request, "core/landing.html")


@never_cache
@require_GET
def healthz(request):
    healthy, report = health.status()
    return JsonResponse(report, status=200 if healthy else 503)


@login_required
def notification_list(request):
    page = Paginator(notifications_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one notification read; with ``open`` set, go on to what it links to."""
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    mark_read(request.user, notification.pk)
    if request.htmx:
        notification.refresh_from_db()
        return render(request, "core/_notification.html", {"notification": notification})
    if "open" in request.POST and url_has_allowed_host_and_scheme(notification.url, {request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications")


@login_required
@require_POST
def notifications_read_all(request):
    mark_all_read(request.user)
    return redirect("notifications")
