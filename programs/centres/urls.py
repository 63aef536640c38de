"""The centres' pages, in the ``programs`` namespace (included from ``programs/urls.py``)."""

from django.urls import path

from .views import client

#: The enterprise's own request.
MINE = "requests/<ref:reference>/"

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
]
