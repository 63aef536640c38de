"""The service centres' pages, in the ``programs`` namespace (included from ``programs.urls``)."""

from django.urls import path

from .views import queue

urlpatterns = [
    # Before any "staff/requests/<reference>/": "dashboard" is no reference, but keep it first.
    path("staff/requests/dashboard/", queue.dashboard, name="centre_dashboard"),
    path("staff/requests/", queue.queue, name="centre_queue"),
]
