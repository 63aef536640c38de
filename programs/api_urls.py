from rest_framework.routers import SimpleRouter

from .api import ApplicationViewSet, CallViewSet, OfficerApplicationViewSet, OfficerCallViewSet
from .api_reviews import ReviewViewSet

router = SimpleRouter()
router.register("calls", CallViewSet, basename="api-call")
router.register("applications", ApplicationViewSet, basename="api-application")
router.register("reviews", ReviewViewSet, basename="api-review")
# Officers of the call's unit: deciding, and the ranking.
router.register("applications", OfficerApplicationViewSet, basename="api-officer-application")
router.register("calls", OfficerCallViewSet, basename="api-officer-call")

urlpatterns = router.urls
