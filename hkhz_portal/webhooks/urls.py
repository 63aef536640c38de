from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("partner/webhooks/", views.endpoint_list, name="endpoint_list"),
    path("partner/webhooks/<int:pk>/", views.endpoint_detail, name="endpoint"),
    path("partner/webhooks/<int:pk>/rotate-secret/", views.rotate_secret, name="rotate_secret"),
    path("partner/webhooks/<int:pk>/delete/", views.delete_endpoint, name="delete"),
    path("partner/webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/", views.redeliver, name="redeliver"),
    path("partner/webhooks/<int:pk>/<slug:action>/", views.endpoint_action, name="action"),
]
