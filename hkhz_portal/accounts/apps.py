from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hkhz_portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        """Connect the sign-in signals and add the partner's dashboard panel."""
        from hkhz_portal.core import dashboard

        from . import signals  # noqa: F401
        from .selectors import partner_dashboard_panel

        dashboard.register(
            "partner", template="partner/_dashboard_panel.html", context=partner_dashboard_panel, order=5
        )
