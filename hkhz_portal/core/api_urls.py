from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import APIRootView, MeView, NotificationViewSet
from .api_stats import stats_urls

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("", APIRootView.as_view(), name="api_root"),
    path("me/", MeView.as_view(), name="api_me"),
    *router.urls,
    *stats_urls(),
]
