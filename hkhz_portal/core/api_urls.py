from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .api import APIRootView, MeView, NotificationViewSet, SchemaView
from .api_stats import stats_urls

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

# The schema is open to anyone, keys included (SERVE_PERMISSIONS is AllowAny, without the scope
# check). Its two pages load only the sidecar's files from here; ReDoc alone also needs what
# its bundle does at run time, and only its page gets it: styles it injects, a search worker
# it starts from a blob.
redoc_csp = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})

urlpatterns = [
    path("", APIRootView.as_view(), name="api_root"),
    path("me/", MeView.as_view(), name="api_me"),
    path("schema/", SchemaView.as_view(), name="api_schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema", template_name="core/api_docs/swagger_ui.html"),
        name="api_docs",
    ),
    path(
        "redoc/",
        redoc_csp(SpectacularRedocView.as_view(url_name="api_schema", template_name="core/api_docs/redoc.html")),
        name="api_redoc",
    ),
    *router.urls,
    *stats_urls(),
]
