from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("HKHZ Portal administration")
admin.site.site_title = _("HKHZ Portal")
# The admin's own sign-in checks only the password, with no rate limit: send it to allauth's,
# which has both the rate limits and the second factor.
admin.site.login = secure_admin_login(admin.site.login)

handler404 = "hkhz_portal.core.views.not_found"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    # Before allauth's: it replaces two of allauth's views (see its urls).
    path("", include("hkhz_portal.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("hkhz_portal.core.api_urls")),
    path("api/v1/", include("enterprises.api_urls")),
    path("api/v1/", include("programs.api_urls")),
    path("api/v1/", include("hkhz_portal.webhooks.api_urls")),
    path("api/v1/", include("funds.api_urls")),
    path("", include("hkhz_portal.webhooks.urls")),
    path("", include("enterprises.urls")),
    path("", include("programs.urls")),
    path("", include("funds.urls")),
    path("", include("hkhz_portal.core.urls")),
]
