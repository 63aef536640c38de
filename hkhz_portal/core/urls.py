from django.templatetags.static import static
from django.urls import path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("", views.landing, name="landing"),
    # Browsers ask for /favicon.ico whatever a page's <link rel="icon"> says. Resolved per request:
    # in production the static name carries a hash of the content, so the redirect is temporary
    # (a cached permanent one would outlive the file when the icon changes).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=False)),
    path("healthz", views.healthz, name="healthz"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
]
