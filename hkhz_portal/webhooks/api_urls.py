from rest_framework.routers import SimpleRouter

from hkhz_portal.core.converters import ID_REGEX

from .api import DeliveryViewSet, EndpointDeliveryViewSet, EndpointViewSet

router = SimpleRouter()
router.register("webhooks/endpoints", EndpointViewSet, basename="api-webhook-endpoint")
router.register(
    rf"webhooks/endpoints/(?P<endpoint_pk>{ID_REGEX})/deliveries",
    EndpointDeliveryViewSet,
    basename="api-webhook-endpoint-delivery",
)
router.register("webhooks/deliveries", DeliveryViewSet, basename="api-webhook-delivery")

urlpatterns = router.urls
