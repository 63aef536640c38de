from rest_framework.routers import SimpleRouter

from .api import DocumentViewSet, EnterpriseViewSet, MemberViewSet, MilestoneViewSet, ProductViewSet

NESTED = r"enterprises/(?P<reference>[^/.]+)/"

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="api-enterprise")
router.register(NESTED + "documents", DocumentViewSet, basename="api-document")
router.register(NESTED + "members", MemberViewSet, basename="api-member")
router.register(NESTED + "products", ProductViewSet, basename="api-product")
router.register(NESTED + "milestones", MilestoneViewSet, basename="api-milestone")

urlpatterns = router.urls
