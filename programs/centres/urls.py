"""The service centres' pages, in the ``programs`` namespace (``programs.urls`` includes these)."""

from django.urls import path

from .views import centre, client, queue

#: The enterprise's own request.
MINE = "requests/<ref:reference>/"
#: The centre staff's page of one request.
C = "staff/requests/<ref:reference>/"

urlpatterns = [
    path("services/", client.catalogue, name="services"),
    path("services/<slug:slug>/", client.service_detail, name="service"),
    path("requests/", client.my_requests, name="my_requests"),
    path("requests/rating/thanks/", client.rating_thanks, name="rating_thanks"),
    path("requests/rating/<str:token>/", client.rating_link, name="rating_link"),
    path(MINE, client.my_request, name="my_request"),
    path(MINE + "messages/", client.my_request_message, name="my_request_message"),
    path(MINE + "cancel/", client.my_request_cancel, name="my_request_cancel"),
    path(MINE + "rate/", client.my_request_rate, name="my_request_rate"),
    path(MINE + "attachments/<int:pk>/", client.my_request_download, name="my_request_download"),
    path("staff/requests/", queue.queue, name="centre_queue"),
    path("staff/requests/dashboard/", queue.dashboard, name="centre_dashboard"),
    path(C, centre.request_page, name="centre_request"),
    path(C + "take/", centre.request_take, name="centre_request_take"),
    path(C + "assign/", centre.request_assign, name="centre_request_assign"),
    path(C + "messages/", centre.request_message, name="centre_request_message"),
    path(C + "steps/<int:step>/", centre.request_step, name="centre_request_step"),
    path(C + "attachments/<int:pk>/", centre.request_attachment, name="centre_request_download"),
    path(C + "<slug:transition>/", centre.request_action, name="centre_request_action"),
]
