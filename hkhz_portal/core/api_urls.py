from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import APIRootView, MeView, NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("", APIRootView.as_view(), name="api_root"),
    path("me/", MeView.as_view(), name="api_me"),
    *router.urls,
]
