"""The service centres' pages, within the ``programs`` namespace (``programs.urls`` includes these)."""

from django.urls import path

from .views import centre

C = "staff/requests/<ref:reference>/"

urlpatterns = [
    # The centre staff's page of one request, and its actions.
    path(C, centre.request_page, name="centre_request"),
    path(C + "take/", centre.request_take, name="centre_request_take"),
    path(C + "assign/", centre.request_assign, name="centre_request_assign"),
    path(C + "messages/", centre.request_message, name="centre_request_message"),
    path(C + "steps/<int:step>/", centre.request_step, name="centre_request_step"),
    path(C + "attachments/<int:pk>/", centre.request_attachment, name="centre_request_attachment"),
    path(C + "<slug:transition>/", centre.request_action, name="centre_request_action"),
]
