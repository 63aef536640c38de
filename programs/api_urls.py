from rest_framework.routers import SimpleRouter

from .api import ApplicationViewSet, CallViewSet

router = SimpleRouter()
router.register("calls", CallViewSet, basename="api-call")
router.register("applications", ApplicationViewSet, basename="api-application")

urlpatterns = router.urls
