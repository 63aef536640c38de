from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "funds"
    verbose_name = _("Transformation fund")

    def ready(self):
        """The fund's event kinds, dashboards, demo data and statistics, registered with the
        project's (``hkhz_portal`` imports no app)."""
        from hkhz_portal.core import dashboard

        from . import notices, stats
        from .selectors import funding_dashboard_panel

        notices.register()
        stats.register()
        dashboard.register(
            "funding", template="funds/enterprise/_dashboard_panel.html", context=funding_dashboard_panel, order=23
        )
