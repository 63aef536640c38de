"""The service centres' pages, in the ``programs`` namespace (included from ``programs.urls``)."""

from django.urls import path

from .views import queue

urlpatterns = [
    # First: a route for one request ("staff/requests/<reference>/") could take "dashboard" for one.
    path("staff/requests/dashboard/", queue.dashboard, name="centre_dashboard"),
    path("staff/requests/", queue.queue, name="centre_queue"),
]
