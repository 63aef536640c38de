from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import MeView, NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [path("me/", MeView.as_view(), name="api_me"), *router.urls]
