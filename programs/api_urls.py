from rest_framework.routers import SimpleRouter

from .api import ApplicationViewSet, CallViewSet, OfficerApplicationViewSet, OfficerCallViewSet, ProgrammeViewSet
from .api_partners import PartnerApplicationViewSet
from .api_reviews import ReviewViewSet
from .centres.api import ServiceRequestViewSet, ServiceViewSet

router = SimpleRouter()
router.register("programmes", ProgrammeViewSet, basename="api-programme")
router.register("calls", CallViewSet, basename="api-call")
router.register("applications", ApplicationViewSet, basename="api-application")
router.register("reviews", ReviewViewSet, basename="api-review")
router.register("services", ServiceViewSet, basename="api-service")
router.register("service-requests", ServiceRequestViewSet, basename="api-service-request")
router.register("partner/applications", PartnerApplicationViewSet, basename="api-partner-application")
# Officers of the call's unit: deciding, and the ranking.
router.register("applications", OfficerApplicationViewSet, basename="api-officer-application")
router.register("calls", OfficerCallViewSet, basename="api-officer-call")

urlpatterns = router.urls
