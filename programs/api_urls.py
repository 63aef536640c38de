from rest_framework.routers import SimpleRouter

from .api import ApplicationViewSet, CallViewSet
from .api_reviews import ReviewViewSet

router = SimpleRouter()
router.register("calls", CallViewSet, basename="api-call")
router.register("applications", ApplicationViewSet, basename="api-application")
router.register("reviews", ReviewViewSet, basename="api-review")

urlpatterns = router.urls
