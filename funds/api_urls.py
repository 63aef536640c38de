from django.urls import path
from rest_framework.routers import SimpleRouter

from enterprises.api_urls import NESTED

from .api import FundFiguresView, RoundViewSet

router = SimpleRouter()
router.register(NESTED + "rounds", RoundViewSet, basename="api-round")

urlpatterns = [path("fund/figures/", FundFiguresView.as_view(), name="api-fund-figures"), *router.urls]
