from rest_framework.routers import SimpleRouter

from hkhz_portal.core.converters import REFERENCE_REGEX

from .api import DocumentViewSet, EnterpriseViewSet, MemberViewSet, MilestoneViewSet, ProductViewSet
from .api_directory import DirectoryViewSet

NESTED = rf"enterprises/(?P<reference>{REFERENCE_REGEX})/"

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="api-enterprise")
router.register(NESTED + "documents", DocumentViewSet, basename="api-document")
router.register(NESTED + "members", MemberViewSet, basename="api-member")
router.register(NESTED + "products", ProductViewSet, basename="api-product")
router.register(NESTED + "milestones", MilestoneViewSet, basename="api-milestone")
router.register("directory", DirectoryViewSet, basename="api-directory")

urlpatterns = router.urls
