from django.urls import path

from .views import staff

app_name = "programs"

urlpatterns = [
    path("staff/applications/", staff.queue, name="staff_queue"),
    path("staff/applications/workflow/", staff.workflow_help, name="staff_workflow"),
    path("staff/applications/<ref:reference>/", staff.application, name="staff_application"),
    path(
        "staff/applications/<ref:reference>/<slug:transition>/",
        staff.application_action,
        name="staff_application_action",
    ),
]
